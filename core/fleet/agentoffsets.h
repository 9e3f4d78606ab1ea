// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QHash>
#include <QString>

namespace kw {

// How far the agent's publishing of each spool file is acknowledged by the
// broker, kept across restarts: after a restart the agent publishes again
// from there, so a line is sent twice at worst, never skipped.
class AgentOffsets final {
public:
    struct Entry {
        QString epoch; // the file's identity (SpoolChunkReader: device, inode, generation)
        qint64 offset = 0;
        bool operator==(const Entry &o) const { return epoch == o.epoch && offset == o.offset; }
    };

    explicit AgentOffsets(QString path)
        : m_path(std::move(path)) {}

    QString path() const { return m_path; }
    // Reads the file (a missing one is empty); an error message, empty on success.
    QString load();
    // Writes all entries to a temporary file, fsync()s it and renames it
    // over the old one (then fsync()s the directory): after a crash the file
    // is the old one or the new one, never a mix. An error message, empty
    // on success.
    QString save() const;

    const QHash<QString, Entry> &entries() const { return m_entries; } // by file path
    void set(const QString &file, const Entry &entry) { m_entries.insert(file, entry); }
    void remove(const QString &file) { m_entries.remove(file); }

private:
    QString m_path;
    QHash<QString, Entry> m_entries;
};

} // namespace kw
