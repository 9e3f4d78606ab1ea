// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"
#include "commands.h"
#include "export/sessionjson.h"
#include "format/format.h"
#include "protocol/jsonwriter.h"
#include "protocol/timestamp.h"
#include "sources/sourceset.h"
#include "store/sessionstore.h"

#include <limits>

namespace kw::cli {

int showCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("The session and its log as JSON, for scripts."));
    const QCommandLineOption source = sourceOption();
    cl.add(json);
    cl.add(source);
    const QCommandLineOption bacula = baculaOption();
    cl.add(bacula);
    if (const auto done = cl.parse(args))
        return *done;
    QString id;
    if (const auto done = cl.takeSessionId(id))
        return *done;

    SourceSetConfig config = SourceSetConfig::load();
    if (const auto wrong = addBaculaDirectors(cl, bacula, config))
        return cl.usage(*wrong);
    const SourceSet sources(config);
    SessionStore store;
    store.setMaxLogLines(std::numeric_limits<qint64>::max()); // the whole log
    QString error;
    if (!loadSessions(sources, store, error))
        return fail(Failure, error);
    const int row = findSession(store, sources, id, cl.value(source), error);
    if (row < 0)
        return fail(Failure, error);
    const Session &s = store.at(row);
    const LogBuffer &log = store.log(row);
    const qint64 now = Timestamp::nowMs();
    if (cl.isSet(json)) {
        QByteArray text;
        JsonWriter w(text);
        w.beginObject();
        SessionJson::writeWithLog(w, s, log, now);
        w.endObject();
        out(text + '\n');
        return Ok;
    }
    auto line = [](const char *key, const QString &value) {
        if (!value.isEmpty())
            out(QByteArray(key).leftJustified(11) + value.toUtf8() + '\n');
    };
    line("id", s.key.id);
    line("title", s.title);
    line("state",
         QString(wireName(s.state))
             + (s.stateReason.isEmpty() ? QString()
                                        : QLatin1String(" (") + s.stateReason + QLatin1Char(')')));
    line("kind", QString(wireName(s.kind)));
    line("tool", s.tool);
    line("host", s.host);
    line("user", s.user);
    line("source", s.key.source);
    line("command", s.command.join(QLatin1Char(' ')));
    line("started", localTime(s.effectiveStartMs()));
    line("ended", s.endedMs ? localTime(s.endedMs) : QString());
    line("duration", Format::duration(s.durationMs(now)));
    line("exit code", s.exitCode ? QString::number(*s.exitCode) : QString());
    line("summary", s.summary);
    line("progress", progressText(s));
    out("\n");
    for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq) {
        const LogBuffer::Line l = log.line(seq);
        out(Format::timeMs(l.timestampMs).toUtf8() + ' '
            + QByteArray(wireName(l.level).latin1()).toUpper().leftJustified(7) + ' '
            + l.text.toByteArray() + '\n');
    }
    return Ok;
}

} // namespace kw::cli
