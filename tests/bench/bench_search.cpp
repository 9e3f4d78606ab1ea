// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// Search benchmark (issue 18): the history's full-text search over a
// 10-million-line history (bench_history --keep DIR makes one), beside its
// baselines in the same run: `grep -r -F` over the same lines as a spool
// (written once from the database, in the spool's own format), and the
// `sqlite3` shell running the same FTS5 query. For each query: the time to
// the first line found and to all of them, and how many.
//
//   bench_search --history DIR/history.db --spool DIR2 [--runs 3]
//
// Keepwatch's figures are HistorySearch::forEach, what both the window's
// Search All Logs (in the order recorded, first line at once) and
// keepwatch-cli search (by time, --limit 100) run. Not a ctest test: it
// reports numbers (scripts/bench.sh).
#include "history/historydatabase.h"
#include "history/historysearch.h"
#include "protocol/eventcodec.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QVariant>
#include <algorithm>
#include <cstdio>
#include <limits>
#include <vector>

using namespace kw;

namespace {

struct Query {
    const char *typed; // as a user types it (Keepwatch)
    const char *fixed; // the same as grep -F's fixed string
};

// bench_history's lines: "<one of 5 paths>file<0..999999>.dat".
const Query kQueries[] = {
    {"file123456.dat", "file123456.dat"},                                                 // rare
    {"file12345*", "file12345"},                                                          // prefix
    {"/home/bob/Pictures/2026/file777777.dat", "/home/bob/Pictures/2026/file777777.dat"}, // path
    {"Pictures/2026", "Pictures/2026"}, // a fifth of all
};

struct Timing {
    qint64 firstMs = -1;
    qint64 allMs = -1;
    qint64 lines = 0;
};

// Runs `program` and reads its output as it comes: when the first line
// came, when the last, and how many lines.
Timing timeProcess(const QString &program, const QStringList &args) {
    Timing t;
    QProcess p;
    QElapsedTimer timer;
    timer.start();
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return t;
    QByteArray pending;
    while (p.state() != QProcess::NotRunning || p.bytesAvailable() > 0) {
        if (p.bytesAvailable() == 0 && !p.waitForReadyRead(600000) && p.bytesAvailable() == 0) {
            if (p.state() == QProcess::NotRunning)
                break;
            continue;
        }
        const QByteArray chunk = p.readAllStandardOutput();
        const qint64 newlines = chunk.count('\n');
        if (newlines > 0 && t.firstMs < 0)
            t.firstMs = timer.elapsed();
        t.lines += newlines;
    }
    p.waitForFinished(-1);
    t.allMs = timer.elapsed();
    return t;
}

Timing timeKeepwatch(HistoryDatabase &db, const QString &typed, HistorySearch::Order order,
                     int limit) {
    Timing t;
    SearchQuery query;
    query.text = typed;
    query.limit = limit;
    QElapsedTimer timer;
    timer.start();
    QString error;
    HistorySearch::forEach(
        db, query, order,
        [&](SearchHit &&) {
            if (t.firstMs < 0)
                t.firstMs = timer.elapsed();
            ++t.lines;
            return true;
        },
        &error);
    t.allMs = timer.elapsed();
    if (!error.isEmpty())
        std::fprintf(stderr, "search failed: %s\n", qPrintable(error));
    return t;
}

// The spool the history's lines would have come from: one file per session
// with its start and log events, as keepwatch-cli run writes them.
bool writeSpool(const QString &db, const QString &dir) {
    QDir().mkpath(dir);
    HistoryDatabase history;
    if (!history.openForReading(db))
        return false;
    QSqlQuery q(history.connection());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT s.id, s.tool, s.host, l.ts, l.level, l.msg FROM log_lines l"
                               " JOIN sessions s ON s.pk = l.session ORDER BY l.session, l.seq")))
        return false;
    QString current;
    QFile file;
    QByteArray out;
    qint64 lines = 0;
    while (q.next()) {
        const QString id = q.value(0).toString();
        if (id != current) {
            if (file.isOpen()) {
                file.write(out);
                file.close();
            }
            out.clear();
            current = id;
            file.setFileName(dir + QLatin1Char('/') + id + QStringLiteral(".jsonl"));
            if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
                return false;
            StartPayload start;
            start.tool = q.value(1).toString();
            start.host = q.value(2).toString();
            EventEncoder::encodeInto(
                out, Event{id, QStringLiteral("spool"), q.value(3).toLongLong(), start});
        }
        EventEncoder::encodeInto(
            out, Event{id, QStringLiteral("spool"), q.value(3).toLongLong(),
                       LogPayload{LogLevel(q.value(4).toInt()), q.value(5).toByteArray(), {}}});
        if (out.size() > (1 << 20)) {
            file.write(out);
            out.clear();
        }
        ++lines;
    }
    if (file.isOpen())
        file.write(out);
    std::printf("  spool written: %lld lines in %s\n", static_cast<long long>(lines),
                qPrintable(dir));
    return true;
}

template<typename F>
Timing best(int runs, F &&run) {
    Timing bestTiming;
    for (int i = 0; i < runs; ++i) {
        const Timing t = run();
        if (bestTiming.allMs < 0 || t.allMs < bestTiming.allMs)
            bestTiming = t;
    }
    return bestTiming;
}

void row(const char *what, const Timing &t) {
    std::printf("    %-38s first %8.3f s   all %8.3f s   %9lld lines\n", what,
                double(t.firstMs) / 1000, double(t.allMs) / 1000, static_cast<long long>(t.lines));
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QString dbPath, spool;
    int runs = 3;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--history"))
            dbPath = args[i + 1];
        else if (args[i] == QLatin1String("--spool"))
            spool = args[i + 1];
        else if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
    }
    if (dbPath.isEmpty() || spool.isEmpty() || !QFile::exists(dbPath)) {
        std::fprintf(stderr, "usage: bench_search --history FILE --spool DIR [--runs N]\n");
        return 2;
    }
    std::printf("search benchmark over %s (best of %d runs, page cache warm)\n", qPrintable(dbPath),
                runs);
    const QString complete = spool + QStringLiteral("/.complete");
    if (!QFile::exists(complete)) {
        QElapsedTimer timer;
        timer.start();
        if (!writeSpool(dbPath, spool)) {
            std::fprintf(stderr, "cannot write the spool %s\n", qPrintable(spool));
            return 1;
        }
        QFile(complete).open(QIODevice::WriteOnly);
        std::printf("  (%.1f s)\n", double(timer.elapsed()) / 1000);
    }
    HistoryDatabase db;
    if (!db.openForReading(dbPath)) {
        std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(dbPath),
                     qPrintable(db.errorString()));
        return 1;
    }
    // Everything read once, so that no run pays for the disk.
    timeProcess(QStringLiteral("grep"), {QStringLiteral("-r"), QStringLiteral("-F"),
                                         QStringLiteral("-c"), QStringLiteral("zzzz"), spool});
    timeProcess(QStringLiteral("sqlite3"),
                {QStringLiteral("-readonly"), dbPath,
                 QStringLiteral("SELECT count(*) FROM log_search WHERE log_search MATCH 'zzzz';"
                                "SELECT sum(length(msg)) FROM log_lines;")});

    bool agree = true;
    for (const Query &query : kQueries) {
        const QString typed = QString::fromLatin1(query.typed);
        QString error;
        const std::optional<QString> fts = HistorySearch::ftsQuery(typed, &error);
        if (!fts) {
            std::fprintf(stderr, "%s: %s\n", query.typed, qPrintable(error));
            return 1;
        }
        std::printf("\n  %s   (FTS5: %s; grep -r -F %s)\n", query.typed, qPrintable(*fts),
                    query.fixed);
        const Timing recorded = best(runs, [&] {
            return timeKeepwatch(db, typed, HistorySearch::Order::AsRecorded,
                                 std::numeric_limits<int>::max());
        });
        row("Keepwatch, as recorded (window)", recorded);
        const Timing window = best(runs, [&] {
            return timeKeepwatch(db, typed, HistorySearch::Order::AsRecorded, 10000);
        });
        row("Keepwatch, window's first 10,000", window);
        const Timing byTime =
            best(runs, [&] { return timeKeepwatch(db, typed, HistorySearch::Order::ByTime, 100); });
        row("Keepwatch, by time, --limit 100 (CLI)", byTime);
        QString quoted = *fts;
        quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
        const Timing shell = best(runs, [&] {
            return timeProcess(
                QStringLiteral("sqlite3"),
                {QStringLiteral("-readonly"), dbPath,
                 QStringLiteral("SELECT l.msg FROM log_search JOIN log_lines l"
                                " ON l.id = log_search.rowid WHERE log_search MATCH '%1'")
                     .arg(quoted)});
        });
        row("sqlite3 shell, same FTS5 query", shell);
        const Timing grep = best(runs, [&] {
            return timeProcess(QStringLiteral("grep"),
                               {QStringLiteral("-r"), QStringLiteral("-F"), QStringLiteral("--"),
                                QString::fromLatin1(query.fixed), spool});
        });
        row("grep -r -F over the spool", grep);
        std::printf("    Keepwatch all / sqlite3 all = %.2f, Keepwatch all / grep all = %.3f, "
                    "first line: Keepwatch %lld ms, grep %lld ms\n",
                    double(recorded.allMs) / double(std::max<qint64>(shell.allMs, 1)),
                    double(recorded.allMs) / double(std::max<qint64>(grep.allMs, 1)),
                    static_cast<long long>(recorded.firstMs), static_cast<long long>(grep.firstMs));
        if (recorded.lines != shell.lines || recorded.lines != grep.lines) {
            std::printf("    MISMATCH: the three found different numbers of lines\n");
            agree = false;
        }
    }
    return agree ? 0 : 1;
}
