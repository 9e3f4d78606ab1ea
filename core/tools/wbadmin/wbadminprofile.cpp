// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/wbadmin/wbadminprofile.h"

#include "tools/commandline.h"
#include "tools/wbadmin/wbadminadapter.h"

namespace kw {

const WbadminProfile &WbadminProfile::instance() {
    static const WbadminProfile profile;
    return profile;
}

void WbadminProfile::inspect(const QStringList &args, CommandLineInfo &info) const {
    // "wbadmin start backup -backupTarget:E: -include:C: -quiet"; wbadmin's
    // verbs and options are case-insensitive.
    if (args.size() >= 3) {
        const QString verb = args[1].toLower();
        const QString noun = args[2].toLower();
        info.subcommand = verb + QLatin1Char(' ') + noun;
        if (verb == QLatin1String("start")) {
            if (noun == QLatin1String("backup") || noun == QLatin1String("systemstatebackup"))
                info.kind = SessionKind::Backup;
            else if (noun == QLatin1String("recovery")
                     || noun == QLatin1String("systemstaterecovery"))
                info.kind = SessionKind::Restore;
        }
    }
    static const QLatin1String target("-backuptarget:");
    for (const QString &arg : args) {
        if (arg.startsWith(target, Qt::CaseInsensitive)) {
            info.target = arg.mid(target.size());
            break;
        }
    }
}

std::unique_ptr<OutputAdapter> WbadminProfile::createAdapter(const QStringList &) const {
    return std::make_unique<WbadminAdapter>();
}

} // namespace kw
