// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "discovery/processsnapshot.h"
#include "discovery/processtable.h"

namespace kw {

// Windows' process table: /proc discovery's twin.
//
// listPids() takes a Toolhelp32 snapshot (CreateToolhelp32Snapshot with
// TH32CS_SNAPPROCESS: pid, parent pid, executable name, thread count) and
// opens each process once (PROCESS_QUERY_LIMITED_INFORMATION, which the
// same user gets without privileges) for its creation time; stat() answers
// from that listing (ProcessSnapshot says how parent links are settled).
// The other calls open the process again and read nothing when its
// creation time is no longer the listed one (the pid was reused):
// - cmdline: the command line Windows keeps for it (Win32::commandLine()),
//   split as the C runtime does;
// - io: GetProcessIoCounters; rchar/wchar are ReadTransferCount and
//   WriteTransferCount (every read and write call: files, pipes, devices),
//   readBytes/writeBytes unknown (-1);
// - realUid: its token's user as UserAccounts' number.
// Windows does not tell another process's working directory or open
// files: cwd() and readOnlyFiles() are empty.
//
// Cost per listing: one snapshot and one OpenProcess + GetProcessTimes
// per process. Not for concurrent use.
class ToolhelpTable final : public ProcessTable {
public:
    QString root() const override { return QStringLiteral("Toolhelp32 process snapshot"); }
    bool listPids(std::vector<qint64> &out, QString &error) const override;
    std::optional<ProcStat> stat(qint64 pid) const override { return m_snapshot.stat(pid); }
    QStringList cmdline(qint64 pid) const override;
    std::optional<uint> realUid(qint64 pid) const override;
    std::optional<ProcIo> io(qint64 pid) const override;
    QString cwd(qint64) const override { return {}; }
    QList<ProcOpenFile> readOnlyFiles(qint64, const std::function<bool(const QString &)> &,
                                      int = 1024) const override {
        return {};
    }
    // The creation FILETIME in ms since the epoch; none for 0 (unknown).
    std::optional<qint64> startTimeMs(quint64 startTicks) const override;
    QByteArray wrapperName() const override { return QByteArrayLiteral("keepwatch-cli.exe"); }

    // One listing of every process, as listPids() takes it.
    static bool list(std::vector<ListedProcess> &out, QString &error);

private:
    mutable ProcessSnapshot m_snapshot;
};

} // namespace kw
