// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spooltailer.h"

#include "platform/useraccounts.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

namespace kw {

namespace {
constexpr qsizetype kReadChunk = 256 * 1024;

QString typeProblem(mode_t mode) {
    if (S_ISLNK(mode))
        return QStringLiteral("is a symbolic link");
    if (S_ISFIFO(mode))
        return QStringLiteral("is a FIFO");
    if (S_ISSOCK(mode))
        return QStringLiteral("is a socket");
    if (S_ISCHR(mode))
        return QStringLiteral("is a character device");
    if (S_ISBLK(mode))
        return QStringLiteral("is a block device");
    if (S_ISDIR(mode))
        return QStringLiteral("is a directory");
    return QStringLiteral("is not a regular file");
}

// What the kernel says about a file (lstat or fstat), checked against what a
// reader may follow.
QString statProblem(const struct stat &st, std::optional<uint> requiredOwner) {
    if (!S_ISREG(st.st_mode))
        return typeProblem(st.st_mode);
    if (!requiredOwner)
        return {};
    if (uint(st.st_uid) != *requiredOwner)
        return QStringLiteral("belongs to %1, not %2")
            .arg(UserAccounts::nameOf(uint(st.st_uid)), UserAccounts::nameOf(*requiredOwner));
    if (st.st_nlink != 1)
        return QStringLiteral("is a hard link (%1 names)").arg(qulonglong(st.st_nlink));
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return QStringLiteral("is writable by %1")
            .arg(st.st_mode & S_IWOTH ? QStringLiteral("everyone") : QStringLiteral("its group"));
    return {};
}

QString identityOf(const struct stat &st) {
    return QStringLiteral("%1:%2").arg(quint64(st.st_dev)).arg(quint64(st.st_ino));
}

QString errnoText() {
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

SpoolTailer::SpoolTailer(QString path, qsizetype maxLineBytes, std::optional<uint> requiredOwner)
    : m_path(std::move(path))
    , m_maxLineBytes(maxLineBytes)
    , m_requiredOwner(requiredOwner) {}

QString SpoolTailer::entryProblem(const QString &path, std::optional<uint> requiredOwner) {
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return errnoText();
    return statProblem(st, requiredOwner);
}

SpoolTailer::~SpoolTailer() {
    closeFd();
}

void SpoolTailer::closeFd() {
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

void SpoolTailer::release() {
    closeFd();
}

SpoolTailer::Position SpoolTailer::position() const {
    return Position{m_dev, m_ino, m_offset - (m_discarding ? 0 : m_partial.size()), m_lineNumber};
}

void SpoolTailer::resume(const Position &position) {
    closeFd();
    m_partial.clear();
    m_discarding = false;
    m_dev = position.dev;
    m_ino = position.ino;
    m_offset = position.offset;
    m_lineNumber = position.line;
    m_known = true; // the next poll checks that the path is still this file
}

void SpoolTailer::resetPosition() {
    m_offset = 0;
    m_lineNumber = 0;
    m_partial.clear();
    m_discarding = false;
}

void SpoolTailer::reject(LineSink &sink, const QString &message, const QString &entry) {
    // The same problem with the same file (device and inode) is said once; a
    // new file in its place or a new problem is said again.
    const QString key = message + QLatin1Char('|') + entry;
    if (key == m_rejected)
        return;
    m_rejected = key;
    sink.problem(0, message);
}

bool SpoolTailer::openPath(LineSink &sink) {
    const QByteArray encoded = QFile::encodeName(m_path);
    // Looked at before it is opened, so that a device or a FIFO is never
    // opened in the first place; the fstat below is what decides.
    struct stat entry;
    if (::lstat(encoded.constData(), &entry) != 0) {
        if (errno != ENOENT)
            reject(sink, QStringLiteral("cannot open: %1").arg(errnoText()));
        return false;
    }
    const QString tag = identityOf(entry);
    if (const QString problem = statProblem(entry, m_requiredOwner); !problem.isEmpty()) {
        reject(sink, QStringLiteral("not followed: ") + problem, tag);
        return false;
    }
    const int fd = ::open(encoded.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return false;
        reject(sink,
               errno == ELOOP ? QStringLiteral("not followed: is a symbolic link")
                              : QStringLiteral("cannot open: %1").arg(errnoText()),
               tag);
        return false;
    }
    // Swapped between the lstat and the open? What is open now decides.
    struct stat st;
    if (::fstat(fd, &st) != 0) {
        reject(sink, QStringLiteral("cannot open: %1").arg(errnoText()), tag);
        ::close(fd);
        return false;
    }
    if (const QString problem = statProblem(st, m_requiredOwner); !problem.isEmpty()) {
        ::close(fd);
        reject(sink, QStringLiteral("not followed: ") + problem, identityOf(st));
        return false;
    }
    m_rejected.clear();
    if (m_known && (quint64(st.st_dev) != m_dev || quint64(st.st_ino) != m_ino)) {
        // Released earlier and replaced since: a new file from its start.
        finishFile(sink);
        resetPosition();
    }
    m_fd = fd;
    m_dev = quint64(st.st_dev);
    m_ino = quint64(st.st_ino);
    m_known = true;
    return true;
}

void SpoolTailer::finishFile(LineSink &sink) {
    if (!m_partial.isEmpty() && !m_discarding)
        sink.problem(m_lineNumber + 1,
                     QStringLiteral("incomplete last line (%1 bytes without a newline): "
                                    "the producer stopped in the middle of writing it")
                         .arg(m_partial.size()));
    m_partial.clear();
    m_discarding = false;
}

SpoolTailer::Status SpoolTailer::poll(LineSink &sink, qint64 maxBytes) {
    m_hasMore = false;
    if (m_fd < 0 && m_known) {
        // Released: only reopen when the same file grew or the path changed.
        struct stat st;
        if (::lstat(QFile::encodeName(m_path).constData(), &st) == 0 && quint64(st.st_dev) == m_dev
            && quint64(st.st_ino) == m_ino && st.st_size == m_offset)
            return Status::Ok;
    }
    if (m_fd < 0 && !openPath(sink))
        return Status::Vanished;

    struct stat byPath;
    // lstat: a symbolic link put in the file's place is another file.
    const bool pathExists = ::lstat(QFile::encodeName(m_path).constData(), &byPath) == 0;
    const bool sameFile =
        pathExists && quint64(byPath.st_dev) == m_dev && quint64(byPath.st_ino) == m_ino;

    if (!sameFile) {
        // Deleted or rotated: what was appended before that still counts.
        drain(sink, std::numeric_limits<qint64>::max());
        finishFile(sink);
        closeFd();
        m_known = false;
        resetPosition();
        if (!pathExists)
            return Status::Vanished;
        if (!openPath(sink))
            return Status::Vanished;
    }

    struct stat st;
    if (::fstat(m_fd, &st) == 0 && st.st_size < m_offset) {
        sink.problem(0, QStringLiteral("file was truncated from %1 to %2 bytes; reading it again "
                                       "from the start")
                            .arg(m_offset)
                            .arg(qint64(st.st_size)));
        resetPosition();
    }
    const qint64 read = drain(sink, maxBytes);
    m_hasMore = read >= maxBytes;
    return Status::Ok;
}

qint64 SpoolTailer::drain(LineSink &sink, qint64 maxBytes) {
    if (m_fd < 0)
        return 0;
    if (m_buffer.size() < kReadChunk)
        m_buffer.resize(kReadChunk);
    qint64 total = 0;
    while (total < maxBytes) {
        const qint64 want = qMin<qint64>(kReadChunk, maxBytes - total);
        const ssize_t n = ::pread(m_fd, m_buffer.data(), size_t(want), m_offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            sink.problem(0, QStringLiteral("cannot read: %1")
                                .arg(QString::fromLocal8Bit(std::strerror(errno))));
            break;
        }
        if (n == 0)
            break;
        m_offset += n;
        total += n;
        consume(m_buffer.constData(), qsizetype(n), sink);
    }
    return total;
}

void SpoolTailer::consume(const char *data, qsizetype size, LineSink &sink) {
    qsizetype pos = 0;
    while (pos < size) {
        const void *found = std::memchr(data + pos, '\n', size_t(size - pos));
        if (!found) {
            // The rest is a partial line: keep it, unless it grows past the limit.
            const qsizetype rest = size - pos;
            if (m_discarding)
                return;
            if (m_partial.size() + rest > m_maxLineBytes) {
                sink.problem(
                    m_lineNumber + 1,
                    QStringLiteral("line is longer than %1 bytes; skipped").arg(m_maxLineBytes));
                m_partial.clear();
                m_discarding = true;
                return;
            }
            m_partial.append(data + pos, rest);
            return;
        }
        const qsizetype end = static_cast<const char *>(found) - data;
        ++m_lineNumber;
        if (m_discarding) {
            m_discarding = false; // the over-long line ends here
        } else if (m_partial.isEmpty()) {
            if (end - pos > m_maxLineBytes)
                sink.problem(
                    m_lineNumber,
                    QStringLiteral("line is longer than %1 bytes; skipped").arg(m_maxLineBytes));
            else
                sink.line(QByteArrayView(data + pos, end - pos), m_lineNumber);
        } else {
            if (m_partial.size() + (end - pos) > m_maxLineBytes) {
                sink.problem(
                    m_lineNumber,
                    QStringLiteral("line is longer than %1 bytes; skipped").arg(m_maxLineBytes));
            } else {
                m_partial.append(data + pos, end - pos);
                sink.line(m_partial, m_lineNumber);
            }
            m_partial.clear();
        }
        pos = end + 1;
    }
}

} // namespace kw
