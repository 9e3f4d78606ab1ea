// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spooltailer.h"

#include "platform/useraccounts.h"

#include <limits>

namespace kw {

namespace {
constexpr qsizetype kReadChunk = 256 * 1024;

QString typeProblem(FileStatus::Type type) {
    using T = FileStatus::Type;
    switch (type) {
    case T::SymbolicLink:
        return QStringLiteral("is a symbolic link");
    case T::Fifo:
        return QStringLiteral("is a FIFO");
    case T::Socket:
        return QStringLiteral("is a socket");
    case T::CharDevice:
        return QStringLiteral("is a character device");
    case T::BlockDevice:
        return QStringLiteral("is a block device");
    case T::Directory:
        return QStringLiteral("is a directory");
    case T::Regular:
    case T::Other:
        break;
    }
    return QStringLiteral("is not a regular file");
}

} // namespace

// What the kernel says about a file (lstat or fstat), checked against what a
// reader may follow.
QString SpoolTailer::statusProblem(const FileStatus &st, std::optional<uint> requiredOwner) {
    if (st.type != FileStatus::Type::Regular)
        return typeProblem(st.type);
    if (!requiredOwner)
        return {};
    if (st.ownerUid != requiredOwner)
        return QStringLiteral("belongs to %1, not %2")
            .arg(st.ownerUid ? UserAccounts::nameOf(*st.ownerUid)
                             : QStringLiteral("an unknown user"),
                 UserAccounts::nameOf(*requiredOwner));
    if (st.links != 1)
        return QStringLiteral("is a hard link (%1 names)").arg(qulonglong(st.links));
    if (st.groupWritable || st.otherWritable)
        return QStringLiteral("is writable by %1")
            .arg(st.otherWritable ? QStringLiteral("everyone") : QStringLiteral("its group"));
    return {};
}

namespace {

QString identityOf(const FileStatus &st) {
    return QStringLiteral("%1:%2").arg(st.device).arg(st.inode);
}

} // namespace

SpoolTailer::SpoolTailer(QString path, qsizetype maxLineBytes, std::optional<uint> requiredOwner)
    : m_path(std::move(path))
    , m_maxLineBytes(maxLineBytes)
    , m_requiredOwner(requiredOwner) {}

QString SpoolTailer::entryProblem(const QString &path, std::optional<uint> requiredOwner) {
    FileFailure failure;
    const auto st = NativeFile::statPath(path, &failure);
    if (!st)
        return failure.text;
    return statusProblem(*st, requiredOwner);
}

SpoolTailer::~SpoolTailer() {
    closeFd();
}

void SpoolTailer::closeFd() {
    m_file.close();
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
    // Looked at before it is opened, so that a device or a FIFO is never
    // opened in the first place; the status of what is open decides.
    FileFailure failure;
    const auto entry = NativeFile::statPath(m_path, &failure);
    if (!entry) {
        if (failure.kind != FileFailure::Kind::NotFound)
            reject(sink, QStringLiteral("cannot open: %1").arg(failure.text));
        return false;
    }
    const QString tag = identityOf(*entry);
    if (const QString problem = statusProblem(*entry, m_requiredOwner); !problem.isEmpty()) {
        reject(sink, QStringLiteral("not followed: ") + problem, tag);
        return false;
    }
    if (!m_file.open(m_path, NativeFile::Mode::Read)) {
        const FileFailure &f = m_file.failure();
        if (f.kind == FileFailure::Kind::NotFound)
            return false;
        reject(sink,
               f.kind == FileFailure::Kind::SymbolicLink
                   ? QStringLiteral("not followed: is a symbolic link")
                   : QStringLiteral("cannot open: %1").arg(f.text),
               tag);
        return false;
    }
    // Swapped between the lstat and the open? What is open now decides.
    const auto st = m_file.status();
    if (!st) {
        reject(sink, QStringLiteral("cannot open: %1").arg(m_file.failure().text), tag);
        closeFd();
        return false;
    }
    if (const QString problem = statusProblem(*st, m_requiredOwner); !problem.isEmpty()) {
        closeFd();
        reject(sink, QStringLiteral("not followed: ") + problem, identityOf(*st));
        return false;
    }
    m_rejected.clear();
    if (m_known && (st->device != m_dev || st->inode != m_ino)) {
        // Released earlier and replaced since: a new file from its start.
        finishFile(sink);
        resetPosition();
    }
    m_dev = st->device;
    m_ino = st->inode;
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
    if (!m_file.isOpen() && m_known) {
        // Released: only reopen when the same file grew or the path changed.
        const auto st = NativeFile::statPath(m_path);
        if (st && st->device == m_dev && st->inode == m_ino && st->size == m_offset)
            return Status::Ok;
    }
    if (!m_file.isOpen() && !openPath(sink))
        return Status::Vanished;

    // lstat: a symbolic link put in the file's place is another file.
    const auto byPath = NativeFile::statPath(m_path);
    const bool pathExists = byPath.has_value();
    const bool sameFile = pathExists && byPath->device == m_dev && byPath->inode == m_ino;

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

    const auto st = m_file.status();
    if (st && st->size < m_offset) {
        sink.problem(0, QStringLiteral("file was truncated from %1 to %2 bytes; reading it again "
                                       "from the start")
                            .arg(m_offset)
                            .arg(st->size));
        resetPosition();
    }
    // Nothing new: no read. A reader of a thousand live files polled 20
    // times a second makes 20,000 of these a second.
    if (st && st->size == m_offset)
        return Status::Ok;
    const qint64 read = drain(sink, maxBytes);
    m_hasMore = read >= maxBytes;
    return Status::Ok;
}

qint64 SpoolTailer::drain(LineSink &sink, qint64 maxBytes) {
    if (!m_file.isOpen())
        return 0;
    if (m_buffer.size() < kReadChunk)
        m_buffer.resize(kReadChunk);
    qint64 total = 0;
    while (total < maxBytes) {
        const qint64 want = qMin<qint64>(kReadChunk, maxBytes - total);
        const qint64 n = m_file.readAt(m_buffer.data(), want, m_offset);
        if (n < 0) {
            sink.problem(0, QStringLiteral("cannot read: %1").arg(m_file.failure().text));
            break;
        }
        if (n == 0)
            break;
        m_offset += n;
        total += n;
        consume(m_buffer.constData(), qsizetype(n), sink);
        // Less than asked for: the end of a regular file as it is now; a
        // read more would only say so again.
        if (n < want)
            break;
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
