// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spoollocation.h"

#include "platform/nativefile.h"
#include "platform/useraccounts.h"
#include "protocol/sessionid.h"
#include "spool/systemspool.h"

#include <QDir>
#include <QFileInfo>

namespace kw::SpoolLocation {

QString homeDirectory() {
#ifdef Q_OS_WIN
    return QDir::cleanPath(QDir::homePath()); // %USERPROFILE%
#else
    // A system unit without User= has no $HOME, and QDir::homePath() then
    // says "/": the password database knows better.
    const QString fromEnv = qEnvironmentVariable("HOME");
    if (!fromEnv.isEmpty() && QDir::isAbsolutePath(fromEnv))
        return QDir::cleanPath(fromEnv);
    return QDir::cleanPath(UserAccounts::homeOf(UserAccounts::effectiveUid()));
#endif
}

QString stateDirectory() {
#ifdef Q_OS_WIN
    // Per user and per machine (not roaming: the spool and the history are
    // this machine's), where Windows programs keep such state.
    const QString local = qEnvironmentVariable("LOCALAPPDATA");
    if (!local.isEmpty() && QDir::isAbsolutePath(local))
        return QDir::cleanPath(local + QLatin1String("/Keepwatch"));
    return QDir::cleanPath(homeDirectory() + QLatin1String("/AppData/Local/Keepwatch"));
#else
    QString stateHome = qEnvironmentVariable("XDG_STATE_HOME");
    // The XDG spec says a relative value is invalid and must be ignored.
    if (stateHome.isEmpty() || QDir::isRelativePath(stateHome))
        stateHome = homeDirectory() + QLatin1String("/.local/state");
    return QDir::cleanPath(stateHome + QLatin1String("/keepwatch"));
#endif
}

QString defaultDirectory() {
    const QString fromEnv = qEnvironmentVariable("KEEPWATCH_SPOOL");
    if (!fromEnv.isEmpty())
        return QDir::cleanPath(fromEnv);
    return stateDirectory() + QLatin1String("/spool");
}

QString fileForSession(const QString &directory, const QString &sessionId, QString *error) {
    const QString why = SessionId::validationError(sessionId);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return {};
    }
    return directory + QLatin1Char('/') + sessionId + QLatin1String(kFileSuffix);
}

QString ensureDirectory(const QString &directory) {
    const QFileInfo info(directory);
    if (info.isDir())
        return {};
    if (info.exists())
        return QStringLiteral("%1 exists and is not a directory").arg(directory);
    // Missing parents are made private too, as the XDG base directory spec
    // asks: with a lax umask the keepwatch directory holding the history
    // database would otherwise be open to others (who could replace files).
    const QString parent = info.absolutePath();
    if (parent != directory)
        if (QString why = ensureDirectory(parent); !why.isEmpty())
            return why;
    FileFailure failure;
    if (!NativeFile::makePrivateDirectory(directory, &failure))
        return QStringLiteral("cannot create directory %1: %2").arg(directory, failure.text);
    return {};
}

bool isSpoolIdentity(const QString &identity) {
    return identity == QLatin1String("spool") || identity.startsWith(QLatin1String("spool:"))
           || SystemSpool::isSystemIdentity(identity);
}

} // namespace kw::SpoolLocation
