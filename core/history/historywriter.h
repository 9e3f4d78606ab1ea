// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"
#include "store/session.h"

#include <QByteArray>
#include <QHash>
#include <limits>

namespace kw {

class HistoryDatabase;

// Folds events into the history with the same rules as the live store
// (SessionFolder), so that both always agree on what a session is.
// Every log line is kept (with its sequence number); of the other events
// the timeline keeps start, state and end events, and progress at most
// every kProgressEveryMs per session (a restic run prints 4 a second).
// Call write() for each event inside a transaction, then flush() before
// committing: session rows are written once per batch, not per event. The
// lines are indexed for search later (HistoryDatabase::indexPendingLogLines).
class HistoryWriter final {
public:
    static constexpr qint64 kProgressEveryMs = 10000;

    explicit HistoryWriter(HistoryDatabase &db);

    bool write(const Event &event);
    bool flush();
    // Drops cached sessions that are finished (reloaded if they get more).
    void forgetFinished();
    // Drops every cached session (after a rollback they may be wrong).
    void forgetAll() { m_entries.clear(); }

private:
    struct Entry {
        qint64 pk = 0;
        Session session;
        bool dirty = false;
        qint64 lastProgressEventMs = std::numeric_limits<qint64>::min() / 2; // the first is kept
    };
    Entry *entryFor(const Event &event);

    HistoryDatabase &m_db;
    QHash<SessionKey, Entry> m_entries;
    QByteArray m_line;
};

} // namespace kw
