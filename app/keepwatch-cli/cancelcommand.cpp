// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cancel/wrappercancel.h"
#include "cli.h"
#include "commands.h"
#include "protocol/sessionid.h"
#include "sources/sourceset.h"
#include "spool/spoollocation.h"
#include "store/sessionstore.h"

#include <cstdio>

namespace kw::cli {

int cancelCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption wait(QStringLiteral("wait"),
                                  QStringLiteral("Wait up to SECONDS for the session to end; "
                                                 "prints its final state."),
                                  QStringLiteral("SECONDS"));
    const QCommandLineOption source = sourceOption();
    cl.add(wait);
    cl.add(source);
    if (const auto done = cl.parse(args))
        return *done;
    int waitSeconds = 0;
    if (cl.isSet(wait)) {
        bool ok = false;
        waitSeconds = cl.value(wait).toInt(&ok);
        if (!ok || waitSeconds < 0)
            return cl.usage(QStringLiteral("--wait takes seconds"));
    }
    QString id;
    if (const auto done = cl.takeSessionId(id))
        return *done;

    SourceSetConfig config = SourceSetConfig::load();
    config.discovery = false; // only wrapped sessions can be cancelled
    const SourceSet sources(config);
    SessionStore store;
    QString error;
    if (!loadSessions(sources, store, error))
        return fail(Failure, error);
    const int row = findSession(store, sources, id, cl.value(source), error);
    if (row < 0)
        return fail(Failure, error);
    const QString file =
        SpoolLocation::fileForSession(sources.spoolDirectoryOf(store.at(row).key.source), id);
    if (const QString why = WrapperCancel::request(WrapperCancel::target(store, row, file));
        !why.isEmpty())
        return fail(Failure, QStringLiteral("cancel: ") + why);
    std::fprintf(stderr, "keepwatch-cli: cancel requested for session %s\n",
                 id.toLocal8Bit().constData());
    if (waitSeconds == 0)
        return Ok;
    // Follows the session's own file, not the whole spool.
    const auto state = WrapperCancel::waitForEnd(file, id, waitSeconds * 1000);
    if (!state)
        return fail(Failure, QStringLiteral("cancel: session %1 has not ended within %2 s")
                                 .arg(SessionId::quoted(id))
                                 .arg(waitSeconds));
    out(QByteArray(wireName(*state).latin1()) + '\n');
    return Ok;
}

} // namespace kw::cli
