// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/commandline.h"

#include "tools/commandredactor.h"
#include "tools/toolregistry.h"

#include <QFileInfo>
#include <QSet>
#include <cstring>

namespace kw {

namespace {

bool isInterpreter(const QString &name) {
    return name.startsWith(QLatin1String("python")) || name == QLatin1String("perl")
           || name == QLatin1String("sh") || name == QLatin1String("bash");
}

// Launcher programs: the options of each that take a separate value, and
// how many positional arguments come before the real command.
struct Launcher {
    const char *name;
    QStringList valueOptions;
    int positionals;
};

const Launcher *launcher(const QString &name) {
    static const Launcher launchers[] = {
        {"nice", {QStringLiteral("-n"), QStringLiteral("--adjustment")}, 0},
        {"ionice",
         {QStringLiteral("-c"), QStringLiteral("-n"), QStringLiteral("--class"),
          QStringLiteral("--classdata")},
         0},
        {"env",
         {QStringLiteral("-u"), QStringLiteral("--unset"), QStringLiteral("-C"),
          QStringLiteral("--chdir"), QStringLiteral("-S")},
         0},
        {"timeout",
         {QStringLiteral("-s"), QStringLiteral("--signal"), QStringLiteral("-k"),
          QStringLiteral("--kill-after")},
         1},
        {"setpriv",
         {QStringLiteral("--reuid"), QStringLiteral("--regid"), QStringLiteral("--groups"),
          QStringLiteral("--inh-caps"), QStringLiteral("--bounding-set")},
         0},
        {"sudo",
         {QStringLiteral("-u"), QStringLiteral("-g"), QStringLiteral("-C"), QStringLiteral("-D"),
          QStringLiteral("-h"), QStringLiteral("-p"), QStringLiteral("-U")},
         0},
        {"doas", {QStringLiteral("-u"), QStringLiteral("-C")}, 0},
        {"runuser", {QStringLiteral("-u"), QStringLiteral("-g"), QStringLiteral("-G")}, 0},
        {"chrt", {}, 1},
        {"flock",
         {QStringLiteral("-w"), QStringLiteral("--timeout"), QStringLiteral("-E"),
          QStringLiteral("--conflict-exit-code")},
         1},
        {"stdbuf", {QStringLiteral("-i"), QStringLiteral("-o"), QStringLiteral("-e")}, 0},
        {"taskset", {}, 1},
        {"systemd-inhibit",
         {QStringLiteral("--what"), QStringLiteral("--who"), QStringLiteral("--why"),
          QStringLiteral("--mode")},
         0},
    };
    for (const Launcher &l : launchers) {
        if (name == QLatin1String(l.name))
            return &l;
    }
    return nullptr;
}

} // namespace

qsizetype CommandArgs::firstPositional(const QStringList &args, qsizetype from,
                                       const QSet<QString> &valueOptions) {
    for (qsizetype i = from; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--"))
            return i + 1 < args.size() ? i + 1 : -1;
        if (a.startsWith(QLatin1Char('-'))) {
            // A secret option's value is never the subcommand (nor shown as one).
            const bool secret = CommandRedactor::isSecretOption(
                QStringView(a).mid(a.startsWith(QLatin1String("--")) ? 2 : 1).toString().toLower());
            if (!a.contains(QLatin1Char('=')) && (valueOptions.contains(a) || secret))
                ++i; // skip the value
            continue;
        }
        return i;
    }
    return -1;
}

QString CommandArgs::optionValue(const QStringList &args, const QStringList &names) {
    for (qsizetype i = 0; i < args.size(); ++i) {
        for (const QString &name : names) {
            if (args[i] == name && i + 1 < args.size())
                return args[i + 1];
            if (args[i].startsWith(name + QLatin1Char('=')))
                return args[i].mid(name.size() + 1);
        }
    }
    return {};
}

QStringList CommandArgs::positionals(const QStringList &args, qsizetype from) {
    QStringList out;
    for (qsizetype i = from; i < args.size(); ++i) {
        if (!args[i].startsWith(QLatin1Char('-')))
            out << args[i];
    }
    return out;
}

QString CommandLineInfo::executableName(const QString &path) {
    QString name = QFileInfo(path).fileName();
#ifdef Q_OS_WIN
    if (name.endsWith(QLatin1String(".exe"), Qt::CaseInsensitive))
        name.chop(4);
#endif
    return name;
}

QStringList CommandLineInfo::effectiveCommand(const QStringList &argv) {
    QStringList args = argv;
    // Bounded: each round removes at least the launcher's own name.
    for (int round = 0; round < 8 && !args.isEmpty(); ++round) {
        const Launcher *l = launcher(executableName(args.first()));
        if (!l)
            break;
        qsizetype i = 1;
        int positionals = l->positionals;
        while (i < args.size()) {
            const QString &a = args[i];
            if (a == QLatin1String("--")) {
                ++i;
                break;
            }
            if (a.startsWith(QLatin1Char('-')) && a.size() > 1) {
                i += (l->valueOptions.contains(a) ? 2 : 1);
                continue;
            }
            if (std::strcmp(l->name, "env") == 0 && a.contains(QLatin1Char('='))) {
                ++i; // VAR=value
                continue;
            }
            if (positionals > 0) {
                --positionals;
                ++i;
                continue;
            }
            break;
        }
        args = args.mid(i);
    }
    return args.isEmpty() ? argv : args;
}

const QStringList &CommandLineInfo::knownTools() {
    static const QStringList tools = ToolRegistry::names();
    return tools;
}

QString CommandLineInfo::programName(const QStringList &rawArgv) {
    const QStringList argv = effectiveCommand(rawArgv);
    if (argv.isEmpty())
        return {};
    QString name = executableName(argv.first());
    if (isInterpreter(name) && argv.size() > 1 && !argv[1].startsWith(QLatin1Char('-')))
        name = executableName(argv[1]);
    // "borgbackup", "borg-linux64": the tool behind the packaging.
    // On Windows also "WBADMIN" or "Restic": names are case-insensitive there.
    if (const ToolProfile *profile = ToolRegistry::find(name);
        profile && profile->aliases().contains(name))
        name = profile->name();
#ifdef Q_OS_WIN
    else if (profile)
        name = profile->name();
#endif
    return name;
}

CommandLineInfo CommandLineInfo::inspect(const QStringList &fullArgv) {
    const QStringList argv = effectiveCommand(fullArgv);
    CommandLineInfo info;
    info.tool = programName(argv);
    info.knownTool = knownTools().contains(info.tool);
    if (argv.isEmpty())
        return info;
    // Drop an interpreter in front, so args[0] is the tool itself.
    QStringList args = argv;
#ifdef Q_OS_WIN
    // "WBADMIN.EXE" is the tool wbadmin itself: names are case-insensitive there.
    constexpr Qt::CaseSensitivity programCase = Qt::CaseInsensitive;
#else
    constexpr Qt::CaseSensitivity programCase = Qt::CaseSensitive;
#endif
    if (executableName(args.first()).compare(info.tool, programCase) != 0 && args.size() > 1)
        args.removeFirst();
    if (const ToolProfile *profile = ToolRegistry::find(info.tool); profile && info.knownTool)
        profile->inspect(args, info);
    info.target = CommandRedactor::redactUrlCredentials(info.target);
    return info;
}

} // namespace kw
