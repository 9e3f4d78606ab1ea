// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/utf8regex.h"

#ifdef KEEPWATCH_HAVE_PCRE2_8
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif

namespace kw {

#ifdef KEEPWATCH_HAVE_PCRE2_8

struct Utf8Regex::Code {
    pcre2_code *code = nullptr;
    bool jit = false;
    ~Code() { pcre2_code_free(code); }
    Code() = default;
    Code(const Code &) = delete;
    Code &operator=(const Code &) = delete;
};

namespace {
// One pair of offsets is enough to know whether a line matches (PCRE2 then
// returns 0 for a pattern with groups: matched, offsets not all kept).
struct MatchDataDeleter {
    void operator()(pcre2_match_data *data) const { pcre2_match_data_free(data); }
};
pcre2_match_data *threadMatchData() {
    thread_local const std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(
        pcre2_match_data_create(1, nullptr));
    return data.get();
}
} // namespace

Utf8Regex::Utf8Regex(const QString &pattern) {
    const QByteArray utf8 = pattern.toUtf8();
    int error = 0;
    PCRE2_SIZE offset = 0;
    // QRegularExpression's CaseInsensitiveOption | UseUnicodePropertiesOption,
    // on UTF-8 (it always adds PCRE2_UTF).
    pcre2_code *code =
        pcre2_compile(reinterpret_cast<PCRE2_SPTR>(utf8.constData()), PCRE2_SIZE(utf8.size()),
                      PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &error, &offset, nullptr);
    if (!code)
        return;
    auto compiled = std::make_shared<Code>();
    compiled->code = code;
    // Without the JIT (not built for this CPU) pcre2_match interprets it.
    compiled->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
    m_code = std::move(compiled);
}

Utf8Regex::Answer Utf8Regex::matches(QByteArrayView utf8, Text text) const {
    if (!m_code)
        return Answer::Unknown;
    const auto subject = reinterpret_cast<PCRE2_SPTR>(utf8.data());
    const auto length = PCRE2_SIZE(utf8.size());
    // Unchecked text goes through pcre2_match: it runs the JIT code too, but
    // only after checking that the line is valid UTF-8 (PCRE2_ERROR_UTF8_* if
    // not), which pcre2_jit_match skips.
    int rc = 0;
    if (text == Text::ValidUtf8 && m_code->jit)
        rc = pcre2_jit_match(m_code->code, subject, length, 0, 0, threadMatchData(), nullptr);
    else
        rc = pcre2_match(m_code->code, subject, length, 0,
                         text == Text::ValidUtf8 ? PCRE2_NO_UTF_CHECK : 0, threadMatchData(),
                         nullptr);
    if (rc >= 0)
        return Answer::Yes;
    if (rc == PCRE2_ERROR_NOMATCH)
        return Answer::No;
    return Answer::Unknown;
}

#else

struct Utf8Regex::Code {};

Utf8Regex::Utf8Regex(const QString &) {}

Utf8Regex::Answer Utf8Regex::matches(QByteArrayView, Text) const {
    return Answer::Unknown;
}

#endif

} // namespace kw
