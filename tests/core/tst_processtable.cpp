// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// Discovery's platform-neutral parts: how a Windows listing becomes a
// process table (ProcessSnapshot), and ProcSource's rules over a table that
// answers the way Windows does (ToolhelpTable: FILETIME start times, parent
// links that go stale instead of re-parenting, no cwd, no open files,
// keepwatch-cli.exe). Runs on Linux and, cross-built, under wine.

#include "discovery/processsnapshot.h"
#include "discovery/processtable.h"
#include "discovery/procsource.h"
#include "platform/useraccounts.h"
#include "protocol/sessionid.h"
#include "store/eventbatch.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "tools/commandline.h"

#include <QCoreApplication>
#include <QTest>
#include <memory>

using namespace kw;

namespace {

// 2026-01-01 00:00:00 UTC as a FILETIME, and in ms since the epoch.
constexpr quint64 kNewYear2026 = 134116992000000000ULL;
constexpr qint64 kNewYear2026Ms = 1767225600000LL;
// One creation-time step apart (a FILETIME counts 100 ns).
constexpr quint64 kSecond = 10000000ULL;

ListedProcess listed(qint64 pid, qint64 ppid, const char *name, std::optional<quint64> created) {
    ListedProcess p;
    p.pid = pid;
    p.ppid = ppid;
    p.name = name;
    p.created = created;
    return p;
}

// argv[0] as each platform writes it: a Windows path is one word elsewhere.
QString program(const char *name) {
#ifdef Q_OS_WIN
    return QStringLiteral("C:\\Program Files\\%1\\%1.exe").arg(QLatin1String(name));
#else
    return QStringLiteral("/usr/bin/%1").arg(QLatin1String(name));
#endif
}

// A process table answering like ToolhelpTable, from what a test sets.
class WindowsLikeTable final : public ProcessTable {
public:
    std::vector<ListedProcess> processes;
    QHash<qint64, QStringList> argv;
    QHash<qint64, ProcIo> counters;
    QHash<qint64, uint> uids;
    mutable int listings = 0;

    void add(const ListedProcess &p, const QStringList &args = {}) {
        processes.push_back(p);
        argv.insert(p.pid, args);
        uids.insert(p.pid, UserAccounts::effectiveUid());
    }
    void remove(qint64 pid) {
        processes.erase(std::remove_if(processes.begin(), processes.end(),
                                       [&](const ListedProcess &p) { return p.pid == pid; }),
                        processes.end());
    }
    ListedProcess &at(qint64 pid) {
        for (ListedProcess &p : processes) {
            if (p.pid == pid)
                return p;
        }
        qFatal("no pid %lld", static_cast<long long>(pid));
    }

    QString root() const override { return QStringLiteral("a test's table"); }
    bool listPids(std::vector<qint64> &out, QString &) const override {
        ++listings;
        m_snapshot.assign(processes);
        m_snapshot.pids(out);
        return true;
    }
    std::optional<ProcStat> stat(qint64 pid) const override { return m_snapshot.stat(pid); }
    QStringList cmdline(qint64 pid) const override {
        const ListedProcess *p = m_snapshot.find(pid);
        return p && p->created && !p->ended ? argv.value(pid) : QStringList();
    }
    std::optional<uint> realUid(qint64 pid) const override {
        const auto it = uids.constFind(pid);
        return it == uids.cend() ? std::nullopt : std::optional<uint>(*it);
    }
    std::optional<ProcIo> io(qint64 pid) const override {
        const auto it = counters.constFind(pid);
        return it == counters.cend() ? std::nullopt : std::optional<ProcIo>(*it);
    }
    QString cwd(qint64) const override { return {}; }
    QList<ProcOpenFile> readOnlyFiles(qint64, const std::function<bool(const QString &)> &,
                                      int) const override {
        return {};
    }
    std::optional<qint64> startTimeMs(quint64 startTicks) const override {
        if (startTicks == 0)
            return std::nullopt;
        return ProcessSnapshot::fileTimeToMs(startTicks);
    }
    QByteArray wrapperName() const override { return QByteArrayLiteral("keepwatch-cli.exe"); }

private:
    mutable ProcessSnapshot m_snapshot;
};

ProcIo ioOf(qint64 read, qint64 written) {
    ProcIo io;
    io.rchar = read;
    io.wchar = written;
    return io;
}

// A ProcSource over a WindowsLikeTable, with what it published folded in a store.
class Watch final {
public:
    explicit Watch(qint64 ownPid = 999999)
        : table(std::make_shared<WindowsLikeTable>())
        , source(options(table, ownPid)) {}

    std::shared_ptr<WindowsLikeTable> table;
    ProcSource source;
    SessionStore store;
    EventBatch last;

    void poll() {
        last = EventBatch{};
        source.poll(last);
        store.apply(last);
    }
    const Session *session(qint64 pid, quint64 created) const {
        const QString id = ProcSource::sessionId(pid, created);
        for (int i = 0; i < store.count(); ++i) {
            if (store.at(i).key.id == id)
                return &store.at(i);
        }
        return nullptr;
    }
    int running() const {
        int n = 0;
        for (int i = 0; i < store.count(); ++i)
            n += store.at(i).state == SessionState::Running ? 1 : 0;
        return n;
    }

private:
    static ProcSource::Options options(const std::shared_ptr<WindowsLikeTable> &table,
                                       qint64 ownPid) {
        ProcSource::Options o;
        o.table = table;
        o.ownPid = ownPid;
        o.progressIntervalMs = 0; // sample on every poll
        return o;
    }
};

const QStringList resticBackup = {program("restic"), QStringLiteral("-r"),
                                  QStringLiteral("sftp:nas:/srv/restic"), QStringLiteral("backup"),
                                  QStringLiteral("docs")};

} // namespace

class TestProcessTable final : public QObject {
    Q_OBJECT

private slots:
    // --- ProcessSnapshot -------------------------------------------------------

    void keepsAParentThatIsListedAndNotYounger() {
        ProcessSnapshot s;
        s.assign({listed(10, 4, "explorer.exe", kNewYear2026),
                  listed(20, 10, "cmd.exe", kNewYear2026 + kSecond),
                  // Created in the same tick as its parent: still its child.
                  listed(30, 20, "restic.exe", kNewYear2026 + kSecond)});
        QCOMPARE(s.stat(20)->ppid, 10);
        QCOMPARE(s.stat(30)->ppid, 20);
    }

    void dropsAParentThatEndedOrWhosePidWasReused() {
        ListedProcess exited = listed(50, 0, "keepwatch-cli.exe", kNewYear2026);
        exited.ended = true; // someone still holds a handle to it
        ProcessSnapshot s;
        s.assign({// Its parent 500 is not listed: ended.
                  listed(10, 500, "restic.exe", kNewYear2026),
                  // Its parent's pid now names a younger process.
                  listed(20, 30, "restic.exe", kNewYear2026),
                  listed(30, 0, "notepad.exe", kNewYear2026 + kSecond),
                  // Its parent has exited.
                  listed(40, 50, "restic.exe", kNewYear2026 + kSecond), exited});
        QCOMPARE(s.stat(10)->ppid, 0);
        QCOMPARE(s.stat(20)->ppid, 0);
        QCOMPARE(s.stat(40)->ppid, 0);
        QCOMPARE(s.stat(50)->state, 'Z');
        QVERIFY(s.stat(50)->hasEnded());
        QVERIFY(!s.stat(40)->hasEnded());
    }

    void keepsALinkWhoseTimesAreUnknown() {
        // Another user's parent cannot be opened: nothing says it is younger.
        ProcessSnapshot s;
        s.assign({listed(10, 4, "svchost.exe", std::nullopt),
                  listed(20, 10, "restic.exe", kNewYear2026)});
        QCOMPARE(s.stat(20)->ppid, 10);
        QCOMPARE(s.stat(10)->startTicks, quint64(0));
        QCOMPARE(s.stat(10)->ppid, 0);
    }

    void answersFromTheListing() {
        ProcessSnapshot s;
        s.assign({listed(0, 0, "[System Process]", std::nullopt),
                  listed(7, 7, "odd.exe", kNewYear2026),
                  listed(42, 7, "restic.exe", kNewYear2026 + kSecond)});
        std::vector<qint64> pids;
        s.pids(pids);
        std::sort(pids.begin(), pids.end());
        QCOMPARE(pids, (std::vector<qint64>{7, 42})); // the idle process is no process
        const std::optional<ProcStat> st = s.stat(42);
        QVERIFY(st);
        QCOMPARE(st->pid, 42);
        QCOMPARE(st->comm, QByteArray("restic.exe"));
        QCOMPARE(st->state, 'R');
        QCOMPARE(st->startTicks, kNewYear2026 + kSecond);
        QVERIFY(!st->isKernelThread());
        QCOMPARE(s.stat(7)->ppid, 0); // its own parent: none
        QVERIFY(!s.stat(8));
        QVERIFY(!s.find(8));
        s.clear();
        QVERIFY(!s.stat(42));
    }

    void convertsFileTimes() {
        QCOMPARE(ProcessSnapshot::fileTimeToMs(ProcessSnapshot::kUnixEpoch), 0);
        QCOMPARE(ProcessSnapshot::fileTimeToMs(kNewYear2026), kNewYear2026Ms);
        QCOMPARE(ProcessSnapshot::fileTimeToMs(kNewYear2026 + 12345678), kNewYear2026Ms + 1234);
        QCOMPARE(ProcessSnapshot::fileTimeToMs(0), -11644473600000LL);
    }

    void namesProgramsTheWayThePlatformDoes() {
        QCOMPARE(CommandLineInfo::executableName(QStringLiteral("/usr/bin/restic")),
                 QStringLiteral("restic"));
        QCOMPARE(CommandLineInfo::programName(resticBackup), QStringLiteral("restic"));
#ifdef Q_OS_WIN
        QCOMPARE(CommandLineInfo::executableName(QStringLiteral("C:\\Tools\\rclone.EXE")),
                 QStringLiteral("rclone"));
        QCOMPARE(CommandLineInfo::executableName(QStringLiteral("restic.exe")),
                 QStringLiteral("restic"));
        const CommandLineInfo info = CommandLineInfo::inspect(resticBackup);
        QCOMPARE(info.tool, QStringLiteral("restic"));
        QCOMPARE(info.subcommand, QStringLiteral("backup"));
        QCOMPARE(info.kind, SessionKind::Backup);
#else
        // Elsewhere ".exe" is part of the name.
        QCOMPARE(CommandLineInfo::executableName(QStringLiteral("restic.exe")),
                 QStringLiteral("restic.exe"));
#endif
    }

    // --- ProcSource over a Windows-like table ----------------------------------

    void showsAToolWithWhatWindowsTells() {
        Watch w;
        const quint64 created = kNewYear2026;
        w.table->add(listed(100, 4, "explorer.exe", created - 60 * kSecond), {program("explorer")});
        w.table->add(listed(4242, 100, "restic.exe", created), resticBackup);
        w.table->counters.insert(4242, ioOf(5000, 10));
        w.poll();
        const Session *s = w.session(4242, created);
        QVERIFY(s);
        QCOMPARE(s->tool, QStringLiteral("restic"));
        QCOMPARE(s->kind, SessionKind::Backup);
        QCOMPARE(s->command, resticBackup);
        QCOMPARE(s->pid, std::optional<qint64>(4242));
        QCOMPARE(*s->startedMs, kNewYear2026Ms); // the creation FILETIME
        QCOMPARE(s->cwd, QString());             // Windows does not tell
        QCOMPARE(s->user, UserAccounts::nameOf(UserAccounts::effectiveUid()));
        QCOMPARE(s->progress.bytesDone, std::optional<qint64>(5000)); // a backup's reads
        QCOMPARE(s->progress.current, QString());                     // no open-file list
        QCOMPARE(w.store.count(), 1);
        // The largest pid Windows has (a DWORD) with a FILETIME: still a valid ID.
        QCOMPARE(SessionId::validationError(ProcSource::sessionId(0xFFFFFFFC, kNewYear2026)),
                 QString());

        w.table->counters.insert(4242, ioOf(9000, 10));
        w.poll();
        QCOMPARE(w.session(4242, created)->progress.bytesDone, std::optional<qint64>(9000));

        w.table->remove(4242);
        w.poll();
        QCOMPARE(w.session(4242, created)->state, SessionState::Exited);
    }

    void saysWhenByteCountsAreMissing() {
        Watch w;
        w.table->add(listed(4242, 0, "restic.exe", kNewYear2026), resticBackup);
        w.poll();
        const Session *s = w.session(4242, kNewYear2026);
        QVERIFY(s);
        QCOMPARE(s->progress.bytesDone, std::nullopt);
        QCOMPARE(w.store.log(0).endSeq() - w.store.log(0).firstSeq(), 1); // the note, once
        w.poll();
        QCOMPARE(w.store.log(0).endSeq() - w.store.log(0).firstSeq(), 1);
    }

    void hidesWrappedHelperAndOwnProcesses() {
        Watch w(/*ownPid=*/300);
        // Under this user's keepwatch-cli.exe: the spool has it.
        w.table->add(listed(200, 0, "keepwatch-cli.exe", kNewYear2026),
                     {program("keepwatch-cli"), QStringLiteral("run"), QStringLiteral("--")});
        w.table->add(listed(201, 200, "restic.exe", kNewYear2026 + kSecond), resticBackup);
        // restic's rclone backend: a helper of a tool.
        w.table->add(listed(202, 201, "rclone.exe", kNewYear2026 + 2 * kSecond),
                     {program("rclone"), QStringLiteral("serve"), QStringLiteral("restic")});
        // Started by the collector itself.
        w.table->add(listed(300, 0, "keepwatch.exe", kNewYear2026), {program("keepwatch")});
        w.table->add(listed(301, 300, "restic.exe", kNewYear2026 + kSecond), resticBackup);
        w.poll();
        QCOMPARE(w.store.count(), 0);
    }

    void showsAWrappedToolWhenItsWrapperEnds() {
        // Windows keeps the dead parent's pid in the child's entry: the
        // snapshot drops the link, so the tool is looked at again, as on
        // Linux when the orphan is re-parented.
        Watch w;
        w.table->add(listed(200, 0, "keepwatch-cli.exe", kNewYear2026),
                     {program("keepwatch-cli"), QStringLiteral("run"), QStringLiteral("--")});
        w.table->add(listed(201, 200, "restic.exe", kNewYear2026 + kSecond), resticBackup);
        w.poll();
        QCOMPARE(w.store.count(), 0);

        w.table->remove(200);
        w.poll();
        QVERIFY(w.session(201, kNewYear2026 + kSecond));
        QCOMPARE(w.running(), 1);
    }

    void aParentPidReusedByAYoungerProcessIsNotTheWrapper() {
        Watch w;
        // 200 was the wrapper; it ended and the pid now names a younger
        // keepwatch-cli.exe that did not start this restic.
        w.table->add(listed(200, 0, "keepwatch-cli.exe", kNewYear2026 + 10 * kSecond),
                     {program("keepwatch-cli"), QStringLiteral("list")});
        w.table->add(listed(201, 200, "restic.exe", kNewYear2026), resticBackup);
        w.poll();
        QVERIFY(w.session(201, kNewYear2026));
    }

    void anotherUsersWrapperDoesNotHideItsTool() {
        // No system spool on Windows, and on Linux none readable here: the
        // sessions of another user's wrapper do not reach this user.
        Watch w;
        w.table->add(listed(200, 0, "keepwatch-cli.exe", kNewYear2026),
                     {program("keepwatch-cli"), QStringLiteral("run"), QStringLiteral("--")});
        w.table->uids.insert(200, UserAccounts::effectiveUid() + 1);
        w.table->add(listed(201, 200, "restic.exe", kNewYear2026 + kSecond), resticBackup);
        w.poll();
        QVERIFY(w.session(201, kNewYear2026 + kSecond));
        QVERIFY(QString::fromUtf8(w.store.log(0).line(w.store.log(0).firstSeq()).text.toByteArray())
                    .startsWith(QLatin1String("started by keepwatch-cli run of ")));
    }

    void aReusedPidIsANewSession() {
        Watch w;
        w.table->add(listed(4242, 0, "restic.exe", kNewYear2026), resticBackup);
        w.poll();
        QVERIFY(w.session(4242, kNewYear2026));

        // Gone between two polls, and the pid given to another restic.
        w.table->at(4242).created = kNewYear2026 + 30 * kSecond;
        w.poll();
        QCOMPARE(w.session(4242, kNewYear2026)->state, SessionState::Exited);
        QCOMPARE(w.session(4242, kNewYear2026 + 30 * kSecond)->state, SessionState::Running);
    }

    void anExitedProcessStillHeldEnds() {
        Watch w;
        w.table->add(listed(4242, 0, "restic.exe", kNewYear2026), resticBackup);
        w.poll();
        w.table->at(4242).ended = true; // exited; a handle keeps it listed
        w.poll();
        QCOMPARE(w.session(4242, kNewYear2026)->state, SessionState::Exited);
        w.poll();
        QCOMPARE(w.store.count(), 1);
    }

    void aKnownProcessIsNotReadAgain() {
        Watch w;
        for (qint64 pid = 1000; pid < 1100; ++pid)
            w.table->add(listed(pid, 0, "svchost.exe", kNewYear2026), {program("svchost")});
        w.poll();
        QCOMPARE(w.source.lastScan().processes, 100);
        QCOMPARE(w.source.lastScan().cmdlineReads, 100);
        w.poll();
        QCOMPARE(w.source.lastScan().statReads, 100);
        QCOMPARE(w.source.lastScan().cmdlineReads, 0);
    }
};

KW_TEST_GUILESS_MAIN(TestProcessTable)
#include "tst_processtable.moc"
