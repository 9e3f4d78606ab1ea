// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/useraccounts.h"

#include <QByteArray>
#include <QFile>
#include <QVarLengthArray>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace kw::UserAccounts {

std::optional<uint> uidOf(const QString &userName) {
    if (userName.isEmpty())
        return std::nullopt;
    const passwd *pw = ::getpwnam(QFile::encodeName(userName).constData());
    if (!pw)
        return std::nullopt;
    return uint(pw->pw_uid);
}

QString nameOf(uint uid) {
    if (const passwd *pw = ::getpwuid(uid_t(uid)); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return QString::number(uid);
}

QString homeOf(uint uid) {
    if (const passwd *pw = ::getpwuid(uid_t(uid)); pw && pw->pw_dir)
        return QFile::decodeName(pw->pw_dir);
    return {};
}

std::optional<uint> gidOf(const QString &groupName) {
    const group *gr = ::getgrnam(QFile::encodeName(groupName).constData());
    if (!gr)
        return std::nullopt;
    return uint(gr->gr_gid);
}

bool processHasGroup(uint gid) {
    if (::getegid() == gid_t(gid))
        return true;
    const int count = ::getgroups(0, nullptr);
    if (count <= 0)
        return false;
    QVarLengthArray<gid_t, 64> groups(count);
    const int got = ::getgroups(count, groups.data());
    for (int i = 0; i < got; ++i) {
        if (groups[i] == gid_t(gid))
            return true;
    }
    return false;
}

bool isListedMember(const QString &userName, const QString &groupName) {
    const group *gr = ::getgrnam(QFile::encodeName(groupName).constData());
    if (!gr)
        return false;
    const QByteArray name = QFile::encodeName(userName);
    for (char **member = gr->gr_mem; member && *member; ++member) {
        if (name == *member)
            return true;
    }
    // Also a member whose primary group it is.
    const passwd *pw = ::getpwnam(name.constData());
    return pw && pw->pw_gid == gr->gr_gid;
}

uint effectiveUid() {
    return uint(::geteuid());
}

} // namespace kw::UserAccounts
