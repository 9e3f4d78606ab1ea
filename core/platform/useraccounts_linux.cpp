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

namespace {

// The reentrant look-ups (getpwnam_r and friends): the collector's thread
// and the GUI thread both ask, and the plain ones share one static buffer.
struct PasswdEntry {
    passwd entry{};
    QByteArray buffer = QByteArray(16384, Qt::Uninitialized);
    bool found = false;
};

PasswdEntry byName(const QString &userName) {
    PasswdEntry e;
    passwd *result = nullptr;
    ::getpwnam_r(QFile::encodeName(userName).constData(), &e.entry, e.buffer.data(),
                 size_t(e.buffer.size()), &result);
    e.found = result != nullptr;
    return e;
}

PasswdEntry byUid(uint uid) {
    PasswdEntry e;
    passwd *result = nullptr;
    ::getpwuid_r(uid_t(uid), &e.entry, e.buffer.data(), size_t(e.buffer.size()), &result);
    e.found = result != nullptr;
    return e;
}

struct GroupEntry {
    group entry{};
    QByteArray buffer = QByteArray(65536, Qt::Uninitialized); // member lists can be long
    bool found = false;
};

GroupEntry groupByName(const QString &groupName) {
    GroupEntry e;
    group *result = nullptr;
    ::getgrnam_r(QFile::encodeName(groupName).constData(), &e.entry, e.buffer.data(),
                 size_t(e.buffer.size()), &result);
    e.found = result != nullptr;
    return e;
}

} // namespace

std::optional<uint> uidOf(const QString &userName) {
    if (userName.isEmpty())
        return std::nullopt;
    const PasswdEntry e = byName(userName);
    return e.found ? std::optional<uint>(uint(e.entry.pw_uid)) : std::nullopt;
}

QString nameOf(uint uid) {
    const PasswdEntry e = byUid(uid);
    if (e.found && e.entry.pw_name)
        return QString::fromLocal8Bit(e.entry.pw_name);
    return QString::number(uid);
}

QString homeOf(uint uid) {
    const PasswdEntry e = byUid(uid);
    return e.found && e.entry.pw_dir ? QFile::decodeName(e.entry.pw_dir) : QString();
}

std::optional<uint> gidOf(const QString &groupName) {
    const GroupEntry e = groupByName(groupName);
    return e.found ? std::optional<uint>(uint(e.entry.gr_gid)) : std::nullopt;
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
    const GroupEntry g = groupByName(groupName);
    if (!g.found)
        return false;
    const QByteArray name = QFile::encodeName(userName);
    for (char **member = g.entry.gr_mem; member && *member; ++member) {
        if (name == *member)
            return true;
    }
    // Also a member whose primary group it is.
    const PasswdEntry u = byName(userName);
    return u.found && u.entry.pw_gid == g.entry.gr_gid;
}

uint effectiveUid() {
    return uint(::geteuid());
}

} // namespace kw::UserAccounts
