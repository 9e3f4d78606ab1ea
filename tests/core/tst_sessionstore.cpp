// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/sessionfilter.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace kw;
using namespace kw::test;

Q_DECLARE_METATYPE(QList<kw::Event>)

namespace {
const QString kSource = QStringLiteral("spool");

} // namespace

class TestSessionStore final : public QObject {
    Q_OBJECT

private slots:
    // The time span every view, filter and report uses: start event, else first
    // event; end event, else (ended without one) last event, else now.
    void effectiveStartAndEnd_data() {
        QTest::addColumn<std::optional<qint64>>("startedMs");
        QTest::addColumn<std::optional<qint64>>("endedMs");
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<std::optional<qint64>>("knownEnd");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<qint64>("duration");
        const std::optional<qint64> none;
        // first event 1000, last event 5000, now 9000
        QTest::newRow("running, with a start event")
            << std::optional<qint64>(500) << none << SessionState::Running << qint64(500) << none
            << qint64(9000) << qint64(8500);
        QTest::newRow("running, no start event")
            << none << none << SessionState::Stalled << qint64(1000) << none << qint64(9000)
            << qint64(8000);
        QTest::newRow("ended with an end event")
            << std::optional<qint64>(500) << std::optional<qint64>(4000) << SessionState::Succeeded
            << qint64(500) << std::optional<qint64>(4000) << qint64(4000) << qint64(3500);
        QTest::newRow("interrupted: ended without saying when")
            << std::optional<qint64>(500) << none << SessionState::Interrupted << qint64(500)
            << std::optional<qint64>(5000) << qint64(5000) << qint64(4500);
    }
    void effectiveStartAndEnd() {
        QFETCH(std::optional<qint64>, startedMs);
        QFETCH(std::optional<qint64>, endedMs);
        QFETCH(SessionState, state);
        Session s;
        s.startedMs = startedMs;
        s.endedMs = endedMs;
        s.state = state;
        s.firstEventMs = 1000;
        s.lastEventMs = 5000;
        QTEST(s.effectiveStartMs(), "start");
        QTEST(s.knownEndMs(), "knownEnd");
        QTEST(s.effectiveEndMs(9000), "end");
        QTEST(s.durationMs(9000), "duration");
    }

    void foldsAWholeSession() {
        SessionStore store;
        StartPayload start;
        start.kind = SessionKind::Backup;
        start.tool = QStringLiteral("restic");
        start.title = QStringLiteral("home");
        start.host = QStringLiteral("vm");
        start.command = {QStringLiteral("restic"), QStringLiteral("backup")};
        ProgressPayload p1;
        p1.percent = 10;
        p1.bytesDone = 100;
        p1.bytesTotal = 1000;
        ProgressPayload p2; // carries only some fields: the others keep their value
        p2.bytesDone = 500;
        p2.current = QStringLiteral("/data/file");
        store.apply(
            spoolBatch({Event{QStringLiteral("s1"), {}, 1000, start},
                        Event{QStringLiteral("s1"), {}, 2000, p1},
                        logEvent(QStringLiteral("s1"), 2500, "scanning", LogLevel::Info),
                        logEvent(QStringLiteral("s1"), 2600, "file vanished", LogLevel::Warning),
                        Event{QStringLiteral("s1"), {}, 3000, p2},
                        endEvent(QStringLiteral("s1"), 9000, SessionState::Succeeded, 0)}));
        QCOMPARE(store.count(), 1);
        const Session &s = store.at(0);
        QCOMPARE(s.key.id, QStringLiteral("s1"));
        QCOMPARE(s.key.source, kSource);
        QCOMPARE(s.kind, SessionKind::Backup);
        QCOMPARE(s.tool, QStringLiteral("restic"));
        QCOMPARE(s.state, SessionState::Succeeded);
        QCOMPARE(*s.progress.percent, 10.0);
        QCOMPARE(*s.progress.bytesDone, 500);
        QCOMPARE(*s.progress.bytesTotal, 1000);
        QCOMPARE(s.progress.current, QStringLiteral("/data/file"));
        QCOMPARE(*s.exitCode, 0);
        QCOMPARE(s.durationMs(100000), 8000);
        QCOMPARE(s.logLines, 2);
        QCOMPARE(s.warnings, 1);
        QCOMPARE(store.log(0).size(), 2);
        QCOMPARE(store.log(0).line(1).text, QByteArrayView("file vanished"));
    }

    void stateTransitions_data() {
        QTest::addColumn<QList<Event>>("events");
        QTest::addColumn<SessionState>("expected");
        const QString id = QStringLiteral("s");
        auto start = [&](SessionState initial = SessionState::Running) {
            StartPayload p;
            p.state = initial;
            return Event{id, {}, 1, p};
        };
        ProgressPayload moved;
        moved.bytesDone = 5;
        const Event progress{id, {}, 50, moved};

        QTest::newRow("start is running") << QList<Event>{start()} << SessionState::Running;
        QTest::newRow("start queued")
            << QList<Event>{start(SessionState::Queued)} << SessionState::Queued;
        QTest::newRow("queued -> progress -> running")
            << QList<Event>{start(SessionState::Queued), progress} << SessionState::Running;
        QTest::newRow("starting -> running")
            << QList<Event>{start(SessionState::Starting), stateEvent(id, 2, SessionState::Running)}
            << SessionState::Running;
        QTest::newRow("running -> stalled")
            << QList<Event>{start(), stateEvent(id, 2, SessionState::Stalled)}
            << SessionState::Stalled;
        QTest::newRow("stalled -> progress -> running")
            << QList<Event>{start(), stateEvent(id, 2, SessionState::Stalled), progress}
            << SessionState::Running;
        QTest::newRow("running -> cancelling")
            << QList<Event>{start(), stateEvent(id, 2, SessionState::Cancelling)}
            << SessionState::Cancelling;
        QTest::newRow("cancelling -> cancelled")
            << QList<Event>{start(), stateEvent(id, 2, SessionState::Cancelling),
                            endEvent(id, 3, SessionState::Cancelled, 130)}
            << SessionState::Cancelled;
        QTest::newRow("succeeded")
            << QList<Event>{start(), endEvent(id, 3, SessionState::Succeeded, 0)}
            << SessionState::Succeeded;
        QTest::newRow("warning") << QList<Event>{start(), endEvent(id, 3, SessionState::Warning, 3)}
                                 << SessionState::Warning;
        QTest::newRow("failed") << QList<Event>{start(), endEvent(id, 3, SessionState::Failed, 1)}
                                << SessionState::Failed;
        QTest::newRow("exited") << QList<Event>{start(), endEvent(id, 3, SessionState::Exited, 0)}
                                << SessionState::Exited;
        QTest::newRow("final is final: state")
            << QList<Event>{start(), endEvent(id, 3, SessionState::Failed, 1),
                            stateEvent(id, 4, SessionState::Running)}
            << SessionState::Failed;
        QTest::newRow("final is final: progress")
            << QList<Event>{start(), endEvent(id, 3, SessionState::Succeeded, 0), progress}
            << SessionState::Succeeded;
        QTest::newRow("final is final: second end")
            << QList<Event>{start(), endEvent(id, 3, SessionState::Succeeded, 0),
                            endEvent(id, 4, SessionState::Failed, 1)}
            << SessionState::Succeeded;
        QTest::newRow("final is final: start")
            << QList<Event>{start(), endEvent(id, 3, SessionState::Failed, 1), start()}
            << SessionState::Failed;
        QTest::newRow("interrupted")
            << QList<Event>{start(), endEvent(id, 3, SessionState::Interrupted, 0)}
            << SessionState::Interrupted;
        // A real end event read after the inferred `interrupted` wins.
        QTest::newRow("interrupted then real end")
            << QList<Event>{start(), endEvent(id, 3, SessionState::Interrupted, 0),
                            endEvent(id, 2, SessionState::Succeeded, 0)}
            << SessionState::Succeeded;
        QTest::newRow("interrupted ignores progress")
            << QList<Event>{start(), endEvent(id, 3, SessionState::Interrupted, 0), progress}
            << SessionState::Interrupted;
        QTest::newRow("events before start")
            << QList<Event>{logEvent(id, 1, "early"), start(SessionState::Starting)}
            << SessionState::Starting;
    }

    void stateTransitions() {
        QFETCH(QList<Event>, events);
        QFETCH(SessionState, expected);
        SessionStore store;
        // The same in one batch and in one batch per event.
        store.apply(spoolBatch(events));
        QCOMPARE(store.count(), 1);
        QCOMPARE(store.at(0).state, expected);
        SessionStore incremental;
        for (const Event &e : events)
            incremental.apply(spoolBatch({e}));
        QCOMPARE(incremental.at(0).state, expected);
    }

    void oneBatchedChangePerApply() {
        SessionStore store;
        QSignalSpy spy(&store, &SessionStore::changed);
        QList<Event> events;
        for (int i = 0; i < 3; ++i)
            events.append(startEvent(QStringLiteral("s%1").arg(i), 1));
        for (int n = 0; n < 1000; ++n)
            events.append(
                logEvent(QStringLiteral("s%1").arg(n % 3), 2 + n, "line " + QByteArray::number(n)));
        store.apply(spoolBatch(events));
        QCOMPARE(spy.count(), 1);
        auto change = spy.takeFirst().at(0).value<StoreChange>();
        QCOMPARE(change.firstNewRow, 0);
        QCOMPARE(change.newRows, 3);
        QVERIFY(change.changedRows.isEmpty()); // new rows are not also "changed"
        QCOMPARE(change.logRows, (QList<int>{0, 1, 2}));

        store.apply(spoolBatch({progressEvent(QStringLiteral("s2"), 5000, 50),
                                progressEvent(QStringLiteral("s2"), 5001, 60),
                                startEvent(QStringLiteral("s3"), 5002)}));
        QCOMPARE(spy.count(), 1);
        change = spy.takeFirst().at(0).value<StoreChange>();
        QCOMPARE(change.changedRows, QList<int>{2});
        QCOMPARE(change.firstNewRow, 3);
        QCOMPARE(change.newRows, 1);
        QVERIFY(change.logRows.isEmpty());

        store.apply(EventBatch{}); // nothing: no signal
        QCOMPARE(spy.count(), 0);
    }

    // A systemd unit whose ExecStart is `keepwatch-cli run` is one row: the
    // wrapper's session (which records the unit's invocation ID) stands for
    // the unit's run, whichever of the two the store folds first.
    void aUnitsRunAndItsWrapperAreOne_data() {
        QTest::addColumn<bool>("unitFirst");
        QTest::newRow("the unit's run first") << true;
        QTest::newRow("the wrapper's session first") << false;
    }
    void aUnitsRunAndItsWrapperAreOne() {
        QFETCH(bool, unitFirst);
        const QString invocation = QStringLiteral("0123456789abcdef0123456789abcdef");
        Event unitRun = startEvent(invocation, 1);
        unitRun.source = QStringLiteral("systemd");
        Event wrapper = startEvent(QStringLiteral("wrapped-1"), 2);
        wrapper.source = QStringLiteral("spool");
        wrapper.as<StartPayload>()->invocationId = invocation;
        Event other = startEvent(QStringLiteral("fedcba9876543210fedcba9876543210"), 3);
        other.source = QStringLiteral("systemd");

        SessionStore store;
        QSignalSpy spy(&store, &SessionStore::changed);
        EventBatch first, second;
        first.events = {unitFirst ? unitRun : wrapper, other};
        second.events = {unitFirst ? wrapper : unitRun};
        store.apply(first);
        store.apply(second);
        const int unitRow = store.indexOf({QStringLiteral("systemd"), invocation});
        QVERIFY(unitRow >= 0);
        QVERIFY(store.at(unitRow).joined);
        QVERIFY(!store.at(store.indexOf({QStringLiteral("spool"), QStringLiteral("wrapped-1")}))
                     .joined);
        // A unit's run without a wrapper stays a row of its own.
        QVERIFY(!store.at(store.indexOf({QStringLiteral("systemd"), other.session})).joined);
        // Models learn that the unit's row changed (it leaves the views).
        if (unitFirst) {
            QCOMPARE(spy.last().at(0).value<StoreChange>().changedRows, QList<int>{unitRow});
        }
        SessionFilter all;
        QVERIFY(!all.matches(store.at(unitRow), 10));
    }

    void stalls_data() {
        QTest::addColumn<QList<Event>>("events");
        QTest::addColumn<qint64>("checkAt");
        QTest::addColumn<SessionState>("expected");
        const QString id = QStringLiteral("s");
        auto bytes = [&](qint64 ts, qint64 done) {
            ProgressPayload p;
            p.bytesDone = done;
            return Event{id, {}, ts, p};
        };
        auto rateOnly = [&](qint64 ts, double rate) {
            ProgressPayload p;
            p.rate = rate;
            return Event{id, {}, ts, p};
        };
        const Event start = startEvent(id, 1000);
        // Timeout 60 s in every row.
        QTest::newRow("moving") << QList<Event>{start, bytes(2000, 10), bytes(50000, 20)}
                                << qint64(100000) << SessionState::Running;
        QTest::newRow("stopped moving") << QList<Event>{start, bytes(2000, 10), bytes(50000, 20)}
                                        << qint64(111000) << SessionState::Stalled;
        QTest::newRow("identical records are not progress")
            << QList<Event>{start, bytes(2000, 10), bytes(50000, 10), bytes(61000, 10)}
            << qint64(63000) << SessionState::Stalled;
        QTest::newRow("a new rate alone is not progress")
            << QList<Event>{start, bytes(2000, 10), rateOnly(61000, 5)} << qint64(63000)
            << SessionState::Stalled;
        QTest::newRow("no progress ever: never stalled")
            << QList<Event>{start, logEvent(id, 2000, "quiet tool")} << qint64(999000)
            << SessionState::Running;
        QTest::newRow("finished sessions do not stall")
            << QList<Event>{start, bytes(2000, 10), endEvent(id, 3000, SessionState::Succeeded, 0)}
            << qint64(999000) << SessionState::Succeeded;
        QTest::newRow("cancelling does not stall")
            << QList<Event>{start, bytes(2000, 10), stateEvent(id, 3000, SessionState::Cancelling)}
            << qint64(999000) << SessionState::Cancelling;
    }
    void stalls() {
        QFETCH(QList<Event>, events);
        QFETCH(qint64, checkAt);
        QFETCH(SessionState, expected);
        SessionStore store;
        store.setStallTimeoutMs(60000);
        store.apply(spoolBatch(events));
        QSignalSpy spy(&store, &SessionStore::changed);
        store.checkStalls(checkAt);
        QCOMPARE(store.at(0).state, expected);
        QCOMPARE(spy.count(), expected == SessionState::Stalled ? 1 : 0);
        if (expected == SessionState::Stalled) {
            QVERIFY(store.at(0).stateReason.startsWith(QLatin1String("no progress for ")));
            // Moving again: running again, with one change.
            ProgressPayload p;
            p.bytesDone = 999;
            store.apply(spoolBatch({Event{QStringLiteral("s"), {}, checkAt, p}}));
            QCOMPARE(store.at(0).state, SessionState::Running);
            QVERIFY(store.at(0).stateReason.isEmpty());
        }
    }

    void stallDetectionRunsByItself() {
        SessionStore store;
        store.setStallTimeoutMs(1);
        ProgressPayload p;
        p.bytesDone = 1;
        store.apply(spoolBatch(
            {startEvent(QStringLiteral("s"), 1000), Event{QStringLiteral("s"), {}, 1000, p}}));
        QSignalSpy spy(&store, &SessionStore::changed);
        QVERIFY(spy.wait(3000)); // the store's own once-a-second check
        QCOMPARE(store.at(0).state, SessionState::Stalled);
    }

    void sameIdFromTwoSourcesIsTwoSessions() {
        SessionStore store;
        Event a = startEvent(QStringLiteral("42"), 1);
        a.source = QStringLiteral("spool");
        Event b = startEvent(QStringLiteral("42"), 1);
        b.source = QStringLiteral("bacula");
        store.apply(EventBatch{{a, b}, {}, nullptr});
        QCOMPARE(store.count(), 2);
        QCOMPARE(store.rowsWithId(QStringLiteral("42")).size(), 2);
        QCOMPARE(store.indexOf(SessionKey{QStringLiteral("bacula"), QStringLiteral("42")}), 1);
    }

    // The store finds a row by the address of the ID's shared data (the
    // decoder interns IDs); sharing must never merge sources, and an ID in a
    // fresh string must still find its row.
    void sharedIdDataFromTwoSourcesStaysTwoSessions() {
        SessionStore store;
        const QString id = QString::fromLatin1("job-7"); // on the heap, as decoded IDs are
        QList<Event> events;
        for (int i = 0; i < 6; ++i) {
            Event e = logEvent(id, 10 + i, "line " + QByteArray::number(i));
            e.source = i % 2 ? QStringLiteral("bacula") : QStringLiteral("spool");
            QVERIFY(e.session.isSharedWith(id));
            events.append(e);
        }
        Event fresh = logEvent(QString::fromLatin1("job-7"), 99, "fresh string");
        fresh.source = QStringLiteral("bacula");
        QVERIFY(!fresh.session.isSharedWith(id));
        events.append(fresh);
        store.apply(EventBatch{events, {}, nullptr});
        QCOMPARE(store.count(), 2);
        const int spool = store.indexOf(SessionKey{QStringLiteral("spool"), id});
        const int bacula = store.indexOf(SessionKey{QStringLiteral("bacula"), id});
        QVERIFY(spool >= 0 && bacula >= 0 && spool != bacula);
        QCOMPARE(store.log(spool).size(), 3);
        QCOMPARE(store.log(bacula).size(), 4);
        QCOMPARE(store.log(bacula).line(store.log(bacula).endSeq() - 1).text,
                 QByteArrayView("fresh string"));
    }

    void sourceErrorsAreKeptBounded() {
        SessionStore store;
        QSignalSpy spy(&store, &SessionStore::changed);
        EventBatch b;
        for (int i = 0; i < 1500; ++i)
            b.errors.append(SourceError{kSource, QStringLiteral("/spool/x.jsonl"), i + 1,
                                        QStringLiteral("not valid JSON")});
        store.apply(b);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<StoreChange>().errors.size(), 1500);
        QCOMPARE(store.recentErrors().size(), 1000);
        QCOMPARE(store.recentErrors().last().line, 1500);
    }
};

KW_TEST_GUILESS_MAIN(TestSessionStore)
#include "tst_sessionstore.moc"
