// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// Start-up benchmark (issue 7, benchmark 6): the window started on a history
// database of many sessions (bench_history --keep DIR makes one): time to the
// first painted window, and until every session is listed in the table, with
// the longest event-loop stall meanwhile.
//
//   bench_startup --history DIR/history.db [--expect 100000]
//
// Runs offscreen unless told otherwise; settings go to a scratch directory so
// neither the user's filters nor the first-start page change what is timed.
// Not a ctest test: it reports numbers (scripts/bench.sh).
#include "mainwindow.h"
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
    qint64 last = clock.elapsed(), longestStall = 0;
    QTimer pulse;
    pulse.setInterval(1);
    QObject::connect(&pulse, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        longestStall = std::max(longestStall, now - last);
        last = now;
    });
    pulse.start();

    qint64 listedMs = -1;
    int listed = 0;
    QTimer check;
    check.setInterval(5);
    QObject::connect(&check, &QTimer::timeout, [&] {
        listed = window.sessionTable()->model()->rowCount();
        if (listed >= expect && firstPaint.paintedMs() >= 0) {
            listedMs = clock.elapsed();
            app.quit();
        }
    });
    check.start();
    QTimer::singleShot(300000, &app, &QCoreApplication::quit); // a bound, not a result
    QApplication::exec();

    std::printf("6. start-up on %s (%.0f MiB), %d sessions expected\n", qPrintable(historyPath),
                double(QFileInfo(historyPath).size()) / 1048576, expect);
    std::printf("  QApplication ready                %7.3f s\n", double(appMs) / 1000);
    std::printf("  window constructed and shown      %7.3f s\n", double(shownMs) / 1000);
    std::printf("  first paint                       %7.3f s   target < 1 s: %s\n",
                double(firstPaint.paintedMs()) / 1000,
                firstPaint.paintedMs() >= 0 && firstPaint.paintedMs() < 1000 ? "met" : "MISSED");
    std::printf("  all sessions listed               %7.3f s   %d rows in the table, %d in the "
                "store%s\n",
                double(listedMs) / 1000, listed, window.store()->count(),
                listedMs < 0 ? " (TIMED OUT)" : "");
    std::printf("  longest event-loop stall meanwhile %6lld ms, RSS %.0f MiB\n",
                static_cast<long long>(longestStall), rssMiB());
    return listedMs < 0 ? 1 : 0;
}
