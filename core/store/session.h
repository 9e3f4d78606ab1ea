// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"
#include "protocol/sessiontypes.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace kw {

// Where a session comes from: the same ID from two sources is two sessions.
struct SessionKey {
    QString source;
    QString id;

    friend bool operator==(const SessionKey &a, const SessionKey &b) {
        return a.id == b.id && a.source == b.source;
    }
};

inline size_t qHash(const SessionKey &key, size_t seed = 0) {
    return qHashMulti(seed, key.source, key.id);
}

// One moment worth showing on a session's events timeline: it started, its
// state changed, its first warning or error, it ended.
struct SessionMilestone {
    enum class Type : quint8 { Started, State, FirstWarning, FirstError, Ended };
    qint64 ms = 0;
    Type type = Type::State;
    SessionState state = SessionState::Running; // Started, State, Ended
    QString text;                               // reason, summary or the log message
};

// Everything known about one session: the fold of its events so far.
struct Session {
    SessionKey key;
    SessionKind kind = SessionKind::Other;
    SessionState state = SessionState::Running;
    QString stateReason;
    QString tool;
    QString host;
    QString user;
    QString target;
    QString title;
    QString cwd;
    QStringList command;
    std::optional<qint64> pid;
    // The process that records the session (the wrapper): who `cancel` signals.
    std::optional<qint64> producerPid;
    std::optional<quint64> producerStartTicks;
    QString bootId;
    QString unit;         // the systemd unit it ran in
    QString invocationId; // that run of the unit
    // A run of a systemd unit (from the systemd source) whose ExecStart is
    // `keepwatch-cli run`: the wrapper's session, which carries this
    // invocation ID, stands for it. Set by the store; lists, filters and
    // reports leave a joined session out, so the run is one row.
    bool joined = false;

    std::optional<qint64> startedMs; // from the start event
    std::optional<qint64> endedMs;   // from the end event
    qint64 firstEventMs = 0;
    qint64 lastEventMs = 0;
    qint64 lastProgressMs = 0;       // last progress event
    qint64 lastProgressChangeMs = 0; // last time the work advanced (stall detection)

    ProgressPayload progress; // latest known value of each field
    std::optional<int> exitCode;
    std::optional<int> signal;
    QString summary;

    qint64 logLines = 0; // lines ever logged (the buffer keeps the newest)
    qint64 warnings = 0;
    qint64 errors = 0;
    bool hasStart = false;

    // Bounded: a session that flaps between stalled and running thousands of
    // times keeps its first milestone and the newest ones.
    static constexpr int kMaxMilestones = 64;
    QList<SessionMilestone> milestones;
    qint64 droppedMilestones = 0;

    const QString &id() const { return key.id; }
    // When it started: the start event's time, else its first event's.
    // Whether sessions of `source` are runs of systemd units, keyed by their
    // invocation ID ("systemd", "systemd:user").
    static bool isUnitRunSource(const QString &source) {
        return source == QLatin1String("systemd") || source.startsWith(QLatin1String("systemd:"));
    }

    qint64 effectiveStartMs() const { return startedMs.value_or(firstEventMs); }
    // When it ended, once it has: the end event's time, else (it ended
    // without saying when: interrupted, exited) its last event's. None while
    // it is active.
    std::optional<qint64> knownEndMs() const {
        if (endedMs)
            return endedMs;
        if (isTerminal(state))
            return lastEventMs;
        return std::nullopt;
    }
    // The end of its time span: a session still active runs until now.
    qint64 effectiveEndMs(qint64 nowMs) const { return knownEndMs().value_or(nowMs); }
    // Duration so far (running) or in total (finished), -1 when unknown.
    qint64 durationMs(qint64 nowMs) const;
    // The title a person would recognise: title, else tool + kind, else ID.
    QString displayTitle() const;
};

} // namespace kw
