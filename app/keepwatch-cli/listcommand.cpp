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

#include <algorithm>

namespace kw::cli {

int listCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("A JSON array of sessions, for scripts."));
    cl.add(json);
    const QCommandLineOption bacula = baculaOption();
    cl.add(bacula);
    if (const auto done = cl.parse(args))
        return *done;
    if (!cl.positional().isEmpty())
        return cl.usage(QStringLiteral("unexpected argument %1").arg(cl.positional().first()));

    SourceSetConfig config = SourceSetConfig::load();
    if (const auto wrong = addBaculaDirectors(cl, bacula, config))
        return cl.usage(*wrong);
    const SourceSet sources(config);
    SessionStore store;
    QString error;
    if (!loadSessions(sources, store, error))
        return fail(Failure, error);

    // Oldest first, like a log.
    QList<int> rows;
    for (int i = 0; i < store.count(); ++i) {
        if (!store.at(i).joined) // the wrapper's session stands for the unit's run
            rows.append(i);
    }
    std::stable_sort(rows.begin(), rows.end(), [&](int x, int y) {
        const Session &a1 = store.at(x), &b1 = store.at(y);
        return a1.effectiveStartMs() < b1.effectiveStartMs();
    });
    const qint64 now = Timestamp::nowMs();
    if (cl.isSet(json)) {
        QByteArray text;
        JsonWriter w(text);
        w.beginArray();
        for (int row : rows) {
            w.beginObject();
            SessionJson::write(w, store.at(row), now);
            w.endObject();
        }
        w.endArray();
        out(text + '\n');
        return Ok;
    }
    const QString format = QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n");
    out(format
            .arg(QStringLiteral("ID").leftJustified(36), QStringLiteral("STATE").leftJustified(11),
                 QStringLiteral("KIND").leftJustified(8), QStringLiteral("TOOL").leftJustified(10),
                 QStringLiteral("STARTED").leftJustified(19),
                 QStringLiteral("DURATION").leftJustified(9),
                 QStringLiteral("PROGRESS").leftJustified(16), QStringLiteral("TITLE"))
            .toUtf8());
    for (int row : rows) {
        const Session &s = store.at(row);
        out(format
                .arg(s.key.id.leftJustified(36), QString(wireName(s.state)).leftJustified(11),
                     QString(wireName(s.kind)).leftJustified(8), s.tool.leftJustified(10),
                     localTime(s.effectiveStartMs()),
                     Format::duration(s.durationMs(now)).leftJustified(9),
                     progressText(s).leftJustified(16), s.title)
                .toUtf8());
    }
    return Ok;
}

} // namespace kw::cli
