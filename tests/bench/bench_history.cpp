// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// Large-history benchmark (issue 6): 100,000 sessions and 10 million log
// lines generated into a real history database, then what the window and
// the reports do with it, each timed, with the process's memory.
//
//   bench_history [--sessions N] [--lines N] [--keep DIR]
//
// Not a ctest test: it takes minutes and reports numbers (scripts/bench.sh).
#include "history/historydatabase.h"
#include "history/historywriter.h"
#include "models/logmodel.h"
#include "protocol/event.h"
#include "report/htmlreportwriter.h"
#include "report/jsonreportwriter.h"
#include "report/reportdata.h"
#include "store/sessionstore.h"
#include "store/storeseed.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <cstdio>

using namespace kw;

namespace {

// Peak and current resident memory, MiB (VmHWM, VmRSS).
std::pair<double, double> memoryMiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    double peak = 0, now = 0;
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            const QList<QByteArray> parts = line.simplified().split(' ');
            if (parts.size() >= 2 && parts[0] == "VmHWM:")
                peak = parts[1].toDouble() / 1024;
            if (parts.size() >= 2 && parts[0] == "VmRSS:")
                now = parts[1].toDouble() / 1024;
        }
    }
    return {peak, now};
}

void report(const char *what, qint64 ms, const QString &detail = {}) {
    const auto [peak, now] = memoryMiB();
    std::printf("%-44s %9.3f s   rss %7.0f MiB   peak %7.0f MiB   %s\n", what, double(ms) / 1000,
                now, peak, qPrintable(detail));
    std::fflush(stdout);
}

const char *const kPaths[] = {"/srv/data/projects/", "/home/alice/Documents/",
                              "/var/lib/postgresql/15/main/base/", "/etc/",
                              "/home/bob/Pictures/2026/"};

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    qint64 sessions = 100000;
    qint64 lines = 10000000;
    QString keep;
    bool reuse = false;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--sessions"))
            sessions = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--lines"))
            lines = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--keep"))
            keep = args[i + 1];
        else if (args[i] == QLatin1String("--reuse")) // a database made by --keep before
            keep = args[i + 1], reuse = true;
    }
    QTemporaryDir tmp;
    const QString dir = keep.isEmpty() ? tmp.path() : keep;
    const QString path = dir + QStringLiteral("/history.db");
    if (!reuse)
        QFile::remove(path);

    // Two long sessions of 500,000 lines (a verbose restore) and the rest
    // spread evenly: a 1,000-session day over 100 days.
    constexpr qint64 kLongLines = 500000;
    const qint64 longSessions = lines >= 4 * kLongLines ? 2 : 0;
    const qint64 perSession = (lines - longSessions * kLongLines) / (sessions - longSessions);
    const qint64 dayMs = 24 * 3600 * 1000;
    const qint64 endMs = 1795000000000; // fixed: reproducible
    const qint64 spanMs = (sessions / 1000 + 1) * dayMs;
    QRandomGenerator random(42);
    std::printf(
        "history benchmark: %lld sessions, %lld log lines (%lld per session, %lld of %lld)\n",
        static_cast<long long>(sessions), static_cast<long long>(lines),
        static_cast<long long>(perSession), static_cast<long long>(longSessions),
        static_cast<long long>(kLongLines));

    QElapsedTimer timer;
    timer.start();
    qint64 written = 0;
    if (!reuse) {
        HistoryDatabase db;
        if (!db.open(path)) {
            std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(path),
                         qPrintable(db.errorString()));
            return 1;
        }
        HistoryWriter writer(db);
        db.begin();
        qint64 inTransaction = 0;
        for (qint64 s = 0; s < sessions; ++s) {
            const QString id = QStringLiteral("s%1").arg(s, 6, 10, QLatin1Char('0'));
            const qint64 start = endMs - spanMs + s * (spanMs / sessions);
            // In the middle of the history: the last day is a normal day.
            const bool isLong = s >= sessions / 2 && s < sessions / 2 + longSessions;
            const qint64 n = isLong ? kLongLines : perSession;
            StartPayload startPayload;
            startPayload.kind = s % 7 == 0 ? SessionKind::Restore : SessionKind::Backup;
            startPayload.tool = QLatin1String(s % 3 == 0   ? "restic"
                                              : s % 3 == 1 ? "borg"
                                                           : "rsync");
            startPayload.host = QStringLiteral("host%1").arg(s % 12);
            startPayload.title = QStringLiteral("nightly %1").arg(s % 50);
            startPayload.target = QStringLiteral("/srv/backup/repo%1").arg(s % 20);
            writer.write(Event{id, QStringLiteral("spool"), start, startPayload});
            for (qint64 l = 0; l < n; ++l) {
                QByteArray message = QByteArray(kPaths[random.bounded(5)]) + "file"
                                     + QByteArray::number(random.bounded(1000000)) + ".dat";
                const LogLevel level = l % 97 == 0 ? LogLevel::Warning : LogLevel::Info;
                writer.write(Event{id, QStringLiteral("spool"), start + l * 10,
                                   LogPayload{level, message, QString()}});
                ++written;
            }
            const SessionState end = s % 29 == 0 ? SessionState::Failed : SessionState::Succeeded;
            writer.write(Event{
                id, QStringLiteral("spool"), start + n * 10 + 1000,
                EndPayload{end, end == SessionState::Failed ? 1 : 0, std::nullopt, QString()}});
            inTransaction += n;
            if (inTransaction > 200000) {
                writer.flush();
                db.commit();
                writer.forgetFinished();
                db.begin();
                inTransaction = 0;
            }
        }
        writer.flush();
        db.commit();
        // Searchable before it counts as made (the index follows in bulk).
        db.indexPendingLogLines();
    }
    const qint64 generateMs = timer.elapsed();
    report("generate (HistoryWriter, FTS indexed)", generateMs,
           QStringLiteral("%1 lines/s, %2 MiB on disk")
               .arg(qint64(double(written) * 1000 / double(std::max<qint64>(generateMs, 1))))
               .arg(QFileInfo(path).size() / 1024 / 1024));

    HistoryDatabase db;
    db.open(path);

    // What a window does at start: every session, ready to seed its store.
    timer.restart();
    const QList<Session> known = db.sessions();
    report("read every session (window start)", timer.elapsed(),
           QStringLiteral("%1 sessions").arg(known.size()));
    timer.restart();
    SessionStore store;
    {
        auto seed = std::make_shared<StoreSeed>();
        seed->sessions.reserve(size_t(known.size()));
        for (const Session &s : known)
            seed->sessions.push_back({s, {}});
        EventBatch batch;
        batch.seed = std::move(seed);
        store.apply(batch);
    }
    report("seed the store", timer.elapsed(), QStringLiteral("%1 rows").arg(store.count()));

    // Opening the longest log in a pane, then searching it.
    const QString longId = QStringLiteral("s%1").arg(sessions / 2, 6, 10, QLatin1Char('0'));
    const SessionKey longKey{QStringLiteral("spool"), longId};
    timer.restart();
    const auto pk = db.findSession(longKey);
    const auto tail = db.logTail(pk.value_or(-1), SessionStore::kMaxHistoryLogLines);
    std::vector<StoreSeed::Line> loaded;
    loaded.reserve(size_t(tail.size()));
    for (const auto &l : tail)
        loaded.push_back({l.timestampMs, l.level, l.message});
    const qint64 readMs = timer.elapsed();
    store.loadHistoryLog(longKey, loaded);
    report("open a 500,000-line log from the history", timer.elapsed(),
           QStringLiteral("%1 lines (read %2 ms)")
               .arg(store.log(store.indexOf(longKey)).size())
               .arg(readMs));
    {
        // Baseline, side by side: the sqlite3 shell printing the same rows.
        QProcess shell;
        shell.setStandardOutputFile(QProcess::nullDevice());
        timer.restart();
        shell.start(QStringLiteral("sqlite3"),
                    {QStringLiteral("-readonly"), path,
                     QStringLiteral("SELECT ts, level, msg FROM log_lines WHERE session = %1 "
                                    "ORDER BY seq DESC LIMIT %2")
                         .arg(pk.value_or(-1))
                         .arg(SessionStore::kMaxHistoryLogLines)});
        if (shell.waitForFinished(600000) && shell.exitCode() == 0) {
            const qint64 shellMs = timer.elapsed();
            report("  baseline: sqlite3 shell, same rows", shellMs,
                   QStringLiteral("Keepwatch read / sqlite3 = %1")
                       .arg(double(readMs) / double(std::max<qint64>(shellMs, 1)), 0, 'f', 2));
        } else {
            std::printf("  (no sqlite3 shell: no baseline)\n");
        }
    }
    {
        LogModel model(&store, longKey);
        timer.restart();
        model.setMatchingOnly(true);
        model.setSearch(QStringLiteral("pictures/2026"));
        report("  search it (case-insensitive substring)", timer.elapsed(),
               QStringLiteral("%1 matching lines").arg(model.rowCount()));
        timer.restart();
        model.setSearch(QString());
        report("  clear the search", timer.elapsed(),
               QStringLiteral("%1 lines").arg(model.rowCount()));
    }

    // Full-text search over every line of the history.
    timer.restart();
    const QList<qint64> hits = db.sessionsWithLogText(QStringLiteral("file12345*"));
    report("FTS: sessions with a line matching file12345*", timer.elapsed(),
           QStringLiteral("%1 sessions").arg(hits.size()));

    // Yesterday's report, and a report of the long session alone.
    ReportSelection day;
    day.nowMs = endMs;
    day.fromMs = endMs - dayMs;
    timer.restart();
    const ReportData dayData = ReportData::build(db, day);
    const QByteArray html = HtmlReportWriter::write(dayData);
    report("export the last 24 h (HTML)", timer.elapsed(),
           QStringLiteral("%1 sessions, %2 MiB")
               .arg(dayData.sessions.size())
               .arg(html.size() / 1024 / 1024));
    ReportSelection failed = day;
    failed.fromMs = endMs - 7 * dayMs;
    failed.states = {SessionState::Failed};
    timer.restart();
    const QByteArray json = JsonReportWriter::write(ReportData::build(db, failed));
    report("export a week's failed sessions (JSON)", timer.elapsed(),
           QStringLiteral("%1 KiB").arg(json.size() / 1024));
    ReportSelection one;
    one.nowMs = endMs;
    one.sessionIds = {longId};
    timer.restart();
    const QByteArray longHtml = HtmlReportWriter::write(ReportData::build(db, one));
    report("export the 500,000-line session (HTML)", timer.elapsed(),
           QStringLiteral("%1 MiB").arg(longHtml.size() / 1024 / 1024));
    return 0;
}
