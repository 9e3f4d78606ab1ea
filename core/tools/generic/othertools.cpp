// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/generic/othertools.h"

#include "tools/commandline.h"

#include <QHash>

namespace kw {

namespace {

bool isUrl(const QString &s) {
    return s.contains(QLatin1String("://"));
}

class TarProfile final : public ToolProfile {
public:
    QString name() const override { return QStringLiteral("tar"); }
    void inspect(const QStringList &args, CommandLineInfo &info) const override {
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
        info.kind = create    ? SessionKind::Backup
                    : extract ? SessionKind::Restore
                              : SessionKind::Other;
        info.target = file;
    }
};

class RcloneProfile final : public ToolProfile {
public:
    QString name() const override { return QStringLiteral("rclone"); }
    void inspect(const QStringList &args, CommandLineInfo &info) const override {
        const QStringList pos = CommandArgs::positionals(args, 1);
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
};

class KopiaProfile final : public ToolProfile {
public:
    QString name() const override { return QStringLiteral("kopia"); }
    void inspect(const QStringList &args, CommandLineInfo &info) const override {
        const QStringList pos = CommandArgs::positionals(args, 1);
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
};

class DuplicityProfile final : public ToolProfile {
public:
    QString name() const override { return QStringLiteral("duplicity"); }
    void inspect(const QStringList &args, CommandLineInfo &info) const override {
        const QStringList pos = CommandArgs::positionals(args, 1);
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
};

class RdiffBackupProfile final : public ToolProfile {
public:
    QString name() const override { return QStringLiteral("rdiff-backup"); }
    void inspect(const QStringList &args, CommandLineInfo &info) const override {
        const QStringList pos = CommandArgs::positionals(args, 1);
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
};

} // namespace

const ToolProfile &OtherTools::rclone() {
    static const RcloneProfile profile;
    return profile;
}

const ToolProfile &OtherTools::duplicity() {
    static const DuplicityProfile profile;
    return profile;
}

const ToolProfile &OtherTools::rdiffBackup() {
    static const RdiffBackupProfile profile;
    return profile;
}

const ToolProfile &OtherTools::kopia() {
    static const KopiaProfile profile;
    return profile;
}

const ToolProfile &OtherTools::tar() {
    static const TarProfile profile;
    return profile;
}

} // namespace kw
