// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "mainwindow.h"
#include "models/schedulemodel.h"
#include "models/sessiontablemodel.h"
#include "notifier.h"
#include "schedulesview.h"
#include "store/sessionstore.h"
#include "systemdharness.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace kw;
using namespace kw::test;

// The "done when" in the window: real restic and borg units, run by
// a real systemd user manager in the harness (tests/support/systemdharness.h,
// root only), watched live in the session table; a backup timer whose
// service always fails shows overdue in the Schedules tab and notifies;
// Cancel on a unit's run stops it; Run now starts a timer's service.
class TestSystemdWindow final : public QObject {
    Q_OBJECT

    SystemdHarness m_harness;
    QTemporaryDir m_work;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_tableTester;
    std::unique_ptr<QAbstractItemModelTester> m_schedulesTester;

    QString path(const QString &name) const { return m_work.filePath(name); }
    static bool run(const QStringList &command, QByteArray *output = nullptr) {
        return SystemdHarness::run(command, output);
    }
    static void systemctl(const QStringList &args) {
        QByteArray out;
        QVERIFY2(
            run(QStringList{QStringLiteral("systemctl"), QStringLiteral("--user")} + args, &out),
            out.constData());
    }
    void writeUnit(const QString &name, const QByteArray &body) {
        QFile unit(SystemdHarness::unitDirectory() + QLatin1Char('/') + name);
        QVERIFY(unit.open(QIODevice::WriteOnly | QIODevice::Truncate));
        unit.write(body);
    }
    QByteArray resticService(const QString &options, const QString &password) const {
        return "[Service]\nEnvironment=RESTIC_PASSWORD=" + password.toUtf8()
               + "\nEnvironment=RESTIC_CACHE_DIR=" + path(QStringLiteral("cache")).toUtf8()
               + "\nEnvironment=RESTIC_PROGRESS_FPS=4\nExecStart=/usr/bin/restic -r "
               + path(QStringLiteral("repo")).toUtf8() + " backup --json " + options.toUtf8()
               + '\n';
    }

    QAbstractItemModel *table() const { return m_window->sessionTable()->model(); }
    int rowOfUnit(const QString &unit) const {
        // The title of a unit's run is the unit's name.
        for (int r = 0; r < table()->rowCount(); ++r) {
            if (text(r, SessionTableModel::Title) == unit)
                return r;
        }
        return -1;
    }
    QString text(int row, int column) const {
        return table()->index(row, column).data().toString();
    }

private slots:
    void initTestCase() {
        if (const QString why = SystemdHarness::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY(m_work.isValid());
        QString error;
        QVERIFY2(m_harness.start(&error), qPrintable(error));
        qputenv("DBUS_SESSION_BUS_ADDRESS", SystemdHarness::busAddress().toUtf8());
        qputenv("XDG_RUNTIME_DIR", SystemdHarness::runtimeDirectory().toUtf8());
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/keepwatch-test");
        QByteArray out;
        QVERIFY2(run({QStringLiteral("env"), QStringLiteral("RESTIC_PASSWORD=keepwatch-test"),
                      QStringLiteral("restic"), QStringLiteral("-r"), path(QStringLiteral("repo")),
                      QStringLiteral("init"), QStringLiteral("--cache-dir"),
                      path(QStringLiteral("cache"))},
                     &out),
                 out.constData());
        QVERIFY2(run({QStringLiteral("env"), QStringLiteral("BORG_PASSPHRASE=keepwatch-test"),
                      QStringLiteral("BORG_BASE_DIR=") + path(QStringLiteral("borg-base")),
                      QStringLiteral("borg"), QStringLiteral("init"),
                      QStringLiteral("--encryption=repokey"), path(QStringLiteral("borg-repo"))},
                     &out),
                 out.constData());
        QDir().mkpath(path(QStringLiteral("src")));
        for (int i = 0; i < 12; ++i) {
            QFile f(path(QStringLiteral("src/file%1.bin").arg(i)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(48 * 1024, char('a' + i)));
        }
        // A backup that runs until stopped (restic reads a pipe that stays open).
        writeUnit(
            QStringLiteral("restic-endless.service"),
            "[Service]\nEnvironment=RESTIC_PASSWORD=keepwatch-test\nEnvironment=RESTIC_CACHE_DIR="
                + path(QStringLiteral("cache")).toUtf8()
                + "\nExecStart=/bin/sh -c \"(head -c 3000000 /dev/urandom; sleep 120) | "
                  "/usr/bin/restic -r "
                + path(QStringLiteral("repo")).toUtf8()
                + " backup --json --stdin --stdin-filename db.dump\"\n");
        writeUnit(
            QStringLiteral("borg-nightly.service"),
            "[Service]\nEnvironment=BORG_PASSPHRASE=keepwatch-test\nEnvironment=BORG_BASE_DIR="
                + path(QStringLiteral("borg-base")).toUtf8()
                + "\nExecStart=/usr/bin/borg create --log-json --progress --json "
                + path(QStringLiteral("borg-repo")).toUtf8() + "::first "
                + path(QStringLiteral("src")).toUtf8() + '\n');
        // A timer every 2 s whose backup always fails: overdue soon.
        // No start limit: a run every 2 s would hit the default (5 in 10 s).
        writeUnit(QStringLiteral("restic-often.service"),
                  "[Unit]\nStartLimitIntervalSec=0\n\n"
                      + resticService(path(QStringLiteral("src")), QStringLiteral("wrong")));
        writeUnit(QStringLiteral("restic-often.timer"),
                  "[Timer]\nOnCalendar=*:*:0/2\nAccuracySec=1ms\n");
        // A daily backup that works, for Run now.
        writeUnit(QStringLiteral("restic-daily.service"),
                  resticService(path(QStringLiteral("src")), QStringLiteral("keepwatch-test")));
        writeUnit(QStringLiteral("restic-daily.timer"), "[Timer]\nOnCalendar=daily\n");
        systemctl({QStringLiteral("daemon-reload")});

        QStandardPaths::setTestModeEnabled(true);
        m_window = std::make_unique<MainWindow>(path(QStringLiteral("spool")));
        AppSettings settings = m_window->appSettings();
        settings.overdueGraceMinutes = 0; // overdue as soon as the period passed
        m_window->applySettings(settings);
        m_window->schedules()->setRefreshIntervalMs(1000);
        m_tableTester = std::make_unique<QAbstractItemModelTester>(
            table(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_schedulesTester = std::make_unique<QAbstractItemModelTester>(
            m_window->schedules()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_window->resize(1200, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() {
        m_schedulesTester.reset();
        m_tableTester.reset();
        m_window.reset();
        m_harness.stop();
    }

    // A restic unit and a borg unit, live in the table: tool, kind, source,
    // user, state and restic's bytes while it runs.
    void resticAndBorgUnitsAreWatchedLive() {
        systemctl({QStringLiteral("start"), QStringLiteral("--no-block"),
                   QStringLiteral("restic-endless.service"),
                   QStringLiteral("borg-nightly.service")});
        QTRY_VERIFY_WITH_TIMEOUT(rowOfUnit(QStringLiteral("restic-endless.service")) >= 0,
                                 5000 * timeoutScale());
        int row = rowOfUnit(QStringLiteral("restic-endless.service"));
        QCOMPARE(text(row, SessionTableModel::Tool), QStringLiteral("restic"));
        QCOMPARE(text(row, SessionTableModel::Kind), QStringLiteral("backup"));
        QCOMPARE(text(row, SessionTableModel::Source), QStringLiteral("systemd (user)"));
        QCOMPARE(text(row, SessionTableModel::User), QStringLiteral("root"));
        QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{32}$"))
                     .match(text(row, SessionTableModel::Id))
                     .hasMatch(),
                 qPrintable(text(row, SessionTableModel::Id)));
        QTRY_VERIFY_WITH_TIMEOUT(
            !text(rowOfUnit(QStringLiteral("restic-endless.service")), SessionTableModel::Bytes)
                 .isEmpty(),
            30000 * timeoutScale());
        QCOMPARE(
            text(rowOfUnit(QStringLiteral("restic-endless.service")), SessionTableModel::State),
            QStringLiteral("running"));

        QTRY_VERIFY_WITH_TIMEOUT(rowOfUnit(QStringLiteral("borg-nightly.service")) >= 0,
                                 5000 * timeoutScale());
        row = rowOfUnit(QStringLiteral("borg-nightly.service"));
        QCOMPARE(text(row, SessionTableModel::Tool), QStringLiteral("borg"));
        QTRY_COMPARE_WITH_TIMEOUT(
            text(rowOfUnit(QStringLiteral("borg-nightly.service")), SessionTableModel::State),
            QStringLiteral("succeeded"), 60000 * timeoutScale());
        QVERIFY(!text(rowOfUnit(QStringLiteral("borg-nightly.service")), SessionTableModel::Bytes)
                     .isEmpty());
    }

    // Cancel on a unit's run: SIGINT through the manager, then the unit
    // stops; the run ends cancelled.
    void cancelStopsTheUnit() {
        const int row = rowOfUnit(QStringLiteral("restic-endless.service"));
        QVERIFY(row >= 0);
        QTableView *view = m_window->sessionTable();
        view->selectionModel()->select(table()->index(row, 0), QItemSelectionModel::ClearAndSelect
                                                                   | QItemSelectionModel::Rows);
        QAction *cancel = m_window->cancelSessionAction();
        QVERIFY(cancel->isEnabled());
        cancel->trigger();
        auto *box = m_window->findChild<QMessageBox *>(QStringLiteral("cancelConfirmation"));
        QVERIFY(box);
        box->button(QMessageBox::Yes)->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            isTerminal(
                sessionStateFromString(text(rowOfUnit(QStringLiteral("restic-endless.service")),
                                            SessionTableModel::State))
                    .value_or(SessionState::Running)),
            30000 * timeoutScale());
        QCOMPARE(
            text(rowOfUnit(QStringLiteral("restic-endless.service")), SessionTableModel::State),
            QStringLiteral("cancelled"));
    }

    // The Schedules tab: the failing timer becomes overdue, and a desktop
    // notification says so.
    void anOverdueTimerShowsAndNotifies() {
        QSignalSpy sent(m_window->notifier(), &Notifier::sent);
        systemctl({QStringLiteral("start"), QStringLiteral("restic-often.timer")});
        ScheduleModel *model = m_window->schedules()->model();
        auto rowOfTimer = [&] {
            for (int r = 0; r < model->rowCount(); ++r) {
                if (model->index(r, ScheduleModel::Timer).data().toString()
                    == QLatin1String("restic-often.timer"))
                    return r;
            }
            return -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rowOfTimer() >= 0, 10000 * timeoutScale());
        QTRY_VERIFY_WITH_TIMEOUT(model->index(rowOfTimer(), ScheduleModel::Overdue)
                                     .data(ScheduleModel::OverdueRole)
                                     .toBool(),
                                 20000 * timeoutScale());
        const int row = rowOfTimer();
        // Failed, or the next run of the timer going on.
        const QString outcome = model->index(row, ScheduleModel::LastOutcome).data().toString();
        QVERIFY2(outcome == QLatin1String("failed") || outcome == QLatin1String("running"),
                 qPrintable(outcome));
        QCOMPARE(model->index(row, ScheduleModel::LastSuccess).data().toString(),
                 QStringLiteral("-"));
        QTRY_VERIFY_WITH_TIMEOUT(!sent.isEmpty(), 5000 * timeoutScale());
        bool overdueSent = false;
        for (const QList<QVariant> &args : sent) {
            const auto message = args.at(0).value<Notifier::Message>();
            overdueSent =
                overdueSent
                || message.summary == QLatin1String("Backup overdue: restic-often.service");
        }
        QVERIFY(overdueSent);
        systemctl({QStringLiteral("stop"), QStringLiteral("restic-often.timer")});
    }

    // Run now on a daily timer's row starts its backup at once; the status
    // bar says so, and the schedule's last success fills in.
    void runNowStartsTheService() {
        systemctl({QStringLiteral("start"), QStringLiteral("restic-daily.timer")});
        ScheduleModel *model = m_window->schedules()->model();
        auto rowOfTimer = [&] {
            for (int r = 0; r < model->rowCount(); ++r) {
                if (model->index(r, ScheduleModel::Timer).data().toString()
                    == QLatin1String("restic-daily.timer"))
                    return r;
            }
            return -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rowOfTimer() >= 0, 10000 * timeoutScale());
        QCOMPARE(model->index(rowOfTimer(), ScheduleModel::LastSuccess).data().toString(),
                 QStringLiteral("-"));
        QCOMPARE(model->index(rowOfTimer(), ScheduleModel::Schedule).data().toString(),
                 QStringLiteral("*-*-* 00:00:00"));
        QVERIFY(model->index(rowOfTimer(), ScheduleModel::NextRun).data().toString()
                != QLatin1String("-"));
        QTableView *view = m_window->schedules()->table();
        view->selectionModel()->select(model->index(rowOfTimer(), 0),
                                       QItemSelectionModel::ClearAndSelect
                                           | QItemSelectionModel::Rows);
        auto *runNow =
            m_window->schedules()->findChild<QPushButton *>(QStringLiteral("scheduleRunNow"));
        QVERIFY(runNow->isEnabled());
        QSignalSpy said(m_window->schedules(), &SchedulesView::message);
        runNow->click();
        QTRY_VERIFY_WITH_TIMEOUT(said.size() >= 2, 10000 * timeoutScale());
        QCOMPARE(said.at(0).at(0).toString(), QStringLiteral("Starting restic-daily.service…"));
        QCOMPARE(said.at(1).at(0).toString(), QStringLiteral("restic-daily.service started"));
        QTRY_COMPARE_WITH_TIMEOUT(
            text(rowOfUnit(QStringLiteral("restic-daily.service")), SessionTableModel::State),
            QStringLiteral("succeeded"), 30000 * timeoutScale());
        QTRY_VERIFY_WITH_TIMEOUT(
            model->index(rowOfTimer(), ScheduleModel::LastSuccess).data().toString()
                != QLatin1String("-"),
            10000 * timeoutScale());
        QCOMPARE(model->index(rowOfTimer(), ScheduleModel::LastOutcome).data().toString(),
                 QStringLiteral("succeeded"));
        QCOMPARE(
            model->index(rowOfTimer(), ScheduleModel::Overdue).data(ScheduleModel::OverdueRole),
            QVariant(false));
    }
};

int main(int argc, char **argv) {
    // Before any thread: unshare(CLONE_NEWNS) refuses a threaded process.
    if (::geteuid() == 0)
        SystemdHarness::enterPrivateMountNamespace();
    QApplication app(argc, argv);
    TestSystemdWindow test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_systemdwindow.moc"
