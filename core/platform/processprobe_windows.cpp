// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/cancelchannel.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "platform/win32process.h"

#include <QDir>
#include <QSysInfo>
#include <vector>

// clang-format off
#include <windows.h>
#include <winternl.h>
#include <aclapi.h>
#include <lmcons.h>
#include <shellapi.h>
#include <tlhelp32.h>
// clang-format on

namespace kw {

namespace Win32 {

void HandleCloser::operator()(void *handle) const {
    if (handle && handle != INVALID_HANDLE_VALUE)
        ::CloseHandle(handle);
}

Handle openProcess(qint64 pid, unsigned long access, unsigned long *error) {
    // Pids are DWORDs; 0 is the idle process and a negative or larger
    // number is nobody's.
    if (pid <= 0 || pid > qint64(MAXDWORD)) {
        if (error)
            *error = ERROR_INVALID_PARAMETER;
        return nullptr;
    }
    HANDLE handle = ::OpenProcess(access, FALSE, DWORD(pid));
    if (!handle && error)
        *error = ::GetLastError();
    return Handle(handle);
}

Handle openForQuery(qint64 pid, unsigned long *error) {
    unsigned long why = 0;
    Handle handle = openProcess(pid, PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, &why);
    if (!handle && why == ERROR_ACCESS_DENIED)
        handle = openProcess(pid, PROCESS_QUERY_LIMITED_INFORMATION, &why);
    if (!handle && error)
        *error = why;
    return handle;
}

std::optional<quint64> creationTime(void *process) {
    FILETIME created, exited, kernel, user;
    if (!process || !::GetProcessTimes(process, &created, &exited, &kernel, &user))
        return std::nullopt;
    return (quint64(created.dwHighDateTime) << 32) | created.dwLowDateTime;
}

bool isRunning(void *process) {
    if (!process)
        return false;
    switch (::WaitForSingleObject(process, 0)) {
    case WAIT_TIMEOUT:
        return true;
    case WAIT_OBJECT_0:
        return false;
    default: // no SYNCHRONIZE right: ask for the exit code
        break;
    }
    DWORD code = 0;
    return ::GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
}

namespace {

// Not in every SDK's PROCESSINFOCLASS (MinGW's winternl.h lacks it).
constexpr auto kProcessCommandLineInformation = PROCESSINFOCLASS(60);
constexpr NTSTATUS kStatusInfoLengthMismatch = NTSTATUS(0xC0000004L);
constexpr NTSTATUS kStatusBufferTooSmall = NTSTATUS(0xC0000023L);
constexpr NTSTATUS kStatusBufferOverflow = NTSTATUS(0x80000005L);
constexpr NTSTATUS kStatusInvalidInfoClass = NTSTATUS(0xC0000003L);
constexpr NTSTATUS kStatusNotImplemented = NTSTATUS(0xC0000002L);
// A command line is at most 32767 characters (UNICODE_STRING's limit).
constexpr ULONG kMaxCommandLineBuffer = sizeof(UNICODE_STRING) + 65536;

// NT_SUCCESS, which not every SDK's winternl.h defines (MSVC's does not).
constexpr bool succeeded(NTSTATUS status) {
    return status >= 0;
}

bool sameCreation(void *process, std::optional<quint64> created) {
    return !created || creationTime(process) == created;
}

enum class Read { Done, Failed, Unsupported };

Read commandLineByInfoClass(void *process, QString &out) {
    ULONG needed = 0;
    NTSTATUS status =
        ::NtQueryInformationProcess(process, kProcessCommandLineInformation, nullptr, 0, &needed);
    if (status == kStatusInvalidInfoClass || status == kStatusNotImplemented)
        return Read::Unsupported;
    const bool tooSmall = status == kStatusInfoLengthMismatch || status == kStatusBufferTooSmall
                          || status == kStatusBufferOverflow;
    if (!tooSmall || needed == 0 || needed > kMaxCommandLineBuffer)
        return Read::Failed;
    // ULONG_PTRs keep the UNICODE_STRING at the buffer's start aligned.
    std::vector<ULONG_PTR> buffer((needed + sizeof(ULONG_PTR) - 1) / sizeof(ULONG_PTR));
    const ULONG size = ULONG(buffer.size() * sizeof(ULONG_PTR));
    status = ::NtQueryInformationProcess(process, kProcessCommandLineInformation, buffer.data(),
                                         size, &needed);
    if (!succeeded(status))
        return Read::Failed;
    const auto *text = reinterpret_cast<const UNICODE_STRING *>(buffer.data());
    const auto *begin = reinterpret_cast<const char *>(buffer.data());
    const auto *chars = reinterpret_cast<const char *>(text->Buffer);
    // The characters follow the header inside the buffer.
    if (text->Length > 0
        && (chars < begin || chars + text->Length > begin + size || text->Length % 2 != 0))
        return Read::Failed;
    out = text->Length > 0 ? QString::fromWCharArray(text->Buffer, text->Length / 2) : QString();
    return Read::Done;
}

bool readMemory(HANDLE process, const void *address, void *into, SIZE_T size) {
    SIZE_T got = 0;
    return address && ::ReadProcessMemory(process, address, into, size, &got) && got == size;
}

// Through the process's PEB: see win32process.h.
std::optional<QString> commandLineFromPeb(qint64 pid, std::optional<quint64> created) {
    const Handle process = openProcess(pid, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ);
    if (!process || !sameCreation(process.get(), created))
        return std::nullopt;
    PROCESS_BASIC_INFORMATION basic{};
    ULONG got = 0;
    if (!succeeded(::NtQueryInformationProcess(process.get(), ProcessBasicInformation, &basic,
                                               sizeof basic, &got)))
        return std::nullopt;
    PEB peb{};
    RTL_USER_PROCESS_PARAMETERS parameters{};
    if (!readMemory(process.get(), basic.PebBaseAddress, &peb, sizeof peb)
        || !readMemory(process.get(), peb.ProcessParameters, &parameters, sizeof parameters))
        return std::nullopt;
    const UNICODE_STRING &line = parameters.CommandLine;
    if (line.Length == 0)
        return QString();
    if (line.Length % 2 != 0)
        return std::nullopt;
    std::vector<wchar_t> chars(line.Length / 2);
    if (!readMemory(process.get(), line.Buffer, chars.data(), line.Length))
        return std::nullopt;
    return QString::fromWCharArray(chars.data(), qsizetype(chars.size()));
}

} // namespace

std::optional<QString> commandLine(qint64 pid, std::optional<quint64> created) {
    {
        const Handle process = openProcess(pid, PROCESS_QUERY_LIMITED_INFORMATION);
        if (!process || !sameCreation(process.get(), created))
            return std::nullopt;
        QString line;
        switch (commandLineByInfoClass(process.get(), line)) {
        case Read::Done:
            return line;
        case Read::Failed:
            return std::nullopt;
        case Read::Unsupported:
            break;
        }
    }
    return commandLineFromPeb(pid, created);
}

QStringList splitCommandLine(const QString &commandLine) {
    QStringList argv;
    // CommandLineToArgvW gives this program's path for an empty line.
    if (commandLine.trimmed().isEmpty())
        return argv;
    int count = 0;
    LPWSTR *words = ::CommandLineToArgvW(reinterpret_cast<LPCWSTR>(commandLine.utf16()), &count);
    if (!words)
        return argv;
    argv.reserve(count);
    for (int i = 0; i < count; ++i)
        argv.append(QString::fromWCharArray(words[i]));
    ::LocalFree(words);
    return argv;
}

std::optional<uint> processUid(void *process) {
    HANDLE token = nullptr;
    if (!process || !::OpenProcessToken(process, TOKEN_QUERY, &token))
        return std::nullopt;
    const Handle owned(token);
    // TOKEN_USER holds a pointer into the same buffer: ULONG_PTRs align it.
    std::vector<ULONG_PTR> buffer((sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE) / sizeof(ULONG_PTR)
                                  + 1);
    DWORD size = DWORD(buffer.size() * sizeof(ULONG_PTR));
    if (!::GetTokenInformation(token, TokenUser, buffer.data(), size, &size))
        return std::nullopt;
    const auto *user = reinterpret_cast<const TOKEN_USER *>(buffer.data());
    if (!user->User.Sid || !::IsValidSid(user->User.Sid))
        return std::nullopt;
    return uidOfSid(user->User.Sid);
}

QString errorText(unsigned long code) {
    return qt_error_string(int(code));
}

} // namespace Win32

namespace {

// KUSER_SHARED_DATA, the page Windows maps read-only at this address in
// every process; BootId is at 0x2C4 (ntddk.h: "Boot sequence, incremented
// for each boot attempt by the OS loader"; Windows 10 and later).
constexpr quintptr kUserSharedData = 0x7FFE0000;
constexpr quintptr kBootIdOffset = 0x2C4;

} // namespace

std::optional<quint64> ProcessProbe::startTicks(qint64 pid) {
    const Win32::Handle process = Win32::openForQuery(pid);
    if (!process || !Win32::isRunning(process.get()))
        return std::nullopt;
    return Win32::creationTime(process.get());
}

QString ProcessProbe::bootId() {
    static const QString id = [] {
        const ULONG boot =
            *reinterpret_cast<const volatile ULONG *>( // NOLINT(performance-no-int-to-ptr)
                kUserSharedData + kBootIdOffset);
        return boot != 0 ? QStringLiteral("windows-boot-%1").arg(boot) : QString();
    }();
    return id;
}

QString ProcessProbe::hostName() {
    return QSysInfo::machineHostName();
}

QString ProcessProbe::userName() {
    wchar_t name[UNLEN + 1];
    DWORD size = UNLEN + 1;
    if (::GetUserNameW(name, &size) && size > 0)
        return QString::fromWCharArray(name, qsizetype(size) - 1); // size counts the NUL
    return UserAccounts::nameOf(UserAccounts::effectiveUid());
}

ProcessProbe::Liveness ProcessProbe::liveness(qint64 pid, quint64 ticks, const QString &boot) {
    const QString currentBoot = bootId();
    if (!boot.isEmpty() && !currentBoot.isEmpty() && boot != currentBoot)
        return Liveness::Gone; // the machine rebooted since: every process of then is gone
    if (pid <= 0)
        return Liveness::Gone;
    unsigned long error = 0;
    const Win32::Handle process = Win32::openForQuery(pid, &error);
    if (!process) {
        // Only "no such process" is proof of death; a process that exists
        // but may not be opened (another user's, a protected one) is unknown.
        return error == ERROR_INVALID_PARAMETER ? Liveness::Gone : Liveness::Unknown;
    }
    if (!Win32::isRunning(process.get()))
        return Liveness::Gone;
    const std::optional<quint64> created = Win32::creationTime(process.get());
    if (!created)
        return Liveness::Unknown;
    return *created == ticks ? Liveness::Alive : Liveness::Gone; // else the pid was reused
}

QString ProcessProbe::name(qint64 pid) {
    if (pid <= 0 || pid > qint64(MAXDWORD))
        return {};
    const Win32::Handle snapshot(::CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
    if (!snapshot || snapshot.get() == INVALID_HANDLE_VALUE)
        return {};
    PROCESSENTRY32W entry{};
    entry.dwSize = sizeof entry;
    for (BOOL more = ::Process32FirstW(snapshot.get(), &entry); more;
         more = ::Process32NextW(snapshot.get(), &entry)) {
        if (entry.th32ProcessID == DWORD(pid))
            return QString::fromWCharArray(entry.szExeFile);
    }
    return {};
}

QStringList ProcessProbe::arguments(qint64 pid) {
    const std::optional<QString> line = Win32::commandLine(pid);
    return line ? Win32::splitCommandLine(*line) : QStringList();
}

QString ProcessProbe::wrapperName() {
    return QStringLiteral("keepwatch-cli.exe");
}

QString ProcessProbe::sendCancelRequest(qint64 pid) {
    if (pid <= 0 || pid > qint64(MAXDWORD))
        return QStringLiteral("no process %1").arg(pid);
    const QString name = cancelEventName(pid); // the wrapper waits on it
    const Win32::Handle event(
        ::OpenEventW(EVENT_MODIFY_STATE, FALSE, reinterpret_cast<LPCWSTR>(name.utf16())));
    if (!event) {
        const DWORD error = ::GetLastError();
        if (error == ERROR_FILE_NOT_FOUND)
            return QStringLiteral("pid %1 has no cancel channel (%2): not a keepwatch-cli run, "
                                  "or it has ended")
                .arg(pid)
                .arg(name);
        return Win32::errorText(error);
    }
    if (!::SetEvent(event.get()))
        return Win32::errorText(::GetLastError());
    return {};
}

std::optional<uint> ProcessProbe::ownerUid(qint64 pid) {
    const Win32::Handle process = Win32::openProcess(pid, PROCESS_QUERY_LIMITED_INFORMATION);
    return Win32::processUid(process.get());
}

std::optional<uint> ProcessProbe::fileOwnerUid(const QString &path) {
    if (path.isEmpty())
        return std::nullopt;
    // The file itself, not what a link points to (as lstat): open the
    // reparse point, for reading its security descriptor only.
    const QString native = QDir::toNativeSeparators(path);
    const Win32::Handle file(::CreateFileW(
        reinterpret_cast<LPCWSTR>(native.utf16()), READ_CONTROL,
        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
        FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, nullptr));
    if (!file || file.get() == INVALID_HANDLE_VALUE)
        return std::nullopt;
    PSID owner = nullptr;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    if (::GetSecurityInfo(file.get(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner, nullptr,
                          nullptr, nullptr, &descriptor)
        != ERROR_SUCCESS)
        return std::nullopt;
    std::optional<uint> uid;
    if (owner && ::IsValidSid(owner))
        uid = Win32::uidOfSid(owner);
    ::LocalFree(descriptor);
    return uid;
}

QString ProcessProbe::systemdUnit(qint64) {
    return {};
}

} // namespace kw
