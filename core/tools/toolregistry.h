// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "tools/toolprofile.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <memory>

namespace kw {

// Every tool Keepwatch knows, by name. Adding a tool: a folder under
// core/tools/ with its ToolProfile, and one line in toolregistry.cpp.
class ToolRegistry final {
public:
    ToolRegistry() = delete;

    // Every known tool's profile, in a fixed order (not the generic one).
    static const QList<const ToolProfile *> &profiles();
    // Commands Keepwatch knows nothing about: no exit-code table, SIGTERM to
    // cancel, the generic adapter.
    static const ToolProfile &generic();
    // The profile a session's tool names ("restic", "/usr/bin/rsync", "Borg",
    // "borgbackup"; "generic" for the generic one), or nullptr.
    static const ToolProfile *find(const QString &tool);
    // find(), else the generic profile.
    static const ToolProfile &forTool(const QString &tool);
    // The profile for a command: `tool` (from --tool) when it names a tool
    // with an adapter of its own, else the command's program, seen through
    // launchers such as nice or setpriv; else the generic profile.
    static const ToolProfile &forCommand(const QString &tool, const QStringList &command);
    // The names of the known tools.
    static QStringList names();
    // The names of the tools the window launches (those with a launch form).
    static QStringList launchableNames();
};

// The adapters by name (keepwatch-cli run --tool), made from the profiles.
class AdapterRegistry final {
public:
    AdapterRegistry() = delete;

    // "generic" and every tool with an adapter of its own.
    static QStringList names();
    // Whether `name` is an adapter (other --tool values only label the session).
    static bool has(const QString &name);
    // `tool` from --tool, or empty to pick by the command's program name.
    static std::unique_ptr<OutputAdapter> create(const QString &tool, const QStringList &command);
};

} // namespace kw
