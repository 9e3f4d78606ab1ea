// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spooltarget.h"

#include "platform/useraccounts.h"
#include "spool/spoollocation.h"
#include "spool/systemspool.h"

#include <QDir>

namespace kw {

namespace {

SpoolTarget systemSpool(uint uid) {
    SpoolTarget target;
    QString why;
    target.directory = SystemSpool::writableDirectory(uid, &why);
    target.groupReadable = !target.directory.isEmpty();
    if (target.directory.isEmpty()) {
        const QString user = UserAccounts::nameOf(uid);
        target.error =
            uid == 0 ? QStringLiteral("the system spool is not set up (%1): run "
                                      "`keepwatch-cli system-spool init` as root")
                           .arg(why)
                     : QStringLiteral("no system spool directory for %1 (%2): root grants one "
                                      "with `keepwatch-cli system-spool grant %1`")
                           .arg(user, why);
    }
    return target;
}

} // namespace

SpoolTarget SpoolTarget::privateSpool(uint uid) {
    SpoolTarget target;
    const bool chosenByEnvironment = !qEnvironmentVariableIsEmpty("KEEPWATCH_SPOOL");
    const QString home = SpoolLocation::homeDirectory();
    const QString stateHome = qEnvironmentVariable("XDG_STATE_HOME");
    const bool needsHome =
        !chosenByEnvironment && (stateHome.isEmpty() || QDir::isRelativePath(stateHome));
    if (needsHome && (home.isEmpty() || home == QLatin1String("/"))) {
        target.error = QStringLiteral("%1 has no home directory for a private spool (the "
                                      "password database says \"%2\"): use --spool system or "
                                      "--spool DIR")
                           .arg(UserAccounts::nameOf(uid), home);
        return target;
    }
    target.directory = SpoolLocation::defaultDirectory();
    return target;
}

SpoolTarget SpoolTarget::choose(const QString &request, uint uid) {
    if (request == QLatin1String("user"))
        return privateSpool(uid);
    if (request == QLatin1String("system"))
        return systemSpool(uid);
    if (!request.isEmpty()) {
        SpoolTarget target;
        target.directory = QDir::cleanPath(QDir::current().absoluteFilePath(request));
        // The user's own system directory named by its path is still the system spool.
        target.groupReadable =
            target.directory == SystemSpool::writableDirectory(uid) && !target.directory.isEmpty();
        return target;
    }
    if (!qEnvironmentVariableIsEmpty("KEEPWATCH_SPOOL"))
        return privateSpool(uid);
    if (SpoolTarget system = systemSpool(uid); system.isValid())
        return system;
    SpoolTarget target = privateSpool(uid);
    if (uid == 0 && target.isValid())
        target.note = QStringLiteral("keepwatch-cli: note: this session goes to root's private "
                                     "spool %1, which only root can watch; "
                                     "`keepwatch-cli system-spool init` lets group %2 watch "
                                     "root's backups")
                          .arg(target.directory, QLatin1String(SystemSpool::kGroup));
    return target;
}

} // namespace kw
