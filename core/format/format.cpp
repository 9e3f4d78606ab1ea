// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "format/format.h"

#include <QDateTime>
#include <QLocale>

namespace kw::Format {

namespace {

QString localTime(qint64 ms, QStringView format) {
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(format);
}

} // namespace

QString bytes(qint64 bytes) {
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString bytesProgress(std::optional<qint64> done, std::optional<qint64> total) {
    if (!done)
        return {};
    if (!total)
        return bytes(*done);
    return bytes(*done) + QLatin1String(" / ") + bytes(*total);
}

QString rate(double bytesPerSecond) {
    return bytes(qint64(bytesPerSecond)) + QLatin1String("/s");
}

QString duration(qint64 ms) {
    if (ms < 0)
        return {};
    const qint64 s = ms / 1000;
    if (s < 60)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h %2m").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0'));
}

QString dateTime(qint64 msSinceEpoch) {
    return localTime(msSinceEpoch, u"yyyy-MM-dd HH:mm:ss");
}

QString dateTimeMs(qint64 msSinceEpoch) {
    return localTime(msSinceEpoch, u"yyyy-MM-dd HH:mm:ss.zzz");
}

QString timeMs(qint64 msSinceEpoch) {
    return localTime(msSinceEpoch, u"HH:mm:ss.zzz");
}

} // namespace kw::Format
