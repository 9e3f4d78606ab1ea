// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/outputadapter.h"
#include "protocol/sessiontypes.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

namespace kw {

struct CommandLineInfo;

// One exit code a tool documents, and what it makes of the session.
struct ExitCodeEntry {
    int code;
    // Succeeded, Warning or Failed; Cancelled for the code a tool exits with
    // when a signal stopped it (restic 130, rsync 20).
    SessionState state;
    const char *meaning; // in the tool's own documented terms
};

// What Keepwatch launches for a profile: the tool's part of it.
struct LaunchRequest {
    bool restore = false;
    QString repository; // restic/borg: the repository; rsync: the destination or backup copy
    QStringList paths;  // backup: what to back up; restore: snapshot ID, archive name or items
    QString restoreTarget;
    QStringList extra; // the user's extra arguments
};

// The launch form's words and rules for one tool: what its repository field
// holds, what a restore reads, what it refuses. Texts are source strings,
// translated in the context "kw::ToolLaunch" where they are shown (marked
// with QT_TRANSLATE_NOOP where they are written).
struct LaunchForm {
    const char *repositoryLabel;        // "&Repository:"
    const char *restoreRepositoryLabel; // the same field for a restore
    const char *repositoryPlaceholder;
    const char *repositoryMissing; // the error when it is empty
    const char *restoreRepositoryMissing;
    // What a restore reads from the repository (snapshot, archive, items).
    const char *restoreItemsLabel;
    const char *restoreItemsPlaceholder;
    const char *restoreItemsMissing; // nullptr: none means all of it
    const char *restoreItemsTooMany; // nullptr: several are fine
    // A text the repository may not contain, and why (borg's "::").
    const char *repositoryForbidden = nullptr;
    const char *repositoryForbiddenMessage = nullptr;
    bool passwordRequired = false;             // a repository always has one (restic)
    bool remoteRestoreTarget = false;          // restores to host:/dir too (rsync)
    bool restoresIntoWorkingDirectory = false; // the target is the working directory (borg)
};

// How a launch hands the repository password to the tool, reduced to what a
// tool needs to know: a file, a shell command the user wrote, or a ready
// command line of Keepwatch's own (the keyring lookup, already quoted).
struct PasswordDelivery {
    enum class Kind : quint8 { File, ShellCommand, LookupCommand };
    Kind kind = Kind::File;
    QString value;
};

// Everything Keepwatch knows about one backup tool, in one place (one folder
// per tool under core/tools/, registered in ToolRegistry): its names, how to
// read its command line, its exit codes, how to stop it, where its password
// and repository come from, how to launch it, and the adapter for its output.
// Read by the wrapper, the adapters, the /proc discovery, the launch, the
// details pane and the reports alike.
//
// A profile is a stateless singleton: the virtual functions give the facts,
// the non-virtual ones below apply them, the same way for every tool.
class ToolProfile {
public:
    ToolProfile() = default;
    virtual ~ToolProfile() = default;
    ToolProfile(const ToolProfile &) = delete;
    ToolProfile &operator=(const ToolProfile &) = delete;

    // The name sessions, --tool and the adapter use ("restic").
    virtual QString name() const = 0;
    // Other program names of the same tool ("borgbackup", "borg-linux64").
    virtual QStringList aliases() const { return {}; }
    // Subcommand, kind and target from the tool's argv (args[0] is the tool
    // itself: launchers and interpreters are already removed).
    virtual void inspect(const QStringList &args, CommandLineInfo &info) const;

    // THE exit-code table: empty when the tool documents none (then 0 is
    // success and anything else a failure).
    virtual QList<ExitCodeEntry> exitCodes() const { return {}; }
    // Whether exit code 128+N documents "killed by signal N" (borg).
    virtual bool signalExitCodes() const { return false; }
    // Signals on which the tool stops as if cancelled (it catches them, or
    // it is a deliberate stop: systemctl stop, kill, Ctrl+C). Sent from
    // outside Keepwatch they end the session `cancelled`. Empty for commands
    // Keepwatch does not know: their death by a signal stays a failure.
    virtual QList<int> stopSignals() const { return {}; }
    // A remark on how the tool ended ("restic removed its lock"), or empty.
    virtual QString endNote(const ExitStatus &status) const;

    // The signal that asks the tool to stop cleanly (SIGTERM unless it
    // cleans up on another one: restic and borg remove their locks on SIGINT).
    virtual int cancelSignal() const;
    // The environment variables that carry the repository's password, and
    // the one that names the repository (never read from another process).
    virtual QStringList passwordVariables() const { return {}; }
    virtual QString repositoryVariable() const { return {}; }
    // The tool's argv for a launch from the window; empty when Keepwatch
    // does not launch this tool.
    virtual QStringList launchArguments(const LaunchRequest &request) const;
    // The launch form of a tool the window launches, or nullptr.
    virtual const LaunchForm *launchForm() const { return nullptr; }
    // The environment that hands the password to the tool (only variables
    // of passwordVariables() or Keepwatch's own); empty when it takes none.
    virtual QMap<QString, QString> passwordEnvironment(const PasswordDelivery &delivery) const;
    // The adapter that reads the tool's output (the generic one unless the
    // tool has its own). `command` without launchers.
    virtual std::unique_ptr<OutputAdapter> createAdapter(const QStringList &command) const;
    // Whether createAdapter() gives an adapter of the tool's own.
    virtual bool hasAdapter() const { return false; }

    // --- Applied the same way for every tool (toolprofile.cpp).

    // The documented meaning of `code`, or empty when there is none.
    QString documented(int code) const;
    // An exit status for people ("fatal error (...)", "killed by SIGKILL"):
    // what the details pane shows beside the code. Empty while running.
    QString meaning(std::optional<int> exitCode, std::optional<int> signal) const;
    // The session's final state and its summary (the state's tooltip, the
    // end event, the reports). The only place where an exit status becomes
    // a state: see docs/adapters.md, "How a session ends".
    Outcome outcome(const ExitStatus &status) const;
};

} // namespace kw
