// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace kw {

// A mirrored session's word from its host (docs/fleet.md): the wrapper that
// wrote the spool file there died without its end event. The host's agent
// sees it (its process is gone, the file does not end with an end event)
// and says so in the session's retained state; the collector keeps it
// beside the byte-identical mirror, in <mirror>.gone, and the mirror's
// reader ends the session `interrupted` once it has read the mirror to its
// end, as the local spool reader does for a wrapper of this machine.
struct ProducerGone {
    qint64 pid = 0;       // the wrapper's pid on its host (0: not known)
    qint64 atMs = 0;      // when its agent found it gone (its clock)
    qint64 endOffset = 0; // the file's size then: the mirror is complete at it
    QString epoch;        // of the file then (a new epoch is another file)

    static QString markerFor(const QString &sessionFile) {
        return sessionFile + QStringLiteral(".gone");
    }
    QByteArray toJson() const;
    // Nothing for a missing, unreadable or malformed marker.
    static std::optional<ProducerGone> fromJson(const QByteArray &json);
    static std::optional<ProducerGone> read(const QString &markerPath);
    // Written whole (temporary file, rename); an error message or empty.
    QString write(const QString &markerPath) const;
};

} // namespace kw
