// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <array>

namespace kw {

// A byte string searched for in stretches of bytes (many log lines at once),
// with ASCII letters folded (A-Z only: UTF-8 bytes of other characters are
// compared as they are). The substring filter searches for its pattern with
// one; a regular expression's prefilter for the literals it must contain.
class ByteNeedle final {
public:
    ByteNeedle() = default;
    // Precondition: `needle` is not empty.
    explicit ByteNeedle(QByteArrayView needle);

    qsizetype size() const { return m_lower.size(); }
    // Where the needle next occurs in `hay` at or after `from`, or -1.
    qsizetype indexIn(QByteArrayView hay, qsizetype from = 0) const;

private:
    QByteArray m_lower; // the needle, A-Z lower-cased
    // Horspool's shift for each (lower-cased) byte under the needle's last
    // position: how far the needle may move without missing a match.
    std::array<quint32, 256> m_shift{};
};

} // namespace kw
