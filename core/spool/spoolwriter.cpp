// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spoolwriter.h"

#include "spool/spoollocation.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kw {

SpoolWriter::~SpoolWriter() {
    close();
}

void SpoolWriter::close() {
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

bool SpoolWriter::fail(const QString &what) {
    m_error =
        QStringLiteral("%1 %2: %3").arg(what, m_path, QString::fromLocal8Bit(std::strerror(errno)));
    close();
    return false;
}

bool SpoolWriter::open(const QString &directory, const QString &sessionId, Mode mode,
                       Sharing sharing) {
    const bool create = mode == Mode::CreateNew;
    close();
    m_error.clear();
    QString why;
    m_path = SpoolLocation::fileForSession(directory, sessionId, &why);
    if (m_path.isEmpty()) {
        m_error = why;
        return false;
    }
    m_size = 0;
    if (create && sharing == Sharing::Private) {
        why = SpoolLocation::ensureDirectory(directory);
        if (!why.isEmpty()) {
            m_error = why;
            return false;
        }
    }
    const int flags =
        O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT | O_EXCL : 0);
    const mode_t fileMode = sharing == Sharing::Group ? 0640 : 0600;
    m_fd = ::open(QFile::encodeName(m_path).constData(), flags, fileMode);
    if (m_fd < 0)
        return fail(create ? QStringLiteral("cannot create") : QStringLiteral("cannot open"));
    if (create && sharing == Sharing::Group && ::fchmod(m_fd, fileMode) != 0)
        return fail(QStringLiteral("cannot set the mode of"));

    // Terminate a partial last line left by a producer that died mid-write.
    struct stat st;
    if (::fstat(m_fd, &st) == 0)
        m_size = st.st_size;
    if (m_size > 0) {
        const int readFd = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_CLOEXEC);
        char last = '\n';
        if (readFd >= 0) {
            if (::pread(readFd, &last, 1, st.st_size - 1) != 1)
                last = '\n';
            ::close(readFd);
        }
        if (last != '\n' && !append(QByteArray("\n")))
            return false;
    }
    return true;
}

bool SpoolWriter::checkStillLinked() {
    if (m_fd < 0)
        return false;
    struct stat st;
    if (::fstat(m_fd, &st) != 0)
        return fail(QStringLiteral("cannot check"));
    if (st.st_nlink == 0) {
        m_error = QStringLiteral("%1 was removed").arg(m_path);
        close();
        return false;
    }
    return true;
}

bool SpoolWriter::append(const QByteArray &lines) {
    if (m_fd < 0)
        return false;
    const char *data = lines.constData();
    qsizetype left = lines.size();
    while (left > 0) {
        const ssize_t n = ::write(m_fd, data, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(QStringLiteral("cannot write"));
        }
        data += n;
        left -= n;
        m_size += n;
    }
    return true;
}

} // namespace kw
