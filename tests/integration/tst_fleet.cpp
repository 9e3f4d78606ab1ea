// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/hostpresence.h"
#include "fleet/remotecancel.h"
#include "mosquittobroker.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>

using namespace kw::test;

namespace {

constexpr int kConvergeMs = 20000;

QByteArray readAll(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Why the mirror directory is not a byte-identical copy of every session
// file of the spool, or empty.
QString mirrorDifference(const QString &spool, const QString &mirror) {
    const QStringList files =
        QDir(spool).entryList({QStringLiteral("*.jsonl")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return QStringLiteral("no session in %1").arg(spool);
    for (const QString &name : files) {
        const QByteArray original = readAll(QDir(spool).filePath(name));
        const QByteArray copy = readAll(QDir(mirror).filePath(name));
        if (original != copy)
            return QStringLiteral("%1: %2 bytes in the spool, %3 in the mirror%4")
                .arg(name)
                .arg(original.size())
                .arg(copy.size())
                .arg(copy.size() <= original.size() && original.startsWith(copy)
                         ? QStringLiteral(" (a prefix)")
                         : QStringLiteral(" (different bytes)"));
    }
    const QStringList mirrored =
        QDir(mirror).entryList({QStringLiteral("*.jsonl")}, QDir::Files, QDir::Name);
    if (mirrored != files)
        return QStringLiteral("the mirror has other sessions: %1").arg(mirrored.join(u' '));
    return {};
}

void signalAndWait(QProcess &process, int signal) {
    if (process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(process.processId()), signal);
    if (!process.waitForFinished(5000 * timeoutScale())) {
        process.kill();
        process.waitForFinished();
    }
}

// Waits for `process` to write `text` on stderr; `said` collects what it wrote.
bool waitForSaying(QProcess &process, const char *text, QByteArray &said, int timeoutMs = 5000) {
    return waitFor(
        [&] {
            said += process.readAllStandardError();
            return said.contains(text);
        },
        timeoutMs);
}

} // namespace

// Many hosts through a real Mosquitto (docs/fleet.md): real agents and a
// real collector (keepwatch-cli agent/collect) around real `keepwatch-cli
// run` sessions, on a broker this test starts on loopback with its own
// configuration, and kills.
class TestFleet final : public QObject {
    Q_OBJECT

    std::unique_ptr<MosquittoBroker> m_broker;
    std::vector<std::unique_ptr<QProcess>> m_processes;
    QTemporaryDir m_work;

    QString workPath(const QString &name) const {
        const QString path = m_work.filePath(name);
        QDir().mkpath(path);
        return path;
    }

    void startBroker(bool persistence = true, int maxQueuedMessages = 100000) {
        m_broker = std::make_unique<MosquittoBroker>();
        // Not in docs/fleet.md's setup: a desktop that may read, not ask for replays.
        m_broker->addAcl("user desk-live-only\ntopic read  keepwatch/v1/#\n");
        // The mirror of a desk whose admins cancel under their own user: with
        // use_username_as_clientid one user is one connection (docs/fleet.md).
        m_broker->addAcl("user desk-mirror\ntopic read  keepwatch/v1/#\n"
                         "topic write keepwatch/v1/+/cmd/replay\n");
        QString error;
        for (const char *user : {"web01", "db01", "web02", "desk-admin", "desk-viewer",
                                 "desk-live-only", "desk-mirror"})
            QVERIFY2(m_broker->addUser(QString::fromLatin1(user), password(user), &error),
                     qPrintable(error));
        QVERIFY2(m_broker->start(&error, persistence, maxQueuedMessages), qPrintable(error));
    }

    static QString password(const char *user) {
        return QStringLiteral("secret-of-") + QString::fromLatin1(user);
    }

    QProcess *startCli(const QStringList &args, const QString &spool = {}) {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!spool.isEmpty())
            env.insert(QStringLiteral("KEEPWATCH_SPOOL"), spool);
        process->setProcessEnvironment(env);
        process->start(cliPath(), args);
        m_processes.push_back(std::move(process));
        return m_processes.back().get();
    }

    QStringList credentials(const char *user, const QString &secret = {}) const {
        const QString name = QString::fromLatin1(user);
        return {QStringLiteral("--broker"),
                m_broker->url(),
                QStringLiteral("--username"),
                name,
                QStringLiteral("--password-file"),
                m_broker->passwordFile(name, secret.isEmpty() ? password(user) : secret)};
    }

    QProcess *startAgent(const char *host, const QString &spool, const QString &state) {
        return startCli(QStringList{QStringLiteral("agent"), QStringLiteral("--host"),
                                    QString::fromLatin1(host), QStringLiteral("--state-dir"), state}
                            + credentials(host),
                        spool);
    }

    QProcess *startCancellingAgent(const char *host, const QString &spool, const QString &state) {
        return startCli(QStringList{QStringLiteral("agent"), QStringLiteral("--host"),
                                    QString::fromLatin1(host), QStringLiteral("--state-dir"), state,
                                    QStringLiteral("--allow-remote-cancel")}
                            + credentials(host),
                        spool);
    }

    // `keepwatch-cli cancel ARGS` as the desktop user `user`, on a machine
    // whose mirrors are under `state` (--state-dir).
    CliResult cancelAs(const char *user, const QStringList &args, const QString &state) {
        QProcess cancel;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), workPath(QStringLiteral("cancel-xdg")));
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), workPath(QStringLiteral("empty-spool")));
        cancel.setProcessEnvironment(env);
        cancel.start(cliPath(), QStringList{QStringLiteral("cancel")} + args + credentials(user)
                                    + QStringList{QStringLiteral("--state-dir"), state});
        CliResult result;
        if (!cancel.waitForFinished(60000 * timeoutScale())) {
            cancel.kill();
            cancel.waitForFinished();
        }
        result.exitCode = cancel.exitCode();
        result.exitStatus = cancel.exitStatus();
        result.out = cancel.readAllStandardOutput();
        result.err = cancel.readAllStandardError();
        return result;
    }

    QProcess *startCollector(const QString &state, const char *user = "desk-admin") {
        return startCli(QStringList{QStringLiteral("collect"), QStringLiteral("--state-dir"), state}
                        + credentials(user));
    }

    static bool runSession(const QString &spool, const QString &script) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), spool);
        return runProgram(cliPath(),
                          {QStringLiteral("run"), QStringLiteral("--"), QStringLiteral("sh"),
                           QStringLiteral("-c"), script},
                          env, nullptr, 60000);
    }

    QProcess *startSession(const QString &spool, const QString &script) {
        return startCli({QStringLiteral("run"), QStringLiteral("--"), QStringLiteral("sh"),
                         QStringLiteral("-c"), script},
                        spool);
    }

    // `keepwatch-cli list --json` with the state directory under `xdg` and
    // an empty spool of its own.
    QJsonArray listSessions(const QString &xdg) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), xdg);
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), workPath(QStringLiteral("empty-spool")));
        QProcess list;
        list.setProcessEnvironment(env);
        list.start(cliPath(), {QStringLiteral("list"), QStringLiteral("--json")});
        if (!list.waitForFinished(30000))
            return {};
        const QByteArray out = list.readAllStandardOutput();
        const QJsonDocument doc = QJsonDocument::fromJson(out);
        if (!doc.isArray())
            qWarning("list --json wrote %s", out.constData());
        return doc.array();
    }

    // Waits for the mirror to equal the spool; fails with the difference.
    void waitForMirror(const QString &spool, const QString &mirror) {
        QString difference;
        const bool same = waitFor(
            [&] {
                difference = mirrorDifference(spool, mirror);
                return difference.isEmpty();
            },
            kConvergeMs);
        QVERIFY2(same, qPrintable(difference + QStringLiteral("\nbroker log:\n")
                                  + QString::fromLocal8Bit(m_broker->log().right(2000))));
    }

private Q_SLOTS:
    void initTestCase() {
        const QString reason = MosquittoBroker::unavailableReason();
        if (!reason.isEmpty())
            QSKIP(qPrintable(reason));
        QVERIFY(m_work.isValid());
    }

    void cleanup() {
        for (auto &process : m_processes)
            signalAndWait(*process, SIGKILL);
        m_processes.clear();
        m_broker.reset();
    }

    // Two agents, one collector: every session of both hosts (finished
    // before the agents started, and live) mirrored byte for byte under
    // its host; presence online, and offline after a clean stop.
    void twoAgentsMirrorTheirSpools() {
        startBroker();
        const QString web = workPath(QStringLiteral("happy/web01-spool"));
        const QString db = workPath(QStringLiteral("happy/db01-spool"));
        // The collector's state where `list` looks by default.
        const QString xdg = workPath(QStringLiteral("happy/xdg"));
        const QString desk = workPath(QStringLiteral("happy/xdg/keepwatch"));
        QVERIFY(
            runSession(web, QStringLiteral("for i in $(seq 1 300); do echo web line $i; done")));
        QVERIFY(runSession(db, QStringLiteral("echo db backup; echo done >&2; exit 3")) == false);

        QProcess *collector = startCollector(desk);
        QProcess *webAgent = startAgent("web01", web, workPath(QStringLiteral("happy/web01")));
        QProcess *dbAgent = startAgent("db01", db, workPath(QStringLiteral("happy/db01")));
        QProcess *live = startSession(
            web, QStringLiteral("for i in $(seq 1 100); do echo live $i; sleep 0.01; done"));
        QVERIFY(live->waitForFinished(30000));

        waitForMirror(web, desk + QStringLiteral("/remote/web01"));
        waitForMirror(db, desk + QStringLiteral("/remote/db01"));

        // `list` reads the mirrors like any spool: each session under its
        // host, the source remote:<host>, the outcome as on the host.
        const QJsonArray listed = listSessions(xdg);
        QMap<QString, int> perSource;
        for (const QJsonValue &v : listed) {
            const QJsonObject o = v.toObject();
            const QString source = o.value(QLatin1String("source")).toString();
            ++perSource[source];
            QCOMPARE(o.value(QLatin1String("host")).toString(), source.mid(7));
            if (source == QLatin1String("remote:db01"))
                QCOMPARE(o.value(QLatin1String("state")).toString(), QStringLiteral("failed"));
        }
        QCOMPARE(perSource.value(QStringLiteral("remote:web01")), 2);
        QCOMPARE(perSource.value(QStringLiteral("remote:db01")), 1);
        QCOMPARE(perSource.size(), 2);

        // From a line written to a spool to the same line in the mirror.
        const QString sessionFile = QDir(web).filePath(QStringLiteral("latency.jsonl"));
        const QString mirrorFile = desk + QStringLiteral("/remote/web01/latency.jsonl");
        QList<qint64> latencies;
        for (int i = 0; i < 20; ++i) {
            QFile f(sessionFile);
            QVERIFY(f.open(QIODevice::Append));
            const QByteArray line = "{\"v\":1,\"ts\":\"2026-12-03T04:00:00.000Z\",\"session\":"
                                    "\"latency\",\"type\":\"log\",\"msg\":\"ping "
                                    + QByteArray::number(i) + "\"}\n";
            QElapsedTimer timer;
            timer.start();
            f.write(line);
            f.close();
            const qint64 want = QFileInfo(sessionFile).size();
            QVERIFY(waitFor([&] { return QFileInfo(mirrorFile).size() == want; }, 5000));
            latencies << timer.elapsed();
        }
        std::sort(latencies.begin(), latencies.end());
        qInfo("spool line -> mirror through the broker: median %lld ms, max %lld ms (20 lines; "
              "the agent hears of each write through inotify)",
              latencies[latencies.size() / 2], latencies.last());
        // Not the fallback look every 2 s: inotify woke the agent.
        QVERIFY2(latencies[latencies.size() / 2] < 1000 * timeoutScale(),
                 qPrintable(QString::number(latencies[latencies.size() / 2])));
        QCOMPARE(readAll(mirrorFile), readAll(sessionFile));

        // Each host's presence beside its mirrors, for the window's Hosts view.
        const QString remote = desk + QStringLiteral("/remote");
        const auto web01 = kw::HostPresenceFile::read(remote, QStringLiteral("web01"), nullptr);
        QVERIFY(web01 && web01->online && web01->sinceMs > 0 && web01->lastSeenMs > 0);
        QCOMPARE(web01->agentVersion, QStringLiteral(KEEPWATCH_VERSION));

        // A clean stop says offline itself (a clean DISCONNECT drops the will).
        signalAndWait(*webAgent, SIGTERM);
        QCOMPARE(webAgent->exitStatus(), QProcess::NormalExit);
        QCOMPARE(webAgent->exitCode(), 0);
        QByteArray said;
        QVERIFY(waitForSaying(*collector, "host web01 is offline", said));
        QVERIFY2(said.contains("host web01 is online") && said.contains("host db01 is online"),
                 said.constData());
        QVERIFY2(!said.contains("warning"), said.constData());
        QVERIFY(waitFor(
            [&] {
                const auto p = kw::HostPresenceFile::read(remote, QStringLiteral("web01"), nullptr);
                return p && !p->online && p->sinceMs >= web01->sinceMs;
            },
            5000));
        signalAndWait(*dbAgent, SIGTERM);
        signalAndWait(*collector, SIGTERM);
        QCOMPARE(collector->exitCode(), 0);
    }

    // A wrapper killed on its host (SIGKILL: no end event) ends
    // `interrupted` on the desktop as it would on the host, once its agent
    // finds it gone: not running for ever. The mirror stays byte-identical
    // (the agent's word is kept beside it); a wrapper that ends as it
    // should is never called gone.
    void aWrapperKilledOnItsHostEndsInterrupted() {
        startBroker();
        const QString spool = workPath(QStringLiteral("killed/spool"));
        const QString xdg = workPath(QStringLiteral("killed/xdg"));
        const QString desk = workPath(QStringLiteral("killed/xdg/keepwatch"));
        startCollector(desk);
        QProcess *agent = startAgent("web01", spool, workPath(QStringLiteral("killed/agent")));
        QByteArray said;
        QVERIFY(waitForSaying(*agent, "connected", said));
        QVERIFY(runSession(spool, QStringLiteral("echo fine")));
        QProcess *wrapper =
            startCli({QStringLiteral("run"), QStringLiteral("--session-id"),
                      QStringLiteral("victim"), QStringLiteral("--"), QStringLiteral("sh"),
                      QStringLiteral("-c"), QStringLiteral("echo started; exec sleep 30")},
                     spool);
        const auto listedState = [&](const QString &id, QJsonObject *session = nullptr) {
            for (const QJsonValue &v : listSessions(xdg)) {
                if (v.toObject().value(QLatin1String("id")).toString() == id) {
                    if (session)
                        *session = v.toObject();
                    return v.toObject().value(QLatin1String("state")).toString();
                }
            }
            return QString();
        };
        QVERIFY(waitFor(
            [&] { return listedState(QStringLiteral("victim")) == QLatin1String("running"); },
            10000));
        // Still running a moment later: the agent checks every 2 s.
        QTest::qWait(4500);
        QCOMPARE(listedState(QStringLiteral("victim")), QStringLiteral("running"));
        QJsonObject victim;
        listedState(QStringLiteral("victim"), &victim);
        const qint64 commandPid = victim.value(QLatin1String("pid")).toInteger();
        QVERIFY(commandPid > 0);

        ::kill(pid_t(wrapper->processId()), SIGKILL);
        QVERIFY(wrapper->waitForFinished(5000));
        QVERIFY(waitFor(
            [&] {
                return listedState(QStringLiteral("victim"), &victim)
                       == QLatin1String("interrupted");
            },
            15000));
        ::kill(pid_t(commandPid), SIGKILL); // the orphaned command
        QVERIFY2(victim.value(QLatin1String("summary"))
                     .toString()
                     .contains(QLatin1String("on web01 ended without writing an end event")),
                 qPrintable(victim.value(QLatin1String("summary")).toString()));
        QCOMPARE(victim.value(QLatin1String("host")).toString(), QStringLiteral("web01"));
        waitForMirror(spool, desk + QStringLiteral("/remote/web01"));
        // The session that ended as it should is not touched.
        const QJsonArray listed = listSessions(xdg);
        QCOMPARE(listed.size(), 2);
        for (const QJsonValue &v : listed) {
            if (v.toObject().value(QLatin1String("id")).toString() != QLatin1String("victim"))
                QCOMPARE(v.toObject().value(QLatin1String("state")).toString(),
                         QStringLiteral("succeeded"));
        }
        QStringList markers = QDir(desk + QStringLiteral("/remote/web01"))
                                  .entryList({QStringLiteral("*.gone")}, QDir::Files);
        QCOMPARE(markers, QStringList{QStringLiteral("victim.jsonl.gone")});
    }

    // Presence (docs/fleet.md, "Hosts"): an agent killed is offline after
    // its will's delay (5 s: a flap is no alarm), not at once; an agent
    // that dies while the broker is down leaves no will, and its retained
    // online status, kept in the broker's store across the restart, runs
    // out: offline then too, for the collector that was there and for one
    // that comes later.
    void presenceFollowsTheAgents() {
        startBroker(true);
        const QString spool = workPath(QStringLiteral("presence/spool"));
        const QString desk = workPath(QStringLiteral("presence/desk"));
        const auto agentArgs = [&](const QStringList &more) {
            return QStringList{QStringLiteral("agent"), QStringLiteral("--host"),
                               QStringLiteral("web01"), QStringLiteral("--state-dir"),
                               workPath(QStringLiteral("presence/agent"))}
                   + more + credentials("web01");
        };
        QProcess *collector = startCollector(desk);
        QProcess *agent = startCli(agentArgs({}), spool);
        QByteArray said;
        QVERIFY(waitForSaying(*collector, "host web01 is online", said));
        QElapsedTimer sinceKill;
        sinceKill.start();
        signalAndWait(*agent, SIGKILL);
        said.clear();
        QVERIFY(waitForSaying(*collector, "host web01 is offline", said, 15000));
        qInfo("killed agent offline after %lld ms (will delay 5 s)", sinceKill.elapsed());
        QVERIFY2(sinceKill.elapsed() >= 4500, qPrintable(QString::number(sinceKill.elapsed())));

        // The broker restarted (with its store) while the agent was dead: it
        // may have no will to send (the agent died while it was down), and
        // keeps the retained `online` until its Message Expiry. Said here as
        // such an agent last said it, with a short expiry.
        QByteArray output;
        QVERIFY2(runProgram(QStringLiteral("mosquitto_pub"),
                            {QStringLiteral("-h"),
                             QStringLiteral("127.0.0.1"),
                             QStringLiteral("-p"),
                             QString::number(m_broker->port()),
                             QStringLiteral("-u"),
                             QStringLiteral("web01"),
                             QStringLiteral("-P"),
                             password("web01"),
                             QStringLiteral("-V"),
                             QStringLiteral("mqttv5"),
                             QStringLiteral("-q"),
                             QStringLiteral("1"),
                             QStringLiteral("-r"),
                             QStringLiteral("-t"),
                             QStringLiteral("keepwatch/v1/web01/status"),
                             QStringLiteral("-D"),
                             QStringLiteral("publish"),
                             QStringLiteral("message-expiry-interval"),
                             QStringLiteral("3"),
                             QStringLiteral("-m"),
                             QStringLiteral("{\"v\":1,\"host\":\"web01\",\"status\":"
                                            "\"online\",\"expiry_s\":3}")},
                            QProcessEnvironment::systemEnvironment(), &output, 10000),
                 output.constData());
        said.clear();
        QVERIFY(waitForSaying(*collector, "host web01 is online", said));
        m_broker->stop(SIGTERM); // a clean stop: its store keeps the retained status
        QString error;
        QVERIFY2(m_broker->start(&error, true), qPrintable(error));
        QElapsedTimer sinceOnline;
        sinceOnline.start();
        QVERIFY(waitForSaying(*collector, "host web01 is offline", said, 15000));
        QVERIFY2(said.contains("said nothing more before its online status ran out"),
                 said.constData());
        qInfo("a status that ran out: offline %lld ms after the restart (expiry 3 s)",
              sinceOnline.elapsed());
        // A collector that first connects now hears no `online` either.
        const QString later = workPath(QStringLiteral("presence/later"));
        QProcess *late = startCollector(later);
        QVERIFY(waitForSaying(*late, "collecting from", said));
        QTest::qWait(1000);
        const auto presence = kw::HostPresenceFile::read(later + QStringLiteral("/remote"),
                                                         QStringLiteral("web01"), nullptr);
        QVERIFY(!presence || !presence->online);
    }

    // The broker crashes (SIGKILL) in the middle of a stream and comes back
    // on the same port, with its store or without; then the agent crashes
    // and the collector is restarted: the mirror still ends byte-identical,
    // no line lost, none doubled.
    void brokerKilledMidStream_data() {
        QTest::addColumn<bool>("persistence");
        QTest::newRow("persistence") << true;
        QTest::newRow("no persistence") << false;
    }
    void brokerKilledMidStream() {
        QFETCH(bool, persistence);
        startBroker(persistence);
        const QString tag = QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-');
        const QString spool = workPath(tag + QStringLiteral("/spool"));
        const QString agentState = workPath(tag + QStringLiteral("/agent"));
        const QString desk = workPath(tag + QStringLiteral("/desk"));
        const QString mirror = desk + QStringLiteral("/remote/web01");
        QProcess *collector = startCollector(desk);
        QProcess *agent = startAgent("web01", spool, agentState);
        QProcess *producer = startSession(
            spool, QStringLiteral("i=0; while [ $i -lt 4000 ]; do echo \"line $i of the stream\"; "
                                  "i=$((i+1)); [ $((i % 200)) -eq 0 ] && sleep 0.1; done; true"));
        QVERIFY(waitFor([&] { return QDir(mirror).entryList(QDir::Files).size() > 0; }, 10000));

        m_broker->stop(SIGKILL);
        QTest::qWait(300);
        QString error;
        QVERIFY2(m_broker->start(&error, persistence), qPrintable(error));
        QTest::qWait(500);
        signalAndWait(*agent, SIGKILL); // between publishing and committing, likely
        agent = startAgent("web01", spool, agentState);
        signalAndWait(*collector, SIGTERM);
        collector = startCollector(desk);

        QVERIFY(producer->waitForFinished(30000));
        waitForMirror(spool, mirror);
        const QByteArray copy = readAll(
            QDir(mirror).entryList({QStringLiteral("*.jsonl")}).isEmpty()
                ? QString()
                : QDir(mirror).filePath(QDir(mirror).entryList({QStringLiteral("*.jsonl")})[0]));
        // Each line once (the start event's command line quotes the script
        // with a backslash before the quote, so it is not counted).
        QCOMPARE(copy.count("of the stream\""), 4000);
        Q_UNUSED(agent);
    }

    // The collector is away while a host writes 100,000 lines (21 MB, 80
    // chunks), and the broker keeps only 50 messages for it: what the
    // broker dropped comes back through the retained end offsets and
    // replays.
    void anOfflineCollectorCatchesUpByReplay() {
        startBroker(true, 50);
        const QString spool = workPath(QStringLiteral("offline/spool"));
        const QString agentState = workPath(QStringLiteral("offline/agent"));
        const QString desk = workPath(QStringLiteral("offline/desk"));
        QProcess *collector = startCollector(desk);
        QByteArray said;
        QVERIFY(waitForSaying(*collector, "collecting from", said));
        QTest::qWait(200); // subscribed: the broker keeps its session from now on
        signalAndWait(*collector, SIGTERM);

        QFile big(QDir(spool).filePath(QStringLiteral("big.jsonl")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        const QByteArray path = " /srv/data/photos/2024/holidays/IMG_" + QByteArray(60, 'x');
        for (int i = 0; i < 100000; ++i)
            big.write("{\"v\":1,\"ts\":\"2026-12-03T04:00:00.000Z\",\"session\":\"big\","
                      "\"type\":\"log\",\"msg\":\"line "
                      + QByteArray::number(i) + " while the desktop was away:" + path + "\"}\n");
        big.close();
        QVERIFY(runSession(spool, QStringLiteral("echo and a wrapped one")));
        const qint64 size = big.size();
        QProcess *agent = startAgent("web01", spool, agentState);
        // Everything committed: the broker acknowledged every chunk.
        const QString offsets = agentState + QStringLiteral("/agent/web01.offsets.json");
        QVERIFY(waitFor(
            [&] {
                const QJsonObject files = QJsonDocument::fromJson(readAll(offsets)).object();
                return files.value(big.fileName())
                           .toObject()
                           .value(QLatin1String("offset"))
                           .toInteger()
                       == size;
            },
            10000));

        collector = startCollector(desk);
        waitForMirror(spool, desk + QStringLiteral("/remote/web01"));
        QVERIFY2(m_broker->log().contains("dropped"), m_broker->log().right(2000).constData());
        Q_UNUSED(agent);
    }

    // A viewer's desktop (reads everything, may cancel nothing) that first
    // connects after a host's backup ended still mirrors all of it: it may
    // ask for replays (docs/fleet.md's ACL), which the retained state shows
    // it needs. Before the ACL let it, its mirror stayed empty for good.
    void aViewerConnectingLateGetsEverythingByReplay_data() {
        QTest::addColumn<QByteArray>("user");
        QTest::addColumn<bool>("mayReplay");
        QTest::newRow("viewer") << QByteArray("desk-viewer") << true;
        QTest::newRow("a desktop that may not ask") << QByteArray("desk-live-only") << false;
    }
    void aViewerConnectingLateGetsEverythingByReplay() {
        QFETCH(QByteArray, user);
        QFETCH(bool, mayReplay);
        startBroker();
        const QString spool = workPath(QStringLiteral("late/spool"));
        const QString desk = workPath(QStringLiteral("late/desk"));
        QProcess *agent = startAgent("web01", spool, workPath(QStringLiteral("late/agent")));
        QByteArray said;
        QVERIFY(waitForSaying(*agent, "connected", said));
        QVERIFY(runSession(spool, QStringLiteral("for i in $(seq 1 2000); do echo \"line $i\"; "
                                                 "done")));
        QTest::qWait(300); // published, before any desktop subscribed
        QProcess *viewer = startCollector(desk, user.constData());
        if (mayReplay) {
            waitForMirror(spool, desk + QStringLiteral("/remote/web01"));
            QVERIFY(!viewer->readAllStandardError().contains("refuses"));
            return;
        }
        // Nothing comes, and the collector says why and what to change.
        said.clear();
        QVERIFY(waitForSaying(*viewer, "refuses this desktop's replay requests", said));
        QVERIFY2(said.contains("let its user write keepwatch/v1/+/cmd/replay"), said.constData());
    }

    // A collector that stays connected but stops reading (stopped, or too
    // slow) while the broker may queue only 10 messages for it: the broker
    // drops chunks *and* the states that would tell of them, and no
    // reconnect brings the retained states again. The agent says each
    // recently written file's end again (--state-heal), and the mirror
    // converges all the same.
    void aCollectorWhoseQueueOverflowedLiveConverges() {
        startBroker(false, 10);
        const QString spool = workPath(QStringLiteral("overflow/spool"));
        const QString desk = workPath(QStringLiteral("overflow/desk"));
        QProcess *collector = startCollector(desk);
        QByteArray said;
        QVERIFY(waitForSaying(*collector, "collecting from", said));
        QProcess *agent = startCli(
            QStringList{QStringLiteral("agent"), QStringLiteral("--host"), QStringLiteral("web01"),
                        QStringLiteral("--state-dir"), workPath(QStringLiteral("overflow/agent")),
                        QStringLiteral("--state-heal"), QStringLiteral("2")}
                + credentials("web01"),
            spool);
        QVERIFY(waitForSaying(*agent, "connected", said));
        ::kill(pid_t(collector->processId()), SIGSTOP);
        // More messages than the collector's Receive Maximum (1000) lets
        // into its socket plus the 10 the broker may queue: 500 sessions
        // written three times, each write a chunk.
        for (int round = 0; round < 3; ++round) {
            for (int i = 0; i < 500; ++i) {
                QFile f(QDir(spool).filePath(QStringLiteral("s%1.jsonl").arg(i)));
                QVERIFY(f.open(QIODevice::Append));
                f.write("{\"v\":1,\"ts\":\"2026-12-03T04:00:00.000Z\",\"session\":\"s"
                        + QByteArray::number(i) + "\",\"type\":\"log\",\"msg\":\"round "
                        + QByteArray::number(round) + "\"}\n");
            }
            QTest::qWait(300); // each round its own chunks
        }
        QTest::qWait(1500); // the last chunks and states queued, and dropped
        ::kill(pid_t(collector->processId()), SIGCONT);
        waitForMirror(spool, desk + QStringLiteral("/remote/web01"));
        QVERIFY2(m_broker->log().contains("dropped"), m_broker->log().right(2000).constData());
    }

    // A spool file truncated and written again is a new file (a new
    // epoch): the mirror starts it again, and an agent restarted after that
    // goes on in the new file, not at the old one's offset.
    void aTruncatedFileStartsANewEpoch() {
        startBroker();
        const QString spool = workPath(QStringLiteral("truncated/spool"));
        const QString agentState = workPath(QStringLiteral("truncated/agent"));
        const QString desk = workPath(QStringLiteral("truncated/desk"));
        const QString mirror = desk + QStringLiteral("/remote/web01");
        const auto write = [&](QIODevice::OpenMode mode, int from, int to) {
            QFile f(QDir(spool).filePath(QStringLiteral("t.jsonl")));
            QVERIFY(f.open(QIODevice::WriteOnly | mode));
            for (int i = from; i < to; ++i)
                f.write("{\"v\":1,\"ts\":\"2026-12-03T04:00:00.000Z\",\"session\":\"t\","
                        "\"type\":\"log\",\"msg\":\"line "
                        + QByteArray::number(i) + "\"}\n");
        };
        write(QIODevice::Truncate, 0, 300);
        startCollector(desk);
        QProcess *agent = startAgent("web01", spool, agentState);
        waitForMirror(spool, mirror);
        write(QIODevice::Truncate, 1000, 1010); // shorter: truncated
        waitForMirror(spool, mirror);
        write(QIODevice::Truncate, 0, 0); // emptied: nothing to acknowledge in it
        waitForMirror(spool, mirror);
        QTest::qWait(300); // the agent's commit of the new epoch
        signalAndWait(*agent, SIGTERM);
        write(QIODevice::Append, 2000, 2400); // longer than the first file now
        startAgent("web01", spool, agentState);
        waitForMirror(spool, mirror);
    }

    // A growing file is held open between reads (an fstat and a pread per
    // chunk, not an open); one replaced under its name is still a new file
    // (a new epoch, mirrored from its start), and one removed is let go:
    // the agent keeps no deleted file's space on the disk.
    void aHeldFileReplacedOrRemovedIsLetGo() {
        startBroker();
        const QString spool = workPath(QStringLiteral("held/spool"));
        const QString desk = workPath(QStringLiteral("held/desk"));
        const QString mirror = desk + QStringLiteral("/remote/web01");
        const QString path = QDir(spool).filePath(QStringLiteral("h.jsonl"));
        const auto write = [](const QString &file, QIODevice::OpenMode mode, int from, int to,
                              const char *what) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly | mode));
            for (int i = from; i < to; ++i)
                f.write("{\"v\":1,\"ts\":\"2026-12-05T04:00:00.000Z\",\"session\":\"h\","
                        "\"type\":\"log\",\"msg\":\""
                        + QByteArray(what) + ' ' + QByteArray::number(i) + "\"}\n");
        };
        write(path, QIODevice::Truncate, 0, 300, "first");
        startCollector(desk);
        QProcess *agent = startAgent("web01", spool, workPath(QStringLiteral("held/agent")));
        waitForMirror(spool, mirror);
        for (int round = 0; round < 5; ++round) { // live: appended while watched
            write(path, QIODevice::Append, 300 + round * 10, 310 + round * 10, "first");
            waitForMirror(spool, mirror);
        }
#ifdef Q_OS_LINUX
        // What the agent holds open, by /proc (its descriptors' targets).
        const auto heldByAgent = [&] {
            QStringList targets;
            const QDir fds(QStringLiteral("/proc/%1/fd").arg(agent->processId()));
            for (const QString &fd :
                 fds.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
                std::error_code error;
                const auto target =
                    std::filesystem::read_symlink(fds.filePath(fd).toStdString(), error);
                if (!error)
                    targets << QString::fromStdString(target.string());
            }
            return targets;
        };
        QVERIFY2(heldByAgent().contains(path), qPrintable(heldByAgent().join(u' ')));
#endif
        // Replaced: another file renamed over the name, shorter and with
        // other bytes; the mirror becomes that file.
        const QString replacement = QDir(spool).filePath(QStringLiteral("h.new"));
        write(replacement, QIODevice::Truncate, 0, 50, "second");
        QVERIFY(std::rename(replacement.toLocal8Bit().constData(), path.toLocal8Bit().constData())
                == 0);
        waitForMirror(spool, mirror);
        write(path, QIODevice::Append, 50, 60, "second");
        waitForMirror(spool, mirror);
#ifdef Q_OS_LINUX
        QVERIFY2(heldByAgent().filter(path).filter(QStringLiteral("(deleted)")).isEmpty(),
                 qPrintable(heldByAgent().join(u' ')));
        // Removed (retention): let go at the agent's next look (every 2 s).
        QVERIFY(QFile::remove(path));
        QVERIFY2(waitFor([&] { return !heldByAgent().join(u' ').contains(path); }, 10000),
                 qPrintable(heldByAgent().join(u' ')));
#endif
        QCOMPARE(agent->state(), QProcess::Running);
    }

    // A mirror removed by hand under a running collector while its session
    // goes on comes back whole (its chunks do not go on into the deleted
    // file), and the collector says what happened.
    void aMirrorRemovedUnderTheCollectorComesBackWhole() {
        startBroker();
        const QString spool = workPath(QStringLiteral("unlinked/spool"));
        const QString desk = workPath(QStringLiteral("unlinked/desk"));
        const QString mirror = desk + QStringLiteral("/remote/web01");
        const auto append = [&](int from, int to) {
            QFile f(QDir(spool).filePath(QStringLiteral("u.jsonl")));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
            for (int i = from; i < to; ++i)
                f.write("{\"v\":1,\"ts\":\"2026-12-05T04:00:00.000Z\",\"session\":\"u\","
                        "\"type\":\"log\",\"msg\":\"line "
                        + QByteArray::number(i) + "\"}\n");
        };
        append(0, 200);
        QProcess *collector = startCollector(desk);
        startAgent("web01", spool, workPath(QStringLiteral("unlinked/agent")));
        waitForMirror(spool, mirror);
        QVERIFY(QFile::remove(QDir(mirror).filePath(QStringLiteral("u.jsonl"))));
        QTest::qWait(2500); // the collector's look (every 2 s) finds it gone
        append(200, 220);
        waitForMirror(spool, mirror);
        QByteArray said;
        QVERIFY(waitForSaying(*collector, "removed or truncated under the collector", said));
        QVERIFY2(said.contains("u.jsonl holds 0 bytes"), said.constData());
    }

    // A host that says in its payloads it is another host is still the
    // host its topic (and the broker's ACL) says; writing under another
    // host's name is refused by the broker and never reaches the mirrors.
    void theHostIsTheTopics() {
        startBroker();
        const QString xdg = workPath(QStringLiteral("claims/xdg"));
        const QString desk = workPath(QStringLiteral("claims/xdg/keepwatch"));
        QProcess *collector = startCollector(desk);
        const QByteArray line = "{\"v\":1,\"ts\":\"2026-12-03T04:00:00.000Z\",\"session\":\"s1\","
                                "\"type\":\"start\",\"host\":\"web01\",\"tool\":\"restic\"}\n";
        const QString payloadFile = m_work.filePath(QStringLiteral("claims/chunk"));
        QFile f(payloadFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(line);
        f.close();
        const auto publish = [&](const QString &topic, const QStringList &extra) {
            QByteArray output;
            const bool ok = runProgram(
                QStringLiteral("mosquitto_pub"),
                QStringList{QStringLiteral("-p"), QString::number(m_broker->port()),
                            QStringLiteral("-u"), QStringLiteral("web02"), QStringLiteral("-P"),
                            password("web02"), QStringLiteral("-V"), QStringLiteral("mqttv5"),
                            QStringLiteral("-q"), QStringLiteral("1"), QStringLiteral("-t"), topic}
                    + extra,
                QProcessEnvironment::systemEnvironment(), &output, 10000);
            QVERIFY2(ok, output.constData());
        };
        const QStringList chunk{QStringLiteral("-D"),
                                QStringLiteral("publish"),
                                QStringLiteral("user-property"),
                                QStringLiteral("kw-epoch"),
                                QStringLiteral("7-7-0"),
                                QStringLiteral("-D"),
                                QStringLiteral("publish"),
                                QStringLiteral("user-property"),
                                QStringLiteral("kw-offset"),
                                QStringLiteral("0"),
                                QStringLiteral("-f"),
                                payloadFile};
        publish(QStringLiteral("keepwatch/v1/web02/status"),
                {QStringLiteral("-r"), QStringLiteral("-m"),
                 QStringLiteral("{\"v\":1,\"status\":\"online\",\"host\":\"web01\"}")});
        // The retained status reached the collector: it is subscribed to
        // the events too (it subscribes to them first).
        QByteArray said;
        QVERIFY(waitForSaying(*collector, "claims host 'web01'", said));
        publish(QStringLiteral("keepwatch/v1/web02/sessions/s1/events"), chunk);
        publish(QStringLiteral("keepwatch/v1/web01/sessions/s2/events"), chunk); // not web02's

        const QString mirrored = desk + QStringLiteral("/remote/web02/s1.jsonl");
        QVERIFY(waitFor([&] { return readAll(mirrored) == line; }, 5000));
        QVERIFY2(said.contains("keepwatch/v1/web02/status"), said.constData());
        QTest::qWait(300);
        QVERIFY(!QFileInfo::exists(desk + QStringLiteral("/remote/web01")));

        // Untrusted input is named and dropped; the collector goes on.
        publish(QStringLiteral("keepwatch/v1/web02/sessions/s3/events"),
                {QStringLiteral("-m"), QStringLiteral("no offset\n")});
        publish(QStringLiteral("keepwatch/v1/web02/sessions/s4/events"),
                QStringList{QStringLiteral("-D"), QStringLiteral("publish"),
                            QStringLiteral("user-property"), QStringLiteral("kw-offset"),
                            QStringLiteral("9223372036854775807")}
                    + chunk.mid(0, 5) + chunk.mid(10));
        publish(QStringLiteral("keepwatch/v1/web02/sessions/..%2Fetc/events"), chunk);
        publish(QStringLiteral("keepwatch/v1/web02/sessions/s5/state"),
                {QStringLiteral("-m"), QStringLiteral("[not a state")});
        QVERIFY(waitForSaying(*collector, "sessions/s5/state: not a session state", said));
        QVERIFY2(said.contains("sessions/s3/events: no valid kw-epoch"), said.constData());
        QVERIFY2(said.contains("sessions/s4/events: no valid kw-offset"), said.constData());
        QVERIFY2(said.contains("starts with '.'") || said.contains("'..'"), said.constData());
        QCOMPARE(QDir(desk + QStringLiteral("/remote/web02"))
                     .entryList({QStringLiteral("*.jsonl")}, QDir::Files),
                 QStringList{QStringLiteral("s1.jsonl")});
        QCOMPARE(collector->state(), QProcess::Running);

        // The session is web02's, with a word in its log about the claim.
        const QJsonArray listed = listSessions(xdg);
        QCOMPARE(listed.size(), 1);
        const QJsonObject session = listed.first().toObject();
        QCOMPARE(session.value(QLatin1String("source")).toString(), QStringLiteral("remote:web02"));
        QCOMPARE(session.value(QLatin1String("host")).toString(), QStringLiteral("web02"));
        QCOMPARE(session.value(QLatin1String("warnings")).toInt(), 1);
    }

    // The real agent run as web02 but naming itself web01: the broker's
    // ACL refuses every publish (PUBACK 0x87), the agent says so with the
    // session and the reason, commits nothing, and no collector sees it.
    void anAgentUnderAnotherHostsNameIsRefused() {
        startBroker();
        const QString spool = workPath(QStringLiteral("impostor/spool"));
        const QString state = workPath(QStringLiteral("impostor/agent"));
        const QString desk = workPath(QStringLiteral("impostor/desk"));
        QVERIFY(runSession(spool, QStringLiteral("echo hello")));
        QProcess *collector = startCollector(desk);
        QProcess *agent =
            startCli(QStringList{QStringLiteral("agent"), QStringLiteral("--host"),
                                 QStringLiteral("web01"), QStringLiteral("--state-dir"), state}
                         + credentials("web02"),
                     spool);
        QByteArray said;
        QVERIFY2(waitForSaying(*agent, "the broker refused session", said), said.constData());
        QVERIFY2(said.contains("Not authorized (0x87)"), said.constData());
        // Known (its epoch is committed, 500 ms after it was first read), but
        // nothing past its start.
        QJsonObject files;
        QVERIFY(waitFor(
            [&] {
                files = QJsonDocument::fromJson(
                            readAll(state + QStringLiteral("/agent/web01.offsets.json")))
                            .object();
                return files.size() == 1;
            },
            5000));
        QTest::qWait(700); // a refused chunk would have been committed by now
        files =
            QJsonDocument::fromJson(readAll(state + QStringLiteral("/agent/web01.offsets.json")))
                .object();
        QCOMPARE(files.size(), 1);
        QCOMPARE(files.begin()->toObject().value(QLatin1String("offset")).toInteger(), 0);
        QVERIFY(!QFileInfo::exists(desk + QStringLiteral("/remote/web01")));
        QCOMPARE(collector->state(), QProcess::Running);
    }

    // Remote cancel (docs/fleet.md): a wrapped session on web01 is cancelled
    // from the admins' desktop only when web01's agent was started with
    // --allow-remote-cancel, never by a viewer's desktop (the broker's ACL),
    // and the agent's own checks still apply.
    void remoteCancelNeedsTheAgentAndTheBroker() {
        startBroker();
        const QString spool = workPath(QStringLiteral("cancel/spool"));
        const QString agentState = workPath(QStringLiteral("cancel/agent"));
        const QString desk = workPath(QStringLiteral("cancel/desk"));
        // Not desk-admin: each cancel below logs in as desk-admin, and the
        // broker would hand it the collector's connection (it did, under TSan:
        // the collector took it back before the agent's answer came).
        QProcess *collector = startCollector(desk, "desk-mirror");
        QProcess *agent = startAgent("web01", spool, agentState);
        QProcess *sleeper = startCli({QStringLiteral("run"), QStringLiteral("--session-id"),
                                      QStringLiteral("sleeper"), QStringLiteral("--"),
                                      QStringLiteral("sleep"), QStringLiteral("60")},
                                     spool);
        const QString mirror = desk + QStringLiteral("/remote/web01/sleeper.jsonl");
        QVERIFY(waitFor([&] { return readAll(mirror).contains("\"type\":\"start\""); }, 10000));

        // Without the agent's consent nobody takes the request: said at once
        // (the broker's "no matching subscribers").
        CliResult result = cancelAs("desk-admin", {QStringLiteral("sleeper")}, desk);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("no agent of web01 takes cancels"), result.err.constData());
        QCOMPARE(sleeper->state(), QProcess::Running);

        signalAndWait(*agent, SIGTERM);
        agent = startCancellingAgent("web01", spool, agentState);
        QByteArray said;
        QVERIFY2(waitForSaying(*agent, "connected", said), said.constData());
        // The status tells desktops before they ask.
        QVERIFY(waitFor(
            [&] {
                const auto p = kw::HostPresenceFile::read(desk + QStringLiteral("/remote"),
                                                          QStringLiteral("web01"), nullptr);
                return p && p->online && p->remoteCancel;
            },
            5000));

        // A viewer's desktop may read, not command: the broker refuses.
        result = cancelAs("desk-viewer", {QStringLiteral("sleeper")}, desk);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("the broker refused") && result.err.contains("0x87"),
                 result.err.constData());
        // A session the agent does not publish is refused by the agent.
        result = cancelAs(
            "desk-admin",
            {QStringLiteral("nosuch"), QStringLiteral("--source"), QStringLiteral("remote:web01")},
            desk);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("web01 publishes no session 'nosuch'"),
                 result.err.constData());
        QCOMPARE(sleeper->state(), QProcess::Running);

        // The admins' desktop: the wrapper is asked, the session ends
        // cancelled, and --wait sees it in this machine's mirror.
        result = cancelAs(
            "desk-admin",
            {QStringLiteral("sleeper"), QStringLiteral("--wait"), QStringLiteral("20")}, desk);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY2(result.err.contains("asked the wrapper of session"), result.err.constData());
        QCOMPARE(result.out, QByteArray("cancelled\n"));
        QVERIFY(sleeper->waitForFinished(10000));
        QVERIFY2(waitForSaying(*agent, "asked the wrapper of session", said), said.constData());
        QVERIFY2(said.count("asked the wrapper of session") == 1, said.constData());
        // An ended session is not asked again.
        result = cancelAs("desk-admin", {QStringLiteral("sleeper")}, desk);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("has already ended"), result.err.constData());
        QCOMPARE(collector->state(), QProcess::Running);
    }

    // A cancel that could not run in time never runs later: not when the
    // broker held it for an agent that was away (Message Expiry), not when
    // it sat unread in a stopped agent's socket (the request's own expiry).
    // The same request delivered twice runs once.
    void anExpiredCancelNeverFiresARepeatedOneRunsOnce() {
        startBroker();
        const QString spool = workPath(QStringLiteral("expiry/spool"));
        const QString agentState = workPath(QStringLiteral("expiry/agent"));
        const QString desk = workPath(QStringLiteral("expiry/desk"));
        QProcess *agent = startCancellingAgent("web01", spool, agentState);
        QByteArray said;
        QVERIFY2(waitForSaying(*agent, "connected", said), said.constData());
        // A command that says each SIGTERM it gets and goes on (the wrapper
        // escalates only after its grace).
        QProcess *stubborn = startCli({QStringLiteral("run"), QStringLiteral("--session-id"),
                                       QStringLiteral("stubborn"), QStringLiteral("--cancel-grace"),
                                       QStringLiteral("3"), QStringLiteral("--"),
                                       QStringLiteral("sh"), QStringLiteral("-c"),
                                       QStringLiteral("trap 'echo got TERM' TERM; echo ready; "
                                                      "while :; do sleep 0.1; done")},
                                      spool);
        const QString file = spool + QStringLiteral("/stubborn.jsonl");
        constexpr const char *kGotTerm = "\"msg\":\"got TERM\""; // the log line, not the command
        QVERIFY(waitFor([&] { return readAll(file).contains("ready"); }, 10000));

        // Stopped: the request waits in its socket past its expiry.
        ::kill(pid_t(agent->processId()), SIGSTOP);
        CliResult result = cancelAs("desk-admin",
                                    {QStringLiteral("stubborn"), QStringLiteral("--source"),
                                     QStringLiteral("remote:web01"), QStringLiteral("--expire"),
                                     QStringLiteral("1")},
                                    desk);
        ::kill(pid_t(agent->processId()), SIGCONT);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("did not answer within 1 s"), result.err.constData());
        QVERIFY2(waitForSaying(*agent, "expired at", said), said.constData());
        QTest::qWait(500);
        said += agent->readAllStandardError();
        QVERIFY2(!readAll(file).contains(kGotTerm), said.constData());

        // Away (killed; its broker session keeps the request queued) longer
        // than the request holds: the broker drops it.
        signalAndWait(*agent, SIGKILL);
        result = cancelAs("desk-admin",
                          {QStringLiteral("stubborn"), QStringLiteral("--source"),
                           QStringLiteral("remote:web01"), QStringLiteral("--expire"),
                           QStringLiteral("1")},
                          desk);
        QCOMPARE(result.exitCode, 1);
        QTest::qWait(1000);
        agent = startCancellingAgent("web01", spool, agentState);
        said.clear();
        QVERIFY2(waitForSaying(*agent, "connected", said), said.constData());
        QTest::qWait(1500);
        said += agent->readAllStandardError();
        QVERIFY2(!said.contains("cancel request"), said.constData());
        QVERIFY2(!readAll(file).contains(kGotTerm), readAll(file).constData());

        // The same request twice (a QoS 1 redelivery, a resent click): the
        // wrapper is asked once, the answer given twice.
        const QByteArray request =
            kw::RemoteCancel::Request{QStringLiteral("repeat-1"), QStringLiteral("stubborn"),
                                      QDateTime::currentMSecsSinceEpoch() + 30000}
                .encode();
        for (int i = 0; i < 2; ++i) {
            QByteArray output;
            QVERIFY2(
                runProgram(QStringLiteral("mosquitto_pub"),
                           {QStringLiteral("-V"), QStringLiteral("5"), QStringLiteral("-p"),
                            QString::number(m_broker->port()), QStringLiteral("-h"),
                            QStringLiteral("127.0.0.1"), QStringLiteral("-u"),
                            QStringLiteral("desk-admin"), QStringLiteral("-P"),
                            password("desk-admin"), QStringLiteral("-q"), QStringLiteral("1"),
                            QStringLiteral("-t"), QStringLiteral("keepwatch/v1/web01/cmd/cancel"),
                            QStringLiteral("-m"), QString::fromUtf8(request)},
                           QProcessEnvironment::systemEnvironment(), &output),
                output.constData());
        }
        // Either order: the repeat may come while the first is still checked.
        QVERIFY2(waitForSaying(*agent, "asked the wrapper of session", said), said.constData());
        QVERIFY2(waitForSaying(*agent, "came again", said), said.constData());
        QCOMPARE(said.count("asked the wrapper of session"), 1);
        QVERIFY(stubborn->waitForFinished(15000 * timeoutScale()));
        QCOMPARE(readAll(file).count(kGotTerm), 1);
    }

    // Certificates made by packaging/fleet/keepwatch-fleet-certs.sh in `dir`.
    static bool makeCertificates(const QString &dir, const QStringList &clients) {
        QByteArray output;
        const bool made = runProgram(QStringLiteral(KEEPWATCH_FLEET_CERTS),
                                     QStringList{dir, QStringLiteral("127.0.0.1")} + clients,
                                     QProcessEnvironment::systemEnvironment(), &output);
        if (!made)
            qWarning("keepwatch-fleet-certs.sh: %s", output.constData());
        return made;
    }
    // --broker mqtts://… with the CA of `pki` and `client`'s certificate.
    QStringList tlsCredentials(const QString &pki, const QString &client,
                               const QString &caPki = {}) const {
        return {
            QStringLiteral("--broker"), m_broker->url(),
            QStringLiteral("--ca"),     (caPki.isEmpty() ? pki : caPki) + QStringLiteral("/ca.pem"),
            QStringLiteral("--cert"),   pki + QLatin1Char('/') + client + QStringLiteral(".pem"),
            QStringLiteral("--key"),    pki + QLatin1Char('/') + client + QStringLiteral(".key")};
    }

    // docs/fleet.md's production setup: TLS, a client certificate per host
    // and desktop, the certificate's CN as the identity the ACL checks
    // (use_identity_as_username), no passwords. Sessions arrive byte for
    // byte; a host's certificate cannot write under another host's name; a
    // broker signed by another CA is refused with OpenSSL's reason.
    void tlsWithAClientCertificatePerHost() {
        const QString pki = workPath(QStringLiteral("tls/pki"));
        QVERIFY(makeCertificates(pki, {QStringLiteral("web01"), QStringLiteral("desk-admin")}));
        m_broker = std::make_unique<MosquittoBroker>();
        m_broker->useTls(pki);
        QString error;
        QVERIFY2(m_broker->start(&error), qPrintable(error));
        QVERIFY(m_broker->url().startsWith(QLatin1String("mqtts://")));

        const QString spool = workPath(QStringLiteral("tls/web01-spool"));
        const QString desk = workPath(QStringLiteral("tls/desk"));
        QVERIFY(runSession(spool, QStringLiteral("for i in $(seq 1 200); do echo tls $i; done")));
        startCli(QStringList{QStringLiteral("collect"), QStringLiteral("--state-dir"), desk}
                 + tlsCredentials(pki, QStringLiteral("desk-admin")));
        QProcess *agent = startCli(
            QStringList{QStringLiteral("agent"), QStringLiteral("--host"), QStringLiteral("web01"),
                        QStringLiteral("--state-dir"), workPath(QStringLiteral("tls/web01"))}
                + tlsCredentials(pki, QStringLiteral("web01")),
            spool);
        waitForMirror(spool, desk + QStringLiteral("/remote/web01"));
        signalAndWait(*agent, SIGTERM);

        // web01's certificate naming itself web02: the broker's ACL goes by
        // the certificate, and refuses.
        QProcess *impostor = startCli(
            QStringList{QStringLiteral("agent"), QStringLiteral("--host"), QStringLiteral("web02"),
                        QStringLiteral("--state-dir"), workPath(QStringLiteral("tls/impostor"))}
                + tlsCredentials(pki, QStringLiteral("web01")),
            spool);
        QByteArray said;
        QVERIFY2(waitForSaying(*impostor, "the broker refused session", said), said.constData());
        QVERIFY2(said.contains("Not authorized (0x87)"), said.constData());
        QVERIFY(!QFileInfo::exists(desk + QStringLiteral("/remote/web02")));
        signalAndWait(*impostor, SIGKILL);

        // Trusting another CA: the broker's certificate fails verification,
        // said with OpenSSL's reason, and the agent keeps trying.
        const QString other = workPath(QStringLiteral("tls/other-pki"));
        QVERIFY(makeCertificates(other, {QStringLiteral("web01")}));
        QProcess *distrustful = startCli(
            QStringList{QStringLiteral("agent"), QStringLiteral("--host"), QStringLiteral("web01"),
                        QStringLiteral("--state-dir"), workPath(QStringLiteral("tls/distrust"))}
                + tlsCredentials(pki, QStringLiteral("web01"), other),
            spool);
        said.clear();
        QVERIFY2(waitForSaying(*distrustful, "certificate verify failed", said), said.constData());
        QCOMPARE(distrustful->state(), QProcess::Running);
    }

    // The TLS options are checked before anything connects.
    void tlsOptionsAreChecked_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("says");
        const QString pki = workPath(QStringLiteral("tls-options/pki"));
        QVERIFY(makeCertificates(pki, {QStringLiteral("web01")}));
        const QString cert = pki + QStringLiteral("/web01.pem");
        const QString key = pki + QStringLiteral("/web01.key");
        const QString tls = QStringLiteral("mqtts://127.0.0.1:1");
        QTest::newRow("cert on plain TCP")
            << QStringList{QStringLiteral("--broker"), QStringLiteral("mqtt://127.0.0.1:1"),
                           QStringLiteral("--cert"),   cert,
                           QStringLiteral("--key"),    key}
            << 2 << QStringLiteral("--cert needs a TLS broker (mqtts://)");
        QTest::newRow("cert without key")
            << QStringList{QStringLiteral("--broker"), tls, QStringLiteral("--cert"), cert} << 2
            << QStringLiteral("--cert and --key go together");
        QTest::newRow("missing key file")
            << QStringList{QStringLiteral("--broker"), tls,
                           QStringLiteral("--cert"),   cert,
                           QStringLiteral("--key"),    pki + QStringLiteral("/nope.key")}
            << 1 << QStringLiteral("cannot read the key file ") + pki + QStringLiteral("/nope.key");
    }
    void tlsOptionsAreChecked() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        QProcess *agent =
            startCli(QStringList{QStringLiteral("agent"), QStringLiteral("--host"),
                                 QStringLiteral("web01"), QStringLiteral("--state-dir"),
                                 workPath(QStringLiteral("tls-options/state"))}
                         + args,
                     workPath(QStringLiteral("tls-options/spool")));
        QVERIFY(agent->waitForFinished(10000 * timeoutScale()));
        QCOMPARE(agent->exitCode(), exitCode);
        const QByteArray err = agent->readAllStandardError();
        QVERIFY2(err.contains(says.toUtf8()), err.constData());
    }

    // A wrong password is a clear error and a non-zero exit, at once: no
    // retrying in a loop, no hang.
    void wrongPasswordIsRefused_data() {
        QTest::addColumn<QString>("command");
        QTest::newRow("agent") << QStringLiteral("agent");
        QTest::newRow("collect") << QStringLiteral("collect");
    }
    void wrongPasswordIsRefused() {
        QFETCH(QString, command);
        startBroker();
        QStringList args{command, QStringLiteral("--state-dir"),
                         workPath(QStringLiteral("refused/") + command)};
        if (command == QLatin1String("agent"))
            args << QStringLiteral("--host") << QStringLiteral("web01");
        args += credentials(command == QLatin1String("agent") ? "web01" : "desk-admin",
                            QStringLiteral("not-the-password"));
        QProcess *process = startCli(args, workPath(QStringLiteral("refused/spool")));
        QVERIFY(process->waitForFinished(10000 * timeoutScale()));
        QCOMPARE(process->exitStatus(), QProcess::NormalExit);
        QCOMPARE(process->exitCode(), 1);
        const QByteArray err = process->readAllStandardError();
        QVERIFY2(err.contains("refused the connection"), err.constData());
        QVERIFY2(!err.contains("not-the-password"), err.constData());
    }
};

KW_TEST_GUILESS_MAIN(TestFleet)
#include "tst_fleet.moc"
