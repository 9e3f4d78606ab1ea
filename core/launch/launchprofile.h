// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QLatin1String>
#include <QString>
#include <QStringList>
#include <optional>

namespace kw {

// Where the repository password comes from when a profile is launched. There
// is deliberately no field for a password: a profile names a file, a command
// or the keyring entry, and the tool reads the secret itself at run time.
struct PasswordSource {
    enum class Type : quint8 {
        None,    // the repository has no password (borg --encryption none; rsync)
        File,    // reference: a file holding the password
        Command, // reference: a shell command printing the password (run by /bin/sh)
        Keyring, // the desktop keyring (Secret Service), entry keyed by the profile name
        Count
    };

    Type type = Type::None;
    QString reference; // File: the path; Command: the shell command; otherwise empty

    static PasswordSource none() { return {}; }
    static PasswordSource file(const QString &path) { return {Type::File, path}; }
    static PasswordSource command(const QString &shellCommand) {
        return {Type::Command, shellCommand};
    }
    static PasswordSource keyring() { return {Type::Keyring, QString()}; }
    // The source of `type`, taking its reference from whichever of the two
    // fields that type uses (a form and the settings both keep both).
    static PasswordSource of(Type type, const QString &file, const QString &command) {
        switch (type) {
        case Type::File:
            return PasswordSource::file(file);
        case Type::Command:
            return PasswordSource::command(command);
        case Type::Keyring:
            return keyring();
        case Type::None:
        case Type::Count:
            break;
        }
        return none();
    }

    friend bool operator==(const PasswordSource &a, const PasswordSource &b) {
        return a.type == b.type && a.reference == b.reference;
    }
    friend bool operator!=(const PasswordSource &a, const PasswordSource &b) { return !(a == b); }
};

// The names stored in settings: none, file, command, keyring.
QLatin1String wireName(PasswordSource::Type type);
std::optional<PasswordSource::Type> passwordSourceTypeFromString(QStringView text);

// A saved recipe for a session the window can launch: which tool, what to
// back up or restore, where to. A plain value; LaunchCommand turns it into
// the exact `keepwatch-cli run -- ...` command and ProfileStore keeps it.
struct LaunchProfile {
    QString name;
    QString tool = QStringLiteral("restic"); // restic | borg | rsync (see supportedTools())
    SessionKind kind = SessionKind::Backup;  // backup | restore
    // restic: the repository (-r); borg: the repository; rsync: the
    // destination of a backup, or the backup copy a restore reads from.
    QString repository;
    // A backup: what to back up. A restore: restic, the snapshot ID; borg,
    // the archive name; rsync, the items inside the backup copy (none: all).
    QStringList paths;
    QString restoreTarget; // a restore's destination directory
    // More options for the tool, split by QProcess::splitCommand: spaces
    // separate, double quotes group ("My Files"), no shell expansion.
    QString extraArgs;
    QString title; // the session's title; empty: the profile name
    PasswordSource password;

    // The tools with a launch form in their ToolProfile (restic, borg, rsync).
    static QStringList supportedTools();

    friend bool operator==(const LaunchProfile &a, const LaunchProfile &b) {
        return a.name == b.name && a.tool == b.tool && a.kind == b.kind
               && a.repository == b.repository && a.paths == b.paths
               && a.restoreTarget == b.restoreTarget && a.extraArgs == b.extraArgs
               && a.title == b.title && a.password == b.password;
    }
    friend bool operator!=(const LaunchProfile &a, const LaunchProfile &b) { return !(a == b); }
};

} // namespace kw
