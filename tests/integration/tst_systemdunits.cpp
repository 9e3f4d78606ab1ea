// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/unitfollower.h"
#include "systemd/unitrun.h"
#include "systemdharness.h"
#include "testsupport.h"
#include "tools/commandline.h"
#include "tools/toolregistry.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusError>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace kw;
using namespace kw::test;

// Real restic runs as real systemd units, in the harness (a user manager and
// journald in a private mount namespace): what the manager says about each
// run, read over D-Bus, becomes the session's state through restic's own
// exit codes, and its invocation ID is the one the journal files its lines
// under. Needs root; CI runs the tests as root.
class TestSystemdUnits final : public QObject {
    Q_OBJECT

    SystemdHarness m_harness;
    QTemporaryDir m_work;
    QDBusConnection m_bus{QString()};

    QString path(const QString &name) const { return m_work.filePath(name); }

    static bool run(const QStringList &command, QByteArray *output = nullptr) {
        return SystemdHarness::run(command, output);
    }

    static void makeTree(const QString &root, int files, int bytesEach) {
        QDir().mkpath(root);
        for (int i = 0; i < files; ++i) {
            QFile f(root + QStringLiteral("/file%1.bin").arg(i));
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray data(bytesEach, char('a' + i % 26));
            for (int b = 0; b < bytesEach; b += 97)
                data[b] = char(i * 31 + b);
            f.write(data);
        }
    }

    // A unit file as an admin writes one, loaded by the manager.
    void writeUnit(const QString &name, const QString &execStart, const QStringList &environment) {
        QFile unit(SystemdHarness::unitDirectory() + QLatin1Char('/') + name);
        QVERIFY(unit.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QByteArray text = "[Unit]\nDescription=Keepwatch test backup\n\n[Service]\n";
        for (const QString &variable : environment)
            text += "Environment=" + variable.toUtf8() + '\n';
        text += "ExecStart=" + execStart.toUtf8() + '\n';
        unit.write(text);
        unit.close();
        QByteArray out;
        QVERIFY2(run({QStringLiteral("systemctl"), QStringLiteral("--user"),
                      QStringLiteral("daemon-reload")},
                     &out),
                 out.constData());
    }

    void startUnit(const QString &name) {
        QByteArray out;
        QVERIFY2(run({QStringLiteral("systemctl"), QStringLiteral("--user"),
                      QStringLiteral("start"), name},
                     &out),
                 out.constData());
    }

    // Follows the unit (as the systemd source will), starts it, and waits
    // for its main process to end: the manager forgets a succeeded or
    // stopped run at once, so what the follower saw is all there is.
    std::unique_ptr<UnitFollower> follow(const QString &name) {
        auto follower = std::make_unique<UnitFollower>(m_bus, name);
        QString error;
        if (!follower->start(&error))
            qWarning("%s: %s", qPrintable(name), qPrintable(error));
        return follower;
    }
    static bool ended(const UnitFollower &follower) {
        return follower.run().execMainCode != 0 && !follower.run().isRunning();
    }

    QString resticUnit(const QString &repository, const QString &source, const QString &prefix = {},
                       const QString &options = {}) const {
        return prefix
               + QStringLiteral("/usr/bin/restic -r %1 backup --json %2 %3")
                     .arg(repository, options, source);
    }
    QStringList resticEnvironment(const QString &password = QStringLiteral("keepwatch-test"),
                                  const QString &cache = {}) const {
        return {QStringLiteral("RESTIC_PASSWORD=") + password,
                QStringLiteral("RESTIC_CACHE_DIR=")
                    + (cache.isEmpty() ? path(QStringLiteral("cache")) : cache),
                QStringLiteral("RESTIC_PROGRESS_FPS=2")};
    }

    // The invocation IDs journald filed the unit's own lines under.
    static QStringList journalInvocations(const QString &unit) {
        run({QStringLiteral("journalctl"), QStringLiteral("--sync")});
        QByteArray out;
        run({QStringLiteral("journalctl"), QStringLiteral("-o"), QStringLiteral("json"),
             QStringLiteral("_SYSTEMD_USER_UNIT=") + unit},
            &out);
        QStringList ids;
        for (const QByteArray &line : out.split('\n')) {
            const QString id = QJsonDocument::fromJson(line)
                                   .object()
                                   .value(QLatin1String("_SYSTEMD_INVOCATION_ID"))
                                   .toString();
            if (!id.isEmpty() && !ids.contains(id))
                ids << id;
        }
        return ids;
    }

    static const ToolProfile &profileOf(const UnitRun &unit) {
        const CommandLineInfo info =
            CommandLineInfo::inspect(CommandLineInfo::effectiveCommand(unit.execStart.value(0)));
        return ToolRegistry::forTool(info.tool);
    }

private slots:
    void initTestCase() {
        if (const QString why = SystemdHarness::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY(m_work.isValid());
        // nobody's run (unreadableFilesAreAWarningNotAFailure) passes through.
        ::chmod(QFile::encodeName(m_work.path()).constData(), 0755);
        QString error;
        QVERIFY2(m_harness.start(&error), qPrintable(error));
        m_bus = QDBusConnection::connectToBus(SystemdHarness::busAddress(),
                                              QStringLiteral("systemd-harness"));
        QVERIFY2(m_bus.isConnected(), qPrintable(m_bus.lastError().message()));

        makeTree(path(QStringLiteral("src")), 8, 32 * 1024);
        makeTree(path(QStringLiteral("slow-src")), 20, 64 * 1024);
        qputenv("RESTIC_PASSWORD", "keepwatch-test");
        QByteArray out;
        QVERIFY2(run({QStringLiteral("restic"), QStringLiteral("-r"), path(QStringLiteral("repo")),
                      QStringLiteral("init"), QStringLiteral("--cache-dir"),
                      path(QStringLiteral("cache"))},
                     &out),
                 out.constData());
    }

    void cleanupTestCase() {
        if (m_bus.isConnected())
            QDBusConnection::disconnectFromBus(QStringLiteral("systemd-harness"));
        m_harness.stop();
    }

    // A run that ended by itself: its state through restic's exit codes.
    void endedRunsTakeTheToolsMeaning_data() {
        QTest::addColumn<QString>("password");
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<QString>("summary");
        QTest::newRow("backup saved")
            << "keepwatch-test" << SessionState::Succeeded << "exit code 0";
        QTest::newRow("wrong password") << "wrong" << SessionState::Failed << "exit code 1";
    }
    void endedRunsTakeTheToolsMeaning() {
        QFETCH(QString, password);
        QFETCH(SessionState, state);
        QFETCH(QString, summary);
        const QString name = QStringLiteral("backup-%1.service")
                                 .arg(QString::fromLatin1(QTest::currentDataTag()))
                                 .replace(QLatin1Char(' '), QLatin1Char('-'));
        writeUnit(name, resticUnit(path(QStringLiteral("repo")), path(QStringLiteral("src"))),
                  resticEnvironment(password));
        const auto follower = follow(name);
        startUnit(name);
        QVERIFY(waitFor([&] { return ended(*follower); }, 60000));
        const UnitRun &unit = follower->run();
        const QString invocationId = unit.invocationId;
        QVERIFY2(
            QRegularExpression(QStringLiteral("^[0-9a-f]{32}$")).match(invocationId).hasMatch(),
            qPrintable(invocationId));
        QCOMPARE(profileOf(unit).name(), QStringLiteral("restic"));
        const std::optional<Outcome> outcome = unit.outcome(profileOf(unit));
        QVERIFY(outcome);
        QCOMPARE(outcome->state, state);
        QVERIFY2(outcome->summary.startsWith(summary), qPrintable(outcome->summary));
        // The journal files restic's own lines under the same ID. Under load
        // journald may take a moment after --sync to have them indexed: wait.
        waitFor([&] { return journalInvocations(name) == QStringList{invocationId}; }, 15000);
        QCOMPARE(journalInvocations(name), QStringList{invocationId});
    }

    // restic's exit 3 makes the unit "failed"; for the user it is a backup
    // saved with some files missing.
    void unreadableFilesAreAWarningNotAFailure() {
        // As nobody, with a repository and cache of nobody's, a root-only file is unreadable.
        const QString repo = path(QStringLiteral("nobody-repo"));
        const QString cache = path(QStringLiteral("nobody-cache"));
        const QString src = path(QStringLiteral("mixed-src"));
        makeTree(src, 4, 4096);
        QFile secret(src + QStringLiteral("/root-only.bin"));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("secret");
        secret.close();
        QVERIFY(secret.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        QDir().mkpath(cache);
        QDir().mkpath(repo);
        QVERIFY(run({QStringLiteral("chown"), QStringLiteral("nobody"), cache, repo}));
        const QString asNobody =
            QStringLiteral("/usr/bin/setpriv --reuid=nobody --regid=nogroup --clear-groups ");
        QByteArray out;
        QVERIFY2(run({QStringLiteral("setpriv"), QStringLiteral("--reuid=nobody"),
                      QStringLiteral("--regid=nogroup"), QStringLiteral("--clear-groups"),
                      QStringLiteral("env"), QStringLiteral("RESTIC_PASSWORD=keepwatch-test"),
                      QStringLiteral("RESTIC_CACHE_DIR=") + cache, QStringLiteral("restic"),
                      QStringLiteral("-r"), repo, QStringLiteral("init")},
                     &out),
                 out.constData());
        const QString name = QStringLiteral("backup-as-nobody.service");
        writeUnit(name, resticUnit(repo, src, asNobody),
                  resticEnvironment(QStringLiteral("keepwatch-test"), cache));
        const auto follower = follow(name);
        startUnit(name);
        QVERIFY(waitFor([&] { return ended(*follower); }, 60000));
        const UnitRun &unit = follower->run();
        QCOMPARE(unit.activeState, QStringLiteral("failed")); // systemd's view
        QCOMPARE(unit.execMainStatus, 3);
        // setpriv only runs the real tool: the unit is restic's.
        QCOMPARE(profileOf(unit).name(), QStringLiteral("restic"));
        const std::optional<Outcome> outcome = unit.outcome(profileOf(unit));
        QVERIFY(outcome);
        QCOMPARE(outcome->state, SessionState::Warning);
        QVERIFY2(outcome->summary.startsWith(QLatin1String("exit code 3")),
                 qPrintable(outcome->summary));
    }

    // A run stopped by the user is cancelled; one killed by SIGKILL failed,
    // and says by what.
    void stoppedAndKilledRuns_data() {
        QTest::addColumn<bool>("stop");
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<QString>("words");
        QTest::newRow("systemctl stop") << true << SessionState::Cancelled << "cancelled";
        QTest::newRow("kill -KILL") << false << SessionState::Failed << "SIGKILL";
    }
    void stoppedAndKilledRuns() {
        QFETCH(bool, stop);
        QFETCH(SessionState, state);
        QFETCH(QString, words);
        const QString name = QStringLiteral("slow-backup-%1.service")
                                 .arg(stop ? QStringLiteral("stop") : QStringLiteral("kill"));
        // 1.3 MiB at 8 KiB/s: minutes, unless stopped.
        writeUnit(name,
                  resticUnit(path(QStringLiteral("repo")), path(QStringLiteral("slow-src")), {},
                             QStringLiteral("--limit-upload 8")),
                  resticEnvironment());
        const auto follower = follow(name);
        startUnit(name);
        QVERIFY(waitFor(
            [&] { return follower->run().isRunning() && follower->run().execMainPid > 0; }, 10000));
        QVERIFY(!follower->run().outcome(profileOf(follower->run()))); // running: no outcome yet
        QTest::qWait(500);                                             // restic is at work
        QByteArray out;
        if (stop)
            QVERIFY2(run({QStringLiteral("systemctl"), QStringLiteral("--user"),
                          QStringLiteral("stop"), name},
                         &out),
                     out.constData());
        else
            QVERIFY2(run({QStringLiteral("systemctl"), QStringLiteral("--user"),
                          QStringLiteral("kill"), QStringLiteral("--signal=KILL"), name},
                         &out),
                     out.constData());
        QVERIFY(waitFor([&] { return ended(*follower); }, 30000));
        QCOMPARE(follower->run().stopRequested, stop);
        const std::optional<Outcome> outcome = follower->run().outcome(profileOf(follower->run()));
        QVERIFY(outcome);
        QCOMPARE(outcome->state, state);
        QVERIFY2(outcome->summary.contains(words), qPrintable(outcome->summary));
    }

    // What an unknown unit gives: an error, no run.
    void anUnknownUnitIsNoRun() {
        QString error;
        const UnitRun unit =
            UnitRun::read(m_bus, QStringLiteral("no-such-unit-here.service"), &error);
        QVERIFY(unit.invocationId.isEmpty());
        QVERIFY(!unit.isRunning());
        QVERIFY(!unit.outcome(ToolRegistry::forTool(QStringLiteral("restic"))));
    }
};

int main(int argc, char **argv) {
    // Before any thread: unshare(CLONE_NEWNS) refuses a threaded process.
    if (::geteuid() == 0)
        SystemdHarness::enterPrivateMountNamespace();
    QCoreApplication app(argc, argv);
    TestSystemdUnits test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_systemdunits.moc"
