// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// The Windows process probe, user accounts and discovery's Toolhelp32 table
// on real processes: this test's own, and children it starts (itself again,
// run with --child, so no other program is needed). Built only for Windows;
// run under wine here (what wine 8.0 lacks is said where it is met).

#include "discovery/processsnapshot.h"
#include "discovery/procsource.h"
#include "discovery/toolhelptable.h"
#include "platform/cancelchannel.h"
#include "platform/processend.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "store/eventbatch.h"
#include "store/sessionstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <cstring>
#include <functional>

// clang-format off
#include <windows.h>
// clang-format on

using namespace kw;

namespace {

// --- the child ----------------------------------------------------------------

// --child sleep MS [WORDS...]: sleeps, then exits 0.
// --child write FILE BYTES TRIGGER: waits for TRIGGER to exist, writes BYTES
// bytes to FILE, then sleeps until killed (at most a minute).
int child(int argc, char **argv) {
    if (argc >= 4 && std::strcmp(argv[2], "sleep") == 0) {
        ::Sleep(DWORD(std::atoi(argv[3])));
        return 0;
    }
    if (argc >= 6 && std::strcmp(argv[2], "write") == 0) {
        const QString trigger = QString::fromLocal8Bit(argv[5]);
        QDeadlineTimer deadline(30000);
        while (!QFileInfo::exists(trigger) && !deadline.hasExpired())
            ::Sleep(20);
        QFile out(QString::fromLocal8Bit(argv[3]));
        if (!out.open(QIODevice::WriteOnly))
            return 2;
        const QByteArray chunk(4096, 'k');
        for (qint64 left = std::atoll(argv[4]); left > 0; left -= chunk.size())
            out.write(chunk.constData(), qMin<qint64>(left, chunk.size()));
        out.close();
        ::Sleep(60000);
        return 0;
    }
    return 1;
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs = 10000) {
    QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
}

bool underWine() {
    return ::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != nullptr;
}

// A child the test started: this program with --child ARGS.
class Child final {
public:
    explicit Child(const QStringList &args, const QString &program = QString()) {
        m_process.setProgram(program.isEmpty() ? QCoreApplication::applicationFilePath() : program);
        m_process.setArguments(QStringList{QStringLiteral("--child")} + args);
        m_process.start();
        if (!m_process.waitForStarted(10000))
            qFatal("cannot start the child: %s", qPrintable(m_process.errorString()));
    }
    ~Child() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10000);
        }
    }
    Q_DISABLE_COPY_MOVE(Child)

    qint64 pid() const { return m_process.processId(); }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
};

const Session *sessionOf(const SessionStore &store, qint64 pid) {
    for (int i = 0; i < store.count(); ++i) {
        if (store.at(i).pid == pid)
            return &store.at(i);
    }
    return nullptr;
}

} // namespace

class TestWin32Probe final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        qInfo("under wine: %s; boot id: '%s'; user: '%s'; host: '%s'; home: '%s'",
              underWine() ? "yes" : "no", qPrintable(ProcessProbe::bootId()),
              qPrintable(ProcessProbe::userName()), qPrintable(ProcessProbe::hostName()),
              qPrintable(UserAccounts::homeOf(UserAccounts::effectiveUid())));
    }

    // --- ProcessProbe on itself ---------------------------------------------

    void startTimeIsStableAndRecent() {
        const qint64 self = QCoreApplication::applicationPid();
        const std::optional<quint64> first = ProcessProbe::startTicks(self);
        QVERIFY(first);
        QThread::msleep(50);
        QCOMPARE(ProcessProbe::startTicks(self), first);
        // A creation FILETIME: this process started in the last few minutes.
        const qint64 startedMs = ProcessSnapshot::fileTimeToMs(*first);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY2(startedMs <= now && startedMs > now - 10 * 60 * 1000,
                 qPrintable(QStringLiteral("started %1 ms ago").arg(now - startedMs)));
        QVERIFY(!ProcessProbe::startTicks(0));
        QVERIFY(!ProcessProbe::startTicks(-5));
    }

    void isAliveItselfAndNotUnderAnotherStartTime() {
        const qint64 self = QCoreApplication::applicationPid();
        const quint64 ticks = *ProcessProbe::startTicks(self);
        const QString boot = ProcessProbe::bootId();
        QCOMPARE(ProcessProbe::bootId(), boot); // the same every time
        if (!boot.isEmpty())
            QVERIFY(boot.startsWith(QLatin1String("windows-boot-")));
        QCOMPARE(ProcessProbe::liveness(self, ticks, boot), ProcessProbe::Liveness::Alive);
        QCOMPARE(ProcessProbe::liveness(self, ticks, QString()), ProcessProbe::Liveness::Alive);
        // The same pid with another start time: a reused pid.
        QCOMPARE(ProcessProbe::liveness(self, ticks + 1, boot), ProcessProbe::Liveness::Gone);
        if (!boot.isEmpty())
            QCOMPARE(ProcessProbe::liveness(self, ticks, QStringLiteral("windows-boot-0")),
                     ProcessProbe::Liveness::Gone);
        QCOMPARE(ProcessProbe::liveness(0, ticks, boot), ProcessProbe::Liveness::Gone);
    }

    void knowsItsHostAndUser() {
        QVERIFY(!ProcessProbe::hostName().isEmpty());
        const QString user = ProcessProbe::userName();
        QVERIFY(!user.isEmpty());
        const uint me = UserAccounts::effectiveUid();
        QVERIFY(me != 0); // never root's number
        QCOMPARE(UserAccounts::effectiveUid(), me);
        QCOMPARE(UserAccounts::nameOf(me), user);
        QCOMPARE(UserAccounts::uidOf(user), std::optional<uint>(me));
        QVERIFY(!UserAccounts::uidOf(QStringLiteral("no-such-user-kw")));
        QCOMPARE(ProcessProbe::ownerUid(QCoreApplication::applicationPid()),
                 std::optional<uint>(me));
        const QString home = UserAccounts::homeOf(me);
        QVERIFY2(QFileInfo(home).isDir(), qPrintable(home));
        QVERIFY(!home.contains(QLatin1Char('\\')));
        QCOMPARE(ProcessProbe::systemdUnit(QCoreApplication::applicationPid()), QString());
    }

    void hasNoGroups() {
        QVERIFY(!UserAccounts::gidOf(QStringLiteral("keepwatch")));
        QVERIFY(!UserAccounts::gidOf(QStringLiteral("Administrators")));
        QVERIFY(!UserAccounts::processHasGroup(0));
        QVERIFY(
            !UserAccounts::isListedMember(ProcessProbe::userName(), QStringLiteral("keepwatch")));
    }

    void ownsTheFilesItMakes() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{}\n");
        f.close();
        QCOMPARE(ProcessProbe::fileOwnerUid(path),
                 std::optional<uint>(UserAccounts::effectiveUid()));
        QCOMPARE(ProcessProbe::fileOwnerUid(dir.path()),
                 std::optional<uint>(UserAccounts::effectiveUid()));
        QVERIFY(!ProcessProbe::fileOwnerUid(dir.filePath(QStringLiteral("missing"))));
        QVERIFY(!ProcessProbe::fileOwnerUid(QString()));
    }

    // --- ProcessProbe on children ----------------------------------------------

    void readsAChildsNameAndArguments() {
        const QStringList args = {QStringLiteral("sleep"), QStringLiteral("10000"),
                                  QStringLiteral("an argument with spaces"),
                                  QStringLiteral("quo\"te"), QStringLiteral("tail\\")};
        Child c(args);
        const QString exe = QFileInfo(QCoreApplication::applicationFilePath()).fileName();
        QCOMPARE(ProcessProbe::name(c.pid()), exe);
        const QStringList argv = ProcessProbe::arguments(c.pid());
        QVERIFY2(!argv.isEmpty(), "no command line");
        QCOMPARE(QFileInfo(argv.first()).fileName(), exe);
        QCOMPARE(argv.mid(1), QStringList{QStringLiteral("--child")} + args);
        QCOMPARE(ProcessProbe::ownerUid(c.pid()),
                 std::optional<uint>(UserAccounts::effectiveUid()));
        QVERIFY(ProcessProbe::wrapperName().endsWith(QLatin1String(".exe")));
    }

    void aFinishedChildIsGone() {
        qint64 pid = 0;
        quint64 ticks = 0;
        {
            Child c({QStringLiteral("sleep"), QStringLiteral("300")});
            pid = c.pid();
            ticks = ProcessProbe::startTicks(pid).value_or(0);
            QVERIFY(ticks != 0);
            QCOMPARE(ProcessProbe::liveness(pid, ticks, ProcessProbe::bootId()),
                     ProcessProbe::Liveness::Alive);
            QVERIFY(c.process().waitForFinished(10000));
            QCOMPARE(c.process().exitCode(), 0);
            // Ended, whether or not a handle to it is still open somewhere.
            QCOMPARE(ProcessProbe::liveness(pid, ticks, ProcessProbe::bootId()),
                     ProcessProbe::Liveness::Gone);
            QVERIFY(!ProcessProbe::startTicks(pid) || *ProcessProbe::startTicks(pid) != ticks);
        }
        // Its last handle closed: no such process at all.
        QCOMPARE(ProcessProbe::liveness(pid, ticks, ProcessProbe::bootId()),
                 ProcessProbe::Liveness::Gone);
        QVERIFY(ProcessProbe::startTicks(pid) != std::optional<quint64>(ticks));
    }

    void setsTheCancelEventOfAPid() {
        // The wrapper's side, made here: the named event of a pid.
        const qint64 pid = QCoreApplication::applicationPid();
        const QString name = cancelEventName(pid);
        HANDLE event =
            ::CreateEventW(nullptr, TRUE, FALSE, reinterpret_cast<LPCWSTR>(name.utf16()));
        QVERIFY(event);
        QCOMPARE(::WaitForSingleObject(event, 0), DWORD(WAIT_TIMEOUT));
        QCOMPARE(ProcessProbe::sendCancelRequest(pid), QString());
        QCOMPARE(::WaitForSingleObject(event, 0), DWORD(WAIT_OBJECT_0));
        ::CloseHandle(event);
        // No wrapper, no event: an error, not a crash or a silent success.
        Child c({QStringLiteral("sleep"), QStringLiteral("10000")});
        const QString error = ProcessProbe::sendCancelRequest(c.pid());
        QVERIFY2(error.contains(QLatin1String("no cancel channel")), qPrintable(error));
        QVERIFY(!ProcessProbe::sendCancelRequest(-1).isEmpty());
    }

    // --- the Toolhelp32 table ---------------------------------------------------

    void listsAChildWithItsParentAndCommandLine() {
        Child c({QStringLiteral("sleep"), QStringLiteral("10000"), QStringLiteral("two words")});
        ToolhelpTable table;
        std::vector<qint64> pids;
        QString error;
        QVERIFY2(table.listPids(pids, error), qPrintable(error));
        QVERIFY(std::find(pids.begin(), pids.end(), c.pid()) != pids.end());
        QVERIFY(std::find(pids.begin(), pids.end(), QCoreApplication::applicationPid())
                != pids.end());
        QVERIFY(std::find(pids.begin(), pids.end(), 0) == pids.end());

        const std::optional<ProcStat> st = table.stat(c.pid());
        QVERIFY(st);
        QCOMPARE(st->ppid, QCoreApplication::applicationPid());
        QCOMPARE(QString::fromUtf8(st->comm),
                 QFileInfo(QCoreApplication::applicationFilePath()).fileName());
        QCOMPARE(st->state, 'R');
        QCOMPARE(st->startTicks, ProcessProbe::startTicks(c.pid()).value_or(1));
        const QStringList argv = table.cmdline(c.pid());
        QCOMPARE(argv.mid(1), (QStringList{QStringLiteral("--child"), QStringLiteral("sleep"),
                                           QStringLiteral("10000"), QStringLiteral("two words")}));
        QCOMPARE(table.realUid(c.pid()), std::optional<uint>(UserAccounts::effectiveUid()));
        QCOMPARE(table.cwd(c.pid()), QString());
        QVERIFY(table.readOnlyFiles(c.pid(), [](const QString &) { return true; }).isEmpty());
        const qint64 started = table.startTimeMs(st->startTicks).value_or(0);
        QVERIFY(qAbs(QDateTime::currentMSecsSinceEpoch() - started) < 60 * 1000);
        QVERIFY(table.wrapperName() == "keepwatch-cli.exe");
        qInfo("child %lld: ppid %lld, comm %s, %lld processes listed", c.pid(), st->ppid,
              st->comm.constData(), static_cast<long long>(pids.size()));
    }

    void countsAChildsWrites() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("written.bin"));
        const QString trigger = dir.filePath(QStringLiteral("go"));
        constexpr qint64 kBytes = 3 * 1024 * 1024;
        Child c({QStringLiteral("write"), out, QString::number(kBytes), trigger});
        ToolhelpTable table;
        std::vector<qint64> pids;
        QString error;
        QVERIFY(table.listPids(pids, error));
        const std::optional<ProcIo> before = table.io(c.pid());
        QVERIFY2(before, "GetProcessIoCounters failed on the child");
        QCOMPARE(before->readBytes, -1);
        QCOMPARE(before->writeBytes, -1);
        QFile go(trigger);
        QVERIFY(go.open(QIODevice::WriteOnly));
        go.close();
        QVERIFY(waitFor([&] { return QFileInfo(out).size() == kBytes; }, 20000));
        const std::optional<ProcIo> after = table.io(c.pid());
        QVERIFY(after);
        qInfo("child's counters: read %lld -> %lld, written %lld -> %lld", before->rchar,
              after->rchar, before->wchar, after->wchar);
        if (underWine() && after->wchar == 0)
            QEXPECT_FAIL("", "wine 8.0: GetProcessIoCounters succeeds with every counter 0", Abort);
        QVERIFY(after->wchar - before->wchar >= kBytes);
    }

    // --- discovery end to end ---------------------------------------------------

    void discoversAToolAndSeesItEnd() {
        // This program copied under a backup tool's name, beside its DLLs.
        const QString restic =
            QCoreApplication::applicationDirPath() + QLatin1String("/restic.exe");
        QFile::remove(restic);
        QVERIFY(QFile::copy(QCoreApplication::applicationFilePath(), restic));
        const auto cleanup = qScopeGuard([&] { QFile::remove(restic); });
        QTemporaryDir dir;
        qint64 pid = 0;
        {
            Child c({QStringLiteral("sleep"), QStringLiteral("20000"), QStringLiteral("backup"),
                     QStringLiteral("C:\\data")},
                    restic);
            pid = c.pid();
            ProcSource::Options options;
            options.ownPid = 0x7ffffff0; // not this test: its children would be hidden
            options.progressIntervalMs = 0;
            ProcSource source(options);
            SessionStore store;
            EventBatch batch;
            QVERIFY(waitFor([&] {
                batch = EventBatch{};
                source.poll(batch);
                store.apply(batch);
                return sessionOf(store, pid) != nullptr;
            }));
            for (const SourceError &e : batch.errors)
                QFAIL(qPrintable(e.message));
            const Session *s = sessionOf(store, pid);
            QCOMPARE(s->tool, QStringLiteral("restic"));
            QCOMPARE(s->key.id, ProcSource::sessionId(pid, *ProcessProbe::startTicks(pid)));
            QCOMPARE(s->state, SessionState::Running);
            QCOMPARE(s->user, ProcessProbe::userName());
            QVERIFY(qAbs(*s->startedMs - QDateTime::currentMSecsSinceEpoch()) < 60 * 1000);
            const ProcSource::ScanStats found = source.lastScan();
            batch = EventBatch{};
            source.poll(batch); // every process known: a listing and one open each
            qInfo("discovered %s: '%s'; %d processes, a poll that found it %lld us, the next "
                  "%lld us",
                  qPrintable(s->key.id), qPrintable(s->title), found.processes, found.elapsedUs,
                  source.lastScan().elapsedUs);
            c.process().kill();
            QVERIFY(c.process().waitForFinished(10000));
            QVERIFY(waitFor([&] {
                batch = EventBatch{};
                source.poll(batch);
                store.apply(batch);
                return sessionOf(store, pid)->state == SessionState::Exited;
            }));
        }
    }
};

// Ends like testmain.h's KW_TEST_MAIN (platform/processend.h).
int main(int argc, char **argv) {
    if (argc > 1 && std::strcmp(argv[1], "--child") == 0)
        return kw::endProcess(child(argc, argv));
    int status = 0;
    {
        QCoreApplication app(argc, argv);
        TestWin32Probe test;
        status = QTest::qExec(&test, argc, argv);
    }
    return kw::endProcess(status);
}

#include "tst_win32probe.moc"
