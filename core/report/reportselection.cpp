// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "report/reportselection.h"

#include "store/session.h"

#include <QDateTime>
#include <QTimeZone>

namespace kw {

bool ReportSelection::matches(const Session &s) const {
    if (!states.isEmpty() && !states.contains(s.state))
        return false;
    if (!tools.isEmpty() && !tools.contains(s.tool, Qt::CaseInsensitive))
        return false;
    if (!sessionIds.isEmpty() && !sessionIds.contains(s.key.id))
        return false;
    const qint64 start = s.effectiveStartMs();
    // A running session runs until now; a finished one without an end event
    // (interrupted) until its last event.
    const qint64 end = s.effectiveEndMs(nowMs);
    if (toMs && start >= *toMs)
        return false;
    if (fromMs && std::max(start, end) < *fromMs)
        return false;
    return true;
}

std::optional<qint64> ReportSelection::parseDuration(QStringView text) {
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    qint64 total = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype digits = i;
        while (i < text.size() && text[i].isDigit())
            ++i;
        if (i == digits || i == text.size() || i - digits > 9)
            return std::nullopt; // a number and a unit each time
        const qint64 n = text.mid(digits, i - digits).toLongLong();
        qint64 unit = 0;
        switch (text[i].toLower().unicode()) {
        case 's':
            unit = 1000;
            break;
        case 'm':
            unit = 60 * 1000;
            break;
        case 'h':
            unit = 3600 * 1000;
            break;
        case 'd':
            unit = 24 * 3600 * 1000;
            break;
        case 'w':
            unit = 7 * 24 * 3600 * qint64(1000);
            break;
        default:
            return std::nullopt;
        }
        ++i;
        total += n * unit;
    }
    return total;
}

std::optional<qint64> ReportSelection::parseTime(QStringView text, qint64 nowMs) {
    const QString t = text.trimmed().toString();
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs).toLocalTime();
    if (t.compare(QLatin1String("now"), Qt::CaseInsensitive) == 0)
        return nowMs;
    if (t.compare(QLatin1String("today"), Qt::CaseInsensitive) == 0)
        return QDateTime(now.date(), QTime(0, 0)).toMSecsSinceEpoch();
    if (t.compare(QLatin1String("yesterday"), Qt::CaseInsensitive) == 0)
        return QDateTime(now.date().addDays(-1), QTime(0, 0)).toMSecsSinceEpoch();
    QString iso = t;
    if (iso.size() > 10 && iso[10] == QLatin1Char(' '))
        iso[10] = QLatin1Char('T');
    if (iso.size() == 10) {
        const QDate date = QDate::fromString(iso, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        return QDateTime(date, QTime(0, 0)).toMSecsSinceEpoch();
    }
    const QDateTime dt = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    return dt.toMSecsSinceEpoch(); // Qt takes a time without a zone as local time
}

std::optional<QList<LogLevel>> ReportSelection::parseLevels(QStringView text) {
    QList<LogLevel> levels;
    for (QStringView name : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto level = logLevelFromString(name.trimmed());
        if (!level)
            return std::nullopt;
        if (!levels.contains(*level))
            levels.append(*level);
    }
    if (levels.isEmpty())
        return std::nullopt;
    return levels;
}

} // namespace kw
