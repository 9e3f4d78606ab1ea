// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/literalfilter.h"

#include <algorithm>

namespace kw {

LiteralFilter::LiteralFilter(const QList<QList<QByteArray>> &sets) {
    for (const QList<QByteArray> &set : sets) {
        std::vector<ByteNeedle> needles;
        for (const QByteArray &s : set) {
            if (s.isEmpty())
                return; // "" is everywhere: nothing is filtered (RegexLiterals never says so)
            needles.emplace_back(s);
        }
        if (!needles.empty())
            m_sets.push_back(std::move(needles));
    }
}

bool LiteralFilter::admits(QByteArrayView line) const {
    return std::all_of(m_sets.cbegin(), m_sets.cend(), [line](const std::vector<ByteNeedle> &set) {
        return std::any_of(set.cbegin(), set.cend(),
                           [line](const ByteNeedle &n) { return n.indexIn(line) >= 0; });
    });
}

LiteralFilter::Scan::Scan(const LiteralFilter &filter, QByteArrayView text)
    : m_needles(filter.m_sets.front())
    , m_text(text)
    , m_next(m_needles.size(), kUnknown) {
    Q_ASSERT(!filter.isEmpty());
}

qsizetype LiteralFilter::Scan::next(qsizetype from) {
    qsizetype first = kNone;
    for (size_t i = 0; i < m_needles.size(); ++i) {
        qsizetype &at = m_next[i];
        if (at != kNone && at < from) {
            at = m_needles[i].indexIn(m_text, from);
            if (at < 0)
                at = kNone;
        }
        first = std::min(first, at);
    }
    return first == kNone ? -1 : first;
}

} // namespace kw
