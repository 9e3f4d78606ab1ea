// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "options.h"

namespace kw::vss {

std::string Options::usage() {
    return "usage: keepwatch-vss writers\n"
           "       keepwatch-vss snapshot [--volume V]... [--document FILE]\n"
           "       keepwatch-vss snapshot --restore --document FILE\n"
           "\n"
           "Writes Keepwatch protocol v1 events (JSON Lines) on stdout.\n"
           "  writers    one poll of the VSS writers' states (GatherWriterStatus)\n"
           "  snapshot   a VSS backup session: metadata, prepare, shadow copy set,\n"
           "             backup complete; the session ID is the VSS session ID\n"
           "             (IVssBackupComponentsEx3::GetSessionId). --volume defaults to C:\\;\n"
           "             --document FILE saves the backup components document there\n"
           "  --restore  a VSS restore session (PreRestore, PostRestore) from the\n"
           "             document a snapshot saved\n"
           "Exit status: 0 done, 1 a VSS or COM call failed (see the events), 2 usage.\n";
}

Options Options::parse(const std::vector<std::string> &args) {
    Options o;
    if (args.empty()) {
        o.error = "no command given";
        return o;
    }
    const std::string &command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
        o.command = Command::Help;
        return o;
    }
    if (command == "writers") {
        o.command = Command::Writers;
    } else if (command == "snapshot") {
        o.command = Command::Snapshot;
    } else {
        o.error = "unknown command '" + command + "'";
        return o;
    }
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string &a = args[i];
        auto value = [&](const char *name) -> const std::string * {
            if (i + 1 >= args.size()) {
                o.error = std::string(name) + " needs a value";
                return nullptr;
            }
            return &args[++i];
        };
        if (o.command == Command::Snapshot && a == "--volume") {
            const std::string *v = value("--volume");
            if (!v)
                return o;
            if (v->empty()) {
                o.error = "--volume needs a volume, e.g. C:\\";
                return o;
            }
            o.volumes.push_back(*v);
        } else if (o.command == Command::Snapshot && a == "--restore") {
            o.restore = true;
        } else if (o.command == Command::Snapshot && a == "--document") {
            const std::string *v = value("--document");
            if (!v)
                return o;
            o.document = *v;
        } else {
            o.error = std::string("unknown option '").append(a).append("' for ").append(command);
            return o;
        }
    }
    if (o.restore && o.document.empty()) {
        o.error = "--restore needs --document FILE (saved by a snapshot)";
        return o;
    }
    if (o.restore && !o.volumes.empty()) {
        o.error = "--restore takes no --volume: the document names what was backed up";
        return o;
    }
    if (o.command == Command::Snapshot && !o.restore && o.volumes.empty())
        o.volumes.push_back("C:\\");
    // VSS wants volume names with a trailing backslash ("C:\", a mount folder
    // "D:\mnt\x\" or "\\?\Volume{GUID}\"); "C:" alone is a common slip.
    for (std::string &v : o.volumes) {
        if (v.back() != '\\')
            v += '\\';
    }
    return o;
}

} // namespace kw::vss
