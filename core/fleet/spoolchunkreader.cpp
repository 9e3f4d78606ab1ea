// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/spoolchunkreader.h"

#include "protocol/eventcodec.h"
#include "spool/spooltailer.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kw::SpoolChunkReader {

namespace {

// The checked file, open (-1 with chunk.error set when it cannot be).
int openChecked(const QString &path, std::optional<uint> requiredOwner, Chunk &chunk) {
    chunk.error = SpoolTailer::entryProblem(path, requiredOwner);
    if (!chunk.error.isEmpty())
        return -1;
    const int fd =
        ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        chunk.error = QString::fromLocal8Bit(std::strerror(errno));
        return -1;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        chunk.error = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
        return -1;
    }
    chunk.dev = st.st_dev;
    chunk.ino = st.st_ino;
    chunk.size = st.st_size;
    return fd;
}

// Up to `want` bytes from `offset` into chunk.bytes; how many came.
qint64 readAt(int fd, qint64 offset, qint64 want, Chunk &chunk) {
    chunk.bytes.resize(want);
    qint64 got = 0;
    while (got < want) {
        const ssize_t n =
            ::pread(fd, chunk.bytes.data() + got, size_t(want - got), off_t(offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    chunk.bytes.truncate(got);
    return got;
}

} // namespace

Chunk peek(const QString &path, std::optional<uint> requiredOwner, qint64 offset, qint64 maxBytes) {
    Chunk chunk;
    const int fd = openChecked(path, requiredOwner, chunk);
    if (fd < 0)
        return chunk;
    const qint64 from = offset < 0 ? qMax<qint64>(0, chunk.size + offset) : offset;
    const qint64 want = qMin(chunk.size - from, maxBytes);
    if (want > 0)
        readAt(fd, from, want, chunk);
    ::close(fd);
    return chunk;
}

Chunk read(const QString &path, std::optional<uint> requiredOwner, qint64 offset, qint64 maxBytes) {
    Chunk chunk;
    const int fd = openChecked(path, requiredOwner, chunk);
    if (fd < 0)
        return chunk;
    // One line may be longer than the budget: read up to the line limit.
    const qint64 want = qMin(chunk.size - offset, qMax(maxBytes, Protocol::kMaxLineBytes));
    if (want > 0) {
        const qint64 got = readAt(fd, offset, want, chunk);
        qsizetype end = chunk.bytes.lastIndexOf('\n', qMin<qsizetype>(got, maxBytes) - 1);
        if (end < 0)
            end = chunk.bytes.indexOf('\n'); // one line longer than the budget
        if (end >= 0)
            chunk.bytes.truncate(end + 1);
        else if (got < Protocol::kMaxLineBytes)
            chunk.bytes.clear(); // a partial line: wait for its end
    }
    ::close(fd);
    return chunk;
}

} // namespace kw::SpoolChunkReader
