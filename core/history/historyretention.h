// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace kw {

class HistoryDatabase;

// Forgets old sessions: by age, by count, or both. What it removes is
// removed everywhere (database rows, their log lines and events, and the
// spool file), so that a reindex does not bring it back. It never removes:
// - a session that is not finished (running, stalled, cancelling, ...);
// - a session whose spool file has not been read into the database to its
//   end (something in it is not in the history yet);
// - a spool file that also holds a session that is kept.
class HistoryRetention final {
public:
    struct Rules {
        std::optional<qint64> maxAgeMs;    // finished longer ago than this
        std::optional<qint64> maxSessions; // keep the newest N finished sessions
    };
    struct Result {
        bool ok = false;
        qint64 sessionsRemoved = 0;
        qint64 logLinesRemoved = 0;
        QStringList filesRemoved;
        QString error;
    };

    static Result apply(HistoryDatabase &db, const QString &spoolDirectory, const Rules &rules,
                        qint64 nowMs, bool dryRun = false);
};

} // namespace kw
