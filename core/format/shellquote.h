// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringList>

namespace kw::ShellQuote {

// POSIX shell quoting, for text that a shell (or a shell-like splitter such as
// Python's shlex, which borg uses for BORG_PASSCOMMAND) reads back as one
// word, whatever it holds: quotes, spaces, $(...), backquotes, newlines.
//
// Always quotes: 'text', with every ' written as '\''.
QString quote(const QString &text);
// Leaves words made only of safe characters alone (for text people read).
QString quoteIfNeeded(const QString &text);
// quoteIfNeeded() on each word, joined by spaces.
QString join(const QStringList &words);

} // namespace kw::ShellQuote
