// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace kw {

struct Session;

// Which sessions a report covers, and which of their log lines: a plain value,
// like SessionFilter. Empty lists mean "any". The time range is half-open,
// [fromMs, toMs), and a session is in it when its run overlaps it (a backup
// that started before midnight and failed after is in "today").
struct ReportSelection {
    std::optional<qint64> fromMs;
    std::optional<qint64> toMs;
    QList<SessionState> states;
    QStringList tools; // compared case-insensitively
    QStringList sessionIds;
    QList<LogLevel> levels{LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error};
    // "Now", for the end of a running session and for --since.
    qint64 nowMs = 0;

    bool matches(const Session &session) const;
    bool includesLevel(LogLevel level) const { return levels.contains(level); }

    // "24h", "90m", "7d", "2w", "30s", also combined ("1h30m"): milliseconds.
    static std::optional<qint64> parseDuration(QStringView text);
    // ISO-8601 ("2026-11-24T08:00", "2026-11-24 08:00:00Z", "2026-11-24T08:00+01:00",
    // "2026-11-24"): local time when no zone is given. Also "now", "today" and
    // "yesterday" (local midnight). Milliseconds since the epoch.
    static std::optional<qint64> parseTime(QStringView text, qint64 nowMs);
    // "warning,error" (lenient names, as for log lines).
    static std::optional<QList<LogLevel>> parseLevels(QStringView text);
};

} // namespace kw
