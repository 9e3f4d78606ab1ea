// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/outputadapter.h"

#include <QDBusConnection>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <optional>

namespace kw {

class ToolProfile;

// One run of a systemd service unit, as the manager describes it on D-Bus
// (org.freedesktop.systemd1.Unit and .Service, org.freedesktop.systemd1(5)):
// the first piece of the systemd source (issue 15). Everything here is the
// manager's word about the unit, read by anybody on the system bus or by the
// user on their own bus, without privileges.
struct UnitRun {
    QString unit;         // "borgmatic.service"
    QString invocationId; // 32 lowercase hex digits: the run's session ID; empty between runs
    QString activeState;  // active, reloading, inactive, failed, activating, deactivating
    QString subState;     // running, exited, dead, failed, stop-sigterm, ...
    QString result;       // Service.Result: success, exit-code, signal, core-dump, timeout, ...
    // Service.ExecMainCode: 0 while the main process runs (or never ran),
    // else CLD_EXITED (1), CLD_KILLED (2) or CLD_DUMPED (3), and its status:
    // the exit code or the signal.
    int execMainCode = 0;
    int execMainStatus = 0;
    qint64 execMainPid = 0;
    // When the main process started and ended (µs since the epoch, 0 unknown).
    qint64 startedUs = 0;
    qint64 endedUs = 0;
    // Service.User: who the unit runs as (empty: the manager's user, root
    // for the system manager).
    QString user;
    // The command lines of ExecStart (usually one).
    QList<QStringList> execStart;
    // Seen being stopped (a stop job's SIGTERM while the main process ran):
    // its end is the user's cancel, not a failure. Only a follower of the
    // unit's changes (UnitFollower) sees it.
    bool stopRequested = false;

    // From the properties of both interfaces (GetAll), as QtDBus gives them.
    static UnitRun fromProperties(const QString &unit, const QVariantMap &unitProperties,
                                  const QVariantMap &serviceProperties);
    // Folds a PropertiesChanged of `interface` in. The manager forgets a
    // run once its unit has gone inactive (and unloads the unit): what a
    // follower folds in while it ran is all there is, so an invocation ID
    // is kept when the property empties.
    void apply(const QString &interface, const QVariantMap &changed);
    // Reads the unit's properties from its manager on `bus`. Empty
    // invocationId and `error` set when the unit is unknown or the bus fails.
    static UnitRun read(const QDBusConnection &bus, const QString &unit, QString *error = nullptr);

    // Whether the run has not ended yet.
    bool isRunning() const;
    // How the run ended, in the words and states of the tool `profile`
    // (restic's exit 3 and borg's 1 are warnings), or none while it runs.
    std::optional<Outcome> outcome(const ToolProfile &profile) const;
};

} // namespace kw
