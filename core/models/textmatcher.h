// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "models/byteneedle.h"
#include "models/literalfilter.h"
#include "models/utf8regex.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QRegularExpression>
#include <QString>

namespace kw {

// Where a match lies in a text, in UTF-16 code units of that text.
struct TextRange {
    qsizetype start = 0;
    qsizetype length = 0;
    friend bool operator==(const TextRange &a, const TextRange &b) {
        return a.start == b.start && a.length == b.length;
    }
    friend bool operator!=(const TextRange &a, const TextRange &b) { return !(a == b); }
};

// Case-insensitive substring (or, on request, regular expression) matching
// on UTF-8 bytes. Log lines are stored as UTF-8, and converting each to a
// QString just to search it would cost more than the search: an ASCII
// needle is matched on the bytes directly, only a non-ASCII one decodes.
//
// A regular expression is matched on the bytes too (Utf8Regex: PCRE2's 8-bit
// library), decoded only for a line that is not valid UTF-8.
//
// A regular expression gets a prefilter when its pattern shows literal text
// every match must hold (RegexLiterals): a line without it is rejected by a
// byte search, never decoded nor handed to PCRE2, and a filter over many
// lines searches their bytes for it at once (prefilter()).
class TextMatcher final {
public:
    // Prefilter::None and NoUtf8Regex are for tests: the same answers must
    // come without the literal prefilter, and without matching on UTF-8
    // (every line decoded for QRegularExpression, as before both).
    enum class Prefilter { Literals, None, NoUtf8Regex };

    TextMatcher() = default;
    explicit TextMatcher(const QString &pattern, bool regularExpression = false,
                         Prefilter prefilter = Prefilter::Literals);

    bool isEmpty() const { return m_empty; }
    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    // `text` says whether `utf8` is known to be valid UTF-8 (a run of ASCII
    // lines), which a regular expression then does not check again.
    bool matches(QByteArrayView utf8, Utf8Regex::Text text = Utf8Regex::Text::Unchecked) const;

    // An ASCII substring pattern is searched on UTF-8 bytes: then indexIn
    // finds it in any stretch of bytes (many lines at once), folding ASCII
    // case as matches() does.
    bool searchesBytes() const { return !m_empty && !m_regex && m_ascii; }
    qsizetype byteLength() const { return m_lowerAscii.size(); }
    // Where the pattern next occurs in `utf8` at or after `from`, or -1.
    // Precondition: searchesBytes().
    qsizetype indexIn(QByteArrayView utf8, qsizetype from = 0) const;
    bool matches(QStringView text) const;
    // A regular expression's prefilter, or null when it has none: a line
    // can only match where it admits it (LiteralFilter::Scan finds those).
    const LiteralFilter *prefilter() const {
        return m_prefilter.isEmpty() ? nullptr : &m_prefilter;
    }
    // Where the pattern occurs in `text`, left to right, not overlapping,
    // at most `limit` of them (a highlight needs no more than fit a row).
    // Empty matches of a regular expression (`x*`) are left out: there is
    // nothing to highlight.
    QList<TextRange> ranges(QStringView text, qsizetype limit = 256) const;

private:
    bool m_empty = true;
    bool m_ascii = true;
    bool m_regex = false;
    QByteArray m_lowerAscii; // the needle, lower-cased, when ASCII
    ByteNeedle m_bytes;      // and searched for in bytes
    QString m_needle;
    QRegularExpression m_expression;
    Utf8Regex m_utf8Expression; // the same, on UTF-8 bytes, where it can answer
    LiteralFilter m_prefilter;
    QString m_error;
};

} // namespace kw

Q_DECLARE_METATYPE(kw::TextRange)
