// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "wrapper/windowscommandline.h"

namespace kw {

namespace {

bool needsQuotes(const QString &argument) {
    for (const QChar c : argument) {
        if (c == u' ' || c == u'\t' || c == u'\n' || c == u'\v' || c == u'"')
            return true;
    }
    return argument.isEmpty();
}

QString quotedProgram(const QString &program) {
    if (!program.isEmpty() && !program.contains(u' ') && !program.contains(u'\t'))
        return program;
    return QLatin1Char('"') + program + QLatin1Char('"');
}

} // namespace

QString windowsQuotedArgument(const QString &argument) {
    if (!needsQuotes(argument))
        return argument;
    QString quoted;
    quoted.reserve(argument.size() + 2);
    quoted += u'"';
    qsizetype backslashes = 0;
    for (const QChar c : argument) {
        if (c == u'\\') {
            ++backslashes;
            continue;
        }
        if (c == u'"') {
            // Each backslash before a quote escapes the next: double them,
            // then escape the quote itself.
            quoted += QString(backslashes * 2 + 1, u'\\');
            quoted += u'"';
        } else {
            // Backslashes before anything else are taken as they are.
            quoted += QString(backslashes, u'\\');
            quoted += c;
        }
        backslashes = 0;
    }
    // Before the closing quote they would escape it: double them.
    quoted += QString(backslashes * 2, u'\\');
    quoted += u'"';
    return quoted;
}

QString windowsCommandLine(const QStringList &arguments) {
    QString line;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        if (i > 0)
            line += u' ';
        line += i == 0 ? quotedProgram(arguments[i]) : windowsQuotedArgument(arguments[i]);
    }
    return line;
}

} // namespace kw
