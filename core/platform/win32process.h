// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

// Windows only: the process and account calls that ProcessProbe,
// UserAccounts and discovery's ToolhelpTable share. Internal to core; no
// <windows.h> here (a HANDLE and a PSID are passed as void *).

#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

namespace kw::Win32 {

struct HandleCloser {
    void operator()(void *handle) const;
};
// An owned HANDLE (CloseHandle on destruction); null when there is none.
using Handle = std::unique_ptr<void, HandleCloser>;

// `pid` opened for `access` (PROCESS_* rights); null when it cannot be,
// with GetLastError()'s code in `error`: ERROR_INVALID_PARAMETER when no
// such process exists, ERROR_ACCESS_DENIED when it exists but may not be
// opened so.
Handle openProcess(qint64 pid, unsigned long access, unsigned long *error = nullptr);
// `pid` opened to be looked at: PROCESS_QUERY_LIMITED_INFORMATION and, when
// granted, SYNCHRONIZE (isRunning() can then wait on it).
Handle openForQuery(qint64 pid, unsigned long *error = nullptr);
// When the process was created: its creation FILETIME, in 100 ns units
// since 1601-01-01 UTC (GetProcessTimes). Absolute wall-clock time, fixed
// at creation: with the pid, it names one process across boots too.
std::optional<quint64> creationTime(void *process);
// Whether the process has not exited yet. A process that has exited stays
// openable while anyone holds a handle to it: it counts as ended (as a
// zombie does on Linux). Waits on it when the handle has SYNCHRONIZE, else
// asks for its exit code (STILL_ACTIVE; a process may exit with 259 itself,
// hence the wait first).
bool isRunning(void *process);

// The command line of `pid` as Windows keeps it, one string; none when it
// cannot be read. When `created` is given, the process must have been
// created then: a pid reused since is not read.
//
// How: NtQueryInformationProcess(ProcessCommandLineInformation), Windows 8.1
// and later (every Windows Qt 6 runs on): it needs only
// PROCESS_QUERY_LIMITED_INFORMATION, so it reads across integrity levels
// (an elevated process of the same user) and never touches the process's
// memory. Where that class does not exist (wine 8.0 answers
// STATUS_INVALID_INFO_CLASS), the command line is read from the process's
// PEB (ProcessBasicInformation, then ReadProcessMemory of
// RTL_USER_PROCESS_PARAMETERS::CommandLine, through winternl.h's documented
// fields), which needs PROCESS_QUERY_INFORMATION and PROCESS_VM_READ.
std::optional<QString> commandLine(qint64 pid, std::optional<quint64> created = std::nullopt);
// argv the way the Microsoft C runtime splits a command line
// (CommandLineToArgvW); empty for an empty line.
QStringList splitCommandLine(const QString &commandLine);

// The user the process runs as: UserAccounts' number for its token's user
// SID (TokenUser); none when the token cannot be opened (another user's
// process, without privileges).
std::optional<uint> processUid(void *process);
// UserAccounts' number for a SID: see useraccounts.h. Equal numbers are
// equal SIDs (EqualSid), within this process only.
uint uidOfSid(void *sid);

// GetLastError()'s text for `code`.
QString errorText(unsigned long code);

} // namespace kw::Win32
