// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "history/historywriter.h"
#include "spool/spoolsource.h"
#include "store/eventbatch.h"

#include <QList>

namespace kw {

class HistoryDatabase;

// Keeps the history in step with a spool: reads what was appended since the
// last time and writes it, together with the new spool positions, in one
// transaction per read. A restart (or a crash) therefore neither loses nor
// repeats a line: what was committed was read, what was not is read again.
class HistoryIngest final {
public:
    // `options` name another spool than the own one (a remote host's
    // mirrors: identity and remoteHost).
    HistoryIngest(HistoryDatabase &db, const QString &spoolDirectory,
                  SpoolSource::Options options = {});

    struct Result {
        bool ok = false;
        qint64 events = 0;
        QList<SourceError> problems; // malformed lines, unreadable files
    };
    // Reads and writes everything that is new, in transactions of one spool
    // poll each (bounded in bytes), until the spool has nothing more.
    Result sync();

    // One spool poll (bounded), written in one transaction. The events are
    // appended to `out` whether or not they could be written: a reader that
    // shows them (the window) must not lose them because the disk is full;
    // what was not committed is read again by the next run.
    Result pollOnce(EventBatch &out);

    // Before the first poll: where to go on, given the sessions the database
    // holds (so a caller that loads them anyway does not load them twice).
    void resume(const QList<Session> &known);
    // The same for any spool source reading on behalf of this database.
    static void resume(SpoolSource &source, HistoryDatabase &db, const QList<Session> &known);

    // Writes events and the spool positions (and other sources' cursors)
    // they reach in one transaction (rolled back, and the writer's cache
    // dropped, when anything fails).
    static bool write(HistoryDatabase &db, HistoryWriter &writer, const QList<Event> &events,
                      const QHash<QString, SpoolTailer::Position> &positions,
                      const QHash<QString, QString> &cursors = {});
    bool hasPendingData() const { return m_source.hasPendingData(); }
    QStringList watchPaths() const { return m_source.watchPaths(); }
    QString spoolDirectory() const { return m_source.directory(); }

private:
    void resumeOnce();

    HistoryDatabase &m_db;
    SpoolSource m_source;
    HistoryWriter m_writer;
    bool m_resumed = false;
    bool m_failed = false;
};

} // namespace kw
