#pragma once

#include "protocol/sessiontypes.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <variant>

namespace kw {

struct StoreSeed;

// Protocol v1 event payloads, one struct per event type. Optional numbers are
// std::optional: "unknown" is not the same as 0 (a total of 0 bytes is a fact).

struct StartPayload {
    SessionKind kind = SessionKind::Other;
    SessionState state = SessionState::Running; // initial state, e.g. queued
    QString tool;
    QString host;
    QString user;
    QString target; // repository or destination
    QString title;
    QString cwd;
    QStringList command;       // argv, secrets already removed by the producer
    std::optional<qint64> pid; // the command's pid
    // The process that will write this session's end event. With its start
    // time (clock ticks since boot) and the boot id it tells a live producer
    // from a reused pid.
    std::optional<qint64> producerPid;
    std::optional<quint64> producerStartTicks;
    QString bootId;
};

struct StatePayload {
    SessionState state = SessionState::Running;
    QString reason;
};

struct ProgressPayload {
    std::optional<double> percent; // 0..100
    std::optional<qint64> bytesDone;
    std::optional<qint64> bytesTotal;
    std::optional<qint64> filesDone;
    std::optional<qint64> filesTotal;
    std::optional<double> rate; // bytes per second
    std::optional<qint64> etaSeconds;
    QString current; // item being processed
};

struct LogPayload {
    LogLevel level = LogLevel::Info;
    QByteArray message; // UTF-8; kept as bytes because log lines are the bulk
    QString stream;     // "stdout", "stderr" or empty
};

struct EndPayload {
    SessionState state = SessionState::Exited; // always a terminal state
    std::optional<int> exitCode;
    std::optional<int> signal;
    QString summary;
};

enum class EventType : quint8 { Start, State, Progress, Log, End };

struct Event {
    QString session;        // the session ID (validated by the decoder)
    QString source;         // which source delivered it; set by the source, not on the wire
    qint64 timestampMs = 0; // UTC, milliseconds since the epoch
    std::variant<StartPayload, StatePayload, ProgressPayload, LogPayload, EndPayload> payload;

    EventType type() const { return EventType(payload.index()); }

    template<typename T>
    const T *as() const {
        return std::get_if<T>(&payload);
    }
};

QLatin1String wireName(EventType type);

// A problem a source met while reading: shown to the user, never fatal.
struct SourceError {
    QString source;
    QString location; // file path or endpoint
    qint64 line = 0;  // 1-based line number, 0 when not about a line
    QString message;

    // "spool:/path/x.jsonl:12: reason", the form the CLI prints and tests compare.
    QString toString() const;
};

// What one poll of all sources produced, delivered as one unit per tick.
struct EventBatch {
    QList<Event> events;
    QList<SourceError> errors;
    // Sessions to start from, applied before `events` (see StoreSeed).
    std::shared_ptr<const StoreSeed> seed;

    bool isEmpty() const { return events.isEmpty() && errors.isEmpty() && !seed; }
};

} // namespace kw

Q_DECLARE_METATYPE(kw::Event)
Q_DECLARE_METATYPE(kw::EventBatch)
