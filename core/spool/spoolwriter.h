// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "platform/nativefile.h"

#include <QByteArray>
#include <QString>

namespace kw {

// Appends complete lines to one session's spool file (0600, O_APPEND). Every
// append is a single write(2), so lines from several writers of the same
// session (the wrapper and `keepwatch-cli log`) never interleave.
//
// A writer that fails once (disk full, directory removed, read-only) stops
// writing and keeps the reason: a half-written line must never be continued
// by the next one.
class SpoolWriter final {
public:
    SpoolWriter() = default;
    ~SpoolWriter();
    SpoolWriter(const SpoolWriter &) = delete;
    SpoolWriter &operator=(const SpoolWriter &) = delete;

    enum class Mode {
        CreateNew,     // a new session: fails if the file exists (IDs are never reused)
        AppendExisting // more events for a known session: fails if there is no file
    };

    // Who may read a new file: the user alone (0600, the private spool), or
    // also the group of its directory (0640, the system spool, whose setgid
    // directories hand their group on). The mode is set with fchmod(2) after
    // the create, so a umask such as 077 cannot narrow it.
    enum class Sharing { Private, Group };

    // Opens <directory>/<sessionId>.jsonl. When an existing file ends in a
    // partial line (a producer killed mid-write), that line is terminated
    // first so it cannot swallow the next event. A new file's directory is
    // created (0700) only for a private spool: the system spool's
    // directories are root's to make.
    bool open(const QString &directory, const QString &sessionId, Mode mode,
              Sharing sharing = Sharing::Private);

    bool append(const QByteArray &lines);

    // False (and closed, with the reason) when the file was removed since it
    // was opened (its spool directory deleted, say): appends would go on
    // succeeding into an unlinked file that nobody can read.
    bool checkStillLinked();

    // The file's size as this writer knows it (its size at open plus what
    // it appended since).
    qint64 size() const { return m_size; }
    bool isOpen() const { return m_file.isOpen(); }
    QString errorString() const { return m_error; }
    QString fileName() const { return m_path; }
    void close();

private:
    bool fail(const QString &what);

    NativeFile m_file;
    qint64 m_size = 0;
    QString m_path;
    QString m_error;
};

} // namespace kw
