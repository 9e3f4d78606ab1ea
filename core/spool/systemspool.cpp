// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/systemspool.h"

#include "platform/nativefile.h"
#include "platform/useraccounts.h"

#include <QDir>

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
    FileFailure failure;
    const auto st = NativeFile::statPath(directory, &failure);
    if (!st)
        return failure.text;
    if (st->type == FileStatus::Type::SymbolicLink)
        return QStringLiteral("is a symbolic link");
    if (st->type != FileStatus::Type::Directory)
        return QStringLiteral("is not a directory");
    // No owner uid (Windows): never taken for the user's.
    if (st->ownerUid != uid)
        return QStringLiteral("belongs to %1, not %2")
            .arg(st->ownerUid ? UserAccounts::nameOf(*st->ownerUid)
                              : QStringLiteral("an unknown user"),
                 UserAccounts::nameOf(uid));
    if (st->groupWritable || st->otherWritable)
        return QStringLiteral("is writable by %1")
            .arg(st->otherWritable ? QStringLiteral("everyone") : QStringLiteral("its group"));
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
