// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QStringList>

namespace kw::cli {

// keepwatch-cli reindex [--database PATH]: rebuilds the history database
// from the spool, into a new file that replaces the old one only when done.
int reindexCommand(const QStringList &args);

// keepwatch-cli retention [--max-age DURATION] [--max-sessions N] [--dry-run]
// [--database PATH]: reads the spool into the history first, then forgets
// finished sessions older than DURATION or beyond the newest N.
int retentionCommand(const QStringList &args);

} // namespace kw::cli
