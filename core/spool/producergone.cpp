// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/producergone.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace kw {

namespace {
constexpr qint64 kMaxMarkerBytes = 4096;
}

QByteArray ProducerGone::toJson() const {
    return QJsonDocument(QJsonObject{{QLatin1String("v"), 1},
                                     {QLatin1String("pid"), pid},
                                     {QLatin1String("gone_ms"), atMs},
                                     {QLatin1String("end"), endOffset},
                                     {QLatin1String("epoch"), epoch}})
        .toJson(QJsonDocument::Compact);
}

std::optional<ProducerGone> ProducerGone::fromJson(const QByteArray &json) {
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    ProducerGone gone;
    gone.pid = o.value(QLatin1String("pid")).toInteger(-1);
    gone.atMs = o.value(QLatin1String("gone_ms")).toInteger(-1);
    gone.endOffset = o.value(QLatin1String("end")).toInteger(-1);
    gone.epoch = o.value(QLatin1String("epoch")).toString();
    if (gone.pid < 0 || gone.atMs <= 0 || gone.endOffset < 0)
        return std::nullopt;
    return gone;
}

std::optional<ProducerGone> ProducerGone::read(const QString &markerPath) {
    QFile file(markerPath);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return fromJson(file.read(kMaxMarkerBytes));
}

QString ProducerGone::write(const QString &markerPath) const {
    QSaveFile file(markerPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson()) < 0 || !file.commit())
        return QStringLiteral("cannot write %1: %2").arg(markerPath, file.errorString());
    return {};
}

} // namespace kw
