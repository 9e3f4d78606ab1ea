// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// Start-up benchmark (issue 7, benchmark 6; issue 18, items 3 and 5): the
// window started on a history database of many sessions (bench_history --keep
// DIR makes one): time to the first painted window, and until every session
// is listed in the table, with the longest event-loop stall meanwhile. Then
// the longest session's log (the most lines) is opened as a user would, and
// timed until its pane has every line, with the longest stall meanwhile.
// Each figure is printed beside its target.
//
//   bench_startup --history DIR/history.db [--expect 100000]
//
// Runs offscreen unless told otherwise; settings go to a scratch directory so
// neither the user's filters nor the first-start page change what is timed.
// Not a ctest test: it reports numbers (scripts/bench.sh).
#include "logpane.h"
#include "mainwindow.h"
#include "models/logmodel.h"
#include "store/sessionstore.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>

using namespace kw;

namespace {

double rssMiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly))
        for (const QByteArray &l : status.readAll().split('\n'))
            if (l.startsWith("VmRSS:"))
                return l.simplified().split(' ').value(1).toDouble() / 1024;
    return 0;
}

const char *verdict(bool met) {
    return met ? "met" : "MISSED";
}

// Notes the first paint event of any widget; the paint is done (flushed to
// the backing store) when the event loop comes back, so that is the time.
class FirstPaint final : public QObject {
public:
    explicit FirstPaint(const QElapsedTimer &clock)
        : m_clock(clock) {}
    qint64 paintedMs() const { return m_paintedMs; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, this, [this] { m_paintedMs = m_clock.elapsed(); });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer &m_clock;
    bool m_seen = false;
    qint64 m_paintedMs = -1;
};

} // namespace

int main(int argc, char **argv) {
    QElapsedTimer clock;
    clock.start();
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir scratch;
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(scratch.filePath(QStringLiteral("config"))));
    QApplication app(argc, argv);
    QString historyPath;
    int expect = 100000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--history"))
            historyPath = args[i + 1];
        else if (args[i] == QLatin1String("--expect"))
            expect = args[i + 1].toInt();
    }
    if (historyPath.isEmpty() || !QFileInfo::exists(historyPath)) {
        std::fprintf(stderr,
                     "usage: bench_startup --history FILE [--expect N] (no such file: %s)\n",
                     qPrintable(historyPath));
        return 2;
    }
    const qint64 appMs = clock.elapsed();
    FirstPaint firstPaint(clock);
    app.installEventFilter(&firstPaint);

    const QString spool = scratch.filePath(QStringLiteral("spool"));
    QDir().mkpath(spool);
    MainWindow window(spool, historyPath);
    window.resize(1280, 800);
    window.show();
    const qint64 shownMs = clock.elapsed();

    // The event loop's pulse while the history is read: a gap is a stall.
    qint64 last = clock.elapsed(), longestStall = 0, longestStallEnd = 0;
    QTimer pulse;
    pulse.setInterval(1);
    QObject::connect(&pulse, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        if (now - last > longestStall) {
            longestStall = now - last;
            longestStallEnd = now;
        }
        last = now;
    });
    pulse.start();

    // Phase 1: until every session is listed. Phase 2: the longest log,
    // opened once phase 1 is done, until its pane has every line.
    qint64 listedMs = -1, listStall = 0;
    int listed = 0;
    qint64 logOpenedMs = -1, openLogMs = -1, logFilledMs = -1, logStall = 0, logLines = 0;
    SessionKey longest;
    LogPane *pane = nullptr;
    const bool shortestLog = qgetenv("KEEPWATCH_BENCH_LOG") == "shortest";
    QTimer check;
    check.setInterval(5);
    QObject::connect(&check, &QTimer::timeout, [&] {
        if (listedMs < 0) {
            listed = window.sessionTable()->model()->rowCount();
            if (listed < expect || firstPaint.paintedMs() < 0)
                return;
            listedMs = clock.elapsed();
            listStall = longestStall;
            const SessionStore &store = *window.store();
            for (int row = 0; row < store.count(); ++row) {
                const qint64 lines = store.at(row).logLines;
                if (shortestLog ? lines > 0 && (logLines == 0 || lines < logLines)
                                : lines > logLines) {
                    logLines = lines;
                    longest = store.at(row).key;
                }
            }
            if (logLines == 0) {
                app.quit();
                return;
            }
            longestStall = 0;
            logOpenedMs = clock.elapsed();
            pane = window.openLog(longest);
            // Making the pane and the window's first paint with it are the
            // GUI's own work, whatever the log's length (timed apart;
            // KEEPWATCH_BENCH_LOG=shortest opens the shortest log instead, to
            // compare): the stall that counts is while the log is read and
            // appended.
            window.repaint();
            last = clock.elapsed();
            openLogMs = last - logOpenedMs;
            return;
        }
        if (pane
            && pane->model()->rowCount() >= std::min(logLines, SessionStore::kMaxHistoryLogLines)) {
            logFilledMs = clock.elapsed();
            logStall = longestStall;
            app.quit();
        }
    });
    check.start();
    QTimer::singleShot(300000, &app, &QCoreApplication::quit); // a bound, not a result
    QApplication::exec();
    if (listedMs < 0)
        listStall = longestStall;
    else if (logFilledMs < 0)
        logStall = longestStall;

    std::printf("6. start-up on %s (%.0f MiB), %d sessions expected\n", qPrintable(historyPath),
                double(QFileInfo(historyPath).size()) / 1048576, expect);
    std::printf("  QApplication ready                %7.3f s\n", double(appMs) / 1000);
    std::printf("  window constructed and shown      %7.3f s\n", double(shownMs) / 1000);
    std::printf("  first paint                       %7.3f s   target < 100 ms: %s\n",
                double(firstPaint.paintedMs()) / 1000,
                verdict(firstPaint.paintedMs() >= 0 && firstPaint.paintedMs() < 100));
    std::printf("  all sessions listed               %7.3f s   target <= 1 s: %s (%d rows in the "
                "table, %d in the store%s)\n",
                double(listedMs) / 1000, verdict(listedMs >= 0 && listedMs <= 1000), listed,
                window.store()->count(), listedMs < 0 ? ", TIMED OUT" : "");
    std::printf("  longest event-loop stall meanwhile %6lld ms\n",
                static_cast<long long>(listStall));
    if (listedMs >= 0 && logLines > 0) {
        std::printf("  %s log (%s, %lld lines) in its pane %7.3f s after openLog%s\n",
                    shortestLog ? "shortest" : "longest", qPrintable(longest.id),
                    static_cast<long long>(logLines), double(logFilledMs - logOpenedMs) / 1000,
                    logFilledMs < 0 ? " (TIMED OUT)" : "");
        std::printf("  openLog and the window's paint with the pane %4lld ms\n",
                    static_cast<long long>(openLogMs));
        std::printf("  longest event-loop stall meanwhile %6lld ms   target < 16 ms: %s\n",
                    static_cast<long long>(logStall), verdict(logFilledMs >= 0 && logStall < 16));
        // Where to look in a profile recorded with `perf record -k CLOCK_MONOTONIC`.
        std::printf("  (it ended %lld ms after openLog; CLOCK_MONOTONIC %.3f s)\n",
                    static_cast<long long>(longestStallEnd - logOpenedMs),
                    double(clock.msecsSinceReference() + longestStallEnd) / 1000);
    }
    std::printf("  RSS %.0f MiB\n", rssMiB());
    return listedMs < 0 || (logLines > 0 && logFilledMs < 0) ? 1 : 0;
}
