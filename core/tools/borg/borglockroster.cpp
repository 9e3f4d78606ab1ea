// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/borg/borglockroster.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace kw {

std::optional<BorgLockRoster> BorgLockRoster::parse(const QByteArray &json) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    BorgLockRoster roster;
    const QJsonObject root = doc.object();
    for (const bool exclusive : {true, false}) {
        const QJsonValue list =
            root.value(exclusive ? QLatin1String("exclusive") : QLatin1String("shared"));
        if (list.isUndefined() || list.isNull())
            continue;
        if (!list.isArray())
            return std::nullopt;
        for (const auto &entry : list.toArray()) {
            const QJsonArray fields = entry.toArray();
            if (fields.size() < 2 || !fields[0].isString() || !fields[1].isDouble())
                return std::nullopt;
            Holder h;
            h.exclusive = exclusive;
            h.hostId = fields[0].toString();
            h.pid = qint64(fields[1].toDouble());
            h.thread = fields.size() > 2 ? qint64(fields[2].toDouble()) : 0;
            roster.holders.append(h);
        }
    }
    return roster;
}

QString BorgLockRoster::describe() const {
    if (holders.isEmpty())
        return QStringLiteral("borg repository lock (lock.roster): not held");
    QStringList parts;
    for (const Holder &h : holders) {
        parts << QStringLiteral("%1, held by pid %2 on %3")
                     .arg(h.exclusive ? QLatin1String("exclusive") : QLatin1String("shared"))
                     .arg(h.pid)
                     .arg(h.hostId);
    }
    return QStringLiteral("borg repository lock (lock.roster): ") + parts.join(QLatin1String("; "));
}

} // namespace kw
