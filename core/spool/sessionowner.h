// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>

namespace kw {

struct Session;

// Whose a session is, for the window's Mine/System filter, its lock on
// sessions this user cannot cancel and its notification rules: one answer
// for all three.
//
// The owner is the kernel's word wherever there is one, never a payload's:
// - a system-spool session (system:<user>) is the owner of its directory,
//   whose files SpoolSource accepts only from that owner;
// - a discovered process (proc) is its uid's user, read from /proc;
// - the own spool (0700, this user's) holds only this user's sessions;
// - an extra spool the user configured says in its start event.
namespace SessionOwner {

// The user `session` belongs to; empty when nothing says.
QString of(const Session &session);

// The user this process runs as (looked up once).
const QString &me();

// Whether `session` is this user's own: its owner is this user, or nothing
// names another (a session of a spool the user chose to read).
bool isMine(const Session &session);

} // namespace SessionOwner

} // namespace kw
