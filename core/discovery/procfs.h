// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>
#include <vector>

namespace kw {

// The fields of /proc/PID/stat that discovery needs.
struct ProcStat {
    qint64 pid = 0;
    QByteArray comm; // field 2 without the parentheses; may hold spaces and ')'
    char state = '?';
    qint64 ppid = 0;
    quint64 flags = 0;      // field 9 (PF_* flags)
    quint64 startTicks = 0; // field 22, clock ticks since boot

    // Kernel threads have no command line and are never backup tools.
    bool isKernelThread() const { return (flags & 0x00200000u) != 0; } // PF_KTHREAD
    // A zombie (or dead) process has ended; only its parent has not reaped it.
    bool hasEnded() const { return state == 'Z' || state == 'X' || state == 'x'; }
};

// /proc/PID/io. -1 where a line is missing.
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

// Reads one /proc tree (the real one, or a canned copy in tests). Every read
// is bounded and non-throwing: a file that is missing or unreadable (another
// user's process, a process that just ended) gives an empty answer.
// Never reads /proc/PID/environ: that is where the passwords are.
class ProcFs final {
public:
    explicit ProcFs(const QString &root = QStringLiteral("/proc"));

    QString root() const;

    // The pids visible under the root (its numeric entries), unsorted.
    bool listPids(std::vector<qint64> &out) const;
    std::optional<ProcStat> stat(qint64 pid) const;
    // argv; empty for a kernel thread, an ended process or an unreadable file.
    QStringList cmdline(qint64 pid) const;
    // The real uid from /proc/PID/status.
    std::optional<uint> realUid(qint64 pid) const;
    std::optional<ProcIo> io(qint64 pid) const;
    // Empty when not permitted (needs the same user, or root).
    QString cwd(qint64 pid) const;
    // Regular files the process has open read-only whose path `wanted`
    // accepts, in fd order. Looks at `maxFds` entries at most. The path test
    // runs first, so pipes, sockets and /dev files cost one readlink each.
    QList<ProcOpenFile> readOnlyFiles(qint64 pid,
                                      const std::function<bool(const QString &)> &wanted,
                                      int maxFds = 1024) const;
    // The boot time (btime of /proc/stat) in ms since the epoch.
    std::optional<qint64> bootTimeMs() const;

    // Pure parsers of the files' contents, for tests on captured samples.
    static std::optional<ProcStat> parseStat(QByteArrayView text);
    static std::optional<ProcIo> parseIo(QByteArrayView text);
    static QStringList parseCmdline(QByteArrayView bytes);
    static std::optional<uint> parseRealUid(QByteArrayView status);
    static std::optional<qint64> parseBootTime(QByteArrayView stat);
    // The O_ACCMODE bits of a /proc/PID/fdinfo/N file ("flags: 0100000").
    static std::optional<int> parseAccessMode(QByteArrayView fdinfo);

private:
    QByteArray path(qint64 pid, const char *leaf) const;

    QByteArray m_root; // encoded for the file system
};

} // namespace kw
