// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "report/htmlreportwriter.h"

#include "format/format.h"
#include "protocol/timestamp.h"
#include "report/reportdata.h"

#include <QDateTime>
#include <cmath>

namespace kw {

namespace {

QString esc(const QString &text) {
    return HtmlReportWriter::escape(text);
}

QString localTime(qint64 ms) {
    return Format::dateTime(ms);
}

QString stateClass(SessionState state) {
    return QStringLiteral("st-") + QString(wireName(state));
}

QString stateColour(SessionState state) {
    switch (state) {
    case SessionState::Failed:
        return QStringLiteral("#c62828");
    case SessionState::Interrupted:
        return QStringLiteral("#ad1457");
    case SessionState::Warning:
    case SessionState::Stalled:
        return QStringLiteral("#ef6c00");
    case SessionState::Succeeded:
        return QStringLiteral("#2e7d32");
    case SessionState::Cancelled:
    case SessionState::Cancelling:
        return QStringLiteral("#757575");
    case SessionState::Exited:
        return QStringLiteral("#546e7a");
    default:
        return QStringLiteral("#1565c0");
    }
}

QString stateBadge(SessionState state) {
    return QStringLiteral("<span class=\"state %1\" style=\"color: %2\"><b>%3</b></span>")
        .arg(stateClass(state), stateColour(state), QString(wireName(state)));
}

QString duration(const Session &s, qint64 nowMs) {
    const qint64 d = s.durationMs(nowMs);
    return d >= 0 ? Format::duration(d) : QStringLiteral("-");
}

QString bytes(const Session &s) {
    return s.progress.bytesDone ? Format::bytes(*s.progress.bytesDone) : QStringLiteral("-");
}

QString anchor(int index) {
    return QStringLiteral("s%1").arg(index + 1);
}

const char kStyle[] =
    "body { font-family: sans-serif; font-size: 10pt; color: #202020; }\n"
    "h1 { font-size: 16pt; margin-bottom: 0.2em; }\n"
    "h2 { font-size: 13pt; border-bottom: 1px solid #999999; margin-top: 1.2em; }\n"
    "h3 { font-size: 11pt; margin-bottom: 0.3em; }\n"
    "table { border-collapse: collapse; }\n"
    "th, td { text-align: left; vertical-align: top; padding: 2px 6px; }\n"
    "table.list th { border-bottom: 1px solid #999999; }\n"
    "table.list td { border-bottom: 1px solid #dddddd; }\n"
    "td.num, th.num { text-align: right; }\n"
    ".nw { white-space: nowrap; }\n"
    ".meta { color: #555555; }\n"
    "table.details th { font-weight: normal; color: #555555; width: 8em; }\n"
    "pre.log { font-family: monospace; font-size: 8pt; white-space: pre-wrap;"
    " background-color: #f6f6f6; padding: 4px; }\n"
    ".lv-warning { color: #b35900; }\n"
    ".lv-error { color: #b71c1c; font-weight: bold; }\n"
    ".lv-debug { color: #777777; }\n"
    "table.timeline { width: 100%; }\n"
    "table.bar { width: 100%; }\n"
    "table.bar td { padding: 0; font-size: 6pt; }\n"
    "a { color: inherit; }\n"
    "@media print {\n"
    "  body { margin: 0; font-size: 9pt; }\n"
    "  a { text-decoration: none; }\n"
    "  h2 { page-break-after: avoid; }\n"
    "  h3 { page-break-after: avoid; }\n"
    "  table.details { page-break-inside: avoid; }\n"
    "  table.list tr, table.details tr { page-break-inside: avoid; }\n"
    "  .bar td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
    "}\n";

} // namespace

QString HtmlReportWriter::escape(const QString &text) {
    QString clean = text;
    for (QChar &c : clean) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r') || u == 0xFFFE || u == 0xFFFF)
            c = QChar(QChar::ReplacementCharacter);
    }
    return clean.toHtmlEscaped();
}

QByteArray HtmlReportWriter::write(const ReportData &data) {
    const qint64 now = data.generatedMs;
    const ReportSelection &sel = data.selection;
    QString h;
    h += QLatin1String("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                       "<title>Keepwatch report</title>\n<style>\n");
    h += QLatin1String(kStyle);
    h += QLatin1String("</style>\n</head>\n<body>\n<h1>Keepwatch report</h1>\n");

    // What this report covers.
    QStringList covers;
    if (sel.fromMs || sel.toMs)
        covers << QStringLiteral("from %1 to %2")
                      .arg(sel.fromMs ? localTime(*sel.fromMs) : QStringLiteral("the start"),
                           sel.toMs ? localTime(*sel.toMs) : QStringLiteral("now"));
    if (!sel.states.isEmpty()) {
        QStringList names;
        for (SessionState s : sel.states)
            names << QString(wireName(s));
        covers << QStringLiteral("states: ") + names.join(QLatin1String(", "));
    }
    if (!sel.tools.isEmpty())
        covers << QStringLiteral("tools: ") + sel.tools.join(QLatin1String(", "));
    if (!sel.sessionIds.isEmpty())
        covers << QStringLiteral("sessions: ") + sel.sessionIds.join(QLatin1String(", "));
    QStringList levels;
    for (LogLevel l : sel.levels)
        levels << QString(wireName(l));
    const int offset = QDateTime::fromMSecsSinceEpoch(now).toLocalTime().offsetFromUtc();
    const QString zone = QStringLiteral("UTC%1%2:%3")
                             .arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                             .arg(std::abs(offset) / 3600, 2, 10, QLatin1Char('0'))
                             .arg(std::abs(offset) / 60 % 60, 2, 10, QLatin1Char('0'));
    h += QStringLiteral("<p class=\"meta\">Generated %1 (times are local, %2). Covers: %3. "
                        "Log levels: %4.</p>\n")
             .arg(esc(localTime(now)), zone,
                  esc(covers.isEmpty() ? QStringLiteral("every session")
                                       : covers.join(QLatin1String("; "))),
                  esc(levels.join(QLatin1String(", "))));

    // Summary: counts, totals, then the sessions that need a look.
    h += QLatin1String("<h2>Summary</h2>\n<table class=\"list counts\" cellspacing=\"0\">\n<tr>");
    const auto counts = data.countsByState();
    h += QStringLiteral("<th>sessions</th>");
    for (auto it = counts.begin(); it != counts.end(); ++it)
        h += QStringLiteral("<th>%1</th>").arg(stateBadge(it.key()));
    h += QStringLiteral("</tr>\n<tr><td class=\"num\">%1</td>").arg(data.sessions.size());
    for (auto it = counts.begin(); it != counts.end(); ++it)
        h += QStringLiteral("<td class=\"num count-%1\">%2</td>")
                 .arg(QString(wireName(it.key())))
                 .arg(it.value());
    h += QLatin1String("</tr>\n</table>\n");
    const int longest = data.longestSession();
    h += QStringLiteral("<p>Total bytes: <b>%1</b>. Total duration: <b>%2</b>.")
             .arg(Format::bytes(data.totalBytes()), Format::duration(data.totalDurationMs()));
    if (longest >= 0) {
        const Session &s = data.sessions[size_t(longest)].session;
        h += QStringLiteral(" Longest: <a href=\"#%1\">%2</a> (%3).")
                 .arg(anchor(longest), esc(s.displayTitle()), duration(s, now));
    }
    h += QLatin1String("</p>\n");
    QString attention;
    for (int i : data.summaryOrder()) {
        const Session &s = data.sessions[size_t(i)].session;
        if (!isProblem(s.state) && s.state != SessionState::Cancelled)
            continue;
        attention +=
            QStringLiteral("<li>%1 <a href=\"#%2\">%3</a> (%4, %5)%6</li>\n")
                .arg(stateBadge(s.state), anchor(i), esc(s.displayTitle()),
                     esc(s.tool.isEmpty() ? QStringLiteral("?") : s.tool),
                     esc(localTime(s.effectiveStartMs())),
                     s.summary.isEmpty() ? QString() : QLatin1String(": ") + esc(s.summary));
    }
    if (data.sessions.empty())
        h += QLatin1String("<p>No session matches.</p>\n");
    else if (attention.isEmpty())
        h += QLatin1String("<p class=\"allgood\">No session failed.</p>\n");
    else
        h += QLatin1String("<h3>Needs attention</h3>\n<ul class=\"attention\">\n") + attention
             + QLatin1String("</ul>\n");

    if (data.sessions.empty()) {
        h += QLatin1String("</body>\n</html>\n");
        return h.toUtf8();
    }

    // The table, chronological.
    h += QLatin1String("<h2>Sessions</h2>\n<table class=\"list sessions\" width=\"100%\" "
                       "cellspacing=\"0\">\n<tr><th>started</th>"
                       "<th>title</th><th>tool</th><th>kind</th><th>state</th>"
                       "<th class=\"num\">duration</th><th class=\"num\">bytes</th>"
                       "<th class=\"num\">exit</th><th>host</th></tr>\n");
    for (int i = 0; i < int(data.sessions.size()); ++i) {
        const Session &s = data.sessions[size_t(i)].session;
        h += QStringLiteral("<tr class=\"%1\"><td class=\"nw\">%2</td><td><a href=\"#%3\">%4</a>"
                            "</td><td>%5</td><td>%6</td><td class=\"nw\">%7</td>"
                            "<td class=\"num nw\">%8</td><td class=\"num nw\">%9</td>")
                 .arg(stateClass(s.state), esc(localTime(s.effectiveStartMs())), anchor(i),
                      esc(s.displayTitle()), esc(s.tool), QString(wireName(s.kind)),
                      stateBadge(s.state), duration(s, now), bytes(s));
        h += QStringLiteral("<td class=\"num\">%1</td><td>%2</td></tr>\n")
                 .arg(s.exitCode ? QString::number(*s.exitCode) : QStringLiteral("-"), esc(s.host));
    }
    h += QLatin1String("</table>\n");

    // The timeline: CSS bars in a table (QTextDocument draws no SVG).
    qint64 t0 = std::numeric_limits<qint64>::max(), t1 = std::numeric_limits<qint64>::min();
    for (const ReportData::Entry &e : data.sessions) {
        const Session &s = e.session;
        t0 = std::min(t0, s.effectiveStartMs());
        const qint64 d = s.durationMs(now);
        t1 = std::max(t1, s.effectiveStartMs() + std::max<qint64>(d, 0));
    }
    const double span = double(std::max<qint64>(t1 - t0, 1));
    h += QStringLiteral("<h2>Timeline</h2>\n<p class=\"meta\">%1 to %2</p>\n"
                        "<table class=\"timeline\" width=\"100%\">\n")
             .arg(esc(localTime(t0)), esc(localTime(t1)));
    for (int i = 0; i < int(data.sessions.size()); ++i) {
        const Session &s = data.sessions[size_t(i)].session;
        const qint64 d = std::max<qint64>(s.durationMs(now), 0);
        int before = int(100.0 * double(s.effectiveStartMs() - t0) / span);
        int width = std::max(1, int(std::lround(100.0 * double(d) / span)));
        before = std::clamp(before, 0, 99);
        width = std::min(width, 100 - before);
        const int after = 100 - before - width;
        const QString tip = esc(s.displayTitle()) + QLatin1String(": ") + QString(wireName(s.state))
                            + QLatin1String(", ") + duration(s, now);
        h += QStringLiteral("<tr><td width=\"30%\"><a href=\"#%1\">%2</a></td><td width=\"70%\">"
                            "<table class=\"bar\" width=\"100%\" cellspacing=\"0\" "
                            "cellpadding=\"0\"><tr>")
                 .arg(anchor(i), esc(s.displayTitle()));
        if (before > 0)
            h += QStringLiteral("<td width=\"%1%\"></td>").arg(before);
        h += QStringLiteral("<td width=\"%1%\" bgcolor=\"%2\" style=\"background-color: %2\" "
                            "title=\"%3\">&#160;</td>")
                 .arg(width)
                 .arg(stateColour(s.state), tip);
        if (after > 0)
            h += QStringLiteral("<td width=\"%1%\"></td>").arg(after);
        h += QLatin1String("</tr></table></td></tr>\n");
    }
    h += QLatin1String("</table>\n");

    // Each session: its details and its log.
    h += QLatin1String("<h2>Details</h2>\n");
    for (int i = 0; i < int(data.sessions.size()); ++i) {
        const ReportData::Entry &e = data.sessions[size_t(i)];
        const Session &s = e.session;
        h += QStringLiteral("<div class=\"session %1\" id=\"%2\">\n<h3><a name=\"%2\">%3</a></h3>\n"
                            "<table class=\"details\" width=\"100%\">\n")
                 .arg(stateClass(s.state), anchor(i), esc(s.displayTitle()));
        auto row = [&h](const char *key, const QString &escapedValue) {
            if (!escapedValue.isEmpty())
                h += QStringLiteral("<tr><th>%1</th><td>%2</td></tr>\n")
                         .arg(QLatin1String(key), escapedValue);
        };
        row("ID", esc(s.key.id));
        row("source", esc(s.key.source));
        row("tool", esc(s.tool));
        row("kind", QString(wireName(s.kind)));
        row("state", stateBadge(s.state)
                         + (s.stateReason.isEmpty()
                                ? QString()
                                : QLatin1String(" (") + esc(s.stateReason) + QLatin1Char(')')));
        row("host", esc(s.host));
        row("user", esc(s.user));
        row("target", esc(s.target));
        row("started", esc(localTime(s.effectiveStartMs())));
        row("ended", s.endedMs ? esc(localTime(*s.endedMs)) : QString());
        row("duration", duration(s, now));
        row("exit code", s.exitCode ? QString::number(*s.exitCode) : QString());
        row("summary", esc(s.summary));
        row("bytes", s.progress.bytesDone ? bytes(s) : QString());
        row("files", s.progress.filesDone ? QString::number(*s.progress.filesDone) : QString());
        row("warnings / errors", QStringLiteral("%1 / %2").arg(s.warnings).arg(s.errors));
        row("command", esc(s.command.join(QLatin1Char(' '))));
        row("directory", esc(s.cwd));
        h += QLatin1String("</table>\n");
        h += QStringLiteral("<p class=\"meta\">Log: %1 of %2 lines kept (levels: %3)</p>\n")
                 .arg(e.log.size())
                 .arg(e.logLinesKept)
                 .arg(esc(levels.join(QLatin1String(", "))));
        if (!e.log.isEmpty()) {
            h += QLatin1String("<pre class=\"log\">");
            for (const ReportData::LogLine &line : e.log) {
                const QString level = QString(wireName(line.level)).toUpper();
                h += QStringLiteral("<span class=\"lv-%1\">%2 %3 %4</span>\n")
                         .arg(QString(wireName(line.level)), Format::timeMs(line.timestampMs),
                              level.leftJustified(7), esc(line.text));
            }
            h += QLatin1String("</pre>\n");
        }
        h += QLatin1String("</div>\n");
    }
    h += QLatin1String("</body>\n</html>\n");
    return h.toUtf8();
}

} // namespace kw
