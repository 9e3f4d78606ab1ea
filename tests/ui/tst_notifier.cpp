// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "notifier.h"
#include "protocol/timestamp.h"
#include "spool/sessionowner.h"
#include "spool/systemspool.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QSignalSpy>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

// What a notification server received in one Notify call.
struct Received {
    QString appName;
    QString summary;
    QString body;
    QVariantMap hints;
};

} // namespace

// A notification server of our own on the private bus: it records what
// Keepwatch asks it to show, as dunst or the desktop's would show it.
class FakeNotificationServer final : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
    Q_DISABLE_COPY_MOVE(FakeNotificationServer)

public:
    explicit FakeNotificationServer(QStringList capabilities)
        : m_capabilities(std::move(capabilities)) {}
    QList<Received> received;

public slots:
    QStringList GetCapabilities() { return m_capabilities; }
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon,
                const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int expireTimeout) {
        Q_UNUSED(replacesId)
        Q_UNUSED(appIcon)
        Q_UNUSED(actions)
        Q_UNUSED(expireTimeout)
        received.append({appName, summary, body, hints});
        emit notified();
        return uint(received.size());
    }

signals:
    void notified();

private:
    QStringList m_capabilities;
};

class TestNotifier final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<FakeNotificationServer> m_server;
    std::unique_ptr<SessionStore> m_store;
    std::unique_ptr<Notifier> m_notifier;
    QString m_serverConnection;
    int m_marker = 0;

    static bool onPrivateBus() {
        return qEnvironmentVariable("KEEPWATCH_TEST_PRIVATE_BUS") == QLatin1String("1");
    }
    void requirePrivateBus() {
        // Never on the user's own bus: the test claims the notification service name.
        if (!onPrivateBus())
            QSKIP("needs a private D-Bus session bus: dbus-run-session (Debian package "
                  "dbus-daemon) was not found when the tests were configured");
    }

    // Starts the server (with these capabilities) on its own connection to the
    // private bus, so Keepwatch's calls really go through the bus daemon.
    void startServer(const QStringList &capabilities = {QStringLiteral("body")}) {
        m_server = std::make_unique<FakeNotificationServer>(capabilities);
        m_serverConnection = QStringLiteral("fake-notifications-%1").arg(++m_marker);
        QDBusConnection bus =
            QDBusConnection::connectToBus(QDBusConnection::SessionBus, m_serverConnection);
        QVERIFY(bus.isConnected());
        QVERIFY(
            bus.registerObject(Notifier::kPath, m_server.get(), QDBusConnection::ExportAllSlots));
        QVERIFY(bus.registerService(Notifier::kService));
    }
    void startNotifier(AppSettings rules = AppSettings::defaults()) {
        m_store = std::make_unique<SessionStore>();
        m_notifier = std::make_unique<Notifier>(m_store.get());
        m_notifier->setRules(rules);
        // Let the capabilities query come back first.
        QTest::qWait(50);
    }
    void apply(const QList<Event> &events) { m_store->apply(spoolBatch(events)); }

    // A session that starts now and ends in `state` now.
    QList<Event> liveSession(const QString &id, const QString &title, SessionState state) {
        const qint64 now = Timestamp::nowMs();
        QList<Event> events{
            startEvent(id, now, SessionKind::Backup, QStringLiteral("restic"), title)};
        if (state != SessionState::Running)
            events << endEvent(id, now + 1, state, state == SessionState::Failed ? 1 : 0);
        return events;
    }
    // The same, as another user's in the system spool.
    void applyOthers(const QString &id, const QString &title, SessionState state) {
        const QString other = QStringLiteral("kw-not-%1").arg(SessionOwner::me());
        EventBatch batch;
        for (Event e : liveSession(id, title, state)) {
            e.source = SystemSpool::identityFor(other);
            batch.events.append(e);
        }
        m_store->apply(batch);
    }

    // Waits for the server to have `count` notifications.
    bool waitForNotifications(qsizetype count) {
        return waitFor([&] { return m_server->received.size() >= count; }, 5000);
    }
    // Proves that nothing was (or will be) sent for what was applied so far:
    // a fresh failure sent afterwards must be the next thing the server gets
    // (the bus keeps the order of one sender's calls).
    void expectNothingBeforeMarker() {
        const qsizetype before = m_server->received.size();
        const QString id = QStringLiteral("marker-%1").arg(++m_marker);
        apply(liveSession(id, QStringLiteral("Marker"), SessionState::Failed));
        QVERIFY(waitForNotifications(before + 1));
        QTest::qWait(Notifier::kCoalesceMs); // anything else still in flight
        QCOMPARE(m_server->received.size(), before + 1);
        QVERIFY2(m_server->received.last().body.contains(id),
                 qPrintable(m_server->received.last().body));
    }

private slots:
    void cleanup() {
        m_notifier.reset();
        m_store.reset();
        if (!m_serverConnection.isEmpty()) {
            QDBusConnection bus(m_serverConnection);
            bus.unregisterService(Notifier::kService);
            bus.unregisterObject(Notifier::kPath);
            QDBusConnection::disconnectFromBus(m_serverConnection);
            m_serverConnection.clear();
        }
        m_server.reset();
    }

    // Each state the user can ask about, with its rule on and off.
    void transitionNotifies_data() {
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<bool>("notifyOnSuccess");
        QTest::addColumn<bool>("expected");
        QTest::addColumn<QString>("words");
        QTest::newRow("failed") << SessionState::Failed << false << true << "failed";
        QTest::newRow("interrupted")
            << SessionState::Interrupted << false << true << "was interrupted";
        QTest::newRow("warning") << SessionState::Warning << false << true
                                 << "finished with warnings";
        QTest::newRow("succeeded, rule off") << SessionState::Succeeded << false << false << "";
        QTest::newRow("succeeded, rule on")
            << SessionState::Succeeded << true << true << "succeeded";
        QTest::newRow("cancelled: never") << SessionState::Cancelled << true << false << "";
        QTest::newRow("still running") << SessionState::Running << true << false << "";
    }
    void transitionNotifies() {
        requirePrivateBus();
        QFETCH(SessionState, state);
        QFETCH(bool, notifyOnSuccess);
        QFETCH(bool, expected);
        QFETCH(QString, words);
        startServer();
        AppSettings rules = AppSettings::defaults();
        rules.notifyOnSuccess = notifyOnSuccess;
        startNotifier(rules);
        QSignalSpy sent(m_notifier.get(), &Notifier::sent);

        const QString id = QStringLiteral("7f3a9c2e-1b4d-4e8a-9c1f-000000000001");
        apply(liveSession(id, QStringLiteral("Photos to NAS"), state));
        if (!expected) {
            expectNothingBeforeMarker();
            return;
        }
        QVERIFY(waitForNotifications(1));
        const Received &r = m_server->received.first();
        QCOMPARE(r.appName, QStringLiteral("Keepwatch"));
        QCOMPARE(r.summary, QStringLiteral("“Photos to NAS” %1").arg(words));
        QVERIFY2(r.body.contains(id), qPrintable(r.body));
        QVERIFY2(r.body.contains(QLatin1String("restic backup")), qPrintable(r.body));
        QCOMPARE(r.hints.value(QStringLiteral("desktop-entry")).toString(),
                 QStringLiteral("io.github.keepwatch.Keepwatch"));
        const int urgency = r.hints.value(QStringLiteral("urgency")).toInt();
        QCOMPARE(urgency, state == SessionState::Failed || state == SessionState::Interrupted ? 2
                          : state == SessionState::Succeeded                                  ? 0
                                                                                              : 1);
        QCOMPARE(sent.size(), 1);
        QVERIFY(m_notifier->isAvailable());
        // The session staying failed (more events) is not news again.
        const qint64 now = Timestamp::nowMs();
        apply({logEvent(id, now + 5, "one more line")});
        expectNothingBeforeMarker();
    }

    // Root's and service users' backups: a failure is news to the admin,
    // their successes, warnings and stalls are not.
    void otherUsersSessionsOnlyWhenTheyFail() {
        requirePrivateBus();
        startServer();
        AppSettings rules = AppSettings::defaults();
        rules.notifyOnSuccess = true;
        startNotifier(rules);
        applyOthers(QStringLiteral("svc-ok"), QStringLiteral("Database dump"),
                    SessionState::Succeeded);
        applyOthers(QStringLiteral("svc-warn"), QStringLiteral("Mail"), SessionState::Warning);
        expectNothingBeforeMarker();
        applyOthers(QStringLiteral("svc-fail"), QStringLiteral("Nightly of the NAS"),
                    SessionState::Failed);
        const qsizetype before = m_server->received.size();
        QVERIFY(waitForNotifications(before + 1));
        QCOMPARE(m_server->received.last().summary, QStringLiteral("“Nightly of the NAS” failed"));
        // The user's own success still notifies, as the rule says.
        apply(liveSession(QStringLiteral("own-ok"), QStringLiteral("Photos"),
                          SessionState::Succeeded));
        QVERIFY(waitForNotifications(before + 2));
        QCOMPARE(m_server->received.last().summary, QStringLiteral("“Photos” succeeded"));
    }

    void ruleOffMeansSilence() {
        requirePrivateBus();
        startServer();
        AppSettings rules = AppSettings::defaults();
        rules.notifyOnWarning = false;
        rules.notifyOnInterrupted = false;
        startNotifier(rules);
        apply(liveSession(QStringLiteral("w-1"), QStringLiteral("Docs"), SessionState::Warning));
        apply(
            liveSession(QStringLiteral("i-1"), QStringLiteral("Mail"), SessionState::Interrupted));
        expectNothingBeforeMarker();
        // And turned back on, the next one is heard.
        rules.notifyOnWarning = true;
        m_notifier->setRules(rules);
        apply(liveSession(QStringLiteral("w-2"), QStringLiteral("Docs again"),
                          SessionState::Warning));
        QVERIFY(waitForNotifications(2));
        QVERIFY(m_server->received.last().summary.contains(QLatin1String("Docs again")));
    }

    // Sessions that had ended before the window started, read from the
    // spool (or the history) afterwards, are not news.
    void pastSessionsAreSilent() {
        requirePrivateBus();
        startServer();
        startNotifier();
        const qint64 hourAgo = Timestamp::nowMs() - 3600 * 1000;
        QList<Event> events;
        for (int i = 0; i < 4; ++i) {
            const QString id = QStringLiteral("old-%1").arg(i);
            events << startEvent(id, hourAgo + i, SessionKind::Backup, QStringLiteral("borg"),
                                 QStringLiteral("Yesterday %1").arg(i))
                   << endEvent(id, hourAgo + 100 + i, SessionState::Failed, 2);
        }
        // A producer that died long ago, found gone now: the end event is
        // made up now, but the session was dead before we looked.
        events << startEvent(QStringLiteral("old-dead"), hourAgo, SessionKind::Backup,
                             QStringLiteral("rsync"))
               << endEvent(QStringLiteral("old-dead"), Timestamp::nowMs(),
                           SessionState::Interrupted, 0);
        apply(events);
        expectNothingBeforeMarker();
    }

    void failuresTogetherAreCoalesced_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("last"); // the body's last line
        QTest::newRow("5 sessions") << 5 << "• Job 5 (job-5)";
        QTest::newRow("8 sessions") << 8 << "and 3 more";
    }
    void failuresTogetherAreCoalesced() {
        requirePrivateBus();
        QFETCH(int, count);
        QFETCH(QString, last);
        startServer();
        startNotifier();
        // In separate batches but within the coalescing window, as polls deliver them.
        for (int i = 1; i <= count; ++i)
            apply(liveSession(QStringLiteral("job-%1").arg(i), QStringLiteral("Job %1").arg(i),
                              SessionState::Failed));
        // One stall in the same moment stays its own notification.
        apply(liveSession(QStringLiteral("warn-1"), QStringLiteral("Odd one"),
                          SessionState::Warning));
        QVERIFY(waitForNotifications(2));
        QTest::qWait(Notifier::kCoalesceMs);
        QCOMPARE(m_server->received.size(), 2);
        const Received &many = m_server->received.first();
        QCOMPARE(many.summary, QStringLiteral("%1 sessions failed").arg(count));
        const QStringList lines = many.body.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), qMin(count, Notifier::kMaxListed) + (count > 5 ? 1 : 0));
        QCOMPARE(lines.first(), QStringLiteral("• Job 1 (job-1)"));
        QCOMPARE(lines.last(), last);
        QCOMPARE(m_server->received.last().summary, QStringLiteral("“Odd one” finished with "
                                                                   "warnings"));
    }

    // A stall the store detects while we watch notifies; running again and
    // stalling again notifies again; a session already stalled at start does not.
    void stalls() {
        requirePrivateBus();
        startServer();
        startNotifier();
        m_store->setStallTimeoutMs(1000);
        const qint64 now = Timestamp::nowMs();
        const QString live = QStringLiteral("stall-live");
        const QString old = QStringLiteral("stall-old");
        apply({startEvent(live, now, SessionKind::Restore, QStringLiteral("restic"),
                          QStringLiteral("Restore home")),
               progressEvent(live, now, 10),
               startEvent(old, now - 3600 * 1000, SessionKind::Backup, QStringLiteral("borg"),
                          QStringLiteral("Hung since noon")),
               progressEvent(old, now - 3600 * 1000, 50)});
        m_store->checkStalls(now + 1500);
        QCOMPARE(m_store->at(m_store->indexOf({QStringLiteral("spool"), old})).state,
                 SessionState::Stalled);
        QVERIFY(waitForNotifications(1));
        QTest::qWait(Notifier::kCoalesceMs);
        QCOMPARE(m_server->received.size(), 1);
        QCOMPARE(m_server->received.first().summary, QStringLiteral("“Restore home” stalled"));
        QVERIFY(m_server->received.first().body.contains(QLatin1String("restic restore")));

        // It moves again (running), then stops again.
        const qint64 later = Timestamp::nowMs();
        apply({progressEvent(live, later, 20)});
        QCOMPARE(m_store->at(m_store->indexOf({QStringLiteral("spool"), live})).state,
                 SessionState::Running);
        m_store->checkStalls(later + 1500);
        QVERIFY(waitForNotifications(2));
        QCOMPARE(m_server->received.last().summary, QStringLiteral("“Restore home” stalled"));
    }

    // Session titles are untrusted: a server that reads markup gets them escaped.
    void markupIsEscaped_data() {
        QTest::addColumn<QStringList>("capabilities");
        QTest::addColumn<QString>("expectedDetail");
        const QString detail = QStringLiteral("<a href=\"http://x\">disk</a> & more");
        QTest::newRow("server reads markup")
            << QStringList{QStringLiteral("body"), QStringLiteral("body-markup")}
            << detail.toHtmlEscaped();
        QTest::newRow("plain server") << QStringList{QStringLiteral("body")} << detail;
    }
    void markupIsEscaped() {
        requirePrivateBus();
        QFETCH(QStringList, capabilities);
        QFETCH(QString, expectedDetail);
        startServer(capabilities);
        startNotifier();
        const qint64 now = Timestamp::nowMs();
        const QString id = QStringLiteral("markup-1");
        apply({startEvent(id, now),
               Event{id, QStringLiteral("spool"), now + 1,
                     EndPayload{SessionState::Failed, 1, std::nullopt,
                                QStringLiteral("<a href=\"http://x\">disk</a> & more")}}});
        QVERIFY(waitForNotifications(1));
        QVERIFY2(m_server->received.first().body.endsWith(expectedDetail),
                 qPrintable(m_server->received.first().body));
    }

    // No notification service on the bus: the call fails quietly, is
    // recorded, and the notifier goes on working.
    void noServiceIsQuiet() {
        requirePrivateBus();
        startNotifier();
        QSignalSpy failed(m_notifier.get(), &Notifier::failed);
        apply(
            liveSession(QStringLiteral("nobody-1"), QStringLiteral("Alone"), SessionState::Failed));
        QVERIFY(failed.wait(5000));
        QVERIFY2(failed.first().first().toString().contains(QLatin1String("ServiceUnknown")),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(!m_notifier->isAvailable());
        // The service appears later (a desktop session starting): heard again.
        startServer();
        apply(
            liveSession(QStringLiteral("nobody-2"), QStringLiteral("Heard"), SessionState::Failed));
        QVERIFY(waitForNotifications(1));
        QVERIFY(waitFor([&] { return m_notifier->isAvailable(); }));
    }

    // No session bus at all (a bare X session, a container): a no-op.
    void noBusIsANoOp() {
        QDBusConnection none = QDBusConnection::connectToBus(
            QStringLiteral("unix:path=/nonexistent/keepwatch-test-bus"),
            QStringLiteral("keepwatch-no-bus"));
        QVERIFY(!none.isConnected());
        SessionStore store;
        Notifier notifier(&store, none);
        QSignalSpy sent(&notifier, &Notifier::sent);
        QSignalSpy failed(&notifier, &Notifier::failed);
        QVERIFY(!notifier.isAvailable());
        store.apply(spoolBatch(
            liveSession(QStringLiteral("x"), QStringLiteral("X"), SessionState::Failed)));
        notifier.flush();
        QTest::qWait(50);
        QCOMPARE(sent.size(), 0);
        QCOMPARE(failed.size(), 0);
        QDBusConnection::disconnectFromBus(QStringLiteral("keepwatch-no-bus"));
    }
};

KW_TEST_GUILESS_MAIN(TestNotifier)
#include "tst_notifier.moc"
