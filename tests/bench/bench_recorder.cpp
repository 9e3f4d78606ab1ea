// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// Recorder throughput (issue 18, item 2): how many log lines a second the
// history records with its full-text index, through the real path (the
// HistoryRecorder's thread, its transactions, spool positions with every
// batch), beside the sqlite3 shell importing the same lines into the same
// schema.
//
//   bench_recorder [--lines N] [--sessions N] [--batch EVENTS] [--dir DIR]
//
// The events are made first and queued in batches of --batch events, as the
// collector hands them over (one spool poll each); the clock runs from the
// first batch to the last line committed and indexed. Not a ctest test: it
// reports numbers (scripts/bench.sh --only recorder).
#include "history/historydatabase.h"
#include "history/historyrecorder.h"
#include "protocol/event.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <cstdio>
#include <sys/resource.h>

using namespace kw;

namespace {

struct Options {
    qint64 lines = 2000000;
    int sessions = 200;
    int batch = 2000; // 200 sessions x 10 lines: one 10 ms tick of bench_window
    QString dir;
};

Options parse(const QStringList &args) {
    Options o;
    for (int i = 1; i + 1 < args.size(); i += 2) {
        const QString &a = args[i];
        if (a == QLatin1String("--lines"))
            o.lines = args[i + 1].toLongLong();
        else if (a == QLatin1String("--sessions"))
            o.sessions = args[i + 1].toInt();
        else if (a == QLatin1String("--batch"))
            o.batch = args[i + 1].toInt();
        else if (a == QLatin1String("--dir"))
            o.dir = args[i + 1];
    }
    return o;
}

// What restic (-v), rsync (-v) and borg (--list) print: mostly one path a
// line, now and then a warning or an error.
class LineMaker {
public:
    QByteArray path() {
        static const char *const roots[] = {"/home/alice/Documents/",
                                            "/home/bob/Pictures/2026/",
                                            "/srv/data/projects/",
                                            "/var/lib/postgresql/15/main/base/",
                                            "/etc/",
                                            "/home/carol/.cache/mozilla/firefox/",
                                            "/opt/gitlab/data/repositories/",
                                            "/var/log/journal/"};
        static const char *const dirs[] = {"src", "build", "docs", "img",    "archive",
                                           "tmp", "2025",  "2026", "backup", "config"};
        static const char *const exts[] = {".txt", ".jpg", ".cpp",  ".h",      ".pdf",
                                           ".odt", ".log", ".json", ".tar.gz", ""};
        QByteArray p(roots[m_random.bounded(8)]);
        p += dirs[m_random.bounded(10)];
        p += '/';
        p += dirs[m_random.bounded(10)];
        p += "/file";
        p += QByteArray::number(m_random.bounded(1000000));
        p += exts[m_random.bounded(10)];
        return p;
    }
    std::pair<LogLevel, QByteArray> line(int tool) {
        const quint32 roll = m_random.bounded(1000);
        if (roll == 0)
            return {LogLevel::Error, tool == 2 ? path() + ": [Errno 13] Permission denied"
                                               : "error: open " + path() + ": permission denied"};
        if (roll < 10)
            return {LogLevel::Warning, "file changed as we read it: " + path()};
        switch (tool) {
        case 0: {
            static const char *const verbs[] = {"unchanged ", "modified  ", "new       "};
            return {LogLevel::Info, verbs[m_random.bounded(3)] + path()};
        }
        case 1:
            return {LogLevel::Info, path().mid(1)}; // rsync: relative to the source
        default: {
            static const char *const flags[] = {"A ", "M ", "U "};
            return {LogLevel::Info, flags[m_random.bounded(3)] + path()};
        }
        }
    }

private:
    QRandomGenerator m_random{42};
};

struct Workload {
    QList<QList<Event>> batches;
    QList<HistoryRecorder::Positions> positions; // per batch, as the collector sends them
    qint64 lines = 0;
    QByteArray shellInput; // the log lines, for the shell: session pk, seq, ts, level, msg
};

// Sessions are numbered from 1 in the order of their start events: the
// primary keys the recorder gives them in a fresh database.
Workload makeWorkload(const Options &o, const QString &spoolDir) {
    Workload w;
    LineMaker maker;
    QRandomGenerator pick(7);
    const qint64 t0 = 1795000000000;
    const QString source = QStringLiteral("spool");
    auto id = [](int s) {
        return QStringLiteral("bench-%1").arg(s, 3, 10, QLatin1Char('0'));
    };
    std::vector<qint64> seq(size_t(o.sessions), 0), offset(size_t(o.sessions), 0);
    QList<Event> batch;
    HistoryRecorder::Positions moved;
    auto move = [&](int s, qint64 bytes) {
        offset[size_t(s)] += bytes;
        moved.insert(
            spoolDir + QLatin1Char('/') + id(s) + QLatin1String(".jsonl"),
            SpoolTailer::Position{1, quint64(1000 + s), offset[size_t(s)], seq[size_t(s)]});
    };
    auto cut = [&](bool last) {
        if (batch.size() >= o.batch || (last && !batch.isEmpty())) {
            w.batches.append(std::exchange(batch, {}));
            w.positions.append(std::exchange(moved, {}));
        }
    };
    for (int s = 0; s < o.sessions; ++s) {
        StartPayload start;
        start.kind = SessionKind::Backup;
        start.tool = QLatin1String(s % 3 == 0 ? "restic" : s % 3 == 1 ? "rsync" : "borg");
        start.host = QStringLiteral("host%1").arg(s % 12);
        start.title = QStringLiteral("nightly %1").arg(s);
        start.target = QStringLiteral("/srv/backup/repo%1").arg(s % 20);
        start.command = {start.tool, QStringLiteral("backup"), QStringLiteral("/home")};
        batch.append(Event{id(s), source, t0, start});
        move(s, 300);
        cut(false);
    }
    w.shellInput.reserve(o.lines * 80);
    for (qint64 i = 0; i < o.lines; ++i) {
        const int s = int(pick.bounded(o.sessions));
        const qint64 ts = t0 + i * 1000 / (o.sessions * 1000); // 1,000 lines/s a session
        auto [level, message] = maker.line(s % 3);
        w.shellInput += QByteArray::number(s + 1) + '\x1f' + QByteArray::number(seq[size_t(s)])
                        + '\x1f' + QByteArray::number(ts) + '\x1f' + QByteArray::number(int(level))
                        + '\x1f' + message + '\x1e';
        ++seq[size_t(s)];
        batch.append(Event{id(s), source, ts, LogPayload{level, message, QString()}});
        move(s, message.size() + 90);
        // Progress 4 times a second a session, as restic prints it.
        if (seq[size_t(s)] % 250 == 0) {
            ProgressPayload p;
            p.percent = double(i) * 100 / double(o.lines);
            p.bytesDone = seq[size_t(s)] * 4096;
            p.filesDone = seq[size_t(s)];
            p.current = QString::fromUtf8(message);
            batch.append(Event{id(s), source, ts, p});
        }
        cut(false);
    }
    w.lines = o.lines;
    for (int s = 0; s < o.sessions; ++s) {
        batch.append(Event{id(s), source, t0 + o.lines / o.sessions + 1000,
                           EndPayload{SessionState::Succeeded, 0, std::nullopt, QString()}});
        move(s, 200);
    }
    cut(true);
    return w;
}

double perSecond(qint64 n, qint64 ms) {
    return double(n) * 1000 / double(std::max<qint64>(ms, 1));
}

// CPU seconds of this process (the recorder's thread, while the main one
// waits) or of the children waited for (the shell): on a machine others
// share, the wall clock says how busy it was as much as how fast we are.
double cpuSeconds(int who) {
    rusage u{};
    getrusage(who, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

QByteArray loadAverage() {
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? f.readAll().split(' ').mid(0, 3).join(' ') : "?";
}

// What the database holds: lines, and lines the index finds.
std::pair<qint64, qint64> countLines(const QString &path) {
    HistoryDatabase db;
    if (!db.openForReading(path))
        return {-1, -1};
    QSqlQuery q(db.connection());
    qint64 lines = -1, indexed = -1;
    if (q.exec(QStringLiteral("SELECT count(*) FROM log_lines")) && q.next())
        lines = q.value(0).toLongLong();
    // Every generated line holds "file" followed by digits, a token of its
    // own: each line is found by the prefix query exactly once.
    if (q.exec(QStringLiteral("SELECT count(*) FROM log_search WHERE log_search MATCH 'file*'"))
        && q.next())
        indexed = q.value(0).toLongLong();
    return {lines, indexed};
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const Options o = parse(app.arguments());
    QTemporaryDir tmp;
    const QString dir = o.dir.isEmpty() ? tmp.path() : o.dir;
    QDir().mkpath(dir);
    const QString spoolDir = dir + QStringLiteral("/spool");
    QDir().mkpath(spoolDir);

    const Workload w = makeWorkload(o, spoolDir);
    qint64 events = 0;
    for (const auto &b : w.batches)
        events += b.size();
    std::printf("recorder benchmark: %lld log lines (%lld events) of %d sessions, in %lld batches "
                "of %d events\n",
                static_cast<long long>(w.lines), static_cast<long long>(events), o.sessions,
                static_cast<long long>(w.batches.size()), o.batch);
    std::fflush(stdout);

    // Keepwatch: the recorder, fed everything at once; it drains at stop
    // for as long as it takes.
    const QString path = dir + QStringLiteral("/history.db");
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
    std::printf("load average at start: %s\n", loadAverage().constData());
    QElapsedTimer timer;
    const double cpu0 = cpuSeconds(RUSAGE_SELF);
    timer.start();
    {
        HistoryRecorder::Options options;
        options.databasePath = path;
        options.spoolDirectory = spoolDir;
        options.maxPendingEvents = events + 1;
        options.drainOnStopMs = 3600 * 1000;
        HistoryRecorder recorder(options);
        for (qsizetype i = 0; i < w.batches.size(); ++i)
            recorder.record(w.batches[i], w.positions[i]);
        // Joined here, once the last batch is committed.
        for (const SourceError &e : recorder.takeErrors())
            std::printf("  said: %s\n", qPrintable(e.message));
    }
    const qint64 recordMs = timer.elapsed();
    const double recordCpu = cpuSeconds(RUSAGE_SELF) - cpu0;
    std::printf("%-40s %8.3f s  %9.0f lines/s  CPU %6.2f s  %9.0f lines/CPU-s  (committed with "
                "their spool positions)\n",
                "Keepwatch: HistoryRecorder, recorded", double(recordMs) / 1000,
                perSecond(w.lines, recordMs), recordCpu, double(w.lines) / recordCpu);
    // What the recorder left for later (it indexes in bulk when idle, and
    // a search indexes the rest first): the time to index it counts too.
    qint64 pending = 0;
    {
        HistoryDatabase db;
        if (!db.open(path)) {
            std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(path),
                         qPrintable(db.errorString()));
            return 1;
        }
        pending = db.pendingLogLines();
        if (!db.indexPendingLogLines())
            std::printf("  cannot index: %s\n", qPrintable(db.errorString()));
    }
    const qint64 recorderMs = timer.elapsed();
    const double recorderCpu = cpuSeconds(RUSAGE_SELF) - cpu0;
    const auto [recorded, indexed] = countLines(path);
    const double recorderRate = perSecond(w.lines, recorderMs);
    std::printf(
        "%-40s %8.3f s  %9.0f lines/s  CPU %6.2f s  %9.0f lines/CPU-s  (%lld lines stored, %lld "
        "of them indexed after the recorder, %lld found by the index)  %lld MiB\n",
        "Keepwatch: recorded and indexed", double(recorderMs) / 1000, recorderRate, recorderCpu,
        double(w.lines) / recorderCpu, static_cast<long long>(recorded),
        static_cast<long long>(pending), static_cast<long long>(indexed),
        static_cast<long long>(
            (QFileInfo(path).size() + QFileInfo(path + QLatin1String("-wal")).size()) >> 20));
    std::fflush(stdout);

    // Baseline: an empty database of the same schema (the one the recorder
    // makes), the same lines in a file, the sqlite3 shell importing them in
    // one transaction and indexing them in bulk.
    const QString shellPath = dir + QStringLiteral("/shell.db");
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(shellPath + QLatin1String(suffix));
    bool triggerIndexes = false;
    {
        HistoryDatabase db;
        if (!db.open(shellPath)) {
            std::fprintf(stderr, "cannot create %s: %s\n", qPrintable(shellPath),
                         qPrintable(db.errorString()));
            return 1;
        }
        QSqlQuery q(db.connection());
        // Were the index kept by a trigger, a bulk insert would index twice.
        triggerIndexes =
            q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                  " AND tbl_name = 'log_lines' AND sql LIKE '%AFTER INSERT%'"))
            && q.next() && q.value(0).toLongLong() > 0;
    }
    const QString input = dir + QStringLiteral("/lines.txt");
    {
        QFile f(input);
        if (!f.open(QIODevice::WriteOnly) || f.write(w.shellInput) != w.shellInput.size()) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(input));
            return 1;
        }
    }
    QString script =
        QStringLiteral(
            "PRAGMA synchronous=NORMAL;\n"
            "CREATE TEMP TABLE staging(session INTEGER, seq INTEGER, ts INTEGER, level INTEGER,"
            " msg TEXT);\n"
            ".mode ascii\n"
            ".import %1 staging\n"
            "BEGIN;\n"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %2)"
            " INSERT INTO sessions(pk, source, id, kind, state, first_event_ms, last_event_ms)"
            " SELECT i, 'spool', 'bench-' || i, 'backup', 'succeeded', 0, 0 FROM n;\n"
            "INSERT INTO log_lines(session, seq, ts, level, msg)"
            " SELECT session, seq, ts, level, msg FROM staging;\n")
            .arg(input)
            .arg(o.sessions);
    if (!triggerIndexes)
        script +=
            QStringLiteral("INSERT INTO log_search(rowid, msg) SELECT id, msg FROM log_lines;\n");
    script += QStringLiteral("COMMIT;\n");
    QProcess shell;
    shell.setProcessChannelMode(QProcess::ForwardedChannels);
    const double shellCpu0 = cpuSeconds(RUSAGE_CHILDREN);
    timer.restart();
    shell.start(QStringLiteral("sqlite3"), {QStringLiteral("-batch"), shellPath});
    shell.write(script.toUtf8());
    shell.closeWriteChannel();
    if (!shell.waitForFinished(3600 * 1000) || shell.exitCode() != 0) {
        std::printf("  (no sqlite3 shell, or it failed: no baseline)\n");
        return recorded == w.lines && indexed == w.lines ? 0 : 1;
    }
    const qint64 shellMs = timer.elapsed();
    const double shellCpu = cpuSeconds(RUSAGE_CHILDREN) - shellCpu0;
    const auto [shellLines, shellIndexed] = countLines(shellPath);
    const double shellRate = perSecond(w.lines, shellMs);
    std::printf("%-40s %8.3f s  %9.0f lines/s  CPU %6.2f s  %9.0f lines/CPU-s  (%lld lines "
                "stored, %lld found by the index)\n",
                "baseline: sqlite3 shell .import", double(shellMs) / 1000, shellRate, shellCpu,
                double(w.lines) / shellCpu, static_cast<long long>(shellLines),
                static_cast<long long>(shellIndexed));
    std::printf("Keepwatch recorded and indexed / sqlite3 shell: %.2f by the clock, %.2f by CPU\n",
                recorderRate / shellRate, shellCpu / recorderCpu);
    std::printf("target 400,000 lines/s: recorded %s, recorded and indexed %s\n",
                perSecond(w.lines, recordMs) >= 400000 ? "met" : "missed",
                recorderRate >= 400000 ? "met" : "missed");
    std::printf("load average at end: %s\n", loadAverage().constData());
    const bool complete = recorded == w.lines && indexed == w.lines;
    if (!complete)
        std::printf("  MISSING: not every line is stored and found\n");
    return complete ? 0 : 1;
}
