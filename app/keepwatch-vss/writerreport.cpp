// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "writerreport.h"

#include "vssnames.h"

namespace kw::vss {

std::string writerLine(const WriterStatus &w) {
    return "writer '" + w.name + "' " + formatGuid(w.writerId) + " instance "
           + formatGuid(w.instanceId) + ": " + writerStateName(w.state) + " ("
           + writerStateWords(w.state) + "), " + describeHresult(w.failure);
}

std::string writerLevel(const WriterStatus &w) {
    const WriterHealth health = writerHealth(w.state);
    if (health == WriterHealth::Failed || hresultFailed(w.failure))
        return "error";
    if (health == WriterHealth::Stable)
        return "info";
    return "warning";
}

WriterSummary summarize(const std::vector<WriterStatus> &writers) {
    WriterSummary s;
    std::string failures;
    for (const WriterStatus &w : writers) {
        ++s.total;
        switch (writerHealth(w.state)) {
        case WriterHealth::Stable:
            ++s.stable;
            break;
        case WriterHealth::Busy:
            ++s.busy;
            break;
        case WriterHealth::Failed:
            ++s.failed;
            break;
        case WriterHealth::Unknown:
            ++s.unknown;
            break;
        }
        if (writerHealth(w.state) == WriterHealth::Failed) {
            failures += (failures.empty() ? "" : "; ") + w.name + ": " + writerStateName(w.state);
            if (w.failure != 0)
                failures += ", " + hresultName(w.failure);
        }
    }
    s.text = std::to_string(s.total) + (s.total == 1 ? " writer" : " writers");
    std::string parts;
    auto part = [&parts](int n, const char *what) {
        if (n > 0)
            parts += (parts.empty() ? ": " : ", ") + std::to_string(n) + " " + what;
    };
    part(s.stable, "stable");
    part(s.busy, "busy");
    part(s.failed, "failed");
    part(s.unknown, "in an unknown state");
    s.text += parts;
    if (!failures.empty())
        s.text += " (" + failures + ")";
    return s;
}

WriterSummary WriterReporter::report(const std::vector<WriterStatus> &writers,
                                     const std::string &step) {
    for (const WriterStatus &w : writers) {
        const std::string text = writerLine(w);
        std::string &last = m_lastLine[formatGuid(w.instanceId)];
        if (last == text)
            continue;
        last = text;
        m_events.log(writerLevel(w),
                     step.empty() ? text : std::string(step).append(": ").append(text));
    }
    WriterSummary summary = summarize(writers);
    ProgressInfo progress;
    progress.current = summary.text;
    m_events.progress(progress);
    return summary;
}

} // namespace kw::vss
