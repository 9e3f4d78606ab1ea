// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launch/launchcommand.h"
#include "launch/profilestore.h"
#include "launchdialog.h"
#include "protocol/sessionid.h"
#include "spool/spoolsnapshot.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

template<typename T>
T *child(const QWidget *parent, const char *name) {
    T *widget = parent->findChild<T *>(QString::fromLatin1(name));
    if (!widget)
        qFatal("no child %s", name);
    return widget;
}

// Picks a combo entry the way a keyboard user does: focus, then type its text.
void choose(QComboBox *combo, const QString &text) {
    const int index = combo->findText(text);
    QVERIFY2(index >= 0, qPrintable(text));
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Home);
    for (int i = 0; i < combo->count() && combo->currentText() != text; ++i)
        QTest::keyClick(combo, Qt::Key_Down);
    QCOMPARE(combo->currentText(), text);
}

void typeInto(QWidget *edit, const QString &text) {
    edit->setFocus();
    QTest::keyClicks(edit, text);
}

void writeFile(const QString &path, const QByteArray &bytes) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(bytes);
}

// The session `id` in the spool, read the way keepwatch-cli reads it.
std::optional<Session> sessionInSpool(const QString &spool, const QString &id) {
    SessionStore store;
    SpoolSnapshot::load(spool, store);
    const QList<int> rows = store.rowsWithId(id);
    if (rows.isEmpty())
        return std::nullopt;
    return store.at(rows.first());
}

QString logOf(const QString &spool, const QString &id) {
    QFile f(spool + QLatin1Char('/') + id + QLatin1String(".jsonl"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QStringLiteral("<none>");
}

} // namespace

class TestLaunchDialog final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<LaunchDialog> m_dialog;

    QLabel *validation() const { return child<QLabel>(m_dialog.get(), "validationMessage"); }
    QString preview() const {
        return child<QPlainTextEdit>(m_dialog.get(), "commandPreview")->toPlainText();
    }
    QPushButton *button(const char *name) const { return child<QPushButton>(m_dialog.get(), name); }

    void openDialog() {
        m_dialog = std::make_unique<LaunchDialog>();
        m_dialog->setSecretToolProgram(QString());
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
    }

    // An rsync backup of a small generated tree, typed in as a user would.
    void fillRsyncBackup(const QString &source, const QString &destination) {
        typeInto(child<QLineEdit>(m_dialog.get(), "profileName"), QStringLiteral("rsync test"));
        choose(child<QComboBox>(m_dialog.get(), "toolCombo"), QStringLiteral("rsync"));
        choose(child<QComboBox>(m_dialog.get(), "kindCombo"), QStringLiteral("Backup"));
        typeInto(child<QLineEdit>(m_dialog.get(), "repository"), destination);
        typeInto(child<QPlainTextEdit>(m_dialog.get(), "paths"), source);
    }

    static void makeTree(const QString &root) {
        for (int d = 0; d < 3; ++d) {
            const QString dir = root + QStringLiteral("/dir%1").arg(d);
            QVERIFY(QDir().mkpath(dir));
            for (int f = 0; f < 5; ++f)
                writeFile(dir + QStringLiteral("/file%1.txt").arg(f),
                          QByteArray(1024 * (f + 1), char('a' + f)));
        }
    }

    // Launch, then wait for the session to end in the spool.
    Session launchAndWait(const QString &spool, int timeoutMs = 60000) {
        QSignalSpy launched(m_dialog.get(), &LaunchDialog::launched);
        const QString expectedId = m_dialog->nextSessionId();
        button("launchButton")->click();
        const QString status = child<QLabel>(m_dialog.get(), "statusMessage")->text();
        if (launched.count() != 1) {
            qWarning("launch failed: %s", qPrintable(status));
            return {};
        }
        const QString id = launched.first().at(0).toString();
        if (id != expectedId || launched.first().at(1).toLongLong() <= 0)
            return {};
        if (m_dialog->isVisible() || m_dialog->result() != QDialog::Accepted)
            return {};
        std::optional<Session> session;
        waitFor(
            [&] {
                session = sessionInSpool(spool, id);
                return session && isTerminal(session->state);
            },
            timeoutMs);
        if (!session) {
            qWarning("session %s never appeared", qPrintable(id));
            return {};
        }
        if (session->state != SessionState::Succeeded)
            qWarning("%s", qPrintable(logOf(spool, id)));
        return *session;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { userSettings().clear(); }
    void cleanup() {
        m_dialog.reset();
        userSettings().clear();
    }

    void fillsFormAndPreviewsTheCommand() {
        openDialog();
        m_dialog->setCliProgram(QStringLiteral("/opt/keepwatch/bin/keepwatch-cli"));
        m_dialog->setSpoolDirectory(QStringLiteral("/run/keepwatch/spool"));
        // An empty new profile says what is missing and cannot launch.
        QCOMPARE(child<QComboBox>(m_dialog.get(), "profileCombo")->currentText(),
                 QStringLiteral("New profile"));
        QVERIFY(validation()->isVisible());
        QCOMPARE(validation()->text(), QStringLiteral("Enter the restic repository."));
        QVERIFY(!button("launchButton")->isEnabled());
        QVERIFY(!button("saveProfile")->isEnabled());
        QVERIFY(preview().isEmpty());

        typeInto(child<QLineEdit>(m_dialog.get(), "profileName"), QStringLiteral("Home to NAS"));
        choose(child<QComboBox>(m_dialog.get(), "toolCombo"), QStringLiteral("borg"));
        QCOMPARE(validation()->text(), QStringLiteral("Enter the borg repository."));
        typeInto(child<QLineEdit>(m_dialog.get(), "repository"), QStringLiteral("/srv/borg"));
        QCOMPARE(validation()->text(), QStringLiteral("Add at least one path to back up."));
        auto *paths = child<QPlainTextEdit>(m_dialog.get(), "paths");
        typeInto(paths, QStringLiteral("/home/ann"));
        QTest::keyClick(paths, Qt::Key_Return);
        QTest::keyClicks(paths, QStringLiteral("/etc"));
        typeInto(child<QLineEdit>(m_dialog.get(), "extraArgs"),
                 QStringLiteral("--exclude \"*.cache\""));
        choose(child<QComboBox>(m_dialog.get(), "passwordSource"), QStringLiteral("Password file"));
        QCOMPARE(validation()->text(), QStringLiteral("Choose the password file."));
        typeInto(child<QLineEdit>(m_dialog.get(), "passwordFile"),
                 QStringLiteral("/home/ann/.config/it's pw"));

        QVERIFY(!validation()->isVisible());
        QVERIFY(button("launchButton")->isEnabled());
        QVERIFY(button("saveProfile")->isEnabled());
        const QString id = m_dialog->nextSessionId();
        QVERIFY(SessionId::isValid(id));
        QCOMPARE(
            preview(),
            QStringLiteral("BORG_PASSCOMMAND='cat -- '\\''/home/ann/.config/it'\\''\\'\\'''"
                           "\\''s pw'\\''' KEEPWATCH_SPOOL=/run/keepwatch/spool \\\n"
                           "    /opt/keepwatch/bin/keepwatch-cli run --tool borg --kind backup "
                           "--title 'Home to NAS' --session-id ")
                + id
                + QStringLiteral(" -- \\\n"
                                 "    borg create --log-json --progress --json --show-rc "
                                 "--exclude '*.cache' '/srv/borg::{hostname}-{now}' "
                                 "/home/ann /etc"));
        const LaunchProfile p = m_dialog->profile();
        QCOMPARE(p.paths, (QStringList{QStringLiteral("/home/ann"), QStringLiteral("/etc")}));
        QCOMPARE(p.password, PasswordSource::file(QStringLiteral("/home/ann/.config/it's pw")));

        // A restore reads one archive into a directory; the labels follow.
        choose(child<QComboBox>(m_dialog.get(), "kindCombo"), QStringLiteral("Restore"));
        QCOMPARE(validation()->text(),
                 QStringLiteral("Enter one archive name: a restore reads one archive."));
        QCOMPARE(child<QLabel>(m_dialog.get(), "pathsLabel")->text(), QStringLiteral("Arc&hive:"));
        QVERIFY(!button("addPath")->isEnabled());
        paths->clear();
        typeInto(paths, QStringLiteral("nas-2026-01-31"));
        QCOMPARE(validation()->text(), QStringLiteral("Choose the directory to restore into."));
        auto *target = child<QLineEdit>(m_dialog.get(), "restoreTarget");
        QVERIFY(target->isEnabled());
        typeInto(target, QStringLiteral("/tmp/restore"));
        QVERIFY(preview().startsWith(QStringLiteral("cd /tmp/restore && BORG_PASSCOMMAND=")));
        QVERIFY(preview().endsWith(
            QStringLiteral(" -- \\\n    borg extract --log-json --progress --show-rc "
                           "--exclude '*.cache' /srv/borg::nas-2026-01-31")));

        // rsync takes no password: the section is off and the profile has none.
        choose(child<QComboBox>(m_dialog.get(), "toolCombo"), QStringLiteral("rsync"));
        QCOMPARE(child<QLabel>(m_dialog.get(), "repositoryLabel")->text(),
                 QStringLiteral("Backup &location:"));
        QVERIFY(!child<QGroupBox>(m_dialog.get(), "passwordBox")->isEnabled());
        QCOMPARE(m_dialog->profile().password, PasswordSource::none());
        QVERIFY(!preview().contains(QLatin1String("PASS")));
        // Back to borg: the choice was kept.
        choose(child<QComboBox>(m_dialog.get(), "toolCombo"), QStringLiteral("borg"));
        QCOMPARE(m_dialog->profile().password,
                 PasswordSource::file(QStringLiteral("/home/ann/.config/it's pw")));
    }

    void removeTakesTheCurrentLine() {
        openDialog();
        auto *paths = child<QPlainTextEdit>(m_dialog.get(), "paths");
        paths->setPlainText(QStringLiteral("/a\n/b\n/c"));
        QTextCursor cursor = paths->textCursor();
        cursor.setPosition(4); // on /b
        paths->setTextCursor(cursor);
        button("removePath")->click();
        QCOMPARE(paths->toPlainText(), QStringLiteral("/a\n/c"));
        cursor.movePosition(QTextCursor::End);
        paths->setTextCursor(cursor);
        button("removePath")->click();
        QCOMPARE(paths->toPlainText(), QStringLiteral("/a"));
        button("removePath")->click();
        QCOMPARE(paths->toPlainText(), QString());
    }

    void savesReloadsAndDeletesProfiles() {
        openDialog();
        typeInto(child<QLineEdit>(m_dialog.get(), "profileName"), QStringLiteral("Photos"));
        choose(child<QComboBox>(m_dialog.get(), "toolCombo"), QStringLiteral("restic"));
        typeInto(child<QLineEdit>(m_dialog.get(), "repository"),
                 QStringLiteral("sftp:nas:/restic"));
        typeInto(child<QPlainTextEdit>(m_dialog.get(), "paths"), QStringLiteral("/srv/photos"));
        typeInto(child<QLineEdit>(m_dialog.get(), "title"), QStringLiteral("Nightly photos"));
        choose(child<QComboBox>(m_dialog.get(), "passwordSource"),
               QStringLiteral("Password command"));
        typeInto(child<QLineEdit>(m_dialog.get(), "passwordCommand"),
                 QStringLiteral("pass show restic/nas"));
        const LaunchProfile typed = m_dialog->profile();
        button("saveProfile")->click();
        QCOMPARE(child<QLabel>(m_dialog.get(), "statusMessage")->text(),
                 QStringLiteral("Profile “Photos” saved."));
        QCOMPARE(child<QComboBox>(m_dialog.get(), "profileCombo")->currentText(),
                 QStringLiteral("Photos"));
        QVERIFY(button("deleteProfile")->isEnabled());

        // A new dialog finds it, and choosing it fills every field back.
        openDialog();
        QCOMPARE(m_dialog->savedProfiles(), QStringList{QStringLiteral("Photos")});
        QCOMPARE(m_dialog->profile(), LaunchProfile{});
        auto *combo = child<QComboBox>(m_dialog.get(), "profileCombo");
        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_End); // keyboard selection emits activated
        QCOMPARE(combo->currentText(), QStringLiteral("Photos"));
        QCOMPARE(m_dialog->profile(), typed);
        QCOMPARE(child<QLineEdit>(m_dialog.get(), "passwordCommand")->text(),
                 QStringLiteral("pass show restic/nas"));

        // What was written: references, no password.
        QSettings settings = userSettings();
        settings.beginGroup(QStringLiteral("profiles/Photos"));
        QCOMPARE(settings.value(QStringLiteral("passwordSource")).toString(),
                 QStringLiteral("command"));
        for (const QString &key : settings.allKeys())
            QVERIFY2(ProfileStore::keys().contains(key), qPrintable(key));
        settings.endGroup();

        button("deleteProfile")->click();
        QVERIFY(m_dialog->savedProfiles().isEmpty());
        QCOMPARE(combo->currentText(), QStringLiteral("New profile"));
        QCOMPARE(m_dialog->profile(), LaunchProfile{});
    }

    void keyringDisabledWithoutSecretTool() {
        openDialog(); // with no secret-tool
        auto *combo = child<QComboBox>(m_dialog.get(), "passwordSource");
        auto *model = qobject_cast<QStandardItemModel *>(combo->model());
        QVERIFY(model);
        const QStandardItem *keyring =
            model->item(combo->findText(QStringLiteral("Desktop keyring")));
        QVERIFY(!keyring->isEnabled());
        QVERIFY2(keyring->toolTip().contains(QLatin1String("libsecret-tools")),
                 qPrintable(keyring->toolTip()));
        QVERIFY(!button("storeInKeyring")->isEnabled());
        QVERIFY(button("storeInKeyring")->toolTip().contains(QLatin1String("libsecret-tools")));
    }

    void storesPasswordInKeyringThroughStdin() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fake = dir.filePath(QStringLiteral("secret-tool"));
        writeFile(fake, "#!/bin/sh\n"
                        "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\n"
                        "cat > \"$(dirname \"$0\")/stdin\"\n");
        QFile::setPermissions(fake, QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        openDialog();
        m_dialog->setSecretToolProgram(fake);
        m_dialog->setCliProgram(QStringLiteral("/usr/bin/keepwatch-cli"));
        QVERIFY(button("storeInKeyring")->isEnabled());
        typeInto(child<QLineEdit>(m_dialog.get(), "profileName"), QStringLiteral("Ann's NAS"));
        choose(child<QComboBox>(m_dialog.get(), "passwordSource"),
               QStringLiteral("Desktop keyring"));
        button("storeInKeyring")->click();
        QInputDialog *prompt = nullptr;
        QTRY_VERIFY(
            (prompt = m_dialog->findChild<QInputDialog *>(QStringLiteral("keyringPasswordPrompt")))
            && prompt->isVisible());
        QCOMPARE(prompt->textEchoMode(), QLineEdit::Password);
        auto *field = prompt->findChild<QLineEdit *>();
        QVERIFY(field);
        QTest::keyClicks(field, QStringLiteral("correct horse"));
        QTest::keyClick(field, Qt::Key_Return);
        QTRY_COMPARE(child<QLabel>(m_dialog.get(), "keyringStatus")->text(),
                     QStringLiteral("Password stored in the keyring."));
        QFile stdinFile(dir.filePath(QStringLiteral("stdin")));
        QVERIFY(stdinFile.open(QIODevice::ReadOnly));
        QCOMPARE(stdinFile.readAll(), QByteArray("correct horse"));
        QFile argsFile(dir.filePath(QStringLiteral("args")));
        QVERIFY(argsFile.open(QIODevice::ReadOnly));
        QCOMPARE(argsFile.readAll(), QByteArray("store\n--label=Keepwatch profile Ann's NAS\n"
                                                "keepwatch-profile\nAnn's NAS\n"));

        // The profile that uses it holds no password, and neither does its command.
        typeInto(child<QLineEdit>(m_dialog.get(), "repository"), QStringLiteral("/srv/restic"));
        typeInto(child<QPlainTextEdit>(m_dialog.get(), "paths"), QStringLiteral("/home"));
        QVERIFY(!preview().contains(QLatin1String("correct horse")));
        QVERIFY2(preview().contains(QLatin1String(
                     "KEEPWATCH_PASSWORD_COMMAND='secret-tool lookup keepwatch-profile "
                     "'\\''Ann'\\''\\'\\'''\\''s NAS'\\'''")),
                 qPrintable(preview() + validation()->text()));
        button("saveProfile")->click();
        QSettings settings = userSettings();
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY(content.contains("keyring"));
        QVERIFY(!content.contains("correct horse"));
    }

    void showsWhyALaunchFailed() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        openDialog();
        m_dialog->setCliProgram(QStringLiteral("/nonexistent/keepwatch-cli"));
        fillRsyncBackup(dir.path() + QStringLiteral("/src/"), dir.path() + QStringLiteral("/dst"));
        QSignalSpy launched(m_dialog.get(), &LaunchDialog::launched);
        button("launchButton")->click();
        QCOMPARE(launched.count(), 0);
        QVERIFY(m_dialog->isVisible());
        const QString status = child<QLabel>(m_dialog.get(), "statusMessage")->text();
        QVERIFY2(status.startsWith(QStringLiteral("Could not start /nonexistent/keepwatch-cli: ")),
                 qPrintable(status));
    }

    // The real thing: keepwatch-cli (from ctest) runs rsync detached, and
    // the session reaches the spool as any other does.
    void launchesRealRsyncBackup() {
        if (QStandardPaths::findExecutable(QStringLiteral("rsync")).isEmpty())
            QSKIP("rsync is not installed");
        const TempSpool spool;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString source = dir.filePath(QStringLiteral("src tree"));
        makeTree(source);
        const QString destination = dir.filePath(QStringLiteral("dst"));
        QVERIFY(QDir().mkpath(destination));

        openDialog();
        m_dialog->setCliProgram(cliPath());
        m_dialog->setSpoolDirectory(spool.path());
        fillRsyncBackup(source + QLatin1Char('/'), destination + QLatin1Char('/'));
        QVERIFY2(!validation()->isVisible(), qPrintable(validation()->text()));
        const Session session = launchAndWait(spool.path());
        QCOMPARE(session.tool, QStringLiteral("rsync"));
        QCOMPARE(session.kind, SessionKind::Backup);
        QCOMPARE(session.title, QStringLiteral("rsync test"));
        QCOMPARE(session.state, SessionState::Succeeded);
        QCOMPARE(session.exitCode, std::optional<int>(0));
        QVERIFY(session.producerPid.has_value());
        QVERIFY(QFile::exists(destination + QStringLiteral("/dir2/file4.txt")));
    }

    void launchesRealResticBackupWithPasswordFile() {
        if (QStandardPaths::findExecutable(QStringLiteral("restic")).isEmpty())
            QSKIP("restic is not installed");
        const TempSpool spool;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // restic caches in XDG_CACHE_HOME; the detached session inherits ours.
        qputenv("XDG_CACHE_HOME", QFile::encodeName(dir.filePath(QStringLiteral("cache"))));
        const QString source = dir.filePath(QStringLiteral("data"));
        makeTree(source);
        const QString repository = dir.filePath(QStringLiteral("repo"));
        const QString passwordFile = dir.filePath(QStringLiteral("restic password"));
        writeFile(passwordFile, "correct horse battery staple\n");
        QProcess init;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RESTIC_PASSWORD_FILE"), passwordFile);
        init.setProcessEnvironment(env);
        init.setProcessChannelMode(QProcess::MergedChannels);
        init.start(QStringLiteral("restic"),
                   {QStringLiteral("init"), QStringLiteral("-r"), repository});
        QVERIFY(init.waitForFinished(60000));
        QVERIFY2(init.exitCode() == 0, init.readAll().constData());

        openDialog();
        m_dialog->setCliProgram(cliPath());
        m_dialog->setSpoolDirectory(spool.path());
        typeInto(child<QLineEdit>(m_dialog.get(), "profileName"), QStringLiteral("restic test"));
        choose(child<QComboBox>(m_dialog.get(), "toolCombo"), QStringLiteral("restic"));
        typeInto(child<QLineEdit>(m_dialog.get(), "repository"), repository);
        typeInto(child<QPlainTextEdit>(m_dialog.get(), "paths"), source);
        choose(child<QComboBox>(m_dialog.get(), "passwordSource"), QStringLiteral("Password file"));
        typeInto(child<QLineEdit>(m_dialog.get(), "passwordFile"), passwordFile);
        QVERIFY2(!validation()->isVisible(), qPrintable(validation()->text()));
        QVERIFY(!preview().contains(QLatin1String("correct horse")));
        const Session session = launchAndWait(spool.path(), 120000);
        qunsetenv("XDG_CACHE_HOME");
        QCOMPARE(session.tool, QStringLiteral("restic"));
        QCOMPARE(session.kind, SessionKind::Backup);
        QCOMPARE(session.state, SessionState::Succeeded);
        QVERIFY(!session.command.join(QLatin1Char(' ')).contains(QLatin1String("correct horse")));
        QCOMPARE(session.command.mid(0, 4),
                 (QStringList{QStringLiteral("restic"), QStringLiteral("-r"), repository,
                              QStringLiteral("backup")}));
    }
};

KW_TEST_MAIN(TestLaunchDialog)
#include "tst_launchdialog.moc"
