#pragma once

#include "protocol/event.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <memory>

namespace kw {

enum class OutputStream : quint8 { Stdout, Stderr };

// Where an adapter puts what it understood of a tool's output.
class AdapterSink {
public:
    virtual ~AdapterSink() = default;
    virtual void log(LogLevel level, QByteArrayView message, OutputStream stream) = 0;
    virtual void progress(const ProgressPayload &progress) = 0;
    virtual void state(SessionState state, const QString &reason) = 0;
};

// How a command ended, as the wrapper saw it.
struct ExitStatus {
    std::optional<int> exitCode; // when it exited
    std::optional<int> signal;   // when a signal killed it
    bool cancelRequested = false;
};

struct Outcome {
    SessionState state = SessionState::Failed;
    QString summary;
};

// Turns one tool's native output into events. Pure: bytes in, sink calls
// out, no I/O, so every adapter is tested on captured output.
class OutputAdapter {
public:
    virtual ~OutputAdapter() = default;

    // The adapter's name ("generic", later "restic", ...).
    virtual QString name() const = 0;
    // Bytes as the command wrote them, in any chunking.
    virtual void feed(OutputStream stream, QByteArrayView bytes, AdapterSink &sink) = 0;
    // The command's output ended: flush what is buffered.
    virtual void finish(AdapterSink &sink) = 0;
    // The session's final state from the exit status.
    virtual Outcome outcome(const ExitStatus &status) const;
    // Signal that asks the tool to stop cleanly (restic cleans its locks on SIGINT).
    virtual int cancelSignal() const;
};

// Adapters by name; falls back to the generic adapter.
class AdapterRegistry final {
public:
    static QStringList names();
    // `tool` from --tool, or empty to pick by the command's program name.
    static std::unique_ptr<OutputAdapter> create(const QString &tool, const QStringList &command);
};

// The plain meaning of an exit status ("exit code 3", "killed by SIGKILL").
QString describeExit(const ExitStatus &status);
QString signalName(int signal);

} // namespace kw
