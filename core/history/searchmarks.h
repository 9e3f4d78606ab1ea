// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QList>
#include <QString>
#include <QStringView>
#include <optional>
#include <utility>

namespace kw {

// One term of a search (HistorySearch): a phrase, its last word a prefix
// when it ended in `*`.
struct SearchTerm {
    QString phrase;
    bool prefix = false;
};

// Where the terms of a search occur in a line, found in C++ the way FTS5's
// unicode61 tokenizer reads text: words are runs of letters and digits,
// compared without case and without diacritics; a term matches where its
// words follow one another. What FTS5's highlight() would mark, at a
// fraction of its cost (measured: highlight() was most of the time of a
// search listing two million lines, bench_search).
//
// It may miss where its reading of Unicode differs from SQLite's; it says
// so (none), and the caller asks SQLite's highlight() for that line.
class SearchMarks final {
public:
    explicit SearchMarks(const QList<SearchTerm> &terms);

    // [start, length) of each term's occurrences, in order, overlapping ones
    // merged; none unless every term occurs (a line FTS5 matched has them all).
    std::optional<QList<std::pair<int, int>>> in(QStringView line) const;

private:
    // A word of the text: [start, end). Folded only when it is not ASCII:
    // an ASCII word is compared in place, without an allocation.
    struct Token {
        int start;
        int end;
        bool ascii;
    };
    static QList<Token> tokens(QStringView text);
    static QString fold(QStringView word);
    // Whether the word is `folded` (or, as a prefix, starts with it).
    static bool matches(QStringView word, bool ascii, const QString &folded, bool prefix);

    // Each term's words, folded.
    QList<std::pair<QStringList, bool>> m_terms;
};

} // namespace kw
