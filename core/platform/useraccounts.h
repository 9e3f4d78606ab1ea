// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <optional>

namespace kw::UserAccounts {

// The password and group databases (getpwnam(3), getgrnam(3)): what the
// kernel's numbers mean. Never a name from a payload: callers pass names
// the system itself gave (a directory name they then check against its
// owner, a user on the command line of root).

std::optional<uint> uidOf(const QString &userName);
// The name of `uid`, or its number when it has no name.
QString nameOf(uint uid);
// The home directory of `uid` from the password database (not $HOME).
QString homeOf(uint uid);
std::optional<uint> gidOf(const QString &groupName);
// Whether the *calling process* has `gid` among its groups (effective or
// supplementary): what decides if it may read a group's files now.
bool processHasGroup(uint gid);
// Whether `userName` is listed in the group database as a member of
// `groupName` (it takes effect at the user's next login).
bool isListedMember(const QString &userName, const QString &groupName);

uint effectiveUid();

} // namespace kw::UserAccounts
