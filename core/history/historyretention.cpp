// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historyretention.h"

#include "history/historydatabase.h"
#include "spool/spoollocation.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace kw {

HistoryRetention::Result HistoryRetention::apply(HistoryDatabase &db, const QString &spoolDirectory,
                                                 const Rules &rules, qint64 nowMs, bool dryRun) {
    Result result;
    const auto positions = db.spoolPositions();
    struct Candidate {
        qint64 pk;
        QString file; // the spool file to remove with it, if any
    };
    QList<Candidate> doomed;
    QSqlQuery q(db.connection());
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT pk, source, id, state, COALESCE(ended_ms, last_event_ms) AS t "
                           "FROM sessions ORDER BY t DESC, pk DESC"))) {
        result.error = q.lastError().text();
        return result;
    }
    qint64 finishedSeen = 0;
    while (q.next()) {
        const auto state = sessionStateFromString(q.value(3).toString());
        if (!state || !isTerminal(*state))
            continue; // never a session that may still change
        ++finishedSeen;
        const bool tooOld = rules.maxAgeMs && q.value(4).toLongLong() < nowMs - *rules.maxAgeMs;
        const bool tooMany = rules.maxSessions && finishedSeen > *rules.maxSessions;
        if (!tooOld && !tooMany)
            continue;
        Candidate c{q.value(0).toLongLong(), QString()};
        if (q.value(1).toString() == QLatin1String("spool")) {
            // keepwatch-cli writes one file per session, named after it.
            const QString file =
                SpoolLocation::fileForSession(spoolDirectory, q.value(2).toString());
            const QFileInfo info(file);
            if (info.exists()) {
                const auto read = positions.constFind(file);
                if (read == positions.cend() || read->offset < info.size())
                    continue; // not all of it is in the history yet: keep it
                c.file = file;
            }
        }
        doomed.append(c);
    }
    q.finish();
    for (const Candidate &c : std::as_const(doomed)) {
        QSqlQuery lines(db.connection());
        lines.prepare(QStringLiteral("SELECT count(*) FROM log_lines WHERE session = ?"));
        lines.addBindValue(c.pk);
        if (lines.exec() && lines.next())
            result.logLinesRemoved += lines.value(0).toLongLong();
        if (!c.file.isEmpty())
            result.filesRemoved << c.file;
    }
    result.sessionsRemoved = doomed.size();
    if (dryRun || doomed.isEmpty()) {
        result.ok = true;
        return result;
    }
    // Rows first, in one transaction; files only once that is committed (a
    // file without rows is re-read by the next sync, rows without a file
    // would be a session that reindex cannot rebuild).
    if (!db.begin()) {
        result.error = db.errorString();
        return result;
    }
    QSqlQuery del(db.connection());
    del.prepare(QStringLiteral("DELETE FROM sessions WHERE pk = ?"));
    QSqlQuery forget(db.connection());
    forget.prepare(QStringLiteral("DELETE FROM spool_positions WHERE path = ?"));
    for (const Candidate &c : std::as_const(doomed)) {
        del.addBindValue(c.pk);
        bool ok = del.exec();
        if (ok && !c.file.isEmpty()) {
            forget.addBindValue(c.file);
            ok = forget.exec();
        }
        if (!ok) {
            result.error =
                (del.lastError().isValid() ? del.lastError() : forget.lastError()).text();
            db.rollback();
            return result;
        }
    }
    if (!db.commit()) {
        result.error = db.errorString();
        return result;
    }
    for (const QString &file : std::as_const(result.filesRemoved))
        QFile::remove(file);
    result.ok = true;
    return result;
}

} // namespace kw
