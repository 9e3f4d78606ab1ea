// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// Fleet benchmark (issue 16): H hosts x S live sessions x R log lines a
// second, through a real Mosquitto, H real `keepwatch-cli agent` processes
// and a real `keepwatch-cli collect`, into the real window (offscreen) that
// reads the mirrors (RemoteHostsSource); beside it, the same load written
// into the window's own spool, without a broker. Reports, for both:
// line-to-store latency (p50/p99, every line), the window's longest
// event-loop stall, the desktop's CPU and RSS (window, plus `collect` for
// the fleet), whether every line arrived (and, for the fleet, every mirror
// byte-identical to its spool file), and where the machine's CPU went.
//
//   bench_fleet [--hosts 100] [--sessions 10] [--rate 100] [--seconds 20]
//               [--tick-ms 50] [--drain-seconds 60] [--only local|fleet]
//               [--dir DIR] [--agent-state DIR] [--agents-nice 19] [--cli PATH]
//               [--keep]
//
// Internal modes: --run local|fleet (one measurement, in a process of its
// own so that its peak RSS is its own), --produce DIR (the producer).
//
// Not a ctest test: it reports numbers (scripts/bench.sh).
#include "mainwindow.h"
#include "mosquittobroker.h"
#include "protocol/event.h"
#include "protocol/eventcodec.h"
#include "protocol/timestamp.h"
#include "spool/spoolwriter.h"
#include "store/sessionstore.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace kw;

namespace {

struct Options {
    int hosts = 100;
    int sessions = 10; // per host
    int rate = 100;    // log lines per second per session
    int seconds = 20;
    // The producer writes each session's lines every tickMs in one write, as
    // a wrapper passes on a tool's output as it reads it. The lines are
    // stamped at the write, so the batching is not part of the latency.
    int tickMs = 50;
    int drainSeconds = 60; // after the producer stops: the bound, not a result
    QString only;          // local | fleet | empty: both
    QString dir;           // scratch (default: the temporary directory)
    QString agentState;    // the agents' offsets (default: /dev/shm, see main)
    QString cli;
    QString run;           // internal: local | fleet
    QString produceInto;   // internal: the producer's root
    QString layout;        // internal, with --produce: local | fleet
    QString keeperScratch; // internal: start the fleet there and keep it
    QString keeperState;   // internal, with --keep-fleet: the desktop's state
    bool keep = false;     // keep the scratch directory (the processes' logs) for a look
    // The agents stand for H other machines but share this one's cores with
    // the broker and the desktop: at nice 19 they get what the measured
    // side leaves (0: compete as equals, the harder and less real case).
    int agentsNice = 19;
};

Options parse(const QStringList &args) {
    Options o;
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        const QString next = i + 1 < args.size() ? args[i + 1] : QString();
        const auto number = [&] {
            return ++i, next.toInt();
        };
        if (a == QLatin1String("--hosts"))
            o.hosts = number();
        else if (a == QLatin1String("--sessions"))
            o.sessions = number();
        else if (a == QLatin1String("--rate"))
            o.rate = number();
        else if (a == QLatin1String("--seconds"))
            o.seconds = number();
        else if (a == QLatin1String("--tick-ms"))
            o.tickMs = std::max(1, number());
        else if (a == QLatin1String("--drain-seconds"))
            o.drainSeconds = number();
        else if (a == QLatin1String("--only"))
            o.only = next, ++i;
        else if (a == QLatin1String("--dir"))
            o.dir = next, ++i;
        else if (a == QLatin1String("--agent-state"))
            o.agentState = next, ++i;
        else if (a == QLatin1String("--agents-nice"))
            o.agentsNice = next.toInt(), ++i;
        else if (a == QLatin1String("--cli"))
            o.cli = next, ++i;
        else if (a == QLatin1String("--run"))
            o.run = next, ++i;
        else if (a == QLatin1String("--produce"))
            o.produceInto = next, ++i;
        else if (a == QLatin1String("--layout"))
            o.layout = next, ++i;
        else if (a == QLatin1String("--keep"))
            o.keep = true;
        else if (a == QLatin1String("--keep-fleet") && i + 2 < args.size())
            o.keeperScratch = args[i + 1], o.keeperState = args[i + 2], i += 2;
    }
    return o;
}

// The same arguments again, for the processes this one starts.
QStringList loadArguments(const Options &o) {
    return {QStringLiteral("--hosts"),   QString::number(o.hosts),   QStringLiteral("--sessions"),
            QString::number(o.sessions), QStringLiteral("--rate"),   QString::number(o.rate),
            QStringLiteral("--seconds"), QString::number(o.seconds), QStringLiteral("--tick-ms"),
            QString::number(o.tickMs)};
}

QString hostName(int h) {
    return QStringLiteral("host%1").arg(h, 3, 10, QLatin1Char('0'));
}

QString sessionId(int h, int s) {
    return QStringLiteral("bench-%1-s%2").arg(hostName(h)).arg(s);
}

// Where the producer writes a host's sessions: its own spool on a fleet
// (the agent's $KEEPWATCH_SPOOL), or all of them in one local spool.
QString spoolOf(const QString &root, const QString &layout, int h) {
    return layout == QLatin1String("fleet")
               ? QDir(root).filePath(hostName(h) + QStringLiteral("/spool"))
               : root;
}

double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The producer: every tick, each session appends the lines due by then in
// one write, stamped with the write's time. Behind schedule (no CPU), it
// writes more per tick rather than fewer lines: the load offered stays
// the load asked for, and how late it was is reported.
int produce(const Options &o) {
    const int count = o.hosts * o.sessions;
    std::vector<SpoolWriter> writers(static_cast<size_t>(count));
    std::vector<QString> ids(static_cast<size_t>(count));
    const qint64 t0 = Timestamp::nowMs();
    for (int h = 0; h < o.hosts; ++h) {
        for (int s = 0; s < o.sessions; ++s) {
            const size_t i = size_t(h * o.sessions + s);
            ids[i] = sessionId(h, s);
            if (!writers[i].open(spoolOf(o.produceInto, o.layout, h), ids[i],
                                 SpoolWriter::Mode::CreateNew)) {
                std::fprintf(stderr, "producer: %s\n", qPrintable(writers[i].errorString()));
                return 1;
            }
            StartPayload start;
            start.kind = SessionKind::Backup;
            start.tool = QStringLiteral("restic");
            start.host = hostName(h);
            start.title = QStringLiteral("bench %1 %2").arg(hostName(h)).arg(s);
            QByteArray out;
            EventEncoder::encodeInto(out, Event{ids[i], {}, t0, start});
            writers[i].append(out);
        }
    }
    QElapsedTimer clock;
    clock.start();
    const qint64 durationMs = qint64(o.seconds) * 1000;
    qint64 written = 0; // per session, the same for all
    qint64 line = 0, lateMs = 0;
    for (qint64 tick = 1;; ++tick) {
        const qint64 due = std::min(tick * o.tickMs, durationMs);
        const qint64 wait = due - clock.elapsed();
        if (wait > 0)
            QThread::msleep(ulong(wait));
        else
            lateMs = std::max(lateMs, -wait);
        const qint64 target = qint64(o.rate) * std::min(clock.elapsed(), durationMs) / 1000;
        const qint64 now = Timestamp::nowMs();
        for (size_t i = 0; i < writers.size(); ++i) {
            QByteArray out;
            for (qint64 n = written; n < target; ++n, ++line) {
                const QByteArray msg = "/srv/data/projects/p" + QByteArray::number(line % 977)
                                       + "/src/module" + QByteArray::number(line % 31) + "/file"
                                       + QByteArray::number(line) + ".cpp";
                EventEncoder::encodeInto(
                    out, Event{ids[i], {}, now, LogPayload{LogLevel::Info, msg, {}}});
            }
            if (!out.isEmpty() && !writers[i].append(out)) {
                std::fprintf(stderr, "producer: %s\n", qPrintable(writers[i].errorString()));
                return 1;
            }
        }
        written = std::max(written, target);
        if (due >= durationMs && written >= qint64(o.rate) * o.seconds)
            break;
    }
    std::printf("%lld %.3f %.2f %lld\n", static_cast<long long>(line),
                double(clock.elapsed()) / 1000, cpuSeconds(), static_cast<long long>(lateMs));
    return 0;
}

// --- what other processes cost: /proc ------------------------------------

struct ProcUsage {
    double cpu = 0;     // user + system, seconds
    double peakMiB = 0; // VmHWM
};

ProcUsage procUsage(qint64 pid) {
    ProcUsage u;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        // The name may hold spaces: the fields after its ')' count from 3.
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 12)
            u.cpu = double(fields[11].toLongLong() + fields[12].toLongLong())
                    / double(sysconf(_SC_CLK_TCK));
    }
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly))
        for (const QByteArray &l : status.readAll().split('\n'))
            if (l.startsWith("VmHWM:"))
                u.peakMiB = l.simplified().split(' ').value(1).toDouble() / 1024;
    return u;
}

// The broker is MosquittoBroker's child process: found as this process's
// child named mosquitto.
qint64 brokerPid() {
    const QString self = QString::number(::getpid());
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (entry.toLongLong() <= 0 || !stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        const QList<QByteArray> after = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (text.contains("(mosquitto)") && after.value(1) == self.toLatin1())
            return entry.toLongLong();
    }
    return 0;
}

// The machine's busy CPU time in seconds (all cores), from /proc/stat.
double machineBusySeconds() {
    QFile stat(QStringLiteral("/proc/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> f = stat.readLine().simplified().split(' ');
    qint64 busy = 0;
    for (int i = 1; i < f.size() && i <= 8; ++i)
        if (i != 4 && i != 5) // idle, iowait
            busy += f[i].toLongLong();
    return double(busy) / double(sysconf(_SC_CLK_TCK));
}

double peakRssMiB() {
    return procUsage(::getpid()).peakMiB;
}

// The bytes of every session file under `root` (spools or mirrors).
qint64 sessionFileBytes(const QString &root) {
    qint64 bytes = 0;
    QDirIterator it(root, {QStringLiteral("*.jsonl")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        bytes += it.fileInfo().size();
    }
    return bytes;
}

bool sameBytes(const QString &a, const QString &b) {
    QFile fa(a), fb(b);
    return fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly) && fa.size() == fb.size()
           && fa.readAll() == fb.readAll();
}

// A result line for the parent: "kw KEY VALUE".
void result(const char *key, double value) {
    std::printf("kw %s %.3f\n", key, value);
}

// --- one measurement ---------------------------------------------------------

// The processes of the fleet on this machine: a broker, one agent a host,
// the desktop's collector.
struct Fleet {
    test::MosquittoBroker broker;
    std::vector<std::unique_ptr<QProcess>> agents;
    std::unique_ptr<QProcess> collect;
    qint64 brokerPid = 0;
};

bool logSays(const QString &path, const QByteArray &what) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) && f.readAll().contains(what);
}

bool startFleet(const Options &o, const QString &scratch, const QString &hostsRoot,
                const QString &deskState, Fleet &fleet) {
    const QString reason = test::MosquittoBroker::unavailableReason();
    if (!reason.isEmpty()) {
        std::fprintf(stderr, "bench_fleet: %s\n", qPrintable(reason));
        return false;
    }
    QString error;
    // The setup of docs/fleet.md: a user per host that may write only under
    // its own name (the ACL), and the desktop's desk-admin.
    for (int h = 0; h < o.hosts; ++h)
        if (!fleet.broker.addUser(hostName(h), QStringLiteral("pw-") + hostName(h), &error)) {
            std::fprintf(stderr, "bench_fleet: %s\n", qPrintable(error));
            return false;
        }
    if (!fleet.broker.addUser(QStringLiteral("desk-admin"), QStringLiteral("pw-desk"), &error)) {
        std::fprintf(stderr, "bench_fleet: %s\n", qPrintable(error));
        return false;
    }
    // Persistence off: the helper saves the store every second (a test's
    // setting); production saves every 60 s, a small cost either way.
    if (!fleet.broker.start(&error, false)) {
        std::fprintf(stderr, "bench_fleet: %s\n", qPrintable(error));
        return false;
    }
    fleet.brokerPid = brokerPid();
    const QString logs = QDir(scratch).filePath(QStringLiteral("logs"));
    QDir().mkpath(logs);

    fleet.collect = std::make_unique<QProcess>();
    fleet.collect->setProcessChannelMode(QProcess::MergedChannels);
    fleet.collect->setStandardOutputFile(QDir(logs).filePath(QStringLiteral("collect.log")));
    fleet.collect->start(
        o.cli, {QStringLiteral("collect"), QStringLiteral("--broker"), fleet.broker.url(),
                QStringLiteral("--username"), QStringLiteral("desk-admin"),
                QStringLiteral("--password-file"),
                fleet.broker.passwordFile(QStringLiteral("desk-admin"), QStringLiteral("pw-desk")),
                QStringLiteral("--state-dir"), deskState});

    for (int h = 0; h < o.hosts; ++h) {
        const QString host = hostName(h);
        const QString spool = spoolOf(hostsRoot, QStringLiteral("fleet"), h);
        QDir().mkpath(spool);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), spool);
        // Never this machine's system spool (the agents run as root here).
        env.insert(QStringLiteral("KEEPWATCH_SYSTEM_SPOOL"),
                   QDir(scratch).filePath(QStringLiteral("no-system-spool")));
        env.insert(QStringLiteral("XDG_STATE_HOME"),
                   QDir(hostsRoot).filePath(host + QStringLiteral("/state")));
        auto agent = std::make_unique<QProcess>();
        agent->setProcessEnvironment(env);
        const QString log = QDir(logs).filePath(host + QStringLiteral(".log"));
        agent->setProcessChannelMode(QProcess::MergedChannels);
        agent->setStandardOutputFile(log);
        agent->setChildProcessModifier([nice = o.agentsNice] {
            if (nice != 0) [[maybe_unused]]
                const int ignored = ::nice(nice);
        });
        agent->start(o.cli, {QStringLiteral("agent"), QStringLiteral("--broker"),
                             fleet.broker.url(), QStringLiteral("--host"), host,
                             QStringLiteral("--username"), host, QStringLiteral("--password-file"),
                             fleet.broker.passwordFile(host, QStringLiteral("pw-") + host),
                             QStringLiteral("--state-dir"), QDir(o.agentState).filePath(host)});
        fleet.agents.push_back(std::move(agent));
    }
    // Ready when each says it is connected (keepwatch-cli's own words).
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        int ready = logSays(QDir(logs).filePath(QStringLiteral("collect.log")), "collecting from");
        for (int h = 0; h < o.hosts; ++h)
            ready +=
                logSays(QDir(logs).filePath(hostName(h) + QStringLiteral(".log")), "connected to");
        if (ready == o.hosts + 1)
            return true;
        if (waited.elapsed() > 60000) {
            std::fprintf(stderr, "bench_fleet: only %d of %d processes connected in 60 s (%s)\n",
                         ready, o.hosts + 1, qPrintable(logs));
            return false;
        }
        QThread::msleep(100);
    }
}

void stopFleet(Fleet &fleet) {
    // SIGTERM: each says offline and disconnects cleanly (docs/fleet.md).
    for (auto &agent : fleet.agents)
        agent->terminate();
    for (auto &agent : fleet.agents)
        if (!agent->waitForFinished(5000))
            agent->kill(), agent->waitForFinished();
    if (fleet.collect) {
        fleet.collect->terminate();
        if (!fleet.collect->waitForFinished(5000))
            fleet.collect->kill(), fleet.collect->waitForFinished();
    }
    fleet.broker.stop();
}

// The fleet's keeper, a process of its own: it starts the broker, the
// agents and collect, says "ready BROKER COLLECT AGENT..." (their pids) and
// stops them when its input closes. The window's process does not own them:
// a hundred children are a hundred descriptors in its event loop's poll()
// (the forkfds), scanned at every turn (perf: 60 % of the window's main
// thread in poll at the 1 ms pulse), which a desktop watching a hundred
// other machines does not have.
int keepFleet(const Options &o) {
    const QString hostsRoot = QDir(o.keeperScratch).filePath(QStringLiteral("hosts"));
    Fleet fleet;
    if (!startFleet(o, o.keeperScratch, hostsRoot, o.keeperState, fleet)) {
        stopFleet(fleet);
        return 1;
    }
    QByteArray ready = "ready " + QByteArray::number(fleet.brokerPid) + ' '
                       + QByteArray::number(fleet.collect->processId());
    for (const auto &agent : fleet.agents)
        ready += ' ' + QByteArray::number(agent->processId());
    std::printf("%s\n", ready.constData());
    std::fflush(stdout);
    char line[64];
    while (std::fgets(line, sizeof line, stdin)) // until the window closes it
        ;
    stopFleet(fleet);
    return 0;
}

int runOne(QApplication &app, const Options &o, const QString &scratch) {
    const bool fleetMode = o.run == QLatin1String("fleet");
    const QString hostsRoot = QDir(scratch).filePath(QStringLiteral("hosts"));
    // The window's own spool: empty on the fleet (every line is remote).
    const QString deskSpool = QDir(scratch).filePath(QStringLiteral("desk-spool"));
    QDir().mkpath(deskSpool);
    // STATE of the desktop: the window reads STATE/remote (SourceSetConfig::
    // fromSettings, RemoteSpools::root), and collect --state-dir STATE
    // writes there; main() set $XDG_STATE_HOME to its parent.
    const QString deskState =
        QDir(qEnvironmentVariable("XDG_STATE_HOME")).filePath(QStringLiteral("keepwatch"));

    // The fleet runs under a keeper process (keepFleet): its pids only here.
    QProcess keeper;
    keeper.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    qint64 brokerPid = 0, collectPid = 0;
    std::vector<qint64> agentPids;
    const auto stopKeeper = [&] {
        if (keeper.state() == QProcess::NotRunning)
            return;
        keeper.closeWriteChannel();
        if (!keeper.waitForFinished(60000))
            keeper.kill(), keeper.waitForFinished();
    };
    if (fleetMode) {
        keeper.start(QCoreApplication::applicationFilePath(),
                     QStringList{QStringLiteral("--keep-fleet"), scratch, deskState,
                                 QStringLiteral("--cli"), o.cli, QStringLiteral("--agent-state"),
                                 o.agentState, QStringLiteral("--agents-nice"),
                                 QString::number(o.agentsNice)}
                         + loadArguments(o));
        QByteArray ready;
        while (!ready.endsWith('\n') && keeper.waitForReadyRead(120000))
            ready += keeper.readAll();
        const QList<QByteArray> f = ready.trimmed().split(' ');
        if (f.value(0) != "ready" || f.size() != 3 + o.hosts) {
            std::fprintf(stderr, "bench_fleet: the fleet did not start\n");
            stopKeeper();
            return 1;
        }
        brokerPid = f[1].toLongLong();
        collectPid = f[2].toLongLong();
        for (qsizetype i = 3; i < f.size(); ++i)
            agentPids.push_back(f[i].toLongLong());
    }

    MainWindow window(deskSpool);
    window.resize(1280, 800);
    window.show();
    SessionStore *store = window.store();

    // The event loop's pulse: a 1 ms timer; a gap is a stall.
    QElapsedTimer pulse;
    pulse.start();
    qint64 last = 0;
    std::vector<qint64> stalls;
    qint64 longestStall = 0, longestStallAtMs = 0; // when: the start, a catch-up, the end
    QElapsedTimer wall;
    QTimer ticker;
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = pulse.elapsed();
        stalls.push_back(now - last);
        if (now - last > longestStall)
            longestStall = now - last, longestStallAtMs = wall.elapsed();
        last = now;
    });
    // Latency of every line: from the producer's stamp (its write to the
    // spool) to the store holding it; the table and the pane repaint on
    // that change.
    std::vector<qint32> latencies;
    latencies.reserve(size_t(qint64(o.hosts) * o.sessions * o.rate * o.seconds));
    std::vector<qint64> seen; // per row: the log's end already counted
    qint64 stored = 0;
    bool paneOpened = false;
    QObject::connect(store, &SessionStore::changed, [&](const StoreChange &change) {
        const qint64 now = Timestamp::nowMs();
        if (seen.size() < size_t(store->count()))
            seen.resize(size_t(store->count()), 0);
        for (int row : change.logRows) {
            const LogBuffer &log = store->log(row);
            for (qint64 seq = std::max(seen[size_t(row)], log.firstSeq()); seq < log.endSeq();
                 ++seq)
                latencies.push_back(qint32(std::min<qint64>(now - log.line(seq).timestampMs,
                                                            std::numeric_limits<qint32>::max())));
            seen[size_t(row)] = log.endSeq();
        }
        if (!paneOpened && store->count() > 0) {
            paneOpened = true;
            window.openLog(store->at(0).key);
        }
    });
    const auto storedLines = [&] {
        qint64 n = 0;
        for (int row = 0; row < store->count(); ++row)
            n += store->at(row).logLines;
        return n;
    };

    QProcess producer;
    producer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const QString produceRoot = fleetMode ? hostsRoot : deskSpool;
    double cpu0 = 0, busy0 = 0;
    std::map<qint64, double> others0; // pid -> CPU at the start
    const auto otherPids = [&] {
        std::vector<qint64> pids = agentPids;
        if (brokerPid > 0)
            pids.push_back(brokerPid);
        if (collectPid > 0)
            pids.push_back(collectPid);
        return pids;
    };
    // Where the lines are, every second: written to the spools, in the
    // mirrors, in the store. Which of them falls behind tells where the
    // time goes. The files are summed on a thread of their own, once a
    // second (2,000 stats: not the window's stall, and little of its CPU),
    // and the sample is taken when the sum is done.
    const QString mirrorRoot = QDir(deskState).filePath(QStringLiteral("remote"));
    std::atomic<bool> stopSampling{false};
    std::thread sampler;
    struct Sample {
        double t;
        qint64 spool, mirror, lines;
    };
    std::vector<Sample> timeline;
    QTimer::singleShot(500, [&] {
        sampler = std::thread([&] {
            while (!stopSampling.load()) {
                const qint64 spool = sessionFileBytes(produceRoot);
                const qint64 mirror = fleetMode ? sessionFileBytes(mirrorRoot) : 0;
                QMetaObject::invokeMethod(
                    &app,
                    [&, spool, mirror] {
                        timeline.push_back(
                            {double(wall.elapsed()) / 1000, spool, mirror, storedLines()});
                    },
                    Qt::QueuedConnection);
                for (int i = 0; i < 10 && !stopSampling.load(); ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
        last = pulse.elapsed();
        ticker.start();
        cpu0 = cpuSeconds();
        busy0 = machineBusySeconds();
        for (qint64 pid : otherPids())
            others0[pid] = procUsage(pid).cpu;
        wall.start();
        producer.start(
            QCoreApplication::applicationFilePath(),
            QStringList{QStringLiteral("--produce"), produceRoot, QStringLiteral("--layout"), o.run}
                + loadArguments(o));
    });

    // After the producer: wait until every line is in the store (bounded).
    qint64 produced = -1, storedAtEnd = 0, producerLateMs = 0;
    double producerWall = 0, producerCpu = 0;
    qint64 producerDoneMs = 0, drainMs = -1;
    QTimer drain;
    drain.setInterval(20);
    QObject::connect(&drain, &QTimer::timeout, [&] {
        stored = storedLines();
        if (stored >= produced) {
            drainMs = wall.elapsed() - producerDoneMs;
            app.quit();
        } else if (wall.elapsed() - producerDoneMs > qint64(o.drainSeconds) * 1000) {
            app.quit();
        }
    });
    QObject::connect(&producer, &QProcess::finished, [&] {
        const QList<QByteArray> f = producer.readAllStandardOutput().simplified().split(' ');
        produced = f.value(0).toLongLong();
        producerWall = f.value(1).toDouble();
        producerCpu = f.value(2).toDouble();
        producerLateMs = f.value(3).toLongLong();
        producerDoneMs = wall.elapsed();
        storedAtEnd = storedLines();
        if (produced <= 0)
            app.quit();
        else
            drain.start();
    });
    QTimer::singleShot((o.seconds + o.drainSeconds + 120) * 1000, &app, &QCoreApplication::quit);
    QApplication::exec();
    ticker.stop();
    drain.stop();
    stopSampling = true;
    if (sampler.joinable())
        sampler.join();
    const double wallSeconds = double(wall.elapsed()) / 1000;
    const double cpu = cpuSeconds() - cpu0;
    const double busy = machineBusySeconds() - busy0;
    stored = storedLines();

    // Where the CPU went, before the fleet stops.
    double brokerCpu = 0, collectCpu = 0, collectPeak = 0, agentsCpu = 0, agentPeakMax = 0;
    double agentPeakSum = 0;
    if (fleetMode) {
        const ProcUsage b = procUsage(brokerPid);
        brokerCpu = b.cpu - others0[brokerPid];
        const ProcUsage c = procUsage(collectPid);
        collectCpu = c.cpu - others0[collectPid];
        collectPeak = c.peakMiB;
        for (qint64 pid : agentPids) {
            const ProcUsage a = procUsage(pid);
            agentsCpu += a.cpu - others0[pid];
            agentPeakMax = std::max(agentPeakMax, a.peakMiB);
            agentPeakSum += a.peakMiB;
        }
        result("broker_peak_mib", b.peakMiB);
    }
    // Every mirror byte-identical to its spool file.
    int mirrorsSame = 0, mirrors = 0;
    if (fleetMode) {
        const QString remote = QDir(deskState).filePath(QStringLiteral("remote"));
        for (int h = 0; h < o.hosts; ++h)
            for (int s = 0; s < o.sessions; ++s) {
                const QString name = sessionId(h, s) + QStringLiteral(".jsonl");
                const QString mirror = QDir(remote).filePath(hostName(h) + QLatin1Char('/') + name);
                mirrors += QFileInfo::exists(mirror) ? 1 : 0;
                mirrorsSame +=
                    sameBytes(QDir(spoolOf(hostsRoot, QStringLiteral("fleet"), h)).filePath(name),
                              mirror)
                        ? 1
                        : 0;
            }
        stopKeeper();
    }

    std::sort(stalls.begin(), stalls.end());
    std::sort(latencies.begin(), latencies.end());
    const auto pct = [](const auto &v, double p) {
        return v.empty() ? 0.0 : double(v[std::min(v.size() - 1, size_t(double(v.size()) * p))]);
    };
    result("produced", double(produced));
    result("stored", double(stored));
    result("stored_at_producer_end", double(storedAtEnd));
    result("sessions", double(store->count()));
    result("producer_wall_s", producerWall);
    result("producer_cpu_s", producerCpu);
    result("producer_late_ms", double(producerLateMs));
    result("drain_ms", double(drainMs));
    result("latency_p50_ms", pct(latencies, 0.5));
    result("latency_p95_ms", pct(latencies, 0.95));
    result("latency_p99_ms", pct(latencies, 0.99));
    result("latency_max_ms", latencies.empty() ? 0.0 : double(latencies.back()));
    result("latency_samples", double(latencies.size()));
    result("stall_max_ms", stalls.empty() ? 0.0 : double(stalls.back()));
    result("stall_p99_ms", pct(stalls, 0.99));
    result("stall_max_at_s", double(longestStallAtMs) / 1000);
    result("wall_s", wallSeconds);
    result("window_cpu_s", cpu);
    result("window_peak_mib", peakRssMiB());
    result("machine_busy_s", busy);
    if (fleetMode) {
        result("collect_cpu_s", collectCpu);
        result("collect_peak_mib", collectPeak);
        result("broker_cpu_s", brokerCpu);
        result("agents_cpu_s", agentsCpu);
        result("agent_peak_max_mib", agentPeakMax);
        result("agents_peak_sum_mib", agentPeakSum);
        result("mirrors", mirrors);
        result("mirrors_identical", mirrorsSame);
    }
    for (const Sample &t : timeline)
        std::printf("kwt %.1f %.2f %.2f %lld\n", t.t, double(t.spool) / 1048576,
                    double(t.mirror) / 1048576, static_cast<long long>(t.lines));
    for (const SourceError &e : store->recentErrors())
        std::fprintf(stderr, "  %s said: %s\n", qPrintable(o.run), qPrintable(e.message));
    return 0;
}

// --- the report ------------------------------------------------------------

struct Results {
    std::map<QByteArray, double> values;
    QList<QByteArray> timeline; // "T SPOOL_MIB MIRROR_MIB STORE_LINES"
};

bool measure(const Options &o, const QString &mode, Results &out) {
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList args{QStringLiteral("--run"),           mode,
                     QStringLiteral("--drain-seconds"), QString::number(o.drainSeconds),
                     QStringLiteral("--cli"),           o.cli,
                     QStringLiteral("--agent-state"),   o.agentState,
                     QStringLiteral("--agents-nice"),   QString::number(o.agentsNice)};
    if (!o.dir.isEmpty())
        args << QStringLiteral("--dir") << o.dir;
    if (o.keep)
        args << QStringLiteral("--keep");
    child.start(QCoreApplication::applicationFilePath(), args + loadArguments(o));
    child.waitForFinished(-1);
    for (const QByteArray &line : child.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> f = line.split(' ');
        if (f.size() == 3 && f[0] == "kw")
            out.values[f[1]] = f[2].toDouble();
        else if (f.size() == 5 && f[0] == "kwt")
            out.timeline.append(line.mid(4));
    }
    return child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0
           && out.values.count("produced") > 0;
}

void report(const Options &o, const std::map<QString, Results> &runs) {
    const auto has = [&](const QString &mode) {
        return runs.count(mode) > 0;
    };
    const auto get = [&](const QString &mode, const char *key) {
        if (!has(mode))
            return -1.0;
        const auto &r = runs.at(mode).values;
        const auto it = r.find(key);
        return it == r.end() ? -1.0 : it->second;
    };
    const QString local = QStringLiteral("local"), fleet = QStringLiteral("fleet");
    // One line: the label, then each run's cell (what `cell` makes of it).
    const auto row = [&](const char *label, const std::function<QString(const QString &)> &cell) {
        std::printf("  %-46s %24s %24s\n", label,
                    qPrintable(has(local) ? cell(local) : QStringLiteral("-")),
                    qPrintable(has(fleet) ? cell(fleet) : QStringLiteral("-")));
    };
    const auto number = [&](const char *key) {
        return [&get, key](const QString &m) {
            return QString::number(get(m, key), 'f', 0);
        };
    };
    const auto fleetOnly = [&](const std::function<QString()> &text) {
        return [&fleet, text](const QString &m) {
            return m == fleet ? text() : QString();
        };
    };
    const auto percentOfWall = [&](const QString &m, double cpu) {
        return QString::asprintf("%.1f (%.0f %%)", cpu, 100 * cpu / get(m, "wall_s"));
    };

    const qint64 offered = qint64(o.hosts) * o.sessions * o.rate;
    std::printf("fleet: %d hosts x %d live sessions x %d lines/s = %lld lines/s for %d s\n",
                o.hosts, o.sessions, o.rate, static_cast<long long>(offered), o.seconds);
    std::printf("  %-46s %24s %24s\n", "", "local spool", "broker+agents+collect");
    row("lines produced", number("produced"));
    row("  producer: wall s, CPU s, most behind (ms)", [&](const QString &m) {
        return QString::asprintf("%.1f, %.1f, %.0f", get(m, "producer_wall_s"),
                                 get(m, "producer_cpu_s"), get(m, "producer_late_ms"));
    });
    row("lines in the store when the producer ended", number("stored_at_producer_end"));
    row("lines in the store at the end", [&](const QString &m) {
        const double missing = get(m, "produced") - get(m, "stored");
        return QString::asprintf("%.0f (%s)", get(m, "stored"),
                                 missing == 0  ? "all"
                                 : missing > 0 ? "MISSING"
                                               : "too many");
    });
    row("  the last of them after the producer (ms)", [&](const QString &m) {
        return get(m, "drain_ms") < 0 ? QStringLiteral("never (bound)")
                                      : QString::number(get(m, "drain_ms"), 'f', 0);
    });
    if (has(fleet))
        row("mirrors byte-identical to their spool files", fleetOnly([&] {
                return QString::asprintf("%.0f of %d", get(fleet, "mirrors_identical"),
                                         o.hosts * o.sessions);
            }));
    row("line to store latency p50 / p95 (ms)", [&](const QString &m) {
        return QString::asprintf("%.0f / %.0f", get(m, "latency_p50_ms"), get(m, "latency_p95_ms"));
    });
    row("line to store latency p99 (target < 1,000 ms)", number("latency_p99_ms"));
    row("line to store latency max (ms)", number("latency_max_ms"));
    row("window stall: longest (target < 50 ms)", number("stall_max_ms"));
    row("  at (s after the producer started)",
        [&](const QString &m) { return QString::number(get(m, "stall_max_at_s"), 'f', 1); });
    row("window stall: p99 (ms)", number("stall_p99_ms"));
    row("window CPU s (% of one core)",
        [&](const QString &m) { return percentOfWall(m, get(m, "window_cpu_s")); });
    row("window peak RSS (MiB)", number("window_peak_mib"));
    if (has(fleet)) {
        row("collect CPU s (% of one core)",
            fleetOnly([&] { return percentOfWall(fleet, get(fleet, "collect_cpu_s")); }));
        row("collect peak RSS (MiB)",
            fleetOnly([&] { return QString::number(get(fleet, "collect_peak_mib"), 'f', 0); }));
        row("desktop, window + collect: CPU %, RSS MiB", fleetOnly([&] {
                const double cpu = get(fleet, "collect_cpu_s") + get(fleet, "window_cpu_s");
                return QString::asprintf("%.0f %%, %.0f", 100 * cpu / get(fleet, "wall_s"),
                                         get(fleet, "collect_peak_mib")
                                             + get(fleet, "window_peak_mib"));
            }));
        row("broker CPU s (% of one core)",
            fleetOnly([&] { return percentOfWall(fleet, get(fleet, "broker_cpu_s")); }));
        row("broker peak RSS (MiB)",
            fleetOnly([&] { return QString::number(get(fleet, "broker_peak_mib"), 'f', 0); }));
        row("agents, all together: CPU s (% of one core)",
            fleetOnly([&] { return percentOfWall(fleet, get(fleet, "agents_cpu_s")); }));
        row("agents peak RSS MiB: largest, sum", fleetOnly([&] {
                return QString::asprintf("%.0f, %.0f", get(fleet, "agent_peak_max_mib"),
                                         get(fleet, "agents_peak_sum_mib"));
            }));
    }
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    row("machine CPU busy (% of all cores)", [&](const QString &m) {
        return QString::asprintf("%.0f %% of %ld",
                                 100 * get(m, "machine_busy_s") / get(m, "wall_s") / double(cores),
                                 cores);
    });
    row("  over (s: producer start to last line)",
        [&](const QString &m) { return QString::number(get(m, "wall_s"), 'f', 1); });
    for (const QString &mode : {local, fleet}) {
        if (!has(mode))
            continue;
        const bool met =
            get(mode, "produced") > 0 && get(mode, "produced") == get(mode, "stored")
            && get(mode, "latency_p99_ms") < 1000 && get(mode, "stall_max_ms") < 50
            && (mode == local || get(mode, "mirrors_identical") == o.hosts * o.sessions);
        std::printf("  %s: targets (p99 < 1 s, stall < 50 ms, no line lost) %s\n", qPrintable(mode),
                    met ? "met" : "MISSED");
    }
    // Where the lines were: a backlog between the spool and the mirrors is
    // the agents', broker's or collector's; between the files and the store,
    // the window's.
    for (const QString &mode : {local, fleet}) {
        if (!has(mode) || runs.at(mode).timeline.isEmpty())
            continue;
        const QList<QByteArray> &t = runs.at(mode).timeline;
        std::printf("  %s, every %s: s, MiB in the spools, MiB in the mirrors, lines in the "
                    "store\n",
                    qPrintable(mode), t.size() > 30 ? "2 s" : "second");
        for (qsizetype i = 0; i<t.size(); i += t.size()> 30 ? 2 : 1) {
            const QList<QByteArray> f = t[i].split(' ');
            std::printf("    %6s %9s %9s %9s\n", f.value(0).constData(), f.value(1).constData(),
                        mode == fleet ? f.value(2).constData() : "-", f.value(3).constData());
        }
    }
}

} // namespace

int main(int argc, char **argv) {
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    Options o = parse(args);
    if (!o.produceInto.isEmpty()) {
        QCoreApplication app(argc, argv);
        return produce(o);
    }
    if (!o.keeperScratch.isEmpty()) {
        QCoreApplication app(argc, argv);
        return keepFleet(o);
    }
    if (!o.run.isEmpty()) {
        // A desktop of its own: scratch settings and state (the window reads
        // $XDG_STATE_HOME/keepwatch/remote), and only the spools and
        // mirrors of this run: no /proc discovery, systemd or system spool.
        QTemporaryDir scratch((o.dir.isEmpty() ? QDir::tempPath() : o.dir)
                              + QStringLiteral("/kw-fleet-XXXXXX"));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(scratch.filePath(QStringLiteral("config"))));
        qputenv("XDG_STATE_HOME", QFile::encodeName(scratch.filePath(QStringLiteral("state"))));
        qputenv("KEEPWATCH_DISCOVERY", "0");
        // The offscreen platform warns about every window's size hints.
        qputenv("QT_LOGGING_RULES", "qt.qpa.*=false");
        qputenv("KEEPWATCH_SYSTEMD", "0");
        qputenv("KEEPWATCH_SYSTEM_SPOOL",
                QFile::encodeName(scratch.filePath(QStringLiteral("no-system-spool"))));
        if (qEnvironmentVariableIsEmpty("DISPLAY")
            && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        if (o.keep) {
            scratch.setAutoRemove(false);
            std::fprintf(stderr, "bench_fleet: %s run kept in %s\n", qPrintable(o.run),
                         qPrintable(scratch.path()));
        }
        QApplication app(argc, argv);
        if (o.agentState.isEmpty())
            o.agentState = scratch.filePath(QStringLiteral("agent-state"));
        return runOne(app, o, scratch.path());
    }

    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (o.cli.isEmpty())
        o.cli = qEnvironmentVariable("KEEPWATCH_CLI");
    if (o.cli.isEmpty())
        o.cli = QStandardPaths::findExecutable(QStringLiteral("keepwatch-cli"));
    if (o.cli.isEmpty() && o.only != QLatin1String("local")) {
        std::fprintf(stderr, "bench_fleet: where is keepwatch-cli? (--cli PATH)\n");
        return 2;
    }
    // The agents' offsets on tmpfs: each commit is fsync'ed (docs/fleet.md),
    // and on a fleet every host does that on its own disk; here a hundred
    // agents on one virtual disk would measure that disk, not Keepwatch.
    if (o.agentState.isEmpty() && QFileInfo(QStringLiteral("/dev/shm")).isWritable()) {
        static QTemporaryDir shm(QStringLiteral("/dev/shm/kw-fleet-agents-XXXXXX"));
        o.agentState = shm.path();
    }
    std::map<QString, Results> runs;
    bool ok = true;
    for (const QString &mode : {QStringLiteral("local"), QStringLiteral("fleet")}) {
        if (!o.only.isEmpty() && o.only != mode)
            continue;
        Results r;
        if (!measure(o, mode, r)) {
            std::fprintf(stderr, "bench_fleet: the %s run failed\n", qPrintable(mode));
            ok = false;
        }
        if (!r.values.empty())
            runs[mode] = r;
    }
    report(o, runs);
    return ok ? 0 : 1;
}
