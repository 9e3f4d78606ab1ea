// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launch/secrettoolkeyring.h"
#include "launch/sessioncanceller.h"
#include "spool/spoolsnapshot.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

// A stand-in for secret-tool: records its arguments and stdin, answers as told.
QString writeFakeSecretTool(const QTemporaryDir &dir, int exitCode, const QByteArray &stderrText) {
    const QString path = dir.filePath(QStringLiteral("secret-tool"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write("#!/bin/sh\n"
            "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\n"
            "cat > \"$(dirname \"$0\")/stdin\"\n"
            "printf '%s' '"
            + stderrText
            + "' >&2\n"
              "exit "
            + QByteArray::number(exitCode) + "\n");
    f.close();
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return path;
}

QByteArray readAll(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace

class TestLaunchHelpers final : public QObject {
    Q_OBJECT

private slots:
    void keyringStoresThroughStdin() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SecretToolKeyring keyring;
        keyring.setProgram(writeFakeSecretTool(dir, 0, {}));
        QSignalSpy finished(&keyring, &SecretToolKeyring::finished);
        const QString password = QStringLiteral("p4ss 'wörd' $(x)\nline two");
        QVERIFY(keyring.store(QStringLiteral("Ann's photos"), password));
        QVERIFY(keyring.isBusy());
        QVERIFY(!keyring.store(QStringLiteral("other"), password)); // one at a time
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).toBool(), true);
        QCOMPARE(finished.first().at(1).toString(),
                 QStringLiteral("Password stored in the keyring."));
        QVERIFY(!keyring.isBusy());
        // The password went to stdin, exactly; argv only has the label and the key.
        QCOMPARE(readAll(dir.filePath(QStringLiteral("stdin"))), password.toUtf8());
        const QByteArray args = readAll(dir.filePath(QStringLiteral("args")));
        QCOMPARE(args, QByteArray("store\n--label=Keepwatch profile Ann's photos\n"
                                  "keepwatch-profile\nAnn's photos\n"));
        QVERIFY(!args.contains("p4ss"));
    }

    void keyringReportsFailure() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SecretToolKeyring keyring;
        keyring.setProgram(writeFakeSecretTool(dir, 1, "Cannot autolaunch D-Bus without X11"));
        QSignalSpy finished(&keyring, &SecretToolKeyring::finished);
        QVERIFY(keyring.store(QStringLiteral("p"), QStringLiteral("x")));
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(finished.first().at(1).toString(),
                 QStringLiteral("The keyring did not store the password: Cannot autolaunch D-Bus "
                                "without X11"));
    }

    void keyringMissing() {
        SecretToolKeyring keyring;
        keyring.setProgram(QString());
        QVERIFY(!keyring.isAvailable());
        QVERIFY(!keyring.store(QStringLiteral("p"), QStringLiteral("x")));
        keyring.setProgram(QStringLiteral("/nonexistent/secret-tool"));
        QSignalSpy finished(&keyring, &SecretToolKeyring::finished);
        QVERIFY(keyring.store(QStringLiteral("p"), QStringLiteral("x")));
        QVERIFY(finished.count() == 1 || finished.wait(10000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY2(finished.first().at(1).toString().startsWith(
                     QStringLiteral("Cannot run /nonexistent/secret-tool: ")),
                 qPrintable(finished.first().at(1).toString()));
        QCOMPARE(SecretToolKeyring::package(), QStringLiteral("libsecret-tools"));
    }

    // The window's canceller runs the CLI's own checks (WrapperCancel) off
    // its thread and passes their words on, as `keepwatch-cli cancel` says them.
    void cancellerReportsTheRefusal() {
        SessionCanceller canceller;
        QSignalSpy finished(&canceller, &SessionCanceller::finished);
        WrapperCancel::Target orphan;
        orphan.sessionId = QStringLiteral("no-wrapper");
        canceller.cancel(orphan);
        QCOMPARE(canceller.pending(), 1);
        QVERIFY(finished.wait(10000));
        QCOMPARE(canceller.pending(), 0);
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("no-wrapper"));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QCOMPARE(finished.first().at(2).toString(),
                 QStringLiteral("cancel: session 'no-wrapper' was not started by keepwatch-cli "
                                "run; stop its producer another way"));
    }

    void cancellerStopsARealWrapper() {
        const TempSpool spool;
        const QString id = QStringLiteral("canceller-real");
        QProcess wrapper;
        wrapper.start(cliPath(),
                      {QStringLiteral("run"), QStringLiteral("--session-id"), id,
                       QStringLiteral("--"), QStringLiteral("sleep"), QStringLiteral("30")});
        QVERIFY(wrapper.waitForStarted());
        SessionStore store;
        QVERIFY(waitFor(
            [&] {
                SessionStore now;
                SpoolSnapshot::load(spool.path(), now);
                const QList<int> rows = now.rowsWithId(id);
                if (rows.isEmpty() || !now.at(rows.first()).producerPid)
                    return false;
                SpoolSnapshot::load(spool.path(), store);
                return true;
            },
            10000));
        SessionCanceller canceller;
        QSignalSpy finished(&canceller, &SessionCanceller::finished);
        canceller.cancel(WrapperCancel::target(store, store.rowsWithId(id).first()));
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(1).toBool(), true);
        QCOMPARE(finished.first().at(2).toString(),
                 QStringLiteral("cancel requested for session ") + id);
        // It may have ended while finished() was awaited (the event loop ran).
        QVERIFY(wrapper.state() == QProcess::NotRunning || wrapper.waitForFinished(10000));
        QCOMPARE(wrapper.exitCode(), 128 + 15); // sleep got SIGTERM
    }
};

KW_TEST_GUILESS_MAIN(TestLaunchHelpers)
#include "tst_launchhelpers.moc"
