// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// keepwatch-vss's portable parts, on Linux: what it writes must be what
// Keepwatch reads, so its events go through Keepwatch's own decoder.

#include "eventstream.h"
#include "guid.h"
#include "options.h"
#include "protocol/eventcodec.h"
#include "protocol/sessionid.h"
#include "testmain.h"
#include "testsupport.h"
#include "vssnames.h"
#include "writerreport.h"

#include <QtTest>

using namespace kw;

namespace {

// Decodes what an EventStream wrote with Keepwatch's reader: every line must
// be accepted.
QList<Event> decodeAll(const std::string &text) {
    QList<Event> events;
    EventDecoder decoder;
    const QByteArray bytes = QByteArray::fromStdString(text);
    for (const QByteArray &line : bytes.split('\n')) {
        Event event;
        const DecodeResult result = decoder.decode(line, event);
        if (result.blank)
            continue;
        if (!result.ok) {
            qWarning("rejected: %s: %s", qPrintable(result.error), line.constData());
            return {};
        }
        events.append(event);
    }
    return events;
}

vss::Guid exchangeInstance() {
    // {728c7e4c-d8fa-46cc-999d-e20573e08a08}, from the recorded vssadmin output
    return vss::Guid{0x728c7e4c, 0xd8fa, 0x46cc, {0x99, 0x9d, 0xe2, 0x05, 0x73, 0xe0, 0x8a, 0x08}};
}

} // namespace

class TestVssHelper final : public QObject {
    Q_OBJECT

private slots:
    void guidIsFormattedLikeVssadmin() {
        QCOMPARE(QString::fromStdString(vss::formatGuid(exchangeInstance())),
                 QStringLiteral("{728c7e4c-d8fa-46cc-999d-e20573e08a08}"));
        QVERIFY(vss::isNullGuid(vss::Guid{}));
        QVERIFY(!vss::isNullGuid(exchangeInstance()));
        // A VSS session ID is a valid Keepwatch session ID as it is.
        QVERIFY(SessionId::isValid(QString::fromStdString(vss::formatGuid(exchangeInstance()))));
    }

    void sessionIdRuleMatchesKeepwatch_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("vss guid") << QStringLiteral("{e8132975-6f93-4464-a53e-1050253ae220}");
        QTest::newRow("uuid") << QStringLiteral("0e9acb15-d1d2-4bdf-9973-f417ffd24f6f");
        QTest::newRow("bacula") << QStringLiteral("BackupSpike.2026-11-25_07.40.11_03");
        QTest::newRow("empty") << QString();
        QTest::newRow("slash") << QStringLiteral("a/b");
        QTest::newRow("parent") << QStringLiteral("a..b");
        QTest::newRow("dot first") << QStringLiteral(".hidden");
        QTest::newRow("dash first") << QStringLiteral("-x");
        QTest::newRow("space") << QStringLiteral("a b");
        QTest::newRow("129 chars") << QString(129, u'a');
        QTest::newRow("128 chars") << QString(128, u'a');
    }
    void sessionIdRuleMatchesKeepwatch() {
        QFETCH(QString, id);
        const std::string helper = vss::sessionIdError(id.toStdString());
        QCOMPARE(helper.empty(), SessionId::isValid(id));
    }

    void writerStatesAreNamed_data() {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("words");
        QTest::addColumn<int>("health");
        using H = vss::WriterHealth;
        QTest::newRow("0") << 0 << QStringLiteral("VSS_WS_UNKNOWN") << QStringLiteral("unknown")
                           << int(H::Unknown);
        QTest::newRow("1") << 1 << QStringLiteral("VSS_WS_STABLE") << QStringLiteral("stable")
                           << int(H::Stable);
        QTest::newRow("5") << 5 << QStringLiteral("VSS_WS_WAITING_FOR_BACKUP_COMPLETE")
                           << QStringLiteral("waiting for backup complete") << int(H::Busy);
        QTest::newRow("7") << 7 << QStringLiteral("VSS_WS_FAILED_AT_PREPARE_BACKUP")
                           << QStringLiteral("failed at prepare backup") << int(H::Failed);
        QTest::newRow("9") << 9 << QStringLiteral("VSS_WS_FAILED_AT_FREEZE")
                           << QStringLiteral("failed at freeze") << int(H::Failed);
        QTest::newRow("15") << 15 << QStringLiteral("VSS_WS_FAILED_AT_BACKUPSHUTDOWN")
                            << QStringLiteral("failed at backup shutdown") << int(H::Failed);
        QTest::newRow("future") << 16 << QStringLiteral("VSS_WS_16")
                                << QStringLiteral("unknown state 16") << int(H::Unknown);
        QTest::newRow("negative") << -1 << QStringLiteral("VSS_WS_-1")
                                  << QStringLiteral("unknown state -1") << int(H::Unknown);
    }
    void writerStatesAreNamed() {
        QFETCH(int, state);
        QFETCH(QString, name);
        QFETCH(QString, words);
        QFETCH(int, health);
        QCOMPARE(QString::fromStdString(vss::writerStateName(state)), name);
        QCOMPARE(QString::fromStdString(vss::writerStateWords(state)), words);
        QCOMPARE(int(vss::writerHealth(state)), health);
    }

    void hresultsAreNamed_data() {
        QTest::addColumn<quint32>("hr");
        QTest::addColumn<QString>("described");
        QTest::newRow("ok") << 0u << QStringLiteral("S_OK (0x00000000): success");
        QTest::newRow("wine") << 0x80004001u
                              << QStringLiteral("E_NOTIMPL (0x80004001): not implemented");
        QTest::newRow("not admin") << 0x80070005u
                                   << QStringLiteral("E_ACCESSDENIED (0x80070005): access denied: "
                                                     "run as administrator (backup operator)");
        QTest::newRow("writer timeout")
            << 0x800423F2u
            << QStringLiteral("VSS_E_WRITERERROR_TIMEOUT (0x800423f2): the writer timed out "
                              "between freeze and thaw; retry later");
        QTest::newRow("unknown") << 0x8004dead << QStringLiteral("HRESULT 0x8004dead");
    }
    void hresultsAreNamed() {
        QFETCH(quint32, hr);
        QFETCH(QString, described);
        QCOMPARE(QString::fromStdString(vss::describeHresult(hr)), described);
        QCOMPARE(vss::hresultFailed(hr), (hr & 0x80000000u) != 0);
    }

    void timestampsAreUtcWithMilliseconds_data() {
        QTest::addColumn<qint64>("ms");
        QTest::newRow("epoch") << qint64(0);
        QTest::newRow("2026") << qint64(1795595469082);
        QTest::newRow("leap day")
            << QDateTime(QDate(2024, 2, 29), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch();
        QTest::newRow("before 1970") << qint64(-1);
    }
    void timestampsAreUtcWithMilliseconds() {
        QFETCH(qint64, ms);
        const QString expected =
            QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
        QCOMPARE(QString::fromStdString(vss::formatTimestamp(ms)), expected);
    }

    void stringsSurviveEncoding_data() {
        QTest::addColumn<QByteArray>("utf8");
        QTest::addColumn<QString>("read");
        QTest::newRow("plain") << QByteArray("System Writer") << QStringLiteral("System Writer");
        QTest::newRow("quotes and backslashes")
            << QByteArray("C:\\ \"x\"") << QStringLiteral("C:\\ \"x\"");
        QTest::newRow("control") << QByteArray("a\tb\nc\x01") << QStringLiteral("a\tb\nc\x01");
        QTest::newRow("french") << QByteArray("Nom du rédacteur")
                                << QStringLiteral("Nom du rédacteur");
        QTest::newRow("invalid utf-8") << QByteArray("a\xff"
                                                     "b")
                                       << QStringLiteral("a\uFFFDb");
        QTest::newRow("cut sequence") << QByteArray("\xc3") << QStringLiteral("\uFFFD");
        QTest::newRow("surrogate bytes")
            << QByteArray("\xed\xa0\x80") << QStringLiteral("\uFFFD\uFFFD\uFFFD");
    }
    void stringsSurviveEncoding() {
        QFETCH(QByteArray, utf8);
        QFETCH(QString, read);
        std::string out;
        vss::EventStream events([&out](const std::string &line) { out += line; });
        events.setSessionId("{e8132975-6f93-4464-a53e-1050253ae220}");
        events.log("info", utf8.toStdString());
        const QList<Event> decoded = decodeAll(out);
        QCOMPARE(decoded.size(), 1);
        QCOMPARE(QString::fromUtf8(decoded[0].as<LogPayload>()->message), read);
    }

    void utf16IsConverted() {
        const std::u16string text = u"Écrivain \U0001F4BE";
        QCOMPARE(QString::fromStdString(vss::utf16ToUtf8(text)), QString::fromStdU16String(text));
        const char16_t lone[] = {u'a', char16_t(0xD800), u'b'};
        QCOMPARE(QString::fromStdString(vss::utf16ToUtf8(std::u16string_view(lone, 3))),
                 QStringLiteral("a\uFFFDb"));
    }

    // Events made before the VSS session ID is known carry it once it is.
    void eventsWaitForTheSessionId() {
        std::string out;
        qint64 now = 1000;
        vss::EventStream events([&out](const std::string &line) { out += line; },
                                [&now] { return now; });
        vss::StartInfo start;
        start.kind = "snapshot";
        start.host = "srv";
        start.target = "C:\\";
        start.command = {"keepwatch-vss.exe", "snapshot"};
        start.pid = 4242;
        events.start(start);
        now = 2000;
        vss::ProgressInfo progress;
        progress.percent = 5;
        progress.current = "InitializeForBackup";
        events.progress(progress);
        QVERIFY(out.empty());
        events.setSessionId("{0bada1de-01a9-4625-8278-69e735f39dd2}");
        now = 3000;
        events.end("failed", 1, "DoSnapshotSet failed: VSS_E_PROVIDER_VETO");

        const QList<Event> decoded = decodeAll(out);
        QCOMPARE(decoded.size(), 3);
        for (const Event &e : decoded)
            QCOMPARE(e.session, QStringLiteral("{0bada1de-01a9-4625-8278-69e735f39dd2}"));
        QCOMPARE(decoded[0].timestampMs, 1000);
        QCOMPARE(decoded[1].timestampMs, 2000);
        const auto *s = decoded[0].as<StartPayload>();
        QVERIFY(s);
        QCOMPARE(s->kind, SessionKind::Snapshot);
        QCOMPARE(s->state, SessionState::Starting);
        QCOMPARE(s->tool, QStringLiteral("vss"));
        QCOMPARE(s->target, QStringLiteral("C:\\"));
        QCOMPARE(s->command,
                 QStringList({QStringLiteral("keepwatch-vss.exe"), QStringLiteral("snapshot")}));
        QCOMPARE(s->pid, std::optional<qint64>(4242));
        QCOMPARE(decoded[1].as<ProgressPayload>()->percent, std::optional<double>(5.0));
        QCOMPARE(decoded[1].as<ProgressPayload>()->current, QStringLiteral("InitializeForBackup"));
        const auto *end = decoded[2].as<EndPayload>();
        QCOMPARE(end->state, SessionState::Failed);
        QCOMPARE(end->exitCode, std::optional<int>(1));
        QCOMPARE(end->summary, QStringLiteral("DoSnapshotSet failed: VSS_E_PROVIDER_VETO"));
    }

    // A writer is logged again only when its state changed; the summary is
    // the progress line the table shows.
    void writersAreReportedOnChange() {
        std::string out;
        vss::EventStream events([&out](const std::string &line) { out += line; });
        events.setSessionId("{43dd2d4b-3a58-487a-842d-564143d0501f}");
        vss::WriterReporter reporter(events);

        vss::WriterStatus system;
        system.name = "System Writer";
        system.writerId =
            vss::Guid{0xe8132975, 0x6f93, 0x4464, {0xa5, 0x3e, 0x10, 0x50, 0x25, 0x3a, 0xe2, 0x20}};
        system.instanceId =
            vss::Guid{0xeb6b4c30, 0xaa48, 0x486a, {0x96, 0x18, 0x0d, 0x19, 0x34, 0xd1, 0x80, 0xca}};
        system.state = 1;
        vss::WriterStatus exchange;
        exchange.name = "Microsoft Exchange Writer";
        exchange.instanceId = exchangeInstance();
        exchange.state = 1;

        reporter.report({system, exchange}, "after PrepareForBackup");
        exchange.state = 9;
        exchange.failure = 0x800423F2;
        const vss::WriterSummary summary =
            reporter.report({system, exchange}, "after DoSnapshotSet");
        QCOMPARE(summary.failed, 1);
        QCOMPARE(summary.stable, 1);

        const QList<Event> decoded = decodeAll(out);
        QStringList lines;
        for (const Event &e : decoded) {
            if (const auto *log = e.as<LogPayload>())
                lines << QString::fromLatin1(wireName(log->level)) + u' '
                             + QString::fromUtf8(log->message);
            if (const auto *p = e.as<ProgressPayload>())
                lines << QStringLiteral("progress ") + p->current;
        }
        const QStringList expected{
            QStringLiteral("info after PrepareForBackup: writer 'System Writer' "
                           "{e8132975-6f93-4464-a53e-1050253ae220} instance "
                           "{eb6b4c30-aa48-486a-9618-0d1934d180ca}: VSS_WS_STABLE (stable), S_OK "
                           "(0x00000000): success"),
            QStringLiteral("info after PrepareForBackup: writer 'Microsoft Exchange Writer' "
                           "{00000000-0000-0000-0000-000000000000} instance "
                           "{728c7e4c-d8fa-46cc-999d-e20573e08a08}: VSS_WS_STABLE (stable), S_OK "
                           "(0x00000000): success"),
            QStringLiteral("progress 2 writers: 2 stable"),
            QStringLiteral("error after DoSnapshotSet: writer 'Microsoft Exchange Writer' "
                           "{00000000-0000-0000-0000-000000000000} instance "
                           "{728c7e4c-d8fa-46cc-999d-e20573e08a08}: VSS_WS_FAILED_AT_FREEZE "
                           "(failed at freeze), VSS_E_WRITERERROR_TIMEOUT (0x800423f2): the writer "
                           "timed out between freeze and thaw; retry later"),
            QStringLiteral("progress 2 writers: 1 stable, 1 failed (Microsoft Exchange Writer: "
                           "VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_TIMEOUT)"),
        };
        QCOMPARE(lines, expected);
    }

    void commandLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("command");
        QTest::addColumn<QStringList>("volumes");
        QTest::addColumn<bool>("restore");
        QTest::addColumn<QString>("error");
        using C = vss::Options::Command;
        QTest::newRow("writers") << QStringList{QStringLiteral("writers")} << int(C::Writers)
                                 << QStringList{} << false << QStringLiteral("");
        QTest::newRow("snapshot default")
            << QStringList{QStringLiteral("snapshot")} << int(C::Snapshot)
            << QStringList{QStringLiteral("C:\\")} << false << QStringLiteral("");
        QTest::newRow("volumes get a backslash")
            << QStringList{QStringLiteral("snapshot"), QStringLiteral("--volume"),
                           QStringLiteral("C:"), QStringLiteral("--volume"), QStringLiteral("D:\\")}
            << int(C::Snapshot) << QStringList{QStringLiteral("C:\\"), QStringLiteral("D:\\")}
            << false << QStringLiteral("");
        QTest::newRow("restore") << QStringList{QStringLiteral("snapshot"),
                                                QStringLiteral("--restore"),
                                                QStringLiteral("--document"),
                                                QStringLiteral("b.xml")}
                                 << int(C::Snapshot) << QStringList{} << true << QStringLiteral("");
        QTest::newRow("help") << QStringList{QStringLiteral("--help")} << int(C::Help)
                              << QStringList{} << false << QStringLiteral("");
        QTest::newRow("nothing") << QStringList{} << int(C::None) << QStringList{} << false
                                 << QStringLiteral("no command given");
        QTest::newRow("unknown command")
            << QStringList{QStringLiteral("shadows")} << int(C::None) << QStringList{} << false
            << QStringLiteral("unknown command 'shadows'");
        QTest::newRow("volume without value")
            << QStringList{QStringLiteral("snapshot"), QStringLiteral("--volume")}
            << int(C::Snapshot) << QStringList{} << false
            << QStringLiteral("--volume needs a value");
        QTest::newRow("volume for writers")
            << QStringList{QStringLiteral("writers"), QStringLiteral("--volume"),
                           QStringLiteral("C:")}
            << int(C::Writers) << QStringList{} << false
            << QStringLiteral("unknown option '--volume' for writers");
        QTest::newRow("restore without document")
            << QStringList{QStringLiteral("snapshot"), QStringLiteral("--restore")}
            << int(C::Snapshot) << QStringList{} << true
            << QStringLiteral("--restore needs --document FILE (saved by a snapshot)");
    }
    void commandLine() {
        QFETCH(QStringList, args);
        QFETCH(int, command);
        QFETCH(QStringList, volumes);
        QFETCH(bool, restore);
        QFETCH(QString, error);
        std::vector<std::string> argv;
        for (const QString &a : args)
            argv.push_back(a.toStdString());
        const vss::Options o = vss::Options::parse(argv);
        QCOMPARE(QString::fromStdString(o.error), error);
        QCOMPARE(int(o.command), command);
        QCOMPARE(o.restore, restore);
        if (error.isEmpty()) {
            QStringList got;
            for (const std::string &v : o.volumes)
                got << QString::fromStdString(v);
            QCOMPARE(got, volumes);
        }
    }

    // The helper's real output under wine (E_NOTIMPL), as Keepwatch reads it.
    void wineErrorPathReadsAsAFailedSession() {
        const QByteArray recorded =
            test::readResource(QStringLiteral(":/fixtures/vss/helper-wine-writers.jsonl"));
        const QList<Event> events = decodeAll(recorded.toStdString());
        QCOMPARE(events.size(), 5);
        QVERIFY(events.front().as<StartPayload>());
        QCOMPARE(events.front().as<StartPayload>()->title, QStringLiteral("VSS writer status"));
        QVERIFY(events.front().session.startsWith(u'{'));
        const auto *error = events[3].as<LogPayload>();
        QVERIFY(error);
        QCOMPARE(error->level, LogLevel::Error);
        QCOMPARE(QString::fromUtf8(error->message),
                 QStringLiteral(
                     "CreateVssBackupComponents failed: E_NOTIMPL (0x80004001): not implemented"));
        const auto *end = events.back().as<EndPayload>();
        QVERIFY(end);
        QCOMPARE(end->state, SessionState::Failed);
        QCOMPARE(end->exitCode, std::optional<int>(1));
    }
};

KW_TEST_GUILESS_MAIN(TestVssHelper)
#include "tst_vsshelper.moc"
