// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/spoolchunkreader.h"

#include "platform/nativefile.h"
#include "protocol/eventcodec.h"
#include "spool/spooltailer.h"

namespace kw::SpoolChunkReader {

namespace {

// The checked file, open (closed, with chunk.error set, when it cannot be).
bool openChecked(NativeFile &file, const QString &path, std::optional<uint> requiredOwner,
                 Chunk &chunk) {
    chunk.error = SpoolTailer::entryProblem(path, requiredOwner);
    if (!chunk.error.isEmpty())
        return false;
    const auto st = file.open(path, NativeFile::Mode::Read) ? file.status() : std::nullopt;
    if (!st) {
        chunk.error = file.failure().text;
        file.close();
        return false;
    }
    chunk.dev = st->device;
    chunk.ino = st->inode;
    chunk.size = st->size;
    return true;
}

// Up to `want` bytes from `offset` into chunk.bytes; how many came.
qint64 readAt(NativeFile &file, qint64 offset, qint64 want, Chunk &chunk) {
    chunk.bytes.resize(want);
    qint64 got = 0;
    while (got < want) {
        const qint64 n = file.readAt(chunk.bytes.data() + got, want - got, offset + got);
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
    NativeFile file;
    if (!openChecked(file, path, requiredOwner, chunk))
        return chunk;
    const qint64 from = offset < 0 ? qMax<qint64>(0, chunk.size + offset) : offset;
    const qint64 want = qMin(chunk.size - from, maxBytes);
    if (want > 0)
        readAt(file, from, want, chunk);
    return chunk;
}

Chunk read(const QString &path, std::optional<uint> requiredOwner, qint64 offset, qint64 maxBytes) {
    Chunk chunk;
    NativeFile file;
    if (!openChecked(file, path, requiredOwner, chunk))
        return chunk;
    // One line may be longer than the budget: read up to the line limit.
    const qint64 want = qMin(chunk.size - offset, qMax(maxBytes, Protocol::kMaxLineBytes));
    if (want > 0) {
        const qint64 got = readAt(file, offset, want, chunk);
        qsizetype end = chunk.bytes.lastIndexOf('\n', qMin<qsizetype>(got, maxBytes) - 1);
        if (end < 0)
            end = chunk.bytes.indexOf('\n'); // one line longer than the budget
        if (end >= 0)
            chunk.bytes.truncate(end + 1);
        else if (got < Protocol::kMaxLineBytes)
            chunk.bytes.clear(); // a partial line: wait for its end
    }
    return chunk;
}

} // namespace kw::SpoolChunkReader
