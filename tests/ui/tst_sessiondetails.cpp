// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/sessiontablemodel.h"
#include "report/csvreportwriter.h"
#include "report/htmlreportwriter.h"
#include "report/reportdata.h"
#include "sessiondetails.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"
#include "tools/toolregistry.h"

#include <QApplication>
#include <QClipboard>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace kw;
using namespace kw::test;

namespace {

constexpr qint64 kT0 = 1768464000000; // 2026-01-15 08:00:00 UTC
const SessionKey kKey{QStringLiteral("spool"), QStringLiteral("0f3c2a9e-detail-session-id")};

// A start event as a hand-written script might produce it: secrets and all.
Event startWith(const QString &id, const QString &tool, const QStringList &command,
                const QString &target = {}) {
    Event e = startEvent(id, kT0, SessionKind::Backup, tool, QStringLiteral("nightly"));
    auto &start = *e.as<StartPayload>();
    start.command = command;
    start.target = target;
    start.host = QStringLiteral("nas");
    start.user = QStringLiteral("backup");
    return e;
}

Event endWith(const QString &id, qint64 ts, SessionState state, std::optional<int> code,
              std::optional<int> signal = std::nullopt) {
    return Event{id, {}, ts, EndPayload{state, code, signal, QStringLiteral("the tool's words")}};
}

Event progress(const QString &id, qint64 ts, qint64 bytes, qint64 total, qint64 files) {
    ProgressPayload p;
    p.bytesDone = bytes;
    p.bytesTotal = total;
    p.filesDone = files;
    p.rate = 2 * 1024 * 1024;
    return Event{id, {}, ts, p};
}

} // namespace

// The detail area: what a person reads about the selected session, and that
// it keeps up with the session without costing anything when others change.
class TestSessionDetails final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<SessionStore> m_store;
    std::unique_ptr<SessionDetails> m_details;
    qint64 m_now = kT0 + 90 * 1000;

    QString field(const char *name) const {
        return m_details->fieldText(QString::fromLatin1(name));
    }

private slots:
    void init() {
        m_now = kT0 + 90 * 1000;
        m_store = std::make_unique<SessionStore>();
        m_details = std::make_unique<SessionDetails>(m_store.get());
        m_details->setClock([this] { return m_now; });
        m_details->resize(500, 700);
        m_details->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_details.get()));
    }
    void cleanup() {
        m_details.reset();
        m_store.reset();
    }

    void hintWithoutASession() {
        QVERIFY(!m_details->session());
        QCOMPARE(field("detailPlaceholder"),
                 QStringLiteral("Select a session to see its details."));
        m_details->setSession(kKey);
        QVERIFY(field("detailPlaceholder").contains(kKey.id));
        // It appears as soon as the store learns of it.
        m_store->apply(spoolBatch({startWith(kKey.id, QStringLiteral("restic"), {})}));
        QCOMPARE(field("detailId"), kKey.id);
    }

    void showsTheCommandWithoutSecrets() {
        m_store->apply(spoolBatch(
            {startWith(kKey.id, QStringLiteral("restic"),
                       {QStringLiteral("env"), QStringLiteral("RESTIC_PASSWORD=hunter2"),
                        QStringLiteral("restic"), QStringLiteral("-r"),
                        QStringLiteral("rest:https://admin:s3cr3t@backup.example/repo"),
                        QStringLiteral("--password"), QStringLiteral("hunter2"),
                        QStringLiteral("backup"), QStringLiteral("/home/my files")},
                       QStringLiteral("rest:https://admin:s3cr3t@backup.example/repo"))}));
        m_details->setSession(kKey);
        const QString command = field("detailCommand");
        QVERIFY2(!command.contains(QLatin1String("hunter2")), qPrintable(command));
        QVERIFY2(!command.contains(QLatin1String("s3cr3t")), qPrintable(command));
        // Quoted where a shell would need it, so it can be pasted back.
        QCOMPARE(command, QStringLiteral("env 'RESTIC_PASSWORD=***' restic -r "
                                         "'rest:https://admin:***@backup.example/repo' "
                                         "--password '***' backup '/home/my files'"));
        QCOMPARE(field("detailTarget"),
                 QStringLiteral("rest:https://admin:***@backup.example/repo"));
        QCOMPARE(field("detailHost"), QStringLiteral("backup@nas"));
        QCOMPARE(field("detailTitle"), QStringLiteral("nightly"));
    }

    void showsTheExitCodeAndItsMeaning_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("code");   // -1: none
        QTest::addColumn<int>("signal"); // 0: none
        QTest::addColumn<QString>("expected");
        QTest::newRow("restic wrong password")
            << QStringLiteral("restic") << int(SessionState::Failed) << 12 << 0
            << QStringLiteral("12 — wrong password");
        QTest::newRow("restic unreadable files")
            << QStringLiteral("restic") << int(SessionState::Warning) << 3 << 0
            << QStringLiteral("3 — some source files could not be read: the snapshot is "
                              "incomplete");
        QTest::newRow("borg warning")
            << QStringLiteral("borg") << int(SessionState::Warning) << 1 << 0
            << QStringLiteral("1 — warning: finished, but something "
                              "was skipped (see the log)");
        QTest::newRow("rsync vanished files")
            << QStringLiteral("rsync") << int(SessionState::Warning) << 24 << 0
            << QStringLiteral("24 — partial transfer due to vanished source files");
        QTest::newRow("success") << QStringLiteral("rsync") << int(SessionState::Succeeded) << 0
                                 << 0 << QStringLiteral("0 — success");
        QTest::newRow("killed") << QStringLiteral("borg") << int(SessionState::Failed) << 137 << 9
                                << QStringLiteral("killed by SIGKILL");
        QTest::newRow("interrupted, no code")
            << QStringLiteral("restic") << int(SessionState::Interrupted) << -1 << 0
            << QStringLiteral("—");
    }
    void showsTheExitCodeAndItsMeaning() {
        QFETCH(QString, tool);
        QFETCH(int, state);
        QFETCH(int, code);
        QFETCH(int, signal);
        QFETCH(QString, expected);
        m_details->setSession(kKey);
        m_store->apply(spoolBatch({startWith(kKey.id, tool, {tool})}));
        QCOMPARE(field("detailExit"), QStringLiteral("—")); // running: nothing yet
        QCOMPARE(field("detailEnded"), QStringLiteral("running"));
        m_store->apply(
            spoolBatch({endWith(kKey.id, kT0 + 60000, SessionState(state),
                                code < 0 ? std::nullopt : std::optional<int>(code),
                                signal == 0 ? std::nullopt : std::optional<int>(signal))}));
        QCOMPARE(field("detailExit"), expected);
        QCOMPARE(field("detailSummary"), QStringLiteral("the tool's words"));
        QCOMPARE(field("detailDuration"), QStringLiteral("1m 00s"));
    }

    // One exit-code table: for the same end, the details pane, the state's
    // tooltip and the reports (HTML, CSV) read the same words. The end
    // event's summary is made as the wrapper makes it (ToolProfile::outcome).
    void sameWordsEverywhere_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<int>("code");   // -1: none
        QTest::addColumn<int>("signal"); // 0: none
        QTest::addColumn<bool>("cancelRequested");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("words");
        QTest::newRow("restic 1") << QStringLiteral("restic") << 1 << 0 << false
                                  << QStringLiteral("failed")
                                  << QStringLiteral("fatal error (wrong password, locked or "
                                                    "missing repository, bad snapshot ID: see "
                                                    "the log)");
        QTest::newRow("borg 2") << QStringLiteral("borg") << 2 << 0 << false
                                << QStringLiteral("failed")
                                << QStringLiteral("error: the operation did not complete");
        QTest::newRow("borg 2 after a cancel")
            << QStringLiteral("borg") << 2 << 0 << true << QStringLiteral("cancelled")
            << QStringLiteral("error: the operation did not "
                              "complete");
        QTest::newRow("borg 143, SIGTERM from elsewhere")
            << QStringLiteral("borg") << 143 << 0 << false << QStringLiteral("cancelled")
            << QStringLiteral("killed by SIGTERM");
        QTest::newRow("rsync 20, SIGTERM from elsewhere")
            << QStringLiteral("rsync") << 20 << 0 << false << QStringLiteral("cancelled")
            << QStringLiteral("received SIGUSR1 or SIGINT");
        QTest::newRow("restic 130, SIGINT from elsewhere")
            << QStringLiteral("restic") << 130 << 0 << false << QStringLiteral("cancelled")
            << QStringLiteral("interrupted (SIGINT)");
        QTest::newRow("rsync SIGKILL")
            << QStringLiteral("rsync") << -1 << 9 << false << QStringLiteral("failed")
            << QStringLiteral("killed by SIGKILL");
        QTest::newRow("restic 3") << QStringLiteral("restic") << 3 << 0 << false
                                  << QStringLiteral("warning")
                                  << QStringLiteral("some source files could not be read: the "
                                                    "snapshot is incomplete");
    }
    void sameWordsEverywhere() {
        QFETCH(QString, tool);
        QFETCH(int, code);
        QFETCH(int, signal);
        QFETCH(bool, cancelRequested);
        QFETCH(QString, state);
        QFETCH(QString, words);
        ExitStatus status;
        if (code >= 0)
            status.exitCode = code;
        if (signal > 0)
            status.signal = signal;
        status.cancelRequested = cancelRequested;
        const Outcome outcome = ToolRegistry::forTool(tool).outcome(status);
        QCOMPARE(QString(wireName(outcome.state)), state);
        if (outcome.state == SessionState::Cancelled) // says so first
            QVERIFY2(outcome.summary.startsWith(QLatin1String("cancelled ")),
                     qPrintable(outcome.summary));
        m_store->apply(spoolBatch(
            {startWith(kKey.id, tool, {tool}),
             Event{kKey.id,
                   {},
                   kT0 + 60000,
                   EndPayload{outcome.state, status.exitCode, status.signal, outcome.summary}}}));
        m_details->setSession(kKey);

        // The details pane: the code and its meaning, the state, the summary.
        const QString exitText = field("detailExit");
        QCOMPARE(exitText,
                 code >= 0 && signal == 0 ? QStringLiteral("%1 — %2").arg(code).arg(words) : words);
        QVERIFY2(field("detailState").startsWith(state), qPrintable(field("detailState")));
        QCOMPARE(field("detailSummary"), outcome.summary);

        // The state's tooltip in the session table.
        SessionTableModel model(m_store.get());
        const int row = m_store->indexOf(kKey);
        QVERIFY(row >= 0);
        const QString tip =
            model.index(row, SessionTableModel::State).data(Qt::ToolTipRole).toString();
        QCOMPARE(tip, outcome.summary);
        QVERIFY2(tip.contains(words), qPrintable(tip));

        // The reports.
        ReportSelection selection;
        selection.nowMs = kT0 + 120000;
        const ReportData data = ReportData::build(*m_store, selection);
        QCOMPARE(int(data.sessions.size()), 1);
        const QString html = QString::fromUtf8(HtmlReportWriter::write(data));
        QVERIFY2(html.contains(HtmlReportWriter::escape(words)), qPrintable(words));
        const QString csv = QString::fromUtf8(CsvReportWriter::write(data));
        QVERIFY2(csv.contains(words), qPrintable(csv));
        QVERIFY(csv.contains(QLatin1Char(',') + state + QLatin1Char(',')));
    }

    void copiesTheFullId() {
        m_store->apply(spoolBatch({startWith(kKey.id, QStringLiteral("rsync"), {})}));
        m_details->setSession(kKey);
        QApplication::clipboard()->clear();
        auto *copy = m_details->findChild<QToolButton *>(QStringLiteral("detailCopyId"));
        QVERIFY(copy);
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), kKey.id);
    }

    void followsTheSessionLive() {
        m_store->apply(
            spoolBatch({startWith(kKey.id, QStringLiteral("restic"), {}),
                        startWith(QStringLiteral("other"), QStringLiteral("borg"), {})}));
        m_details->setSession(kKey);
        QCOMPARE(field("detailBytes"), QStringLiteral("—"));
        QCOMPARE(field("detailDuration"), QStringLiteral("1m 30s"));

        m_store->apply(spoolBatch(
            {progress(kKey.id, kT0 + 30000, 512 * 1024 * 1024, 2048LL * 1024 * 1024, 1200),
             logEvent(kKey.id, kT0 + 31000, "skipped /x", LogLevel::Warning),
             logEvent(kKey.id, kT0 + 32000, "ok", LogLevel::Info)}));
        QCOMPARE(field("detailBytes"), QStringLiteral("512.0 MiB of 2.0 GiB"));
        QCOMPARE(field("detailFiles"), QStringLiteral("1200"));
        QCOMPARE(field("detailRate"), QStringLiteral("2.0 MiB/s"));
        QCOMPARE(field("detailLog"), QStringLiteral("2 lines · 1 warnings · 0 errors"));

        // Another session's events do not redraw this one.
        const int refreshes = m_details->refreshCount();
        m_store->apply(spoolBatch({progress(QStringLiteral("other"), kT0 + 40000, 1, 2, 3),
                                   logEvent(QStringLiteral("other"), kT0 + 41000, "x")}));
        QCOMPARE(m_details->refreshCount(), refreshes);

        // The duration of a running session ticks on its own.
        m_now += 60 * 1000;
        QTRY_COMPARE_WITH_TIMEOUT(field("detailDuration"), QStringLiteral("2m 30s"), 3000);

        // Finished: the average rate replaces the tool's momentary one.
        m_store->apply(
            spoolBatch({endWith(kKey.id, kT0 + 512 * 1000, SessionState::Succeeded, 0)}));
        QCOMPARE(field("detailRate"), QStringLiteral("1.0 MiB/s on average"));
        QCOMPARE(field("detailDuration"), QStringLiteral("8m 32s"));
    }

    void showsTheEventsTimeline() {
        Event stalled = stateEvent(kKey.id, kT0 + 20000, SessionState::Stalled);
        stalled.as<StatePayload>()->reason = QStringLiteral("no progress for 300 s");
        m_store->apply(spoolBatch(
            {startWith(kKey.id, QStringLiteral("restic"), {}),
             logEvent(kKey.id, kT0 + 10000, "cannot read /a", LogLevel::Warning), stalled,
             logEvent(kKey.id, kT0 + 30000, "repository locked", LogLevel::Error),
             endWith(kKey.id, kT0 + 40000, SessionState::Failed, 11)}));
        m_details->setSession(kKey);
        QTreeWidget *events = m_details->eventsView();
        QStringList shown;
        for (int i = 0; i < events->topLevelItemCount(); ++i)
            shown << events->topLevelItem(i)->text(1);
        QCOMPARE(shown, (QStringList{
                            QStringLiteral("Started (running)"),
                            QStringLiteral("First warning — cannot read /a"),
                            QStringLiteral("State: stalled — no progress for 300 s"),
                            QStringLiteral("First error — repository locked"),
                            QStringLiteral("Ended: failed — the tool's words"),
                        }));
        // Times to the millisecond, in local time.
        QCOMPARE(
            events->topLevelItem(4)->text(0),
            QDateTime::fromMSecsSinceEpoch(kT0 + 40000).toString(QStringLiteral("HH:mm:ss.zzz")));
        QCOMPARE(field("detailExit"), QStringLiteral("11 — the repository could not be locked"));
    }

    void saysWhatTheBoundDropped() {
        QList<Event> events{startWith(kKey.id, QStringLiteral("restic"), {})};
        for (int i = 0; i < 100; ++i) {
            Event e = stateEvent(kKey.id, kT0 + 1000 + i,
                                 i % 2 ? SessionState::Running : SessionState::Stalled);
            events << e;
        }
        m_store->apply(spoolBatch(events));
        m_details->setSession(kKey);
        QTreeWidget *view = m_details->eventsView();
        QCOMPARE(view->topLevelItemCount(), Session::kMaxMilestones + 1);
        QCOMPARE(view->topLevelItem(1)->text(1), QStringLiteral("… 37 earlier events not kept"));
    }
};

KW_TEST_MAIN(TestSessionDetails)
#include "tst_sessiondetails.moc"
