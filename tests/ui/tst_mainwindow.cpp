// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/hostpresence.h"
#include "format/format.h"
#include "hostsview.h"
#include "loglineview.h"
#include "logpane.h"
#include "mainwindow.h"
#include "models/logmodel.h"
#include "models/sessiontablemodel.h"
#include "protocol/timestamp.h"
#include "sessiondetails.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScopeGuard>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace kw;
using namespace kw::test;

namespace {

const QString kRestic = QStringLiteral("restic-1111");
const QString kBorg = QStringLiteral("borg-2222");
const QString kRsync = QStringLiteral("rsync-3333");

QString fileOf(const QString &id) {
    return id + QLatin1String(".jsonl");
}

// Three real spool files, as producers write them: a succeeded restic
// backup, a failed borg one with log lines, a running rsync with progress.
void writeSessions(const TempSpool &spool) {
    const qint64 t0 = Timestamp::nowMs() - 60000;
    spool.append(fileOf(kRestic),
                 encode({startEvent(kRestic, t0, SessionKind::Backup, QStringLiteral("restic"),
                                    QStringLiteral("Documents to B2")),
                         logEvent(kRestic, t0 + 100, "snapshot 4f2a9c1e saved"),
                         progressEvent(kRestic, t0 + 200, 100),
                         endEvent(kRestic, t0 + 300, SessionState::Succeeded, 0)}));
    spool.append(
        fileOf(kBorg),
        encode({startEvent(kBorg, t0 + 1000, SessionKind::Backup, QStringLiteral("borg"),
                           QStringLiteral("Photos to NAS")),
                logEvent(kBorg, t0 + 1100, "Creating archive photos-2026-11-25"),
                logEvent(kBorg, t0 + 1200, "Processing IMG_0001.jpg"),
                logEvent(kBorg, t0 + 1300, "file changed while we read it: IMG_2231.jpg",
                         LogLevel::Warning),
                logEvent(kBorg, t0 + 1400, "Connection closed by remote host", LogLevel::Error),
                endEvent(kBorg, t0 + 1500, SessionState::Failed, 2)}));
    spool.append(fileOf(kRsync),
                 encode({startEvent(kRsync, t0 + 2000, SessionKind::Backup, QStringLiteral("rsync"),
                                    QStringLiteral("Mirror music library")),
                         logEvent(kRsync, t0 + 2100, "music/album1/track01.flac"),
                         progressEvent(kRsync, t0 + 2200, 42.5)}));
}

} // namespace

class TestMainWindow final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TempSpool> m_spool;
    std::unique_ptr<MainWindow> m_window;
    // Watches the whole live proxy stack the table shows, as the collector
    // feeds it and the filters change.
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    QTableView *table() const { return m_window->sessionTable(); }
    QTabWidget *tabs() const { return m_window->logTabs(); }
    QLineEdit *filter() const {
        return m_window->findChild<QLineEdit *>(QStringLiteral("sessionFilter"));
    }
    QComboBox *stateFilter() const {
        return m_window->findChild<QComboBox *>(QStringLiteral("stateFilter"));
    }
    QString countsText() const {
        return m_window->findChild<QLabel *>(QStringLiteral("statusCounts"))->text();
    }

    // The session IDs in the table, top to bottom, as the user sees them.
    QStringList visibleIds() const {
        QStringList ids;
        const QAbstractItemModel *model = table()->model();
        for (int r = 0; r < model->rowCount(); ++r)
            ids << model->index(r, SessionTableModel::Id).data().toString();
        return ids;
    }
    QModelIndex rowOf(const QString &id) const {
        const QAbstractItemModel *model = table()->model();
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->index(r, SessionTableModel::Id).data().toString() == id)
                return model->index(r, SessionTableModel::Title);
        }
        return {};
    }
    LogPane *currentPane() const { return qobject_cast<LogPane *>(tabs()->currentWidget()); }

    void startWindow() {
        m_tester.reset();
        m_window = std::make_unique<MainWindow>(m_spool->path());
        m_tester = std::make_unique<QAbstractItemModelTester>(
            table()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_window->resize(1000, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void startWithSessions() {
        writeSessions(*m_spool);
        startWindow();
        QTRY_COMPARE(table()->model()->rowCount(), 3);
    }
    // Selects the row and presses Enter, as a keyboard user would.
    LogPane *openWithEnter(const QString &id) {
        const QModelIndex index = rowOf(id);
        if (!index.isValid())
            return nullptr;
        table()->setFocus();
        table()->setCurrentIndex(index);
        QTest::keyClick(table(), Qt::Key_Return);
        return currentPane();
    }
    static bool lastRowVisible(const LogPane &pane) {
        const QAbstractItemModel *model = pane.view()->model();
        const QRect last = pane.view()->visualRect(model->index(model->rowCount() - 1, 0));
        return pane.view()->viewport()->rect().contains(last.center());
    }

private slots:
    void initTestCase() {
        // Window and header state go to a test location, never the user's.
        QStandardPaths::setTestModeEnabled(true);
    }

    void init() {
        userSettings().clear();
        m_spool = std::make_unique<TempSpool>();
    }

    // The Hosts tab lists the hosts `keepwatch-cli collect` mirrors into
    // this user's state directory, each with its presence.
    void theHostsTabShowsMirroredHosts() {
        QTemporaryDir state;
        QVERIFY(state.isValid());
        const QByteArray before = qgetenv("XDG_STATE_HOME");
        auto restore = qScopeGuard([&] { qputenv("XDG_STATE_HOME", before); });
        qputenv("XDG_STATE_HOME", QFile::encodeName(state.path()));
        const QString remote = state.filePath(QStringLiteral("keepwatch/remote"));
        QVERIFY(QDir().mkpath(remote + QStringLiteral("/web01")));
        QCOMPARE(HostPresenceFile::write(
                     remote,
                     {QStringLiteral("web01"), true, Timestamp::nowMs(), Timestamp::nowMs(), {}}),
                 QString());
        // db01 went offline during its backup.
        const qint64 since = Timestamp::nowMs() - 60000;
        QVERIFY(QDir().mkpath(remote + QStringLiteral("/db01")));
        QCOMPARE(HostPresenceFile::write(remote, {QStringLiteral("db01"), false, since, since, {}}),
                 QString());
        QFile session(remote + QStringLiteral("/db01/db-nightly.jsonl"));
        QVERIFY(session.open(QIODevice::WriteOnly));
        session.write(encode({startEvent(QStringLiteral("db-nightly"), since - 60000)}));
        session.close();
        startWindow();
        const int tab = m_window->sessionViews()->indexOf(m_window->hosts());
        QVERIFY(tab >= 0);
        QCOMPARE(m_window->sessionViews()->tabText(tab), QStringLiteral("Hosts"));
        QTRY_COMPARE(m_window->hosts()->model()->rowCount(), 2);
        QVERIFY(m_window->hosts()
                    ->model()
                    ->index(1, HostModel::Status)
                    .data()
                    .toString()
                    .startsWith(QLatin1String("online since ")));
        // The session table says the same of db01's backup.
        QTRY_VERIFY(rowOf(QStringLiteral("db-nightly")).isValid());
        QTRY_COMPARE(rowOf(QStringLiteral("db-nightly"))
                         .siblingAtColumn(SessionTableModel::State)
                         .data()
                         .toString(),
                     QStringLiteral("unknown since ") + Format::dateTime(since));
        // And the details of it, not "running".
        table()->setCurrentIndex(rowOf(QStringLiteral("db-nightly")));
        QTRY_COMPARE(
            m_window->findChild<SessionDetails *>()->fieldText(QStringLiteral("detailState")),
            QStringLiteral("unknown since ") + Format::dateTime(since));
        QCOMPARE(m_window->findChild<SessionDetails *>()->fieldText(QStringLiteral("detailEnded")),
                 QStringLiteral("unknown since ") + Format::dateTime(since));
    }

    void cleanup() {
        m_tester.reset();
        m_window.reset();
        m_spool.reset();
        userSettings().clear();
    }

    void showsSessionsFromSpool() {
        startWithSessions();
        // Newest first.
        QCOMPARE(visibleIds(), QStringList({kRsync, kBorg, kRestic}));
        QTRY_COMPARE(countsText(), QStringLiteral("1 running · 1 failed · 3 total"));
        const QAbstractItemModel *model = table()->model();
        QCOMPARE(model->index(0, SessionTableModel::Title).data().toString(),
                 QStringLiteral("Mirror music library"));
        QCOMPARE(model->index(0, SessionTableModel::Tool).data().toString(),
                 QStringLiteral("rsync"));
        QCOMPARE(model->index(0, SessionTableModel::Kind).data().toString(),
                 QStringLiteral("backup"));
        QCOMPARE(model->index(1, SessionTableModel::State).data().toString(),
                 QStringLiteral("failed"));
        QVERIFY(!model->index(1, SessionTableModel::State)
                     .data(Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());
        // The failed row stands out, the succeeded one does not.
        QVERIFY(model->index(1, SessionTableModel::Title).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model->index(2, SessionTableModel::Title).data(Qt::BackgroundRole).isValid());
        QVERIFY(model->index(0, SessionTableModel::Progress)
                    .data()
                    .toString()
                    .endsWith(QLatin1Char('%')));
        QVERIFY(!m_window->findChild<QLabel *>(QStringLiteral("emptyHint"))->isVisible());
        QVERIFY(table()->isVisible());
        QVERIFY(!tabs()->isVisible());
        // Nothing went wrong reading the spool.
        QVERIFY(!m_window->findChild<QToolButton *>(QStringLiteral("sourceErrors"))->isVisible());
    }

    void sortsByClickedColumn() {
        startWithSessions();
        table()->sortByColumn(SessionTableModel::Title, Qt::AscendingOrder);
        QCOMPARE(visibleIds(), QStringList({kRestic, kRsync, kBorg}));
        table()->sortByColumn(SessionTableModel::State, Qt::AscendingOrder);
        // Active states sort before finished ones.
        QCOMPARE(visibleIds(), QStringList({kRsync, kRestic, kBorg}));
    }

    void filtersByText_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("tool") << QStringLiteral("borg") << QStringList{kBorg};
        QTest::newRow("title words, any case")
            << QStringLiteral("photos nas") << QStringList{kBorg};
        QTest::newRow("id") << QStringLiteral("3333") << QStringList{kRsync};
        QTest::newRow("state") << QStringLiteral("running") << QStringList{kRsync};
        QTest::newRow("kind") << QStringLiteral("backup") << QStringList{kRsync, kBorg, kRestic};
        QTest::newRow("host") << QStringLiteral("testhost") << QStringList{kRsync, kBorg, kRestic};
        QTest::newRow("no match") << QStringLiteral("zfs") << QStringList();
    }

    void filtersByText() {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        startWithSessions();
        QTest::keyClicks(filter(), text);
        // Debounced: the table does not jump while the user types...
        QCOMPARE(table()->model()->rowCount(), 3);
        // ...and follows shortly after.
        QTRY_COMPARE(visibleIds(), expected);
        // Clearing the field shows everything again.
        filter()->clear();
        QTRY_COMPARE(table()->model()->rowCount(), 3);
    }

    void filtersByState_data() {
        QTest::addColumn<QString>("choice");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("all") << QStringLiteral("All states") << QStringList{kRsync, kBorg, kRestic};
        QTest::newRow("active") << QStringLiteral("Active") << QStringList{kRsync};
        QTest::newRow("problems") << QStringLiteral("Problems") << QStringList{kBorg};
        QTest::newRow("finished") << QStringLiteral("Finished") << QStringList{kBorg, kRestic};
        QTest::newRow("succeeded") << QStringLiteral("succeeded") << QStringList{kRestic};
        QTest::newRow("queued") << QStringLiteral("queued") << QStringList();
    }

    void filtersByState() {
        QFETCH(QString, choice);
        QFETCH(QStringList, expected);
        startWithSessions();
        const int index = stateFilter()->findText(choice);
        QVERIFY2(index >= 0, qPrintable(choice));
        stateFilter()->setCurrentIndex(index);
        // A choice in a list applies at once: no typing to wait for.
        QCOMPARE(visibleIds(), expected);
    }

    void textAndStateFiltersCombine() {
        startWithSessions();
        stateFilter()->setCurrentIndex(stateFilter()->findText(QStringLiteral("Finished")));
        QTest::keyClicks(filter(), QStringLiteral("b2"));
        QTRY_COMPARE(visibleIds(), QStringList{kRestic});
        stateFilter()->setCurrentIndex(stateFilter()->findText(QStringLiteral("Problems")));
        QCOMPARE(visibleIds(), QStringList());
    }

    // The promise: a failed session is found in two clicks, even
    // far down a busy table. One on the Problems preset, one on the row.
    void failedSessionInTwoClicks() {
        writeSessions(*m_spool);
        // Forty newer, successful sessions push the failed one out of sight.
        const qint64 t = Timestamp::nowMs() - 50000;
        for (int i = 0; i < 40; ++i) {
            const QString id = QStringLiteral("ok-%1").arg(i, 2, 10, QLatin1Char('0'));
            m_spool->append(
                fileOf(id),
                encode({startEvent(id, t + i * 100, SessionKind::Backup, QStringLiteral("rsync"),
                                   QStringLiteral("hourly %1").arg(i)),
                        endEvent(id, t + i * 100 + 50, SessionState::Succeeded, 0)}));
        }
        startWindow();
        QTRY_COMPARE(table()->model()->rowCount(), 43);
        const auto inSight = [this](const QModelIndex &index) {
            return table()->viewport()->rect().contains(table()->visualRect(index).center());
        };
        QVERIFY(!inSight(rowOf(kBorg)));

        // Click one.
        auto *problems = m_window->findChild<QToolButton *>(QStringLiteral("presetProblems"));
        QVERIFY(problems);
        QVERIFY(problems->isVisible());
        QTest::mouseClick(problems, Qt::LeftButton);
        QCOMPARE(visibleIds(), QStringList{kBorg});
        QVERIFY(inSight(rowOf(kBorg)));

        // Click two.
        QTest::mouseClick(table()->viewport(), Qt::LeftButton, {},
                          table()->visualRect(rowOf(kBorg)).center());
        const QModelIndexList selected = table()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().siblingAtColumn(SessionTableModel::Id).data().toString(), kBorg);
        QCOMPARE(selected.first().siblingAtColumn(SessionTableModel::State).data().toString(),
                 QStringLiteral("failed"));
    }

    // "12 of 340 sessions": how much the filter hides, kept up to date as
    // sessions arrive.
    void countsShownOfTotal() {
        startWithSessions();
        auto *count = m_window->findChild<QLabel *>(QStringLiteral("filterCount"));
        QVERIFY(count);
        QTRY_COMPARE(count->text(), QStringLiteral("3 sessions"));
        QTest::mouseClick(m_window->findChild<QToolButton *>(QStringLiteral("presetProblems")),
                          Qt::LeftButton);
        QCOMPARE(count->text(), QStringLiteral("1 of 3 sessions"));
        const QString late = QStringLiteral("late-4444");
        m_spool->append(fileOf(late),
                        encode({startEvent(late, Timestamp::nowMs()),
                                endEvent(late, Timestamp::nowMs(), SessionState::Interrupted, 1)}));
        QTRY_COMPARE(count->text(), QStringLiteral("2 of 4 sessions"));
        QTest::mouseClick(m_window->findChild<QToolButton *>(QStringLiteral("clearFilters")),
                          Qt::LeftButton);
        QCOMPARE(count->text(), QStringLiteral("4 sessions"));
    }

    // The tool and host lists offer what the sessions have.
    void toolAndHostListsFollowTheSessions() {
        startWithSessions();
        auto *tools = m_window->findChild<QComboBox *>(QStringLiteral("toolFilter"));
        auto *hosts = m_window->findChild<QComboBox *>(QStringLiteral("hostFilter"));
        QVERIFY(tools && hosts);
        QStringList toolItems;
        for (int i = 0; i < tools->count(); ++i)
            toolItems << tools->itemText(i);
        QCOMPARE(toolItems, QStringList({QStringLiteral("All tools"), QStringLiteral("borg"),
                                         QStringLiteral("restic"), QStringLiteral("rsync")}));
        QCOMPARE(hosts->count(), 2);
        QCOMPARE(hosts->itemText(1), QStringLiteral("testhost"));
        tools->setCurrentIndex(tools->findText(QStringLiteral("restic")));
        QCOMPARE(visibleIds(), QStringList{kRestic});
    }

    void opensLog_data() {
        QTest::addColumn<bool>("doubleClick");
        QTest::newRow("enter") << false;
        QTest::newRow("double-click") << true;
    }

    void opensLog() {
        QFETCH(bool, doubleClick);
        startWithSessions();
        stateFilter()->setCurrentIndex(stateFilter()->findText(QStringLiteral("Problems")));
        QCOMPARE(visibleIds(), QStringList{kBorg});

        if (doubleClick) {
            const QRect cell = table()->visualRect(rowOf(kBorg));
            // A real double-click: press and release, then the double-click.
            QTest::mouseClick(table()->viewport(), Qt::LeftButton, {}, cell.center());
            QTest::mouseDClick(table()->viewport(), Qt::LeftButton, {}, cell.center());
        } else {
            QVERIFY(openWithEnter(kBorg));
        }
        QCOMPARE(tabs()->count(), 1);
        QVERIFY(tabs()->isVisible());
        QVERIFY2(tabs()->tabText(0).contains(QLatin1String("Photos to NAS")),
                 qPrintable(tabs()->tabText(0)));
        QVERIFY(tabs()->tabText(0).contains(QLatin1String("borg-222")));
        QVERIFY(!tabs()->tabIcon(0).isNull());
        LogPane *pane = currentPane();
        QVERIFY(pane);
        QCOMPARE(pane->sessionKey().id, kBorg);
        QTRY_VERIFY(pane->view()->isVisible());
        const QAbstractItemModel *lines = pane->view()->model();
        QCOMPARE(lines->rowCount(), 4);
        QCOMPARE(lines->index(3, 0).data(LogModel::MessageRole).toString(),
                 QStringLiteral("Connection closed by remote host"));

        // Opening it again brings the same tab forward instead of a second one.
        stateFilter()->setCurrentIndex(0);
        QCOMPARE(openWithEnter(kRsync)->sessionKey().id, kRsync);
        QCOMPARE(tabs()->count(), 2);
        QCOMPARE(openWithEnter(kBorg), pane);
        QCOMPARE(tabs()->count(), 2);
        QCOMPARE(tabs()->currentIndex(), 0);
    }

    void logFollowsAppendedLines() {
        startWithSessions();
        LogPane *pane = openWithEnter(kBorg);
        QVERIFY(pane);
        QCOMPARE(pane->view()->model()->rowCount(), 4);

        // The producer keeps writing (a late cleanup log, say).
        QList<Event> more;
        const qint64 t = Timestamp::nowMs();
        for (int i = 1; i <= 200; ++i)
            more << logEvent(kBorg, t + i, "cleanup step " + QByteArray::number(i));
        m_spool->append(fileOf(kBorg), encode(more));
        QTRY_COMPARE(pane->view()->model()->rowCount(), 204);
        QCOMPARE(pane->view()->model()->index(203, 0).data(LogModel::MessageRole).toString(),
                 QStringLiteral("cleanup step 200"));
        // Follow keeps the newest line in view.
        QTRY_VERIFY(lastRowVisible(*pane));
        QCOMPARE(pane->statusText(), QStringLiteral("204 lines shown of 204"));
    }

    void levelFilterInLogPane() {
        startWithSessions();
        LogPane *pane = openWithEnter(kBorg);
        QVERIFY(pane);
        auto *info = pane->findChild<QToolButton *>(QStringLiteral("levelinfo"));
        QVERIFY(info);
        QTest::mouseClick(info, Qt::LeftButton);
        const QAbstractItemModel *lines = pane->view()->model();
        QCOMPARE(lines->rowCount(), 2);
        for (int r = 0; r < lines->rowCount(); ++r)
            QVERIFY(lines->index(r, 0).data(LogModel::LevelRole).toInt() >= int(LogLevel::Warning));
        QCOMPARE(pane->statusText(), QStringLiteral("2 lines shown of 4"));
    }

    void keyboardShortcuts() {
        startWithSessions();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QVERIFY(openWithEnter(kBorg));
        QVERIFY(openWithEnter(kRestic));
        QCOMPARE(tabs()->count(), 2);

        QTest::keyClick(table(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(filter()->hasFocus());

        QTest::keyClick(filter(), Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(tabs()->count(), 1);
        QCOMPARE(currentPane()->sessionKey().id, kBorg);
        QTest::keyClick(filter(), Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(tabs()->count(), 0);
        QVERIFY(!tabs()->isVisible());

        QTest::keyClick(table(), Qt::Key_Q, Qt::ControlModifier);
        QTRY_VERIFY(!m_window->isVisible());
    }

    void closeButtonClosesTab() {
        startWithSessions();
        QVERIFY(openWithEnter(kRsync));
        QWidget *close = tabs()->tabBar()->tabButton(0, QTabBar::RightSide);
        QVERIFY(close);
        QTest::mouseClick(close, Qt::LeftButton);
        QCOMPARE(tabs()->count(), 0);
    }

    void emptySpoolExplainsWhatToDo() {
        startWindow();
        auto *hint = m_window->findChild<QLabel *>(QStringLiteral("emptyHint"));
        QVERIFY(hint->isVisible());
        QVERIFY(!table()->isVisible());
        QVERIFY2(hint->text().contains(QLatin1String("keepwatch-cli run -- &lt;command&gt;")),
                 qPrintable(hint->text()));
        QVERIFY(hint->text().contains(m_spool->path()));
        QCOMPARE(countsText(), QStringLiteral("0 running · 0 failed · 0 total"));

        writeSessions(*m_spool);
        QTRY_VERIFY(table()->isVisible());
        QVERIFY(!hint->isVisible());
    }

    void reportsSourceErrors() {
        startWithSessions();
        m_spool->append(fileOf(kRsync), "this is not json\n");
        auto *errors = m_window->findChild<QToolButton *>(QStringLiteral("sourceErrors"));
        QTRY_VERIFY(errors->isVisible());
        QCOMPARE(errors->text(), QStringLiteral("1 source error"));
        QVERIFY2(errors->toolTip().contains(fileOf(kRsync)), qPrintable(errors->toolTip()));
        // The rest of the file still counts.
        QCOMPARE(table()->model()->rowCount(), 3);
    }

    // What this user cannot see, from every source that says so (on Windows
    // VSS's writers and its shadow copies, each with its own reason), stays
    // in view, as plain text: a reason may quote a program's output.
    void noticesOfEverySourceStayInView() {
        startWithSessions();
        auto notice = [](const QString &location, const QString &message) {
            SourceError e{QStringLiteral("vss"), location, 0, message};
            e.notice = true;
            return e;
        };
        EventBatch batch;
        batch.errors << notice(QStringLiteral("keepwatch-vss.exe"),
                               QStringLiteral("VSS writers are not shown: <b>E_ACCESSDENIED</b>"))
                     << notice(QStringLiteral("vssadmin"),
                               QStringLiteral("VSS shadow copies are not shown: exit code 2"));
        m_window->store()->apply(batch);
        auto *label = m_window->findChild<QLabel *>(QStringLiteral("sourceNotice"));
        QVERIFY(label->isVisible());
        QCOMPARE(label->textFormat(), Qt::PlainText);
        QCOMPARE(label->text(), QStringLiteral("VSS writers are not shown: <b>E_ACCESSDENIED</b>\n"
                                               "VSS shadow copies are not shown: exit code 2"));
        // Notices are not errors.
        QVERIFY(!m_window->findChild<QToolButton *>(QStringLiteral("sourceErrors"))->isVisible());

        // A source's newer word replaces its older one.
        EventBatch newer;
        newer.errors << notice(QStringLiteral("vssadmin"),
                               QStringLiteral("VSS shadow copies are not shown: timed out"));
        m_window->store()->apply(newer);
        QCOMPARE(label->text(), QStringLiteral("VSS writers are not shown: <b>E_ACCESSDENIED</b>\n"
                                               "VSS shadow copies are not shown: timed out"));
    }

    // The promise: a session started by `keepwatch-cli run` shows up
    // within a second, with no configuration but the spool.
    void showsCliSessionsLive() {
        startWindow();
        QElapsedTimer timer;
        const CliResult run =
            runCli({QStringLiteral("run"), QStringLiteral("--title"),
                    QStringLiteral("from the cli"), QStringLiteral("--"), QStringLiteral("sh"),
                    QStringLiteral("-c"), QStringLiteral("echo hello from the wrapped command")});
        QCOMPARE(run.exitCode, 0);
        timer.start();
        QTRY_COMPARE_WITH_TIMEOUT(table()->model()->rowCount(), 1, 5000);
        // The file-system watcher wakes the collector; the slow poll is 1 s.
        QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
        const QModelIndex row = table()->model()->index(0, SessionTableModel::Title);
        QCOMPARE(row.data().toString(), QStringLiteral("from the cli"));
        QTRY_COMPARE(table()->model()->index(0, SessionTableModel::State).data().toString(),
                     QStringLiteral("succeeded"));
        LogPane *pane = openWithEnter(row.siblingAtColumn(SessionTableModel::Id).data().toString());
        QVERIFY(pane);
        QTRY_COMPARE(pane->view()->model()->rowCount(), 1);
        QCOMPARE(pane->view()->model()->index(0, 0).data(LogModel::MessageRole).toString(),
                 QStringLiteral("hello from the wrapped command"));
    }

    void remembersFiltersAndLayout() {
        startWithSessions();
        stateFilter()->setCurrentIndex(stateFilter()->findText(QStringLiteral("Finished")));
        QTest::keyClicks(filter(), QStringLiteral("photos"));
        QTRY_COMPARE(visibleIds(), QStringList{kBorg});
        table()->horizontalHeader()->resizeSection(SessionTableModel::Title, 321);
        table()->horizontalHeader()->setSectionHidden(SessionTableModel::Rate, true);
        table()->sortByColumn(SessionTableModel::Tool, Qt::AscendingOrder);
        m_window->close(); // saves
        m_tester.reset();
        m_window.reset();

        startWindow();
        QCOMPARE(stateFilter()->currentText(), QStringLiteral("Finished"));
        QCOMPARE(filter()->text(), QStringLiteral("photos"));
        QCOMPARE(table()->horizontalHeader()->sectionSize(SessionTableModel::Title), 321);
        QCOMPARE(table()->horizontalHeader()->sortIndicatorSection(), int(SessionTableModel::Tool));
        QVERIFY(table()->horizontalHeader()->isSectionHidden(SessionTableModel::Rate));
        QTRY_COMPARE(visibleIds(), QStringList{kBorg});
    }
};

KW_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
