// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "models/byteneedle.h"

#include <QList>
#include <limits>
#include <vector>

namespace kw {

// A regular expression's prefilter: the sets of strings RegexLiterals says
// a line must hold (one string of every set) before the expression can
// match it, searched for with ByteNeedle. Lines without them are never
// decoded or handed to PCRE2.
class LiteralFilter final {
public:
    LiteralFilter() = default;
    explicit LiteralFilter(const QList<QList<QByteArray>> &sets);

    bool isEmpty() const { return m_sets.empty(); }
    // Whether `line` holds a string of every set: the expression may match.
    bool admits(QByteArrayView line) const;

    // Where the strings of the first (best) set occur in a stretch of text,
    // left to right. Each string keeps the next place it was found, so the
    // text is scanned once per string, however often next() is asked.
    class Scan {
    public:
        Scan(const LiteralFilter &filter, QByteArrayView text);
        // The first place at or after `from` where a string of the set
        // starts, or -1.
        qsizetype next(qsizetype from);

    private:
        static constexpr qsizetype kUnknown = -1;
        static constexpr qsizetype kNone = std::numeric_limits<qsizetype>::max();
        const std::vector<ByteNeedle> &m_needles;
        QByteArrayView m_text;
        std::vector<qsizetype> m_next; // per needle: its next place, kNone, or kUnknown
    };

private:
    std::vector<std::vector<ByteNeedle>> m_sets;
};

} // namespace kw
