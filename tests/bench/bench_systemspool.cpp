// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// The system spool under a big load (issue 14): 20,000 session files and one
// 2 GiB session file in one user's directory of a system spool
// ($KEEPWATCH_SYSTEM_SPOOL, made here; the directory is the running user's,
// so the owner checks pass as they do for root's directory read by a member
// of group keepwatch).
//
// 1. The reader alone (SystemSpoolSource, polled back to back): how long
//    each poll takes and how many bytes it reads, against its budget, and
//    the time to read everything, beside `cat` and `grep -c` reading the
//    same files (page cache warm for all three).
// 2. The window (MainWindow on that spool, offscreen): the event loop's
//    longest stall while it takes all of it in, and the time until every
//    session is in the table and the big one's last line is in the store.
//
//   bench_systemspool [--files 20000] [--big-mib 2048] [--dir DIR]
//
// Not a ctest test: it reports numbers (scripts/bench.sh).
#include "mainwindow.h"
#include "platform/processprobe.h"
#include "protocol/event.h"
#include "protocol/eventcodec.h"
#include "protocol/timestamp.h"
#include "spool/systemspool.h"
#include "spool/systemspoolsource.h"
#include "store/sessionstore.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace kw;

namespace {

struct Options {
    int files = 20000;
    qint64 bigMiB = 2048;
    QString dir; // where the spool is made; a temporary directory by default
};

Options parse(const QStringList &args) {
    Options o;
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        const QString next = i + 1 < args.size() ? args[i + 1] : QString();
        if (a == QLatin1String("--files"))
            o.files = next.toInt(), ++i;
        else if (a == QLatin1String("--big-mib"))
            o.bigMiB = next.toLongLong(), ++i;
        else if (a == QLatin1String("--dir"))
            o.dir = next, ++i;
    }
    return o;
}

QByteArray encoded(const Event &e) {
    QByteArray out;
    EventEncoder::encodeInto(out, e);
    return out;
}

QByteArray startLine(const QString &id, qint64 ts, const QString &title) {
    StartPayload start;
    start.kind = SessionKind::Backup;
    start.tool = QStringLiteral("restic");
    start.title = title;
    return encoded(Event{id, {}, ts, start});
}

// What the spool holds, once written.
struct Made {
    QString directory; // ROOT/<user>
    qint64 bytes = 0;
    qint64 bigLines = 0;
};

// ROOT 0751 and ROOT/<user> 2750 as `system-spool init` makes them, for the
// user running this (its own group: no group keepwatch is needed to
// measure). The small sessions have ended; the big one is still running.
bool makeSpool(const Options &o, const QString &root, Made &made) {
    made.directory = root + QLatin1Char('/') + ProcessProbe::userName();
    if (!QDir().mkpath(made.directory))
        return false;
    ::chmod(QFile::encodeName(root).constData(), 0751);
    ::chmod(QFile::encodeName(made.directory).constData(), 02750);
    const qint64 t0 = Timestamp::nowMs() - 3600 * 1000;
    for (int i = 0; i < o.files; ++i) {
        const QString id = QStringLiteral("nightly-%1").arg(i);
        QByteArray out = startLine(id, t0 + i, QStringLiteral("nightly %1").arg(i));
        for (int l = 0; l < 3; ++l)
            out += encoded(Event{id,
                                 {},
                                 t0 + i + l,
                                 LogPayload{LogLevel::Info,
                                            "/srv/data/projects/p" + QByteArray::number(i) + "/file"
                                                + QByteArray::number(l) + ".dat",
                                            {}}});
        EndPayload end;
        end.state = SessionState::Succeeded;
        end.exitCode = 0;
        out += encoded(Event{id, {}, t0 + i + 5, end});
        QFile f(made.directory + QStringLiteral("/%1.jsonl").arg(id));
        if (!f.open(QIODevice::WriteOnly) || f.write(out) != out.size())
            return false;
        made.bytes += out.size();
    }
    // The big one: 1 MiB of log lines written again and again.
    const QString bigId = QStringLiteral("big");
    QFile big(made.directory + QStringLiteral("/big.jsonl"));
    if (!big.open(QIODevice::WriteOnly))
        return false;
    QByteArray chunk = startLine(bigId, t0, QStringLiteral("the 2 GiB one"));
    big.write(chunk);
    made.bytes += chunk.size();
    chunk.clear();
    qint64 chunkLines = 0;
    for (qint64 l = 0; chunk.size() < 1024 * 1024; ++l, ++chunkLines)
        chunk +=
            encoded(Event{bigId,
                          {},
                          t0 + 1000,
                          LogPayload{LogLevel::Info,
                                     "/srv/data/photos/2024/IMG_" + QByteArray::number(l) + ".jpg",
                                     {}}});
    for (qint64 written = 0; written < o.bigMiB * 1024 * 1024; written += chunk.size()) {
        if (big.write(chunk) != chunk.size())
            return false;
        made.bytes += chunk.size();
        made.bigLines += chunkLines;
    }
    return big.flush();
}

double seconds(const QElapsedTimer &t) {
    return double(t.nsecsElapsed()) / 1e9;
}

// A baseline: the command over every file of the directory, wall seconds.
double baseline(const QString &shellCommand) {
    QElapsedTimer t;
    t.start();
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(QStringLiteral("sh"), {QStringLiteral("-c"), shellCommand});
    p.waitForFinished(-1);
    return seconds(t);
}

// Bytes this process has read through read(2) so far (/proc/self/io rchar):
// what a poll read, whatever it made of it.
qint64 bytesRead() {
    QFile io(QStringLiteral("/proc/self/io"));
    if (io.open(QIODevice::ReadOnly))
        for (const QByteArray &l : io.readAll().split('\n'))
            if (l.startsWith("rchar:"))
                return l.mid(6).trimmed().toLongLong();
    return 0;
}

qint64 percentile(std::vector<qint64> v, double p) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(double(v.size()) * p))];
}

// Part 1: the reader alone, polled until it has read everything.
double measureReader(const Options &o, const Made &made) {
    SystemSpoolSource::Options budget;
    SystemSpoolSource source(budget);
    SessionStore store;
    std::vector<qint64> pollMicros;
    std::vector<qint64> pollBytes;
    qint64 overBudget = 0;
    QElapsedTimer all;
    all.start();
    const SessionKey bigKey{SystemSpool::identityFor(ProcessProbe::userName()),
                            QStringLiteral("big")};
    const auto bigLines = [&] {
        const int row = store.indexOf(bigKey);
        return row >= 0 ? store.at(row).logLines : 0;
    };
    for (;;) {
        EventBatch batch;
        QElapsedTimer t;
        const qint64 before = bytesRead();
        t.start();
        source.poll(batch);
        pollMicros.push_back(t.nsecsElapsed() / 1000);
        // Less the read of /proc/self/io itself (a few hundred bytes).
        const qint64 bytes = bytesRead() - before;
        pollBytes.push_back(bytes);
        overBudget += bytes > budget.maxBytesPerPoll + 64 * 1024;
        store.apply(batch);
        if (!source.hasPendingData() && store.count() == o.files + 1 && bigLines() == made.bigLines)
            break;
        if (all.elapsed() > 30 * 60 * 1000) {
            std::printf("  reader: gave up after 30 min\n");
            return -1;
        }
    }
    const double total = seconds(all);
    std::printf("reader: %d files + one of %lld MiB, %.0f MiB in all, budget %lld MiB per poll "
                "(%lld MiB per file)\n",
                o.files, static_cast<long long>(o.bigMiB), double(made.bytes) / (1 << 20),
                static_cast<long long>(budget.maxBytesPerPoll >> 20),
                static_cast<long long>(budget.maxBytesPerFile >> 20));
    std::printf("  %zu polls; per poll: max %.1f ms, p99 %.1f ms, p50 %.1f ms\n", pollMicros.size(),
                double(percentile(pollMicros, 1.0)) / 1000,
                double(percentile(pollMicros, 0.99)) / 1000,
                double(percentile(pollMicros, 0.5)) / 1000);
    std::printf("  read per poll: max %.1f MiB, p50 %.1f MiB; polls over the budget: %lld\n",
                double(percentile(pollBytes, 1.0)) / (1 << 20),
                double(percentile(pollBytes, 0.5)) / (1 << 20), static_cast<long long>(overBudget));
    std::printf("  sessions %d of %d, big session lines %lld of %lld; all read in %.2f s "
                "(%.0f MiB/s)\n",
                store.count(), o.files + 1, static_cast<long long>(bigLines()),
                static_cast<long long>(made.bigLines), total,
                double(made.bytes) / (1 << 20) / total);
    return total;
}

// Part 2: the window takes it all in, from its start; its event loop's
// pulse is a 1 ms timer, and a gap in it is a stall.
int measureWindow(const Options &o, const Made &made) {
    QTemporaryDir own;
    MainWindow window(own.filePath(QStringLiteral("spool")), QString());
    window.resize(1280, 800);
    window.show();
    SessionStore *store = window.store();
    const SessionKey bigKey{SystemSpool::identityFor(ProcessProbe::userName()),
                            QStringLiteral("big")};
    QElapsedTimer wall;
    wall.start();
    QElapsedTimer pulse;
    pulse.start();
    qint64 last = 0, longest = 0, allSessionsMs = -1;
    std::vector<qint64> gaps;
    QTimer ticker;
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = pulse.elapsed();
        gaps.push_back(now - last);
        longest = std::max(longest, now - last);
        last = now;
        if (allSessionsMs < 0 && store->count() == o.files + 1)
            allSessionsMs = wall.elapsed();
        const int row = store->indexOf(bigKey);
        if (allSessionsMs >= 0 && row >= 0 && store->at(row).logLines == made.bigLines)
            QCoreApplication::quit();
        if (wall.elapsed() > 30 * 60 * 1000) {
            std::printf("  window: gave up after 30 min\n");
            QCoreApplication::quit();
        }
    });
    last = pulse.elapsed();
    ticker.start();
    QApplication::exec();
    const int row = store->indexOf(bigKey);
    const qint64 lines = row >= 0 ? store->at(row).logLines : 0;
    std::printf("window: all %d sessions listed after %.2f s, every line of the big one after "
                "%.2f s (%lld of %lld)\n",
                store->count(), double(allSessionsMs) / 1000, double(wall.elapsed()) / 1000,
                static_cast<long long>(lines), static_cast<long long>(made.bigLines));
    std::printf("  event-loop stall: longest %lld ms, p99 %lld ms, p50 %lld ms\n",
                static_cast<long long>(longest), static_cast<long long>(percentile(gaps, 0.99)),
                static_cast<long long>(percentile(gaps, 0.5)));
    for (const SourceError &e : store->recentErrors())
        std::printf("  said: %s\n", qPrintable(e.message));
    return lines == made.bigLines && store->count() == o.files + 1 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each number as soon as it is known
    const Options o = parse(app.arguments());
    QTemporaryDir tmp(o.dir.isEmpty() ? QDir::tempPath() + QStringLiteral("/kw-bench-XXXXXX")
                                      : o.dir + QStringLiteral("/kw-bench-XXXXXX"));
    const QString root = tmp.filePath(QStringLiteral("system-spool"));
    qputenv(SystemSpool::kEnvironmentVariable, QFile::encodeName(root));
    Made made;
    QElapsedTimer t;
    t.start();
    if (!makeSpool(o, root, made)) {
        std::fprintf(stderr, "bench_systemspool: cannot write the spool under %s\n",
                     qPrintable(root));
        return 1;
    }
    std::printf("made the spool in %.1f s\n", seconds(t));

    // Baselines first: they warm the page cache for everybody.
    const QString inDirectory = QStringLiteral("cd '%1' && ").arg(made.directory);
    const double cat = baseline(inDirectory + QStringLiteral("cat -- *.jsonl > /dev/null"));
    const double grep =
        baseline(inDirectory + QStringLiteral("grep -c '\"type\"' -- *.jsonl > /dev/null"));
    std::printf("baselines over the same files: cat %.2f s, grep -c %.2f s\n", cat, grep);
    const double reader = measureReader(o, made);
    if (reader > 0)
        std::printf("  reader / grep -c: %.2fx, reader / cat: %.2fx\n", reader / grep,
                    reader / cat);
    const int window = measureWindow(o, made);
    return reader > 0 && window == 0 ? 0 : 1;
}
