// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/nativefile.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kw {

namespace {

FileFailure failureOf(int error) {
    FileFailure f;
    f.kind = error == ENOENT   ? FileFailure::Kind::NotFound
             : error == ELOOP  ? FileFailure::Kind::SymbolicLink
             : error == EEXIST ? FileFailure::Kind::Exists
                               : FileFailure::Kind::Other;
    f.text = QString::fromLocal8Bit(std::strerror(error));
    return f;
}

FileStatus::Type typeOf(mode_t mode) {
    using T = FileStatus::Type;
    if (S_ISREG(mode))
        return T::Regular;
    if (S_ISDIR(mode))
        return T::Directory;
    if (S_ISLNK(mode))
        return T::SymbolicLink;
    if (S_ISFIFO(mode))
        return T::Fifo;
    if (S_ISSOCK(mode))
        return T::Socket;
    if (S_ISCHR(mode))
        return T::CharDevice;
    if (S_ISBLK(mode))
        return T::BlockDevice;
    return T::Other;
}

FileStatus statusOf(const struct stat &st) {
    FileStatus s;
    s.type = typeOf(st.st_mode);
    s.device = quint64(st.st_dev);
    s.inode = quint64(st.st_ino);
    s.size = qint64(st.st_size);
    s.links = quint64(st.st_nlink);
    s.ownerUid = uint(st.st_uid);
    s.groupWritable = (st.st_mode & S_IWGRP) != 0;
    s.otherWritable = (st.st_mode & S_IWOTH) != 0;
    s.modifiedNs = qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return s;
}

} // namespace

NativeFile::~NativeFile() {
    close();
}

void NativeFile::close() {
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

bool NativeFile::isOpen() const {
    return m_fd >= 0;
}

bool NativeFile::fail() {
    m_failure = failureOf(errno);
    close();
    return false;
}

bool NativeFile::open(const QString &path, Mode mode, Access access) {
    close();
    m_failure = {};
    int flags = O_CLOEXEC | O_NOFOLLOW;
    switch (mode) {
    case Mode::Read:
        flags |= O_RDONLY | O_NONBLOCK; // a FIFO must never block the reader
        break;
    case Mode::CreateNew:
        flags |= O_WRONLY | O_APPEND | O_CREAT | O_EXCL;
        break;
    case Mode::AppendExisting:
        flags |= O_WRONLY | O_APPEND;
        break;
    }
    const mode_t fileMode = access == Access::GroupReadable ? 0640 : 0600;
    m_fd = ::open(QFile::encodeName(path).constData(), flags, fileMode);
    if (m_fd < 0)
        return fail();
    if (mode == Mode::CreateNew && access == Access::GroupReadable && ::fchmod(m_fd, fileMode) != 0)
        return fail();
    return true;
}

std::optional<FileStatus> NativeFile::status() {
    struct stat st;
    if (m_fd < 0 || ::fstat(m_fd, &st) != 0) {
        m_failure = failureOf(m_fd < 0 ? EBADF : errno);
        return std::nullopt;
    }
    return statusOf(st);
}

qint64 NativeFile::readAt(char *data, qint64 size, qint64 offset) {
    while (true) {
        const ssize_t n = ::pread(m_fd, data, size_t(size), off_t(offset));
        if (n >= 0)
            return qint64(n);
        if (errno != EINTR) {
            m_failure = failureOf(errno);
            return -1;
        }
    }
}

bool NativeFile::append(const char *data, qint64 size) {
    while (size > 0) {
        const ssize_t n = ::write(m_fd, data, size_t(size));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            m_failure = failureOf(errno);
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}

std::optional<FileStatus> NativeFile::statPath(const QString &path, FileFailure *failure) {
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0) {
        if (failure)
            *failure = failureOf(errno);
        return std::nullopt;
    }
    return statusOf(st);
}

std::optional<FileStatus> NativeFile::statTarget(const QString &path) {
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return std::nullopt;
    return statusOf(st);
}

void NativeFile::syncDirectory(const QString &directory) {
    const int fd =
        ::open(QFile::encodeName(directory).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

bool NativeFile::canList(const QString &directory) {
    return ::faccessat(AT_FDCWD, QFile::encodeName(directory).constData(), R_OK | X_OK, AT_EACCESS)
           == 0;
}

bool NativeFile::createPrivate(const QString &path, FileFailure *failure) {
    const int fd =
        ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (failure)
            *failure = failureOf(errno);
        return false;
    }
    ::close(fd);
    return true;
}

bool NativeFile::makePrivateDirectory(const QString &path, FileFailure *failure) {
    if (::mkdir(QFile::encodeName(path).constData(), 0700) == 0 || errno == EEXIST)
        return true;
    if (failure)
        *failure = failureOf(errno);
    return false;
}

} // namespace kw
