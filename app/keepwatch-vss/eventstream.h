// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kw::vss {

// Keepwatch protocol v1 events (docs/event-protocol.md), written as JSON
// Lines by plain C++: the helper runs where there is no Qt.

// A JSON string literal, quotes included. Invalid UTF-8 becomes U+FFFD
// (the protocol requires valid UTF-8) and control characters are escaped.
std::string jsonString(std::string_view utf8);
// UTF-16 (Windows' WCHAR, BSTR) to UTF-8; an unpaired surrogate becomes U+FFFD.
std::string utf16ToUtf8(std::u16string_view utf16);
// "2026-11-25T08:00:00.123Z" for milliseconds since the Unix epoch.
std::string formatTimestamp(std::int64_t msSinceEpoch);

struct StartInfo {
    std::string kind = "snapshot"; // backup, restore, verify, prune, snapshot, other
    std::string state = "starting";
    std::string tool = "vss";
    std::string host;
    std::string user;
    std::string target;
    std::string title;
    std::vector<std::string> command;
    std::optional<std::int64_t> pid;
};

struct ProgressInfo {
    std::optional<double> percent;
    std::optional<std::int64_t> filesDone;
    std::optional<std::int64_t> filesTotal;
    std::string current;
};

// Encodes events of one session. Events made before the session ID is known
// (the VSS session ID only exists once the backup components are
// initialised) are kept, with their own time, and written when setSessionId()
// is called, so every line carries the ID.
class EventStream {
public:
    using Sink = std::function<void(const std::string &line)>; // one '\n'-ended line
    using Clock = std::function<std::int64_t()>;               // ms since the epoch

    explicit EventStream(Sink sink, Clock clock = {});

    void setSessionId(std::string id);
    bool hasSessionId() const { return !m_sessionId.empty(); }
    const std::string &sessionId() const { return m_sessionId; }

    void start(const StartInfo &info);
    void state(std::string_view state, std::string_view reason = {});
    void progress(const ProgressInfo &info);
    // level: debug, info, warning or error.
    void log(std::string_view level, std::string_view message);
    void end(std::string_view finalState, std::optional<int> exitCode, std::string_view summary);

private:
    struct Pending {
        std::int64_t ms;
        std::string body; // the fields after "session", without the closing brace
    };
    void emit(std::string body);
    std::string line(std::int64_t ms, const std::string &body) const;

    Sink m_sink;
    Clock m_clock;
    std::string m_sessionId;
    std::vector<Pending> m_pending;
};

} // namespace kw::vss
