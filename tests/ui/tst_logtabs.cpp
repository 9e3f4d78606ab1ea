// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "loglineview.h"
#include "logpane.h"
#include "logtabs.h"
#include "models/logmodel.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace kw;
using namespace kw::test;

namespace {

const QStringList kIds = {QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")};

SessionKey keyOf(const QString &id) {
    return SessionKey{QStringLiteral("spool"), id};
}

EventBatch linesFor(const QString &id, int from, int count) {
    QList<Event> events;
    for (int i = from; i < from + count; ++i)
        events << logEvent(id, 1000 + i, id.toUtf8() + " line " + QByteArray::number(i));
    return spoolBatch(events);
}

QStringList titles(const QTabWidget *tabs) {
    QStringList out;
    for (int i = 0; i < tabs->count(); ++i)
        out << tabs->tabText(i);
    return out;
}

} // namespace

class TestLogTabs final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<SessionStore> m_store;
    std::unique_ptr<QWidget> m_top; // stands in for the main window
    LogTabs *m_tabs = nullptr;

    LogPane *open(const QString &id) {
        auto *pane = new LogPane(m_store.get(), keyOf(id), m_tabs);
        m_tabs->addPane(pane, QIcon(), id + QStringLiteral(" title"),
                        QStringLiteral("Session ") + id);
        return pane;
    }
    QToolButton *corner(const char *name) const {
        return m_tabs->findChild<QToolButton *>(QLatin1String(name));
    }

private slots:
    void init() {
        m_store = std::make_unique<SessionStore>();
        QList<Event> starts;
        for (const QString &id : kIds)
            starts << startEvent(id, 1000);
        m_store->apply(spoolBatch(starts));
        for (const QString &id : kIds)
            m_store->apply(linesFor(id, 1, 20));
        m_top = std::make_unique<QWidget>();
        m_top->resize(900, 500);
        m_tabs = new LogTabs(m_top.get());
        m_tabs->resize(900, 500);
        m_top->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_top.get()));
        // Shortcuts go to the active window only.
        m_top->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_top.get()));
    }
    void cleanup() {
        m_top.reset(); // the tabs, their panes and any detached window
        m_tabs = nullptr;
        m_store.reset();
    }

    void opensTabsAndFindsPanes() {
        QSignalSpy tabCount(m_tabs, &LogTabs::tabCountChanged);
        LogPane *a = open(kIds[0]);
        LogPane *b = open(kIds[1]);
        QCOMPARE(tabCount.count(), 2);
        QCOMPARE(tabCount.last().at(0).toInt(), 2);
        QCOMPARE(titles(m_tabs->primary()),
                 QStringList({QStringLiteral("alpha title"), QStringLiteral("beta title")}));
        QCOMPARE(m_tabs->primary()->tabToolTip(1), QStringLiteral("Session beta"));
        QCOMPARE(m_tabs->pane(keyOf(kIds[0])), a);
        QCOMPARE(m_tabs->pane(keyOf(QStringLiteral("nope"))), nullptr);
        QCOMPARE(m_tabs->currentPane(), b);
        QVERIFY(!m_tabs->secondary()->isVisible());
        QAbstractItemModelTester tester(a->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The background tab idles, the front one works.
        QVERIFY(!a->model()->isActive());
        QVERIFY(b->model()->isActive());
        m_store->apply(linesFor(kIds[0], 21, 5));
        QCOMPARE(a->model()->rowCount(), 20);
        m_tabs->activate(a);
        QVERIFY(a->model()->isActive());
        QCOMPARE(a->model()->rowCount(), 25);
        QVERIFY(!b->model()->isActive());

        QSignalSpy destroyed(b, &QObject::destroyed);
        m_tabs->closePane(b);
        QCOMPARE(destroyed.count(), 1);
        QCOMPARE(m_tabs->count(), 1);
        QCOMPARE(tabCount.last().at(0).toInt(), 1);
        // Closing the last tab tells the window there is nothing to show.
        QTest::mouseClick(m_tabs->primary()->tabBar()->tabButton(0, QTabBar::RightSide),
                          Qt::LeftButton);
        QCOMPARE(m_tabs->count(), 0);
        QCOMPARE(tabCount.last().at(0).toInt(), 0);
    }

    void detachesIntoAWindowAndComesBackWhenItCloses() {
        LogPane *a = open(kIds[0]);
        LogPane *b = open(kIds[1]);
        QSignalSpy tabCount(m_tabs, &LogTabs::tabCountChanged);
        // The corner button detaches the current tab.
        QTest::mouseClick(corner("logTabsLeftDetach"), Qt::LeftButton);
        QVERIFY(m_tabs->isDetached(b));
        QWidget *window = m_tabs->windowOf(b);
        QVERIFY(window && window->isWindow());
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QCOMPARE(window->windowTitle(), QStringLiteral("beta title — Keepwatch"));
        QCOMPARE(b->window(), window);
        QVERIFY(b->isVisible());
        QCOMPARE(m_tabs->primary()->count(), 1);
        QCOMPARE(m_tabs->count(), 2);
        QCOMPARE(tabCount.last().at(0).toInt(), 1);
        QCOMPARE(m_tabs->pane(keyOf(kIds[1])), b); // still found, to bring forward
        QVERIFY(m_tabs->panes().contains(b));

        // Both are on screen now, so both follow their session.
        QVERIFY(a->model()->isActive());
        QVERIFY(b->model()->isActive());
        m_store->apply(linesFor(kIds[1], 21, 30));
        QCOMPARE(b->model()->rowCount(), 50);

        // Activating a detached pane raises its window instead of a tab.
        m_tabs->activate(b);
        QVERIFY(window->isVisible());

        // Closing the window puts the pane back into the tabs, alive.
        QSignalSpy paneDestroyed(b, &QObject::destroyed);
        QPointer<QWidget> closed = window;
        QVERIFY(window->close());
        QTRY_VERIFY(closed.isNull()); // the window itself goes
        QCOMPARE(paneDestroyed.count(), 0);
        QVERIFY(!m_tabs->isDetached(b));
        QCOMPARE(m_tabs->primary()->indexOf(b), 1);
        QCOMPARE(m_tabs->primary()->currentWidget(), b);
        QCOMPARE(m_tabs->primary()->tabText(1), QStringLiteral("beta title"));
        QCOMPARE(m_tabs->primary()->tabToolTip(1), QStringLiteral("Session beta"));
        QCOMPARE(tabCount.last().at(0).toInt(), 2);
        QCOMPARE(b->model()->rowCount(), 50);
        m_store->apply(linesFor(kIds[1], 51, 1));
        QCOMPARE(b->model()->rowCount(), 51);
    }

    void detachingTheOnlyTabKeepsTheWindowOpen() {
        LogPane *a = open(kIds[0]);
        QSignalSpy tabCount(m_tabs, &LogTabs::tabCountChanged);
        a->view()->setFocus();
        QTest::keyClick(a->view(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(m_tabs->isDetached(a));
        QCOMPARE(tabCount.last().at(0).toInt(), 0);
        // The main window hides an empty log area: the detached one stays.
        m_tabs->hide();
        QVERIFY(m_tabs->windowOf(a)->isVisible());
        QVERIFY(a->isVisible());
        QVERIFY(a->model()->isActive());

        // Ctrl+W in the detached window closes it, back into the tabs.
        QWidget *window = m_tabs->windowOf(a);
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window));
        a->view()->setFocus();
        QTest::keyClick(a->view(), Qt::Key_W, Qt::ControlModifier);
        QTRY_VERIFY(!m_tabs->isDetached(a));
        QCOMPARE(tabCount.last().at(0).toInt(), 1);
        QCOMPARE(m_tabs->primary()->widget(0), a);
    }

    void closingADetachedPaneClosesItsWindow() {
        LogPane *a = open(kIds[0]);
        m_tabs->detach(a);
        QPointer<QWidget> window = m_tabs->windowOf(a);
        QSignalSpy paneDestroyed(a, &QObject::destroyed);
        m_tabs->closePane(a);
        QCOMPARE(paneDestroyed.count(), 1);
        QTRY_VERIFY(window.isNull());
        QCOMPARE(m_tabs->count(), 0);
    }

    // The tabs go (the main window closes) with a pane still detached: the
    // window and its pane go with them, before the store they read.
    void detachedWindowsGoWithTheTabs() {
        LogPane *a = open(kIds[0]);
        m_tabs->detach(a);
        QPointer<QWidget> window = m_tabs->windowOf(a);
        QPointer<LogPane> pane = a;
        m_top.reset();
        m_tabs = nullptr;
        QVERIFY(window.isNull());
        QVERIFY(pane.isNull());
        m_store->apply(linesFor(kIds[0], 21, 5)); // nobody reads it any more
    }

    void splitsSideBySide() {
        LogPane *a = open(kIds[0]);
        LogPane *b = open(kIds[1]);
        LogPane *c = open(kIds[2]);
        // The corner button moves the current tab (c) to the other side.
        QTest::mouseClick(corner("logTabsLeftSplit"), Qt::LeftButton);
        QVERIFY(m_tabs->isSplit());
        QVERIFY(m_tabs->secondary()->isVisible());
        QCOMPARE(m_tabs->sideOf(c), m_tabs->secondary());
        QCOMPARE(titles(m_tabs->primary()),
                 QStringList({QStringLiteral("alpha title"), QStringLiteral("beta title")}));
        QCOMPARE(titles(m_tabs->secondary()), QStringList{QStringLiteral("gamma title")});
        // Side by side: both current panes are on screen and working.
        auto *splitter = m_tabs->findChild<QSplitter *>(QStringLiteral("logSplitter"));
        QCOMPARE(splitter->orientation(), Qt::Horizontal);
        QTRY_VERIFY(c->isVisible() && b->isVisible());
        QVERIFY(c->geometry().width() > 100);
        QVERIFY(c->mapTo(m_top.get(), QPoint()).x() > b->mapTo(m_top.get(), QPoint()).x());
        QVERIFY(b->model()->isActive());
        QVERIFY(c->model()->isActive());
        QVERIFY(!a->model()->isActive());
        m_store->apply(linesFor(kIds[1], 21, 3));
        m_store->apply(linesFor(kIds[2], 21, 4));
        QCOMPARE(b->model()->rowCount(), 23);
        QCOMPARE(c->model()->rowCount(), 24);

        // New panes open on the side that has the focus.
        c->view()->setFocus();
        QCOMPARE(m_tabs->currentPane(), c);
        m_tabs->closePane(a);
        LogPane *again = open(kIds[0]);
        QCOMPARE(m_tabs->sideOf(again), m_tabs->secondary());

        // Ctrl+Shift+M moves the focused side's current pane back.
        again->view()->setFocus();
        QTest::keyClick(again->view(), Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(m_tabs->sideOf(again), m_tabs->primary());
        QVERIFY(m_tabs->isSplit()); // c is still on the right

        // The right side closes when its last tab goes.
        m_tabs->closePane(c);
        QVERIFY(!m_tabs->isSplit());
        QVERIFY(!m_tabs->secondary()->isVisible());
        QCOMPARE(m_tabs->primary()->count(), 2);
    }

    // The left side is never the empty one: when its last tab goes, the
    // right side's tabs move over.
    void leftSideNeverEmpty() {
        LogPane *a = open(kIds[0]);
        LogPane *b = open(kIds[1]);
        m_tabs->moveToOtherSide(b);
        QVERIFY(m_tabs->isSplit());
        m_tabs->closePane(a);
        QVERIFY(!m_tabs->isSplit());
        QCOMPARE(m_tabs->sideOf(b), m_tabs->primary());
        // One pane alone has no other side to go to.
        QVERIFY(!corner("logTabsLeftSplit")->isEnabled());
        m_tabs->moveToOtherSide(b);
        QCOMPARE(m_tabs->sideOf(b), m_tabs->primary());
        QVERIFY(!m_tabs->isSplit());
        // A detached pane attached again comes back to the left.
        LogPane *c = open(kIds[2]);
        m_tabs->moveToOtherSide(c);
        m_tabs->detach(c);
        QVERIFY(!m_tabs->isSplit());
        m_tabs->attach(c);
        QCOMPARE(m_tabs->sideOf(c), m_tabs->primary());
    }

    void iconsFollowThePane() {
        LogPane *a = open(kIds[0]);
        open(kIds[1]);
        QPixmap red(16, 16);
        red.fill(Qt::red);
        m_tabs->setPaneIcon(a, QIcon(red));
        QVERIFY(!m_tabs->primary()->tabIcon(0).isNull());
        m_tabs->detach(a);
        QVERIFY(!m_tabs->windowOf(a)->windowIcon().isNull());
        m_tabs->attach(a);
        QVERIFY(!m_tabs->primary()->tabIcon(m_tabs->primary()->indexOf(a)).isNull());
    }
};

KW_TEST_MAIN(TestLogTabs)
#include "tst_logtabs.moc"
