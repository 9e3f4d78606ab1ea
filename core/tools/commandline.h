// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QSet>
#include <QString>
#include <QStringList>

namespace kw {

// What a backup tool's command line says about the session it starts:
// which tool, which subcommand, hence which kind, and where to.
// Pure: used alike by the wrapper (its own argv), the adapters and the
// /proc discovery (another process's argv; never its environment).
struct CommandLineInfo {
    QString tool;       // "restic", "borg", "rsync", ... or the program's name
    QString subcommand; // "backup", "create", ... (empty for rsync and tar)
    SessionKind kind = SessionKind::Other;
    QString target; // repository or destination, secrets removed; empty if unknown
    bool knownTool = false;

    static CommandLineInfo inspect(const QStringList &argv);
    // argv without the programs that only run the real one in a certain way
    // (cron lines like "nice -n 19 ionice -c3 restic backup ..."): nice,
    // ionice, env, timeout, setpriv, sudo, doas, runuser, chrt, flock, stdbuf,
    // taskset, systemd-inhibit.
    static QStringList effectiveCommand(const QStringList &argv);
    // The program's name: the basename of argv[0], or of the script when
    // argv[0] is an interpreter (borg runs as "/usr/bin/python3 /usr/bin/borg").
    static QString programName(const QStringList &argv);
    // A program's name from its path: the file name, and on Windows without
    // its ".exe" (any case), so that "C:\\Tools\\restic.exe" is "restic".
    static QString executableName(const QString &path);
    // Backup tools this project recognises by name (ToolRegistry::names()).
    static const QStringList &knownTools();
};

// Helpers for the tools' inspect() (core/tools/*/).
struct CommandArgs {
    // The index of the first word from `from` on that is not an option (or
    // an option's value: `valueOptions` take one; so does any option naming
    // a secret), or -1.
    static qsizetype firstPositional(const QStringList &args, qsizetype from,
                                     const QSet<QString> &valueOptions);
    // The value of the first of `names` ("-r X" or "--repo=X"), or empty.
    static QString optionValue(const QStringList &args, const QStringList &names);
    // The words that do not start with '-', in order (option values cannot
    // be told apart without each tool's option table: good enough for a
    // destination).
    static QStringList positionals(const QStringList &args, qsizetype from);
};

} // namespace kw
