// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/fleetlink.h"
#include "launch/secrettoolkeyring.h"
#include "mainwindow.h"
#include "mosquittobroker.h"
#include "settings/appsettings.h"
#include "settingsdialog.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>

using namespace kw;
using namespace kw::test;

namespace {

void stop(QProcess &process) {
    if (process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(process.processId()), SIGTERM);
    if (!process.waitForFinished(5000)) {
        process.kill();
        process.waitForFinished();
    }
}

} // namespace

// The window's broker password in the desktop keyring: a real Secret Service
// (gnome-keyring-daemon on a private D-Bus session bus this test starts), the
// real secret-tool, a real Mosquitto. The password goes there from Settings,
// never into the settings file, and the window connects with it.
class TestBrokerKeyring final : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QProcess m_bus;
    QProcess m_keyringDaemon;
    std::unique_ptr<MosquittoBroker> m_broker;
    QString m_skip;

    static QString password() { return QStringLiteral("keyring secret of desk-admin"); }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        const QString daemon =
            QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        const QString bus = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty() || bus.isEmpty() || SecretToolKeyring::locate().isEmpty())
            QSKIP("needs a Secret Service to store into: gnome-keyring-daemon, dbus-daemon and "
                  "secret-tool (packages gnome-keyring, dbus-daemon, libsecret-tools)");
        const QString reason = MosquittoBroker::unavailableReason();
        if (!reason.isEmpty())
            QSKIP(qPrintable(reason));
        QVERIFY(m_home.isValid());
        // A session bus of our own, before anything in this process asks for one.
        m_bus.start(bus, {QStringLiteral("--session"), QStringLiteral("--nofork"),
                          QStringLiteral("--nopidfile"), QStringLiteral("--print-address=1")});
        QVERIFY(m_bus.waitForStarted());
        QVERIFY(QTest::qWaitFor([&] { return m_bus.canReadLine(); }, 5000));
        const QByteArray address = m_bus.readLine().trimmed();
        qputenv("DBUS_SESSION_BUS_ADDRESS", address);
        // Its keyrings in a home of its own, unlocked with a password on stdin.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_home.path());
        m_keyringDaemon.setProcessEnvironment(env);
        // The password must be on its stdin when it starts (it reads at once):
        // from a file, so that the process started and stopped here is the daemon.
        const QString unlock = m_home.filePath(QStringLiteral("unlock"));
        QFile unlockFile(unlock);
        QVERIFY(unlockFile.open(QIODevice::WriteOnly));
        unlockFile.write("test keyring password");
        unlockFile.close();
        m_keyringDaemon.setStandardInputFile(unlock);
        m_keyringDaemon.start(daemon, {QStringLiteral("--unlock"), QStringLiteral("--foreground"),
                                       QStringLiteral("--components=secrets")});
        QVERIFY(m_keyringDaemon.waitForStarted());
        // Ready when secret-tool can store and find a secret. Not before this
        // daemon owns the Secret Service's name: the bus would start another
        // one for secret-tool (D-Bus activation), with the test's HOME and no
        // unlocked login keyring, which then keeps the name (seen under load:
        // "Object does not exist at path …/collection/login").
        QByteArray probeSaid;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(
                                 QStringLiteral("org.freedesktop.secrets")))
                             return false;
                         QProcess probe;
                         probe.start(SecretToolKeyring::locate(),
                                     {QStringLiteral("store"), QStringLiteral("--label=probe"),
                                      QStringLiteral("keepwatch-test"), QStringLiteral("probe")});
                         probe.write("x");
                         probe.closeWriteChannel();
                         const bool stored = probe.waitForFinished(3000) && probe.exitCode() == 0;
                         probeSaid = probe.readAllStandardError();
                         return stored;
                     },
                     10000),
                 qPrintable(QStringLiteral("secret-tool: %1; gnome-keyring-daemon: %2")
                                .arg(QString::fromLocal8Bit(probeSaid),
                                     QString::fromLocal8Bit(m_keyringDaemon.readAll()))));
        m_broker = std::make_unique<MosquittoBroker>();
        QString error;
        QVERIFY2(m_broker->addUser(QStringLiteral("desk-admin"), password(), &error),
                 qPrintable(error));
        QVERIFY2(m_broker->start(&error), qPrintable(error));
    }

    void cleanupTestCase() {
        m_broker.reset();
        stop(m_keyringDaemon);
        stop(m_bus);
        userSettings().clear();
    }

    void init() { userSettings().clear(); }

    // Typed in Settings, the password lands in the keyring (found there by
    // secret-tool under the broker's attribute), the settings say only
    // "in the keyring", and the window connects with it.
    void thePasswordGoesToTheKeyringAndTheWindowUsesIt() {
        SettingsDialog dialog(AppSettings::load());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.findChild<QLineEdit *>(QStringLiteral("brokerUrl"))->setText(m_broker->url());
        dialog.findChild<QLineEdit *>(QStringLiteral("brokerUsername"))
            ->setText(QStringLiteral("desk-admin"));
        auto *passwordField = dialog.findChild<QLineEdit *>(QStringLiteral("brokerPassword"));
        QCOMPARE(passwordField->echoMode(), QLineEdit::Password);
        passwordField->setText(password());
        dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QTRY_VERIFY2_WITH_TIMEOUT(!dialog.isVisible(), qPrintable(dialog.errorText()), 10000);

        const AppSettings saved = AppSettings::load();
        QVERIFY(saved.broker.passwordInKeyring);
        QVERIFY(saved.broker.passwordFile.isEmpty());
        QFile file(userSettings().fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(password().toUtf8()));
        QProcess lookup;
        const auto attribute =
            SecretToolKeyring::brokerAttribute(m_broker->url(), QStringLiteral("desk-admin"));
        lookup.start(SecretToolKeyring::locate(),
                     {QStringLiteral("lookup"), attribute.name, attribute.value});
        QVERIFY(lookup.waitForFinished(5000));
        QCOMPARE(lookup.readAllStandardOutput(), password().toUtf8());

        MainWindow window(m_home.filePath(QStringLiteral("spool")));
        window.show();
        auto *state = window.findChild<QLabel *>(QStringLiteral("brokerState"));
        QTRY_VERIFY2_WITH_TIMEOUT(state->text().contains(QLatin1String("connected")),
                                  qPrintable(state->text()), 10000);
        QVERIFY(window.fleetLink() && window.fleetLink()->isConnected());
    }

    // Settings that say "in the keyring" for a user whose password is not
    // there: the window says so instead of connecting without one.
    void aMissingKeyringEntryIsSaid() {
        AppSettings settings = AppSettings::load();
        settings.broker.url = m_broker->url();
        settings.broker.username = QStringLiteral("nobody-stored");
        settings.broker.passwordInKeyring = true;
        settings.save();
        MainWindow window(m_home.filePath(QStringLiteral("spool")));
        window.show();
        auto *state = window.findChild<QLabel *>(QStringLiteral("brokerState"));
        QTRY_VERIFY2_WITH_TIMEOUT(state->text().contains(QLatin1String("keyring has no password")),
                                  qPrintable(state->text()), 10000);
        QVERIFY(!window.fleetLink());
    }
};

KW_TEST_MAIN(TestBrokerKeyring)
#include "tst_brokerkeyring.moc"
