// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "report/jsonreportwriter.h"

#include "export/sessionjson.h"
#include "protocol/jsonwriter.h"
#include "protocol/timestamp.h"
#include "report/reportdata.h"

namespace kw {

namespace {
std::string_view view(const QByteArray &b) {
    return std::string_view(b.constData(), size_t(b.size()));
}

void timeOrNull(JsonWriter &w, std::string_view key, std::optional<qint64> ms) {
    if (ms)
        w.field(key, Timestamp::formatIsoMs(*ms));
    else
        w.nullField(key);
}

QByteArray selectionJson(const ReportSelection &s) {
    QByteArray out;
    JsonWriter w(out);
    w.beginObject();
    timeOrNull(w, "from", s.fromMs);
    timeOrNull(w, "to", s.toMs);
    QStringList states, levels;
    for (SessionState state : s.states)
        states << QString(wireName(state));
    for (LogLevel level : s.levels)
        levels << QString(wireName(level));
    w.field("states", states);
    w.field("tools", s.tools);
    w.field("sessions", s.sessionIds);
    w.field("levels", levels);
    w.endObject();
    return out;
}

QByteArray summaryJson(const ReportData &data) {
    QByteArray byState;
    {
        JsonWriter w(byState);
        w.beginObject();
        const auto counts = data.countsByState();
        for (auto it = counts.begin(); it != counts.end(); ++it) {
            const QLatin1String name = wireName(it.key());
            w.field(std::string_view(name.data(), size_t(name.size())), qint64(it.value()));
        }
        w.endObject();
    }
    QStringList failed;
    for (const ReportData::Entry &e : data.sessions)
        if (ReportData::isFailure(e.session.state))
            failed << e.session.key.id;
    QByteArray out;
    JsonWriter w(out);
    w.beginObject();
    w.field("sessions", qint64(data.sessions.size()));
    w.rawField("by_state", view(byState));
    w.field("failed", failed);
    w.field("any_failed", data.anyFailed());
    w.field("total_bytes", data.totalBytes());
    w.field("total_duration_ms", data.totalDurationMs());
    const int longest = data.longestSession();
    if (longest >= 0) {
        w.field("longest_session", data.sessions[size_t(longest)].session.key.id);
        w.field("longest_duration_ms",
                data.sessions[size_t(longest)].session.durationMs(data.generatedMs));
    } else {
        w.nullField("longest_session");
        w.nullField("longest_duration_ms");
    }
    w.endObject();
    return out;
}
} // namespace

QByteArray JsonReportWriter::write(const ReportData &data) {
    QByteArray out;
    JsonWriter w(out);
    w.beginObject();
    w.field("format", std::string_view("keepwatch-report"));
    w.field("version", qint64(kVersion));
    w.field("generated", Timestamp::formatIsoMs(data.generatedMs));
    w.rawField("selection", view(selectionJson(data.selection)));
    w.rawField("summary", view(summaryJson(data)));
    w.beginArray("sessions");
    for (const ReportData::Entry &e : data.sessions) {
        w.beginObject();
        SessionJson::write(w, e.session, data.generatedMs);
        w.field("log_lines_kept", e.logLinesKept);
        w.beginArray("log");
        for (const ReportData::LogLine &line : e.log) {
            w.beginObject();
            w.field("ts", Timestamp::formatIsoMs(line.timestampMs));
            w.field("level", QString(wireName(line.level)));
            w.field("msg", line.text);
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }
    w.endArray();
    w.endObject();
    out.append('\n');
    return out;
}

} // namespace kw
