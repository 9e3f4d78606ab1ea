// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/generic/genericadapter.h"

#include "protocol/eventcodec.h"

#include <string_view>

namespace kw {

namespace {
bool isWordByte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// `word` occurs in `lower` as a whole word (not "errorless", not "terror").
bool containsWord(std::string_view lower, std::string_view word) {
    for (size_t at = lower.find(word); at != std::string_view::npos;
         at = lower.find(word, at + 1)) {
        const bool startOk = at == 0 || !isWordByte(lower[at - 1]);
        const size_t end = at + word.size();
        // "errors", "failed" and "warnings" are the same word for this purpose.
        const bool endOk = end >= lower.size() || !isWordByte(lower[end]) || lower[end] == 's';
        // "no errors were found", "0 errors", "without errors" say the opposite.
        const std::string_view before = lower.substr(0, at);
        const bool negated =
            before.size() >= 2
            && (before.substr(before.size() - 2) == "0 "
                || (before.size() >= 3 && before.substr(before.size() - 3) == "no ")
                || (before.size() >= 4 && before.substr(before.size() - 4) == "not ")
                || (before.size() >= 8 && before.substr(before.size() - 8) == "without "));
        if (startOk && endOk && !negated)
            return true;
    }
    return false;
}
} // namespace

LogLevel GenericAdapter::classify(QByteArrayView line, OutputStream stream) {
    const QByteArray lower = line.toByteArray().toLower();
    const std::string_view text(lower.constData(), size_t(lower.size()));
    static constexpr std::string_view errorWords[] = {
        "error",        "fatal", "failed",    "failure",
        "cannot",       "can't", "unable to", "permission denied",
        "no such file", "panic", "abort",     "aborted",
        "denied"};
    static constexpr std::string_view warningWords[] = {"warning", "warn", "skipping",
                                                        "deprecated"};
    for (std::string_view w : errorWords) {
        if (containsWord(text, w))
            return LogLevel::Error;
    }
    for (std::string_view w : warningWords) {
        if (containsWord(text, w))
            return LogLevel::Warning;
    }
    return stream == OutputStream::Stderr ? LogLevel::Warning : LogLevel::Info;
}

} // namespace kw
