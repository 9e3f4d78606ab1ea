// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "export/sessionjson.h"

#include "protocol/jsonwriter.h"
#include "protocol/timestamp.h"
#include "store/logbuffer.h"
#include "store/session.h"

namespace kw {

namespace {
void timeOrNull(JsonWriter &w, std::string_view key, std::optional<qint64> ms) {
    if (ms) {
        const QByteArray text = Timestamp::formatIsoMs(*ms);
        w.field(key, std::string_view(text.constData(), size_t(text.size())));
    } else {
        w.nullField(key);
    }
}
} // namespace

void SessionJson::write(JsonWriter &w, const Session &s, qint64 nowMs) {
    w.field("id", s.key.id);
    w.field("source", s.key.source);
    w.stringOrNull("tool", s.tool);
    w.field("kind", QString(wireName(s.kind)));
    w.field("state", QString(wireName(s.state)));
    w.stringOrNull("state_reason", s.stateReason);
    w.stringOrNull("title", s.title);
    w.stringOrNull("host", s.host);
    w.stringOrNull("user", s.user);
    w.stringOrNull("target", s.target);
    w.stringOrNull("cwd", s.cwd);
    w.stringOrNull("unit", s.unit);
    w.stringOrNull("invocation_id", s.invocationId);
    w.field("command", s.command);
    w.fieldOrNull("pid", s.pid);
    timeOrNull(w, "started", std::optional<qint64>(s.effectiveStartMs()));
    timeOrNull(w, "ended", s.endedMs);
    const qint64 duration = s.durationMs(nowMs);
    if (duration >= 0)
        w.field("duration_ms", duration);
    else
        w.nullField("duration_ms");
    w.fieldOrNull("exit_code", s.exitCode);
    w.fieldOrNull("signal", s.signal);
    w.stringOrNull("summary", s.summary);
    if (s.progress.percent)
        w.field("percent", *s.progress.percent, 2);
    else
        w.nullField("percent");
    w.fieldOrNull("bytes_done", s.progress.bytesDone);
    w.fieldOrNull("bytes_total", s.progress.bytesTotal);
    w.fieldOrNull("files_done", s.progress.filesDone);
    w.fieldOrNull("files_total", s.progress.filesTotal);
    if (s.progress.rate)
        w.field("rate", *s.progress.rate, 0);
    else
        w.nullField("rate");
    w.fieldOrNull("eta", s.progress.etaSeconds);
    w.stringOrNull("current", s.progress.current);
    w.field("log_lines", s.logLines);
    w.field("warnings", s.warnings);
    w.field("errors", s.errors);
}

void SessionJson::writeWithLog(JsonWriter &w, const Session &s, const LogBuffer &log,
                               qint64 nowMs) {
    write(w, s, nowMs);
    w.beginArray("log");
    for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq) {
        const LogBuffer::Line line = log.line(seq);
        w.beginObject();
        const QByteArray ts = Timestamp::formatIsoMs(line.timestampMs);
        w.field("ts", std::string_view(ts.constData(), size_t(ts.size())));
        w.field("level", QString(wireName(line.level)));
        w.field("msg", std::string_view(line.text.data(), size_t(line.text.size())));
        w.endObject();
    }
    w.endArray();
}

} // namespace kw
