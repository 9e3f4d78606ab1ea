// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/toolregistry.h"

#include "tools/borg/borgprofile.h"
#include "tools/commandline.h"
#include "tools/generic/genericprofile.h"
#include "tools/generic/othertools.h"
#include "tools/restic/resticprofile.h"
#include "tools/rsync/rsyncprofile.h"
#include "tools/wbadmin/wbadminprofile.h"

namespace kw {

const QList<const ToolProfile *> &ToolRegistry::profiles() {
    // One line per tool.
    static const QList<const ToolProfile *> all = {
        &ResticProfile::instance(), &BorgProfile::instance(), &RsyncProfile::instance(),
        &OtherTools::rclone(),      &OtherTools::duplicity(), &OtherTools::rdiffBackup(),
        &OtherTools::kopia(),       &OtherTools::tar(),       &WbadminProfile::instance(),
    };
    return all;
}

const ToolProfile &ToolRegistry::generic() {
    return GenericProfile::instance();
}

const ToolProfile *ToolRegistry::find(const QString &tool) {
    // Sessions name the tool by adapter ("restic") or by program path.
    const QString name = CommandLineInfo::executableName(tool).toLower();
    if (name.isEmpty())
        return nullptr;
    for (const ToolProfile *p : profiles()) {
        if (p->name() == name || p->aliases().contains(name))
            return p;
    }
    if (name == generic().name())
        return &generic();
    return nullptr;
}

const ToolProfile &ToolRegistry::forTool(const QString &tool) {
    const ToolProfile *p = find(tool);
    return p ? *p : generic();
}

const ToolProfile &ToolRegistry::forCommand(const QString &tool, const QStringList &command) {
    if (const ToolProfile *p = find(tool); p && (p->hasAdapter() || p == &generic()))
        return *p;
    return forTool(CommandLineInfo::programName(command));
}

QStringList ToolRegistry::names() {
    QStringList out;
    for (const ToolProfile *p : profiles())
        out << p->name();
    return out;
}

QStringList ToolRegistry::launchableNames() {
    QStringList out;
    for (const ToolProfile *p : profiles()) {
        if (p->launchForm())
            out << p->name();
    }
    return out;
}

QStringList AdapterRegistry::names() {
    QStringList out = {ToolRegistry::generic().name()};
    for (const ToolProfile *p : ToolRegistry::profiles()) {
        if (p->hasAdapter())
            out << p->name();
    }
    return out;
}

bool AdapterRegistry::has(const QString &name) {
    return names().contains(name);
}

std::unique_ptr<OutputAdapter> AdapterRegistry::create(const QString &tool,
                                                       const QStringList &command) {
    return ToolRegistry::forCommand(tool, command)
        .createAdapter(CommandLineInfo::effectiveCommand(command));
}

} // namespace kw
