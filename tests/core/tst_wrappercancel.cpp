// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cancel/wrappercancel.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "spool/spoolsnapshot.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <thread>

using namespace kw;
using namespace kw::test;

// The checks before a wrapper is signalled, on real processes: the spool is
// untrusted, so anything short of the session's own live wrapper is refused.
class TestWrapperCancel final : public QObject {
    Q_OBJECT

    // A target naming the real process `pid` (its real start time and boot).
    static WrapperCancel::Target naming(qint64 pid) {
        WrapperCancel::Target t;
        t.sessionId = QStringLiteral("s");
        t.producerPid = pid;
        t.producerStartTicks = ProcessProbe::startTicks(pid);
        t.bootId = ProcessProbe::bootId();
        return t;
    }

    // `keepwatch-cli run --session-id real -- sleep 30`, waited for until it
    // passes the process checks: exec sets the name before the arguments, so
    // waiting for the name alone raced (1 run in 5).
    static bool startWrapper(QProcess &wrapper) {
        wrapper.start(cliPath(), {QStringLiteral("run"), QStringLiteral("--session-id"),
                                  QStringLiteral("real"), QStringLiteral("--"),
                                  QStringLiteral("sleep"), QStringLiteral("30")});
        return wrapper.waitForStarted() && waitFor([&] {
                   return WrapperCancel::refusal(naming(wrapper.processId())).isEmpty();
               });
    }

private slots:
    void refusals_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("refusal");
        QTest::newRow("ended") << QStringLiteral("ended") << QStringLiteral("has already ended");
        QTest::newRow("no producer")
            << QStringLiteral("no producer") << QStringLiteral("was not started by keepwatch-cli");
        QTest::newRow("producer gone")
            << QStringLiteral("gone") << QStringLiteral("is no longer running");
        QTest::newRow("reused pid")
            << QStringLiteral("other start") << QStringLiteral("is no longer running");
        QTest::newRow("not keepwatch-cli")
            << QStringLiteral("stranger") << QStringLiteral("is not a keepwatch-cli wrapper");
        QTest::newRow("keepwatch-cli, not run")
            << QStringLiteral("cli not run") << QStringLiteral("is not a keepwatch-cli wrapper");
    }
    void refusals() {
        QFETCH(QString, what);
        QFETCH(QString, refusal);
        QProcess process;
        QTemporaryDir bin;
        if (what == QLatin1String("cli not run")) {
            // A process named keepwatch-cli whose argv[1] is not "run" (a
            // `list` or an `export` would die of the signal).
            const QString fake = bin.filePath(QStringLiteral("keepwatch-cli"));
            QVERIFY(QFile::link(QStandardPaths::findExecutable(QStringLiteral("sleep")), fake));
            process.start(fake, {QStringLiteral("30")});
        } else {
            process.start(QStringLiteral("sleep"), {QStringLiteral("30")});
        }
        QVERIFY(process.waitForStarted());
        // exec() has happened once /proc shows the new name.
        const QString expected = what == QLatin1String("cli not run")
                                     ? QStringLiteral("keepwatch-cli")
                                     : QStringLiteral("sleep");
        QVERIFY(waitFor([&] { return ProcessProbe::name(process.processId()) == expected; }));
        WrapperCancel::Target t = naming(process.processId());
        if (what == QLatin1String("ended"))
            t.state = SessionState::Succeeded;
        else if (what == QLatin1String("no producer"))
            t.producerPid.reset();
        else if (what == QLatin1String("other start"))
            t.producerStartTicks = *t.producerStartTicks + 1;
        if (what == QLatin1String("gone")) {
            process.kill();
            process.waitForFinished();
        }
        const QString why = WrapperCancel::request(t);
        QVERIFY2(why.contains(refusal), qPrintable(why));
        if (what != QLatin1String("gone"))
            QCOMPARE(process.state(), QProcess::Running); // not signalled
        process.kill();
        process.waitForFinished();
    }

    void refusalsAreLoggedUnderTheCancelCategory() {
        // Off by default; QT_LOGGING_RULES="keepwatch.cancel.info=true" shows them.
        static QStringList seen;
        seen.clear();
        const QtMessageHandler previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &context, const QString &msg) {
                seen << QLatin1String(context.category) + QStringLiteral(": ") + msg;
            });
        WrapperCancel::Target orphan;
        orphan.sessionId = QStringLiteral("orphan");
        WrapperCancel::request(orphan);
        QVERIFY(seen.isEmpty());
        QLoggingCategory::setFilterRules(QStringLiteral("keepwatch.cancel.info=true"));
        WrapperCancel::request(orphan);
        QLoggingCategory::setFilterRules(QString());
        qInstallMessageHandler(previous);
        QCOMPARE(seen.size(), 1);
        QVERIFY2(
            seen.first().startsWith(QLatin1String("keepwatch.cancel: refused: session 'orphan'")),
            qPrintable(seen.first()));
    }

    void twoSessionsNamingOneWrapperAreRefused() {
        const TempSpool spool;
        QProcess wrapper;
        QVERIFY(startWrapper(wrapper));
        WrapperCancel::Target t = naming(wrapper.processId());
        t.otherProducers.append({QStringLiteral("forged"), *t.producerPid, *t.producerStartTicks});
        const QString why = WrapperCancel::refusal(t);
        QVERIFY2(why.contains(QLatin1String("also named as the wrapper of session 'forged'")),
                 qPrintable(why));
        // Without the forged twin it may be signalled.
        t.otherProducers.clear();
        QCOMPARE(WrapperCancel::refusal(t), QString());
        wrapper.kill();
        wrapper.waitForFinished();
    }

    void aSystemSpoolSessionIsCancelledOnlyThroughItsOwnersWrapper() {
        // A file in another user's system spool directory naming this
        // user's wrapper (its real pid and start time): refused, whoever
        // asks. Root is refused by the wrapper's owner; anybody else sooner,
        // by whose the session is.
        const TempSpool spool;
        QProcess wrapper;
        QVERIFY(startWrapper(wrapper));
        const QString me = UserAccounts::nameOf(UserAccounts::effectiveUid());
        const QString other =
            me == QLatin1String("nobody") ? QStringLiteral("root") : QStringLiteral("nobody");
        WrapperCancel::Target t = naming(wrapper.processId());
        t.spoolOwner = other;
        t.source = QStringLiteral("system:") + other;
        const QString why = WrapperCancel::refusal(t);
        const QString expected =
            UserAccounts::effectiveUid() == 0
                ? QStringLiteral("runs as root, but the session is %1's; refusing to signal it")
                      .arg(other)
                : QStringLiteral("session 's' is %1's: only %1").arg(other);
        QVERIFY2(why.contains(expected), qPrintable(why));
        // In its owner's own directory it may be signalled.
        t.spoolOwner = me;
        t.source = QStringLiteral("system:") + me;
        QCOMPARE(WrapperCancel::refusal(t), QString());
        wrapper.kill();
        wrapper.waitForFinished();
    }

    // Root's signal may only reach the wrapper of the user whose file names
    // it: a file of nobody's naming root's wrapper is refused, and the
    // wrapper runs on; the same target with root's own file may be signalled.
    void rootRefusesAWrapperOfAnotherUserThanTheFilesOwner() {
        if (UserAccounts::effectiveUid() != 0)
            QSKIP("needs root: chowns a session file to nobody (CI runs as root)");
        const TempSpool spool;
        QProcess wrapper;
        QVERIFY(startWrapper(wrapper));
        spool.append(QStringLiteral("forged.jsonl"), QByteArray());
        const QString forged = spool.path() + QStringLiteral("/forged.jsonl");
        QCOMPARE(QProcess::execute(QStringLiteral("chown"), {QStringLiteral("nobody"), forged}), 0);

        WrapperCancel::Target t = naming(wrapper.processId());
        t.sessionFile = forged;
        const QString why = WrapperCancel::request(t);
        QVERIFY2(why.contains(QStringLiteral(
                     "runs as root, but the session is nobody's; refusing to signal it")),
                 qPrintable(why));
        QTest::qWait(200);
        QCOMPARE(wrapper.state(), QProcess::Running);
        // The wrapper writes its file once it runs (late under a sanitizer).
        QFile real(spool.file(QStringLiteral("real")));
        QVERIFY(waitFor([&] { return real.exists(); }));
        QVERIFY(real.open(QIODevice::ReadOnly));
        QVERIFY(!real.readAll().contains("cancelling"));

        // A named file that cannot be checked is refused too, as root.
        t.sessionFile = spool.path() + QStringLiteral("/gone.jsonl");
        QVERIFY(WrapperCancel::refusal(t).contains(QStringLiteral("cannot tell who owns")));
        t.sessionFile = spool.file(QStringLiteral("real"));
        QCOMPARE(WrapperCancel::refusal(t), QString());
        wrapper.kill();
        wrapper.waitForFinished();
    }

    void waitForEndFollowsTheSessionsFile() {
        const TempSpool spool;
        const QString id = QStringLiteral("follow");
        spool.append(id + QStringLiteral(".jsonl"), encode({startEvent(id, 1000)}));
        // Nothing ends it: the wait gives up at its timeout.
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!WrapperCancel::waitForEnd(spool.file(id), id, 300));
        QVERIFY(timer.elapsed() >= 300);
        // Another session's end in the same file is not this one's.
        spool.append(id + QStringLiteral(".jsonl"),
                     encode({endEvent(QStringLiteral("other"), 1500, SessionState::Failed, 1)}));
        QVERIFY(!WrapperCancel::waitForEnd(spool.file(id), id, 100));
        // An end written while it waits is seen.
        std::thread writer([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            spool.append(id + QStringLiteral(".jsonl"),
                         encode({endEvent(id, 2000, SessionState::Cancelled, 143)}));
        });
        const auto state = WrapperCancel::waitForEnd(spool.file(id), id, 10000);
        writer.join();
        QCOMPARE(state, std::optional<SessionState>(SessionState::Cancelled));
    }
};

KW_TEST_GUILESS_MAIN(TestWrapperCancel)
#include "tst_wrappercancel.moc"
