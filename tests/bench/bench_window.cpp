// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// Live-load benchmark (issues 5 and 7): N sessions each writing R log lines
// a second through the real spool (a separate producer process), the real
// collector and the real window with a log pane following one session.
// Reports the longest event-loop stall, event-to-store latency, CPU and
// memory, for the window without and with the history database.
//
//   bench_window [--sessions 200] [--rate 1000] [--seconds 20] [--history]
//
// Not a ctest test: it reports numbers (scripts/bench.sh).
#include "history/historydatabase.h"
#include "logpane.h"
#include "mainwindow.h"
#include "protocol/event.h"
#include "protocol/eventcodec.h"
#include "protocol/timestamp.h"
#include "spool/spoolwriter.h"
#include "store/sessionstore.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <sys/resource.h>
#include <vector>

using namespace kw;

namespace {

struct Options {
    int sessions = 200;
    int rate = 1000; // lines per second per session
    int seconds = 20;
    bool history = false;
    QString produceInto; // the producer's mode
};

Options parse(const QStringList &args) {
    Options o;
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        const QString next = i + 1 < args.size() ? args[i + 1] : QString();
        if (a == QLatin1String("--sessions"))
            o.sessions = next.toInt(), ++i;
        else if (a == QLatin1String("--rate"))
            o.rate = next.toInt(), ++i;
        else if (a == QLatin1String("--seconds"))
            o.seconds = next.toInt(), ++i;
        else if (a == QLatin1String("--history"))
            o.history = true;
        else if (a == QLatin1String("--produce"))
            o.produceInto = next, ++i;
    }
    return o;
}

// The producer: every 10 ms, each session appends its share of lines in one
// write (as a wrapper does with a tool's output), and progress 4 times a second.
int produce(const Options &o) {
    std::vector<SpoolWriter> writers(size_t(o.sessions));
    const qint64 t0 = Timestamp::nowMs();
    for (int s = 0; s < o.sessions; ++s) {
        const QString id = QStringLiteral("bench-%1").arg(s);
        if (!writers[size_t(s)].open(o.produceInto, id, SpoolWriter::Mode::CreateNew)) {
            std::fprintf(stderr, "producer: %s\n", qPrintable(writers[size_t(s)].errorString()));
            return 1;
        }
        StartPayload start;
        start.kind = SessionKind::Backup;
        start.tool = QStringLiteral("restic");
        start.title = QStringLiteral("bench %1").arg(s);
        QByteArray out;
        EventEncoder::encodeInto(out, Event{id, {}, t0, start});
        writers[size_t(s)].append(out);
    }
    const int perTick = std::max(1, o.rate / 100);
    QElapsedTimer clock;
    clock.start();
    qint64 line = 0;
    for (qint64 tick = 0; clock.elapsed() < qint64(o.seconds) * 1000; ++tick) {
        const qint64 now = Timestamp::nowMs();
        for (int s = 0; s < o.sessions; ++s) {
            const QString id = QStringLiteral("bench-%1").arg(s);
            QByteArray out;
            for (int i = 0; i < perTick; ++i, ++line) {
                const QByteArray msg = "/srv/data/projects/p" + QByteArray::number(line % 977)
                                       + "/src/module" + QByteArray::number(line % 31) + "/file"
                                       + QByteArray::number(line) + ".cpp";
                EventEncoder::encodeInto(out,
                                         Event{id, {}, now, LogPayload{LogLevel::Info, msg, {}}});
            }
            if (tick % 25 == 0) {
                ProgressPayload p;
                p.percent = double(clock.elapsed()) / (o.seconds * 10.0);
                p.bytesDone = line * 4096;
                EventEncoder::encodeInto(out, Event{id, {}, now, p});
            }
            writers[size_t(s)].append(out);
        }
        const qint64 due = (tick + 1) * 10;
        if (due > clock.elapsed())
            QThread::msleep(ulong(due - clock.elapsed()));
    }
    std::printf("%lld\n", static_cast<long long>(line));
    return 0;
}

double peakRssMiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly))
        for (const QByteArray &l : status.readAll().split('\n'))
            if (l.startsWith("VmHWM:"))
                return l.simplified().split(' ').value(1).toDouble() / 1024;
    return 0;
}

double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const Options o = parse(app.arguments());
    if (!o.produceInto.isEmpty())
        return produce(o);

    QTemporaryDir dir;
    const QString spool = dir.filePath(QStringLiteral("spool"));
    QDir().mkpath(spool);
    const QString historyPath = o.history ? dir.filePath(QStringLiteral("history.db")) : QString();
    auto window = std::make_unique<MainWindow>(spool, historyPath);
    window->resize(1280, 800);
    window->show();

    QProcess producer;
    producer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    producer.start(QCoreApplication::applicationFilePath(),
                   {QStringLiteral("--produce"), spool, QStringLiteral("--sessions"),
                    QString::number(o.sessions), QStringLiteral("--rate"), QString::number(o.rate),
                    QStringLiteral("--seconds"), QString::number(o.seconds)});

    // The event loop's pulse: a 1 ms timer; a gap is a stall.
    QElapsedTimer pulse;
    pulse.start();
    qint64 last = 0, longestStall = 0, longestStallAtMs = 0, catchUpStall = 0;
    bool inLoad = true;
    std::vector<std::pair<qint64, qint64>> longStalls; // (ms, ending at ms), >= 50 ms
    std::vector<qint64> stalls;
    QTimer ticker;
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = pulse.elapsed();
        const qint64 gap = now - last;
        last = now;
        if (!inLoad) { // the history catching up
            catchUpStall = std::max(catchUpStall, gap);
            return;
        }
        stalls.push_back(gap);
        if (gap >= 50)
            longStalls.push_back({gap, now});
        if (gap > longestStall)
            longestStallAtMs = now;
        longestStall = std::max(longestStall, gap);
    });
    // Latency: from the producer's timestamp of a session's newest line to
    // the store holding it (the table and the pane repaint on that change).
    std::vector<qint64> latencies;
    bool paneOpened = false;
    SessionStore *store = window->store();
    QObject::connect(store, &SessionStore::changed, [&](const StoreChange &change) {
        const qint64 now = Timestamp::nowMs();
        for (int row : change.logRows) {
            const LogBuffer &log = store->log(row);
            if (!log.isEmpty())
                latencies.push_back(now - log.line(log.endSeq() - 1).timestampMs);
        }
        if (!paneOpened && store->count() > 0) {
            paneOpened = true;
            window->openLog(store->at(0).key);
        }
    });

    QElapsedTimer wall;
    const double cpu0 = cpuSeconds();
    QTimer::singleShot(500, [&] {
        wall.start();
        last = pulse.elapsed();
        ticker.start();
    });
    QObject::connect(&producer, &QProcess::finished, [&] {
        // Let the last lines arrive, then stop.
        QTimer::singleShot(2000, &app, &QCoreApplication::quit);
    });
    QApplication::exec();
    const qint64 loadMs = wall.elapsed();
    inLoad = false;
    const double cpu = cpuSeconds() - cpu0;
    const qint64 produced = producer.readAllStandardOutput().trimmed().toLongLong();
    // With the history: the window stays open until the history holds every
    // line (a recorder that fell behind reads the spool itself and catches
    // up once the load is over), the pulse still measured. Summed from the
    // sessions' rows, which are committed with their lines: no scan of the
    // lines table beside the recorder.
    qint64 catchUpMs = -1;
    if (o.history) {
        HistoryDatabase reader;
        QElapsedTimer waited;
        waited.start();
        QTimer check;
        QObject::connect(&check, &QTimer::timeout, [&] {
            qint64 recorded = -1;
            if (reader.isOpen() || reader.openForReading(historyPath)) {
                QSqlQuery q(reader.connection());
                if (q.exec(QStringLiteral("SELECT sum(log_lines) FROM sessions")) && q.next())
                    recorded = q.value(0).toLongLong();
            }
            if (recorded == produced || waited.elapsed() > 300000) {
                if (recorded == produced)
                    catchUpMs = waited.elapsed();
                app.quit();
            }
        });
        check.start(250);
        QApplication::exec();
    }
    ticker.stop();
    qint64 stored = 0;
    for (int row = 0; row < store->count(); ++row)
        stored += store->at(row).logLines;

    std::sort(stalls.begin(), stalls.end());
    std::sort(latencies.begin(), latencies.end());
    auto pct = [](const std::vector<qint64> &v, double p) {
        return v.empty() ? qint64(0) : v[std::min(v.size() - 1, size_t(double(v.size()) * p))];
    };
    std::printf("window live load: %d sessions x %d lines/s for %d s, history %s\n", o.sessions,
                o.rate, o.seconds, o.history ? "on" : "off");
    std::printf("  lines produced %lld, in the store %lld (%s)\n", static_cast<long long>(produced),
                static_cast<long long>(stored), produced == stored ? "all" : "MISSING");
    std::printf("  event-loop stall: longest %lld ms (ending %.1f s into the load), p99 %lld ms, "
                "p50 %lld ms (target < 50 ms)\n",
                static_cast<long long>(longestStall), double(longestStallAtMs - 500) / 1000,
                static_cast<long long>(pct(stalls, 0.99)),
                static_cast<long long>(pct(stalls, 0.5)));
    if (!longStalls.empty()) {
        std::printf("  stalls of 50 ms or more:");
        for (const auto &[ms, at] : longStalls)
            std::printf(" %lld ms at %.1f s;", static_cast<long long>(ms), double(at - 500) / 1000);
        // For `perf record -k CLOCK_MONOTONIC`: when the first one ended.
        std::printf(
            " (the first ended at %.3f s on CLOCK_MONOTONIC)\n",
            double(pulse.msecsSinceReference() - pulse.elapsed() + longStalls.front().second)
                / 1000);
    }
    std::printf(
        "  line to store latency: p50 %lld ms, p95 %lld ms, max %lld ms (target < 250 ms)\n",
        static_cast<long long>(pct(latencies, 0.5)), static_cast<long long>(pct(latencies, 0.95)),
        static_cast<long long>(latencies.empty() ? 0 : latencies.back()));
    std::printf(
        "  window process CPU %.1f s over %.1f s wall (%.0f %% of one core), peak RSS %.0f MiB\n",
        cpu, double(loadMs) / 1000, 100 * cpu / (double(loadMs) / 1000), peakRssMiB());
    for (const SourceError &e : store->recentErrors())
        std::printf("  said: %s\n", qPrintable(e.message));
    if (!o.history)
        return produced == stored ? 0 : 1;
    if (catchUpMs >= 0)
        std::printf("  the history held every line %.1f s after the load (2 s after the last "
                    "line); longest stall meanwhile %lld ms\n",
                    double(catchUpMs + 2000) / 1000, static_cast<long long>(catchUpStall));
    else
        std::printf("  the history did NOT hold every line 300 s after the load\n");
    // Closed, the window's recorder writes what it still has queued (for
    // its drain time at most); what was not committed is recorded from the
    // spool at the next start. Did this run record every line?
    QElapsedTimer closing;
    closing.start();
    window.reset();
    const qint64 closeMs = closing.elapsed();
    qint64 recorded = -1, pending = -1;
    {
        HistoryDatabase db;
        if (db.open(historyPath)) {
            QSqlQuery q(db.connection());
            if (q.exec(QStringLiteral("SELECT count(*) FROM log_lines")) && q.next())
                recorded = q.value(0).toLongLong();
            pending = db.pendingLogLines();
        }
    }
    std::printf("  lines in the history %lld (%s), %lld of them left to index (a search indexes "
                "them first); the window took %lld ms to close\n",
                static_cast<long long>(recorded), recorded == produced ? "all" : "MISSING",
                static_cast<long long>(pending), static_cast<long long>(closeMs));
    return produced == stored && recorded == produced ? 0 : 1;
}
