// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/unitrun.h"

#include "systemd/systemdbus.h"
#include "tools/toolprofile.h"

#include <QDBusArgument>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <csignal>

namespace kw {

using namespace SystemdBus;

namespace {

// CLD_* of waitid(2), as the manager reports them.
constexpr int kExited = 1;
constexpr int kKilled = 2;
constexpr int kDumped = 3;

// ExecStart is a(sasbttttuii): path, argv, ignore-failure, then times, pid
// and status of its last run; only argv is kept.
QList<QStringList> execStartOf(const QVariant &value) {
    QList<QStringList> commands;
    if (!value.canConvert<QDBusArgument>())
        return commands;
    const QDBusArgument arg = value.value<QDBusArgument>();
    arg.beginArray();
    while (!arg.atEnd()) {
        QString path;
        QStringList argv;
        bool ignoreFailure = false;
        quint64 t1 = 0, t2 = 0, t3 = 0, t4 = 0;
        quint32 pid = 0;
        qint32 code = 0, status = 0;
        arg.beginStructure();
        arg >> path >> argv >> ignoreFailure >> t1 >> t2 >> t3 >> t4 >> pid >> code >> status;
        arg.endStructure();
        commands << argv;
    }
    arg.endArray();
    return commands;
}

QVariantMap getAll(const QDBusConnection &bus, const QString &path, const QString &interface,
                   QString *error) {
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, path, kProperties, QStringLiteral("GetAll"));
    call << interface;
    const QDBusReply<QVariantMap> reply = bus.call(call);
    if (!reply.isValid()) {
        if (error)
            *error = reply.error().message();
        return {};
    }
    return reply.value();
}

// Unit-level results that are not the main process's doing.
QString resultInWords(const QString &result) {
    if (result == QLatin1String("timeout"))
        return QStringLiteral("timed out (the unit's timeout stopped it)");
    if (result == QLatin1String("oom-kill"))
        return QStringLiteral("killed by the out-of-memory killer");
    if (result == QLatin1String("watchdog"))
        return QStringLiteral("stopped by the watchdog");
    if (result == QLatin1String("start-limit-hit"))
        return QStringLiteral("not started: started too often (start limit hit)");
    if (result == QLatin1String("resources"))
        return QStringLiteral("not started: its resources could not be set up");
    if (result == QLatin1String("exec-condition") || result == QLatin1String("condition"))
        return QStringLiteral("not started: a condition failed");
    return {};
}

} // namespace

UnitRun UnitRun::fromProperties(const QString &unit, const QVariantMap &unitProperties,
                                const QVariantMap &serviceProperties) {
    UnitRun run;
    run.unit = unit;
    // In the order the manager sends its changes: Service, then Unit.
    run.apply(kServiceInterface, serviceProperties);
    run.apply(kUnitInterface, unitProperties);
    return run;
}

void UnitRun::apply(const QString &interface, const QVariantMap &changed) {
    if (interface == kUnitInterface) {
        bool newRun = false;
        if (const auto it = changed.constFind(QStringLiteral("InvocationID"));
            it != changed.cend()) {
            const QByteArray id = it->toByteArray();
            if (id.size() == 16 && id != QByteArray(16, '\0')) {
                const QString hex = QString::fromLatin1(id.toHex());
                if (hex != invocationId) {
                    // A new run. The manager sends a unit's Service changes
                    // before its Unit changes, so the main process's fields
                    // are already the new run's (a short run may even have
                    // ended): only the Unit's state and a stop start over.
                    invocationId = hex;
                    activeState.clear();
                    subState.clear();
                    stopRequested = false;
                    newRun = true;
                }
            }
        }
        if (const auto it = changed.constFind(QStringLiteral("ActiveState")); it != changed.cend())
            activeState = it->toString();
        // The manager gives a run its ID as it starts it, in a signal that
        // may still carry the last run's "failed" or "inactive": with no
        // end of the main process yet, the new run is starting.
        if (newRun && execMainCode == 0
            && (activeState.isEmpty() || activeState == QLatin1String("failed")
                || activeState == QLatin1String("inactive"))) {
            activeState = QStringLiteral("activating");
            subState = QStringLiteral("start");
        }
        if (const auto it = changed.constFind(QStringLiteral("SubState")); it != changed.cend()) {
            subState = it->toString();
            // SIGTERM (or SIGKILL after the timeout) from a stop job, while
            // the main process still ran: somebody stopped the unit.
            if (execMainCode == 0
                && (subState == QLatin1String("stop-sigterm")
                    || subState == QLatin1String("stop-sigkill")))
                stopRequested = true;
        }
    } else if (interface == kServiceInterface) {
        if (const auto it = changed.constFind(QStringLiteral("Result")); it != changed.cend())
            result = it->toString();
        if (const auto it = changed.constFind(QStringLiteral("ExecMainCode")); it != changed.cend())
            execMainCode = it->toInt();
        if (const auto it = changed.constFind(QStringLiteral("ExecMainStatus"));
            it != changed.cend())
            execMainStatus = it->toInt();
        if (const auto it = changed.constFind(QStringLiteral("ExecMainPID"));
            it != changed.cend() && it->toLongLong() > 0)
            execMainPid = it->toLongLong();
        if (const auto it = changed.constFind(QStringLiteral("ExecStart")); it != changed.cend())
            execStart = execStartOf(*it);
        if (const auto it = changed.constFind(QStringLiteral("ExecMainStartTimestamp"));
            it != changed.cend() && it->toLongLong() > 0)
            startedUs = it->toLongLong();
        if (const auto it = changed.constFind(QStringLiteral("ExecMainExitTimestamp"));
            it != changed.cend() && it->toLongLong() > 0)
            endedUs = it->toLongLong();
        if (const auto it = changed.constFind(QStringLiteral("User")); it != changed.cend())
            user = it->toString();
    }
}

UnitRun UnitRun::read(const QDBusConnection &bus, const QString &unit, QString *error) {
    // LoadUnit, not GetUnit: a unit file that is not loaded yet still has
    // an answer (inactive) instead of an error.
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kManagerPath, kManagerInterface,
                                                       QStringLiteral("LoadUnit"));
    call << unit;
    const QDBusReply<QDBusObjectPath> path = bus.call(call);
    if (!path.isValid()) {
        if (error)
            *error = path.error().message();
        UnitRun none;
        none.unit = unit;
        return none;
    }
    const QVariantMap unitProperties = getAll(bus, path.value().path(), kUnitInterface, error);
    const QVariantMap serviceProperties =
        getAll(bus, path.value().path(), kServiceInterface, error);
    return fromProperties(unit, unitProperties, serviceProperties);
}

bool UnitRun::isRunning() const {
    // A service with RemainAfterExit stays "active" after its process
    // exited: the main process's code says it ended.
    if (execMainCode != 0)
        return false;
    return activeState == QLatin1String("active") || activeState == QLatin1String("activating")
           || activeState == QLatin1String("reloading")
           || activeState == QLatin1String("deactivating");
}

std::optional<Outcome> UnitRun::outcome(const ToolProfile &profile) const {
    if (isRunning())
        return std::nullopt;
    if (const QString words = resultInWords(result); !words.isEmpty()) {
        // The manager's doing (timeout, watchdog, out of memory, never
        // started): a failure whatever the tool would have said.
        Outcome o;
        o.state = SessionState::Failed;
        o.summary = words;
        if (execMainCode == kKilled || execMainCode == kDumped)
            o.summary += QStringLiteral(", %1").arg(profile.meaning(std::nullopt, execMainStatus));
        return o;
    }
    ExitStatus status;
    if (execMainCode == kExited)
        status.exitCode = execMainStatus;
    else if (execMainCode == kKilled || execMainCode == kDumped)
        status.signal = execMainStatus;
    else if (activeState == QLatin1String("failed"))
        return Outcome{SessionState::Failed, QStringLiteral("failed (%1)").arg(result)};
    else
        return std::nullopt; // never ran: nothing to tell
    // A stop job sends SIGTERM (KillSignal=): the user's cancel, as when
    // `keepwatch-cli cancel` asks a wrapper.
    status.cancelRequested = stopRequested;
    Outcome o = profile.outcome(status);
    if (execMainCode == kDumped)
        o.summary += QStringLiteral(" (core dumped)");
    return o;
}

} // namespace kw
