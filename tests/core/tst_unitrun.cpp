// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/unitrun.h"
#include "testmain.h"
#include "testsupport.h"
#include "tools/toolregistry.h"

#include <QTest>

using namespace kw;

namespace {
const QString kUnit = QStringLiteral("org.freedesktop.systemd1.Unit");
const QString kService = QStringLiteral("org.freedesktop.systemd1.Service");

// The properties a follower receives, in order: (interface, changed).
using Changes = QList<std::pair<QString, QVariantMap>>;

QByteArray invocation(char fill) {
    return QByteArray(16, fill);
}
} // namespace

// What a systemd unit's properties make of a run, on the values a real
// manager (systemd 252) reported in tst_systemdunits' harness: the state
// through the tool's own exit codes, the manager's own reasons, and a stop
// seen while the main process ran as a cancel.
class TestUnitRun final : public QObject {
    Q_OBJECT

    // The changes a follower receives, in order, from a run's start.
    static UnitRun followed(const Changes &changes) {
        UnitRun run;
        run.unit = QStringLiteral("backup.service");
        run.execStart = {{QStringLiteral("/usr/bin/restic"), QStringLiteral("backup")}};
        for (const auto &[interface, properties] : changes)
            run.apply(interface, properties);
        return run;
    }
    static QVariantMap startedRun(char id = 'a') {
        return {{QStringLiteral("InvocationID"), invocation(id)},
                {QStringLiteral("ActiveState"), QStringLiteral("active")},
                {QStringLiteral("SubState"), QStringLiteral("running")}};
    }
    static QVariantMap mainEnded(int code, int status, const QString &result) {
        return {{QStringLiteral("ExecMainCode"), code},
                {QStringLiteral("ExecMainStatus"), status},
                {QStringLiteral("Result"), result}};
    }
    static QVariantMap unitState(const QString &active, const QString &sub) {
        return {{QStringLiteral("ActiveState"), active}, {QStringLiteral("SubState"), sub}};
    }

private slots:
    void outcomes_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<Changes>("changes");
        QTest::addColumn<bool>("running");
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<QString>("summary");
        using C = Changes;
        const C start{{kUnit, startedRun()}};
        QTest::newRow("running") << "restic" << start << true << SessionState::Running << "";
        QTest::newRow("exit 0") << "restic"
                                << start
                                       + C{{kService, mainEnded(1, 0, QStringLiteral("success"))},
                                           {kUnit, unitState(QStringLiteral("inactive"),
                                                             QStringLiteral("dead"))}}
                                << false << SessionState::Succeeded << "exit code 0";
        QTest::newRow("restic exit 1")
            << "restic"
            << start
                   + C{{kService, mainEnded(1, 1, QStringLiteral("exit-code"))},
                       {kUnit, unitState(QStringLiteral("failed"), QStringLiteral("failed"))}}
            << false << SessionState::Failed << "exit code 1";
        QTest::newRow("restic exit 3: systemd says failed, restic saved a snapshot")
            << "restic"
            << start
                   + C{{kService, mainEnded(1, 3, QStringLiteral("exit-code"))},
                       {kUnit, unitState(QStringLiteral("failed"), QStringLiteral("failed"))}}
            << false << SessionState::Warning << "exit code 3";
        QTest::newRow("borg exit 1 is a warning")
            << "borg"
            << start
                   + C{{kService, mainEnded(1, 1, QStringLiteral("exit-code"))},
                       {kUnit, unitState(QStringLiteral("failed"), QStringLiteral("failed"))}}
            << false << SessionState::Warning << "exit code 1";
        QTest::newRow("killed by SIGKILL")
            << "restic"
            << start
                   + C{{kService, mainEnded(2, 9, QStringLiteral("signal"))},
                       {kUnit, unitState(QStringLiteral("failed"), QStringLiteral("failed"))}}
            << false << SessionState::Failed << "killed by SIGKILL";
        QTest::newRow("stopped: SIGTERM while it ran")
            << "restic"
            << start
                   + C{{kUnit,
                        unitState(QStringLiteral("deactivating"), QStringLiteral("stop-sigterm"))},
                       {kService, mainEnded(2, 15, QStringLiteral("success"))},
                       {kUnit, unitState(QStringLiteral("inactive"), QStringLiteral("dead"))}}
            << false << SessionState::Cancelled << "cancelled after a cancel request";
        QTest::newRow("timed out: the manager's doing")
            << "restic"
            << start
                   + C{{kUnit,
                        unitState(QStringLiteral("deactivating"), QStringLiteral("stop-sigterm"))},
                       {kService, mainEnded(2, 15, QStringLiteral("timeout"))},
                       {kUnit, unitState(QStringLiteral("failed"), QStringLiteral("failed"))}}
            << false << SessionState::Failed << "timed out";
        QTest::newRow("out of memory")
            << "borg"
            << start
                   + C{{kService, mainEnded(2, 9, QStringLiteral("oom-kill"))},
                       {kUnit, unitState(QStringLiteral("failed"), QStringLiteral("failed"))}}
            << false << SessionState::Failed << "killed by the out-of-memory killer";
        QTest::newRow("remain-after-exit: active, but the process ended")
            << "restic"
            << start
                   + C{{kService, mainEnded(1, 0, QStringLiteral("success"))},
                       {kUnit, unitState(QStringLiteral("active"), QStringLiteral("exited"))}}
            << false << SessionState::Succeeded << "exit code 0";
    }
    void outcomes() {
        QFETCH(QString, tool);
        QFETCH(Changes, changes);
        QFETCH(bool, running);
        QFETCH(SessionState, state);
        QFETCH(QString, summary);
        const UnitRun run = followed(changes);
        QCOMPARE(run.invocationId, QString::fromLatin1(invocation('a').toHex()));
        QCOMPARE(run.isRunning(), running);
        const std::optional<Outcome> outcome = run.outcome(ToolRegistry::forTool(tool));
        QCOMPARE(outcome.has_value(), !running);
        if (!outcome)
            return;
        QCOMPARE(outcome->state, state);
        QVERIFY2(outcome->summary.startsWith(summary), qPrintable(outcome->summary));
    }

    // The next run of the same unit starts clean: the last one's stop says
    // nothing about it; the unit's command stays. The manager sends a
    // unit's Service changes before its Unit changes (systemd's bus-unit.c
    // promises that order), so what the Service signal said just before the
    // new invocation ID belongs to the new run.
    void aNewInvocationIsANewRun() {
        UnitRun run = followed(
            {{kUnit, startedRun('a')},
             {kUnit, unitState(QStringLiteral("deactivating"), QStringLiteral("stop-sigterm"))},
             {kService, mainEnded(2, 15, QStringLiteral("success"))}});
        QVERIFY(run.stopRequested);
        run.apply(kService, mainEnded(0, 0, QStringLiteral("success"))); // b's process runs
        run.apply(kUnit, startedRun('b'));
        QCOMPARE(run.invocationId, QString::fromLatin1(invocation('b').toHex()));
        QVERIFY(!run.stopRequested);
        QCOMPARE(run.execMainCode, 0);
        QVERIFY(run.isRunning());
        QCOMPARE(run.execStart.size(), 1);
        // An emptied InvocationID (the unit went inactive) keeps the run's.
        run.apply(kUnit, {{QStringLiteral("InvocationID"), QByteArray()}});
        QCOMPARE(run.invocationId, QString::fromLatin1(invocation('b').toHex()));
    }

    // The manager gives a run its invocation ID as it starts it; the signal
    // may still say the last run's "failed": the new run is starting.
    void aNewRunAfterAFailureIsStarting() {
        UnitRun run =
            followed({{kUnit, startedRun('a')},
                      {kService, mainEnded(1, 1, QStringLiteral("exit-code"))},
                      {kUnit, unitState(QStringLiteral("failed"), QStringLiteral("failed"))}});
        run.apply(kService, mainEnded(0, 0, QStringLiteral("success")));
        QVariantMap next = startedRun('b');
        next.insert(QStringLiteral("ActiveState"), QStringLiteral("failed"));
        next.insert(QStringLiteral("SubState"), QStringLiteral("failed"));
        run.apply(kUnit, next);
        QVERIFY(run.isRunning());
        QVERIFY(!run.outcome(ToolRegistry::forTool(QStringLiteral("restic"))));
    }

    // A run that ended before its first signal went out: its end comes in
    // the Service signal before the new invocation ID, and is its own.
    void aShortRunKeepsItsEnd() {
        UnitRun run =
            followed({{kUnit, startedRun('a')},
                      {kService, mainEnded(1, 0, QStringLiteral("success"))},
                      {kUnit, unitState(QStringLiteral("inactive"), QStringLiteral("dead"))}});
        run.apply(kService, mainEnded(1, 1, QStringLiteral("exit-code")));
        QVariantMap failedRun = startedRun('b');
        failedRun.insert(QStringLiteral("ActiveState"), QStringLiteral("failed"));
        failedRun.insert(QStringLiteral("SubState"), QStringLiteral("failed"));
        run.apply(kUnit, failedRun);
        QCOMPARE(run.invocationId, QString::fromLatin1(invocation('b').toHex()));
        const std::optional<Outcome> outcome =
            run.outcome(ToolRegistry::forTool(QStringLiteral("restic")));
        QVERIFY(outcome);
        QCOMPARE(outcome->state, SessionState::Failed);
        QVERIFY2(outcome->summary.startsWith(QLatin1String("exit code 1")),
                 qPrintable(outcome->summary));
    }
};

KW_TEST_GUILESS_MAIN(TestUnitRun)
#include "tst_unitrun.moc"
