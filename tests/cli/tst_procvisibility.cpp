// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/processprobe.h"
#include "protocol/event.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace kw;
using namespace kw::test;

// A reader that cannot see a producer in /proc must not call it dead: under
// a /proc mounted with hidepid=invisible another user's processes vanish
// from /proc while they run. The real keepwatch-cli, as `nobody`, in a
// mount namespace of its own with such a /proc.
class TestProcVisibility final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // A spool session whose producer is (pid, its real start time).
    static QByteArray sessionOf(const QString &id, qint64 pid, quint64 ticks) {
        Event start = startEvent(id, 1000);
        auto *payload = start.as<StartPayload>();
        payload->host = ProcessProbe::hostName();
        payload->producerPid = pid;
        payload->producerStartTicks = ticks;
        payload->bootId = ProcessProbe::bootId();
        return encode({start});
    }

private slots:
    void initTestCase() {
        if (::geteuid() != 0)
            QSKIP("needs root: mounts a private /proc with hidepid=invisible in a mount "
                  "namespace of its own (CI runs as root)");
        if (QStandardPaths::findExecutable(QStringLiteral("unshare")).isEmpty())
            QSKIP("needs unshare (Debian: util-linux)");
        QVERIFY(m_dir.isValid());
    }

    void hiddenProducerIsNotInterrupted() {
        // A producer of root's that keeps running.
        QProcess alive;
        alive.start(QStringLiteral("sleep"), {QStringLiteral("60")});
        QVERIFY(alive.waitForStarted());
        const auto aliveTicks = ProcessProbe::startTicks(alive.processId());
        QVERIFY(aliveTicks);

        const QString spool = m_dir.path() + QStringLiteral("/spool");
        QVERIFY(QDir().mkpath(spool));
        QFile a(spool + QStringLiteral("/hidden.jsonl"));
        QVERIFY(a.open(QIODevice::WriteOnly));
        a.write(sessionOf(QStringLiteral("hidden"), alive.processId(), *aliveTicks));
        a.close();
        QFile b(spool + QStringLiteral("/ended.jsonl"));
        QVERIFY(b.open(QIODevice::WriteOnly));
        // A pid no process has (above the default pid_max): the kernel says so.
        b.write(sessionOf(QStringLiteral("ended"), 4194303, 12345));
        b.close();
        // nobody reads it: its own spool, as its own.
        QVERIFY(QProcess::execute(
                    QStringLiteral("chown"),
                    {QStringLiteral("-R"), QStringLiteral("nobody:nogroup"), m_dir.path()})
                == 0);
        QVERIFY(QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                        | QFileDevice::ExeOwner
                                                        | QFileDevice::ExeOther));

        QProcess list;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), spool);
        env.insert(QStringLiteral("XDG_STATE_HOME"), m_dir.path() + QStringLiteral("/state"));
        env.insert(QStringLiteral("HOME"), m_dir.path());
        env.insert(QStringLiteral("CLI"), cliPath());
        list.setProcessEnvironment(env);
        // hidepid=invisible: other users' /proc/PID directories do not exist
        // for nobody. A check inside proves the mount took effect.
        list.start(QStringLiteral("unshare"),
                   {QStringLiteral("--mount"), QStringLiteral("--propagation"),
                    QStringLiteral("private"), QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                    QStringLiteral("mount -t proc -o hidepid=invisible proc /proc && "
                                   "exec setpriv --reuid=nobody --regid=nogroup --clear-groups "
                                   "/bin/sh -c 'test ! -e /proc/%1 || echo VISIBLE >&2; "
                                   "exec \"$CLI\" list --json'")
                        .arg(alive.processId())});
        QVERIFY(list.waitForFinished(30000));
        const QByteArray err = list.readAllStandardError();
        QVERIFY2(!err.contains("VISIBLE"), "the hidepid mount did not hide root's process");
        QVERIFY2(list.exitCode() == 0, err.constData());
        const QJsonArray sessions = QJsonDocument::fromJson(list.readAllStandardOutput()).array();
        QCOMPARE(sessions.size(), 2);
        QHash<QString, QString> stateOf;
        for (const auto &v : sessions)
            stateOf.insert(v.toObject().value(QLatin1String("id")).toString(),
                           v.toObject().value(QLatin1String("state")).toString());
        QCOMPARE(stateOf.value(QStringLiteral("hidden")), QStringLiteral("running"));
        QCOMPARE(stateOf.value(QStringLiteral("ended")), QStringLiteral("interrupted"));
        alive.kill();
        alive.waitForFinished();
    }
};

KW_TEST_GUILESS_MAIN(TestProcVisibility)
#include "tst_procvisibility.moc"
