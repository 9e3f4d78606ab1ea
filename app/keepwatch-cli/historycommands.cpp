// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "historycommands.h"

#include "argumentlist.h"
#include "clicommands.h"
#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "history/historyrecorderlock.h"
#include "history/historyretention.h"
#include "protocol/timestamp.h"
#include "report/reportselection.h"
#include "spool/spoollocation.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <cstdio>
#include <memory>
#include <unistd.h>

namespace kw::cli {

namespace {
int fail(int code, const QString &message) {
    std::fprintf(stderr, "keepwatch-cli: %s\n", message.toLocal8Bit().constData());
    return code;
}

// Waits a little for a recorder that finishes soon (an export catching up);
// a window that records for good is named, so the user knows what to close.
std::unique_ptr<HistoryRecorderLock> takeRecorderLock(const QString &path, const QString &command,
                                                      QString &why) {
    auto lock = std::make_unique<HistoryRecorderLock>(path);
    switch (lock->tryLock(5000)) {
    case HistoryRecorderLock::Result::Locked:
        return lock;
    case HistoryRecorderLock::Result::HeldByOther:
        why = QStringLiteral("%1: %2 is being recorded by %3 (pid %4); close it and try again")
                  .arg(command, path,
                       lock->holderApplication().isEmpty() ? QStringLiteral("another process")
                                                           : lock->holderApplication())
                  .arg(lock->holderPid());
        return nullptr;
    case HistoryRecorderLock::Result::Failed:
        why = command + QLatin1String(": ") + lock->errorString();
        return nullptr;
    }
    return nullptr;
}

qint64 count(HistoryDatabase &db, const char *table) {
    QSqlQuery q(db.connection());
    return q.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))) && q.next()
               ? q.value(0).toLongLong()
               : -1;
}
} // namespace

int reindexCommand(const QStringList &args) {
    ArgumentList a(args);
    QString path = HistoryDatabase::defaultPath();
    QString error;
    while (!a.atEnd()) {
        if (auto database = a.takeOption(QStringLiteral("--database"), error))
            path = *database;
        else if (!error.isEmpty())
            return fail(UsageError, QStringLiteral("reindex: ") + error);
        else
            return fail(UsageError,
                        QStringLiteral("reindex: unknown option %1 (see keepwatch-cli --help)")
                            .arg(a.peek()));
    }
    const auto lock = takeRecorderLock(path, QStringLiteral("reindex"), error);
    if (!lock)
        return fail(Failure, error);
    const QString spool = SpoolLocation::defaultDirectory();
    // Built beside the old one and swapped in only when complete: an
    // interrupted reindex leaves the old history as it was.
    const QString fresh = path + QStringLiteral(".reindex-%1").arg(::getpid());
    QFile::remove(fresh);
    QElapsedTimer timer;
    timer.start();
    qint64 sessions = 0, lines = 0;
    {
        HistoryDatabase db;
        if (!db.open(fresh))
            return fail(Failure, QStringLiteral("reindex: ") + db.errorString());
        HistoryIngest ingest(db, spool);
        const HistoryIngest::Result result = ingest.sync();
        for (const SourceError &e : result.problems)
            std::fprintf(stderr, "keepwatch-cli: warning: %s\n",
                         e.toString().toLocal8Bit().constData());
        if (!result.ok) {
            const QString why = db.errorString();
            db.close();
            QFile::remove(fresh);
            return fail(Failure, QStringLiteral("reindex: ") + why);
        }
        sessions = count(db, "sessions");
        lines = count(db, "log_lines");
        db.close();
    }
    for (const char *suffix : {"-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
    QFile::remove(path);
    if (!QFile::rename(fresh, path)) {
        QFile::remove(fresh);
        return fail(Failure, QStringLiteral("reindex: cannot replace %1").arg(path));
    }
    std::printf("reindexed %lld sessions and %lld log lines from %s into %s in %.1f s\n",
                static_cast<long long>(sessions), static_cast<long long>(lines),
                spool.toLocal8Bit().constData(), path.toLocal8Bit().constData(),
                double(timer.elapsed()) / 1000.0);
    return Ok;
}

int retentionCommand(const QStringList &args) {
    ArgumentList a(args);
    QString path = HistoryDatabase::defaultPath();
    HistoryRetention::Rules rules;
    bool dryRun = false;
    QString error;
    while (!a.atEnd()) {
        if (auto database = a.takeOption(QStringLiteral("--database"), error)) {
            path = *database;
        } else if (auto age = a.takeOption(QStringLiteral("--max-age"), error)) {
            rules.maxAgeMs = ReportSelection::parseDuration(*age);
            if (!rules.maxAgeMs)
                return fail(
                    UsageError,
                    QStringLiteral("retention: --max-age takes a duration like 90d, 12w or 36h"));
        } else if (auto count = a.takeOption(QStringLiteral("--max-sessions"), error)) {
            bool ok = false;
            rules.maxSessions = count->toLongLong(&ok);
            if (!ok || *rules.maxSessions < 0)
                return fail(UsageError, QStringLiteral("retention: --max-sessions takes a number"));
        } else if (a.takeFlag(QStringLiteral("--dry-run"))) {
            dryRun = true;
        } else if (!error.isEmpty()) {
            return fail(UsageError, QStringLiteral("retention: ") + error);
        } else {
            return fail(UsageError,
                        QStringLiteral("retention: unknown option %1 (see keepwatch-cli --help)")
                            .arg(a.peek()));
        }
    }
    if (!rules.maxAgeMs && !rules.maxSessions)
        return fail(UsageError,
                    QStringLiteral("retention: say what to keep (--max-age, --max-sessions)"));
    const auto lock = takeRecorderLock(path, QStringLiteral("retention"), error);
    if (!lock)
        return fail(Failure, error);
    HistoryDatabase db;
    if (!db.open(path))
        return fail(Failure, QStringLiteral("retention: ") + db.errorString());
    // Everything in the spool goes into the history first: what retention
    // keeps out of caution should be as little as possible.
    const QString spool = SpoolLocation::defaultDirectory();
    HistoryIngest ingest(db, spool);
    if (!ingest.sync().ok)
        return fail(Failure, QStringLiteral("retention: ") + db.errorString());
    const HistoryRetention::Result r =
        HistoryRetention::apply(db, spool, rules, Timestamp::nowMs(), dryRun);
    if (!r.ok)
        return fail(Failure, QStringLiteral("retention: ") + r.error);
    std::printf("%s %lld finished sessions (%lld log lines, %lld spool files)\n",
                dryRun ? "would remove" : "removed", static_cast<long long>(r.sessionsRemoved),
                static_cast<long long>(r.logLinesRemoved),
                static_cast<long long>(r.filesRemoved.size()));
    return Ok;
}

} // namespace kw::cli
