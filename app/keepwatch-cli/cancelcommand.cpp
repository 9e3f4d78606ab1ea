// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cancel/wrappercancel.h"
#include "cli.h"
#include "commands.h"
#include "protocol/sessionid.h"
#include "sources/sourceset.h"
#include "spool/spoollocation.h"
#include "store/sessionstore.h"
#include "systemd/systemdsource.h"
#include "systemd/unitcontrol.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
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

} // namespace

int cancelCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption wait(QStringLiteral("wait"),
                                  QStringLiteral("Wait up to SECONDS for the session to end; "
                                                 "prints its final state."),
                                  QStringLiteral("SECONDS"));
    const QCommandLineOption source = sourceOption();
    cl.add(wait);
    cl.add(source);
    if (const auto done = cl.parse(args))
        return *done;
    int waitSeconds = 0;
    if (cl.isSet(wait)) {
        bool ok = false;
        waitSeconds = cl.value(wait).toInt(&ok);
        if (!ok || waitSeconds < 0)
            return cl.usage(QStringLiteral("--wait takes seconds"));
    }
    QString id;
    if (const auto done = cl.takeSessionId(id))
        return *done;

    SourceSetConfig config = SourceSetConfig::load();
    config.discovery = false; // only wrapped sessions can be cancelled
    const SourceSet sources(config);
    SessionStore store;
    QString error;
    if (!loadSessions(sources, store, error))
        return fail(Failure, error);
    const int row = findSession(store, sources, id, cl.value(source), error);
    if (row < 0)
        return fail(Failure, error);
    if (Session::isUnitRunSource(store.at(row).key.source)) {
        if (!isActive(store.at(row).state))
            return fail(Failure, QStringLiteral("cancel: the run %1 of %2 has already ended (%3)")
                                     .arg(SessionId::quoted(id), store.at(row).unit,
                                          wireName(store.at(row).state)));
        return cancelUnitRun(store.at(row), waitSeconds);
    }
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
