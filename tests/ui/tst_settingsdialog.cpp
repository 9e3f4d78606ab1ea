// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "mainwindow.h"
#include "settings/appsettings.h"
#include "settingsdialog.h"
#include "sources/sourceset.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace kw;
using namespace kw::test;

class TestSettingsDialog final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TempSpool> m_spool;

    template<typename T>
    static T *field(QWidget *dialog, const char *name) {
        auto *w = dialog->findChild<T *>(QString::fromLatin1(name));
        if (!w)
            qFatal("no field %s", name);
        return w;
    }
    // Types into a field as a user would: select all, type.
    static void type(QLineEdit *edit, const QString &text) {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, text);
    }
    static void clickOk(QDialog *dialog) {
        auto *box = dialog->findChild<QDialogButtonBox *>();
        QTest::mouseClick(box->button(QDialogButtonBox::Ok), Qt::LeftButton);
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
    }
    void init() {
        m_spool = std::make_unique<TempSpool>();
        userSettings().clear();
    }
    void cleanup() {
        userSettings().clear();
        m_spool.reset();
    }

    // The dialog shows what the settings hold.
    void showsCurrentValues() {
        AppSettings s = AppSettings::defaults();
        s.spoolDirectories << QStringLiteral("/srv/spool-a") << QStringLiteral("/srv/spool-b");
        s.pollIntervalMs = 750;
        s.notifyOnSuccess = true;
        s.historyMaxSessions = 300;
        SettingsDialog dialog(s);
        QCOMPARE(field<QPlainTextEdit>(&dialog, "spoolDirectories")->toPlainText(),
                 QStringLiteral("/srv/spool-a\n/srv/spool-b"));
        QCOMPARE(field<QLineEdit>(&dialog, "pollInterval")->text(), QStringLiteral("750"));
        QCOMPARE(field<QLineEdit>(&dialog, "stallTimeout")->text(), QStringLiteral("300"));
        QCOMPARE(field<QLineEdit>(&dialog, "maxLogLines")->text(), QStringLiteral("100000"));
        QVERIFY(field<QCheckBox>(&dialog, "notifySuccess")->isChecked());
        QVERIFY(field<QCheckBox>(&dialog, "notifyFailed")->isChecked());
        QCOMPARE(field<QLineEdit>(&dialog, "historyMaxSessions")->text(), QStringLiteral("300"));
        // The default spool is named, and cannot be removed.
        bool named = false;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            named = named || label->text().contains(m_spool->path());
        QVERIFY(named);
    }

    // Change every value, OK: the file holds them, load() gives them back.
    void okSavesEverything() {
        SettingsDialog dialog(AppSettings::load());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *dirs = field<QPlainTextEdit>(&dialog, "spoolDirectories");
        dirs->setFocus();
        QTest::keyClicks(dirs, QStringLiteral("/srv/one"));
        QTest::keyClick(dirs, Qt::Key_Return);
        QTest::keyClicks(dirs, QStringLiteral("/srv/two/"));
        type(field<QLineEdit>(&dialog, "pollInterval"), QStringLiteral("2500"));
        type(field<QLineEdit>(&dialog, "stallTimeout"), QStringLiteral("0"));
        type(field<QLineEdit>(&dialog, "maxLogLines"), QStringLiteral("20000"));
        type(field<QLineEdit>(&dialog, "historyMaxAge"), QStringLiteral("90"));
        type(field<QLineEdit>(&dialog, "historyMaxSessions"), QStringLiteral("5000"));
        type(field<QLineEdit>(&dialog, "overdueGrace"), QStringLiteral("15"));
        auto *units = field<QPlainTextEdit>(&dialog, "systemdUnits");
        units->setFocus();
        QTest::keyClicks(units, QStringLiteral("nightly-dump"));
        QTest::keyClick(units, Qt::Key_Return);
        QTest::keyClicks(units, QStringLiteral("archive.service"));
        for (const char *name : {"notifySuccess", "notifyStalled", "trayIcon"}) {
            auto *box = field<QCheckBox>(&dialog, name);
            box->setFocus();
            QTest::keyClick(box, Qt::Key_Space); // toggles, as a click would
        }
        clickOk(&dialog);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.errorText().isEmpty());

        AppSettings expected = AppSettings::defaults();
        expected.spoolDirectories << QStringLiteral("/srv/one")
                                  << QStringLiteral("/srv/two"); // cleaned
        expected.pollIntervalMs = 2500;
        expected.stallTimeoutSeconds = 0;
        expected.maxLogLinesPerSession = 20000;
        expected.historyMaxAgeDays = 90;
        expected.historyMaxSessions = 5000;
        expected.overdueGraceMinutes = 15;
        expected.systemdUnits = {QStringLiteral("archive.service"),
                                 QStringLiteral("nightly-dump.service")}; // sorted, suffixed
        expected.notifyOnSuccess = true;
        expected.notifyOnStalled = false;
        expected.trayIcon = false;
        QCOMPARE(dialog.settings(), expected);
        QCOMPARE(AppSettings::load(), expected);
    }

    // Cancel leaves the file alone.
    void cancelSavesNothing() {
        SettingsDialog dialog(AppSettings::load());
        type(field<QLineEdit>(&dialog, "pollInterval"), QStringLiteral("300"));
        dialog.reject();
        QCOMPARE(AppSettings::load(), AppSettings::defaults());
        QVERIFY(!userSettings().contains(QStringLiteral("settings/pollIntervalMs")));
    }

    // The broker of many hosts: its URL checked as the CLI checks it,
    // certificates refused on a plain broker, each message pointing at the
    // field; saved without any password.
    void brokerFieldsAreCheckedAndSaved() {
        SettingsDialog dialog(AppSettings::load());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *url = field<QLineEdit>(&dialog, "brokerUrl");
        type(url, QStringLiteral("http://broker"));
        clickOk(&dialog);
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.errorText().startsWith(QLatin1String("The broker: ")),
                 qPrintable(dialog.errorText()));
        QCOMPARE(QApplication::focusWidget(), url);

        type(url, QStringLiteral("mqtt://broker:1883"));
        type(field<QLineEdit>(&dialog, "brokerCaFile"), QStringLiteral("/etc/keepwatch/ca.pem"));
        clickOk(&dialog);
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.errorText().contains(QLatin1String("need a TLS broker")),
                 qPrintable(dialog.errorText()));

        type(url, QStringLiteral("mqtts://broker.example.org"));
        type(field<QLineEdit>(&dialog, "brokerUsername"), QStringLiteral("desk-admin"));
        type(field<QLineEdit>(&dialog, "brokerPasswordFile"),
             QStringLiteral("/etc/keepwatch/desk.secret"));
        clickOk(&dialog);
        QVERIFY2(!dialog.isVisible(), qPrintable(dialog.errorText()));
        const AppSettings saved = AppSettings::load();
        QCOMPARE(saved.broker.url, QStringLiteral("mqtts://broker.example.org"));
        QCOMPARE(saved.broker.username, QStringLiteral("desk-admin"));
        QCOMPARE(saved.broker.passwordFile, QStringLiteral("/etc/keepwatch/desk.secret"));
        QCOMPARE(saved.broker.caFile, QStringLiteral("/etc/keepwatch/ca.pem"));
        for (const QString &key : userSettings().allKeys())
            QVERIFY2(!key.contains(QLatin1String("password"), Qt::CaseInsensitive)
                         || key == QLatin1String("broker/passwordFile")
                         || key == QLatin1String("broker/passwordInKeyring"),
                     qPrintable(key));
    }

    // Bacula directors: a row per director; a wrong one is refused with its
    // name, on its page, the table focused; a right one is saved with the
    // days of finished jobs, and the window's sources follow the file.
    void baculaDirectorsAreCheckedAndSaved() {
        SettingsDialog dialog(AppSettings::load());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *table = field<QTableWidget>(&dialog, "baculaDirectors");
        QCOMPARE(table->rowCount(), 0);
        const auto setRow = [table](int row, const QString &name, const QString &conf,
                                    const QString &program) {
            if (table->rowCount() <= row)
                table->setRowCount(row + 1);
            table->setItem(row, 0, new QTableWidgetItem(name));
            table->setItem(row, 1, new QTableWidgetItem(conf));
            table->setItem(row, 2, new QTableWidgetItem(program));
        };
        setRow(0, QStringLiteral("backup dir"), QStringLiteral("/etc/bacula/bconsole.conf"),
               QStringLiteral("/usr/sbin/bconsole"));
        auto *tabs = dialog.findChild<QTabWidget *>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(0);
        clickOk(&dialog);
        QVERIFY(dialog.isVisible());
        QVERIFY2(
            dialog.errorText().contains(QStringLiteral("“backup dir” is not a Bacula director")),
            qPrintable(dialog.errorText()));
        QVERIFY(tabs->currentWidget()->isAncestorOf(table));
        QCOMPARE(QApplication::focusWidget(), table);

        setRow(0, QStringLiteral("backup-dir"), QStringLiteral("/etc/bacula/bconsole.conf"),
               QString()); // empty: the default program
        setRow(1, QStringLiteral("dr-dir"), QStringLiteral("/srv/dr/bconsole.conf"),
               QStringLiteral("/opt/bacula/bin/bconsole"));
        setRow(2, QString(), QString(), QString()); // added and left empty
        type(field<QLineEdit>(&dialog, "baculaFinishedDays"), QStringLiteral("0"));
        clickOk(&dialog);
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.errorText().contains(QLatin1String("between 1 and 366")),
                 qPrintable(dialog.errorText()));
        QCOMPARE(QApplication::focusWidget(), field<QLineEdit>(&dialog, "baculaFinishedDays"));
        type(field<QLineEdit>(&dialog, "baculaFinishedDays"), QStringLiteral("30"));
        clickOk(&dialog);
        QVERIFY2(!dialog.isVisible(), qPrintable(dialog.errorText()));
        const AppSettings saved = AppSettings::load();
        const QList<AppSettings::BaculaDirector> expected{
            {QStringLiteral("backup-dir"), QStringLiteral("/etc/bacula/bconsole.conf"),
             QStringLiteral("/usr/sbin/bconsole")},
            {QStringLiteral("dr-dir"), QStringLiteral("/srv/dr/bconsole.conf"),
             QStringLiteral("/opt/bacula/bin/bconsole")}};
        QCOMPARE(saved.baculaDirectors, expected);
        QCOMPARE(saved.baculaFinishedDays, 30);
        const SourceSetConfig sources = SourceSetConfig::fromSettings(saved);
        QCOMPARE(sources.baculaDirectors.size(), 2);
        QCOMPARE(sources.baculaDirectors[1].name, QStringLiteral("dr-dir"));
        QCOMPARE(sources.baculaDirectors[1].bconsole, QStringLiteral("/opt/bacula/bin/bconsole"));
        QCOMPARE(sources.baculaDirectors[1].finishedDays, 30);

        // Shown again as saved; a removed row is gone from the file.
        SettingsDialog again(saved);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        auto *rows = field<QTableWidget>(&again, "baculaDirectors");
        QCOMPARE(rows->rowCount(), 2);
        QCOMPARE(rows->item(1, 1)->text(), QStringLiteral("/srv/dr/bconsole.conf"));
        rows->setCurrentCell(0, 0);
        field<QPushButton>(&again, "removeBaculaDirector")->click();
        clickOk(&again);
        QCOMPARE(AppSettings::load().baculaDirectors, expected.mid(1));
    }

    // A wrong value is refused with a message naming it; the dialog stays
    // open, the file unchanged, and the field to fix has the focus.
    void invalidValuesAreRefused_data() {
        QTest::addColumn<QString>("fieldName");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("poll interval 0") << "pollInterval"
                                         << "0"
                                         << "poll interval must be between";
        QTest::newRow("poll interval negative") << "pollInterval"
                                                << "-500"
                                                << "poll interval must be between";
        QTest::newRow("poll interval not a number") << "pollInterval"
                                                    << "fast"
                                                    << "poll interval must be a whole number";
        QTest::newRow("poll interval huge") << "pollInterval"
                                            << "99999999999"
                                            << "poll interval must be between";
        QTest::newRow("stall timeout negative") << "stallTimeout"
                                                << "-1"
                                                << "stall timeout must be between";
        QTest::newRow("log lines 0") << "maxLogLines"
                                     << "0"
                                     << "log lines kept per session";
        QTest::newRow("history age negative") << "historyMaxAge"
                                              << "-7"
                                              << "history age must be between";
        QTest::newRow("history sessions negative") << "historyMaxSessions"
                                                   << "-1"
                                                   << "sessions the history keeps";
        QTest::newRow("overdue grace negative") << "overdueGrace"
                                                << "-5"
                                                << "overdue grace must be between";
        QTest::newRow("empty") << "stallTimeout"
                               << ""
                               << "stall timeout must be a whole number";
    }
    void invalidValuesAreRefused() {
        QFETCH(QString, fieldName);
        QFETCH(QString, text);
        QFETCH(QString, message);
        SettingsDialog dialog(AppSettings::load());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *edit = field<QLineEdit>(&dialog, qPrintable(fieldName));
        type(edit, text);
        if (text.isEmpty())
            QTest::keyClick(edit, Qt::Key_Delete);
        clickOk(&dialog);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY2(dialog.errorText().contains(message, Qt::CaseInsensitive),
                 qPrintable(dialog.errorText()));
        QVERIFY(field<QLabel>(&dialog, "settingsError")->isVisible());
        QCOMPARE(QApplication::focusWidget(), edit);
        QVERIFY(!userSettings().contains(QStringLiteral("settings/pollIntervalMs")));

        // Fixed, OK goes through and the message goes away.
        type(edit, fieldName == QLatin1String("pollInterval")  ? QStringLiteral("1000")
                   : fieldName == QLatin1String("maxLogLines") ? QStringLiteral("100000")
                                                               : QStringLiteral("0"));
        clickOk(&dialog);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.errorText().isEmpty());
    }

    void relativeSpoolDirectoryRefused() {
        SettingsDialog dialog(AppSettings::load());
        field<QPlainTextEdit>(&dialog, "spoolDirectories")
            ->setPlainText(QStringLiteral("/srv/fine\nnot/absolute"));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY2(dialog.errorText().contains(QLatin1String("not/absolute")),
                 qPrintable(dialog.errorText()));
    }

    // A unit name systemd would not take is named, not silently dropped.
    void badSystemdUnitRefused() {
        SettingsDialog dialog(AppSettings::load());
        field<QPlainTextEdit>(&dialog, "systemdUnits")
            ->setPlainText(QStringLiteral("db-dump\nrm -rf /"));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY2(
            dialog.errorText().contains(QStringLiteral("“rm -rf /” is not a systemd unit name")),
            qPrintable(dialog.errorText()));
    }

    // The window: Settings… (Ctrl+,) opens the dialog; what OK saves is
    // applied to the running window at once where it can be.
    void windowAppliesSettings() {
        AppSettings saved = AppSettings::defaults();
        saved.stallTimeoutSeconds = 42;
        saved.maxLogLinesPerSession = 777;
        saved.save();
        qunsetenv("KEEPWATCH_STALL_TIMEOUT");
        MainWindow window(m_spool->path());
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(window.store()->stallTimeoutMs(), 42000);
        QCOMPARE(window.store()->maxLogLines(), 777);

        QCOMPARE(window.settingsAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
        QTest::keySequence(&window, window.settingsAction()->shortcut());
        auto *dialog = window.findChild<SettingsDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        type(field<QLineEdit>(dialog, "stallTimeout"), QStringLiteral("600"));
        type(field<QLineEdit>(dialog, "maxLogLines"), QStringLiteral("5000"));
        clickOk(dialog);
        QTRY_COMPARE(window.store()->stallTimeoutMs(), 600000);
        QCOMPARE(window.store()->maxLogLines(), 5000);
        QCOMPARE(window.appSettings().stallTimeoutSeconds, 600);
        QCOMPARE(AppSettings::load().maxLogLinesPerSession, 5000);
    }

    // $KEEPWATCH_STALL_TIMEOUT still wins, as it did before settings existed.
    void environmentStallTimeoutWins() {
        AppSettings saved = AppSettings::defaults();
        saved.stallTimeoutSeconds = 42;
        saved.save();
        qputenv("KEEPWATCH_STALL_TIMEOUT", "9");
        MainWindow window(m_spool->path());
        qunsetenv("KEEPWATCH_STALL_TIMEOUT");
        QCOMPARE(window.store()->stallTimeoutMs(), 9000);
    }

    // Every action of the window can be reached from the keyboard, and the
    // window-wide shortcuts do not clash (two actions on one key in the same
    // window make Qt run neither).
    void everyActionHasAShortcut() {
        MainWindow window(m_spool->path());
        QStringList seen;
        const QList<QAction *> actions = window.findChildren<QAction *>();
        QVERIFY(actions.size() > 5);
        for (QAction *action : actions) {
            if (action->isSeparator() || action->menu() || action->text().isEmpty())
                continue;
            const QString text = action->text().remove(QLatin1Char('&'));
            seen << text;
            QVERIFY2(!action->shortcut().isEmpty(),
                     qPrintable(QStringLiteral("“%1” has no keyboard shortcut").arg(text)));
        }
        QHash<QString, QString> owners;
        for (QAction *action : window.actions()) {
            if (action->shortcut().isEmpty())
                continue;
            const QString text = action->text().remove(QLatin1Char('&'));
            const QString keys = action->shortcut().toString();
            QVERIFY2(
                !owners.contains(keys),
                qPrintable(
                    QStringLiteral("“%1” and “%2” share %3").arg(text, owners.value(keys), keys)));
            owners.insert(keys, text);
        }
        // The ones a user looks for by name, reachable with the menu bar hidden.
        for (const char *name : {"Settings…", "About Keepwatch", "Quit", "New Session…",
                                 "Open Log of Current Session"}) {
            QVERIFY2(seen.contains(QString::fromUtf8(name)), name);
            QVERIFY2(std::find(owners.cbegin(), owners.cend(), QString::fromUtf8(name))
                         != owners.cend(),
                     name);
        }
    }

    // The About box: version, Qt version, licence, where to find the project.
    void aboutBox() {
        MainWindow window(m_spool->path());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QAction *about = nullptr;
        for (QAction *a : window.findChildren<QAction *>())
            if (a->text().remove(QLatin1Char('&')) == QLatin1String("About Keepwatch"))
                about = a;
        QVERIFY(about);
        QString text;
        QTimer::singleShot(0, this, [&text] {
            QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            text = box->text();
            box->accept();
        });
        about->trigger();
        QVERIFY2(text.contains(QCoreApplication::applicationVersion().toHtmlEscaped()),
                 qPrintable(text));
        QVERIFY2(text.contains(QString::fromLatin1(qVersion())), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("MIT")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("href=")), qPrintable(text));
    }
};

KW_TEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
