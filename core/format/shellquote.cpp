// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "format/shellquote.h"

namespace kw::ShellQuote {

namespace {

bool isSafe(QChar c) {
    if (c.unicode() >= 0x80)
        return false;
    const char a = char(c.unicode());
    return (a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z') || (a >= '0' && a <= '9')
           || QByteArrayView("_@%+=:,./-").contains(a);
}

} // namespace

QString quote(const QString &text) {
    QString out;
    out.reserve(text.size() + 2);
    out += QLatin1Char('\'');
    for (const QChar c : text) {
        if (c == QLatin1Char('\''))
            out += QLatin1String("'\\''");
        else
            out += c;
    }
    out += QLatin1Char('\'');
    return out;
}

QString quoteIfNeeded(const QString &text) {
    if (text.isEmpty())
        return QStringLiteral("''");
    for (const QChar c : text) {
        if (!isSafe(c))
            return quote(text);
    }
    return text;
}

QString join(const QStringList &words) {
    QStringList quoted;
    quoted.reserve(words.size());
    for (const QString &w : words)
        quoted.append(quoteIfNeeded(w));
    return quoted.join(QLatin1Char(' '));
}

} // namespace kw::ShellQuote
