// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace kw::SystemSpool {

// The system spool: where root's and service users' sessions go so that a
// group can watch them and nobody can forge them (docs/system-spool.md):
//
//   ROOT/          0751 root:keepwatch    (751: granted users pass, cannot list)
//   ROOT/root/     2750 root:keepwatch
//   ROOT/<user>/   2750 <user>:keepwatch   (a service user root opted in)
//   <session>.jsonl  0640, its group from the setgid directory
//
// ROOT is $KEEPWATCH_SYSTEM_SPOOL, else /var/lib/keepwatch/spool.

constexpr const char *kGroup = "keepwatch";
constexpr const char *kDefaultRoot = "/var/lib/keepwatch/spool";
constexpr const char *kEnvironmentVariable = "KEEPWATCH_SYSTEM_SPOOL";

QString root();
// ROOT/<user> (no check: `user` must be a name from the password database).
QString directoryFor(const QString &userName);

// The identity of a user's system spool directory as a source
// (SessionSource::name): "system:<user>". Sessions are keyed by it and
// their ID, so one user's file can never add to another user's session.
QString identityFor(const QString &userName);
bool isSystemIdentity(const QString &identity);
// The user of a "system:<user>" identity; empty for any other identity.
QString userOfIdentity(const QString &identity);

// Why `directory` is not a user's system spool directory it can trust:
// empty when it is a real directory (not a link) owned by `uid`, not
// writable by group or others. `directory` is checked with lstat(2).
QString directoryProblem(const QString &directory, uint uid);

// Where `keepwatch-cli run` of `uid` writes in the system spool: ROOT/<name
// of uid> when that directory exists and passes directoryProblem(); else
// empty, with `why` saying what is missing.
QString writableDirectory(uint uid, QString *why = nullptr);

} // namespace kw::SystemSpool
