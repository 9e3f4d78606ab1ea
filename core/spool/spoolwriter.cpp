// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spoolwriter.h"

#include "spool/spoollocation.h"

namespace kw {

SpoolWriter::~SpoolWriter() {
    close();
}

void SpoolWriter::close() {
    m_file.close();
}

bool SpoolWriter::fail(const QString &what) {
    m_error = QStringLiteral("%1 %2: %3").arg(what, m_path, m_file.failure().text);
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
    if (!m_file.open(m_path,
                     create ? NativeFile::Mode::CreateNew : NativeFile::Mode::AppendExisting,
                     sharing == Sharing::Group ? NativeFile::Access::GroupReadable
                                               : NativeFile::Access::Private))
        return fail(create ? QStringLiteral("cannot create") : QStringLiteral("cannot open"));

    // Terminate a partial last line left by a producer that died mid-write.
    if (const auto st = m_file.status())
        m_size = st->size;
    if (m_size > 0) {
        char last = '\n';
        NativeFile reader;
        if (!reader.open(m_path, NativeFile::Mode::Read)
            || reader.readAt(&last, 1, m_size - 1) != 1)
            last = '\n';
        if (last != '\n' && !append(QByteArray("\n")))
            return false;
    }
    return true;
}

bool SpoolWriter::checkStillLinked() {
    if (!m_file.isOpen())
        return false;
    const auto st = m_file.status();
    if (!st)
        return fail(QStringLiteral("cannot check"));
    if (st->links == 0) {
        m_error = QStringLiteral("%1 was removed").arg(m_path);
        close();
        return false;
    }
    return true;
}

bool SpoolWriter::append(const QByteArray &lines) {
    if (!m_file.isOpen())
        return false;
    // One call for all of it: the lines of two writers of one session never
    // interleave. A failed append leaves what it wrote: the writer stops.
    if (!m_file.append(lines.constData(), lines.size()))
        return fail(QStringLiteral("cannot write"));
    m_size += lines.size();
    return true;
}

} // namespace kw
