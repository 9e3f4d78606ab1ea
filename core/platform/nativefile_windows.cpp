// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/nativefile.h"
#include "platform/privateacl_windows.h"
#include "platform/windowserror.h"

#include <QDir>
#include <windows.h>

namespace kw {

namespace {

const wchar_t *wide(const QString &path) {
    return reinterpret_cast<const wchar_t *>(path.utf16());
}

QString nativePath(const QString &path) {
    return QDir::toNativeSeparators(path);
}

FileFailure failureOf(DWORD error) {
    FileFailure f;
    switch (error) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        f.kind = FileFailure::Kind::NotFound;
        break;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
        f.kind = FileFailure::Kind::Exists;
        break;
    default:
        f.kind = FileFailure::Kind::Other;
    }
    f.text = windowsErrorText(error);
    return f;
}

FileFailure symbolicLinkFailure() {
    return FileFailure{FileFailure::Kind::SymbolicLink,
                       QStringLiteral("Too many levels of symbolic links")};
}

// Every share flag: a producer appends while we read, and retention or a
// user may delete or rename the file while anyone has it open.
constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

std::optional<FileStatus> statusOf(HANDLE handle, FileFailure *failure) {
    BY_HANDLE_FILE_INFORMATION info;
    if (!GetFileInformationByHandle(handle, &info)) {
        if (failure)
            *failure = failureOf(GetLastError());
        return std::nullopt;
    }
    FileStatus s;
    using T = FileStatus::Type;
    const DWORD kind = GetFileType(handle);
    if (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
        s.type = T::SymbolicLink; // symbolic links and junctions alike: never followed
    else if (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
        s.type = T::Directory;
    else if (kind == FILE_TYPE_PIPE)
        s.type = T::Fifo;
    else if (kind == FILE_TYPE_CHAR)
        s.type = T::CharDevice;
    else if (kind == FILE_TYPE_DISK)
        s.type = T::Regular;
    s.device = info.dwVolumeSerialNumber;
    s.inode = (quint64(info.nFileIndexHigh) << 32) | info.nFileIndexLow;
    s.size = qint64((quint64(info.nFileSizeHigh) << 32) | info.nFileSizeLow);
    s.links = info.nNumberOfLinks;
    // A file deleted while open keeps its links until the last handle
    // closes: it is gone for anyone who looks by name, as unlinked on Linux.
    FILE_STANDARD_INFO standard;
    if (GetFileInformationByHandleEx(handle, FileStandardInfo, &standard, sizeof standard)
        && standard.DeletePending)
        s.links = 0;
    // FILETIME counts 100 ns from 1601-01-01.
    const quint64 ticks =
        (quint64(info.ftLastWriteTime.dwHighDateTime) << 32) | info.ftLastWriteTime.dwLowDateTime;
    constexpr quint64 kEpochTicks = 116444736000000000ULL;
    s.modifiedNs = ticks > kEpochTicks ? qint64((ticks - kEpochTicks) * 100) : 0;
    return s;
}

} // namespace

NativeFile::~NativeFile() {
    close();
}

void NativeFile::close() {
    if (m_handle != INVALID_HANDLE_VALUE)
        CloseHandle(m_handle);
    m_handle = INVALID_HANDLE_VALUE;
}

bool NativeFile::isOpen() const {
    return m_handle != INVALID_HANDLE_VALUE;
}

bool NativeFile::fail() {
    m_failure = failureOf(GetLastError());
    close();
    return false;
}

bool NativeFile::open(const QString &path, Mode mode, Access access) {
    Q_UNUSED(access) // no group on Windows: a new file is private either way
    close();
    m_failure = {};
    // FILE_APPEND_DATA without FILE_WRITE_DATA: every WriteFile goes to the
    // end of the file, atomically, as O_APPEND does.
    const DWORD rights =
        mode == Mode::Read ? GENERIC_READ : FILE_APPEND_DATA | FILE_READ_ATTRIBUTES;
    const DWORD disposition = mode == Mode::CreateNew ? CREATE_NEW : OPEN_EXISTING;
    PrivateSecurity security(PrivateSecurity::For::File);
    if (mode == Mode::CreateNew && !security.isValid()) {
        m_failure = FileFailure{FileFailure::Kind::Other, security.error()};
        return false;
    }
    // FILE_FLAG_OPEN_REPARSE_POINT opens a link itself instead of its
    // target, as O_NOFOLLOW does: what is open is checked below.
    m_handle = CreateFileW(wide(nativePath(path)), rights, kShareAll,
                           mode == Mode::CreateNew ? security.attributes() : nullptr, disposition,
                           FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
    if (m_handle == INVALID_HANDLE_VALUE)
        return fail();
    BY_HANDLE_FILE_INFORMATION info;
    if (GetFileInformationByHandle(m_handle, &info)
        && (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
        close();
        m_failure = symbolicLinkFailure();
        return false;
    }
    return true;
}

std::optional<FileStatus> NativeFile::status() {
    if (!isOpen()) {
        m_failure = failureOf(ERROR_INVALID_HANDLE);
        return std::nullopt;
    }
    return statusOf(m_handle, &m_failure);
}

qint64 NativeFile::readAt(char *data, qint64 size, qint64 offset) {
    OVERLAPPED at{};
    at.Offset = DWORD(quint64(offset) & 0xffffffffu);
    at.OffsetHigh = DWORD(quint64(offset) >> 32);
    DWORD got = 0;
    const DWORD want = DWORD(qMin<qint64>(size, 1 << 30));
    if (!ReadFile(m_handle, data, want, &got, &at)) {
        const DWORD error = GetLastError();
        if (error == ERROR_HANDLE_EOF)
            return 0;
        m_failure = failureOf(error);
        return -1;
    }
    return qint64(got);
}

bool NativeFile::append(const char *data, qint64 size) {
    while (size > 0) {
        DWORD written = 0;
        const DWORD chunk = DWORD(qMin<qint64>(size, 1 << 30));
        if (!WriteFile(m_handle, data, chunk, &written, nullptr)) {
            m_failure = failureOf(GetLastError());
            return false;
        }
        data += written;
        size -= written;
    }
    return true;
}

namespace {
std::optional<FileStatus> statusAt(const QString &path, FileFailure *failure, DWORD extraFlags) {
    // Attributes only: FILE_FLAG_BACKUP_SEMANTICS lets a directory be opened.
    const HANDLE handle =
        CreateFileW(wide(nativePath(path)), FILE_READ_ATTRIBUTES, kShareAll, nullptr, OPEN_EXISTING,
                    FILE_FLAG_BACKUP_SEMANTICS | extraFlags, nullptr);
    if (handle == INVALID_HANDLE_VALUE) {
        if (failure)
            *failure = failureOf(GetLastError());
        return std::nullopt;
    }
    auto status = statusOf(handle, failure);
    CloseHandle(handle);
    return status;
}
} // namespace

std::optional<FileStatus> NativeFile::statPath(const QString &path, FileFailure *failure) {
    // FILE_FLAG_OPEN_REPARSE_POINT: the link itself, not its target.
    return statusAt(path, failure, FILE_FLAG_OPEN_REPARSE_POINT);
}

std::optional<FileStatus> NativeFile::statTarget(const QString &path) {
    return statusAt(path, nullptr, 0);
}

void NativeFile::syncDirectory(const QString &) {}

bool NativeFile::canList(const QString &directory) {
    const HANDLE handle = CreateFileW(wide(nativePath(directory)), FILE_LIST_DIRECTORY, kShareAll,
                                      nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    if (handle == INVALID_HANDLE_VALUE)
        return false;
    CloseHandle(handle);
    return true;
}

bool NativeFile::createPrivate(const QString &path, FileFailure *failure) {
    PrivateSecurity security(PrivateSecurity::For::File);
    if (!security.isValid()) {
        if (failure)
            *failure = FileFailure{FileFailure::Kind::Other, security.error()};
        return false;
    }
    const HANDLE handle =
        CreateFileW(wide(nativePath(path)), GENERIC_WRITE, kShareAll, security.attributes(),
                    CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (handle == INVALID_HANDLE_VALUE) {
        if (failure)
            *failure = failureOf(GetLastError());
        return false;
    }
    CloseHandle(handle);
    return true;
}

bool NativeFile::makePrivateDirectory(const QString &path, FileFailure *failure) {
    PrivateSecurity security(PrivateSecurity::For::Directory);
    if (!security.isValid()) {
        if (failure)
            *failure = FileFailure{FileFailure::Kind::Other, security.error()};
        return false;
    }
    if (CreateDirectoryW(wide(nativePath(path)), security.attributes()))
        return true;
    const DWORD error = GetLastError();
    if (error == ERROR_ALREADY_EXISTS)
        return true;
    if (failure)
        *failure = failureOf(error);
    return false;
}

} // namespace kw
