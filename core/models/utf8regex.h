// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArrayView>
#include <QString>
#include <memory>

namespace kw {

// A regular expression matched on UTF-8 bytes as they are stored, with
// PCRE2's 8-bit library and its JIT: the same options as the window's
// QRegularExpression (case-insensitive, Unicode properties), so the same
// lines match, without decoding each line to UTF-16 first (what made a
// pattern with no literal text 3 times slower than `grep -E`).
//
// matches() says Yes, No or Unknown: Unknown for a line that is not valid
// UTF-8 (QString would have read it with U+FFFD in place of the bad bytes,
// which `.` matches and PCRE2 does not) or a match PCRE2 gave up on (its
// JIT stack or match limit); the caller then asks QRegularExpression on
// the decoded text, as before. Where the 8-bit library is missing (the
// Windows cross build) isAvailable() is false and every answer is Unknown.
//
// Copies share the compiled pattern; matching is thread-safe (match data
// is per thread).
class Utf8Regex final {
public:
    enum class Answer { No, Yes, Unknown };

    Utf8Regex() = default;
    // An invalid pattern gives an unavailable Utf8Regex: the caller has
    // QRegularExpression's error for it.
    explicit Utf8Regex(const QString &pattern);

    bool isAvailable() const { return bool(m_code); }
    // Text known to be valid UTF-8 (all ASCII, say) is not checked again:
    // PCRE2's JIT code is called directly, without its per-call checks.
    enum class Text { Unchecked, ValidUtf8 };
    Answer matches(QByteArrayView utf8, Text text = Text::Unchecked) const;

    struct Code;

private:
    std::shared_ptr<const Code> m_code;
};

} // namespace kw
