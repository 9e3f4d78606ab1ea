// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "launch/launchprofile.h"
#include "tools/borg/borgprofile.h"
#include "tools/restic/resticprofile.h"

#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace kw {

// What LaunchCommand::build() needs besides the profile. Everything that
// depends on the machine is passed in, so tests can pin it down.
struct LaunchOptions {
    // The keepwatch-cli to run. Empty: LaunchCommand::locateCli() beside the
    // running executable, else on PATH.
    QString cliPath;
    // Exported as KEEPWATCH_SPOOL, so the session lands in the spool the
    // window watches (which may not be the default one). Empty: inherited.
    QString spoolDirectory;
    // Passed as --session-id, so the caller knows the session before it
    // appears in the spool. Empty: keepwatch-cli makes one.
    QString sessionId;
};

// The exact process that launches a profile: `keepwatch-cli run --tool T
// --kind K [--title TITLE] [--session-id ID] -- <tool argv>`, started
// detached so that closing the window never stops a backup.
//
// The tool argv per tool and kind:
//   restic backup   restic -r REPO backup --json PATHS... EXTRA...
//   restic restore  restic -r REPO restore SNAPSHOT --target DIR EXTRA...
//   borg backup     borg create --log-json --progress --json --show-rc EXTRA...
//                        REPO::{hostname}-{now} PATHS...
//                   (kBorgArchiveTemplate: borg expands the placeholders itself,
//                   e.g. "nas-2026-01-31T02:00:00")
//   borg restore    borg extract --log-json --progress --show-rc EXTRA... REPO::ARCHIVE
//                   in the working directory DIR (borg extracts into its cwd)
//   rsync backup    rsync -a --info=progress2 EXTRA... PATHS... DEST
//   rsync restore   rsync -a --info=progress2 EXTRA... BACKUP/ITEM... DIR
//                   (the repository is the backup copy; ITEMs are relative to it;
//                   no ITEM restores all of it: BACKUP/ -> DIR)
//
// Secrets never reach argv. Passwords reach the tool only through its
// environment, as a reference it resolves itself:
//   restic  File: RESTIC_PASSWORD_FILE=PATH
//           Command, Keyring: RESTIC_PASSWORD_COMMAND=kIndirectCommand, with the
//           shell command in KEEPWATCH_PASSWORD_COMMAND (restic splits its
//           password command with its own rules, which cannot quote every path,
//           so the command goes through the environment and /bin/sh instead)
//   borg    File: BORG_PASSCOMMAND=cat -- 'PATH'
//           Command: BORG_PASSCOMMAND=sh -c 'COMMAND'
//           Keyring: BORG_PASSCOMMAND=secret-tool lookup keepwatch-profile 'NAME'
//           (borg splits it with shlex, which reads POSIX shell quoting)
// The keyring command is `secret-tool lookup keepwatch-profile NAME`, the
// counterpart of SecretToolKeyring's store. When a profile names a password
// source, the tool's other password variables inherited from the caller are
// removed (restic refuses a password file and command together).
struct LaunchCommand {
    QString program;
    QStringList arguments;
    QMap<QString, QString> environment; // set on top of the inherited environment
    QStringList removedEnvironment;     // taken out of the inherited environment
    QString workingDirectory;           // empty: inherited
    QString error;                      // why the profile cannot launch; empty when it can

    bool isValid() const { return error.isEmpty(); }
    // The tool's own command line: what follows `--` in arguments.
    QStringList toolCommand() const;
    // `base` without removedEnvironment, plus environment.
    QProcessEnvironment processEnvironment(const QProcessEnvironment &base) const;
    // Starts it detached (in its own session: closing the window never stops
    // a backup), on top of `base`, with stdin, stdout and stderr on the null
    // device: the output reaches the spool through the wrapper, and a tool
    // that would prompt fails at once instead of waiting for a terminal that
    // is not there. Returns the pid, or 0 with `*startError` saying why.
    qint64 startDetached(const QProcessEnvironment &base, QString *startError) const;

    // A shell command that runs the same thing: [cd DIR && ][NAME=VALUE...]
    // PROGRAM ARGS..., quoted where needed. Holds no secret because the
    // command holds none. MultiLine breaks it (with backslash continuations)
    // before the program and before the tool's command, for reading.
    enum class Layout { OneLine, MultiLine };
    QString displayText(Layout layout = Layout::OneLine) const;

    static LaunchCommand build(const LaunchProfile &profile, const LaunchOptions &options = {});
    // Only the validation: the message build() would put in `error`.
    static QString validate(const LaunchProfile &profile);

    // keepwatch-cli in `besideDirectory` (normally the running executable's
    // directory: the window and the CLI are installed together), else the
    // first one in `searchPaths` (empty: PATH). Empty when there is none.
    static QString locateCli(const QString &besideDirectory, const QStringList &searchPaths = {});
    // The Secret Service attribute that keys a profile's password in the keyring.
    static QString keyringAttribute() { return QStringLiteral("keepwatch-profile"); }
    // The command that prints a profile's password from the keyring, quoted for /bin/sh.
    static QString keyringLookupCommand(const QString &profileName);

    static constexpr QLatin1String kCliName{"keepwatch-cli"};
    static constexpr QLatin1String kBorgArchiveTemplate = BorgProfile::kArchiveTemplate;
    static constexpr QLatin1String kIndirectCommand = ResticProfile::kIndirectCommand;
};

} // namespace kw
