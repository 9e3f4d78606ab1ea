// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "baculadirector.h"
#include "bacularundialog.h"
#include "filterbar.h"
#include "mainwindow.h"
#include "models/sessiontablemodel.h"
#include "settings/appsettings.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

// A Bacula director in the window (issue 17): a real director, storage and
// file daemon on loopback (tests/support/baculadirector.h) named in
// Settings. A job run from "Run Bacula Job…" after a confirmation shows as a
// running session of bacula:<director> on its client, which the host filter
// offers; cancelled from the window after a confirmation, it ends
// cancelled, as the director says.
class TestBaculaWindow final : public QObject {
    Q_OBJECT

    std::unique_ptr<BaculaDirector> m_director;
    std::unique_ptr<QTemporaryDir> m_work;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    // The row of the first session of `title` from the director, or -1.
    int rowOf(const QString &title) const {
        const SessionStore *store = m_window->store();
        for (int row = 0; row < store->count(); ++row) {
            if (store->at(row).key.source == QLatin1String("bacula:kwtest")
                && store->at(row).title == title)
                return row;
        }
        return -1;
    }

    void select(const SessionKey &key) {
        QTableView *table = m_window->sessionTable();
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            const QModelIndex index = table->model()->index(row, 0);
            if (index.data(SessionTableModel::SessionIdRole).toString() == key.id
                && index.data(SessionTableModel::SourceRole).toString() == key.source) {
                table->selectRow(row);
                return;
            }
        }
        QFAIL("the session is not in the table");
    }

private Q_SLOTS:
    void initTestCase() {
        const QString reason = BaculaDirector::unavailableReason();
        if (!reason.isEmpty())
            QSKIP(qPrintable(reason));
        QStandardPaths::setTestModeEnabled(true);
    }

    void init() {
        userSettings().clear();
        m_work = std::make_unique<QTemporaryDir>();
        m_director = std::make_unique<BaculaDirector>();
        // 40 MiB at 2 MB/s: the backup runs for about 20 s.
        QDir().mkpath(m_director->sourceDirectory());
        QFile file(m_director->sourceDirectory() + QStringLiteral("/large.bin"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray chunk(1024 * 1024, Qt::Uninitialized);
        QRandomGenerator random(3);
        for (int i = 0; i < 40; ++i) {
            random.fillRange(reinterpret_cast<quint32 *>(chunk.data()), chunk.size() / 4);
            file.write(chunk);
        }
        file.close();
        QString error;
        QVERIFY2(m_director->start(&error, 2), qPrintable(error));
    }

    void cleanup() {
        m_tester.reset();
        m_window.reset();
        m_director.reset();
        m_work.reset();
        userSettings().clear();
    }

    void aJobIsRunAndCancelledFromTheWindow() {
        AppSettings settings = AppSettings::load();
        settings.baculaDirectors = {
            {QStringLiteral("kwtest"), m_director->bconsoleConfig(),
             QStandardPaths::findExecutable(QStringLiteral("bconsole"),
                                            {QStringLiteral("/usr/sbin")})}};
        settings.save();
        m_window = std::make_unique<MainWindow>(m_work->filePath(QStringLiteral("spool")));
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_window->sessionTable()->model(),
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));

        QAction *run = m_window->runBaculaJobAction();
        QVERIFY(run->isEnabled());
        run->trigger();
        auto *dialog = m_window->findChild<BaculaRunDialog *>();
        QVERIFY(dialog);
        auto *jobs = dialog->findChild<QListWidget *>(QStringLiteral("baculaJobs"));
        QTRY_COMPARE_WITH_TIMEOUT(jobs->count(), 5, 10000);
        QCOMPARE(dialog->statusText(), QString());
        const QList<QListWidgetItem *> backup =
            jobs->findItems(QStringLiteral("BackupSpike"), Qt::MatchExactly);
        QCOMPARE(backup.size(), 1);
        jobs->setCurrentItem(backup.first());
        dialog->findChild<QPushButton *>(QStringLiteral("runBaculaJob"))->click();
        auto *confirm = dialog->findChild<QMessageBox *>(QStringLiteral("runConfirmation"));
        QVERIFY(confirm);
        QVERIFY(confirm->text().contains(QStringLiteral("“BackupSpike” on director kwtest")));
        confirm->button(QMessageBox::Yes)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->findChild<BaculaRunDialog *>(), 10000);
        QVERIFY2(m_window->statusBar()->currentMessage().startsWith(
                     QLatin1String("director kwtest queued BackupSpike as JobId ")),
                 qPrintable(m_window->statusBar()->currentMessage()));

        // Live in the window, on its client.
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("BackupSpike")) >= 0
                                     && m_window->store()
                                                ->at(rowOf(QStringLiteral("BackupSpike")))
                                                .progress.bytesDone.value_or(0)
                                            > 0,
                                 20000);
        const Session &session = m_window->store()->at(rowOf(QStringLiteral("BackupSpike")));
        const SessionKey key = session.key;
        QCOMPARE(session.host, m_director->clientName());
        QCOMPARE(session.state, SessionState::Running);
        auto *hosts = m_window->filterBar()->findChild<QComboBox *>(QStringLiteral("hostFilter"));
        QVERIFY(hosts->findData(m_director->clientName()) >= 0);

        select(key);
        QAction *cancel = m_window->cancelSessionAction();
        QTRY_VERIFY(cancel->isEnabled());
        cancel->trigger();
        auto *box = m_window->findChild<QMessageBox *>(QStringLiteral("cancelConfirmation"));
        QVERIFY(box);
        QVERIFY(box->informativeText().contains(key.id));
        box->button(QMessageBox::Yes)->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->statusBar()->currentMessage().startsWith(
                                     QStringLiteral("director kwtest cancels %1").arg(key.id)),
                                 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->store()->at(m_window->store()->indexOf(key)).state,
                                  SessionState::Cancelled, 30000);
        QTRY_VERIFY(!cancel->isEnabled());
    }

    // A director Settings do not name: nothing to run, said on the action.
    void withoutADirectorThereIsNothingToRun() {
        m_window = std::make_unique<MainWindow>(m_work->filePath(QStringLiteral("spool")));
        QVERIFY(!m_window->runBaculaJobAction()->isEnabled());
        QVERIFY(m_window->runBaculaJobAction()->statusTip().contains(QLatin1String("Settings")));
        AppSettings settings = m_window->appSettings();
        settings.baculaDirectors = {{QStringLiteral("kwtest"), m_director->bconsoleConfig(),
                                     QStringLiteral("/usr/sbin/bconsole")}};
        m_window->applySettings(settings);
        QVERIFY(m_window->runBaculaJobAction()->isEnabled());
    }
};

KW_TEST_MAIN(TestBaculaWindow)
#include "tst_baculawindow.moc"
