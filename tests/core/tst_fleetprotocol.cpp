// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/agentoffsets.h"
#include "fleet/brokerurl.h"
#include "fleet/fleettopics.h"
#include "fleet/mirrorfile.h"
#include "fleet/mqttclient.h"
#include "fleet/openmirrors.h"
#include "fleet/remotecancel.h"
#include "fleet/spoolchunkreader.h"
#include "spool/producergone.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <memory>
#include <vector>
#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

using namespace kw;
using namespace kw::test;

namespace {
using Ranges = QList<QPair<int, int>>; // [from, to) of a file

QByteArray readAll(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

// The pure parts of many hosts (docs/fleet.md): topics, host names, broker
// URLs, where a chunk goes in a mirror, and a mirror file fed chunks in
// every order.
class TestFleetProtocol final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void hostNames_data() {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << QStringLiteral("web01") << true;
        QTest::newRow("dotted") << QStringLiteral("db-1.example.org") << true;
        QTest::newRow("digit first") << QStringLiteral("1host") << true;
        QTest::newRow("63") << QString(63, u'a') << true;
        QTest::newRow("64") << QString(64, u'a') << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("upper") << QStringLiteral("Web01") << false;
        QTest::newRow("slash: another host's topics") << QStringLiteral("web01/x") << false;
        QTest::newRow("plus") << QStringLiteral("web+1") << false;
        QTest::newRow("hash") << QStringLiteral("web#") << false;
        QTest::newRow("dot first") << QStringLiteral(".web") << false;
        QTest::newRow("dash first") << QStringLiteral("-web") << false;
        QTest::newRow("underscore") << QStringLiteral("web_01") << false;
    }
    void hostNames() {
        QFETCH(QString, host);
        QFETCH(bool, valid);
        QCOMPARE(FleetTopics::hostProblem(host).isEmpty(), valid);
    }

    void sessionSegments_data() {
        QTest::addColumn<QString>("sessionId");
        QTest::addColumn<QString>("segment");
        QTest::newRow("uuid") << QStringLiteral("0e9acb15-d1d2-4bdf-9973-f417ffd24f6f")
                              << QStringLiteral("0e9acb15-d1d2-4bdf-9973-f417ffd24f6f");
        QTest::newRow("plus") << QStringLiteral("a+b") << QStringLiteral("a%2Bb");
        QTest::newRow("vss braces") << QStringLiteral("{AB-12}") << QStringLiteral("{AB-12}");
        QTest::newRow("bacula") << QStringLiteral("Job.2026-11-25_07.40.11_03")
                                << QStringLiteral("Job.2026-11-25_07.40.11_03");
    }
    void sessionSegments() {
        QFETCH(QString, sessionId);
        QFETCH(QString, segment);
        QCOMPARE(FleetTopics::escapeSessionId(sessionId), segment);
        QCOMPARE(FleetTopics::unescapeSessionId(segment), sessionId);
        const QString topic = FleetTopics::eventsTopic(QStringLiteral("web01"), sessionId);
        QVERIFY(!topic.contains(u'+'));
        const FleetTopics::Parsed parsed = FleetTopics::parse(topic);
        QCOMPARE(parsed.kind, FleetTopics::Parsed::Kind::Events);
        QCOMPARE(parsed.host, QStringLiteral("web01"));
        QCOMPARE(parsed.sessionId, sessionId);
    }

    void escapesEveryTopicCharacter() {
        // Never valid session IDs, but the escape is total all the same.
        QCOMPARE(FleetTopics::escapeSessionId(u"a/b#c%d+e"), QStringLiteral("a%2Fb%23c%25d%2Be"));
    }

    void badTopics_data() {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<QString>("problem");
        QTest::newRow("not ours") << QStringLiteral("other/v1/web01/status")
                                  << QStringLiteral("not under keepwatch/v1/");
        QTest::newRow("bad host") << QStringLiteral("keepwatch/v1/Web01/status")
                                  << QStringLiteral("may hold only");
        QTest::newRow("path in session")
            << QStringLiteral("keepwatch/v1/web01/sessions/..%2Fetc/events")
            << QStringLiteral("session ID");
        QTest::newRow("unknown escape") << QStringLiteral("keepwatch/v1/web01/sessions/a%41/events")
                                        << QStringLiteral("unknown escape");
        QTest::newRow("unknown leaf") << QStringLiteral("keepwatch/v1/web01/sessions/abc/other")
                                      << QStringLiteral("unknown session topic");
        QTest::newRow("too deep") << QStringLiteral("keepwatch/v1/web01/status/x")
                                  << QStringLiteral("unknown topic");
        QTest::newRow("unknown command") << QStringLiteral("keepwatch/v1/web01/cmd/reboot")
                                         << QStringLiteral("unknown command reboot");
    }
    void badTopics() {
        QFETCH(QString, topic);
        QFETCH(QString, problem);
        const FleetTopics::Parsed parsed = FleetTopics::parse(topic);
        QCOMPARE(parsed.kind, FleetTopics::Parsed::Kind::Invalid);
        QVERIFY2(parsed.problem.contains(problem), qPrintable(parsed.problem));
        QVERIFY2(parsed.problem.contains(QStringLiteral("topic")), qPrintable(parsed.problem));
    }

    void topicLayout() {
        const QString host = QStringLiteral("db01");
        QCOMPARE(FleetTopics::statusTopic(host), QStringLiteral("keepwatch/v1/db01/status"));
        QCOMPARE(FleetTopics::stateTopic(host, QStringLiteral("s1")),
                 QStringLiteral("keepwatch/v1/db01/sessions/s1/state"));
        QCOMPARE(FleetTopics::replayTopic(host), QStringLiteral("keepwatch/v1/db01/cmd/replay"));
        QCOMPARE(FleetTopics::parse(FleetTopics::replayTopic(host)).kind,
                 FleetTopics::Parsed::Kind::Replay);
        QCOMPARE(FleetTopics::parse(FleetTopics::statusTopic(host)).kind,
                 FleetTopics::Parsed::Kind::Status);
        QCOMPARE(FleetTopics::cancelTopic(host), QStringLiteral("keepwatch/v1/db01/cmd/cancel"));
        QCOMPARE(FleetTopics::parse(FleetTopics::cancelTopic(host)).kind,
                 FleetTopics::Parsed::Kind::Cancel);
        QCOMPARE(FleetTopics::parse(FleetTopics::probeTopic(host)).kind,
                 FleetTopics::Parsed::Kind::Probe);
        // Answers under the agent's own name: the ACL lets it write nowhere else.
        QCOMPARE(FleetTopics::repliesTopic(host), QStringLiteral("keepwatch/v1/db01/replies"));
        const FleetTopics::Parsed replies = FleetTopics::parse(FleetTopics::repliesTopic(host));
        QCOMPARE(replies.kind, FleetTopics::Parsed::Kind::Replies);
        QCOMPARE(replies.host, host);
    }

    // A cancel request is untrusted input: every field checked, each
    // problem named; a request without an expiry is refused, since it could
    // fire after any outage.
    void cancelRequests_data() {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("problem"); // empty: valid
        QTest::newRow("valid") << QByteArray(
            "{\"v\":1,\"request\":\"r-1\",\"session\":\"s1\",\"expires_ms\":5}")
                               << QString();
        QTest::newRow("no expiry") << QByteArray("{\"v\":1,\"request\":\"r-1\",\"session\":\"s1\"}")
                                   << QStringLiteral("no expires_ms");
        QTest::newRow("not json") << QByteArray("cancel everything") << QStringLiteral("not JSON");
        QTest::newRow("array") << QByteArray("[1]") << QStringLiteral("not a JSON object");
        QTest::newRow("version") << QByteArray(
            "{\"v\":2,\"request\":\"r\",\"session\":\"s\",\"expires_ms\":5}")
                                 << QStringLiteral("not version 1");
        QTest::newRow("bad request id")
            << QByteArray("{\"v\":1,\"request\":\"r 1;rm\",\"session\":\"s1\",\"expires_ms\":5}")
            << QStringLiteral("may hold only");
        QTest::newRow("long request id") << ("{\"v\":1,\"request\":\"" + QByteArray(65, 'a')
                                             + "\",\"session\":\"s\",\"expires_ms\":5}")
                                         << QStringLiteral("1 to 64 characters");
        QTest::newRow("path as session")
            << QByteArray("{\"v\":1,\"request\":\"r\",\"session\":\"../x\",\"expires_ms\":5}")
            << QStringLiteral("session");
        QTest::newRow("huge") << QByteArray(5000, ' ') << QStringLiteral("at most 4096");
    }
    void cancelRequests() {
        QFETCH(QByteArray, payload);
        QFETCH(QString, problem);
        QString error;
        const auto request = RemoteCancel::Request::decode(payload, &error);
        QCOMPARE(request.has_value(), problem.isEmpty());
        if (request) {
            QCOMPARE(request->requestId, QStringLiteral("r-1"));
            QCOMPARE(request->sessionId, QStringLiteral("s1"));
            QCOMPARE(request->expiresMs, 5);
            QCOMPARE(RemoteCancel::Request::decode(request->encode(), nullptr)->encode(),
                     request->encode());
        } else {
            QVERIFY2(error.contains(problem, Qt::CaseInsensitive), qPrintable(error));
        }
    }

    // The agent's answer is shown to a person: control characters blanked,
    // the length bounded.
    void cancelRepliesAreCleaned() {
        const RemoteCancel::Reply sent{QStringLiteral("r-1"), QStringLiteral("s1"), false,
                                       QStringLiteral("no\x1b[31m\nway") + QString(2000, u'x')};
        const auto got = RemoteCancel::Reply::decode(sent.encode(), nullptr);
        QVERIFY(got);
        QVERIFY(!got->accepted);
        QVERIFY(got->message.startsWith(QStringLiteral("no [31m way")));
        QCOMPARE(got->message.size(), 1000);
        QVERIFY(RemoteCancel::requestIdProblem(RemoteCancel::newRequestId()).isEmpty());
    }

    void brokerUrls_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("normalised"); // empty: an error
        QTest::addColumn<QString>("error");
        QTest::newRow("plain") << QStringLiteral("mqtt://broker:1884")
                               << QStringLiteral("mqtt://broker:1884") << QString();
        QTest::newRow("default port")
            << QStringLiteral("mqtt://broker") << QStringLiteral("mqtt://broker:1883") << QString();
        QTest::newRow("tls default port")
            << QStringLiteral("mqtts://broker.example.org")
            << QStringLiteral("mqtts://broker.example.org:8883") << QString();
        QTest::newRow("ipv6") << QStringLiteral("mqtt://[::1]:1883")
                              << QStringLiteral("mqtt://[::1]:1883") << QString();
        QTest::newRow("empty") << QString() << QString() << QStringLiteral("empty");
        QTest::newRow("scheme") << QStringLiteral("http://broker") << QString()
                                << QStringLiteral("mqtt:// or mqtts://");
        QTest::newRow("no scheme")
            << QStringLiteral("broker:1883") << QString() << QStringLiteral("mqtt:// or mqtts://");
        QTest::newRow("credentials") << QStringLiteral("mqtt://u:secret@broker") << QString()
                                     << QStringLiteral("--password-file");
        QTest::newRow("no host") << QStringLiteral("mqtt://:1883") << QString()
                                 << QStringLiteral("no host");
        QTest::newRow("path") << QStringLiteral("mqtt://broker/x") << QString()
                              << QStringLiteral("no path");
        QTest::newRow("port 0") << QStringLiteral("mqtt://broker:0") << QString()
                                << QStringLiteral("bad port");
        QTest::newRow("port too big")
            << QStringLiteral("mqtt://broker:70000") << QString() << QStringLiteral("broker URL");
    }
    void brokerUrls() {
        QFETCH(QString, text);
        QFETCH(QString, normalised);
        QFETCH(QString, error);
        QString why;
        const auto url = BrokerUrl::parse(text, &why);
        if (normalised.isEmpty()) {
            QVERIFY(!url);
            QVERIFY2(why.contains(error), qPrintable(why));
            QVERIFY2(!why.contains(QStringLiteral("secret")) || text.contains(u'@'),
                     qPrintable(why));
        } else {
            QVERIFY2(url, qPrintable(why));
            QCOMPARE(url->toString(), normalised);
        }
    }

    // mqtts:// that cannot be set up (a CA file that is not there; on
    // Windows, a libmosquitto without TLS) is refused at start, with the
    // reason, and never tried in clear text.
    void unusableTlsIsRefusedNotDowngraded() {
        QString why;
        const auto url = BrokerUrl::parse(QStringLiteral("mqtts://127.0.0.1:1"), &why);
        QVERIFY2(url, qPrintable(why));
        MqttClient::Options options;
        options.broker = *url;
        options.caFile = QStringLiteral("/nonexistent/keepwatch-ca.pem");
        options.firstRetryMs = 10;
        MqttClient client(options);
        QSignalSpy refused(&client, &MqttClient::refused);
        QSignalSpy disconnected(&client, &MqttClient::disconnected);
        client.start();
        QCOMPARE(refused.count(), 1);
        const QString reason = refused.at(0).at(0).toString();
        QVERIFY2(reason.contains(QStringLiteral("setting up TLS")), qPrintable(reason));
        QVERIFY2(reason.contains(QStringLiteral("mqtts://127.0.0.1:1")), qPrintable(reason));
        QTest::qWait(100); // no connection attempt, no retry
        QCOMPARE(disconnected.count(), 0);
        QVERIFY(!client.isConnected());
    }

    void placement_data() {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("length");
        QTest::addColumn<int>("action");
        QTest::addColumn<qint64>("skip");
        using A = ChunkPlacement::Action;
        QTest::newRow("append at the end") << 100LL << 100LL << 10LL << int(A::Append) << 0LL;
        QTest::newRow("first chunk") << 0LL << 0LL << 10LL << int(A::Append) << 0LL;
        QTest::newRow("duplicate") << 100LL << 50LL << 50LL << int(A::Duplicate) << 0LL;
        QTest::newRow("duplicate inside") << 100LL << 20LL << 10LL << int(A::Duplicate) << 0LL;
        QTest::newRow("overlap trimmed") << 100LL << 90LL << 30LL << int(A::Append) << 10LL;
        QTest::newRow("one byte new") << 100LL << 0LL << 101LL << int(A::Append) << 100LL;
        QTest::newRow("gap") << 100LL << 101LL << 10LL << int(A::Gap) << 0LL;
        QTest::newRow("gap on empty") << 0LL << 500LL << 10LL << int(A::Gap) << 0LL;
    }
    void placement() {
        QFETCH(qint64, size);
        QFETCH(qint64, offset);
        QFETCH(qint64, length);
        QFETCH(int, action);
        QFETCH(qint64, skip);
        const ChunkPlacement p = ChunkPlacement::of(size, offset, length);
        QCOMPARE(int(p.action), action);
        QCOMPARE(p.skip, skip);
    }

    // A file of 4 lines cut into chunks delivered in the row's order (with
    // duplicates and overlaps): the mirror ends byte-identical, and it
    // says what it still lacks while a gap is open.
    void mirrorFileConverges_data() {
        QTest::addColumn<Ranges>("chunks");
        QTest::newRow("in order") << Ranges{{0, 10}, {10, 20}, {20, 40}};
        QTest::newRow("duplicates")
            << Ranges{{0, 10}, {0, 10}, {10, 20}, {0, 10}, {10, 20}, {20, 40}, {20, 40}};
        QTest::newRow("overlaps") << Ranges{{0, 20}, {10, 30}, {0, 40}};
        QTest::newRow("gap then replay") << Ranges{{0, 10}, {20, 30}, {30, 40}, {10, 20}};
        QTest::newRow("reversed") << Ranges{{30, 40}, {20, 30}, {10, 20}, {0, 10}};
        QTest::newRow("held overlapping") << Ranges{{20, 40}, {15, 30}, {0, 17}};
    }
    void mirrorFileConverges() {
        QFETCH(Ranges, chunks);
        const QByteArray remote = "line one\nline two\nthird line\nthe fourth\n";
        QCOMPARE(remote.size(), 40);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.jsonl"));
        {
            MirrorFile mirror(path);
            QCOMPARE(mirror.open(), QString());
            const QString epoch = QStringLiteral("1-2-0");
            for (const auto &[from, to] : chunks) {
                const auto result = mirror.apply(epoch, from, remote.mid(from, to - from));
                QCOMPARE(result.error, QString());
                // In the file when apply returns, for the mirror's readers
                // (the file stays open between chunks, unbuffered).
                QCOMPARE(readAll(path), remote.left(mirror.size()));
                if (from > mirror.size())
                    QCOMPARE(mirror.missing()->first, mirror.size());
            }
            QCOMPARE(mirror.size(), remote.size());
            QVERIFY(!mirror.missing());
            mirror.setRemoteEnd(epoch, 60);
            QCOMPARE(mirror.missing(), std::make_optional(std::make_pair(qint64(40), qint64(60))));
        }
        QCOMPARE(readAll(path), remote);
        // Reopened, it goes on from its size and knows its epoch.
        MirrorFile again(path);
        QCOMPARE(again.open(), QString());
        QCOMPARE(again.size(), remote.size());
        QCOMPARE(again.epoch(), QStringLiteral("1-2-0"));
        QCOMPARE(int(again.apply(QStringLiteral("1-2-0"), 30, remote.mid(30)).outcome),
                 int(MirrorFile::Result::Outcome::Duplicate));
    }

    // The remote file was truncated or replaced: a new epoch starts the
    // mirror again, and late chunks of the old one are dropped.
    void newEpochRestartsTheMirror() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.jsonl"));
        MirrorFile mirror(path);
        QCOMPARE(mirror.open(), QString());
        QCOMPARE(mirror.apply(QStringLiteral("1-1-0"), 0, "old line\nold 2\n").error, QString());
        QCOMPARE(mirror.apply(QStringLiteral("1-1-1"), 0, "new\n").error, QString());
        QCOMPARE(readAll(path), QByteArray("new\n"));
        QCOMPARE(int(mirror.apply(QStringLiteral("1-1-0"), 9, "old 2\n").outcome),
                 int(MirrorFile::Result::Outcome::StaleEpoch));
        QCOMPARE(readAll(path), QByteArray("new\n"));
        QCOMPARE(mirror.epoch(), QStringLiteral("1-1-1"));
    }

    // A mirror changed by hand under a running collector (removed, its
    // host's directory removed, truncated, written by someone else): the
    // periodic look closes it, the next chunk finds out what it holds and
    // says so, and what it lacks is asked for again, so that it ends
    // byte-identical instead of the chunks going to a deleted file.
    void aMirrorChangedUnderTheCollectorIsMadeWhole_data() {
        QTest::addColumn<QString>("change");
        QTest::addColumn<qint64>("left"); // what the mirror holds after the change
        QTest::addColumn<QString>("notice");
        QTest::newRow("removed") << QStringLiteral("remove") << qint64(0)
                                 << QStringLiteral("holds 0 bytes, not 19");
        QTest::newRow("directory removed")
            << QStringLiteral("rmdir") << qint64(0) << QStringLiteral("holds 0 bytes, not 19");
        QTest::newRow("truncated")
            << QStringLiteral("truncate") << qint64(9) << QStringLiteral("holds 9 bytes, not 19");
        QTest::newRow("written by another") << QStringLiteral("append") << qint64(19)
                                            << QStringLiteral("had 6 bytes this collector did not");
        QTest::newRow("untouched") << QString() << qint64(19) << QString();
    }
    void aMirrorChangedUnderTheCollectorIsMadeWhole() {
        QFETCH(QString, change);
        QFETCH(qint64, left);
        QFETCH(QString, notice);
#ifdef Q_OS_WIN
        if (left == 0)
            QSKIP("Windows refuses to remove a file that another handle holds open (QFile opens "
                  "without FILE_SHARE_DELETE): a mirror cannot vanish under a collector there");
#endif
        const QByteArray remote = "line one\nline two\nthird line\nthe fourth\n";
        QTemporaryDir dir;
        const QString host = dir.filePath(QStringLiteral("web01"));
        QVERIFY(QDir().mkpath(host));
        const QString path = QDir(host).filePath(QStringLiteral("s.jsonl"));
        const QString epoch = QStringLiteral("1-2-0");
        MirrorFile mirror(path);
        QCOMPARE(mirror.open(), QString());
        QCOMPARE(mirror.apply(epoch, 0, remote.left(19)).error, QString());
        QVERIFY(mirror.isOutputOpen());
        if (change == QLatin1String("remove")) {
            QVERIFY(QFile::remove(path));
        } else if (change == QLatin1String("rmdir")) {
            QVERIFY(QDir(host).removeRecursively());
        } else if (change == QLatin1String("truncate")) {
            QVERIFY(QFile::resize(path, 9));
        } else if (change == QLatin1String("append")) {
            QFile other(path);
            QVERIFY(other.open(QIODevice::Append));
            other.write("bogus\n");
        }
        QCOMPARE(mirror.closeIfChanged(), !change.isEmpty());
        QCOMPARE(mirror.isOutputOpen(), change.isEmpty());

        // The live stream goes on past the change.
        auto result = mirror.apply(epoch, 19, remote.mid(19, 11));
        QCOMPARE(result.error, QString());
        QVERIFY2(result.notice.contains(notice), qPrintable(result.notice));
        if (!notice.isEmpty())
            QVERIFY2(result.notice.contains(path), qPrintable(result.notice));
        QCOMPARE(readAll(path), remote.left(left == 19 ? 30 : left));
        if (left < 19) {
            QCOMPARE(int(result.outcome), int(MirrorFile::Result::Outcome::Held));
            QCOMPARE(mirror.missing(), std::make_optional(std::make_pair(left, qint64(19))));
            // The replay of what it lacks.
            result = mirror.apply(epoch, 0, remote.left(19));
            QCOMPARE(result.error, QString());
            QCOMPARE(result.written, 30 - left);
        }
        QCOMPARE(mirror.apply(epoch, 30, remote.mid(30)).error, QString());
        QCOMPARE(readAll(path), remote);
        QCOMPARE(mirror.size(), remote.size());
        // The epoch is still known beside it (a reopened mirror goes on).
        MirrorFile again(path);
        QCOMPARE(again.open(), QString());
        QCOMPARE(again.epoch(), epoch);
    }

    void heldBytesAreBounded() {
        QTemporaryDir dir;
        MirrorFile mirror(dir.filePath(QStringLiteral("s.jsonl")));
        QCOMPARE(mirror.open(), QString());
        const QByteArray big(MirrorFile::kMaxHeldBytes / 2, 'x');
        for (int i = 1; i <= 4; ++i)
            QCOMPARE(int(mirror.apply(QStringLiteral("1-1-0"), i * big.size(), big).outcome),
                     int(MirrorFile::Result::Outcome::Held));
        // Only what fits was kept: the rest comes again by replay.
        QCOMPARE(mirror.missing()->second, big.size());
    }

    // A collector of many live sessions keeps the most recently written
    // mirrors open, never more than it may: the least recently written is
    // closed, and writing to it again opens it where it ends.
    void openMirrorsStayWithinTheirCapacity() {
        QTemporaryDir dir;
        const QString epoch = QStringLiteral("1-2-0");
        std::vector<std::unique_ptr<MirrorFile>> files;
        for (int i = 0; i < 3; ++i) {
            files.push_back(
                std::make_unique<MirrorFile>(dir.filePath(QStringLiteral("s%1.jsonl").arg(i))));
            QCOMPARE(files.back()->open(), QString());
        }
        OpenMirrors open(2);
        const auto write = [&](int i, const QByteArray &line) {
            MirrorFile &f = *files[size_t(i)];
            QCOMPARE(f.apply(epoch, f.size(), line).error, QString());
            open.used(&f);
        };
#ifdef Q_OS_LINUX
        const auto descriptors = [] {
            return QDir(QStringLiteral("/proc/self/fd"))
                .entryList(QDir::Files | QDir::System)
                .size();
        };
        const qsizetype before = descriptors();
#endif
        write(0, "a1\n");
        write(1, "b1\n");
        write(2, "c1\n");
        QCOMPARE(open.openCount(), 2);
        QVERIFY(!files[0]->isOutputOpen()); // the least recently written
        QVERIFY(files[1]->isOutputOpen() && files[2]->isOutputOpen());
#ifdef Q_OS_LINUX
        QCOMPARE(descriptors(), before + 2);
#endif
        write(1, "b2\n"); // 1 is now the most recent: 2 goes next
        write(0, "a2\n");
        QVERIFY(files[0]->isOutputOpen() && files[1]->isOutputOpen());
        QVERIFY(!files[2]->isOutputOpen());
        write(2, "c2\n");
        QCOMPARE(open.openCount(), 2);
        QVERIFY(!files[1]->isOutputOpen());
        QCOMPARE(readAll(dir.filePath(QStringLiteral("s0.jsonl"))), QByteArray("a1\na2\n"));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("s1.jsonl"))), QByteArray("b1\nb2\n"));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("s2.jsonl"))), QByteArray("c1\nc2\n"));
        // A new epoch truncates the mirror and closes it: it leaves the set.
        QCOMPARE(files[0]->apply(QStringLiteral("1-2-1"), 0, "new\n").error, QString());
        open.used(files[0].get());
        QCOMPARE(readAll(dir.filePath(QStringLiteral("s0.jsonl"))), QByteArray("new\n"));
    }

    // What a process may afford: its open-file limit raised to the hard one
    // first (Debian's soft 1,024 would leave a collector of a thousand live
    // sessions opening a file per chunk).
    void openMirrorsDefaultCapacityUsesTheRaisedLimit() {
        const int capacity = OpenMirrors::defaultCapacity();
        QVERIFY(capacity >= 16 && capacity <= 4096);
#ifdef Q_OS_UNIX
        rlimit limit{};
        QCOMPARE(getrlimit(RLIMIT_NOFILE, &limit), 0);
        QCOMPARE(limit.rlim_cur, std::min<rlim_t>(limit.rlim_max, 1 << 20));
        QCOMPARE(qint64(capacity),
                 std::clamp<qint64>((qint64(limit.rlim_cur) - 256) / 2, 16, 4096));
#endif
    }

    // A full disk: a clear error naming the mirror, the mirror's size
    // unchanged (the chunk comes again by replay), and the next chunk tries
    // again instead of writing through a broken descriptor.
    void aFullDiskIsAnErrorNamingTheMirror() {
#ifndef Q_OS_LINUX
        QSKIP("/dev/full is Linux's");
#else
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.jsonl"));
        QVERIFY(QFile::link(QStringLiteral("/dev/full"), path));
        // Qt's append mode seeks to the end, which a device cannot do.
        const QRegularExpression seek(QStringLiteral("Cannot call seek on a sequential device"));
        QTest::ignoreMessage(QtWarningMsg, seek);
        MirrorFile mirror(path);
        QCOMPARE(mirror.open(), QString());
        for (int attempt = 0; attempt < 2; ++attempt) {
            QTest::ignoreMessage(QtWarningMsg, seek);
            const auto result = mirror.apply(QStringLiteral("1-2-0"), 0, "line\n");
            QCOMPARE(int(result.outcome), int(MirrorFile::Result::Outcome::Error));
            QVERIFY2(result.error.contains(path), qPrintable(result.error));
            QVERIFY2(result.error.contains(QLatin1String("No space left")),
                     qPrintable(result.error));
            QCOMPARE(mirror.size(), 0);
            QVERIFY(!mirror.isOutputOpen());
        }
#endif
    }

    // Whole lines only, exactly as in the file; a partial line waits.
    void chunkReaderTakesWholeLines() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a\r\nbb\nccc\npartial");
        f.close();
        auto chunk = SpoolChunkReader::read(path, std::nullopt, 0, 1024);
        QCOMPARE(chunk.error, QString());
        QCOMPARE(chunk.bytes, QByteArray("a\r\nbb\nccc\n"));
        chunk = SpoolChunkReader::read(path, std::nullopt, 3, 4);
        QCOMPARE(chunk.bytes, QByteArray("bb\n"));
        chunk = SpoolChunkReader::read(path, std::nullopt, 3, 1); // a line longer than the budget
        QCOMPARE(chunk.bytes, QByteArray("bb\n"));
        chunk = SpoolChunkReader::read(path, std::nullopt, 10, 1024);
        QCOMPARE(chunk.bytes, QByteArray());
        QVERIFY(chunk.ino != 0);
        QVERIFY(makeSymbolicLink(path, dir.filePath(QStringLiteral("link.jsonl"))));
#ifdef Q_OS_WIN
        if (!QFileInfo(dir.filePath(QStringLiteral("link.jsonl"))).isSymLink())
            QSKIP("wine made no reparse point for the link: the refusal is for real Windows");
#endif
        chunk = SpoolChunkReader::read(dir.filePath(QStringLiteral("link.jsonl")), std::nullopt, 0,
                                       1024);
        QVERIFY2(chunk.error.contains(QStringLiteral("symbolic link")), qPrintable(chunk.error));
    }

    // The agent's word that a wrapper died, kept beside a mirror: what is
    // not whole and sane is no word at all (the session stays as it is).
    void producerGoneMarkers_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("valid");
        QTest::newRow("whole") << QByteArray(
            "{\"v\":1,\"pid\":42,\"gone_ms\":1700000000000,\"end\":300,\"epoch\":\"1-2-0\"}")
                               << true;
        QTest::newRow("pid unknown") << QByteArray("{\"pid\":0,\"gone_ms\":5,\"end\":0}") << true;
        QTest::newRow("no time") << QByteArray("{\"pid\":42,\"end\":300}") << false;
        QTest::newRow("negative end")
            << QByteArray("{\"pid\":42,\"gone_ms\":5,\"end\":-1}") << false;
        QTest::newRow("text numbers")
            << QByteArray("{\"pid\":\"42\",\"gone_ms\":\"5\",\"end\":\"3\"}") << false;
        QTest::newRow("array") << QByteArray("[1,2,3]") << false;
        QTest::newRow("truncated") << QByteArray("{\"pid\":42,\"gone_ms\":5,\"e") << false;
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe{", 4) << false;
        QTest::newRow("empty") << QByteArray() << false;
    }
    void producerGoneMarkers() {
        QFETCH(QByteArray, json);
        QFETCH(bool, valid);
        const auto gone = ProducerGone::fromJson(json);
        QCOMPARE(bool(gone), valid);
        if (!gone)
            return;
        QTemporaryDir dir;
        const QString marker = ProducerGone::markerFor(dir.filePath(QStringLiteral("s.jsonl")));
        QCOMPARE(marker, dir.filePath(QStringLiteral("s.jsonl.gone")));
        QVERIFY(gone->write(marker).isEmpty());
        const auto back = ProducerGone::read(marker);
        QVERIFY(back);
        QCOMPARE(back->toJson(), gone->toJson());
    }

    void offsetsSurviveARestart() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("offsets.json"));
        AgentOffsets offsets(path);
        QCOMPARE(offsets.load(), QString()); // none yet
        offsets.set(QStringLiteral("/spool/a.jsonl"), {QStringLiteral("1-2-0"), 952});
        QCOMPARE(offsets.save(), QString());
        AgentOffsets loaded(path);
        QCOMPARE(loaded.load(), QString());
        QCOMPARE(loaded.entries(), offsets.entries());
        QVERIFY(!QFile::exists(path + QLatin1String(".tmp")));
        QFile broken(path);
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{not json");
        broken.close();
        QVERIFY(loaded.load().contains(QStringLiteral("publishing everything again")));
    }
};

KW_TEST_GUILESS_MAIN(TestFleetProtocol)
#include "tst_fleetprotocol.moc"
