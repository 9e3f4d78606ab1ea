// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringList>

namespace kw {

// Windows passes a program one command line, not an argv: each program splits
// it again, and nearly all do so by the Microsoft C runtime's rules (also
// CommandLineToArgvW's). These make the line that splits back into exactly
// `arguments` (plain code, tested on every platform: tst_windowscommandline).
//
// An argument is quoted when it is empty or holds a space, tab, newline,
// vertical tab or quote; inside quotes a quote is written \", and backslashes
// are doubled only where they come before a quote (an escaped quote or the
// closing one): C:\dir stays C:\dir, a\"b is written "a\\\"b".
//
// The program's own name (arguments[0]) is split by a simpler rule, with
// quotes and no escapes: it is only put in quotes when it holds a space or a
// tab. File names cannot hold quotes on Windows.
//
// cmd.exe and batch files split their arguments by other rules of their own;
// `cmd /c "echo hi & exit 3"` (three arguments) gives cmd the line it expects.
QString windowsCommandLine(const QStringList &arguments);
QString windowsQuotedArgument(const QString &argument);

} // namespace kw
