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
//
// Linux: /proc and kill(2) (processprobe_linux.cpp). Windows: process
// handles (OpenProcess with PROCESS_QUERY_LIMITED_INFORMATION, which the
// same user gets without privileges, also for its elevated processes),
// Toolhelp32 and a named event (processprobe_windows.cpp). The uids are
// UserAccounts' numbers: on Windows, numbers this process gives SIDs (see
// useraccounts.h), compared only with each other.
class ProcessProbe final {
public:
    enum class Liveness { Alive, Gone, Unknown };

    // When `pid` started, in this platform's unit; none when no such
    // process runs (zombies, and on Windows exited processes someone still
    // holds a handle to, count as ended).
    // - Linux: clock ticks since boot (/proc/PID/stat field 22).
    // - Windows: the creation FILETIME (GetProcessTimes) as one number:
    //   100 ns units since 1601-01-01 UTC. Absolute, so unique across boots.
    static std::optional<quint64> startTicks(qint64 pid);
    // This boot's id; empty when unknown.
    // - Linux: /proc/sys/kernel/random/boot_id.
    // - Windows: "windows-boot-N", N the boot sequence number the OS loader
    //   increments at every boot (KUSER_SHARED_DATA::BootId, Windows 10 and
    //   later; ntddk.h documents it). Not the boot time: now minus
    //   GetTickCount64 moves when the clock is set or adjusted, and a boot id
    //   that changes within a boot would declare live processes gone. Empty
    //   when the counter is 0 (wine); liveness() then decides by the pid
    //   and its creation time alone, which is enough there because that
    //   time is absolute.
    static QString bootId();
    // QSysInfo::machineHostName() (Windows: the DNS host name).
    static QString hostName();
    // Linux: the effective uid's name. Windows: GetUserNameW (the account
    // name without its domain, as UserAccounts::nameOf() gives it).
    static QString userName();

    // Is the process (pid, startTicks) of boot `bootId` still running here?
    // Unknown when this platform cannot tell (also when /proc hides another
    // user's process that the kernel says exists: hidepid; on Windows when
    // the process exists but may not be opened); callers then assume it
    // lives. Windows: Gone when OpenProcess says no such process, when the
    // process has exited, or when its creation time differs (the pid was
    // reused).
    static Liveness liveness(qint64 pid, quint64 startTicks, const QString &bootId);

    // The process's name and its argv; empty when there is no such process
    // or it cannot be read.
    // - Linux: /proc/PID/comm and /proc/PID/cmdline.
    // - Windows: the executable's file name as Toolhelp32 lists it
    //   ("keepwatch-cli.exe"), and the command line Windows keeps for the
    //   process split as the C runtime does (Win32::commandLine() says how
    //   it is read). Another user's command line needs privileges.
    static QString name(qint64 pid);
    static QStringList arguments(qint64 pid);
    // What name() says for a running keepwatch-cli: "keepwatch-cli", or
    // "keepwatch-cli.exe" on Windows.
    static QString wrapperName();
    // Sends `pid` the wrapper's cancel request (docs/event-protocol.md,
    // "Cancelling"). An error message, empty when it was sent.
    // - Linux: SIGUSR1.
    // - Windows: sets the named event the wrapper waits on
    //   (cancelchannel.h's cancelEventName: "Local\keepwatch-cancel-PID",
    //   in the wrapper's logon session's namespace).
    static QString sendCancelRequest(qint64 pid);
    // The user `pid` runs as; none when it cannot be seen.
    // - Linux: the owner of /proc/PID (its effective uid).
    // - Windows: its token's user SID (TokenUser) as UserAccounts' number;
    //   none when the token cannot be opened (another user's process).
    static std::optional<uint> ownerUid(qint64 pid);
    // The owner of a file (a link's own owner, not its target's); none when
    // it is missing or cannot be read.
    // - Linux: lstat.
    // - Windows: the owner SID of the file's security descriptor, opened
    //   with FILE_FLAG_OPEN_REPARSE_POINT. A file an elevated administrator
    //   made is owned by BUILTIN\Administrators, not by the user: then it
    //   is not "the user's" here, which refuses rather than trusts.
    static std::optional<uint> fileOwnerUid(const QString &path);
    // The systemd service `pid` runs in ("restic-backup.service"), from its
    // control group (/proc/PID/cgroup); empty outside a service, and always
    // on Windows.
    static QString systemdUnit(qint64 pid);
};

} // namespace kw
