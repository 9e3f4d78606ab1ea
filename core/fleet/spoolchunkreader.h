// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "platform/nativefile.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace kw::SpoolChunkReader {

// What one read of a spool file found.
struct Chunk {
    QByteArray bytes; // whole lines, '\n' included; empty when none is complete
    quint64 dev = 0;  // the file's identity: a new one means a new file
    quint64 ino = 0;
    qint64 size = 0; // the file's size at the read
    QString error;   // why it could not be read (it is gone, a link, not its owner's...)
};

// Reads whole lines of the spool file `path` from `offset` (a line
// boundary), about `maxBytes` at most: the bytes exactly as they are in the
// file, for a byte-identical copy elsewhere (the SpoolTailer decodes lines;
// this copies them). A partial last line is left for later. A line longer
// than the protocol's limit (1 MiB) cannot wait for its end: its first
// bytes go as they are, and the reader of the copy rejects the line as the
// local reader does. The path is checked like SpoolTailer's (lstat: a
// regular file, no link, of `requiredOwner` when given), opened with
// O_NOFOLLOW | O_NONBLOCK, and what is open checked again (fstat: the entry
// may have been swapped between the lstat and the open).
Chunk read(const QString &path, std::optional<uint> requiredOwner, qint64 offset, qint64 maxBytes);

// At most `maxBytes` of the file from `offset`, exactly (no line rules),
// checked and opened as read() does; `offset` < 0 counts from the end.
// Chunk::bytes may then start or stop inside a line.
Chunk peek(const QString &path, std::optional<uint> requiredOwner, qint64 offset, qint64 maxBytes);

// One spool file held open between reads, for a file that grows: a read is
// then an fstat and a pread, where read() above is an lstat, an open, an
// fstat, a pread and a close (a live session's file is read ten times a
// second). What is open stays that file whatever its name becomes: the
// holder looks at the path now and then (a new file put in its place is a
// new epoch) and closes it.
class File final {
public:
    // Checked and opened as read() does: empty, or why not.
    QString open(const QString &path, std::optional<uint> requiredOwner);
    bool isOpen() const { return m_file.isOpen(); }
    void close() { m_file.close(); }
    // read() of what is open; Chunk::size is its size now. An error (the
    // disk's) closes it.
    Chunk read(qint64 offset, qint64 maxBytes);
    // peek() of what is open.
    Chunk peek(qint64 offset, qint64 maxBytes);

private:
    // What is open now (fstat): identity and size, or the error (closed).
    Chunk stat();

    NativeFile m_file;
};

} // namespace kw::SpoolChunkReader
