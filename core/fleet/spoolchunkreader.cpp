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

Chunk read(const QString &path, std::optional<uint> requiredOwner, qint64 offset, qint64 maxBytes) {
    Chunk chunk;
    chunk.error = SpoolTailer::entryProblem(path, requiredOwner);
    if (!chunk.error.isEmpty())
        return chunk;
    const int fd =
        ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        chunk.error = QString::fromLocal8Bit(std::strerror(errno));
        return chunk;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        chunk.error = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
        return chunk;
    }
    chunk.dev = st.st_dev;
    chunk.ino = st.st_ino;
    chunk.size = st.st_size;
    // One line may be longer than the budget: read up to the line limit.
    const qint64 want = qMin(chunk.size - offset, qMax(maxBytes, Protocol::kMaxLineBytes));
    if (want > 0) {
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
