// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "bacula/baculacodes.h"
#include "bacula/baculajobcontrol.h"
#include "bacula/bconsoleoutput.h"
#include "brokeroptions.h"
#include "cancel/wrappercancel.h"
#include "cli.h"
#include "commands.h"
#include "fleet/mqttclient.h"
#include "fleet/remotecancel.h"
#include "fleet/remotecanceller.h"
#include "fleet/remotespools.h"
#include "protocol/sessionid.h"
#include "sources/sourceset.h"
#include "spool/spoollocation.h"
#include "store/sessionstore.h"
#ifdef KEEPWATCH_WITH_SYSTEMD
#include "systemd/systemdsource.h"
#include "systemd/unitcontrol.h"
#endif

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <optional>

namespace kw::cli {

namespace {

// --wait's answer: the final state, or that there was none in time.
int sayEnd(std::optional<SessionState> state, const QString &id, int waitSeconds) {
    if (!state)
        return fail(Failure, QStringLiteral("cancel: session %1 has not ended within %2 s")
                                 .arg(SessionId::quoted(id))
                                 .arg(waitSeconds));
    out(QByteArray(wireName(*state).latin1()) + '\n');
    return Ok;
}

#ifdef KEEPWATCH_WITH_SYSTEMD
// A systemd unit's run is cancelled through its manager, as the window does
// (UnitControl: SIGINT so restic and borg remove their locks, the unit
// stopped after the grace if the run still goes on). That takes an event
// loop and, unlike a wrapped session, someone who stays for the grace: this
// command, until the run ended (seen live by the systemd source, which says
// how in the tool's words) or the stop was answered.
int cancelUnitRun(const Session &session, int waitSeconds) {
    int argc = 1;
    char name[] = "keepwatch-cli";
    char *argv[] = {name, nullptr};
    const QCoreApplication app(argc, argv);
    const QString id = session.key.id;
    SystemdSourceOptions options;
    options.bus = session.key.source == SystemdSource::identity(SystemdSourceOptions::Bus::System)
                      ? SystemdSourceOptions::Bus::System
                      : SystemdSourceOptions::Bus::User;
    options.pastRunsDays = 0; // only this run, live
    SystemdSource source(options);
    SessionStore store;
    auto ended = [&]() -> std::optional<SessionState> {
        do {
            EventBatch batch;
            source.poll(batch);
            store.apply(batch);
        } while (source.hasPendingData());
        const int row = store.indexOf(session.key);
        if (row >= 0 && isTerminal(store.at(row).state))
            return store.at(row).state;
        return std::nullopt;
    };
    ended(); // watching before the signal

    UnitControl control;
    QEventLoop loop;
    bool refused = false;
    bool stopAnswered = false;
    QString message;
    QObject::connect(&control, &UnitControl::finished, &loop,
                     [&](UnitControl::Action action, const QString &, bool ok, const QString &m) {
                         message = m;
                         refused = refused || !ok;
                         stopAnswered = stopAnswered || action == UnitControl::Action::Stop;
                         if (!ok)
                             loop.quit();
                     });
    control.cancel(session.key.source, session.unit, id);
    std::optional<SessionState> end;
    QTimer tick;
    QElapsedTimer waited;
    waited.start();
    const qint64 stayMs =
        std::max<qint64>(qint64(waitSeconds) * 1000, UnitControl::kDefaultCancelGraceMs + 30000);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        end = ended();
        const bool waitedEnough = waitSeconds == 0 || waited.elapsed() >= waitSeconds * 1000;
        if (end || (stopAnswered && waitedEnough) || waited.elapsed() > stayMs)
            loop.quit();
    });
    tick.start(200);
    loop.exec();
    if (refused)
        return fail(Failure, QStringLiteral("cancel: ") + message);
    std::fprintf(stderr, "keepwatch-cli: cancel requested for session %s (%s)\n",
                 id.toLocal8Bit().constData(), session.unit.toLocal8Bit().constData());
    if (waitSeconds == 0)
        return Ok;
    return sayEnd(end, id, waitSeconds);
}
#endif

// Another host's session is cancelled by its agent, asked through the
// broker (docs/fleet.md, "Remote cancel"): the broker's PUBACK says whether
// this user may write commands, the agent's answer whether it ran.
int cancelRemote(const CommandLine &cl, const BrokerOptions &brokerOptions, const QString &host,
                 const QString &id, int expireSeconds, int waitSeconds) {
    MqttClient::Options clientOptions;
    if (const auto done = brokerOptions.read(cl, clientOptions))
        return *done;
    const auto app = makeApplication();
    MqttClient client(clientOptions);
    RemoteCanceller canceller(client);
    reportConnection(client); // a refused login ends the loop with Failure
    QString outcome;
    bool accepted = false;
    QObject::connect(
        &canceller, &RemoteCanceller::finished,
        [&](const QString &, const QString &, const QString &, bool ok, const QString &message) {
            accepted = ok;
            outcome = message;
            QCoreApplication::exit(ok ? Ok : Failure);
        });
    QObject::connect(&client, &MqttClient::connected,
                     [&] { canceller.cancel(host, id, expireSeconds); });
    // The broker itself may be out of reach: no longer than the request holds.
    QTimer::singleShot(expireSeconds * 1000 + 2000, [&] {
        if (outcome.isEmpty()) {
            outcome = QStringLiteral("cannot reach the broker %1 within %2 s")
                          .arg(clientOptions.broker.toString())
                          .arg(expireSeconds);
            QCoreApplication::exit(Failure);
        }
    });
    client.start();
    app->exec();
    client.stop();
    if (!accepted)
        return fail(Failure,
                    QStringLiteral("cancel: ")
                        + (outcome.isEmpty() ? QStringLiteral("refused by the broker") : outcome));
    std::fprintf(stderr, "keepwatch-cli: %s\n", outcome.toLocal8Bit().constData());
    if (waitSeconds == 0)
        return Ok;
    // The end arrives in this machine's mirror, where a collector (the window
    // or `collect`) writes it.
    const QString mirror = SpoolLocation::fileForSession(
        QDir(RemoteSpools::root(brokerOptions.stateDirectory(cl))).filePath(host), id);
    if (!QFileInfo::exists(mirror))
        return fail(Failure, QStringLiteral("cancel: cannot wait: %1 is not mirrored here (%2)")
                                 .arg(SessionId::quoted(id), mirror));
    return sayEnd(WrapperCancel::waitForEnd(mirror, id, waitSeconds * 1000), id, waitSeconds);
}

// A Bacula job is cancelled by its director (`cancel jobid=N yes`), which
// ends it in its own time: --wait asks the catalog how the job ended.
int cancelBaculaJob(const BaculaSourceOptions &director, const Session &session, int waitSeconds) {
    const QString id = session.key.id;
    BaculaJobControl control(director, BconsoleQueue::Mode::Blocking);
    bool accepted = false;
    qint64 jobId = 0;
    QString message;
    QObject::connect(&control, &BaculaJobControl::cancelFinished,
                     [&](const QString &, bool ok, qint64 cancelledId, const QString &said) {
                         accepted = ok;
                         jobId = cancelledId;
                         message = said;
                     });
    control.cancel(id);
    control.waitForAll();
    if (!accepted)
        return fail(Failure, QStringLiteral("cancel: ") + message);
    std::fprintf(stderr, "keepwatch-cli: %s\n", message.toLocal8Bit().constData());
    if (waitSeconds == 0)
        return Ok;
    BconsoleQueue console(director.program(), BconsoleQueue::Mode::Blocking);
    const QString command = QStringLiteral("llist jobid=%1").arg(jobId);
    std::optional<SessionState> end;
    QElapsedTimer waited;
    waited.start();
    while (!end && waited.elapsed() < qint64(waitSeconds) * 1000) {
        console.enqueue(command, false, [&](const BconsoleQueue::Result &result) {
            if (!result.answer)
                return; // asked again: the director may be back
            for (const Bconsole::Job &job : Bconsole::catalogJobs(*result.answer).items) {
                const SessionState state =
                    BaculaCodes::stateOf(job.status, job.errors, false).state;
                if (job.jobId == jobId && isTerminal(state))
                    end = state;
            }
        });
        console.runAllNow();
        if (!end)
            QThread::msleep(500);
    }
    return sayEnd(end, id, waitSeconds);
}

} // namespace

int cancelCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption wait(QStringLiteral("wait"),
                                  QStringLiteral("Wait up to SECONDS for the session to end; "
                                                 "prints its final state."),
                                  QStringLiteral("SECONDS"));
    const QCommandLineOption source = sourceOption();
    const QCommandLineOption expire(
        QStringLiteral("expire"),
        QStringLiteral("Another host's session: how long the request holds (default %1 s); one "
                       "not run by then never runs.")
            .arg(RemoteCancel::kDefaultExpirySeconds),
        QStringLiteral("SECONDS"));
    const QCommandLineOption bacula = baculaOption();
    const BrokerOptions brokerOptions;
    cl.add(wait);
    cl.add(source);
    cl.add(expire);
    cl.add(bacula);
    brokerOptions.addTo(cl);
    if (const auto done = cl.parse(args))
        return *done;
    int waitSeconds = 0;
    if (cl.isSet(wait)) {
        bool ok = false;
        waitSeconds = cl.value(wait).toInt(&ok);
        if (!ok || waitSeconds < 0)
            return cl.usage(QStringLiteral("--wait takes seconds"));
    }
    int expireSeconds = RemoteCancel::kDefaultExpirySeconds;
    if (cl.isSet(expire)) {
        bool ok = false;
        expireSeconds = cl.value(expire).toInt(&ok);
        if (!ok || expireSeconds < 1 || expireSeconds > 3600)
            return cl.usage(QStringLiteral("--expire takes seconds (1 to 3600)"));
    }
    QString id;
    if (const auto done = cl.takeSessionId(id))
        return *done;
    const bool toBroker = brokerOptions.given(cl);
    // Named as another host's: its agent decides, whether it is mirrored
    // here or not.
    if (const QString host = RemoteSpools::hostOfIdentity(cl.value(source)); !host.isEmpty()) {
        if (!toBroker)
            return cl.usage(QStringLiteral("a remote session is cancelled through the broker: "
                                           "--broker URL"));
        return cancelRemote(cl, brokerOptions, host, id, expireSeconds, waitSeconds);
    }

    SourceSetConfig config = SourceSetConfig::load();
    config.discovery = false; // only wrapped sessions can be cancelled
    if (const auto wrong = addBaculaDirectors(cl, bacula, config))
        return cl.usage(*wrong);
    for (BaculaSourceOptions &director : config.baculaDirectors)
        director.snapshotLogs = 0; // which jobs there are, not what they said
    // Other hosts' sessions where the collector of this machine mirrors them.
    config.remoteDirectory = RemoteSpools::root(brokerOptions.stateDirectory(cl));
    const SourceSet sources(config);
    SessionStore store;
    QString error;
    if (!loadSessions(sources, store, error))
        return fail(Failure, error);
    const int row = findSession(store, sources, id, cl.value(source), error);
    if (row < 0)
        return fail(Failure, error);
    if (const QString host = RemoteSpools::hostOfIdentity(store.at(row).key.source);
        !host.isEmpty()) {
        if (!toBroker)
            return fail(Failure,
                        QStringLiteral("cancel: session %1 runs on %2: its agent cancels it, "
                                       "asked through the broker (add --broker URL and the "
                                       "credentials of a user the broker lets write commands; "
                                       "docs/fleet.md)")
                            .arg(SessionId::quoted(id), host));
        if (!isActive(store.at(row).state))
            return fail(Failure, QStringLiteral("cancel: session %1 has already ended (%2)")
                                     .arg(SessionId::quoted(id), wireName(store.at(row).state)));
        return cancelRemote(cl, brokerOptions, host, id, expireSeconds, waitSeconds);
    }
    for (const BaculaSourceOptions &director : std::as_const(config.baculaDirectors)) {
        if (store.at(row).key.source != QStringLiteral("bacula:") + director.name)
            continue;
        // Not refused on a state seen here: the director's own running
        // list decides.
        if (isTerminal(store.at(row).state))
            return fail(Failure, QStringLiteral("cancel: Bacula job %1 has already ended (%2)")
                                     .arg(SessionId::quoted(id), wireName(store.at(row).state)));
        return cancelBaculaJob(director, store.at(row), waitSeconds);
    }
#ifdef KEEPWATCH_WITH_SYSTEMD
    if (Session::isUnitRunSource(store.at(row).key.source)) {
        if (!isActive(store.at(row).state))
            return fail(Failure, QStringLiteral("cancel: the run %1 of %2 has already ended (%3)")
                                     .arg(SessionId::quoted(id), store.at(row).unit,
                                          wireName(store.at(row).state)));
        return cancelUnitRun(store.at(row), waitSeconds);
    }
#endif
    const QString file =
        SpoolLocation::fileForSession(sources.spoolDirectoryOf(store.at(row).key.source), id);
    if (const QString why = WrapperCancel::request(WrapperCancel::target(store, row, file));
        !why.isEmpty())
        return fail(Failure, QStringLiteral("cancel: ") + why);
    std::fprintf(stderr, "keepwatch-cli: cancel requested for session %s\n",
                 id.toLocal8Bit().constData());
    if (waitSeconds == 0)
        return Ok;
    // Follows the session's own file, not the whole spool.
    return sayEnd(WrapperCancel::waitForEnd(file, id, waitSeconds * 1000), id, waitSeconds);
}

} // namespace kw::cli
