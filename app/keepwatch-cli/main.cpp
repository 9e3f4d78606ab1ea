// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "clicommands.h"
#include "historycommands.h"

#include <QCoreApplication>
#include <QStringList>
#include <cstdio>

int main(int argc, char **argv) {
    // No QCoreApplication: `run` must add nothing to the wrapped command's
    // start-up, and no command here needs an event loop.
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));
    if (args.isEmpty() || args.first() == QLatin1String("--help")
        || args.first() == QLatin1String("-h") || args.first() == QLatin1String("help")) {
        kw::cli::printUsage();
        return args.isEmpty() ? kw::cli::UsageError : kw::cli::Ok;
    }
    if (args.first() == QLatin1String("--version")) {
        std::printf("keepwatch-cli %s\n", KEEPWATCH_VERSION);
        return kw::cli::Ok;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("run"))
        return kw::cli::runCommand(args);
    if (command == QLatin1String("list"))
        return kw::cli::listCommand(args);
    if (command == QLatin1String("show"))
        return kw::cli::showCommand(args);
    if (command == QLatin1String("log"))
        return kw::cli::logCommand(args);
    if (command == QLatin1String("cancel"))
        return kw::cli::cancelCommand(args);
    if (command == QLatin1String("reindex"))
        return kw::cli::reindexCommand(args);
    if (command == QLatin1String("retention"))
        return kw::cli::retentionCommand(args);
    if (command == QLatin1String("export"))
        return kw::cli::exportCommand(args);
    std::fprintf(stderr, "keepwatch-cli: unknown command '%s' (see keepwatch-cli --help)\n",
                 command.toLocal8Bit().constData());
    return kw::cli::UsageError;
}
