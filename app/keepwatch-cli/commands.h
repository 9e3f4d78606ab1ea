// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QStringList>
#include <vector>

namespace kw::cli {

// One keepwatch-cli command. The table in commands.cpp is the one place that
// names them: main() dispatches with it, `keepwatch-cli --help` lists it, and
// each command's own --help starts with its synopsis and summary, followed by
// the options its parser knows, so no usage text can drift from the code.
struct Command {
    const char *name;
    const char *synopsis; // after "keepwatch-cli NAME "
    const char *summary;  // what it does, in a sentence or two
    int (*run)(const Command &self, const QStringList &args);
};

const std::vector<Command> &commands();
// `keepwatch-cli --help`.
void printUsage();

int runCommand(const Command &self, const QStringList &args);
int listCommand(const Command &self, const QStringList &args);
int schedulesCommand(const Command &self, const QStringList &args);
int showCommand(const Command &self, const QStringList &args);
int logCommand(const Command &self, const QStringList &args);
int cancelCommand(const Command &self, const QStringList &args);
int exportCommand(const Command &self, const QStringList &args);
int searchCommand(const Command &self, const QStringList &args);
int reindexCommand(const Command &self, const QStringList &args);
int retentionCommand(const Command &self, const QStringList &args);
int systemSpoolCommand(const Command &self, const QStringList &args);
int agentCommand(const Command &self, const QStringList &args);
int collectCommand(const Command &self, const QStringList &args);

} // namespace kw::cli
