// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "discovery/processtable.h"

#include <QByteArray>
#include <QHash>
#include <optional>
#include <vector>

namespace kw {

// One process as a Windows listing gives it: Toolhelp32's entry and what
// a handle to it said.
struct ListedProcess {
    qint64 pid = 0;
    // As listed. Windows does not re-parent orphans: this may name a process
    // that has ended, or another that got its pid since.
    qint64 ppid = 0;
    QByteArray name; // the executable's file name ("restic.exe"), UTF-8
    // The creation FILETIME (100 ns units since 1601-01-01 UTC); none when
    // the process may not be opened (another user's, a protected one).
    std::optional<quint64> created;
    // Exited, still listed because someone holds a handle to it (Toolhelp32
    // then gives it no threads): a zombie.
    bool ended = false;
};

// A Windows listing turned into what ProcessTable answers: the portable
// half of ToolhelpTable, kept apart so its rules are tested everywhere.
class ProcessSnapshot final {
public:
    // Replaces the listing. A parent link is kept only when the parent is
    // listed and not younger than the child (when both times are known):
    // otherwise the parent ended and its pid may name someone else now, and
    // ProcStat::ppid says 0, the way Linux re-parents an orphan. The idle
    // process (pid 0) is no process and is dropped.
    void assign(const std::vector<ListedProcess> &processes);
    void clear() { m_byPid.clear(); }

    // The pids listed, unsorted.
    void pids(std::vector<qint64> &out) const;
    // nullptr when not listed.
    const ListedProcess *find(qint64 pid) const;
    // State 'R', or 'Z' for an ended one; startTicks the creation FILETIME
    // (0 when unknown: such a process cannot be read either).
    std::optional<ProcStat> stat(qint64 pid) const;

    // A FILETIME (100 ns units since 1601-01-01 UTC) in ms since the Unix
    // epoch.
    static qint64 fileTimeToMs(quint64 fileTime);
    // The FILETIME of 1970-01-01 00:00 UTC.
    static constexpr quint64 kUnixEpoch = 116444736000000000ULL;

private:
    QHash<qint64, ListedProcess> m_byPid;
};

} // namespace kw
