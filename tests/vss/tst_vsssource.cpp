// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "collector/collector.h"
#include "protocol/sessionid.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"
#include "vss/vssshadowsource.h"
#include "vss/vsssource.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {
// The log lines of `level` among a batch's events.
QStringList logs(const EventBatch &batch, LogLevel level) {
    QStringList out;
    for (const Event &e : batch.events) {
        if (const auto *log = e.as<LogPayload>(); log && log->level == level)
            out << QString::fromUtf8(log->message);
    }
    return out;
}

// What keepwatch-vss writers prints on a Windows machine where VSS answers:
// the wine recording's start line, then the lines the helper's writers()
// and WriterReporter print once InitializeForBackup succeeded (wine has no
// VSS, so this part cannot be recorded here). `writerState` is one writer's
// state name and words, as vssnames.cpp gives them.
QByteArray writersOnWindows(const QByteArray &writerState, const QByteArray &summary,
                            const QByteArray &endState) {
    const QByteArray start =
        readResource(QStringLiteral(":/fixtures/vss/helper-wine-writers.jsonl")).split('\n')[0];
    const QByteArray head =
        R"j({"v":1,"ts":"2026-11-25T10:58:30.471Z","session":"{6e8fb7f4-a178-4109-940a-96eacaf35cdc}",)j";
    return start + '\n' + head
           + R"j("type":"progress","percent":10,"current":"InitializeForBackup"})j" + '\n' + head
           + R"j("type":"log","level":"info","msg":"VSS session ID {6e8fb7f4-a178-4109-940a-96eacaf35cdc} (IVssBackupComponentsEx3::GetSessionId)"})j"
           + '\n' + head + R"j("type":"state","state":"running"})j" + '\n' + head
           + R"j("type":"log","level":"info","msg":"writer 'System Writer' {e8132975-6f93-4464-a53e-1050253ae220} instance {eb6b4c30-aa48-486a-9618-0d1934d180ca}: )j"
           + writerState + R"j(, S_OK (0x00000000): success"})j" + '\n' + head
           + R"j("type":"progress","percent":60,"current":")j" + summary + R"j("})j" + '\n' + head
           + R"j("type":"end","state":")j" + endState + R"j(","exit_code":0,"summary":")j" + summary
           + R"j("})j" + '\n';
}
} // namespace

// VssSource's portable part: it runs its helper, decodes the events the
// helper prints, drops a poll that says nothing new, reports a helper that
// prints garbage, hangs or is missing. The helper here is a stand-in shell
// script replaying what the real keepwatch-vss.exe printed under wine
// (tests/fixtures/vss/helper-wine-writers.jsonl); the real one runs in the
// MinGW build's wine tests.
//
// VssShadowSource likewise, with a stand-in vssadmin printing the recorded
// `vssadmin list shadows` outputs (tests/fixtures/vss/README.md).
class TestVssSource final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // A helper script printing `output` (and then doing `then`).
    QString helper(const QString &name, const QByteArray &output,
                   const QByteArray &then = QByteArray()) {
        const QString data = m_dir.filePath(name + QStringLiteral(".out"));
        QFile out(data);
        if (!out.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(data));
        out.write(output);
        out.close();
        const QString path = m_dir.filePath(name);
        QFile script(path);
        if (!script.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        script.write("#!/bin/sh\ncat '" + data.toLocal8Bit() + "'\n" + then + "\n");
        script.close();
        script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                              | QFileDevice::ExeOwner);
        return path;
    }

    // Polls the source (on this thread) until the helper's run is collected.
    template<typename Source>
    static EventBatch pollUntilCollected(Source &source, int timeoutMs = 10000) {
        EventBatch all;
        QElapsedTimer timer;
        timer.start();
        source.poll(all); // starts the helper
        while (timer.elapsed() < timeoutMs) {
            QTest::qWait(20);
            EventBatch batch;
            source.poll(batch);
            all.events.append(batch.events);
            all.errors.append(batch.errors);
            if (!batch.isEmpty())
                break;
        }
        return all;
    }

    // Everything the source delivers while polled for `ms` (the helper runs
    // again and again: intervalMs is 0).
    template<typename Source>
    static EventBatch pollFor(Source &source, int ms) {
        EventBatch all;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms) {
            source.poll(all);
            QTest::qWait(20);
        }
        return all;
    }

    // The batch is one notice of source "vss" about `program` and nothing
    // else; its message.
    static QString onlyNotice(const EventBatch &batch, const QString &program) {
        if (!batch.events.isEmpty() || batch.errors.size() != 1) {
            QTest::qFail(qPrintable(QStringLiteral("%1 events and %2 errors, not one notice")
                                        .arg(batch.events.size())
                                        .arg(batch.errors.size())),
                         __FILE__, __LINE__);
            return {};
        }
        const SourceError &notice = batch.errors.first();
        if (!QTest::qVerify(notice.notice, "notice.notice", "", __FILE__, __LINE__)
            || !QTest::qCompare(notice.source, QStringLiteral("vss"), "source", "\"vss\"", __FILE__,
                                __LINE__)
            || !QTest::qCompare(notice.location, program, "location", "program", __FILE__,
                                __LINE__))
            return {};
        return notice.message;
    }
private slots:
    // Where VSS cannot be reached (wine: CreateVssBackupComponents is
    // E_NOTIMPL; Windows without administrator rights: E_ACCESSDENIED) the
    // poll is no VSS session: said once as a notice, not a failed session
    // at every start of the window.
    void aPollThatNeverReachedVssIsANoticeSaidOnce() {
        VssSource::Options options;
        options.program =
            helper(QStringLiteral("unreachable"),
                   readResource(QStringLiteral(":/fixtures/vss/helper-wine-writers.jsonl")));
        options.intervalMs = 0;
        VssSource source(options);
        const EventBatch first = pollUntilCollected(source);
        QCOMPARE(onlyNotice(first, options.program),
                 QStringLiteral("VSS writers are not shown: CreateVssBackupComponents failed: "
                                "E_NOTIMPL (0x80004001): not implemented"));

        QVERIFY(pollFor(source, 1000).isEmpty());

        // Another reason is said again.
        QSaveFile data(options.program + QStringLiteral(".out"));
        QVERIFY(data.open(QIODevice::WriteOnly));
        data.write(readResource(QStringLiteral(":/fixtures/vss/helper-wine-writers.jsonl"))
                       .replace("E_NOTIMPL (0x80004001): not implemented",
                                "E_ACCESSDENIED (0x80070005): access denied"));
        QVERIFY(data.commit());
        EventBatch changed;
        QVERIFY(waitFor([&] {
            source.poll(changed);
            return !changed.isEmpty();
        }));
        const QString said = onlyNotice(changed, options.program);
        QVERIFY2(said.endsWith(QLatin1String("access denied")), qPrintable(said));
    }

    void deliversTheHelpersSessionAndDropsRepeats() {
        VssSource::Options options;
        options.program =
            helper(QStringLiteral("writers"),
                   writersOnWindows("VSS_WS_STABLE (stable)", "1 writer: 1 stable", "succeeded"));
        options.intervalMs = 0;
        VssSource source(options);
        const EventBatch first = pollUntilCollected(source);
        QVERIFY(first.errors.isEmpty());
        QCOMPARE(first.events.size(), 7);
        SessionStore store;
        store.apply(first);
        QCOMPARE(store.count(), 1);
        const Session &s = store.at(0);
        QCOMPARE(s.key.source, QStringLiteral("vss"));
        QCOMPARE(s.id(), QStringLiteral("{6e8fb7f4-a178-4109-940a-96eacaf35cdc}"));
        QCOMPARE(s.state, SessionState::Succeeded);
        QCOMPARE(s.summary, QStringLiteral("1 writer: 1 stable"));

        // The same writers again and again (a new run, a new VSS session ID
        // at every poll): nothing new, so nothing delivered, no new session.
        QVERIFY(pollFor(source, 1500).isEmpty());

        // A writer fails: delivered at the next run, a warning session.
        QSaveFile data(options.program
                       + QStringLiteral(".out")); // a run reads all or nothing of it
        QVERIFY(data.open(QIODevice::WriteOnly));
        data.write(writersOnWindows("VSS_WS_FAILED_AT_FREEZE (failed at freeze)",
                                    "1 writer: 1 failed (System Writer: VSS_WS_FAILED_AT_FREEZE)",
                                    "warning"));
        QVERIFY(data.commit());
        EventBatch changed;
        QVERIFY(waitFor([&] {
            source.poll(changed);
            return !changed.events.isEmpty();
        }));
        QCOMPARE(changed.events.size(), 7);
        QVERIFY(changed.errors.isEmpty());
    }

    // A VSS session that fails after VSS gave it its ID is a session.
    void aFailureInsideAVssSessionIsASession() {
        QByteArray output =
            writersOnWindows("VSS_WS_STABLE (stable)", "1 writer: 1 stable", "succeeded");
        output.truncate(output.indexOf("writer 'System Writer'"));
        output.truncate(output.lastIndexOf('\n') + 1);
        output +=
            R"j({"v":1,"ts":"2026-11-25T10:58:31.000Z","session":"{6e8fb7f4-a178-4109-940a-96eacaf35cdc}","type":"end","state":"failed","exit_code":1,"summary":"GatherWriterMetadata failed: VSS_E_UNEXPECTED (0x80042302)"})j"
            "\n";
        VssSource::Options options;
        options.program = helper(QStringLiteral("failsinside"), output);
        VssSource source(options);
        const EventBatch batch = pollUntilCollected(source);
        QVERIFY(batch.errors.isEmpty());
        SessionStore store;
        store.apply(batch);
        QCOMPARE(store.count(), 1);
        QCOMPARE(store.at(0).state, SessionState::Failed);
        QCOMPARE(store.at(0).id(), QStringLiteral("{6e8fb7f4-a178-4109-940a-96eacaf35cdc}"));
    }

    void aFinishedHelperWakesTheCollector() {
        // The slow poll is 30 s away: only the helper's end, pushed through
        // requestPoll(), can bring its session this soon.
        const QString program =
            helper(QStringLiteral("pushed"),
                   writersOnWindows("VSS_WS_STABLE (stable)", "1 writer: 1 stable", "succeeded"));
        Collector collector(Collector::Options{30000, 50});
        SessionStore store;
        connect(&collector, &Collector::batchReady, &store, &SessionStore::apply);
        QElapsedTimer timer;
        timer.start();
        collector.start([program] {
            VssSource::Options options;
            options.program = program;
            SessionSources sources;
            sources.push_back(std::make_unique<VssSource>(options));
            return sources;
        });
        QVERIFY(waitFor([&] { return store.count() == 1; }, 10000));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(store.at(0).state, SessionState::Succeeded);
        collector.stop();
    }

    void problemsAreReportedWithWhere_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("message");
        QTest::newRow("garbage") << QStringLiteral("garbage") << QStringLiteral("no events");
        QTest::newRow("missing") << QStringLiteral("missing") << QStringLiteral("cannot start");
        QTest::newRow("hangs") << QStringLiteral("hangs")
                               << QStringLiteral("killed after 1 s without finishing");
        // What a helper that crashed printed is not read: its session would
        // have no end.
        QTest::newRow("crashes") << QStringLiteral("crashes") << QStringLiteral("crashed: ");
    }
    void problemsAreReportedWithWhere() {
        QFETCH(QString, what);
        QFETCH(QString, message);
        VssSource::Options options;
        options.timeoutMs = 1000;
        if (what == QLatin1String("garbage"))
            options.program = helper(what, "not json\n\x01\x02binary\n");
        else if (what == QLatin1String("missing"))
            options.program = m_dir.filePath(QStringLiteral("no-such-helper"));
        else if (what == QLatin1String("crashes"))
            options.program = helper(what, "{\"v\":1,\"type\":\"start\"", "kill -SEGV $$");
        else
            options.program = helper(what, QByteArray(), "exec sleep 30");
        VssSource source(options);
        const EventBatch batch = pollUntilCollected(source, 10000);
        QVERIFY(batch.events.isEmpty());
        QVERIFY(!batch.errors.isEmpty());
        bool found = false;
        for (const SourceError &e : batch.errors) {
            QCOMPARE(e.source, QStringLiteral("vss"));
            QCOMPARE(e.location, options.program);
            found = found || e.message.contains(message);
        }
        QVERIFY2(found, qPrintable(batch.errors.last().message));
        if (what == QLatin1String("garbage")) // each bad line named by its number
            QCOMPARE(batch.errors.first().line, 1);
    }

    // --- VssShadowSource: `vssadmin list shadows`.

    void shadowCopiesAreOneSession_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("summary");
        QTest::addColumn<QString>("firstLine");
        QTest::addColumn<int>("copies");
        QTest::newRow("english, two sets")
            << QStringLiteral("shadows-en.txt") << QStringLiteral("2 shadow copies on C:")
            << QStringLiteral(
                   "shadow copy {eef18c41-c6bc-40bb-9863-5491249d2458} of C: "
                   "\\\\?\\Volume{67a44989-8413-4a7c-a616-79385dae8605}\\, created 9/10/2021 "
                   "5:49:26 PM, set {43dd2d4b-3a58-487a-842d-564143d0501f}, device "
                   "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy3, type "
                   "ClientAccessibleWriters")
            << 2;
        QTest::newRow("english, day-first date, LF")
            << QStringLiteral("shadows-en-day-first-date.txt")
            << QStringLiteral("1 shadow copy on C:")
            << QStringLiteral(
                   "shadow copy {7c036cc7-93e5-4fcd-af60-7b6962dd711f} of C: "
                   "\\\\?\\Volume{93e4830a-3122-41fd-acfa-b6c2e7f186ec}\\, created 25-08-2022 "
                   "12:16:16, set {cdf70d69-615e-4c56-9359-c9ca584f0d3e}, device "
                   "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1, type ClientAccessible")
            << 1;
    }
    void shadowCopiesAreOneSession() {
        QFETCH(QString, fixture);
        QFETCH(QString, summary);
        QFETCH(QString, firstLine);
        QFETCH(int, copies);
        const QByteArray listing = readResource(QStringLiteral(":/fixtures/vss/") + fixture);
        VssShadowSource::Options options;
        options.program = helper(QString(QStringLiteral("vssadmin-") + fixture), listing);
        options.intervalMs = 0;
        options.host = QStringLiteral("WIN-SERVER01");
        VssShadowSource source(options);
        const EventBatch first = pollUntilCollected(source);
        QVERIFY(first.errors.isEmpty());
        SessionStore store;
        store.apply(first);
        QCOMPARE(store.count(), 1);
        const Session &s = store.at(0);
        QCOMPARE(s.key.source, QStringLiteral("vss"));
        QVERIFY2(s.id().startsWith(QLatin1String("vss-shadows@WIN-SERVER01:")), qPrintable(s.id()));
        QVERIFY(SessionId::isValid(s.id()));
        QCOMPARE(s.title, QStringLiteral("VSS shadow copies"));
        QCOMPARE(s.kind, SessionKind::Snapshot);
        QCOMPARE(s.tool, QStringLiteral("vssadmin"));
        QCOMPARE(s.host, QStringLiteral("WIN-SERVER01"));
        QCOMPARE(s.state, SessionState::Succeeded);
        QCOMPARE(s.summary, summary);
        QCOMPARE(s.progress.current, summary);
        const QStringList lines = logs(first, LogLevel::Info);
        QCOMPARE(lines.size(), copies);
        QCOMPARE(lines.first(), firstLine);
        QVERIFY(logs(first, LogLevel::Warning).isEmpty());

        // The same listing again and again: nothing delivered.
        QVERIFY(pollFor(source, 1000).isEmpty());

        // The shadow copies go: a new session at the next run.
        QSaveFile data(options.program + QStringLiteral(".out"));
        QVERIFY(data.open(QIODevice::WriteOnly));
        data.write("vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool\r\n"
                   "(C) Copyright 2001-2013 Microsoft Corp.\r\n\r\n"
                   "No items found that satisfy the query.\r\n");
        QVERIFY(data.commit());
        EventBatch changed;
        QVERIFY(waitFor([&] {
            source.poll(changed);
            return !changed.events.isEmpty();
        }));
        store.apply(changed);
        QCOMPARE(store.count(), 2);
        QCOMPARE(store.at(1).summary, QStringLiteral("no shadow copies"));
        QCOMPARE(store.at(1).state, SessionState::Succeeded);
    }

    void vssadminFailureIsANoticeSaidOnce_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("summary");
        // What vssadmin prints without administrator rights (as in
        // tst_vssadminparser's "vssadmin error"); it then exits non-zero.
        QTest::newRow("not administrator")
            << QStringLiteral("denied")
            << QStringLiteral("vssadmin failed: exit code 2: Error: You don't have the correct "
                              "permissions to run this command. Please run this utility from a "
                              "command window that has elevated administrator privileges.");
        QTest::newRow("missing") << QStringLiteral("missing")
                                 << QStringLiteral("vssadmin failed: cannot start ");
        QTest::newRow("hangs") << QStringLiteral(
            "hangs") << QStringLiteral("vssadmin failed: killed after 1 s without finishing");
        QTest::newRow("crashes") << QStringLiteral("crashes")
                                 << QStringLiteral("vssadmin failed: crashed: ");
    }
    void vssadminFailureIsANoticeSaidOnce() {
        QFETCH(QString, what);
        QFETCH(QString, summary);
        VssShadowSource::Options options;
        options.timeoutMs = 1000;
        options.intervalMs = 0;
        if (what == QLatin1String("denied"))
            options.program = helper(
                what,
                "vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool\r\n"
                "(C) Copyright 2001-2013 Microsoft Corp.\r\n\r\n"
                "Error: You don't have the correct permissions to run this command.  Please run "
                "this utility\r\n"
                "from a command window that has elevated administrator privileges.\r\n",
                "exit 2");
        else if (what == QLatin1String("missing"))
            options.program = m_dir.filePath(QStringLiteral("no-such-vssadmin"));
        else if (what == QLatin1String("crashes"))
            options.program =
                helper(what, "vssadmin 1.1 - Volume Shadow Copy Service\r\n", "kill -SEGV $$");
        else
            options.program = helper(what, QByteArray(), "exec sleep 30");
        VssShadowSource source(options);
        const EventBatch batch = pollUntilCollected(source, 10000);
        // No session (it would look like a failed backup at every start of
        // the window): a notice, what this user cannot see, and why.
        const QString said = onlyNotice(batch, options.program);
        QVERIFY2(said.startsWith(QStringLiteral("VSS shadow copies are not shown: ") + summary),
                 qPrintable(said));
        // The same failure at the next run is not said again.
        QVERIFY(pollFor(source, what == QLatin1String("hangs") ? 2500 : 800).isEmpty());
    }

    void unreadableLinesAreWarningsNamingTheLine() {
        // The recorded listing cut short before the second device.
        const QByteArray en = readResource(QStringLiteral(":/fixtures/vss/shadows-en.txt"));
        VssShadowSource::Options options;
        options.program =
            helper(QStringLiteral("cut"),
                   en.left(en.indexOf("         Shadow Copy Volume: \\\\?\\GLOBALROOT\\Device\\"
                                      "HarddiskVolumeShadowCopy5")));
        VssShadowSource source(options);
        const EventBatch batch = pollUntilCollected(source);
        SessionStore store;
        store.apply(batch);
        QCOMPARE(store.count(), 1);
        QCOMPARE(store.at(0).state, SessionState::Warning);
        QCOMPARE(store.at(0).summary,
                 QStringLiteral("1 shadow copy on C: (2 lines not read: see the log)"));
        QCOMPARE(logs(batch, LogLevel::Warning),
                 (QStringList{QStringLiteral("vssadmin's output, line 17: shadow copy "
                                             "{c17ebda1-5da3-4f4a-a3dc-f5920c30ed0f} has no "
                                             "device (output cut short?)"),
                              QStringLiteral("vssadmin's output, line 15: shadow copy set "
                                             "{3872a791-51b6-4d10-813f-64b4beb9f935} announces 1 "
                                             "shadow copies, 0 read")}));
    }

    void hostileOutputGoesThroughTheEncoder() {
        // A listing whose fields hold invalid UTF-8, escapes and a huge type.
        QByteArray en =
            readResource(QStringLiteral(":/fixtures/vss/shadows-en-day-first-date.txt"));
        en.replace("Type: ClientAccessible",
                   QByteArray("Type: \xff\xfe\x1b[2J" + QByteArray(200000, 'T')));
        VssShadowSource::Options options;
        options.program = helper(QStringLiteral("hostile"), en);
        options.host = QStringLiteral("bad host/../\n{name}");
        VssShadowSource source(options);
        const EventBatch batch = pollUntilCollected(source);
        QVERIFY2(batch.errors.isEmpty(), qPrintable(batch.errors.value(0).toString()));
        QVERIFY(!batch.events.isEmpty());
        for (const Event &e : batch.events) {
            QVERIFY(SessionId::isValid(e.session));
            if (const auto *log = e.as<LogPayload>()) {
                QVERIFY(QString::fromUtf8(log->message).toUtf8() == log->message); // valid UTF-8
                QVERIFY(log->message.size() <= Protocol::kMaxMessageBytes + 100);
            }
        }
        QVERIFY(batch.events.first().session.startsWith(
            QLatin1String("vss-shadows@bad_host_.____name_:")));
    }
};

KW_TEST_GUILESS_MAIN(TestVssSource)
#include "tst_vsssource.moc"
