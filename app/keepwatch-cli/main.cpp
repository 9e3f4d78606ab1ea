// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"
#include "commands.h"
#include "platform/processend.h"

#include <QStringList>
#include <cstdio>

namespace {

int runCommand(int argc, char **argv) {
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
    const QString name = args.takeFirst();
    for (const kw::cli::Command &command : kw::cli::commands()) {
        if (name == QLatin1String(command.name))
            return command.run(command, args);
    }
    std::fprintf(stderr, "keepwatch-cli: unknown command '%s' (see keepwatch-cli --help)\n",
                 name.toLocal8Bit().constData());
    return kw::cli::UsageError;
}

} // namespace

int main(int argc, char **argv) {
    return kw::endProcess(runCommand(argc, argv));
}
