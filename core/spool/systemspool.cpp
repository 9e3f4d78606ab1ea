// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/systemspool.h"

#include "platform/useraccounts.h"

#include <QDir>
#include <QFile>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace kw::SystemSpool {

namespace {
const QLatin1String kIdentityPrefix("system:");
}

QString root() {
    const QString fromEnv = qEnvironmentVariable(kEnvironmentVariable);
    if (!fromEnv.isEmpty() && QDir::isAbsolutePath(fromEnv))
        return QDir::cleanPath(fromEnv);
    return QString::fromLatin1(kDefaultRoot);
}

QString directoryFor(const QString &userName) {
    return root() + QLatin1Char('/') + userName;
}

QString identityFor(const QString &userName) {
    return kIdentityPrefix + userName;
}

bool isSystemIdentity(const QString &identity) {
    return identity.startsWith(kIdentityPrefix) && identity.size() > kIdentityPrefix.size();
}

QString userOfIdentity(const QString &identity) {
    return isSystemIdentity(identity) ? identity.mid(kIdentityPrefix.size()) : QString();
}

QString directoryProblem(const QString &directory, uint uid) {
    struct stat st;
    if (::lstat(QFile::encodeName(directory).constData(), &st) != 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    if (S_ISLNK(st.st_mode))
        return QStringLiteral("is a symbolic link");
    if (!S_ISDIR(st.st_mode))
        return QStringLiteral("is not a directory");
    if (uint(st.st_uid) != uid)
        return QStringLiteral("belongs to %1, not %2")
            .arg(UserAccounts::nameOf(st.st_uid), UserAccounts::nameOf(uid));
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return QStringLiteral("is writable by %1")
            .arg(st.st_mode & S_IWOTH ? QStringLiteral("everyone") : QStringLiteral("its group"));
    return {};
}

QString writableDirectory(uint uid, QString *why) {
    QString directory = directoryFor(UserAccounts::nameOf(uid));
    const QString problem = directoryProblem(directory, uid);
    if (problem.isEmpty())
        return directory;
    if (why)
        *why = QStringLiteral("%1 %2").arg(directory, problem);
    return {};
}

} // namespace kw::SystemSpool
