// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/systemspoolsetup.h"

#include "platform/useraccounts.h"
#include "spool/systemspool.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace kw::SystemSpoolSetup {

namespace {

QString errnoText() {
    return QString::fromLocal8Bit(std::strerror(errno));
}

QString modeText(mode_t mode) {
    return QStringLiteral("%1").arg(uint(mode & 07777), 4, 8, QLatin1Char('0'));
}

QString describe(uint uid, uint gid, mode_t mode) {
    return QStringLiteral("%1 %2:%3")
        .arg(modeText(mode), UserAccounts::nameOf(uid),
             gid == uint(-1) ? QStringLiteral("?") : QString::number(gid));
}

// One directory with its owner, group and mode, made or corrected.
bool ensureDirectory(const QString &path, uint uid, uint gid, mode_t mode, Result &result) {
    const QByteArray native = QFile::encodeName(path);
    const QString wanted =
        QStringLiteral("%1 %2:%3")
            .arg(modeText(mode), UserAccounts::nameOf(uid), QLatin1String(SystemSpool::kGroup));
    struct stat st;
    if (::lstat(native.constData(), &st) != 0) {
        if (errno != ENOENT) {
            result.error = QStringLiteral("cannot check %1: %2").arg(path, errnoText());
            return false;
        }
        if (::mkdir(native.constData(), 0700) != 0) {
            result.error = QStringLiteral("cannot create %1: %2").arg(path, errnoText());
            return false;
        }
        // Owner first, then the mode: chown may clear the setgid bit.
        if (::lchown(native.constData(), uid_t(uid), gid_t(gid)) != 0
            || ::chmod(native.constData(), mode) != 0) {
            result.error = QStringLiteral("cannot set up %1: %2").arg(path, errnoText());
            return false;
        }
        result.done << QStringLiteral("created %1 (%2)").arg(path, wanted);
        return true;
    }
    if (!S_ISDIR(st.st_mode)) {
        result.error =
            QStringLiteral("%1 exists and is not a directory%2: remove it first")
                .arg(path, S_ISLNK(st.st_mode) ? QStringLiteral(" (a symbolic link)") : QString());
        return false;
    }
    if (uint(st.st_uid) == uid && uint(st.st_gid) == gid && (st.st_mode & 07777) == mode) {
        result.done << QStringLiteral("%1 is already %2").arg(path, wanted);
        return true;
    }
    const QString was = describe(st.st_uid, st.st_gid, st.st_mode);
    if (::lchown(native.constData(), uid_t(uid), gid_t(gid)) != 0
        || ::chmod(native.constData(), mode) != 0) {
        result.error = QStringLiteral("cannot correct %1: %2").arg(path, errnoText());
        return false;
    }
    result.done << QStringLiteral("corrected %1 to %2 (was %3)").arg(path, wanted, was);
    return true;
}

bool needRoot(const char *what, Result &result) {
    if (UserAccounts::effectiveUid() == 0)
        return true;
    result.error = QStringLiteral("system-spool %1 changes system directories and groups: run it "
                                  "as root (sudo keepwatch-cli system-spool %1)")
                       .arg(QLatin1String(what));
    return false;
}

} // namespace

Result init() {
    Result result;
    if (!needRoot("init", result))
        return result;
    const QString group = QLatin1String(SystemSpool::kGroup);
    std::optional<uint> gid = UserAccounts::gidOf(group);
    if (gid) {
        result.done << QStringLiteral("group %1 exists").arg(group);
    } else {
        QProcess groupadd;
        groupadd.start(QStringLiteral("groupadd"), {QStringLiteral("--system"), group});
        groupadd.waitForFinished(30000);
        gid = UserAccounts::gidOf(group);
        if (!gid) {
            result.error =
                QStringLiteral("cannot create group %1 with groupadd: %2")
                    .arg(group,
                         groupadd.error() == QProcess::FailedToStart
                             ? groupadd.errorString()
                             : QString::fromLocal8Bit(groupadd.readAllStandardError().trimmed()));
            return result;
        }
        result.done << QStringLiteral("created group %1").arg(group);
    }
    const QString root = SystemSpool::root();
    // The parents (/var/lib/keepwatch) are ordinary root directories.
    const QString parent = QFileInfo(root).absolutePath();
    if (!QFileInfo(parent).isDir()) {
        if (!QDir().mkpath(parent)) {
            result.error = QStringLiteral("cannot create %1").arg(parent);
            return result;
        }
        ::chmod(QFile::encodeName(parent).constData(), 0755);
        result.done << QStringLiteral("created %1").arg(parent);
    }
    if (!ensureDirectory(root, 0, *gid, 0751, result)
        || !ensureDirectory(SystemSpool::directoryFor(QStringLiteral("root")), 0, *gid, 02750,
                            result))
        return result;
    result.done << QStringLiteral("root's `keepwatch-cli run` now records in %1; members of "
                                  "group %2 watch it (sudo adduser USER %2)")
                       .arg(SystemSpool::directoryFor(QStringLiteral("root")), group);
    return result;
}

Result grant(const QString &userName) {
    Result result;
    if (!needRoot("grant", result))
        return result;
    const std::optional<uint> uid = UserAccounts::uidOf(userName);
    if (!uid) {
        result.error = QStringLiteral("no user %1 in the password database").arg(userName);
        return result;
    }
    const QString group = QLatin1String(SystemSpool::kGroup);
    const std::optional<uint> gid = UserAccounts::gidOf(group);
    const QString root = SystemSpool::root();
    struct stat st;
    if (!gid || ::lstat(QFile::encodeName(root).constData(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        result.error = QStringLiteral("the system spool %1 is not set up: run `keepwatch-cli "
                                      "system-spool init` first")
                           .arg(root);
        return result;
    }
    const QString directory = SystemSpool::directoryFor(UserAccounts::nameOf(*uid));
    if (!ensureDirectory(directory, *uid, *gid, 02750, result))
        return result;
    result.done << QStringLiteral("%1's `keepwatch-cli run` now records in %2; members of group "
                                  "%3 watch it")
                       .arg(userName, directory, group);
    return result;
}

} // namespace kw::SystemSpoolSetup
