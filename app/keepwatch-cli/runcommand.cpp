// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"
#include "commands.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "protocol/sessionid.h"
#include "spool/spooltarget.h"
#include "wrapper/wrappedcommand.h"

#include <QCoreApplication>
#include <cstdio>

namespace kw::cli {

int runCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption tool(QStringLiteral("tool"),
                                  QStringLiteral("The tool, when the command does not say it "
                                                 "(restic, borg, rsync, wbadmin, generic)."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption kind(
        QStringLiteral("kind"),
        QStringLiteral("backup, restore, verify, prune, snapshot or other (default: from the "
                       "command)."),
        QStringLiteral("KIND"));
    const QCommandLineOption title(QStringLiteral("title"),
                                   QStringLiteral("What the session is, for people."),
                                   QStringLiteral("TEXT"));
    const QCommandLineOption sessionId(QStringLiteral("session-id"),
                                       QStringLiteral("The session ID (default: a new UUID)."),
                                       QStringLiteral("ID"));
    const QCommandLineOption grace(QStringLiteral("cancel-grace"),
                                   QStringLiteral("Seconds between the stop signals on cancel "
                                                  "(default 10)."),
                                   QStringLiteral("SECONDS"));
    const QCommandLineOption spool(
        QStringLiteral("spool"),
        QStringLiteral("Where the session is recorded: user (your private spool), system (the "
                       "system spool, which group keepwatch watches) or a directory. Default: "
                       "$KEEPWATCH_SPOOL, else the system spool when root set one up for you, "
                       "else your private spool."),
        QStringLiteral("user|system|DIR"));
    for (const auto &o : {tool, kind, title, sessionId, grace, spool})
        cl.add(o);
    // The command starts at the first argument that is not ours.
    cl.stopAtFirstPositional();
    if (const auto done = cl.parse(args))
        return *done;

    WrapOptions options;
    const SpoolTarget target = SpoolTarget::choose(cl.isSet(spool) ? cl.value(spool) : QString(),
                                                   UserAccounts::effectiveUid());
    // An explicit choice that cannot be had is a usage error; without one,
    // the command runs on unrecorded and the wrapper says why.
    if (!target.isValid() && cl.isSet(spool))
        return cl.usage(target.error);
    if (!target.note.isEmpty())
        std::fprintf(stderr, "%s\n", target.note.toLocal8Bit().constData());
    options.spoolDirectory = target.directory;
    options.spoolProblem = target.error;
    options.groupReadable = target.groupReadable;
    if (const QString invocation = qEnvironmentVariable("INVOCATION_ID");
        SessionId::isInvocationId(invocation)) {
        // Set by systemd for every process of a unit's run.
        options.invocationId = invocation;
        options.unit = ProcessProbe::systemdUnit(QCoreApplication::applicationPid());
    }
    if (const QString cap = qEnvironmentVariable("KEEPWATCH_SPOOL_MAX_BYTES"); !cap.isEmpty()) {
        bool ok = false;
        options.maxSpoolFileBytes = cap.toLongLong(&ok);
        if (!ok || options.maxSpoolFileBytes < 0)
            return cl.usage(QStringLiteral("KEEPWATCH_SPOOL_MAX_BYTES takes a number of bytes "
                                           "(0: no cap), not %1")
                                .arg(SessionId::quoted(cap)));
    }
    if (cl.isSet(tool))
        options.tool = cl.value(tool);
    if (cl.isSet(kind)) {
        options.kind = sessionKindFromString(cl.value(kind));
        if (!options.kind)
            return cl.usage(QStringLiteral("unknown kind %1 (one of: backup restore verify "
                                           "prune snapshot other)")
                                .arg(SessionId::quoted(cl.value(kind))));
    }
    if (cl.isSet(title))
        options.title = cl.value(title);
    if (cl.isSet(sessionId))
        options.sessionId = cl.value(sessionId);
    if (cl.isSet(grace)) {
        bool ok = false;
        const double seconds = cl.value(grace).toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 3600)
            return cl.usage(QStringLiteral("--cancel-grace takes seconds (0 to 3600)"));
        options.cancelGraceMs = int(seconds * 1000);
    }
    options.command = cl.positional();
    WrappedCommand command(options);
    if (const QString why = command.validate(); !why.isEmpty())
        return cl.usage(why);
    return command.run();
}

} // namespace kw::cli
