// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "protocol/eventcodec.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"
#include "qtestprinters.h"
#include "testmain.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <limits>

using namespace kw;

class TestEventCodec final : public QObject {
    Q_OBJECT

private:
    static Event decodeOk(const QByteArray &line) {
        EventDecoder decoder;
        Event e;
        const DecodeResult r = decoder.decode(line, e);
        if (!r.ok)
            qWarning() << "decode failed:" << r.error << line.left(200);
        return r.ok ? e : Event{};
    }

private slots:
    void roundTrip_data() {
        QTest::addColumn<Event>("event");
        const qint64 ts = 1795592500123;
        const QString id = QStringLiteral("0e9acb15-d1d2-4bdf-9973-f417ffd24f6f");

        StartPayload start;
        start.kind = SessionKind::Restore;
        start.state = SessionState::Queued;
        start.tool = QStringLiteral("restic");
        start.host = QStringLiteral("vm");
        start.user = QStringLiteral("root");
        start.target = QStringLiteral("/srv/restic-repo");
        start.title = QStringLiteral("Nightly «home» restore");
        start.cwd = QStringLiteral("/root");
        start.command = {QStringLiteral("restic"), QStringLiteral("restore"),
                         QStringLiteral("latest")};
        start.pid = 4242;
        start.producerPid = 4241;
        start.producerStartTicks = 88670;
        start.bootId = QStringLiteral("664ec28f-e505-4938-9053-886dabe3653b");
        QTest::newRow("start") << Event{id, {}, ts, start};
        start.unit = QStringLiteral("restic-backup.service");
        start.invocationId = QStringLiteral("0123456789abcdef0123456789abcdef");
        QTest::newRow("start in a systemd unit") << Event{id, {}, ts, start};

        QTest::newRow("state") << Event{
            id,
            {},
            ts,
            StatePayload{SessionState::Stalled, QStringLiteral("no progress for 60 s")}};

        ProgressPayload progress;
        progress.percent = 42.5;
        progress.bytesDone = 1000000000000;
        progress.bytesTotal = 2000000000000;
        progress.filesDone = 10;
        progress.filesTotal = 20;
        progress.rate = 12345678;
        progress.etaSeconds = 3600;
        progress.current = QStringLiteral("/data/dir02/sub0/file00882.bin");
        QTest::newRow("progress") << Event{id, {}, ts, progress};

        // Found by fuzz_rsync: a rate printed in fixed notation as a
        // 133-digit integer, which the decoder refused as too big a number.
        ProgressPayload huge;
        huge.rate = 3.4952533333333336e132;
        QTest::newRow("progress-huge-rate") << Event{id, {}, ts, huge};
        ProgressPayload largest;
        largest.rate = std::numeric_limits<double>::max();
        largest.bytesDone = std::numeric_limits<qint64>::max();
        QTest::newRow("progress-largest-numbers") << Event{id, {}, ts, largest};

        ProgressPayload partial;
        partial.bytesDone = 0; // zero is a fact, not "unknown"
        QTest::newRow("progress-zero") << Event{id, {}, ts, partial};

        QTest::newRow("log") << Event{id,
                                      {},
                                      ts,
                                      LogPayload{LogLevel::Warning,
                                                 "tab\there \"quoted\" back\\slash \xc3\xa9",
                                                 QStringLiteral("stderr")}};
        QTest::newRow("end") << Event{
            id,
            {},
            ts,
            EndPayload{SessionState::Failed, 3, std::nullopt, QStringLiteral("exit code 3")}};
        QTest::newRow("end-signal")
            << Event{id, {}, ts, EndPayload{SessionState::Cancelled, std::nullopt, 15, QString()}};
    }

    void roundTrip() {
        QFETCH(Event, event);
        const QByteArray line = EventEncoder::encode(event);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1); // one event, one line
        // Valid JSON for any other reader too.
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object().value(QLatin1String("v")).toInt(), 1);
        QCOMPARE(doc.object().value(QLatin1String("session")).toString(), event.session);

        const Event back = decodeOk(line.chopped(1));
        QCOMPARE(back.session, event.session);
        QCOMPARE(back.timestampMs, event.timestampMs);
        QCOMPARE(back.type(), event.type());
        if (const auto *p = event.as<ProgressPayload>())
            QCOMPARE(back.as<ProgressPayload>()->rate, p->rate);
        // Re-encoding what was decoded gives the same bytes: nothing lost.
        QCOMPARE(EventEncoder::encode(back), line);
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("reason"); // part of the error message

        const QByteArray head = R"("v":1,"ts":"2026-11-25T08:00:00.000Z","session":"s1")";
        auto obj = [&](const QByteArray &rest) -> QByteArray {
            return "{" + head + "," + rest + "}";
        };

        QTest::newRow("not json") << QByteArray("hello world") << "not valid JSON";
        QTest::newRow("invocation id not 32 hex digits")
            << obj(R"("type":"start","kind":"backup","invocation_id":"../../etc/passwd")")
            << "invocation_id must be 32 hexadecimal digits";
        QTest::newRow("invocation id in upper case") << obj(
            R"("type":"start","kind":"backup","invocation_id":"0123456789ABCDEF0123456789ABCDEF")")
                                                     << "invocation_id must be 32 hexadecimal "
                                                        "digits";
        QTest::newRow("truncated json")
            << QByteArray("{\"v\":1,\"ts\":\"2026-11-25T08:00") << "not valid JSON";
        QTest::newRow("array") << QByteArray("[1,2,3]") << "not a JSON object";
        QTest::newRow("string") << QByteArray("\"text\"") << "not a JSON object";
        QTest::newRow("no version")
            << QByteArray(R"({"ts":"2026-11-25T08:00:00Z","session":"s1","type":"log","msg":"x"})")
            << "missing field 'v'";
        QTest::newRow("version as string") << QByteArray(
            R"({"v":"1","ts":"2026-11-25T08:00:00Z","session":"s1","type":"log","msg":"x"})")
                                           << "field 'v' must be an integer";
        QTest::newRow("future version") << QByteArray(
            R"({"v":2,"ts":"2026-11-25T08:00:00Z","session":"s1","type":"log","msg":"x"})")
                                        << "unsupported protocol version 2";
        QTest::newRow("no ts") << QByteArray(R"({"v":1,"session":"s1","type":"log","msg":"x"})")
                               << "missing field 'ts'";
        QTest::newRow("ts without zone") << QByteArray(
            R"({"v":1,"ts":"2026-11-25T08:00:00","session":"s1","type":"log","msg":"x"})")
                                         << "not an ISO-8601 timestamp";
        QTest::newRow("ts nonsense")
            << QByteArray(R"({"v":1,"ts":"yesterday","session":"s1","type":"log","msg":"x"})")
            << "not an ISO-8601 timestamp";
        QTest::newRow("ts month 13") << QByteArray(
            R"({"v":1,"ts":"2026-13-25T08:00:00Z","session":"s1","type":"log","msg":"x"})")
                                     << "not an ISO-8601 timestamp";
        QTest::newRow("ts as number")
            << QByteArray(R"({"v":1,"ts":1795592500,"session":"s1","type":"log","msg":"x"})")
            << "field 'ts' must be a string";
        QTest::newRow("no session")
            << QByteArray(R"({"v":1,"ts":"2026-11-25T08:00:00Z","type":"log","msg":"x"})")
            << "missing field 'session'";
        QTest::newRow("session path") << QByteArray(
            R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"../../etc/passwd","type":"log","msg":"x"})")
                                      << "session ID";
        QTest::newRow("session slash") << QByteArray(
            R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"a/b","type":"log","msg":"x"})")
                                       << "not allowed";
        QTest::newRow("session NUL") << QByteArray(
            R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"a\u0000b","type":"log","msg":"x"})")
                                     << "not allowed";
        QTest::newRow("session empty") << QByteArray(
            R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"","type":"log","msg":"x"})")
                                       << "session ID is empty";
        QTest::newRow("session 10 KB")
            << (R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":")" + QByteArray(10240, 'a')
                + R"(","type":"log","msg":"x"})")
            << "at most 128";
        QTest::newRow("no type") << obj(R"("msg":"x")") << "missing field 'type'";
        QTest::newRow("log without msg") << obj(R"("type":"log")") << "missing field 'msg'";
        QTest::newRow("log msg number")
            << obj(R"("type":"log","msg":5)") << "field 'msg' must be a string";
        QTest::newRow("state without state") << obj(R"("type":"state")") << "missing field 'state'";
        QTest::newRow("unknown state")
            << obj(R"("type":"state","state":"exploded")") << "unknown state";
        QTest::newRow("end not final")
            << obj(R"("type":"end","state":"running")") << "needs a final state";
        QTest::newRow("start final")
            << obj(R"("type":"start","state":"succeeded")") << "cannot carry the final state";
        QTest::newRow("negative bytes")
            << obj(R"("type":"progress","bytes_done":-5)") << "must be at least 0";
        QTest::newRow("percent over 100")
            << obj(R"("type":"progress","percent":150)") << "between 0 and 100";
        QTest::newRow("bytes fractional")
            << obj(R"("type":"progress","bytes_done":1.5)") << "must be an integer";
        QTest::newRow("command not array")
            << obj(R"("type":"start","command":"rm -rf /")") << "array of strings";
        QTest::newRow("pid zero") << obj(R"("type":"start","pid":0)") << "must be at least 1";
        QTest::newRow("invalid utf-8")
            << QByteArray("{\"v\":1,\"ts\":\"2026-11-25T08:00:00Z\",\"session\":\"s1\",\"type\":"
                          "\"log\",\"msg\":\"\xff\xfe\"}")
            << "not valid JSON";
        QTest::newRow("binary garbage")
            << QByteArray("\x00\x01\x02\x89PNG\r\n\x1a", 10) << "not valid JSON";
        QTest::newRow("huge line")
            << ("{\"v\":1,\"msg\":\"" + QByteArray(Protocol::kMaxLineBytes + 10, 'x') + "\"}")
            << "at most";
    }

    void malformed() {
        QFETCH(QByteArray, line);
        QFETCH(QString, reason);
        EventDecoder decoder;
        Event e;
        const DecodeResult r = decoder.decode(line, e);
        QVERIFY(!r.ok);
        QVERIFY(!r.blank);
        QVERIFY2(r.error.contains(reason), qPrintable(r.error));
        // The decoder is still usable after any bad line.
        QVERIFY(
            decoder
                .decode(
                    R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"s1","type":"log","msg":"ok"})",
                    e)
                .ok);
    }

    void blankLinesAreNotErrors_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("spaces") << QByteArray("   \t ");
        QTest::newRow("cr") << QByteArray("\r");
    }
    void blankLinesAreNotErrors() {
        QFETCH(QByteArray, line);
        EventDecoder decoder;
        Event e;
        const DecodeResult r = decoder.decode(line, e);
        QVERIFY(!r.ok);
        QVERIFY(r.blank);
        QVERIFY(r.error.isEmpty());
    }

    void forwardCompatibility() {
        // Unknown fields are ignored.
        Event e = decodeOk(
            R"({"v":1,"ts":"2026-11-25T08:00:00.5Z","session":"s1","type":"log","msg":"hi","colour":"blue","nested":{"a":[1,2]}})");
        QCOMPARE(e.type(), EventType::Log);
        QCOMPARE(e.as<LogPayload>()->message, QByteArray("hi"));
        QCOMPARE(e.timestampMs % 1000, 500);
        // Unknown event types are kept as log lines holding the whole line.
        const QByteArray future =
            R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"s1","type":"checkpoint","level":"warning","data":{"x":1}})";
        e = decodeOk(future);
        QCOMPARE(e.type(), EventType::Log);
        QCOMPARE(e.as<LogPayload>()->level, LogLevel::Warning);
        QCOMPARE(e.as<LogPayload>()->message, future);
        // Unknown kinds are shown as other; unknown levels as info.
        e = decodeOk(
            R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"s1","type":"start","kind":"replicate"})");
        QCOMPARE(e.as<StartPayload>()->kind, SessionKind::Other);
        e = decodeOk(
            R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"s1","type":"log","msg":"x","level":"shouting"})");
        QCOMPARE(e.as<LogPayload>()->level, LogLevel::Info);
        // Level synonyms from other loggers.
        e = decodeOk(
            R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"s1","type":"log","msg":"x","level":"CRITICAL"})");
        QCOMPARE(e.as<LogPayload>()->level, LogLevel::Error);
        // A summary that is an object is kept as JSON text.
        e = decodeOk(
            R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"s1","type":"end","state":"succeeded","summary":{"files":3}})");
        QCOMPARE(e.as<EndPayload>()->summary, QStringLiteral("{\"files\":3}"));
        // A trailing CR (a file edited on Windows) is tolerated.
        e = decodeOk("{\"v\":1,\"ts\":\"2026-11-25T08:00:00Z\",\"session\":\"s1\",\"type\":\"log\","
                     "\"msg\":\"x\"}\r");
        QCOMPARE(e.type(), EventType::Log);
    }

    void encoderRepairsInvalidUtf8AndEscapesControls() {
        Event e{QStringLiteral("s1"),
                {},
                0,
                LogPayload{LogLevel::Info,
                           QByteArray("bad \xff\xfe bytes \x1b[2K\x01 nul \0 end", 28), QString()}};
        const QByteArray line = EventEncoder::encode(e);
        QVERIFY(!line.contains('\x1b'));
        QVERIFY(!line.contains('\0'));
        QVERIFY(line.contains("\\u001b[2K"));
        QVERIFY(line.contains("\\u0000"));
        const Event back = decodeOk(line.chopped(1));
        const QString message = QString::fromUtf8(back.as<LogPayload>()->message);
        QVERIFY(message.contains(QChar::ReplacementCharacter));
        QVERIFY(message.endsWith(QLatin1String(" end")));
    }

    void encoderCutsHugeMessages() {
        // 1 MB of text in one message (a tool dumping a blob): the line stays
        // below the reader's limit and says what was cut.
        QByteArray huge(1024 * 1024, 'x');
        huge.replace(Protocol::kMaxMessageBytes - 1, 2, "\xc3\xa9"); // a character across the cut
        Event e{QStringLiteral("s1"), {}, 0, LogPayload{LogLevel::Info, huge, QString()}};
        const QByteArray line = EventEncoder::encode(e);
        QVERIFY(line.size() < Protocol::kMaxLineBytes);
        const Event back = decodeOk(line.chopped(1));
        const QByteArray msg = back.as<LogPayload>()->message;
        QVERIFY(msg.contains("more bytes cut by keepwatch"));
        QVERIFY(QString::fromUtf8(msg).indexOf(QChar::ReplacementCharacter) < 0);
    }

    void timestamps_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("epoch") << QByteArray("1970-01-01T00:00:00.000Z") << qint64(0);
        QTest::newRow("capture day")
            << QByteArray("2026-11-25T07:40:11.870Z") << qint64(1795592411870);
        QTest::newRow("nanoseconds")
            << QByteArray("2026-11-25T07:40:11.870510058Z") << qint64(1795592411870);
        QTest::newRow("no fraction") << QByteArray("2026-11-25T07:40:11Z") << qint64(1795592411000);
        QTest::newRow("offset") << QByteArray("2026-11-25T08:40:11.870+01:00")
                                << qint64(1795592411870);
        QTest::newRow("leap day") << QByteArray("2024-02-29T12:00:00Z") << qint64(1709208000000);
        QTest::newRow("before epoch") << QByteArray("1969-12-31T23:59:59.000Z") << qint64(-1000);
    }
    void timestamps() {
        QFETCH(QByteArray, text);
        QFETCH(qint64, ms);
        const auto parsed =
            Timestamp::parseIsoMs(std::string_view(text.constData(), size_t(text.size())));
        QVERIFY(parsed);
        QCOMPARE(*parsed, ms);
        // The formatter writes the canonical form, which parses back.
        const QByteArray canonical = Timestamp::formatIsoMs(ms);
        QCOMPARE(canonical.size(), 24);
        QCOMPARE(*Timestamp::parseIsoMs(
                     std::string_view(canonical.constData(), size_t(canonical.size()))),
                 ms);
        QCOMPARE(QDateTime::fromString(QString::fromLatin1(canonical), Qt::ISODateWithMs)
                     .toMSecsSinceEpoch(),
                 ms);
    }

    void sessionIds_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("valid");
        QTest::newRow("uuid") << QStringLiteral("0e9acb15-d1d2-4bdf-9973-f417ffd24f6f") << true;
        QTest::newRow("vss guid") << QStringLiteral("{6f5a3b2c-1d4e-4f60-8a9b-0c1d2e3f4a5b}")
                                  << true;
        QTest::newRow("bacula job") << QStringLiteral("BackupSpike.2026-11-25_07.40.11_03") << true;
        QTest::newRow("dotdot") << QStringLiteral("..") << false;
        QTest::newRow("parent path") << QStringLiteral("a..b") << false;
        QTest::newRow("hidden") << QStringLiteral(".hidden") << false;
        QTest::newRow("option-like") << QStringLiteral("-rf") << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("backslash") << QStringLiteral("a\\b") << false;
        QTest::newRow("space") << QStringLiteral("a b") << false;
        QTest::newRow("newline") << QStringLiteral("a\nb") << false;
        QTest::newRow("non-ascii") << QStringLiteral("séance") << false;
        QTest::newRow("too long") << QString(129, QLatin1Char('a')) << false;
        QTest::newRow("longest") << QString(128, QLatin1Char('a')) << true;
    }
    void sessionIds() {
        QFETCH(QString, id);
        QFETCH(bool, valid);
        QCOMPARE(SessionId::isValid(id), valid);
        // Error messages never echo raw control characters.
        QVERIFY(!SessionId::validationError(id).contains(QLatin1Char('\n')));
    }

    // The decoder reads each object's fields once into a table; what it
    // reads must not depend on the order, on duplicates or on how many
    // fields there are.
    void fieldsInAnyOrderDuplicatesAndMany_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<LogLevel>("level");
        QTest::newRow("writer's order")
            << QByteArray(R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"s1","type":"log",)"
                          R"("level":"warning","msg":"m"})")
            << QByteArray("m") << LogLevel::Warning;
        QTest::newRow("reversed") << QByteArray(
            R"({"msg":"m","level":"error","type":"log","session":"s1",)"
            R"("ts":"2026-11-25T08:00:00Z","v":1})")
                                  << QByteArray("m") << LogLevel::Error;
        // RFC 8259 leaves duplicates open; the first one counts, as before.
        QTest::newRow("duplicate msg and level")
            << QByteArray(R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"s1","type":"log",)"
                          R"("msg":"first","level":"debug","msg":"second","level":"error"})")
            << QByteArray("first") << LogLevel::Debug;
        QByteArray many = R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"s1","type":"log")";
        for (int i = 0; i < 100; ++i)
            many += ",\"x" + QByteArray::number(i) + "\":" + QByteArray::number(i);
        QTest::newRow("msg after 100 unknown fields")
            << QByteArray(many + R"(,"msg":"late","level":"warn"})") << QByteArray("late")
            << LogLevel::Warning;
    }
    void fieldsInAnyOrderDuplicatesAndMany() {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, message);
        QFETCH(LogLevel, level);
        const Event e = decodeOk(line);
        QCOMPARE(e.type(), EventType::Log);
        QCOMPARE(e.session, QStringLiteral("s1"));
        QCOMPARE(e.as<LogPayload>()->message, message);
        QCOMPARE(e.as<LogPayload>()->level, level);
    }

    // One decoder shares one QString per session ID, and still rejects a bad
    // ID every time it appears, not only the first.
    void internedIdsAreSharedAndStillValidated() {
        EventDecoder decoder;
        Event a, b, bad;
        QVERIFY(
            decoder
                .decode(
                    R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"job-1","type":"log","msg":"a"})",
                    a)
                .ok);
        QVERIFY(
            decoder
                .decode(
                    R"({"v":1,"ts":"2026-11-25T08:00:01Z","session":"job-1","type":"log","msg":"b"})",
                    b)
                .ok);
        QVERIFY(a.session.isSharedWith(b.session));
        for (int i = 0; i < 2; ++i) {
            const DecodeResult r = decoder.decode(
                R"({"v":1,"ts":"2026-11-25T08:00:00Z","session":"../etc","type":"log","msg":"x"})",
                bad);
            QVERIFY(!r.ok);
            QVERIFY2(r.error.contains(QLatin1String("starts with '.'")), qPrintable(r.error));
        }
    }

    // Start and progress payloads live in a box: copies are deep, and a
    // default Event still reads as an empty start.
    void boxedPayloadsCopyDeep() {
        Event e;
        QCOMPARE(e.type(), EventType::Start);
        QVERIFY(e.as<StartPayload>());
        QCOMPARE(std::as_const(e).as<StartPayload>()->tool, QString());
        e.emplace<StartPayload>().tool = QStringLiteral("restic");
        Event copy = e;
        copy.as<StartPayload>()->tool = QStringLiteral("borg");
        QCOMPARE(e.as<StartPayload>()->tool, QStringLiteral("restic"));
        QCOMPARE(copy.as<StartPayload>()->tool, QStringLiteral("borg"));
        ProgressPayload p;
        p.bytesDone = 42;
        copy.payload = p;
        QCOMPARE(copy.type(), EventType::Progress);
        QCOMPARE(copy.as<ProgressPayload>()->bytesDone, std::optional<qint64>(42));
        QVERIFY(!copy.as<StartPayload>());
        copy.session = QStringLiteral("s1");
        QCOMPARE(EventDecoder().decode(EventEncoder::encode(copy), e).ok, true);
        QCOMPARE(e.as<ProgressPayload>()->bytesDone, std::optional<qint64>(42));
    }

    void generatedIdsAreValidAndUnique() {
        QSet<QString> ids;
        for (int i = 0; i < 1000; ++i) {
            const QString id = SessionId::generate();
            QVERIFY(SessionId::isValid(id));
            QCOMPARE(id.size(), 36);
            ids.insert(id);
        }
        QCOMPARE(ids.size(), 1000);
    }
};

KW_TEST_GUILESS_MAIN(TestEventCodec)
#include "tst_eventcodec.moc"
