// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>

namespace kw::SpoolLocation {

// $HOME, else the user's home in the password database (never "/" just
// because $HOME is unset, as in a system unit). %USERPROFILE% on Windows.
QString homeDirectory();

// $XDG_STATE_HOME/keepwatch, else ~/.local/state/keepwatch: where Keepwatch
// keeps its state (the spool, the history database). On Windows
// %LOCALAPPDATA%\Keepwatch.
QString stateDirectory();

// $KEEPWATCH_SPOOL, else $XDG_STATE_HOME/keepwatch/spool, else
// ~/.local/state/keepwatch/spool.
QString defaultDirectory();

// The file of one session: <dir>/<id>.jsonl. Empty (and `error` set) when the
// ID is not a valid session ID, so an untrusted ID never becomes a path.
QString fileForSession(const QString &directory, const QString &sessionId,
                       QString *error = nullptr);

// Creates the directory (and parents) private to the user (0700). Returns an
// error message, empty on success.
QString ensureDirectory(const QString &directory);

// Whether a source identity is a spool's (own "spool", extra "spool:DIR",
// or a user's directory of the system spool, "system:<user>"): its sessions
// may have a wrapper that can be cancelled.
bool isSpoolIdentity(const QString &identity);

constexpr const char *kFileSuffix = ".jsonl";

} // namespace kw::SpoolLocation
