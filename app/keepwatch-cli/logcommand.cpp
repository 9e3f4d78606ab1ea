// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"
#include "commands.h"
#include "platform/useraccounts.h"
#include "protocol/eventcodec.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"
#include "spool/spooltarget.h"
#include "spool/spoolwriter.h"

#include <QFile>

namespace kw::cli {

int logCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption session(
        QStringLiteral("session"), QStringLiteral("The session (default: $KEEPWATCH_SESSION_ID)."),
        QStringLiteral("ID"));
    const QCommandLineOption levelOption(QStringLiteral("level"),
                                         QStringLiteral("debug, info (default), warning or error."),
                                         QStringLiteral("LEVEL"));
    cl.add(session);
    cl.add(levelOption);
    // The message's words are not options, whatever they look like.
    cl.stopAtFirstPositional();
    if (const auto done = cl.parse(args))
        return *done;

    const QString id =
        cl.isSet(session) ? cl.value(session) : qEnvironmentVariable("KEEPWATCH_SESSION_ID");
    LogLevel level = LogLevel::Info;
    if (cl.isSet(levelOption)) {
        const auto parsed = logLevelFromString(cl.value(levelOption));
        if (!parsed)
            return cl.usage(QStringLiteral("unknown level %1 (one of: debug info warning error)")
                                .arg(SessionId::quoted(cl.value(levelOption))));
        level = *parsed;
    }
    const QStringList words = cl.positional();
    if (id.isEmpty())
        return cl.usage(
            QStringLiteral("which session? (--session ID, or run it inside `keepwatch-cli run`)"));
    if (words.isEmpty())
        return cl.usage(QStringLiteral("no message given"));
    // Inside `keepwatch-cli run`: the session's own spool; else where `run`
    // would write now.
    QString spool = qEnvironmentVariable("KEEPWATCH_SESSION_SPOOL");
    if (spool.isEmpty()) {
        const SpoolTarget target = SpoolTarget::choose(QString(), UserAccounts::effectiveUid());
        if (!target.isValid())
            return fail(Failure, QStringLiteral("log: ") + target.error);
        spool = target.directory;
    }
    SpoolWriter writer;
    if (!writer.open(spool, id, SpoolWriter::Mode::AppendExisting)) {
        if (SessionId::isValid(id) && !QFile::exists(writer.fileName()))
            return fail(
                Failure,
                QStringLiteral("log: no session %1 in %2").arg(SessionId::quoted(id), spool));
        return fail(Failure, QStringLiteral("log: ") + writer.errorString());
    }
    Event event;
    event.session = id;
    event.timestampMs = Timestamp::nowMs();
    event.payload = LogPayload{level, words.join(QLatin1Char(' ')).toUtf8(), QString()};
    if (!writer.append(EventEncoder::encode(event)))
        return fail(Failure, QStringLiteral("log: ") + writer.errorString());
    return Ok;
}

} // namespace kw::cli
