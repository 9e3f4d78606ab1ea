// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "eventstream.h"
#include "guid.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kw::vss {

// One writer as GatherWriterStatus/GetWriterStatus reports it.
struct WriterStatus {
    std::string name;          // UTF-8
    Guid writerId;             // the writer class
    Guid instanceId;           // this running instance
    int state = 0;             // VSS_WRITER_STATE
    std::uint32_t failure = 0; // the writer's failure HRESULT, S_OK when none
};

// "writer 'System Writer' {e8132975-...} instance {...}: VSS_WS_STABLE
// (stable), S_OK": one log line; the whole line is the writer's state, so a
// reader can tell two polls apart by the text alone.
std::string writerLine(const WriterStatus &writer);
// "info" when stable, "warning" while busy or unknown, "error" when failed
// or when it reports a failure HRESULT.
std::string writerLevel(const WriterStatus &writer);

struct WriterSummary {
    int total = 0;
    int stable = 0;
    int busy = 0;
    int failed = 0;
    int unknown = 0;
    std::string text; // "14 writers: 13 stable, 1 failed (Microsoft Exchange Writer: ...)"
};
WriterSummary summarize(const std::vector<WriterStatus> &writers);

// Reports writers into a session as log lines, each writer again only when
// its state or failure changed since the last report, plus a progress event
// whose `current` is the summary, so the table shows it.
class WriterReporter {
public:
    explicit WriterReporter(EventStream &events)
        : m_events(events) {}
    // `step` names when the states were read ("after PrepareForBackup").
    WriterSummary report(const std::vector<WriterStatus> &writers, const std::string &step);

private:
    EventStream &m_events;
    std::map<std::string, std::string> m_lastLine; // instance ID -> last line written
};

} // namespace kw::vss
