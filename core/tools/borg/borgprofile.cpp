// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/borg/borgprofile.h"

#include "format/shellquote.h"
#include "platform/signalnumbers.h"
#include "tools/borg/borgadapter.h"
#include "tools/commandline.h"

#include <QHash>
#include <QSet>

namespace kw {

namespace {

// borg's common options that take a value.
const QSet<QString> &borgValueOptions() {
    static const QSet<QString> options = {
        QStringLiteral("--lock-wait"),     QStringLiteral("--remote-path"),
        QStringLiteral("--rsh"),           QStringLiteral("--upload-ratelimit"),
        QStringLiteral("--upload-buffer"), QStringLiteral("--umask"),
        QStringLiteral("--debug-topic"),   QStringLiteral("--debug-profile")};
    return options;
}

} // namespace

const BorgProfile &BorgProfile::instance() {
    static const BorgProfile profile;
    return profile;
}

QStringList BorgProfile::aliases() const {
    // The tool behind the packaging: PyPI's name, the standalone binary.
    return {QStringLiteral("borgbackup"), QStringLiteral("borg-linux64")};
}

void BorgProfile::inspect(const QStringList &args, CommandLineInfo &info) const {
    const qsizetype sub = CommandArgs::firstPositional(args, 1, borgValueOptions());
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

QList<ExitCodeEntry> BorgProfile::exitCodes() const {
    using S = SessionState;
    // borg's "Return codes"; 128+N (killed by signal N) is signalExitCodes().
    return {
        {0, S::Succeeded, "success"},
        {1, S::Warning, "warning: finished, but something was skipped (see the log)"},
        {2, S::Failed, "error: the operation did not complete"},
    };
}

QList<int> BorgProfile::stopSignals() const {
    // borg handles SIGINT, SIGTERM and SIGHUP itself and exits 128+N.
    return {PosixSignal::Int, PosixSignal::Term, PosixSignal::Hup};
}

QString BorgProfile::endNote(const ExitStatus &status) const {
    // rc 2 says "error"; the log said why.
    if (status.reportedSignal && status.exitCode && *status.exitCode < 128)
        return QStringLiteral("borg stopped on %1").arg(signalName(*status.reportedSignal));
    return {};
}

int BorgProfile::cancelSignal() const {
    return PosixSignal::Int;
}

QStringList BorgProfile::passwordVariables() const {
    return {QStringLiteral("BORG_PASSPHRASE"), QStringLiteral("BORG_PASSPHRASE_FD"),
            QStringLiteral("BORG_PASSCOMMAND")};
}

QStringList BorgProfile::launchArguments(const LaunchRequest &r) const {
    QStringList argv;
    if (r.restore) {
        // borg extracts into its working directory: the launch sets it.
        argv << name() << QStringLiteral("extract") << QStringLiteral("--log-json")
             << QStringLiteral("--progress") << QStringLiteral("--show-rc") << r.extra
             << r.repository + QLatin1String("::") + r.paths.value(0);
    } else {
        argv << name() << QStringLiteral("create") << QStringLiteral("--log-json")
             << QStringLiteral("--progress") << QStringLiteral("--json")
             << QStringLiteral("--show-rc") << r.extra
             << r.repository + QLatin1String("::") + kArchiveTemplate << r.paths;
    }
    return argv;
}

const LaunchForm *BorgProfile::launchForm() const {
    static const LaunchForm form = {
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "&Repository:"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "&Repository:"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "/srv/borg or ssh://user@host/./repo"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Enter the borg repository."),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Enter the borg repository."),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Arc&hive:"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "An archive name, e.g. nas-2026-01-31T02:00:00"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Enter the name of the archive to restore."),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Enter one archive name: a restore reads one archive."),
        // The launch appends the archive after "::" itself.
        "::",
        QT_TRANSLATE_NOOP("kw::ToolLaunch",
                          "Enter the borg repository without an archive name (no \"::\")."),
        /*passwordRequired=*/false, // borg --encryption none has none
        /*remoteRestoreTarget=*/false,
        /*restoresIntoWorkingDirectory=*/true, // borg extract writes where it runs
    };
    return &form;
}

QMap<QString, QString> BorgProfile::passwordEnvironment(const PasswordDelivery &d) const {
    // borg splits BORG_PASSCOMMAND like a shell (shlex): quoted words survive.
    QString command;
    switch (d.kind) {
    case PasswordDelivery::Kind::File:
        command = QLatin1String("cat -- ") + ShellQuote::quote(d.value);
        break;
    case PasswordDelivery::Kind::ShellCommand:
        command = QLatin1String("sh -c ") + ShellQuote::quote(d.value);
        break;
    case PasswordDelivery::Kind::LookupCommand:
        command = d.value;
        break;
    }
    return {{QStringLiteral("BORG_PASSCOMMAND"), command}};
}

std::unique_ptr<OutputAdapter> BorgProfile::createAdapter(const QStringList &command) const {
    return std::make_unique<BorgAdapter>(command);
}

} // namespace kw
