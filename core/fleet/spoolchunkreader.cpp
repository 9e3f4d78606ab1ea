// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/spoolchunkreader.h"

#include "protocol/eventcodec.h"
#include "spool/spooltailer.h"

namespace kw::SpoolChunkReader {

namespace {

// Up to `want` bytes from `offset` into chunk.bytes; how many came.
qint64 readAt(NativeFile &file, qint64 offset, qint64 want, Chunk &chunk) {
    chunk.bytes.resize(want);
    qint64 got = 0;
    while (got < want) {
        const qint64 n = file.readAt(chunk.bytes.data() + got, want - got, offset + got);
        if (n < 0)
            chunk.error = file.failure().text;
        if (n <= 0)
            break;
        got += n;
    }
    chunk.bytes.truncate(got);
    return got;
}

} // namespace

QString File::open(const QString &path, std::optional<uint> requiredOwner) {
    m_file.close();
    // Looked at before it is opened, so that a FIFO or a device is never
    // opened at all; then what is open decides.
    if (QString problem = SpoolTailer::entryProblem(path, requiredOwner); !problem.isEmpty())
        return problem;
    if (!m_file.open(path, NativeFile::Mode::Read))
        return m_file.failure().text;
    const auto st = m_file.status();
    QString problem = st ? SpoolTailer::statusProblem(*st, requiredOwner) : m_file.failure().text;
    if (!problem.isEmpty())
        m_file.close();
    return problem;
}

Chunk File::stat() {
    Chunk chunk;
    if (const auto st = m_file.status()) {
        chunk.dev = st->device;
        chunk.ino = st->inode;
        chunk.size = st->size;
    } else {
        chunk.error = m_file.failure().text;
        m_file.close();
    }
    return chunk;
}

Chunk File::peek(qint64 offset, qint64 maxBytes) {
    Chunk chunk = stat();
    if (!chunk.error.isEmpty())
        return chunk;
    const qint64 from = offset < 0 ? qMax<qint64>(0, chunk.size + offset) : offset;
    const qint64 want = qMin(chunk.size - from, maxBytes);
    if (want > 0)
        readAt(m_file, from, want, chunk);
    if (!chunk.error.isEmpty())
        m_file.close();
    return chunk;
}

Chunk File::read(qint64 offset, qint64 maxBytes) {
    Chunk chunk = stat();
    if (!chunk.error.isEmpty())
        return chunk;
    // One line may be longer than the budget: read up to the line limit.
    const qint64 want = qMin(chunk.size - offset, qMax(maxBytes, Protocol::kMaxLineBytes));
    if (want <= 0)
        return chunk;
    const qint64 got = readAt(m_file, offset, want, chunk);
    if (!chunk.error.isEmpty()) {
        chunk.bytes.clear();
        m_file.close();
        return chunk;
    }
    qsizetype end = chunk.bytes.lastIndexOf('\n', qMin<qsizetype>(got, maxBytes) - 1);
    if (end < 0)
        end = chunk.bytes.indexOf('\n'); // one line longer than the budget
    if (end >= 0)
        chunk.bytes.truncate(end + 1);
    else if (got < Protocol::kMaxLineBytes)
        chunk.bytes.clear(); // a partial line: wait for its end
    return chunk;
}

Chunk peek(const QString &path, std::optional<uint> requiredOwner, qint64 offset, qint64 maxBytes) {
    File file;
    if (QString error = file.open(path, requiredOwner); !error.isEmpty())
        return Chunk{{}, 0, 0, 0, std::move(error)};
    return file.peek(offset, maxBytes);
}

Chunk read(const QString &path, std::optional<uint> requiredOwner, qint64 offset, qint64 maxBytes) {
    File file;
    if (QString error = file.open(path, requiredOwner); !error.isEmpty())
        return Chunk{{}, 0, 0, 0, std::move(error)};
    return file.read(offset, maxBytes);
}

} // namespace kw::SpoolChunkReader
