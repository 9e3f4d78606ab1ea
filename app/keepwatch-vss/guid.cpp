// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "guid.h"

#include <cstdio>

namespace kw::vss {

std::string formatGuid(const Guid &g) {
    char text[39];
    std::snprintf(text, sizeof text, "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
                  unsigned(g.data1), unsigned(g.data2), unsigned(g.data3), unsigned(g.data4[0]),
                  unsigned(g.data4[1]), unsigned(g.data4[2]), unsigned(g.data4[3]),
                  unsigned(g.data4[4]), unsigned(g.data4[5]), unsigned(g.data4[6]),
                  unsigned(g.data4[7]));
    return text;
}

bool isNullGuid(const Guid &g) {
    if (g.data1 != 0 || g.data2 != 0 || g.data3 != 0)
        return false;
    for (std::uint8_t b : g.data4) {
        if (b != 0)
            return false;
    }
    return true;
}

std::string sessionIdError(std::string_view id) {
    constexpr std::size_t kMaxLength = 128;
    if (id.empty())
        return "session ID is empty";
    if (id.size() > kMaxLength)
        return "session ID is longer than 128 characters";
    if (id.front() == '.' || id.front() == '-')
        return "session ID starts with '.' or '-'";
    if (id.find("..") != std::string_view::npos)
        return "session ID contains '..'";
    for (char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                        || c == '.' || c == '_' || c == '-' || c == ':' || c == '@' || c == '+'
                        || c == '=' || c == '{' || c == '}';
        if (!ok)
            return "session ID contains a character outside A-Z a-z 0-9 . _ - : @ + = { }";
    }
    return {};
}

} // namespace kw::vss
