// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "settings/appsettings.h"
#include "spool/spoollocation.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;

namespace {

// Sets an environment variable for one scope, and puts the old value back.
class ScopedEnv final {
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name)) {
        qputenv(name, value);
    }
    ~ScopedEnv() {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    Q_DISABLE_COPY_MOVE(ScopedEnv)

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

} // namespace

class TestAppSettings final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<kw::test::TempSpool> m_spool;

    QString file() const { return m_dir->filePath(QStringLiteral("keepwatch.conf")); }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        // The default spool is $KEEPWATCH_SPOOL: pin it to this test's.
        m_spool = std::make_unique<kw::test::TempSpool>();
    }
    void cleanup() {
        m_spool.reset();
        m_dir.reset();
    }

    void defaultsOnAnEmptyFile() {
        const QSettings s(file(), QSettings::IniFormat);
        const AppSettings loaded = AppSettings::load(s);
        QCOMPARE(loaded, AppSettings::defaults());
        QCOMPARE(loaded.spoolDirectories, QStringList{m_spool->path()});
        QCOMPARE(loaded.pollIntervalMs, 1000);
        QCOMPARE(loaded.stallTimeoutSeconds, 300);
        // The same bound SessionStore had before there were settings.
        QCOMPARE(loaded.maxLogLinesPerSession, SessionStore().maxLogLines());
        QVERIFY(loaded.notifyOnFailed);
        QVERIFY(loaded.notifyOnStalled);
        QVERIFY(loaded.notifyOnInterrupted);
        QVERIFY(loaded.notifyOnWarning);
        QVERIFY2(!loaded.notifyOnSuccess, "success is not news by default");
        QVERIFY(loaded.trayIcon);
        QCOMPARE(loaded.historyMaxAgeDays, 0);
        QCOMPARE(loaded.historyMaxSessions, 0);
        QVERIFY(loaded.validationError().isEmpty());
    }

    void roundTrip() {
        AppSettings a = AppSettings::defaults();
        a.spoolDirectories << QStringLiteral("/srv/backup-spool")
                           << QStringLiteral("/var/spool/kw");
        a.pollIntervalMs = 250;
        a.stallTimeoutSeconds = 0;
        a.maxLogLinesPerSession = 5000;
        a.notifyOnFailed = false;
        a.notifyOnStalled = false;
        a.notifyOnInterrupted = false;
        a.notifyOnSuccess = true;
        a.notifyOnWarning = false;
        a.trayIcon = false;
        a.historyMaxAgeDays = 90;
        a.historyMaxSessions = 5000;
        a.systemdUnits = {QStringLiteral("db-dump.service"), QStringLiteral("nightly.service")};
        a.overdueGraceMinutes = 15;
        a.broker = {QStringLiteral("mqtts://broker.example.org"),
                    QStringLiteral("desk-admin"),
                    QStringLiteral("/etc/keepwatch/desk.secret"),
                    false,
                    QStringLiteral("/etc/ca.pem"),
                    QStringLiteral("/etc/desk.pem"),
                    QStringLiteral("/etc/desk.key")};
        a.baculaDirectors = {
            {QStringLiteral("backup-dir"), QStringLiteral("/etc/bacula/bconsole.conf"),
             QStringLiteral("/usr/sbin/bconsole")},
            {QStringLiteral("dr-site.dir"), QStringLiteral("/srv/dr/bconsole.conf"),
             QStringLiteral("/opt/bacula/bin/bconsole")}};
        a.baculaFinishedDays = 30;
        {
            QSettings s(file(), QSettings::IniFormat);
            a.save(s);
        }
        const QSettings s(file(), QSettings::IniFormat);
        QCOMPARE(AppSettings::load(s), a);
        // Fewer directors saved over more: none of the old ones is left.
        a.baculaDirectors.removeLast();
        {
            QSettings w(file(), QSettings::IniFormat);
            a.save(w);
        }
        const QSettings again(file(), QSettings::IniFormat);
        QCOMPARE(AppSettings::load(again).baculaDirectors, a.baculaDirectors);
    }

    // A director: a name that can be a source's, unique; absolute files; the
    // days of finished jobs in range. (Its password is in its bconsole.conf.)
    void baculaValidation_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("bconsole");
        QTest::addColumn<int>("days");
        QTest::addColumn<QString>("message"); // empty: valid
        const auto row = [](const char *tag, const char *name, const char *config,
                            const char *bconsole, int days, const char *message) {
            QTest::newRow(tag) << QString::fromLatin1(name) << QString::fromLatin1(config)
                               << QString::fromLatin1(bconsole) << days
                               << QString::fromLatin1(message);
        };
        row("valid", "backup-dir", "/etc/bacula/bconsole.conf", "/usr/sbin/bconsole", 7, "");
        row("empty name", "", "/etc/bacula/bconsole.conf", "/usr/sbin/bconsole", 7,
            "is not a Bacula director name");
        row("name with a space", "backup dir", "/etc/bacula/bconsole.conf", "/usr/sbin/bconsole", 7,
            "is not a Bacula director name");
        row("name with a slash", "../x", "/etc/bacula/bconsole.conf", "/usr/sbin/bconsole", 7,
            "is not a Bacula director name");
        row("relative conf", "backup-dir", "bconsole.conf", "/usr/sbin/bconsole", 7,
            "bconsole.conf of director backup-dir must be an absolute path");
        row("relative program", "backup-dir", "/etc/bacula/bconsole.conf", "bconsole", 7,
            "bconsole program of director backup-dir must be an absolute path");
        row("no days", "backup-dir", "/etc/bacula/bconsole.conf", "/usr/sbin/bconsole", 0,
            "between 1 and 366");
        row("too many days", "backup-dir", "/etc/bacula/bconsole.conf", "/usr/sbin/bconsole", 367,
            "between 1 and 366");
    }
    void baculaValidation() {
        QFETCH(QString, name);
        QFETCH(QString, config);
        QFETCH(QString, bconsole);
        QFETCH(int, days);
        QFETCH(QString, message);
        AppSettings a = AppSettings::defaults();
        a.baculaDirectors = {{name, config, bconsole}};
        a.baculaFinishedDays = days;
        const QString error = a.validationError();
        if (message.isEmpty())
            QVERIFY2(error.isEmpty(), qPrintable(error));
        else
            QVERIFY2(error.contains(message), qPrintable(error));
        a.baculaFinishedDays = 7;
        a.baculaDirectors = {{QStringLiteral("d"), QStringLiteral("/a.conf"), bconsole},
                             {QStringLiteral("d"), QStringLiteral("/b.conf"), bconsole}};
        if (QDir::isAbsolutePath(bconsole))
            QVERIFY(a.validationError().contains(QLatin1String("Two Bacula directors")));
    }

    // The broker's files: absolute, a password file with its user, a
    // certificate with its key. (The password itself is never a setting.)
    void brokerValidation_data() {
        QTest::addColumn<QString>("username");
        QTest::addColumn<QString>("passwordFile");
        QTest::addColumn<QString>("certFile");
        QTest::addColumn<QString>("keyFile");
        QTest::addColumn<bool>("keyring");
        QTest::addColumn<QString>("message"); // empty: valid
        const auto row = [](const char *name, const char *user, const char *passwordFile,
                            const char *cert, const char *key, bool keyring, const char *message) {
            QTest::newRow(name) << QString::fromLatin1(user) << QString::fromLatin1(passwordFile)
                                << QString::fromLatin1(cert) << QString::fromLatin1(key) << keyring
                                << QString::fromLatin1(message);
        };
        row("user and password file", "desk", "/etc/desk.secret", "", "", false, "");
        row("relative password file", "desk", "desk.secret", "", "", false, "not an absolute path");
        row("password file without user", "", "/etc/desk.secret", "", "", false,
            "needs a user name");
        row("keyring", "desk", "", "", "", true, "");
        row("keyring without user", "", "", "", "", true, "needs a user name");
        row("keyring and file", "desk", "/etc/desk.secret", "", "", true, "not both");
        row("certificate without key", "", "", "/etc/desk.pem", "", false, "go together");
        row("certificate and key", "", "", "/etc/desk.pem", "/etc/desk.key", false, "");
    }
    void brokerValidation() {
        QFETCH(QString, username);
        QFETCH(QString, passwordFile);
        QFETCH(QString, certFile);
        QFETCH(QString, keyFile);
        QFETCH(bool, keyring);
        QFETCH(QString, message);
        AppSettings a = AppSettings::defaults();
        a.broker = {
            QStringLiteral("mqtts://b"), username, passwordFile, keyring, {}, certFile, keyFile};
        const QString error = a.validationError();
        if (message.isEmpty())
            QVERIFY2(error.isEmpty(), qPrintable(error));
        else
            QVERIFY2(error.contains(message, Qt::CaseInsensitive), qPrintable(error));
    }

    // Unit names the user typed in Settings: ".service" where no suffix is,
    // anything that cannot be a unit name left out, sorted, once each.
    void normalizedSystemdUnits() {
        QCOMPARE(
            AppSettings::normalizedSystemdUnits(
                {QStringLiteral(" nightly "), QStringLiteral("db-dump.service"),
                 QStringLiteral("nightly.service"), QStringLiteral("rm -rf /"), QStringLiteral(""),
                 QStringLiteral("resticprofile-backup@profile-home.service")}),
            (QStringList{QStringLiteral("db-dump.service"), QStringLiteral("nightly.service"),
                         QStringLiteral("resticprofile-backup@profile-home.service")}));
    }

    // The default spool is not frozen into the file: it follows
    // $KEEPWATCH_SPOOL at each start, and stays first.
    void defaultSpoolFollowsTheEnvironment() {
        AppSettings a = AppSettings::defaults();
        a.spoolDirectories << QStringLiteral("/srv/extra");
        {
            QSettings s(file(), QSettings::IniFormat);
            a.save(s);
        }
        QTemporaryDir other;
        const ScopedEnv env("KEEPWATCH_SPOOL", QFile::encodeName(other.path()));
        const QSettings s(file(), QSettings::IniFormat);
        QCOMPARE(AppSettings::load(s).spoolDirectories,
                 (QStringList{other.path(), QStringLiteral("/srv/extra")}));
    }

    void normalizedSpoolDirectories_data() {
        QTest::addColumn<QStringList>("input");
        QTest::addColumn<QStringList>("extras"); // what follows the default one
        QTest::newRow("none") << QStringList{} << QStringList{};
        QTest::newRow("blank lines dropped")
            << QStringList{QString(), QStringLiteral("  "), QStringLiteral("/a")}
            << QStringList{QStringLiteral("/a")};
        QTest::newRow("duplicates and trailing slashes")
            << QStringList{QStringLiteral("/a/"), QStringLiteral("/a"), QStringLiteral(" /b ")}
            << QStringList{QStringLiteral("/a"), QStringLiteral("/b")};
        QTest::newRow("the default listed again is not doubled")
            << QStringList{QStringLiteral("/b"), QStringLiteral("DEFAULT")}
            << QStringList{QStringLiteral("/b")};
    }
    void normalizedSpoolDirectories() {
        QFETCH(QStringList, input);
        QFETCH(QStringList, extras);
        input.replaceInStrings(QStringLiteral("DEFAULT"), m_spool->path());
        QCOMPARE(AppSettings::normalizedSpoolDirectories(input),
                 QStringList{m_spool->path()} + extras);
    }

    // A hand-edited file with nonsense falls back per value, never breaks.
    void invalidStoredValuesFallBack_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("value");
        QTest::newRow("poll 0") << QStringLiteral("settings/pollIntervalMs") << QVariant(0);
        QTest::newRow("poll text")
            << QStringLiteral("settings/pollIntervalMs") << QVariant(QStringLiteral("fast"));
        QTest::newRow("stall negative")
            << QStringLiteral("settings/stallTimeoutSeconds") << QVariant(-5);
        QTest::newRow("log lines 0")
            << QStringLiteral("settings/maxLogLinesPerSession") << QVariant(0);
        QTest::newRow("history age negative")
            << QStringLiteral("history/maxAgeDays") << QVariant(-1);
        QTest::newRow("history sessions huge")
            << QStringLiteral("history/maxSessions") << QVariant(qint64(1) << 40);
        QTest::newRow("bacula days 0") << QStringLiteral("bacula/finishedDays") << QVariant(0);
        // A director edited into nonsense is left out, not half-read.
        QTest::newRow("bacula director without a config")
            << QStringLiteral("bacula/directors/1/name") << QVariant(QStringLiteral("dir"));
    }
    void invalidStoredValuesFallBack() {
        QFETCH(QString, key);
        QFETCH(QVariant, value);
        {
            QSettings s(file(), QSettings::IniFormat);
            s.setValue(key, value);
            if (key.startsWith(QLatin1String("bacula/directors/")))
                s.setValue(QStringLiteral("bacula/directors/size"), 1);
        }
        const QSettings s(file(), QSettings::IniFormat);
        QCOMPARE(AppSettings::load(s), AppSettings::defaults());
    }

    void validation_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QString>("message"); // empty: valid
        QTest::newRow("poll 0") << "poll" << qint64(0) << "poll interval";
        QTest::newRow("poll negative") << "poll" << qint64(-100) << "poll interval";
        QTest::newRow("poll 99") << "poll" << qint64(99) << "poll interval";
        QTest::newRow("poll 100") << "poll" << qint64(100) << "";
        QTest::newRow("poll 60 s") << "poll" << qint64(60000) << "";
        QTest::newRow("poll over a minute") << "poll" << qint64(60001) << "poll interval";
        QTest::newRow("stall off") << "stall" << qint64(0) << "";
        QTest::newRow("stall negative") << "stall" << qint64(-1) << "stall timeout";
        QTest::newRow("log lines 99") << "log" << qint64(99) << "log lines";
        QTest::newRow("log lines 100") << "log" << qint64(100) << "";
        QTest::newRow("age negative") << "age" << qint64(-1) << "history age";
        QTest::newRow("age forever") << "age" << qint64(0) << "";
        QTest::newRow("sessions negative") << "sessions" << qint64(-3) << "sessions the history";
        QTest::newRow("sessions unlimited") << "sessions" << qint64(0) << "";
    }
    void validation() {
        QFETCH(QString, field);
        QFETCH(qint64, value);
        QFETCH(QString, message);
        AppSettings a = AppSettings::defaults();
        if (field == QLatin1String("poll"))
            a.pollIntervalMs = int(value);
        else if (field == QLatin1String("stall"))
            a.stallTimeoutSeconds = int(value);
        else if (field == QLatin1String("log"))
            a.maxLogLinesPerSession = value;
        else if (field == QLatin1String("age"))
            a.historyMaxAgeDays = int(value);
        else
            a.historyMaxSessions = int(value);
        const QString error = a.validationError();
        if (message.isEmpty())
            QVERIFY2(error.isEmpty(), qPrintable(error));
        else
            QVERIFY2(error.contains(message, Qt::CaseInsensitive), qPrintable(error));
    }

    void relativeSpoolDirectoryRefused() {
        AppSettings a = AppSettings::defaults();
        a.spoolDirectories << QStringLiteral("spool/relative");
        QVERIFY(a.validationError().contains(QLatin1String("spool/relative")));
    }

    void notificationRules_data() {
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<bool>("byDefault");
        QTest::newRow("failed") << SessionState::Failed << true;
        QTest::newRow("stalled") << SessionState::Stalled << true;
        QTest::newRow("interrupted") << SessionState::Interrupted << true;
        QTest::newRow("warning") << SessionState::Warning << true;
        QTest::newRow("succeeded") << SessionState::Succeeded << false;
        QTest::newRow("running") << SessionState::Running << false;
        QTest::newRow("cancelled") << SessionState::Cancelled << false;
    }
    void notificationRules() {
        QFETCH(SessionState, state);
        QFETCH(bool, byDefault);
        AppSettings a = AppSettings::defaults();
        QCOMPARE(a.notifies(state), byDefault);
        // Other users' sessions (root's, a service user's): only when they fail.
        const bool failure = state == SessionState::Failed || state == SessionState::Interrupted;
        QCOMPARE(a.notifies(state, AppSettings::Owner::Others), byDefault && failure);
        a.notifyOnSuccess = true;
        a.notifyOnFailed = false;
        QCOMPARE(a.notifies(state),
                 state == SessionState::Succeeded || (byDefault && state != SessionState::Failed));
        QCOMPARE(a.notifies(state, AppSettings::Owner::Others), state == SessionState::Interrupted);
    }

    // $KEEPWATCH_STALL_TIMEOUT still wins over the settings, as before.
    void stallTimeoutEnvironmentOverride_data() {
        QTest::addColumn<QByteArray>("env"); // empty: unset
        QTest::addColumn<qint64>("expectedMs");
        QTest::newRow("unset: the settings") << QByteArray() << qint64(120000);
        QTest::newRow("7200 s") << QByteArray("7200") << qint64(7200000);
        QTest::newRow("0 turns it off") << QByteArray("0") << qint64(0);
        QTest::newRow("fraction") << QByteArray("0.5") << qint64(500);
        QTest::newRow("garbage: the settings") << QByteArray("soon") << qint64(120000);
        QTest::newRow("negative: the settings") << QByteArray("-4") << qint64(120000);
    }
    void stallTimeoutEnvironmentOverride() {
        QFETCH(QByteArray, env);
        QFETCH(qint64, expectedMs);
        AppSettings a = AppSettings::defaults();
        a.stallTimeoutSeconds = 120;
        std::optional<ScopedEnv> scoped;
        if (!env.isEmpty())
            scoped.emplace("KEEPWATCH_STALL_TIMEOUT", env);
        else
            qunsetenv("KEEPWATCH_STALL_TIMEOUT");
        QCOMPARE(a.effectiveStallTimeoutMs(), expectedMs);
    }

    // load()/save() without arguments use the app's own file (here the test
    // mode's private location, never the user's).
    void applicationFile() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QStringLiteral("Keepwatch"), QStringLiteral("keepwatch")).clear();
        AppSettings a = AppSettings::defaults();
        a.pollIntervalMs = 4000;
        a.save();
        QCOMPARE(AppSettings::load().pollIntervalMs, 4000);
        QSettings(QStringLiteral("Keepwatch"), QStringLiteral("keepwatch")).clear();
        QCOMPARE(AppSettings::load(), AppSettings::defaults());
    }
};

KW_TEST_GUILESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
