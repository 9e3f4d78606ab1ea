// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launch/sessioncanceller.h"
#include "launchdialog.h"
#include "logpane.h"
#include "mainwindow.h"
#include "models/sessiontablemodel.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

QMessageBox *confirmation(const QWidget *window) {
    auto *box = window->findChild<QMessageBox *>(QStringLiteral("cancelConfirmation"));
    return box && box->isVisible() ? box : nullptr;
}

} // namespace

// Launch and cancel from the window: the actions, their menus, and the real
// keepwatch-cli behind them.
class TestSessionActions final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TempSpool> m_spool;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QProcess> m_wrapper;

    QTableView *table() const { return m_window->sessionTable(); }
    // The table row showing `text` as its title or ID, -1 when none does.
    // (Rows are looked up, not counted: /proc discovery, when on, may show
    // other tests' backup tools too.)
    int rowOf(const QString &text) const {
        const QAbstractItemModel *model = table()->model();
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->index(r, SessionTableModel::Title).data().toString() == text
                || model->index(r, SessionTableModel::Id).data().toString() == text)
                return r;
        }
        return -1;
    }
    QString stateOf(const QString &text) const {
        return table()->model()->index(rowOf(text), SessionTableModel::State).data().toString();
    }

    void clickRow(int row) {
        const QModelIndex index = table()->model()->index(row, SessionTableModel::Title);
        QTest::mouseClick(table()->viewport(), Qt::LeftButton, Qt::NoModifier,
                          table()->visualRect(index).center());
        QCOMPARE(table()->selectionModel()->selectedRows().size(), 1);
    }

    void startWindow() {
        m_window = std::make_unique<MainWindow>(m_spool->path());
        m_window->setCliProgram(cliPath());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    // A long session run by the real wrapper, as cron would run it.
    void startLongSession() {
        m_wrapper = std::make_unique<QProcess>();
        m_wrapper->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_wrapper->setStandardOutputFile(QProcess::nullDevice());
        m_wrapper->start(cliPath(), {QStringLiteral("run"), QStringLiteral("--title"),
                                     QStringLiteral("long one"), QStringLiteral("--"),
                                     QStringLiteral("sleep"), QStringLiteral("30")});
        QVERIFY(m_wrapper->waitForStarted());
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() {
        userSettings().clear();
        m_spool = std::make_unique<TempSpool>();
    }
    void cleanup() {
        if (m_wrapper && m_wrapper->state() != QProcess::NotRunning) {
            m_wrapper->kill();
            m_wrapper->waitForFinished();
        }
        m_wrapper.reset();
        m_window.reset();
        m_spool.reset();
        userSettings().clear();
    }

    void actionsInMenusAndContextMenu() {
        startWindow();
        QAction *launch = m_window->newSessionAction();
        QAction *cancel = m_window->cancelSessionAction();
        QCOMPARE(launch->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_N));
        QCOMPARE(cancel->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
        QStringList menus;
        for (QAction *menu : m_window->menuBar()->actions())
            menus << menu->text();
        QCOMPARE(menus, (QStringList{QStringLiteral("&File"), QStringLiteral("&Session"),
                                     QStringLiteral("&View"), QStringLiteral("&Help")}));
        QVERIFY(m_window->menuBar()->actions().at(1)->menu()->actions().contains(cancel));
        QCOMPARE(table()->contextMenuPolicy(), Qt::ActionsContextMenu);
        QVERIFY(table()->actions().contains(launch));
        QVERIFY(table()->actions().contains(cancel));
        // Nothing selected: nothing to cancel.
        QVERIFY(!cancel->isEnabled());
    }

    void cancelsARunningSession() {
        startLongSession();
        startWindow();
        const QString title = QStringLiteral("long one");
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(title) >= 0, 10000);
        QTRY_COMPARE(stateOf(title), QStringLiteral("running"));
        QAction *cancel = m_window->cancelSessionAction();
        QVERIFY(!cancel->isEnabled());
        clickRow(rowOf(title));
        QVERIFY(cancel->isEnabled());
        const QString id =
            table()->model()->index(rowOf(title), SessionTableModel::Id).data().toString();

        // "Keep Running" changes nothing.
        cancel->trigger();
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = confirmation(m_window.get())));
        QVERIFY(box->text().contains(QLatin1String("long one")));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::No));
        box->button(QMessageBox::No)->click();
        QTRY_VERIFY(!confirmation(m_window.get()));
        auto *canceller = m_window->findChild<SessionCanceller *>();
        QVERIFY(canceller);
        QCOMPARE(canceller->pending(), 0);
        QCOMPARE(stateOf(title), QStringLiteral("running"));

        // The keyboard shortcut asks again; this time the user means it.
        QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
        QTRY_VERIFY((box = confirmation(m_window.get())));
        box->button(QMessageBox::Yes)->click();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(title), QStringLiteral("cancelled"), 20000);
        QTRY_VERIFY2(m_window->statusBar()->currentMessage().startsWith(
                         QStringLiteral("cancel requested for session ") + id),
                     qPrintable(m_window->statusBar()->currentMessage()));
        QVERIFY(!cancel->isEnabled()); // it has ended
        QTRY_COMPARE_WITH_TIMEOUT(m_wrapper->state(), QProcess::NotRunning, 20000);
        QCOMPARE(m_wrapper->exitCode(), 128 + 15); // sleep got SIGTERM, the generic stop signal
    }

    void refusalIsShownInTheStatusBar() {
        // A session that claims to be running, but whose wrapper is not ours
        // (no producer): the CLI refuses and says why.
        m_spool->append(QStringLiteral("orphan.jsonl"),
                        encode({startEvent(QStringLiteral("orphan"), 1000)}));
        startWindow();
        QTRY_VERIFY(rowOf(QStringLiteral("orphan")) >= 0);
        clickRow(rowOf(QStringLiteral("orphan")));
        QTRY_VERIFY(m_window->cancelSessionAction()->isEnabled());
        m_window->cancelSessionAction()->trigger();
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = confirmation(m_window.get())));
        box->button(QMessageBox::Yes)->click();
        QTRY_COMPARE(m_window->statusBar()->currentMessage(),
                     QStringLiteral("cancel: session 'orphan' was not started by keepwatch-cli "
                                    "run; stop its producer another way"));
    }

    // New Session… launches through the real CLI, and the window opens the
    // new session's log as soon as the spool has it.
    void launchFromWindowOpensTheLog() {
        if (QStandardPaths::findExecutable(QStringLiteral("rsync")).isEmpty())
            QSKIP("rsync is not installed");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString source = dir.filePath(QStringLiteral("src"));
        QVERIFY(QDir().mkpath(source));
        QFile file(source + QStringLiteral("/hello.txt"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("hello\n");
        file.close();
        startWindow();
        QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_N));
        LaunchDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<LaunchDialog *>()) && dialog->isVisible());
        LaunchProfile p;
        p.name = QStringLiteral("from the window");
        p.tool = QStringLiteral("rsync");
        p.repository = dir.filePath(QStringLiteral("dst/"));
        p.paths = {source + QLatin1Char('/')};
        dialog->setProfile(p);
        // The dialog writes to this window's spool.
        QVERIFY(dialog->command().environment.value(QStringLiteral("KEEPWATCH_SPOOL"))
                == m_spool->path());
        const QString id = dialog->nextSessionId();
        dialog->findChild<QPushButton *>(QStringLiteral("launchButton"))->click();
        QTRY_VERIFY(!m_window->findChild<LaunchDialog *>()); // closed, deleted
        QTRY_VERIFY_WITH_TIMEOUT(m_window->logPane(SessionKey{QStringLiteral("spool"), id}), 20000);
        const int row = m_window->store()->indexOf(SessionKey{QStringLiteral("spool"), id});
        QVERIFY(row >= 0);
        QCOMPARE(m_window->store()->at(row).tool, QStringLiteral("rsync"));
        QTRY_COMPARE_WITH_TIMEOUT(int(m_window->store()->at(row).state),
                                  int(SessionState::Succeeded), 20000);
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("dst/hello.txt"))));
    }
};

KW_TEST_MAIN(TestSessionActions)
#include "tst_sessionactions.moc"
