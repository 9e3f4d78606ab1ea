// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/restic/resticprofile.h"

#include "platform/signalnumbers.h"
#include "tools/commandline.h"
#include "tools/restic/resticadapter.h"

#include <QHash>
#include <QSet>

namespace kw {

namespace {

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

} // namespace

const ResticProfile &ResticProfile::instance() {
    static const ResticProfile profile;
    return profile;
}

void ResticProfile::inspect(const QStringList &args, CommandLineInfo &info) const {
    const qsizetype sub = CommandArgs::firstPositional(args, 1, resticValueOptions());
    info.subcommand = sub >= 0 ? args[sub] : QString();
    static const QHash<QString, SessionKind> kinds = {
        {QStringLiteral("backup"), SessionKind::Backup},
        {QStringLiteral("restore"), SessionKind::Restore},
        {QStringLiteral("check"), SessionKind::Verify},
        {QStringLiteral("prune"), SessionKind::Prune},
        {QStringLiteral("forget"), SessionKind::Prune}};
    info.kind = kinds.value(info.subcommand, SessionKind::Other);
    info.target = CommandArgs::optionValue(args, {QStringLiteral("-r"), QStringLiteral("--repo")});
    if (info.target.isEmpty())
        info.target = CommandArgs::optionValue(args, {QStringLiteral("--repository-file")});
}

QList<ExitCodeEntry> ResticProfile::exitCodes() const {
    using S = SessionState;
    return {
        {0, S::Succeeded, "success"},
        // restic 0.14 (Debian 12) also exits 1 on a wrong password, a locked
        // or missing repository; a restore with a bad snapshot ID exits 1 too.
        {1, S::Failed,
         "fatal error (wrong password, locked or missing repository, bad snapshot ID: see the "
         "log)"},
        {3, S::Warning, "some source files could not be read: the snapshot is incomplete"},
        {10, S::Failed, "the repository does not exist"},
        {11, S::Failed, "the repository could not be locked"},
        {12, S::Failed, "wrong password"},
        {130, S::Cancelled, "interrupted (SIGINT)"},
    };
}

QList<int> ResticProfile::stopSignals() const {
    return {PosixSignal::Int, PosixSignal::Term, PosixSignal::Hup};
}

QString ResticProfile::endNote(const ExitStatus &status) const {
    if (status.exitCode == 130)
        return QStringLiteral("restic removed its lock");
    // restic 0.14 cleans up on SIGINT only: any other signal kills it as it is.
    if (status.signal)
        return QStringLiteral("restic leaves a stale lock then (restic unlock removes it)");
    return {};
}

int ResticProfile::cancelSignal() const {
    return PosixSignal::Int; // restic removes its lock on SIGINT
}

QStringList ResticProfile::passwordVariables() const {
    return {QStringLiteral("RESTIC_PASSWORD"), QStringLiteral("RESTIC_PASSWORD_FILE"),
            QStringLiteral("RESTIC_PASSWORD_COMMAND")};
}

QStringList ResticProfile::launchArguments(const LaunchRequest &r) const {
    QStringList argv;
    argv << name() << QStringLiteral("-r") << r.repository;
    if (r.restore)
        argv << QStringLiteral("restore") << r.paths.value(0) << QStringLiteral("--target")
             << r.restoreTarget;
    else
        argv << QStringLiteral("backup") << QStringLiteral("--json") << r.paths;
    argv << r.extra;
    return argv;
}

const LaunchForm *ResticProfile::launchForm() const {
    static const LaunchForm form = {
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "&Repository:"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "&Repository:"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "/srv/restic or sftp:user@host:/repo"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Enter the restic repository."),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Enter the restic repository."),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Snaps&hot:"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "A snapshot ID, e.g. 4f2a9c1e, or latest"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch",
                          "Enter the ID of the snapshot to restore (or \"latest\")."),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Enter one snapshot ID: a restore reads one snapshot."),
        nullptr,
        nullptr,
        /*passwordRequired=*/true,
        /*remoteRestoreTarget=*/false,
        /*restoresIntoWorkingDirectory=*/false,
    };
    return &form;
}

QMap<QString, QString> ResticProfile::passwordEnvironment(const PasswordDelivery &d) const {
    if (d.kind == PasswordDelivery::Kind::File)
        return {{QStringLiteral("RESTIC_PASSWORD_FILE"), d.value}};
    return {{kIndirectVariable, d.value},
            {QStringLiteral("RESTIC_PASSWORD_COMMAND"), kIndirectCommand}};
}

std::unique_ptr<OutputAdapter> ResticProfile::createAdapter(const QStringList &command) const {
    return std::make_unique<ResticAdapter>(command);
}

} // namespace kw
