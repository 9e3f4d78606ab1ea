// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/agentoffsets.h"

#include "platform/nativefile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace kw {

QString AgentOffsets::load() {
    m_entries.clear();
    QFile file(m_path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString());
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (!doc.isObject())
        return QStringLiteral("%1 is not the agent's offsets (%2): publishing everything again")
            .arg(m_path, error.errorString());
    const QJsonObject files = doc.object();
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        const qint64 offset = o.value(QLatin1String("offset")).toInteger(-1);
        const QString epoch = o.value(QLatin1String("epoch")).toString();
        if (offset >= 0 && !epoch.isEmpty())
            m_entries.insert(it.key(), Entry{epoch, offset});
    }
    return {};
}

QString AgentOffsets::save() const {
    QJsonObject files;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        files.insert(it.key(), QJsonObject{{QLatin1String("epoch"), it->epoch},
                                           {QLatin1String("offset"), it->offset}});
    const QByteArray bytes = QJsonDocument(files).toJson(QJsonDocument::Compact) + '\n';
    // Durable before it replaces the old file (QSaveFile syncs the new file
    // to disk, then renames it over the old one): a commit the agent relies
    // on after a power cut must be on disk.
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (file.write(bytes) != bytes.size() || !file.commit())
        return QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
    // And the rename itself.
    NativeFile::syncDirectory(QFileInfo(m_path).absolutePath());
    return {};
}

} // namespace kw
