// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "discovery/toolhelptable.h"

#include "platform/win32process.h"

// clang-format off
#include <windows.h>
#include <tlhelp32.h>
// clang-format on

namespace kw {

namespace {

// The process `pid` opened for looking at, when it is still the one
// listed (created at `created`).
Win32::Handle openListed(const ListedProcess *listed) {
    if (!listed || !listed->created)
        return nullptr;
    Win32::Handle process = Win32::openProcess(listed->pid, PROCESS_QUERY_LIMITED_INFORMATION);
    if (!process || Win32::creationTime(process.get()) != listed->created)
        return nullptr;
    return process;
}

} // namespace

bool ToolhelpTable::list(std::vector<ListedProcess> &out, QString &error) {
    const Win32::Handle snapshot(::CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
    if (!snapshot || snapshot.get() == INVALID_HANDLE_VALUE) {
        error = Win32::errorText(::GetLastError());
        return false;
    }
    PROCESSENTRY32W entry{};
    entry.dwSize = sizeof entry;
    if (!::Process32FirstW(snapshot.get(), &entry)) {
        error = Win32::errorText(::GetLastError());
        return false;
    }
    do {
        if (entry.th32ProcessID == 0)
            continue; // the idle process
        ListedProcess p;
        p.pid = qint64(entry.th32ProcessID);
        p.ppid = qint64(entry.th32ParentProcessID);
        p.name = QString::fromWCharArray(entry.szExeFile).toUtf8();
        p.ended = entry.cntThreads == 0;
        if (const Win32::Handle process = Win32::openForQuery(p.pid)) {
            p.created = Win32::creationTime(process.get());
            p.ended = p.ended || !Win32::isRunning(process.get());
        }
        out.push_back(std::move(p));
    } while (::Process32NextW(snapshot.get(), &entry));
    return true;
}

bool ToolhelpTable::listPids(std::vector<qint64> &out, QString &error) const {
    std::vector<ListedProcess> listed;
    if (!list(listed, error)) {
        m_snapshot.clear();
        return false;
    }
    m_snapshot.assign(listed);
    m_snapshot.pids(out);
    return true;
}

QStringList ToolhelpTable::cmdline(qint64 pid) const {
    const ListedProcess *listed = m_snapshot.find(pid);
    if (!listed || !listed->created || listed->ended)
        return {};
    const std::optional<QString> line = Win32::commandLine(pid, listed->created);
    return line ? Win32::splitCommandLine(*line) : QStringList();
}

std::optional<uint> ToolhelpTable::realUid(qint64 pid) const {
    const Win32::Handle process = openListed(m_snapshot.find(pid));
    return process ? Win32::processUid(process.get()) : std::nullopt;
}

std::optional<ProcIo> ToolhelpTable::io(qint64 pid) const {
    const Win32::Handle process = openListed(m_snapshot.find(pid));
    IO_COUNTERS counters{};
    if (!process || !::GetProcessIoCounters(process.get(), &counters))
        return std::nullopt;
    ProcIo io;
    io.rchar = qint64(counters.ReadTransferCount);
    io.wchar = qint64(counters.WriteTransferCount);
    return io;
}

std::optional<qint64> ToolhelpTable::startTimeMs(quint64 startTicks) const {
    if (startTicks == 0)
        return std::nullopt;
    return ProcessSnapshot::fileTimeToMs(startTicks);
}

} // namespace kw
