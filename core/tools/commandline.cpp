// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/commandline.h"

#include "tools/commandredactor.h"

#include <QFileInfo>
#include <QSet>
#include <cstring>

namespace kw {

namespace {

bool isInterpreter(const QString &name) {
    return name.startsWith(QLatin1String("python")) || name == QLatin1String("perl")
           || name == QLatin1String("sh") || name == QLatin1String("bash");
}

// restic's global options that take a value in the next argument.
const QSet<QString> &resticValueOptions() {
    static const QSet<QString> options = {QStringLiteral("-r"),
                                          QStringLiteral("--repo"),
                                          QStringLiteral("--repository-file"),
                                          QStringLiteral("-p"),
                                          QStringLiteral("--password-file"),
                                          QStringLiteral("--password-command"),
                                          QStringLiteral("--cache-dir"),
                                          QStringLiteral("--limit-upload"),
                                          QStringLiteral("--limit-download"),
                                          QStringLiteral("-o"),
                                          QStringLiteral("--option"),
                                          QStringLiteral("--cacert"),
                                          QStringLiteral("--tls-client-cert"),
                                          QStringLiteral("--key-hint"),
                                          QStringLiteral("--pack-size"),
                                          QStringLiteral("--compression")};
    return options;
}

// borg's common options that take a value.
const QSet<QString> &borgValueOptions() {
    static const QSet<QString> options = {
        QStringLiteral("--lock-wait"),     QStringLiteral("--remote-path"),
        QStringLiteral("--rsh"),           QStringLiteral("--upload-ratelimit"),
        QStringLiteral("--upload-buffer"), QStringLiteral("--umask"),
        QStringLiteral("--debug-topic"),   QStringLiteral("--debug-profile")};
    return options;
}

// The first word that is not an option (or an option's value).
qsizetype firstPositional(const QStringList &args, qsizetype from,
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

QString optionValue(const QStringList &args, const QStringList &names) {
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

void inspectRestic(const QStringList &args, CommandLineInfo &info) {
    const qsizetype sub = firstPositional(args, 1, resticValueOptions());
    info.subcommand = sub >= 0 ? args[sub] : QString();
    static const QHash<QString, SessionKind> kinds = {
        {QStringLiteral("backup"), SessionKind::Backup},
        {QStringLiteral("restore"), SessionKind::Restore},
        {QStringLiteral("check"), SessionKind::Verify},
        {QStringLiteral("prune"), SessionKind::Prune},
        {QStringLiteral("forget"), SessionKind::Prune}};
    info.kind = kinds.value(info.subcommand, SessionKind::Other);
    info.target = optionValue(args, {QStringLiteral("-r"), QStringLiteral("--repo")});
    if (info.target.isEmpty())
        info.target = optionValue(args, {QStringLiteral("--repository-file")});
}

void inspectBorg(const QStringList &args, CommandLineInfo &info) {
    const qsizetype sub = firstPositional(args, 1, borgValueOptions());
    info.subcommand = sub >= 0 ? args[sub] : QString();
    static const QHash<QString, SessionKind> kinds = {
        {QStringLiteral("create"), SessionKind::Backup},
        {QStringLiteral("extract"), SessionKind::Restore},
        {QStringLiteral("check"), SessionKind::Verify},
        {QStringLiteral("prune"), SessionKind::Prune},
        {QStringLiteral("compact"), SessionKind::Prune}};
    info.kind = kinds.value(info.subcommand, SessionKind::Other);
    if (sub < 0)
        return;
    // The location: the first argument of the form REPO::ARCHIVE ("::ARCHIVE"
    // means $BORG_REPO), else (check, prune, compact) the last positional one.
    // Option values look positional too ("--keep-daily 7"), but never hold "::".
    QString location;
    for (qsizetype i = sub + 1; i < args.size(); ++i) {
        if (!args[i].startsWith(QLatin1Char('-')) && args[i].contains(QLatin1String("::"))) {
            location = args[i].left(args[i].indexOf(QLatin1String("::")));
            info.target = location;
            return;
        }
    }
    for (qsizetype i = args.size() - 1; i > sub; --i) {
        if (!args[i].startsWith(QLatin1Char('-'))) {
            info.target = args[i];
            return;
        }
    }
}

void inspectRsync(const QStringList &args, CommandLineInfo &info) {
    info.kind = SessionKind::Backup;
    // The destination is the last argument that is not an option.
    for (qsizetype i = args.size() - 1; i >= 1; --i) {
        if (!args[i].startsWith(QLatin1Char('-'))) {
            info.target = args[i];
            break;
        }
    }
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

// The positional arguments, in order (option values cannot be told apart
// without each tool's option table: good enough for a destination).
QStringList positionals(const QStringList &args, qsizetype from) {
    QStringList out;
    for (qsizetype i = from; i < args.size(); ++i) {
        if (!args[i].startsWith(QLatin1Char('-')))
            out << args[i];
    }
    return out;
}

void inspectTar(const QStringList &args, CommandLineInfo &info) {
    // "tar czf out.tgz dir", "tar -xvf f.tar", "tar --create --file=f dir"
    bool create = false, extract = false;
    QString file;
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--create"))
            create = true;
        else if (a == QLatin1String("--extract") || a == QLatin1String("--get"))
            extract = true;
        else if (a.startsWith(QLatin1String("--file=")))
            file = a.mid(7);
        else if (a == QLatin1String("--file") && i + 1 < args.size())
            file = args[i + 1];
        else if ((i == 1
                  || (a.startsWith(QLatin1Char('-')) && !a.startsWith(QLatin1String("--"))))) {
            const QString letters = a.startsWith(QLatin1Char('-')) ? a.mid(1) : a;
            if (letters.contains(QLatin1Char('c')))
                create = true;
            if (letters.contains(QLatin1Char('x')))
                extract = true;
            if (letters.endsWith(QLatin1Char('f')) && i + 1 < args.size())
                file = args[i + 1];
        }
    }
    info.kind = create ? SessionKind::Backup : extract ? SessionKind::Restore : SessionKind::Other;
    info.target = file;
}

void inspectRclone(const QStringList &args, CommandLineInfo &info) {
    const QStringList pos = positionals(args, 1);
    info.subcommand = pos.value(0);
    static const QStringList transfers = {QStringLiteral("sync"), QStringLiteral("copy"),
                                          QStringLiteral("move"), QStringLiteral("copyto"),
                                          QStringLiteral("moveto")};
    if (transfers.contains(info.subcommand)) {
        info.kind = SessionKind::Backup;
        info.target = pos.size() >= 3 ? pos.last() : QString();
    } else if (info.subcommand == QLatin1String("check")) {
        info.kind = SessionKind::Verify;
    }
}

void inspectKopia(const QStringList &args, CommandLineInfo &info) {
    const QStringList pos = positionals(args, 1);
    info.subcommand = pos.mid(0, 2).join(QLatin1Char(' '));
    const QString first = pos.value(0), second = pos.value(1);
    if (first == QLatin1String("snapshot") && second == QLatin1String("create"))
        info.kind = SessionKind::Backup;
    else if (first == QLatin1String("restore")
             || (first == QLatin1String("snapshot") && second == QLatin1String("restore")))
        info.kind = SessionKind::Restore;
    else if (first == QLatin1String("snapshot") && second == QLatin1String("verify"))
        info.kind = SessionKind::Verify;
    else if (first == QLatin1String("maintenance"))
        info.kind = SessionKind::Prune;
}

bool isUrl(const QString &s) {
    return s.contains(QLatin1String("://"));
}

void inspectDuplicity(const QStringList &args, CommandLineInfo &info) {
    const QStringList pos = positionals(args, 1);
    static const QHash<QString, SessionKind> actions = {
        {QStringLiteral("full"), SessionKind::Backup},
        {QStringLiteral("incremental"), SessionKind::Backup},
        {QStringLiteral("incr"), SessionKind::Backup},
        {QStringLiteral("restore"), SessionKind::Restore},
        {QStringLiteral("verify"), SessionKind::Verify},
        {QStringLiteral("remove-older-than"), SessionKind::Prune},
        {QStringLiteral("remove-all-but-n-full"), SessionKind::Prune},
        {QStringLiteral("cleanup"), SessionKind::Prune}};
    const QString first = pos.value(0);
    if (actions.contains(first)) {
        info.subcommand = first;
        info.kind = actions.value(first);
    } else {
        // No action: "duplicity SRC_DIR URL" backs up, "duplicity URL DIR" restores.
        info.kind = isUrl(first) ? SessionKind::Restore : SessionKind::Backup;
    }
    for (const QString &p : pos) {
        if (isUrl(p)) {
            info.target = p;
            break;
        }
    }
}

void inspectRdiffBackup(const QStringList &args, CommandLineInfo &info) {
    const QStringList pos = positionals(args, 1);
    const QString first = pos.value(0);
    // rdiff-backup 2.2 has actions; older ones use options.
    if (first == QLatin1String("restore") || args.contains(QLatin1String("-r"))
        || args.contains(QLatin1String("--restore-as-of")))
        info.kind = SessionKind::Restore;
    else if (first == QLatin1String("verify") || args.contains(QLatin1String("--verify")))
        info.kind = SessionKind::Verify;
    else if (first == QLatin1String("remove")
             || args.contains(QLatin1String("--remove-older-than")))
        info.kind = SessionKind::Prune;
    else
        info.kind = SessionKind::Backup;
    if (first == QLatin1String("backup") || first == QLatin1String("restore")
        || first == QLatin1String("verify") || first == QLatin1String("remove"))
        info.subcommand = first;
    info.target = pos.size() >= 2 ? pos.last() : QString();
}

} // namespace

QStringList CommandLineInfo::effectiveCommand(const QStringList &argv) {
    QStringList args = argv;
    // Bounded: each round removes at least the launcher's own name.
    for (int round = 0; round < 8 && !args.isEmpty(); ++round) {
        const Launcher *l = launcher(QFileInfo(args.first()).fileName());
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
    static const QStringList tools = {QStringLiteral("restic"),    QStringLiteral("borg"),
                                      QStringLiteral("rsync"),     QStringLiteral("rclone"),
                                      QStringLiteral("duplicity"), QStringLiteral("rdiff-backup"),
                                      QStringLiteral("kopia"),     QStringLiteral("tar")};
    return tools;
}

QString CommandLineInfo::programName(const QStringList &rawArgv) {
    const QStringList argv = effectiveCommand(rawArgv);
    if (argv.isEmpty())
        return {};
    QString name = QFileInfo(argv.first()).fileName();
    if (isInterpreter(name) && argv.size() > 1 && !argv[1].startsWith(QLatin1Char('-')))
        name = QFileInfo(argv[1]).fileName();
    // "borgbackup", "borg.exe": the tool behind the packaging.
    if (name == QLatin1String("borgbackup") || name == QLatin1String("borg-linux64"))
        name = QStringLiteral("borg");
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
    if (QFileInfo(args.first()).fileName() != info.tool && args.size() > 1)
        args.removeFirst();
    if (info.tool == QLatin1String("restic"))
        inspectRestic(args, info);
    else if (info.tool == QLatin1String("borg"))
        inspectBorg(args, info);
    else if (info.tool == QLatin1String("rsync"))
        inspectRsync(args, info);
    else if (info.tool == QLatin1String("tar"))
        inspectTar(args, info);
    else if (info.tool == QLatin1String("rclone"))
        inspectRclone(args, info);
    else if (info.tool == QLatin1String("kopia"))
        inspectKopia(args, info);
    else if (info.tool == QLatin1String("duplicity"))
        inspectDuplicity(args, info);
    else if (info.tool == QLatin1String("rdiff-backup"))
        inspectRdiffBackup(args, info);
    info.target = CommandRedactor::redactUrlCredentials(info.target);
    return info;
}

} // namespace kw
