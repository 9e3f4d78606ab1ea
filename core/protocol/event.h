// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <type_traits>
#include <variant>

namespace kw {

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
    // A session started inside a systemd unit: the unit's name and the run's
    // invocation ID ($INVOCATION_ID, 32 lower-case hex digits).
    QString unit;
    QString invocationId;
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

// A payload kept on the heap. Start and progress payloads are big (248 and
// 136 bytes) and rare, while every event is as big as its biggest
// alternative: boxed, an event of a log line (90 % of them) takes 128 bytes
// instead of 312, which the ingest of millions of lines pays in copies and
// page faults. An empty box (a default-constructed Event) reads as a default T.
template<typename T>
class Boxed {
public:
    Boxed() = default;
    Boxed(T value) // implicit, so that `event.payload = start` keeps working
        : m_value(std::make_unique<T>(std::move(value))) {}
    Boxed(const Boxed &other)
        : m_value(other.m_value ? std::make_unique<T>(*other.m_value) : nullptr) {}
    Boxed(Boxed &&) noexcept = default;
    Boxed &operator=(const Boxed &other) {
        if (this != &other)
            m_value = other.m_value ? std::make_unique<T>(*other.m_value) : nullptr;
        return *this;
    }
    Boxed &operator=(Boxed &&) noexcept = default;
    ~Boxed() = default;

    const T &get() const {
        static const T empty;
        return m_value ? *m_value : empty;
    }
    T &get() {
        if (!m_value)
            m_value = std::make_unique<T>();
        return *m_value;
    }

private:
    std::unique_ptr<T> m_value;
};

namespace detail {
// What the payload variant holds for payload type T.
template<typename T>
struct Stored {
    using type = T;
};
template<>
struct Stored<StartPayload> {
    using type = Boxed<StartPayload>;
};
template<>
struct Stored<ProgressPayload> {
    using type = Boxed<ProgressPayload>;
};

template<typename T>
const T &unbox(const T &payload) {
    return payload;
}
template<typename T>
const T &unbox(const Boxed<T> &payload) {
    return payload.get();
}
} // namespace detail

struct Event {
    // The alternatives' order is EventType's.
    using Payload = std::variant<Boxed<StartPayload>, StatePayload, Boxed<ProgressPayload>,
                                 LogPayload, EndPayload>;

    QString session;        // the session ID (validated by the decoder)
    QString source;         // which source delivered it; set by the source, not on the wire
    qint64 timestampMs = 0; // UTC, milliseconds since the epoch
    Payload payload;

    EventType type() const { return EventType(payload.index()); }

    // The payload when it is a T, else null.
    template<typename T>
    const T *as() const {
        const auto *stored = std::get_if<typename detail::Stored<T>::type>(&payload);
        return stored ? &detail::unbox(*stored) : nullptr;
    }
    template<typename T>
    T *as() {
        if constexpr (std::is_same_v<typename detail::Stored<T>::type, T>)
            return std::get_if<T>(&payload);
        else {
            auto *stored = std::get_if<typename detail::Stored<T>::type>(&payload);
            return stored ? &stored->get() : nullptr;
        }
    }
    // Makes the payload a default T and returns it.
    template<typename T>
    T &emplace() {
        if constexpr (std::is_same_v<typename detail::Stored<T>::type, T>)
            return payload.emplace<T>();
        else
            return payload.emplace<typename detail::Stored<T>::type>(T{}).get();
    }
    // Calls `visitor` with the payload as its own type (boxes opened).
    template<typename Visitor>
    decltype(auto) visit(Visitor &&visitor) const {
        return std::visit(
            [&visitor](const auto &stored) -> decltype(auto) {
                return visitor(detail::unbox(stored));
            },
            payload);
    }
};

QLatin1String wireName(EventType type);

// A problem a source met while reading: shown to the user, never fatal.
struct SourceError {
    QString source;
    QString location; // file path or endpoint
    qint64 line = 0;  // 1-based line number, 0 when not about a line
    QString message;
    // Not a fault but something the user should know about what they can
    // see ("not in group keepwatch: root's backups are hidden"): the window
    // says it in its status bar, not among the errors; the CLI as a note.
    bool notice = false;

    // "spool:/path/x.jsonl:12: reason", the form the CLI prints and tests compare.
    QString toString() const;
};

} // namespace kw

// Relocatable: an Event holds Qt's implicitly shared types, std::optional,
// std::unique_ptr and a std::variant of them, none of which points into
// itself, so QList may move Events with memcpy when it grows (a batch of a
// hundred thousand of them otherwise pays a move and a destruction each).
Q_DECLARE_TYPEINFO(kw::Event, Q_RELOCATABLE_TYPE);
Q_DECLARE_METATYPE(kw::Event)
