// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"
#include "commands.h"
#include "history/historydatabase.h"
#include "history/historysearch.h"
#include "protocol/jsonwriter.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"
#include "sources/sourceset.h"

#include <unistd.h>

namespace kw::cli {

namespace {

// Control characters of a line would drive the terminal: shown escaped.
QString printable(QStringView text) {
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c.unicode() < 0x20 && c != u'\t')
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

// The line with what matched marked: bold red on a terminal (unless
// NO_COLOR is set), «» elsewhere, so that a pipe still sees where.
QString marked(const SearchHit &hit, bool terminal) {
    const QString open = terminal ? QStringLiteral("\x1b[1;31m") : QStringLiteral("«");
    const QString close = terminal ? QStringLiteral("\x1b[0m") : QStringLiteral("»");
    const QStringView line(hit.line);
    QString text;
    qsizetype at = 0;
    for (const auto &[start, length] : hit.matches) {
        text += printable(line.sliced(at, start - at)) + open
                + printable(line.sliced(start, length)) + close;
        at = start + length;
    }
    return text + printable(line.sliced(at));
}

} // namespace

int searchCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const TimeRangeOptions timeRange(QStringLiteral("Lines"));
    const QCommandLineOption host(
        QStringLiteral("host"), QStringLiteral("Only sessions of this host."), QStringLiteral("H"));
    const QCommandLineOption tool(
        QStringLiteral("tool"), QStringLiteral("Only sessions of this tool."), QStringLiteral("T"));
    const QCommandLineOption state(QStringLiteral("state"),
                                   QStringLiteral("Only sessions in this state."),
                                   QStringLiteral("S"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   QStringLiteral("At most N lines (default 100)."),
                                   QStringLiteral("N"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("As JSON."));
    const QCommandLineOption database = databaseOption();
    timeRange.addTo(cl);
    for (const auto &o : {host, tool, state, limit, json, database})
        cl.add(o);
    if (const auto done = cl.parse(args))
        return *done;
    SearchQuery query;
    query.text = cl.positional().join(QLatin1Char(' '));
    if (query.text.trimmed().isEmpty())
        return cl.usage(QStringLiteral("what to search for? (keepwatch-cli search QUERY)"));
    if (const auto wrong = timeRange.read(cl, Timestamp::nowMs(), query.fromMs, query.toMs))
        return cl.usage(*wrong);
    query.host = cl.value(host);
    query.tool = cl.value(tool);
    if (cl.isSet(state)) {
        query.state = sessionStateFromString(cl.value(state));
        if (!query.state)
            return cl.usage(
                QStringLiteral("unknown state %1").arg(SessionId::quoted(cl.value(state))));
    }
    if (cl.isSet(limit)) {
        bool ok = false;
        query.limit = cl.value(limit).toInt(&ok);
        if (!ok || query.limit < 1)
            return cl.usage(QStringLiteral("--limit takes a number of lines, 1 or more"));
    }
    QString error;
    if (!HistorySearch::ftsQuery(query.text, &error))
        return cl.usage(
            QStringLiteral("cannot search for %1: %2").arg(SessionId::quoted(query.text), error));

    const QString path = databasePath(cl, database);
    HistoryDatabase db;
    if (const auto why = openUpToDateHistory(db, path, SourceSetConfig::load().spoolDirectory))
        return fail(Failure, QStringLiteral("search: ") + *why);
    const auto hits = HistorySearch::run(db, query, &error);
    if (!hits)
        return fail(Failure, QStringLiteral("search: ") + error);

    if (cl.isSet(json)) {
        QByteArray text;
        JsonWriter w(text);
        w.beginArray();
        for (const SearchHit &hit : *hits) {
            w.beginObject();
            w.field("session", hit.key.id);
            w.field("source", hit.key.source);
            w.field("host", hit.host);
            w.field("tool", hit.tool);
            w.field("title", hit.title);
            w.field("state", QString(wireName(hit.state)));
            w.field("seq", hit.seq);
            w.field("ts", Timestamp::formatIsoMs(hit.timestampMs));
            w.field("level", QString(wireName(hit.level)));
            w.field("line", hit.line);
            w.beginArray("matches");
            for (const auto &[start, length] : hit.matches) {
                w.beginObject();
                w.field("start", start);
                w.field("length", length);
                w.endObject();
            }
            w.endArray();
            w.endObject();
        }
        w.endArray();
        out(text + '\n');
    } else {
        const bool terminal = ::isatty(STDOUT_FILENO) && qEnvironmentVariableIsEmpty("NO_COLOR");
        for (const SearchHit &hit : *hits)
            out(QStringLiteral("%1  %2  %3  %4  %5\n")
                    .arg(localTime(hit.timestampMs),
                         hit.host.isEmpty() ? QStringLiteral("-") : hit.host, hit.key.id,
                         QString(wireName(hit.level)), marked(hit, terminal))
                    .toUtf8());
    }
    // As grep: 1 when nothing matched.
    return hits->isEmpty() ? Failure : Ok;
}

} // namespace kw::cli
