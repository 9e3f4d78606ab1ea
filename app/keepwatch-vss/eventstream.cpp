// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "eventstream.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace kw::vss {

namespace {

void appendUtf8(std::string &out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

constexpr std::uint32_t kReplacement = 0xFFFD;

// Length of the valid UTF-8 sequence at s[i], 0 when it is not one
// (overlong forms, surrogates and values past U+10FFFF are invalid).
std::size_t validSequence(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) {
        return std::uint8_t(s[i + k]);
    };
    const std::uint8_t c = b(0);
    const std::size_t left = s.size() - i;
    auto cont = [&](std::size_t k) {
        return k < left && (b(k) & 0xC0) == 0x80;
    };
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2))
            return 0;
        if (c == 0xE0 && b(1) < 0xA0)
            return 0; // overlong
        if (c == 0xED && b(1) >= 0xA0)
            return 0; // surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3))
            return 0;
        if (c == 0xF0 && b(1) < 0x90)
            return 0;
        if (c == 0xF4 && b(1) >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm): no
// gmtime_r/gmtime_s difference between the platforms.
void civilFromDays(std::int64_t z, int &year, unsigned &month, unsigned &day) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = int(std::int64_t(yoe) + era * 400 + (month <= 2 ? 1 : 0));
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

} // namespace

std::string jsonString(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = validSequence(s, i);
        if (n == 0) {
            appendUtf8(out, kReplacement);
            ++i;
            continue;
        }
        if (n == 1) {
            const char c = s[i];
            switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (std::uint8_t(c) < 0x20 || c == 0x7F) {
                    char esc[7];
                    std::snprintf(esc, sizeof esc, "\\u%04x", unsigned(std::uint8_t(c)));
                    out += esc;
                } else {
                    out += c;
                }
            }
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    out += '"';
    return out;
}

std::string utf16ToUtf8(std::u16string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const std::uint32_t u = s[i];
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 1 < s.size() && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
                const std::uint32_t low = s[i + 1];
                appendUtf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
                ++i;
            } else {
                appendUtf8(out, kReplacement);
            }
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            appendUtf8(out, kReplacement);
        } else {
            appendUtf8(out, u);
        }
    }
    return out;
}

std::string formatTimestamp(std::int64_t ms) {
    const std::int64_t days = floorDiv(ms, 86400000);
    const std::int64_t msOfDay = ms - days * 86400000;
    int year = 0;
    unsigned month = 0, day = 0;
    civilFromDays(days, year, month, day);
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year, month, day,
                  int(msOfDay / 3600000), int(msOfDay / 60000 % 60), int(msOfDay / 1000 % 60),
                  int(msOfDay % 1000));
    return text;
}

EventStream::EventStream(Sink sink, Clock clock)
    : m_sink(std::move(sink))
    , m_clock(std::move(clock)) {
    if (!m_clock) {
        m_clock = [] {
            using namespace std::chrono;
            return std::int64_t(
                duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
        };
    }
}

void EventStream::setSessionId(std::string id) {
    m_sessionId = std::move(id);
    for (const Pending &p : m_pending)
        m_sink(line(p.ms, p.body));
    m_pending.clear();
}

std::string EventStream::line(std::int64_t ms, const std::string &body) const {
    return "{\"v\":1,\"ts\":\"" + formatTimestamp(ms) + "\",\"session\":" + jsonString(m_sessionId)
           + body + "}\n";
}

void EventStream::emit(std::string body) {
    const std::int64_t ms = m_clock();
    if (m_sessionId.empty()) {
        m_pending.push_back({ms, std::move(body)});
        return;
    }
    m_sink(line(ms, body));
}

void EventStream::start(const StartInfo &info) {
    std::string body = ",\"type\":\"start\",\"kind\":" + jsonString(info.kind) + ",\"state\":"
                       + jsonString(info.state) + ",\"tool\":" + jsonString(info.tool);
    auto field = [&body](const char *name, const std::string &value) {
        if (!value.empty())
            body += std::string(",\"") + name + "\":" + jsonString(value);
    };
    field("host", info.host);
    field("user", info.user);
    field("target", info.target);
    field("title", info.title);
    if (!info.command.empty()) {
        body += ",\"command\":[";
        for (std::size_t i = 0; i < info.command.size(); ++i)
            body += (i ? "," : "") + jsonString(info.command[i]);
        body += ']';
    }
    if (info.pid)
        body += ",\"pid\":" + std::to_string(*info.pid);
    emit(std::move(body));
}

void EventStream::state(std::string_view state, std::string_view reason) {
    std::string body = ",\"type\":\"state\",\"state\":" + jsonString(state);
    if (!reason.empty())
        body += ",\"reason\":" + jsonString(reason);
    emit(std::move(body));
}

void EventStream::progress(const ProgressInfo &info) {
    std::string body = ",\"type\":\"progress\"";
    if (info.percent && std::isfinite(*info.percent))
        body += ",\"percent\":" + number(std::fmin(100.0, std::fmax(0.0, *info.percent)));
    if (info.filesDone)
        body += ",\"files_done\":" + std::to_string(*info.filesDone);
    if (info.filesTotal)
        body += ",\"files_total\":" + std::to_string(*info.filesTotal);
    if (!info.current.empty())
        body += ",\"current\":" + jsonString(info.current);
    emit(std::move(body));
}

void EventStream::log(std::string_view level, std::string_view message) {
    emit(",\"type\":\"log\",\"level\":" + jsonString(level) + ",\"msg\":" + jsonString(message));
}

void EventStream::end(std::string_view finalState, std::optional<int> exitCode,
                      std::string_view summary) {
    std::string body = ",\"type\":\"end\",\"state\":" + jsonString(finalState);
    if (exitCode)
        body += ",\"exit_code\":" + std::to_string(*exitCode);
    if (!summary.empty())
        body += ",\"summary\":" + jsonString(summary);
    emit(std::move(body));
}

} // namespace kw::vss
