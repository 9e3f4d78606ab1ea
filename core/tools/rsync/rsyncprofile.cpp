// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/rsync/rsyncprofile.h"

#include "platform/signalnumbers.h"
#include "tools/commandline.h"
#include "tools/rsync/rsyncadapter.h"

namespace kw {

const RsyncProfile &RsyncProfile::instance() {
    static const RsyncProfile profile;
    return profile;
}

void RsyncProfile::inspect(const QStringList &args, CommandLineInfo &info) const {
    info.kind = SessionKind::Backup;
    // The destination is the last argument that is not an option.
    for (qsizetype i = args.size() - 1; i >= 1; --i) {
        if (!args[i].startsWith(QLatin1Char('-'))) {
            info.target = args[i];
            break;
        }
    }
}

QList<ExitCodeEntry> RsyncProfile::exitCodes() const {
    using S = SessionState;
    // rsync(1), "EXIT VALUES": every documented code.
    return {
        {0, S::Succeeded, "success"},
        {1, S::Failed, "syntax or usage error"},
        {2, S::Failed, "protocol incompatibility"},
        {3, S::Failed, "errors selecting input/output files or directories"},
        {4, S::Failed, "requested action not supported"},
        {5, S::Failed, "error starting client-server protocol"},
        {6, S::Failed, "daemon unable to append to log-file"},
        {10, S::Failed, "error in socket I/O"},
        {11, S::Failed, "error in file I/O"},
        {12, S::Failed, "error in rsync protocol data stream"},
        {13, S::Failed, "errors with program diagnostics"},
        {14, S::Failed, "error in IPC code"},
        // rsync's own exit on SIGINT, SIGTERM and SIGHUP (man page: "SIGUSR1 or SIGINT").
        {20, S::Cancelled, "received SIGUSR1 or SIGINT"},
        {21, S::Failed, "some error returned by waitpid()"},
        {22, S::Failed, "error allocating core memory buffers"},
        {23, S::Warning, "partial transfer due to error"},
        {24, S::Warning, "partial transfer due to vanished source files"},
        {25, S::Failed, "the --max-delete limit stopped deletions"},
        {30, S::Failed, "timeout in data send/receive"},
        {35, S::Failed, "timeout waiting for daemon connection"},
    };
}

QList<int> RsyncProfile::stopSignals() const {
    return {PosixSignal::Int, PosixSignal::Term, PosixSignal::Hup};
}

QStringList RsyncProfile::launchArguments(const LaunchRequest &r) const {
    QStringList argv;
    argv << name() << QStringLiteral("-a") << QStringLiteral("--info=progress2") << r.extra;
    if (r.restore) {
        // The repository is the backup copy; the items are relative to it.
        const QString base = r.repository.endsWith(QLatin1Char('/'))
                                 ? r.repository
                                 : r.repository + QLatin1Char('/');
        if (r.paths.isEmpty())
            argv << base; // the trailing slash: the backup's contents, not the directory
        for (const QString &item : r.paths) {
            QString relative = item;
            while (relative.startsWith(QLatin1Char('/')))
                relative.remove(0, 1);
            argv << base + relative;
        }
        argv << r.restoreTarget;
    } else {
        argv << r.paths << r.repository;
    }
    return argv;
}

const LaunchForm *RsyncProfile::launchForm() const {
    static const LaunchForm form = {
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "&Destination:"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Backup &location:"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "/mnt/backup/home/ or user@host:/backups/home/"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Enter the rsync destination."),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Enter the rsync backup location to restore from."),
        QT_TRANSLATE_NOOP("kw::ToolLaunch", "Items to &restore:"),
        QT_TRANSLATE_NOOP("kw::ToolLaunch",
                          "Paths inside the backup, one per line (none: all of it)"),
        nullptr, // none: the whole backup
        nullptr,
        nullptr,
        nullptr,
        /*passwordRequired=*/false,
        /*remoteRestoreTarget=*/true, // rsync restores to host:/dir as well
        /*restoresIntoWorkingDirectory=*/false,
    };
    return &form;
}

std::unique_ptr<OutputAdapter> RsyncProfile::createAdapter(const QStringList &command) const {
    return std::make_unique<RsyncAdapter>(command);
}

} // namespace kw
