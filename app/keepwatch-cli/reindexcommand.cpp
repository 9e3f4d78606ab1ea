// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"
#include "commands.h"
#include "fleet/remotespools.h"
#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "recorderlock.h"
#include "spool/spoollocation.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <cstdio>
#include <unistd.h>

namespace kw::cli {

namespace {
qint64 count(HistoryDatabase &db, const char *table) {
    QSqlQuery q(db.connection());
    return q.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))) && q.next()
               ? q.value(0).toLongLong()
               : -1;
}
} // namespace

int reindexCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption database = kw::cli::databaseOption();
    cl.add(database);
    if (const auto done = cl.parse(args))
        return *done;
    if (!cl.positional().isEmpty())
        return cl.usage(QStringLiteral("unexpected argument %1").arg(cl.positional().first()));
    const QString path = databasePath(cl, database);
    QString error;
    const auto lock = takeRecorderLock(path, QStringLiteral("reindex"), error);
    if (!lock)
        return fail(Failure, error);
    const QString spool = SpoolLocation::defaultDirectory();
    const QString remoteRoot = RemoteSpools::root(SpoolLocation::stateDirectory());
    const QStringList hosts = RemoteSpools::hosts(remoteRoot);
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
        // The own spool, then every host's mirrors (the window records
        // them as it records the spool).
        const auto ingests = historyIngests(db, spool);
        for (const auto &ingest : ingests) {
            const HistoryIngest::Result result = ingest->sync();
            for (const SourceError &e : result.problems)
                std::fprintf(stderr, "keepwatch-cli: warning: %s\n",
                             e.toString().toLocal8Bit().constData());
            if (!result.ok) {
                const QString why = db.errorString();
                db.close();
                QFile::remove(fresh);
                return fail(Failure, QStringLiteral("reindex: ") + why);
            }
        }
        // systemd's runs are in no file: they come from the old
        // history, if it can still be read (a corrupt one is why some reindex).
        if (QFile::exists(path) && !db.copyRecordedSources(path))
            std::fprintf(stderr,
                         "keepwatch-cli: warning: the systemd runs of the old history are not "
                         "kept (%s); the window reads the journal's again\n",
                         db.errorString().toLocal8Bit().constData());
        // Searchable as it replaces the old one: the lines were recorded
        // first and are indexed here, in one bulk pass (the fastest way).
        if (!db.indexPendingLogLines()) {
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
    const QString from =
        hosts.isEmpty() ? spool
                        : QStringLiteral("%1 and the mirrors of %2 host%3 in %4")
                              .arg(spool)
                              .arg(hosts.size())
                              .arg(hosts.size() == 1 ? QString() : QStringLiteral("s"), remoteRoot);
    std::printf("reindexed %lld sessions and %lld log lines from %s into %s in %.1f s\n",
                static_cast<long long>(sessions), static_cast<long long>(lines),
                from.toLocal8Bit().constData(), path.toLocal8Bit().constData(),
                double(timer.elapsed()) / 1000.0);
    return Ok;
}

} // namespace kw::cli
