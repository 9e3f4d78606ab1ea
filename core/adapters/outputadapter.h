// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <utility>

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
    // The signal the tool said stopped it (OutputAdapter::reportedStopSignal):
    // borg 1.2 ends a SIGINT with rc 2, which alone reads as any error.
    std::optional<int> reportedSignal;
};

// How a session ended: its final state and a one-line summary for people.
// ToolProfile::outcome() (core/tools/) makes it from an ExitStatus.
struct Outcome {
    SessionState state = SessionState::Failed;
    QString summary;
};

// Turns one tool's native output into events. Pure: bytes in, sink calls
// out, no I/O, so every adapter is tested on captured output.
class OutputAdapter {
public:
    virtual ~OutputAdapter() = default;

    // Which /proc/PID/io counter measures the command's progress when the
    // tool itself prints none (restic 0.14's restore): the wrapper samples it.
    enum class IoMeasure { None, BytesRead, BytesWritten };

    // The adapter's name ("generic", "restic", "borg", "rsync").
    virtual QString name() const = 0;
    // Before the command starts: hints for the session's log (e.g. how to get
    // progress when the machine-readable flag is missing).
    virtual void start(AdapterSink &sink);
    // Environment variables the command gets unless they are already set
    // (restic's progress rate).
    virtual QList<std::pair<QByteArray, QByteArray>> defaultEnvironment() const;
    virtual IoMeasure ioMeasure() const;
    // Bytes as the command wrote them, in any chunking.
    virtual void feed(OutputStream stream, QByteArrayView bytes, AdapterSink &sink) = 0;
    // The command's output ended: flush what is buffered.
    virtual void finish(AdapterSink &sink) = 0;
    // The signal the tool's output says stopped it, if it said so.
    virtual std::optional<int> reportedStopSignal() const;
};

QString signalName(int signal);

} // namespace kw
