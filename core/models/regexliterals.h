// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace kw {

// The literal text a regular expression cannot match without, read from its
// pattern, so that a log filter can search whole stretches of bytes for it
// and run the expression only on the lines that hold it (issue 18 item 4).
//
// The pattern is read as TextMatcher compiles it: PCRE2, case-insensitive,
// with Unicode properties. The answer is a list of sets of byte strings,
// best first: every line the expression matches holds at least one string
// of every set, ASCII letters folded (strings are lower case). Under
// Unicode case folding two ASCII letters have a non-ASCII twin, k (U+212A
// KELVIN SIGN) and s (U+017F LONG S): a set with a string holding one also
// holds the twin's UTF-8, so that such a line is still looked at.
//
// Conservative: whatever it does not know for sure (options such as (?x),
// \Q..\E, \x{..}, \p{..}, named references, conditionals, verbs, braces that
// are not a plain {n,m}) gives no sets at all, and so no prefilter; classes,
// . and escapes such as \d just contribute nothing.
class RegexLiterals final {
public:
    using Alternatives = QList<QByteArray>;

    // At most this many strings in a set: each one is another scan of the text.
    static constexpr qsizetype kMaxAlternatives = 8;

    // Precondition: `pattern` compiles (an invalid one has no matches to find).
    static QList<Alternatives> required(const QString &pattern);
};

} // namespace kw
