// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QStringList>

namespace kw::cli {

// Exit statuses of the CLI's own commands (`run` returns the command's).
// SessionFailed: `export` selected a failed or interrupted session (its report
// was still written), for cron digests.
enum ExitCode { Ok = 0, Failure = 1, UsageError = 2, SessionFailed = 3 };

int runCommand(const QStringList &args);
int listCommand(const QStringList &args);
int showCommand(const QStringList &args);
int logCommand(const QStringList &args);
int cancelCommand(const QStringList &args);
int exportCommand(const QStringList &args);
void printUsage();

} // namespace kw::cli
