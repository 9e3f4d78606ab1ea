// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/mirrorfile.h"

#include "platform/nativefile.h"
#include "spool/spoollocation.h"

#include <QFileInfo>
#include <QSaveFile>

namespace kw {

ChunkPlacement ChunkPlacement::of(qint64 mirrorSize, qint64 offset, qint64 length) {
    if (offset > mirrorSize)
        return {Action::Gap, 0};
    if (offset + length <= mirrorSize)
        return {Action::Duplicate, 0};
    return {Action::Append, mirrorSize - offset};
}

MirrorFile::MirrorFile(QString path)
    : m_path(std::move(path))
    , m_out(m_path) {}

QString MirrorFile::open() {
    QFile file(m_path);
    if (!file.open(QIODevice::ReadWrite | QIODevice::Append))
        return QStringLiteral("cannot open the mirror %1: %2").arg(m_path, file.errorString());
    m_size = file.size();
    QFile epochFile(m_path + QLatin1String(".epoch"));
    if (epochFile.open(QIODevice::ReadOnly))
        m_epoch = QString::fromUtf8(epochFile.read(256)).trimmed();
    return {};
}

QString MirrorFile::writeEpoch() {
    QSaveFile file(m_path + QLatin1String(".epoch"));
    if (!file.open(QIODevice::WriteOnly) || file.write(m_epoch.toUtf8()) < 0 || !file.commit())
        return QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
    return {};
}

QString MirrorFile::restart(const QString &epoch) {
    if (!m_epoch.isEmpty())
        m_superseded.insert(m_epoch);
    m_epoch = epoch;
    m_held.clear();
    m_heldBytes = 0;
    m_remoteEnd.reset();
    m_out.close();
    QFile file(m_path);
    if (m_size > 0 && !file.resize(0))
        return QStringLiteral("cannot truncate the mirror %1: %2").arg(m_path, file.errorString());
    m_size = 0;
    return writeEpoch();
}

QString MirrorFile::switchTo(const QString &epoch) {
    if (m_epoch.isEmpty() && m_size > 0) {
        // A mirror without its epoch file (an old crash between the first
        // write and the epoch's): trust its bytes, learn the epoch.
        m_epoch = epoch;
        return writeEpoch();
    }
    return restart(epoch); // the remote file was replaced or truncated
}

QString MirrorFile::openOutput(QString *notice) {
    // Unbuffered: each chunk is in the file when append returns, for the
    // readers of the mirror.
    constexpr auto mode = QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered;
    if (!m_out.open(mode)) {
        // Its host's directory removed with it: made again, private as the
        // first time.
        const QString directory = QFileInfo(m_path).absolutePath();
        if (QFileInfo::exists(directory))
            return QStringLiteral("cannot open the mirror %1: %2").arg(m_path, m_out.errorString());
        if (QString error = SpoolLocation::ensureDirectory(directory); !error.isEmpty())
            return error;
        if (!m_out.open(mode))
            return QStringLiteral("cannot open the mirror %1: %2").arg(m_path, m_out.errorString());
    }
    const auto st = NativeFile::statPath(m_path);
    m_outIdentity = st ? std::optional(std::make_pair(st->device, st->inode)) : std::nullopt;
    const qint64 holds = m_out.size();
    if (holds == m_size)
        return {};
    if (holds > m_size && !m_out.resize(m_size)) {
        QString error = QStringLiteral("the mirror %1 has %2 bytes more than this collector wrote "
                                       "and cannot be cut back: %3")
                            .arg(m_path)
                            .arg(holds - m_size)
                            .arg(m_out.errorString());
        m_out.close();
        return error;
    }
    *notice = holds < m_size
                  ? QStringLiteral("the mirror %1 holds %2 bytes, not %3 (removed or truncated "
                                   "under the collector): the rest is asked for again")
                        .arg(m_path)
                        .arg(holds)
                        .arg(m_size)
                  : QStringLiteral("the mirror %1 had %2 bytes this collector did not write "
                                   "(another writer?): cut back to its %3")
                        .arg(m_path)
                        .arg(holds - m_size)
                        .arg(m_size);
    m_size = qMin(m_size, holds);
    if (m_size == 0 && !m_epoch.isEmpty()) // a new file: its epoch file may be gone too
        return writeEpoch();
    return {};
}

bool MirrorFile::closeIfChanged() {
    if (!m_out.isOpen())
        return false;
    const auto st = NativeFile::statPath(m_path);
    if (st && m_outIdentity && st->device == m_outIdentity->first
        && st->inode == m_outIdentity->second && st->size == m_size)
        return false;
    m_out.close();
    return true;
}

QString MirrorFile::append(const char *data, qint64 size) {
    if (m_out.write(data, size) != size) {
        QString error =
            QStringLiteral("cannot write the mirror %1: %2").arg(m_path, m_out.errorString());
        // A part may have been written (a full disk): those bytes are the
        // remote file's at their offsets, so the mirror now ends after them.
        m_size = qMax(m_size, m_out.size());
        m_out.close();
        return error;
    }
    m_size += size;
    return {};
}

qint64 MirrorFile::drainHeld(QString *error) {
    qint64 written = 0;
    while (!m_held.empty() && m_held.begin()->first <= m_size) {
        const auto node = m_held.extract(m_held.begin());
        m_heldBytes -= node.mapped().size();
        const ChunkPlacement p = ChunkPlacement::of(m_size, node.key(), node.mapped().size());
        if (p.action != ChunkPlacement::Action::Append)
            continue;
        *error = append(node.mapped().constData() + p.skip, node.mapped().size() - p.skip);
        if (!error->isEmpty())
            return written;
        written += node.mapped().size() - p.skip;
    }
    return written;
}

MirrorFile::Result MirrorFile::apply(const QString &epoch, qint64 offset, const QByteArray &bytes) {
    Result result;
    using Outcome = Result::Outcome;
    if (epoch != m_epoch) {
        if (m_superseded.contains(epoch)) {
            result.outcome = Outcome::StaleEpoch;
            return result;
        }
        result.error = switchTo(epoch);
        if (!result.error.isEmpty()) {
            result.outcome = Outcome::Error;
            return result;
        }
    }
    // Opened before the chunk is placed: what the file holds decides where
    // the chunk goes.
    if (!m_out.isOpen()) {
        result.error = openOutput(&result.notice);
        if (!result.error.isEmpty()) {
            result.outcome = Outcome::Error;
            return result;
        }
    }
    const ChunkPlacement p = ChunkPlacement::of(m_size, offset, bytes.size());
    switch (p.action) {
    case ChunkPlacement::Action::Duplicate:
        result.outcome = Outcome::Duplicate;
        return result;
    case ChunkPlacement::Action::Gap:
        result.outcome = Outcome::Held;
        if (m_heldBytes + bytes.size() <= kMaxHeldBytes && !m_held.count(offset)) {
            m_held.emplace(offset, bytes);
            m_heldBytes += bytes.size();
        }
        return result;
    case ChunkPlacement::Action::Append:
        break;
    }
    result.error = append(bytes.constData() + p.skip, bytes.size() - p.skip);
    if (result.error.isEmpty()) {
        result.written = bytes.size() - p.skip;
        result.written += drainHeld(&result.error);
    }
    result.outcome = result.error.isEmpty() ? Outcome::Appended : Outcome::Error;
    return result;
}

QString MirrorFile::setRemoteEnd(const QString &epoch, qint64 end) {
    if (m_superseded.contains(epoch))
        return {};
    QString error = epoch != m_epoch ? switchTo(epoch) : QString();
    m_remoteEnd = end;
    return error;
}

std::optional<std::pair<qint64, qint64>> MirrorFile::missing() const {
    if (!m_held.empty())
        return std::make_pair(m_size, m_held.begin()->first);
    if (m_remoteEnd && *m_remoteEnd > m_size)
        return std::make_pair(m_size, *m_remoteEnd);
    return std::nullopt;
}

} // namespace kw
