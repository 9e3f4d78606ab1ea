// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>
#include <vector>

namespace kw {

// What discovery needs to know about one process. On Linux the fields of
// /proc/PID/stat; elsewhere the same meaning from the platform's own calls.
struct ProcStat {
    qint64 pid = 0;
    // The process's name: Linux's comm (field 2 without the parentheses; may
    // hold spaces and ')'); Windows' executable file name ("restic.exe").
    QByteArray comm;
    char state = '?';
    // The parent; 0 when it has ended (Windows does not re-parent orphans:
    // its table says 0 rather than a pid that may have been reused since).
    qint64 ppid = 0;
    quint64 flags = 0; // Linux's field 9 (PF_* flags); 0 elsewhere
    // When the process started, in the table's own unit (startTimeMs()
    // turns it into wall-clock time): Linux's field 22 (clock ticks since
    // boot); Windows' creation FILETIME (100 ns units since 1601-01-01 UTC).
    // With the pid, it names one process: pids are reused.
    quint64 startTicks = 0;

    // Kernel threads have no command line and are never backup tools.
    bool isKernelThread() const { return (flags & 0x00200000u) != 0; } // PF_KTHREAD
    // A zombie (or dead) process has ended; only its parent has not reaped it.
    bool hasEnded() const { return state == 'Z' || state == 'X' || state == 'x'; }
};

// A process's I/O counters. -1 where the platform does not count it.
struct ProcIo {
    qint64 rchar = -1;      // bytes passed to read()-like calls, page cache hits included
    qint64 wchar = -1;      // bytes passed to write()-like calls
    qint64 readBytes = -1;  // bytes fetched from storage only
    qint64 writeBytes = -1; // bytes sent to storage (counted when dirtied)
};

struct ProcOpenFile {
    int fd = -1;
    QString path;
};

// The machine's processes as discovery (ProcSource) sees them: /proc on
// Linux (ProcFs), Toolhelp32 snapshots and process handles on Windows
// (ToolhelpTable). ProcSource's rules (what is a tool, whose tree, when a
// session ends) are written once against this.
//
// Every call is bounded and non-throwing: a process that just ended, or
// that this user may not look at, gives an empty answer. Never the
// environment of a process: that is where the passwords are.
//
// The pids a listing gives are the pids the other calls answer about until
// the next listing; a table may answer from what it listed (Windows) or
// read afresh (Linux).
class ProcessTable {
public:
    ProcessTable() = default;
    virtual ~ProcessTable() = default;
    Q_DISABLE_COPY_MOVE(ProcessTable)

    // Where the processes are read from, for messages ("/proc").
    virtual QString root() const = 0;
    // The processes running now, unsorted, appended to `out`. False, with
    // why in `error`, when nothing could be listed.
    virtual bool listPids(std::vector<qint64> &out, QString &error) const = 0;
    virtual std::optional<ProcStat> stat(qint64 pid) const = 0;
    // argv; empty for a kernel thread, an ended process or one that cannot be read.
    virtual QStringList cmdline(qint64 pid) const = 0;
    // The user the process runs as, in UserAccounts' numbers (its real uid
    // on Linux; on Windows the number UserAccounts gives its token's user SID).
    virtual std::optional<uint> realUid(qint64 pid) const = 0;
    virtual std::optional<ProcIo> io(qint64 pid) const = 0;
    // Empty when not permitted or not known (Windows cannot tell another
    // process's working directory).
    virtual QString cwd(qint64 pid) const = 0;
    // Regular files the process has open read-only whose path `wanted`
    // accepts, in fd order; at most `maxFds` looked at. Empty where the
    // platform does not tell (Windows).
    virtual QList<ProcOpenFile> readOnlyFiles(qint64 pid,
                                              const std::function<bool(const QString &)> &wanted,
                                              int maxFds = 1024) const = 0;
    // When a process with ProcStat::startTicks `startTicks` started, in ms
    // since the epoch; none when the table cannot tell.
    virtual std::optional<qint64> startTimeMs(quint64 startTicks) const = 0;
    // The name (ProcStat::comm) of `keepwatch-cli` in this table: the
    // processes below it are never discovered.
    virtual QByteArray wrapperName() const = 0;
};

} // namespace kw
