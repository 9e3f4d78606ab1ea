// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

namespace kw {

// How many files this process may hold open. On POSIX the soft
// RLIMIT_NOFILE is first raised to the hard one (at most 1,048,576): Debian
// starts processes with a soft limit of 1,024 and a hard one of 524,288
// (systemd's defaults), the first meant for old select() users, which
// Keepwatch is not (Qt polls). Windows has no such small limit for its
// handles: a large constant. Done once a process; later calls only read.
long raisedOpenFileLimit();

// How many files a process may keep open between uses (a cache of
// descriptors: the collector's mirrors, the agent's live spool files): half
// the raised limit less a reserve for everything else (sockets, the spools'
// readers, the history, Qt's own), between 16 and 4,096.
int heldFilesBudget();

} // namespace kw
