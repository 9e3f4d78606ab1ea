// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapters/progressmeter.h"
#include "collector/collector.h"
#include "discovery/procfs.h"
#include "discovery/procsource.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "protocol/eventcodec.h"
#include "protocol/sessionid.h"
#include "spool/spoolsource.h"
#include "spool/systemspool.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"
#include "tools/borg/borglockroster.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace kw;
using namespace kw::test;

namespace {

// ---------------------------------------------------------------------------
// Real processes

// A process started the way a terminal would start it: not our child (Qt's
// startDetached forks twice, so it is re-parented away from the test), so
// the source's "never the collector's own tree" rule does not hide it.
class Detached final {
public:
    Detached(const QString &program, const QStringList &args,
             const QProcessEnvironment &env = QProcessEnvironment(),
             const QString &workDir = QString()) {
        QProcess p;
        p.setProgram(program);
        p.setArguments(args);
        if (!env.isEmpty())
            p.setProcessEnvironment(env);
        if (!workDir.isEmpty())
            p.setWorkingDirectory(workDir);
        p.setStandardOutputFile(QProcess::nullDevice());
        p.setStandardErrorFile(QProcess::nullDevice());
        if (!p.startDetached(&m_pid))
            qFatal("cannot start %s", qPrintable(program));
        m_ticks = ProcessProbe::startTicks(m_pid).value_or(0);
    }
    ~Detached() {
        // A failed test must not leave backups running.
        if (isRunning())
            ::kill(pid_t(m_pid), SIGTERM);
    }
    Q_DISABLE_COPY_MOVE(Detached)

    qint64 pid() const { return m_pid; }
    bool isRunning() const {
        const auto ticks = ProcessProbe::startTicks(m_pid); // none for a zombie
        return ticks && *ticks == m_ticks;
    }
    bool waitForEnd(int timeoutMs) const {
        return waitFor([&] { return !isRunning(); }, timeoutMs);
    }

private:
    qint64 m_pid = 0;
    quint64 m_ticks = 0;
};

// `count` files of `bytes` random bytes (incompressible, so borg and restic
// cannot skip the work).
void makeTree(const QString &dir, int count, qsizetype bytes) {
    QDir().mkpath(dir);
    for (int i = 0; i < count; ++i) {
        QByteArray data(bytes, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(data.data()),
                                              bytes / qsizetype(sizeof(quint32)));
        QFile f(QStringLiteral("%1/file%2.bin").arg(dir).arg(i));
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != bytes)
            qFatal("cannot write %s", qPrintable(f.fileName()));
    }
}

// What the source published: folded in a store (as the window shows it), and
// every event's wire form (for the "no secret anywhere" checks).
class Published final {
public:
    SessionStore store;
    QByteArray wire;

    void apply(const EventBatch &batch) {
        for (const Event &e : batch.events)
            wire += EventEncoder::encode(e);
        store.apply(batch);
    }
    QList<int> rows(const std::function<bool(const Session &)> &pred) const {
        QList<int> out;
        for (int i = 0; i < store.count(); ++i) {
            if (pred(store.at(i)))
                out.append(i);
        }
        return out;
    }
    QList<int> proc(const QString &target) const {
        return rows([&](const Session &s) {
            return s.key.source == QLatin1String("proc") && s.target == target;
        });
    }
    QList<int> pid(qint64 pid) const {
        return rows([&](const Session &s) {
            return s.key.source == QLatin1String("proc") && s.pid == pid;
        });
    }
    QString logText(int row) const {
        QString text;
        const LogBuffer &log = store.log(row);
        for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq)
            text += QString::fromUtf8(log.line(seq).text.toByteArray()) + QLatin1Char('\n');
        return text;
    }
};

// A source polled directly (fast loops in tests that do not measure latency).
class Poller final {
public:
    explicit Poller(ProcSource::Options options = {})
        : source(std::move(options)) {}
    ProcSource source;
    Published published;
    EventBatch last;

    void poll() {
        last = EventBatch{};
        source.poll(last);
        published.apply(last);
    }
    bool pollUntil(const std::function<bool()> &condition, int timeoutMs) {
        return waitFor(
            [&] {
                poll();
                return condition();
            },
            timeoutMs);
    }
};

// The real collector with its default 1 s fallback poll, as the window runs it.
class Watched final {
public:
    explicit Watched(std::vector<std::unique_ptr<SessionSource>> sources) {
        QObject::connect(&collector, &Collector::batchReady, &published.store,
                         [this](const EventBatch &b) { published.apply(b); });
        collector.start(std::move(sources));
    }
    ~Watched() { collector.stop(); }

    Published published;
    Collector collector;
};

std::vector<std::unique_ptr<SessionSource>> procOnly() {
    std::vector<std::unique_ptr<SessionSource>> sources;
    sources.push_back(std::make_unique<ProcSource>());
    return sources;
}

bool hasTool(const QString &tool) {
    return !QStandardPaths::findExecutable(tool).isEmpty();
}

// A stand-in for a backup tool: a shell script named after it, so its
// /proc/PID/comm is the tool's name and its cmdline is "/bin/sh PATH ARGS...".
// It loops instead of exec'ing sleep, so the process keeps the tool's name.
QString fakeTool(const QTemporaryDir &dir, const QString &tool) {
    const QString path = dir.filePath(tool);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write("#!/bin/sh\nwhile :; do sleep 0.1; done\n");
    f.close();
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

// ---------------------------------------------------------------------------
// A canned /proc tree, for what real processes cannot show on demand
// (zombies, unreadable files, reused pids, the exec race).

// A boot long ago, so no start time computed from it lies in the future of
// the machine running the test (start times are capped at "now").
constexpr qint64 kBootTime = 1700000000;

// One process of the canned tree. The stat line is the real rsync client's
// line (tests/fixtures/rsync) with pid, comm, state, ppid, flags and start
// time replaced.
struct FakeProcess {
    qint64 pid = 0;
    QByteArray comm;
    qint64 ppid = 1;
    quint64 start = 1000;
    char state = 'S';
    quint64 flags = 4194304; // PF_RANDOMIZE, as in the capture
    QByteArray cmdline;      // NUL-separated
    QByteArray io;           // empty: no io file (another user's process)
    QString cwd;
    uint uid = uint(::geteuid()); // the user it runs as (status: Uid)
};

QByteArray argvBytes(const QStringList &argv) {
    QByteArray out;
    for (const QString &a : argv)
        out += a.toUtf8() + '\0';
    return out;
}

class FakeProc final {
public:
    FakeProc()
        : m_root(m_dir.filePath(QStringLiteral("proc"))) {
        QDir().mkpath(m_root);
        write(m_root + QLatin1String("/stat"), "cpu  235220 0 25824 386191 949 0 144 62 0 0\nbtime "
                                                   + QByteArray::number(kBootTime)
                                                   + "\nprocesses 30693\n");
    }
    QString root() const { return m_root; }
    QString scratch(const QString &name) const { return m_dir.filePath(name); }

    void add(const FakeProcess &p) {
        QDir(m_root).mkpath(QString::number(p.pid) + QLatin1String("/fd"));
        QDir(m_root).mkpath(QString::number(p.pid) + QLatin1String("/fdinfo"));
        setStat(p);
        write(file(p.pid, "cmdline"), p.cmdline);
        const QByteArray uid = QByteArray::number(p.uid);
        write(file(p.pid, "status"), "Name:\t" + p.comm + "\nUid:\t" + uid + '\t' + uid + '\t' + uid
                                         + '\t' + uid + "\nGid:\t0\t0\t0\t0\n");
        if (!p.io.isEmpty())
            write(file(p.pid, "io"), p.io);
        if (!p.cwd.isEmpty())
            QFile::link(p.cwd, file(p.pid, "cwd"));
    }
    void setStat(const FakeProcess &p) { write(file(p.pid, "stat"), statLine(p)); }
    void setIo(qint64 pid, const QByteArray &io) { write(file(pid, "io"), io); }
    void openFile(qint64 pid, int fd, const QString &target, const QByteArray &flags) {
        QFile::link(target, file(pid, "fd/" + QByteArray::number(fd)));
        write(file(pid, "fdinfo/" + QByteArray::number(fd)), "pos:\t0\nflags:\t" + flags + "\n");
    }
    void remove(qint64 pid) { QDir(file(pid, "")).removeRecursively(); }

    static QByteArray statLine(const FakeProcess &p) {
        static const QByteArray capture =
            readResource(QStringLiteral(":/fixtures/rsync/rsync-3.5.0-proc-stat-client.txt"))
                .trimmed();
        QList<QByteArray> fields = capture.mid(capture.lastIndexOf(')') + 2).split(' ');
        fields[0] = QByteArray(1, p.state);           // field 3
        fields[4 - 3] = QByteArray::number(p.ppid);   // field 4
        fields[9 - 3] = QByteArray::number(p.flags);  // field 9
        fields[22 - 3] = QByteArray::number(p.start); // field 22
        return QByteArray::number(p.pid) + " (" + p.comm + ") " + fields.join(' ') + '\n';
    }

private:
    QString file(qint64 pid, const QByteArray &leaf) const {
        return m_root + QLatin1Char('/') + QString::number(pid) + QLatin1Char('/')
               + QString::fromUtf8(leaf);
    }
    void write(const QString &path, const QByteArray &bytes) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
    }

    QTemporaryDir m_dir;
    QString m_root;
};

ProcSource::Options fakeOptions(const FakeProc &proc, qint64 ownPid = 999999) {
    ProcSource::Options o;
    o.procRoot = proc.root();
    o.ownPid = ownPid;
    o.progressIntervalMs = 0; // sample on every poll
    return o;
}

FakeProcess shell(qint64 pid, qint64 ppid = 1) {
    FakeProcess p;
    p.pid = pid;
    p.comm = "bash";
    p.ppid = ppid;
    p.start = quint64(pid);
    p.cmdline = argvBytes({QStringLiteral("-bash")});
    return p;
}

FakeProcess tool(qint64 pid, qint64 ppid, const QStringList &argv) {
    FakeProcess p;
    p.pid = pid;
    p.comm = QFileInfo(argv.first()).fileName().toUtf8();
    p.ppid = ppid;
    p.start = quint64(pid);
    p.cmdline = argvBytes(argv);
    p.io = "rchar: 1000\nwchar: 10\nsyscr: 1\nsyscw: 1\nread_bytes: 0\nwrite_bytes: 0\n";
    return p;
}

const Event *eventOf(const EventBatch &batch, const QString &session, EventType type) {
    for (const Event &e : batch.events) {
        if (e.session == session && e.type() == type)
            return &e;
    }
    return nullptr;
}

} // namespace

class TestProcSource final : public QObject {
    Q_OBJECT

private slots:
    // --- parsers, on real captures -----------------------------------------

    void parsesRealStatLines_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<qint64>("pid");
        QTest::addColumn<qint64>("ppid");
        QTest::addColumn<quint64>("start");
        QTest::addColumn<char>("state");
        QTest::newRow("rsync client") << "rsync/rsync-3.5.0-proc-stat-client.txt" << qint64(30756)
                                      << qint64(1) << quint64(325759) << 'S';
        QTest::newRow("rsync forked child")
            << "rsync/rsync-3.5.0-proc-stat-child.txt" << qint64(30761) << qint64(30756)
            << quint64(325759) << 'S';
        QTest::newRow("rsync grandchild")
            << "rsync/rsync-3.5.0-proc-stat-grandchild.txt" << qint64(30763) << qint64(30761)
            << quint64(325760) << 'S';
        QTest::newRow("borg") << "borg/borg-1.2.4-proc-stat.txt" << qint64(30943) << qint64(1)
                              << quint64(326767) << 'R';
    }
    void parsesRealStatLines() {
        QFETCH(QString, fixture);
        const auto s = ProcFs::parseStat(readResource(QStringLiteral(":/fixtures/") + fixture));
        QVERIFY(s);
        QFETCH(qint64, pid);
        QFETCH(qint64, ppid);
        QFETCH(quint64, start);
        QFETCH(char, state);
        QCOMPARE(s->pid, pid);
        QCOMPARE(s->ppid, ppid);
        QCOMPARE(s->startTicks, start);
        QCOMPARE(s->state, state);
        QVERIFY(!s->isKernelThread());
        QVERIFY(!s->hasEnded());
    }

    void parsesStatWithAnAwkwardName() {
        // comm may hold spaces and parentheses; fields count from the last ')'.
        const auto s = ProcFs::parseStat(
            "42 (a) b (c)) Z 7 42 42 0 -1 2097152 0 0 0 0 0 0 0 0 20 0 1 0 777 0 0\n");
        QVERIFY(s);
        QCOMPARE(s->comm, QByteArray("a) b (c)"));
        QCOMPARE(s->ppid, qint64(7));
        QCOMPARE(s->startTicks, quint64(777));
        QVERIFY(s->hasEnded());
        QVERIFY(s->isKernelThread()); // flags 0x200000
        QVERIFY(!ProcFs::parseStat("42 (cut"));
        QVERIFY(!ProcFs::parseStat("42 (short) S 1 2 3\n"));
    }

    void parsesRealIoCounters_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<qint64>("rchar");
        QTest::addColumn<qint64>("wchar");
        QTest::addColumn<qint64>("writeBytes");
        QTest::newRow("borg") << "borg/borg-1.2.4-proc-io.txt" << qint64(23008722)
                              << qint64(16479518) << qint64(16576512);
        // Two samples with comment lines in between: the first one counts.
        QTest::newRow("restic") << "restic/restic-0.14-proc-io.txt" << qint64(34882365)
                                << qint64(20557783) << qint64(20627456);
        QTest::newRow("rsync") << "rsync/rsync-3.5.0-proc-io.txt" << qint64(1835084)
                               << qint64(1601328) << qint64(0);
    }
    void parsesRealIoCounters() {
        QFETCH(QString, fixture);
        const auto io = ProcFs::parseIo(readResource(QStringLiteral(":/fixtures/") + fixture));
        QVERIFY(io);
        QFETCH(qint64, rchar);
        QFETCH(qint64, wchar);
        QFETCH(qint64, writeBytes);
        QCOMPARE(io->rchar, rchar);
        QCOMPARE(io->wchar, wchar);
        QCOMPARE(io->writeBytes, writeBytes);
        QVERIFY(!ProcFs::parseIo("nothing: here\n"));
    }

    void parsesRealCmdline() {
        const QStringList argv = ProcFs::parseCmdline(
            readResource(QStringLiteral(":/fixtures/rsync/rsync-3.5.0-proc-cmdline.bin")));
        QCOMPARE(argv, (QStringList{QStringLiteral("rsync"), QStringLiteral("-a"),
                                    QStringLiteral("--bwlimit=1m"), QStringLiteral("src/"),
                                    QStringLiteral("<workdir>/dst/")}));
        QCOMPARE(ProcFs::parseCmdline(QByteArrayView()), QStringList());
        QCOMPARE(ProcFs::parseCmdline(QByteArray("a\0\0b\0", 5)),
                 (QStringList{QStringLiteral("a"), QString(), QStringLiteral("b")}));
    }

    void parsesFdinfoAccessModes() {
        // Every fd line of the real captures: "N -> target | flags: octal".
        int readOnly = 0;
        for (const char *fixture :
             {"rsync/rsync-3.5.0-proc-fd-fdinfo.txt", "borg/borg-1.2.4-proc-fd-fdinfo.txt"}) {
            const QByteArray text =
                readResource(QStringLiteral(":/fixtures/") + QLatin1String(fixture));
            for (const QByteArray &line : text.split('\n')) {
                if (line.isEmpty())
                    continue;
                const QByteArray info = line.mid(line.indexOf('|') + 1).trimmed();
                const auto mode = ProcFs::parseAccessMode(info);
                QVERIFY2(mode, line.constData());
                readOnly += *mode == 0 ? 1 : 0;
            }
        }
        // rsync: stdin, fd 10 (/dev/null), the source directory and the file
        // being read; borg: the same four, plus the two segments it reads and
        // its working directory.
        QCOMPARE(readOnly, 4 + 7);
        QCOMPARE(ProcFs::parseAccessMode("pos:\t0\nflags:\t0100001\n"), std::optional<int>(1));
        QVERIFY(!ProcFs::parseAccessMode("pos:\t0\n"));
    }

    void parsesBootTime() {
        QCOMPARE(ProcFs::parseBootTime("cpu 1 2\nbtime 1795595182\nprocesses 3\n"),
                 std::optional<qint64>(1795595182));
        QVERIFY(!ProcFs::parseBootTime("cpu 1 2\n"));
        QVERIFY(ProcFs().bootTimeMs().value_or(0) > 0);
    }

    void parsesRealLockRosters_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("description");
        QTest::newRow("create") << "borg/borg-1.2.4-lock.roster-during-create.json"
                                << "borg repository lock (lock.roster): exclusive, held by pid "
                                   "18979 on vm@3281355014145";
        QTest::newRow("extract") << "borg/borg-1.2.4-lock.roster-during-extract.json"
                                 << "borg repository lock (lock.roster): shared, held by pid "
                                    "21869 on vm@3281355014145";
    }
    void parsesRealLockRosters() {
        QFETCH(QString, fixture);
        const auto roster =
            BorgLockRoster::parse(readResource(QStringLiteral(":/fixtures/") + fixture));
        QVERIFY(roster);
        QCOMPARE(roster->holders.size(), 1);
        QFETCH(QString, description);
        QCOMPARE(roster->describe(), description);
        QVERIFY(BorgLockRoster::parse("{}")->holders.isEmpty());
        QVERIFY(!BorgLockRoster::parse("not json"));
        QVERIFY(!BorgLockRoster::parse("{\"exclusive\": [[1, 2]]}"));
    }

    void rateMeterSmoothsAndSettles() {
        ProgressMeter meter(1000.0);
        QVERIFY(!meter.rate());
        meter.sample(0, 0);
        QVERIFY(!meter.rate());
        meter.sample(1000, 1000000); // 1 MB/s
        QCOMPARE(*meter.rate(), 1000000.0);
        meter.sample(2000, 3000000); // 2 MB/s for a second: moves 63 % of the way
        QVERIFY(*meter.rate() > 1600000.0 && *meter.rate() < 1700000.0);
        meter.sample(2000, 3000001); // same instant: ignored
        QVERIFY(*meter.rate() > 1600000.0 && *meter.rate() < 1700000.0);
        meter.sample(3000, 3000001); // moving, slowly
        QVERIFY(*meter.rate() > 0.0 && *meter.rate() < 1700000.0);
        meter.sample(4000, 3000001); // a whole second without a byte: idle
        QCOMPARE(*meter.rate(), 0.0);
        meter.sample(5000, 4000001); // and back
        QVERIFY(*meter.rate() > 600000.0 && *meter.rate() < 1000000.0);
        meter.sample(41000, 10); // the counter went back: a new start
        QVERIFY(!meter.rate());
    }

    void progressMeterGivesAnEta() {
        ProgressMeter meter;
        QVERIFY(!meter.etaSeconds(1000));
        meter.sample(0, 0);
        meter.sample(1000, 100);
        QCOMPARE(meter.etaSeconds(1000), std::optional<qint64>(9)); // 900 bytes at 100 B/s
        QVERIFY(!meter.etaSeconds(std::nullopt));
        meter.sample(1100, 150); // folded into the next rate, but counted as done
        QCOMPARE(meter.etaSeconds(1000), std::optional<qint64>(9)); // ceil(850 / 100)
        QVERIFY(!meter.etaSeconds(100)); // a total below what is done says nothing
        meter.sample(2100, 150);         // 50 bytes since the sample at 1000
        QVERIFY(meter.etaSeconds(1000));
        meter.sample(3100, 150); // idle: a rate of 0, no ETA
        QCOMPARE(meter.rate(), std::optional<double>(0.0));
        QVERIFY(!meter.etaSeconds(1000));
    }

    // One rate whether a run is wrapped or discovered: the same byte counters
    // through the discovery path (ProcSource reading /proc/PID/io on each poll)
    // and through the meter `keepwatch-cli run` keeps (a default ProgressMeter
    // fed from the command's start) give the same rate at every step.
    void sameCountersGiveTheSameRateWrappedOrDiscovered() {
        FakeProc proc;
        FakeProcess restic =
            tool(4242, 1,
                 {QStringLiteral("restic"), QStringLiteral("-r"), QStringLiteral("/srv/restic"),
                  QStringLiteral("backup"), QStringLiteral("/home")});
        const auto io = [](qint64 rchar) -> QByteArray {
            return "rchar: " + QByteArray::number(rchar) + "\nwchar: 10\nsyscr: 1\nsyscw: 1\n"
                   + "read_bytes: 0\nwrite_bytes: 0\n";
        };
        restic.io = io(0);
        proc.add(restic);
        Poller p(fakeOptions(proc));
        p.poll();
        const QString id = ProcSource::sessionId(restic.pid, restic.start);
        const Event *start = eventOf(p.last, id, EventType::Start);
        QVERIFY(start);

        ProgressMeter wrapped;
        wrapped.sample(start->timestampMs, 0); // the counters start at zero at the fork
        const auto compare = [&](qint64 bytes) {
            const Event *e = eventOf(p.last, id, EventType::Progress);
            QVERIFY2(e, qPrintable(QStringLiteral("no progress at %1 bytes").arg(bytes)));
            const ProgressPayload *progress = e->as<ProgressPayload>();
            QCOMPARE(progress->bytesDone, std::optional<qint64>(bytes));
            wrapped.sample(e->timestampMs, bytes);
            QCOMPARE(progress->rate, wrapped.rate());
            QVERIFY(progress->rate);
        };
        compare(0); // the first poll: nothing read yet
        // (pause before the poll in ms, bytes read meanwhile): steady, a burst
        // closer than the meter's minimum interval, faster, idle, and back.
        const QList<std::pair<int, qint64>> steps = {
            {300, 4 << 20}, {300, 4 << 20}, {50, 1 << 20}, {300, 12 << 20},
            {300, 0},       {300, 2 << 20}, {300, 6 << 20}};
        qint64 bytes = 0;
        for (const auto &[pauseMs, delta] : steps) {
            QTest::qWait(pauseMs);
            bytes += delta;
            proc.setIo(restic.pid, io(bytes));
            p.poll();
            compare(bytes);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY(*wrapped.rate() > 0.0);
    }

    // --- the source on a canned /proc tree ------------------------------------

    void showsOnlyTheClientOfAForkedRsync() {
        // The real process family of tests/fixtures/rsync/rsync-3.5.0-ps-during-run.txt:
        // a shell, the rsync client and its forked child with the same argv.
        FakeProc proc;
        const QStringList argv = {QStringLiteral("rsync"),
                                  QStringLiteral("-a"),
                                  QStringLiteral("--info=progress2"),
                                  QStringLiteral("--bwlimit=20m"),
                                  QStringLiteral("src/data"),
                                  QStringLiteral("rsync-dst4/")};
        proc.add(shell(29837));
        proc.add(tool(29840, 29837, argv));
        proc.add(tool(29842, 29840, argv));
        Poller p(fakeOptions(proc));
        p.poll();
        QCOMPARE(p.published.store.count(), 1);
        const Session &s = p.published.store.at(0);
        QCOMPARE(s.key.source, QStringLiteral("proc"));
        QCOMPARE(s.key.id, QStringLiteral("proc-29840-29840"));
        QCOMPARE(s.pid, std::optional<qint64>(29840));
        QCOMPARE(s.tool, QStringLiteral("rsync"));
        QCOMPARE(s.kind, SessionKind::Backup);
        QCOMPARE(s.target, QStringLiteral("rsync-dst4/"));
        QCOMPARE(s.title, QStringLiteral("rsync (pid 29840)"));
        QCOMPARE(s.user, QStringLiteral("root"));
        QCOMPARE(s.command, argv);
        QCOMPARE(s.state, SessionState::Running);
        QCOMPARE(s.progress.bytesDone, std::optional<qint64>(1000));
        // The start is the process's own: btime + start ticks / CLK_TCK.
        QCOMPARE(*s.startedMs, kBootTime * 1000 + 29840 * 1000 / ::sysconf(_SC_CLK_TCK));
        QCOMPARE(SessionId::validationError(s.key.id), QString());
    }

    void readsWhatABorgRunShows() {
        // borg as captured: cmdline (repository in BORG_REPO, not in argv),
        // io counters, open files with their fdinfo flags, lock.roster.
        FakeProc proc;
        const QString repo = proc.scratch(QStringLiteral("repo"));
        const QString src = proc.scratch(QStringLiteral("src"));
        for (const char *dir : {"data/0", "x"})
            QDir().mkpath(repo + QLatin1Char('/') + QLatin1String(dir));
        QDir().mkpath(src);
        for (const QString &file : QStringList{
                 repo + QLatin1String("/config"), repo + QLatin1String("/data/0/0"),
                 repo + QLatin1String("/data/0/1"), repo + QLatin1String("/data/0/2"),
                 src + QLatin1String("/f7.bin"), proc.scratch(QStringLiteral("cap/borgerr"))}) {
            QDir().mkpath(QFileInfo(file).path());
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QFile roster(repo + QLatin1String("/lock.roster"));
        QVERIFY(roster.open(QIODevice::WriteOnly));
        roster.write(readResource(
            QStringLiteral(":/fixtures/borg/borg-1.2.4-lock.roster-during-create.json")));
        roster.close();

        FakeProcess borg;
        borg.pid = 18979;
        borg.comm = "borg";
        borg.start = 326767;
        borg.cmdline = readResource(QStringLiteral(":/fixtures/borg/borg-1.2.4-proc-cmdline.txt"))
                           .trimmed()
                           .replace(' ', '\0')
                       + '\0';
        borg.io = readResource(QStringLiteral(":/fixtures/borg/borg-1.2.4-proc-io.txt"));
        borg.cwd = proc.scratch(QString());
        proc.add(borg);
        const QByteArray fds =
            readResource(QStringLiteral(":/fixtures/borg/borg-1.2.4-proc-fd-fdinfo.txt"));
        for (const QByteArray &line : fds.split('\n')) {
            if (line.isEmpty())
                continue;
            // "7 -> <src>/f7.bin | flags: 03504000"
            const int fd = line.left(line.indexOf(' ')).toInt();
            QString target = QString::fromUtf8(
                line.mid(line.indexOf("-> ") + 3, line.indexOf(" |") - line.indexOf("-> ") - 3));
            target.replace(QLatin1String("<repo>"), repo)
                .replace(QLatin1String("<src>"), src)
                .replace(QLatin1String("<workdir>"), proc.scratch(QString()).chopped(1));
            proc.openFile(borg.pid, fd, target, line.mid(line.lastIndexOf(' ') + 1));
        }

        Poller p(fakeOptions(proc));
        p.poll();
        QCOMPARE(p.published.store.count(), 1);
        const Session &s = p.published.store.at(0);
        QCOMPARE(s.tool, QStringLiteral("borg"));
        QCOMPARE(s.kind, SessionKind::Backup);
        QCOMPARE(s.title, QStringLiteral("borg create (pid 18979)"));
        QCOMPARE(s.target, QString()); // "::arch1": the repository is in BORG_REPO
        QCOMPARE(s.progress.bytesDone, std::optional<qint64>(23008722)); // rchar: a backup reads
        // The file being read, not the repository's segments (also open read-only).
        QCOMPARE(s.progress.current, src + QLatin1String("/f7.bin"));
        const QString log = p.published.logText(0);
        QVERIFY2(log.contains(QLatin1String("repository (from the files it has open): ") + repo),
                 qPrintable(log));
        QVERIFY2(log.contains(QLatin1String("borg repository lock (lock.roster): exclusive, held "
                                            "by pid 18979 on vm@3281355014145")),
                 qPrintable(log));

        // Said once; progress only when something changed.
        p.poll();
        QVERIFY(p.last.events.isEmpty());
        proc.setIo(borg.pid, "rchar: 23100000\nwchar: 16479518\n");
        p.poll();
        QCOMPARE(p.last.events.size(), 1);
        QCOMPARE(p.last.events[0].as<ProgressPayload>()->bytesDone,
                 std::optional<qint64>(23100000));
        QCOMPARE(p.published.store.at(0).logLines, 2);
    }

    void endsWhenTheProcessIsGone_data() {
        QTest::addColumn<QString>("how");
        QTest::newRow("vanished") << "vanished";
        QTest::newRow("zombie") << "zombie";
        QTest::newRow("pid reused") << "reused";
    }
    void endsWhenTheProcessIsGone() {
        QFETCH(QString, how);
        FakeProc proc;
        FakeProcess restic =
            tool(500, 1,
                 {QStringLiteral("restic"), QStringLiteral("-r"), QStringLiteral("/srv/repo"),
                  QStringLiteral("backup"), QStringLiteral("/home")});
        proc.add(restic);
        Poller p(fakeOptions(proc));
        p.poll();
        QCOMPARE(p.published.store.count(), 1);
        if (how == QLatin1String("vanished")) {
            proc.remove(500);
        } else if (how == QLatin1String("zombie")) {
            restic.state = 'Z';
            proc.setStat(restic);
        } else {
            restic.start = 9000; // another process with the same pid
            proc.setStat(restic);
        }
        p.poll();
        const Event *end = eventOf(p.last, QStringLiteral("proc-500-500"), EventType::End);
        QVERIFY(end);
        QCOMPARE(end->as<EndPayload>()->state, SessionState::Exited);
        QVERIFY(!end->as<EndPayload>()->exitCode);
        QCOMPARE(end->as<EndPayload>()->summary,
                 QStringLiteral("process ended; its exit status is unknown (not started through "
                                "keepwatch-cli run)"));
        QCOMPARE(p.published.store.at(0).state, SessionState::Exited);
        if (how == QLatin1String("reused")) {
            // The new process is a session of its own.
            QVERIFY(eventOf(p.last, QStringLiteral("proc-500-9000"), EventType::Start));
            QCOMPARE(p.published.store.count(), 2);
        } else {
            QCOMPARE(p.published.store.count(), 1);
        }
        p.poll();
        QVERIFY(!eventOf(p.last, QStringLiteral("proc-500-500"), EventType::End)); // once
    }

    void showsAProcessWhoseIoIsUnreadable() {
        // Another user's process (when not root): stat and cmdline are
        // world-readable, io, fd and cwd are not.
        FakeProc proc;
        FakeProcess borg =
            tool(600, 1,
                 {QStringLiteral("/usr/bin/python3"), QStringLiteral("/usr/bin/borg"),
                  QStringLiteral("extract"), QStringLiteral("/srv/borg::a1")});
        borg.comm = "borg";
        borg.io.clear();
        proc.add(borg);
        Poller p(fakeOptions(proc));
        p.poll();
        QCOMPARE(p.published.store.count(), 1);
        const Session &s = p.published.store.at(0);
        QCOMPARE(s.tool, QStringLiteral("borg"));
        QCOMPARE(s.kind, SessionKind::Restore);
        QCOMPARE(s.target, QStringLiteral("/srv/borg"));
        QCOMPARE(s.cwd, QString());
        QVERIFY(!s.progress.bytesDone);
        QVERIFY(p.published.logText(0).contains(QLatin1String("/proc/600/io is not readable")));
        // A restore's progress is what it writes.
        proc.setIo(600, "rchar: 5\nwchar: 777\n");
        p.poll();
        QCOMPARE(p.published.store.at(0).progress.bytesDone, std::optional<qint64>(777));
        QCOMPARE(p.published.store.at(0).logLines, 1);
    }

    void hidesWrappedHelperAndOwnProcesses_data() {
        QTest::addColumn<QString>("parentComm");
        QTest::addColumn<bool>("parentIsOwn");
        QTest::addColumn<bool>("shown");
        QTest::newRow("terminal") << "bash" << false << true;
        QTest::newRow("under keepwatch-cli run") << "keepwatch-cli" << false << false;
        QTest::newRow("child of restic (rclone backend)") << "restic" << false << false;
        QTest::newRow("the collector's own child") << "keepwatch" << true << false;
    }
    void hidesWrappedHelperAndOwnProcesses() {
        QFETCH(QString, parentComm);
        QFETCH(bool, parentIsOwn);
        QFETCH(bool, shown);
        FakeProc proc;
        // 10 -> 20 -> 30 (the parent under test) -> 40 rclone
        proc.add(shell(10));
        proc.add(shell(20, 10));
        FakeProcess parent = shell(30, 20);
        parent.comm = parentComm.toUtf8();
        parent.cmdline = argvBytes({parentComm, QStringLiteral("backup")});
        proc.add(parent);
        proc.add(tool(40, 30,
                      {QStringLiteral("rclone"), QStringLiteral("serve"), QStringLiteral("restic"),
                       QStringLiteral("--stdio")}));
        Poller p(fakeOptions(proc, parentIsOwn ? 20 : 999999));
        p.poll();
        QCOMPARE(p.published.pid(40).size(), shown ? 1 : 0);
    }

    // A tool under another user's wrapper counts as wrapped only when its
    // session reaches this user through a spool: that user's system spool
    // directory, readable here. Otherwise it is shown from /proc, saying why.
    void anotherUsersWrapperIsWrappedOnlyWhenItsSpoolIsReadable_data() {
        QTest::addColumn<bool>("systemDirectory");
        QTest::addColumn<bool>("shown");
        QTest::newRow("no system spool directory for that user") << false << true;
        QTest::newRow("its system spool directory, readable here") << true << false;
    }
    void anotherUsersWrapperIsWrappedOnlyWhenItsSpoolIsReadable() {
        QFETCH(bool, systemDirectory);
        QFETCH(bool, shown);
        const uint other = ::geteuid() == 0 ? 65534u : 0u; // nobody, or root
        const QString otherName = UserAccounts::nameOf(other);
        QTemporaryDir systemRoot;
        qputenv(SystemSpool::kEnvironmentVariable, systemRoot.path().toLocal8Bit());
        if (systemDirectory) {
            if (::geteuid() != 0)
                QSKIP("needs root: makes a system spool directory owned by another user");
            const QString directory = systemRoot.path() + QLatin1Char('/') + otherName;
            QVERIFY(QDir().mkdir(directory));
            QVERIFY(::chown(QFile::encodeName(directory).constData(), other, 0) == 0);
            QVERIFY(::chmod(QFile::encodeName(directory).constData(), 02750) == 0);
        }
        FakeProc proc;
        proc.add(shell(10));
        FakeProcess wrapper = shell(30, 10);
        wrapper.comm = "keepwatch-cli";
        wrapper.cmdline = argvBytes({QStringLiteral("keepwatch-cli"), QStringLiteral("run")});
        wrapper.uid = other;
        proc.add(wrapper);
        FakeProcess rsync = tool(40, 30,
                                 {QStringLiteral("rsync"), QStringLiteral("-a"),
                                  QStringLiteral("/src"), QStringLiteral("/dst")});
        rsync.uid = other;
        proc.add(rsync);
        Poller p(fakeOptions(proc));
        p.poll();
        qunsetenv(SystemSpool::kEnvironmentVariable);
        QCOMPARE(p.published.pid(40).size(), shown ? 1 : 0);
        if (shown) {
            const QString log = p.published.logText(p.published.pid(40).first());
            QVERIFY2(log.contains(QStringLiteral("started by keepwatch-cli run of %1, whose "
                                                 "spool this user cannot read")
                                      .arg(otherName)),
                     qPrintable(log));
        }
    }

    void showsAWrappedCommandWhenItsWrapperDies() {
        // keepwatch-cli killed with SIGKILL: the spool marks its session
        // interrupted, the command goes on, re-parented; now it is ours to show.
        FakeProc proc;
        FakeProcess wrapper = shell(70);
        wrapper.comm = "keepwatch-cli";
        proc.add(wrapper);
        FakeProcess restic = tool(
            71, 70, {QStringLiteral("restic"), QStringLiteral("backup"), QStringLiteral("/home")});
        proc.add(restic);
        Poller p(fakeOptions(proc));
        p.poll();
        QCOMPARE(p.published.store.count(), 0);
        proc.remove(70);
        restic.ppid = 1;
        proc.setStat(restic);
        p.poll();
        QCOMPARE(p.published.store.count(), 1);
        QCOMPARE(p.published.store.at(0).pid, std::optional<qint64>(71));
    }

    void noticesAnExecAfterTheForkWasSeen() {
        // A scan between a shell's fork and its exec sees "bash"; after the
        // exec the same pid with the same start time is rsync.
        FakeProc proc;
        FakeProcess child = shell(80, 1);
        proc.add(child);
        Poller p(fakeOptions(proc));
        p.poll();
        QCOMPARE(p.published.store.count(), 0);
        proc.remove(80);
        proc.add(tool(80, 1,
                      {QStringLiteral("rsync"), QStringLiteral("-a"), QStringLiteral("/a"),
                       QStringLiteral("/b")}));
        p.poll();
        QCOMPARE(p.published.store.count(), 1);
        QCOMPARE(p.published.store.at(0).target, QStringLiteral("/b"));
    }

    void aKnownProcessCostsOneStatRead() {
        FakeProc proc;
        constexpr int kProcesses = 200;
        for (int pid = 100; pid < 100 + kProcesses; ++pid)
            proc.add(shell(pid));
        FakeProcess kthread = shell(2);
        kthread.comm = "kthreadd";
        kthread.flags = 0x00200000; // PF_KTHREAD: not even its cmdline is read
        proc.add(kthread);
        Poller p(fakeOptions(proc));
        p.poll();
        QCOMPARE(p.source.lastScan().processes, kProcesses + 1);
        QCOMPARE(p.source.lastScan().statReads, kProcesses + 1);
        QCOMPARE(p.source.lastScan().cmdlineReads, kProcesses);
        p.poll();
        QCOMPARE(p.source.lastScan().statReads, kProcesses + 1);
        QCOMPARE(p.source.lastScan().cmdlineReads, 0);
        QCOMPARE(p.published.store.count(), 0);
    }

    void reportsAnUnreadableRootOnce() {
        ProcSource::Options o;
        o.procRoot = QStringLiteral("/nonexistent/proc");
        Poller p(o);
        p.poll();
        QCOMPARE(p.last.errors.size(), 1);
        QCOMPARE(p.last.errors[0].source, QStringLiteral("proc"));
        p.poll();
        QCOMPARE(p.last.errors.size(), 0);
    }

    // --- real processes --------------------------------------------------------

    void discoversAnUnwrappedRsyncWithinTwoSeconds() {
        QVERIFY(hasTool(QStringLiteral("rsync")));
        QTemporaryDir dir;
        const QString src = dir.filePath(QStringLiteral("src"));
        const QString dst = dir.filePath(QStringLiteral("dst"));
        makeTree(src, 3, 1024 * 1024); // 3 MiB at 1000 KiB/s: about 3 s

        Watched w(procOnly()); // the collector as the window runs it: 1 s polls
        QSignalSpy polled(&w.collector, &Collector::polled);
        QVERIFY(polled.wait(5000)); // running before the backup starts

        QElapsedTimer sinceStart;
        sinceStart.start();
        const qint64 startedWall = QDateTime::currentMSecsSinceEpoch();
        Detached rsync(
            QStringLiteral("rsync"),
            {QStringLiteral("-a"), QStringLiteral("--bwlimit=1000"), src + QLatin1Char('/'), dst});
        QVERIFY(waitFor([&] { return !w.published.proc(dst).isEmpty(); }, 5000));
        const qint64 latency = sinceStart.elapsed();
        qInfo("rsync discovered %lld ms after it started", static_cast<long long>(latency));
        QVERIFY2(latency < 2000, qPrintable(QString::number(latency)));
        QVERIFY(rsync.isRunning()); // found while it ran, not after

        const int row = w.published.proc(dst).first();
        const Session *s = &w.published.store.at(row);
        QCOMPARE(s->tool, QStringLiteral("rsync"));
        QCOMPARE(s->kind, SessionKind::Backup);
        QCOMPARE(s->target, dst);
        QCOMPARE(s->pid, std::optional<qint64>(rsync.pid())); // the client, not its forks
        QCOMPARE(s->key.id,
                 ProcSource::sessionId(rsync.pid(), *ProcessProbe::startTicks(rsync.pid())));
        QCOMPARE(s->title, QStringLiteral("rsync (pid %1)").arg(rsync.pid()));
        QCOMPARE(s->user, ProcessProbe::userName());
        QCOMPARE(s->host, ProcessProbe::hostName());
        QCOMPARE(QFileInfo(s->command.value(0)).fileName(), QStringLiteral("rsync"));
        QCOMPARE(s->command.mid(1),
                 (QStringList{QStringLiteral("-a"), QStringLiteral("--bwlimit=1000"),
                              src + QLatin1Char('/'), dst}));
        QCOMPARE(s->state, SessionState::Running);
        // The process's own start time (btime has whole seconds).
        QVERIFY2(qAbs(*s->startedMs - startedWall) < 1500,
                 qPrintable(QString::number(*s->startedMs - startedWall)));

        // Bytes grow while it runs.
        QVERIFY(waitFor(
            [&] { return w.published.store.at(row).progress.bytesDone.value_or(0) > 0; }, 5000));
        const qint64 first = *w.published.store.at(row).progress.bytesDone;
        QVERIFY(
            waitFor([&] { return *w.published.store.at(row).progress.bytesDone > first; }, 5000));
        QVERIFY(rsync.waitForEnd(15000));
        QVERIFY(
            waitFor([&] { return w.published.store.at(row).state == SessionState::Exited; }, 5000));
        s = &w.published.store.at(row);
        QVERIFY(s->summary.contains(QLatin1String("exit status is unknown")));
        QVERIFY(s->progress.rate.value_or(0) > 0);
        QVERIFY2(s->progress.current.startsWith(src + QLatin1Char('/')),
                 qPrintable(s->progress.current)); // the sender's open source file
        // Exactly one session although rsync ran as three processes.
        QCOMPARE(w.published
                     .rows([&](const Session &x) {
                         return x.tool == QLatin1String("rsync") && x.command.contains(dst);
                     })
                     .size(),
                 1);
        QCOMPARE(QDir(dst).entryList(QDir::Files).size(), 3);
    }

    void aWrappedRsyncIsNotShownTwice() {
        QVERIFY(hasTool(QStringLiteral("rsync")));
        TempSpool spool;
        QTemporaryDir dir;
        const QString src = dir.filePath(QStringLiteral("src"));
        const QString dst = dir.filePath(QStringLiteral("dst"));
        makeTree(src, 3, 1024 * 1024);

        std::vector<std::unique_ptr<SessionSource>> sources;
        sources.push_back(std::make_unique<SpoolSource>(spool.path()));
        sources.push_back(std::make_unique<ProcSource>());
        Watched w(std::move(sources));
        QSignalSpy polled(&w.collector, &Collector::polled);
        QVERIFY(polled.wait(5000));

        // Detached too, so only the wrapper (not "our own tree") can hide it.
        Detached wrapper(cliPath(),
                         {QStringLiteral("run"), QStringLiteral("--"), QStringLiteral("rsync"),
                          QStringLiteral("-a"), QStringLiteral("--bwlimit=1000"),
                          src + QLatin1Char('/'), dst});
        QVERIFY(waitFor(
            [&] {
                return !w.published.rows([&](const Session &s) { return s.target == dst; })
                            .isEmpty();
            },
            5000));
        // Several polls while rsync runs.
        const int before = polled.count();
        QVERIFY(waitFor([&] { return polled.count() >= before + 2; }, 5000));
        QVERIFY(wrapper.isRunning());
        QVERIFY(wrapper.waitForEnd(15000));
        // Two polls: the one under way may have read the file before the end.
        const int after = polled.count();
        QVERIFY(waitFor([&] { return polled.count() >= after + 2; }, 5000));

        const QList<int> rows = w.published.rows([&](const Session &s) { return s.target == dst; });
        QCOMPARE(rows.size(), 1);
        const Session &s = w.published.store.at(rows.first());
        QCOMPARE(s.key.source, QStringLiteral("spool"));
        QCOMPARE(s.state, SessionState::Succeeded);
        QVERIFY(w.published.proc(dst).isEmpty());
    }

    void discoversARealResticBackup() {
        QVERIFY(hasTool(QStringLiteral("restic")));
        QTemporaryDir dir;
        const QString repo = dir.filePath(QStringLiteral("repo"));
        const QString data = dir.filePath(QStringLiteral("data"));
        makeTree(data, 4, 1024 * 1024);
        const QByteArray password =
            "kw-env-only-" + QByteArray::number(QRandomGenerator::global()->generate());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RESTIC_PASSWORD"), QString::fromLatin1(password));
        env.insert(QStringLiteral("RESTIC_CACHE_DIR"), dir.filePath(QStringLiteral("cache")));
        QVERIFY(runProgram(QStringLiteral("restic"),
                           {QStringLiteral("-r"), repo, QStringLiteral("init")}, env));

        Poller p;
        p.poll();
        Detached restic(QStringLiteral("restic"),
                        {QStringLiteral("-r"), repo, QStringLiteral("backup"),
                         QStringLiteral("--limit-upload"), QStringLiteral("1000"),
                         QStringLiteral("--host"), QStringLiteral("kwtest"), data},
                        env);
        QVERIFY(p.pollUntil([&] { return !p.published.pid(restic.pid()).isEmpty(); }, 5000));
        const int row = p.published.pid(restic.pid()).first();
        const Session &s = p.published.store.at(row);
        QCOMPARE(s.tool, QStringLiteral("restic"));
        QCOMPARE(s.kind, SessionKind::Backup);
        QCOMPARE(s.target, repo);
        QCOMPARE(s.title, QStringLiteral("restic backup (pid %1)").arg(restic.pid()));
        QVERIFY(p.pollUntil(
            [&] { return p.published.store.at(row).progress.bytesDone.value_or(0) > 0; }, 10000));
        QVERIFY(restic.waitForEnd(20000));
        QVERIFY(p.pollUntil([&] { return p.published.store.at(row).state == SessionState::Exited; },
                            5000));
        // Its environment was never read.
        QVERIFY(!p.published.wire.contains(password));
        QCOMPARE(p.published.pid(restic.pid()).size(), 1);
    }

    void discoversARealBorgCreateAndItsLock() {
        QVERIFY(hasTool(QStringLiteral("borg")));
        QTemporaryDir dir;
        const QString repo = dir.filePath(QStringLiteral("repo"));
        const QString data = dir.filePath(QStringLiteral("data"));
        makeTree(data, 12, 1024 * 1024); // lzma on random bytes: a few seconds
        const QByteArray passphrase =
            "kw-env-only-" + QByteArray::number(QRandomGenerator::global()->generate());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BORG_PASSPHRASE"), QString::fromLatin1(passphrase));
        env.insert(QStringLiteral("BORG_BASE_DIR"), dir.filePath(QStringLiteral("base")));
        env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
        QVERIFY(runProgram(QStringLiteral("borg"),
                           {QStringLiteral("init"), QStringLiteral("--encryption=repokey"), repo},
                           env));

        Poller p;
        p.poll();
        Detached borg(QStringLiteral("borg"),
                      {QStringLiteral("create"), QStringLiteral("--compression"),
                       QStringLiteral("lzma,6"), repo + QLatin1String("::a1"), data},
                      env);
        QVERIFY(p.pollUntil([&] { return !p.published.pid(borg.pid()).isEmpty(); }, 5000));
        const int row = p.published.pid(borg.pid()).first();
        const Session &s = p.published.store.at(row);
        QCOMPARE(s.tool, QStringLiteral("borg"));
        QCOMPARE(s.kind, SessionKind::Backup);
        QCOMPARE(s.target, repo);
        QCOMPARE(s.title, QStringLiteral("borg create (pid %1)").arg(borg.pid()));
        // borg's own lock, read from the repository's lock.roster.
        const QString lockLine = QStringLiteral("exclusive, held by pid %1 on ").arg(borg.pid());
        QVERIFY2(p.pollUntil([&] { return p.published.logText(row).contains(lockLine); }, 10000),
                 qPrintable(p.published.logText(row)));
        QVERIFY(p.pollUntil(
            [&] {
                return p.published.store.at(row).progress.current.startsWith(data
                                                                             + QLatin1Char('/'));
            },
            10000));
        QVERIFY(borg.waitForEnd(20000));
        QVERIFY(p.pollUntil([&] { return p.published.store.at(row).state == SessionState::Exited; },
                            5000));
        QVERIFY(p.published.store.at(row).progress.bytesDone.value_or(0) > 0);
        QVERIFY(!p.published.wire.contains(passphrase));
    }

    void neverShowsSecrets_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<SessionKind>("kind");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("target");
        QTest::newRow("restic restore, password and URL credentials")
            << "restic"
            << QStringList{QStringLiteral("-r"),
                           QStringLiteral("rest:https://u:hunter2@host/"),
                           QStringLiteral("--password=hunter2"),
                           QStringLiteral("restore"),
                           QStringLiteral("latest"),
                           QStringLiteral("--target"),
                           QStringLiteral("/tmp/r")}
            << SessionKind::Restore << "restic restore"
            << "rest:https://u:***@host/";
        QTest::newRow("restic, password as the next word")
            << "restic"
            << QStringList{QStringLiteral("--password"), QStringLiteral("hunter2"),
                           QStringLiteral("backup"), QStringLiteral("/home")}
            << SessionKind::Backup << "restic backup"
            << "";
        QTest::newRow("restic, password command")
            << "restic"
            << QStringList{QStringLiteral("--password-command"), QStringLiteral("echo hunter2"),
                           QStringLiteral("check")}
            << SessionKind::Verify << "restic check"
            << "";
        QTest::newRow("borg over ssh with a password in the URL")
            << "borg"
            << QStringList{QStringLiteral("create"),
                           QStringLiteral("ssh://u:hunter2@host:22/./repo::a1"),
                           QStringLiteral("/home")}
            << SessionKind::Backup << "borg create"
            << "ssh://u:***@host:22/./repo";
    }
    void neverShowsSecrets() {
        QFETCH(QString, tool);
        QFETCH(QStringList, args);
        QFETCH(SessionKind, kind);
        QFETCH(QString, title);
        QFETCH(QString, target);
        QTemporaryDir dir;
        Poller p;
        p.poll();
        Detached fake(fakeTool(dir, tool), args);
        QVERIFY(p.pollUntil([&] { return !p.published.pid(fake.pid()).isEmpty(); }, 5000));
        const Session &s = p.published.store.at(p.published.pid(fake.pid()).first());
        QCOMPARE(s.tool, tool);
        QCOMPARE(s.kind, kind);
        QCOMPARE(s.title, QStringLiteral("%1 (pid %2)").arg(title).arg(fake.pid()));
        QCOMPARE(s.target, target);
        QVERIFY(s.command.join(QLatin1Char(' ')).contains(QLatin1String("***")));
        for (const QString &field : {s.title, s.target, s.command.join(QLatin1Char(' ')), s.cwd})
            QVERIFY2(!field.contains(QLatin1String("hunter2")), qPrintable(field));
        ::kill(pid_t(fake.pid()), SIGTERM);
        QVERIFY(fake.waitForEnd(5000));
        QVERIFY(p.pollUntil(
            [&] {
                return p.published.store.at(p.published.pid(fake.pid()).first()).state
                       == SessionState::Exited;
            },
            5000));
        QVERIFY2(!p.published.wire.contains("hunter2"), p.published.wire.constData());
    }

    void neverShowsItsOwnChildren() {
        // A backup tool started by the collector's process itself (its own
        // tree) is not a discovery: it is already the caller's business.
        QTemporaryDir dir;
        QProcess child;
        child.start(fakeTool(dir, QStringLiteral("restic")), {QStringLiteral("backup")});
        QVERIFY(child.waitForStarted());
        Detached other(fakeTool(dir, QStringLiteral("restic")), {QStringLiteral("backup")});
        Poller p;
        QVERIFY(p.pollUntil([&] { return !p.published.pid(other.pid()).isEmpty(); }, 5000));
        p.poll();
        QVERIFY(p.published.pid(child.processId()).isEmpty());
        child.kill();
        child.waitForFinished();
        ::kill(pid_t(other.pid()), SIGTERM);
    }

    void listsDiscoveredSessionsInTheCli() {
        TempSpool spool;
        QTemporaryDir dir;
        Detached fake(fakeTool(dir, QStringLiteral("rsync")),
                      {QStringLiteral("-a"), QStringLiteral("/src/"), QStringLiteral("/dst/")});
        const QString id =
            ProcSource::sessionId(fake.pid(), ProcessProbe::startTicks(fake.pid()).value_or(0));
        const CliResult list = runCli({QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(id.toUtf8()), list.out.constData());
        const CliResult show = runCli({QStringLiteral("show"), id});
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(
            show.out.contains(QByteArray("rsync (pid " + QByteArray::number(fake.pid()) + ")")),
            show.out.constData());
        QVERIFY(show.out.contains("/dst/"));
        ::kill(pid_t(fake.pid()), SIGTERM);
    }

    void measuresTheScanOfTheRealProc() {
        Poller p;
        p.poll();
        const ProcSource::ScanStats first = p.source.lastScan();
        qint64 best = std::numeric_limits<qint64>::max();
        ProcSource::ScanStats steady;
        for (int i = 0; i < 20; ++i) {
            p.poll();
            if (p.source.lastScan().elapsedUs < best) {
                best = p.source.lastScan().elapsedUs;
                steady = p.source.lastScan();
            }
        }
        qInfo("first poll: %d processes, %d cmdlines, %lld us; steady poll: %d processes, %d "
              "stat reads, %d cmdlines, %lld us",
              first.processes, first.cmdlineReads, static_cast<long long>(first.elapsedUs),
              steady.processes, steady.statReads, steady.cmdlineReads,
              static_cast<long long>(steady.elapsedUs));
        QVERIFY(steady.processes > 0);
        QVERIFY(steady.cmdlineReads < steady.processes);
        QVERIFY(steady.elapsedUs < 200000); // a generous bound on a shared machine
    }
};

KW_TEST_GUILESS_MAIN(TestProcSource)
#include "tst_procsource.moc"
