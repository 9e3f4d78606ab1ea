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
//
// Windows has SIDs, not uids. There a uid is a number this process gives
// each SID it meets (the first time it meets it, under a lock; never 0, so
// no Windows user is ever taken for root): equal numbers mean equal SIDs
// (EqualSid), different numbers different SIDs. That keeps every caller's
// "is it the same user as me / as the file's owner" exact, never a guess
// from a RID, which repeats across machines and domains. The numbers mean
// nothing outside this process: never store or send them (no caller does;
// they store names). Names are LookupAccountSidW's account names without
// the domain (as GetUserNameW gives the current user's); a SID without a
// name reads as its string form ("S-1-5-21-...").
// Groups: Keepwatch's group-based system spool exists only on Linux, so
// on Windows there is no group to know: gidOf() is none, and nobody is a
// member (processHasGroup() and isListedMember() are false).

// Windows: LookupAccountNameW ("name" or "DOMAIN\\name"), user accounts only.
std::optional<uint> uidOf(const QString &userName);
// The name of `uid`, or its number when it has no name.
QString nameOf(uint uid);
// The home directory of `uid` from the password database (not $HOME).
// Windows: the profile directory (GetUserProfileDirectoryW for the current
// user, the registry's ProfileList for another), with '/' separators.
QString homeOf(uint uid);
std::optional<uint> gidOf(const QString &groupName);
// Whether the *calling process* has `gid` among its groups (effective or
// supplementary): what decides if it may read a group's files now.
bool processHasGroup(uint gid);
// Whether `userName` is listed in the group database as a member of
// `groupName` (it takes effect at the user's next login).
bool isListedMember(const QString &userName, const QString &groupName);

// Windows: the number of this process's token's user SID.
uint effectiveUid();

} // namespace kw::UserAccounts
