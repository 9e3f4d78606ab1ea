// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/searchmarks.h"

#include <QStringList>
#include <algorithm>

namespace kw {

SearchMarks::SearchMarks(const QList<SearchTerm> &terms) {
    for (const SearchTerm &term : terms) {
        QStringList words;
        for (const Token &token : tokens(term.phrase))
            words << fold(QStringView(term.phrase).sliced(token.start, token.end - token.start));
        if (!words.isEmpty())
            m_terms.append({words, term.prefix});
    }
}

QString SearchMarks::fold(QStringView word) {
    const bool ascii =
        std::all_of(word.begin(), word.end(), [](QChar c) { return c.unicode() < 0x80; });
    if (ascii)
        return word.toString().toLower();
    // unicode61's remove_diacritics: the letter without its combining marks.
    const QString decomposed = word.toString().normalized(QString::NormalizationForm_D);
    QString folded;
    folded.reserve(decomposed.size());
    for (const QChar c : decomposed)
        if (c.category() != QChar::Mark_NonSpacing)
            folded.append(c);
    return folded.toCaseFolded();
}

QList<SearchMarks::Token> SearchMarks::tokens(QStringView text) {
    QList<Token> out;
    const int n = int(text.size());
    int i = 0;
    while (i < n) {
        while (i < n && !text[i].isLetterOrNumber() && !text[i].isMark())
            ++i;
        const int start = i;
        bool ascii = true;
        while (i < n && (text[i].isLetterOrNumber() || text[i].isMark())) {
            ascii = ascii && text[i].unicode() < 0x80;
            ++i;
        }
        if (i > start)
            out.append({start, i, ascii});
    }
    return out;
}

bool SearchMarks::matches(QStringView word, bool ascii, const QString &folded, bool prefix) {
    if (ascii) {
        // An ASCII word folds to ASCII: a non-ASCII query word never equals it.
        return prefix ? word.startsWith(folded, Qt::CaseInsensitive)
                      : word.compare(folded, Qt::CaseInsensitive) == 0;
    }
    const QString foldedWord = fold(word);
    return prefix ? foldedWord.startsWith(folded) : foldedWord == folded;
}

std::optional<QList<std::pair<int, int>>> SearchMarks::in(QStringView line) const {
    if (m_terms.isEmpty())
        return std::nullopt;
    const QList<Token> words = tokens(line);
    QList<std::pair<int, int>> spans; // [start, end)
    for (const auto &[phrase, prefix] : m_terms) {
        bool found = false;
        const qsizetype length = phrase.size();
        for (qsizetype at = 0; at + length <= words.size(); ++at) {
            bool match = true;
            for (qsizetype k = 0; k < length && match; ++k) {
                const Token &word = words[at + k];
                match = matches(line.sliced(word.start, word.end - word.start), word.ascii,
                                phrase[k], prefix && k == length - 1);
            }
            if (match) {
                spans.append({words[at].start, words[at + length - 1].end});
                found = true;
            }
        }
        if (!found)
            return std::nullopt;
    }
    std::sort(spans.begin(), spans.end());
    QList<std::pair<int, int>> merged;
    for (const auto &[start, end] : spans) {
        if (!merged.isEmpty() && start <= merged.last().first + merged.last().second)
            merged.last().second = std::max(merged.last().second, end - merged.last().first);
        else
            merged.append({start, end - start});
    }
    return merged;
}

} // namespace kw
