// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"
#include "commands.h"
#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "history/historyretention.h"
#include "protocol/timestamp.h"
#include "recorderlock.h"
#include "report/reportselection.h"
#include "spool/spoollocation.h"

#include <cstdio>

namespace kw::cli {

int retentionCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption database = kw::cli::databaseOption();
    const QCommandLineOption maxAge(QStringLiteral("max-age"),
                                    QStringLiteral("Forget sessions finished longer ago: 90d, "
                                                   "12w, 36h."),
                                    QStringLiteral("DURATION"));
    const QCommandLineOption maxSessions(QStringLiteral("max-sessions"),
                                         QStringLiteral("Keep the newest N finished sessions."),
                                         QStringLiteral("N"));
    const QCommandLineOption dryRunOption(QStringLiteral("dry-run"),
                                          QStringLiteral("Say what would go, remove nothing."));
    for (const auto &o : {database, maxAge, maxSessions, dryRunOption})
        cl.add(o);
    if (const auto done = cl.parse(args))
        return *done;
    if (!cl.positional().isEmpty())
        return cl.usage(QStringLiteral("unexpected argument %1").arg(cl.positional().first()));
    const QString path = databasePath(cl, database);
    HistoryRetention::Rules rules;
    if (cl.isSet(maxAge)) {
        rules.maxAgeMs = ReportSelection::parseDuration(cl.value(maxAge));
        if (!rules.maxAgeMs)
            return cl.usage(QStringLiteral("--max-age takes a duration like 90d, 12w or 36h"));
    }
    if (cl.isSet(maxSessions)) {
        bool ok = false;
        rules.maxSessions = cl.value(maxSessions).toLongLong(&ok);
        if (!ok || *rules.maxSessions < 0)
            return cl.usage(QStringLiteral("--max-sessions takes a number"));
    }
    const bool dryRun = cl.isSet(dryRunOption);
    QString error;
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
