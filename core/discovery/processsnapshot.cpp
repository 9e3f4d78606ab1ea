// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "discovery/processsnapshot.h"

namespace kw {

void ProcessSnapshot::assign(const std::vector<ListedProcess> &processes) {
    m_byPid.clear();
    m_byPid.reserve(qsizetype(processes.size()));
    for (const ListedProcess &p : processes) {
        if (p.pid > 0)
            m_byPid.insert(p.pid, p);
    }
    for (ListedProcess &p : m_byPid) {
        if (p.ppid <= 0 || p.ppid == p.pid) {
            p.ppid = 0;
            continue;
        }
        const auto parent = m_byPid.constFind(p.ppid);
        if (parent == m_byPid.cend() || parent->ended) {
            p.ppid = 0; // ended (Linux re-parents at the parent's exit, zombie or not)
            continue;
        }
        // Creation times tick in steps (about 15.6 ms): a parent and its
        // child may share one, so only a strictly younger parent is another
        // process.
        if (p.created && parent->created && *parent->created > *p.created)
            p.ppid = 0; // the pid was reused after the parent ended
    }
}

void ProcessSnapshot::pids(std::vector<qint64> &out) const {
    out.reserve(out.size() + size_t(m_byPid.size()));
    for (auto it = m_byPid.cbegin(); it != m_byPid.cend(); ++it)
        out.push_back(it.key());
}

const ListedProcess *ProcessSnapshot::find(qint64 pid) const {
    const auto it = m_byPid.constFind(pid);
    return it == m_byPid.cend() ? nullptr : &*it;
}

std::optional<ProcStat> ProcessSnapshot::stat(qint64 pid) const {
    const ListedProcess *p = find(pid);
    if (!p)
        return std::nullopt;
    ProcStat s;
    s.pid = p->pid;
    s.comm = p->name;
    s.state = p->ended ? 'Z' : 'R';
    s.ppid = p->ppid;
    s.startTicks = p->created.value_or(0);
    return s;
}

qint64 ProcessSnapshot::fileTimeToMs(quint64 fileTime) {
    // Signed: a time before 1970 is negative, not a huge number.
    return (qint64(fileTime) - qint64(kUnixEpoch)) / 10000;
}

} // namespace kw
