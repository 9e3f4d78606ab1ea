// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "discovery/processtable.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>
#include <vector>

namespace kw {

// Reads one /proc tree (the real one, or a canned copy in tests): Linux's
// process table. Every read is bounded and non-throwing: a file that is
// missing or unreadable (another user's process, a process that just ended)
// gives an empty answer. Never reads /proc/PID/environ: that is where the
// passwords are. Not for concurrent use (it keeps the boot time once read).
class ProcFs final : public ProcessTable {
public:
    explicit ProcFs(const QString &root = QStringLiteral("/proc"));

    QString root() const override;

    // The pids visible under the root (its numeric entries), unsorted;
    // `error` is strerror(errno) when the root cannot be listed.
    bool listPids(std::vector<qint64> &out, QString &error) const override;
    std::optional<ProcStat> stat(qint64 pid) const override;
    // argv; empty for a kernel thread, an ended process or an unreadable file.
    QStringList cmdline(qint64 pid) const override;
    // The real uid from /proc/PID/status.
    std::optional<uint> realUid(qint64 pid) const override;
    std::optional<ProcIo> io(qint64 pid) const override;
    // Empty when not permitted (needs the same user, or root).
    QString cwd(qint64 pid) const override;
    // Regular files the process has open read-only whose path `wanted`
    // accepts, in fd order. Looks at `maxFds` entries at most. The path test
    // runs first, so pipes, sockets and /dev files cost one readlink each.
    QList<ProcOpenFile> readOnlyFiles(qint64 pid,
                                      const std::function<bool(const QString &)> &wanted,
                                      int maxFds = 1024) const override;
    // The boot time plus the start ticks (at sysconf(_SC_CLK_TCK) a second);
    // the boot time is read from the root's stat once.
    std::optional<qint64> startTimeMs(quint64 startTicks) const override;
    // comm of keepwatch-cli.
    QByteArray wrapperName() const override { return QByteArrayLiteral("keepwatch-cli"); }
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
    qint64 m_ticksPerSecond = 100;
    mutable std::optional<std::optional<qint64>> m_bootTimeMs; // outer: read yet
};

} // namespace kw
