// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "store/sessionfolder.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

const QString kId = QStringLiteral("milestones");

// "ms type state text" per milestone, the way the detail area's timeline reads.
QStringList dump(const Session &s) {
    static const char *const types[] = {"started", "state", "first-warning", "first-error",
                                        "ended"};
    QStringList out;
    for (const SessionMilestone &m : s.milestones)
        out << QStringLiteral("%1 %2 %3 %4")
                   .arg(m.ms)
                   .arg(QLatin1String(types[int(m.type)]), QString(wireName(m.state)), m.text)
                   .trimmed();
    return out;
}

Event stateWithReason(qint64 ts, SessionState state, const QString &reason) {
    Event e = stateEvent(kId, ts, state);
    e.as<StatePayload>()->reason = reason;
    return e;
}

} // namespace

// The events timeline of a session, as SessionFolder builds it for the store
// and the history alike: start, state changes, first warning and error, end.
class TestSessionMilestones final : public QObject {
    Q_OBJECT

private slots:
    void foldsTheTimeline() {
        SessionStore store;
        Event end = endEvent(kId, 9000, SessionState::Warning, 3);
        end.as<EndPayload>()->summary = QStringLiteral("exit code 3");
        store.apply(spoolBatch(
            {startEvent(kId, 1000), stateEvent(kId, 1500, SessionState::Running), // no change
             logEvent(kId, 2000, "reading /home", LogLevel::Info),
             logEvent(kId, 3000, "cannot read /home/x", LogLevel::Warning),
             logEvent(kId, 3100, "cannot read /home/y", LogLevel::Warning),
             stateWithReason(4000, SessionState::Stalled, QStringLiteral("slow")),
             progressEvent(kId, 5000, 50), logEvent(kId, 6000, "lock lost", LogLevel::Error),
             logEvent(kId, 6100, "lock lost again", LogLevel::Error), end,
             // Nothing after the end is a milestone.
             stateEvent(kId, 9500, SessionState::Running)}));
        const Session &s = store.at(0);
        QCOMPARE(dump(s), (QStringList{
                              QStringLiteral("1000 started running"),
                              QStringLiteral("3000 first-warning running cannot read /home/x"),
                              QStringLiteral("4000 state stalled slow"),
                              QStringLiteral("5000 state running progress moved"),
                              QStringLiteral("6000 first-error running lock lost"),
                              QStringLiteral("9000 ended warning exit code 3"),
                          }));
        QCOMPARE(s.warnings, 2);
        QCOMPARE(s.errors, 2);
        QCOMPARE(s.droppedMilestones, 0);
    }

    void staysBoundedAndKeepsTheStart() {
        Session s;
        QVERIFY(SessionFolder::fold(s, startEvent(kId, 1000)));
        const int flaps = 500;
        for (int i = 0; i < flaps; ++i) {
            SessionFolder::fold(s, stateWithReason(2000 + i * 10, SessionState::Stalled,
                                                   QStringLiteral("flap %1").arg(i)));
            SessionFolder::fold(s, progressEvent(kId, 2005 + i * 10, i));
        }
        QCOMPARE(s.milestones.size(), Session::kMaxMilestones);
        QCOMPARE(s.milestones.first().type, SessionMilestone::Type::Started);
        QCOMPARE(s.milestones.first().ms, 1000);
        // The newest survive: the last progress that moved the session on.
        QCOMPARE(s.milestones.last().ms, 2005 + (flaps - 1) * 10);
        QCOMPARE(s.milestones.at(s.milestones.size() - 2).text,
                 QStringLiteral("flap %1").arg(flaps - 1));
        QCOMPARE(s.droppedMilestones, 2 * flaps + 1 - Session::kMaxMilestones);
    }

    void longMessagesAreCut() {
        Session s;
        SessionFolder::fold(s, startEvent(kId, 1000));
        SessionFolder::fold(s, logEvent(kId, 1100, QByteArray(10000, 'w'), LogLevel::Warning));
        QCOMPARE(s.milestones.last().type, SessionMilestone::Type::FirstWarning);
        QCOMPARE(s.milestones.last().text.size(), 200);
    }
};

KW_TEST_GUILESS_MAIN(TestSessionMilestones)
#include "tst_sessionmilestones.moc"
