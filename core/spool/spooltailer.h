// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "platform/nativefile.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>

namespace kw {

// Receives what a SpoolTailer reads.
class LineSink {
public:
    virtual ~LineSink() = default;
    // One complete line, without its '\n'. `lineNumber` is 1-based.
    virtual void line(QByteArrayView line, qint64 lineNumber) = 0;
    // Something about the file the user should know (never fatal).
    virtual void problem(qint64 lineNumber, const QString &message) = 0;
};

// Follows one append-only file, like `tail -F`, one poll at a time:
// - keeps its read offset; a partial last line waits until its '\n' arrives
//   (so a UTF-8 character split across reads is joined, never mangled);
// - a truncated file is reported and read again from the start;
// - a rotated file (same path, new inode) is read to its end through the old
//   descriptor, then the new file is followed from its start;
// - a vanished file is read to its end, then reported as gone;
// - a line longer than the protocol's limit is skipped and reported, so a
//   file without newlines cannot make the reader buffer without bound;
// - only a regular file is followed: a symbolic link is never followed
//   (O_NOFOLLOW) and a FIFO never blocks the reader (O_NONBLOCK). With a
//   required owner (the system spool), the file must also belong to that uid,
//   have one name (no hard link to someone else's file) and be writable by
//   its owner only. A rejected path is reported once, again only when what
//   is wrong with it changes.
class SpoolTailer final {
public:
    enum class Status { Ok, Vanished };

    // Where reading stopped, for a reader that must resume after a restart
    // without reading a line twice: before any partial line.
    struct Position {
        quint64 dev = 0;
        quint64 ino = 0;
        qint64 offset = 0;
        qint64 line = 0; // complete lines before `offset`
        bool operator==(const Position &o) const {
            return dev == o.dev && ino == o.ino && offset == o.offset && line == o.line;
        }
        bool operator!=(const Position &o) const { return !(*this == o); }
    };

    explicit SpoolTailer(QString path, qsizetype maxLineBytes,
                         std::optional<uint> requiredOwner = std::nullopt);
    ~SpoolTailer();
    SpoolTailer(const SpoolTailer &) = delete;
    SpoolTailer &operator=(const SpoolTailer &) = delete;

    // Reads at most about `maxBytes` new bytes. hasMore() tells whether the
    // budget ran out before the end of the file.
    Status poll(LineSink &sink, qint64 maxBytes);
    bool hasMore() const { return m_hasMore; }

    // Closes the descriptor but keeps the position: the next poll reopens the
    // path and goes on if it is still the same file. For files not expected
    // to grow, so that thousands of finished sessions hold no descriptors.
    void release();

    QString path() const { return m_path; }
    qint64 offset() const { return m_offset; }
    Position position() const;
    // Before the first poll: go on from `position` if the path is still that
    // file; a replaced file is read from its start.
    void resume(const Position &position);

    // Why the entry at `path` (lstat(2), never followed) is not a file a
    // reader may follow: "is a symbolic link", "is a FIFO", "is a hard link
    // (2 names)", "belongs to nobody, not root"...; empty when it is fine.
    // `requiredOwner` unset checks only that it is a regular file.
    static QString entryProblem(const QString &path, std::optional<uint> requiredOwner);
    // The same check of what the kernel says of a file already open
    // (fstat(2)): the entry may have been swapped between the lstat and the
    // open, and what is open decides.
    static QString statusProblem(const FileStatus &status, std::optional<uint> requiredOwner);

private:
    bool openPath(LineSink &sink);
    void closeFd();
    // Reads the open descriptor from m_offset; returns bytes consumed.
    qint64 drain(LineSink &sink, qint64 maxBytes);
    void consume(const char *data, qsizetype size, LineSink &sink);
    void finishFile(LineSink &sink); // the current file will never grow again
    void resetPosition();
    void reject(LineSink &sink, const QString &message, const QString &entry = {});

    QString m_path;
    qsizetype m_maxLineBytes;
    std::optional<uint> m_requiredOwner;
    QString m_rejected; // what was last reported about the path, so it is reported once
    NativeFile m_file;
    quint64 m_dev = 0;
    quint64 m_ino = 0;
    bool m_known = false; // dev/ino above belong to the file we have been reading
    qint64 m_offset = 0;
    qint64 m_lineNumber = 0; // complete lines seen so far
    QByteArray m_partial;
    bool m_discarding = false; // inside an over-long line, skipping to its '\n'
    bool m_hasMore = false;
    QByteArray m_buffer;
};

} // namespace kw
