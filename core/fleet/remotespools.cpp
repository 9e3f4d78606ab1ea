// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/remotespools.h"

#include "fleet/fleettopics.h"

#include <QDir>

namespace kw::RemoteSpools {

QString root(const QString &stateDirectory) {
    return QDir(stateDirectory).filePath(QStringLiteral("remote"));
}

QStringList hosts(const QString &root) {
    QStringList result;
    const QStringList entries =
        QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDir::Name);
    for (const QString &entry : entries) {
        if (FleetTopics::hostProblem(entry).isEmpty())
            result.append(entry);
    }
    return result;
}

QString lockPath(const QString &root) {
    return QDir(root).filePath(QStringLiteral(".collector.lock"));
}

namespace {
constexpr QLatin1String kIdentityPrefix("remote:");
}

QString identityFor(const QString &host) {
    return kIdentityPrefix + host;
}

QString hostOfIdentity(const QString &identity) {
    return identity.startsWith(kIdentityPrefix) ? identity.mid(kIdentityPrefix.size()) : QString();
}

} // namespace kw::RemoteSpools
