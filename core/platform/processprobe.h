// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace kw {

// Facts about local processes, used to tell a live producer from a dead one.
// A pid alone is not an identity (pids are reused); a pid with its start time
// and the boot it belongs to is.
class ProcessProbe final {
public:
    enum class Liveness { Alive, Gone, Unknown };

    // Start time of `pid` in clock ticks since boot (/proc/PID/stat field 22);
    // none when no such process runs (zombies count as ended).
    static std::optional<quint64> startTicks(qint64 pid);
    // This boot's id (/proc/sys/kernel/random/boot_id); empty when unknown.
    static QString bootId();
    static QString hostName();
    static QString userName();

    // Is the process (pid, startTicks) of boot `bootId` still running here?
    // Unknown when this platform cannot tell (also when /proc hides another
    // user's process that the kernel says exists: hidepid); callers then
    // assume it lives.
    static Liveness liveness(qint64 pid, quint64 startTicks, const QString &bootId);

    // The process's name (/proc/PID/comm) and its argv (/proc/PID/cmdline);
    // empty when there is no such process or it cannot be read.
    static QString name(qint64 pid);
    static QStringList arguments(qint64 pid);
    // Sends `pid` the wrapper's cancel request (SIGUSR1; docs/event-protocol.md,
    // "Cancelling"). An error message, empty when it was sent.
    static QString sendCancelRequest(qint64 pid);
    // The user `pid` runs as (the owner of /proc/PID: its effective uid);
    // none when it cannot be seen.
    static std::optional<uint> ownerUid(qint64 pid);
    // The owner of a file (lstat: a link's own owner); none when it is missing.
    static std::optional<uint> fileOwnerUid(const QString &path);
    // The systemd service `pid` runs in ("restic-backup.service"), from its
    // control group (/proc/PID/cgroup); empty outside a service.
    static QString systemdUnit(qint64 pid);
};

} // namespace kw
