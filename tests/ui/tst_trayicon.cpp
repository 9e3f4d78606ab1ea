// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "icons.h"
#include "protocol/timestamp.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"
#include "trayicon.h"

#include <QMainWindow>
#include <QSignalSpy>
#include <QTest>

using namespace kw;
using namespace kw::test;

class TestTrayIcon final : public QObject {
    Q_OBJECT

private:
    // Sessions of this run: `states` in order, each started and (if
    // finished) ended now.
    static void applyNow(SessionStore &store, const QList<SessionState> &states) {
        const qint64 now = Timestamp::nowMs();
        QList<Event> events;
        for (int i = 0; i < states.size(); ++i) {
            const QString id = QStringLiteral("s%1-%2").arg(store.count()).arg(i);
            events << startEvent(id, now);
            if (states[i] == SessionState::Stalled)
                events << stateEvent(id, now + 1, SessionState::Stalled);
            else if (!isActive(states[i]))
                events << endEvent(id, now + 1, states[i], 0);
        }
        store.apply(spoolBatch(events));
    }

private slots:
    void worstStateAndCounts_data() {
        QTest::addColumn<QList<SessionState>>("states");
        QTest::addColumn<int>("worst"); // -1: none
        QTest::addColumn<QString>("toolTip");
        using S = SessionState;
        QTest::newRow("nothing") << QList<S>{} << -1 << "Keepwatch\n0 running";
        QTest::newRow("one running")
            << QList<S>{S::Running} << int(S::Running) << "Keepwatch\n1 running";
        QTest::newRow("running and succeeded")
            << QList<S>{S::Succeeded, S::Running, S::Running} << int(S::Running)
            << "Keepwatch\n2 running · 1 finished";
        QTest::newRow("a warning is worse than running")
            << QList<S>{S::Running, S::Warning} << int(S::Warning)
            << "Keepwatch\n1 running · 1 with warnings";
        QTest::newRow("stalled beats warning")
            << QList<S>{S::Warning, S::Stalled, S::Running} << int(S::Stalled)
            << "Keepwatch\n1 running · 1 stalled · 1 with warnings";
        QTest::newRow("failed beats everything")
            << QList<S>{S::Interrupted, S::Failed, S::Stalled, S::Succeeded} << int(S::Failed)
            << "Keepwatch\n0 running · 1 stalled · 2 failed · 1 finished";
        QTest::newRow("interrupted beats stalled")
            << QList<S>{S::Stalled, S::Interrupted} << int(S::Interrupted)
            << "Keepwatch\n0 running · 1 stalled · 1 failed";
    }
    void worstStateAndCounts() {
        QFETCH(QList<SessionState>, states);
        QFETCH(int, worst);
        QFETCH(QString, toolTip);
        SessionStore store;
        QMainWindow window;
        TrayIcon tray(&store, &window);
        applyNow(store, states);
        tray.refresh();
        QCOMPARE(tray.worstState().has_value(), worst >= 0);
        if (worst >= 0)
            QCOMPARE(*tray.worstState(), SessionState(worst));
        QCOMPARE(tray.toolTip(), toolTip);
        // The icon is the worst state's own, or the application's.
        const QIcon expected =
            worst >= 0 ? Icons::state(SessionState(worst)) : Icons::application();
        QCOMPARE(tray.icon().pixmap(16).toImage(), expected.pixmap(16).toImage());
    }

    // The store's changes reach the tray on their own, coalesced.
    void followsTheStore() {
        SessionStore store;
        QMainWindow window;
        TrayIcon tray(&store, &window);
        applyNow(store, {SessionState::Running});
        QTRY_COMPARE(tray.worstState(), std::optional<SessionState>(SessionState::Running));
        applyNow(store, {SessionState::Failed});
        QTRY_COMPARE(tray.worstState(), std::optional<SessionState>(SessionState::Failed));
    }

    // Last week's failure, read at start, does not paint the tray red.
    void pastSessionsDoNotCount() {
        SessionStore store;
        QMainWindow window;
        TrayIcon tray(&store, &window);
        const qint64 weekAgo = Timestamp::nowMs() - 7LL * 24 * 3600 * 1000;
        store.apply(
            spoolBatch({startEvent(QStringLiteral("old"), weekAgo),
                        endEvent(QStringLiteral("old"), weekAgo + 5, SessionState::Failed, 1)}));
        tray.refresh();
        QVERIFY(!tray.worstState());
        QCOMPARE(tray.toolTip(), QStringLiteral("Keepwatch\n0 running"));
    }

    // No tray here (offscreen, like a server or a bare X session): nothing is
    // shown, nothing breaks, and asking for it is harmless.
    void noTrayNoIcon() {
        SessionStore store;
        QMainWindow window;
        TrayIcon tray(&store, &window);
        tray.setWanted(true);
        QCOMPARE(tray.isShown(), QSystemTrayIcon::isSystemTrayAvailable());
        tray.setWanted(false);
        QVERIFY(!tray.isShown());
    }

    // A click on the icon brings the window back: shown, restored, raised.
    void clickShowsTheWindow_data() {
        QTest::addColumn<int>("reason");
        QTest::addColumn<bool>("shows");
        QTest::newRow("click") << int(QSystemTrayIcon::Trigger) << true;
        QTest::newRow("double click") << int(QSystemTrayIcon::DoubleClick) << true;
        QTest::newRow("context menu") << int(QSystemTrayIcon::Context) << false;
    }
    void clickShowsTheWindow() {
        QFETCH(int, reason);
        QFETCH(bool, shows);
        SessionStore store;
        QMainWindow window;
        TrayIcon tray(&store, &window);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showMinimized();
        QTRY_VERIFY(window.isMinimized());
        tray.activate(QSystemTrayIcon::ActivationReason(reason));
        QTRY_COMPARE(!window.isMinimized(), shows);
        window.hide();
        tray.activate(QSystemTrayIcon::ActivationReason(reason));
        QCOMPARE(window.isVisible(), shows);
    }
};

KW_TEST_MAIN(TestTrayIcon)
#include "tst_trayicon.moc"
