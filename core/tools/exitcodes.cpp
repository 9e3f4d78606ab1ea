// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/exitcodes.h"

#include "adapters/outputadapter.h"

#include <QFileInfo>

namespace kw {

namespace {

// Shells and the wrapper report "killed by signal N" as 128+N.
constexpr int kSignalBase = 128;

QString resticMeaning(int code) {
    switch (code) {
    case 0:
        return QStringLiteral("success");
    case 1:
        return QStringLiteral("fatal error: no snapshot was created");
    case 3:
        return QStringLiteral("some source files could not be read: the snapshot is incomplete");
    case 10:
        return QStringLiteral("the repository does not exist");
    case 11:
        return QStringLiteral("the repository could not be locked");
    case 12:
        return QStringLiteral("wrong password");
    case 130:
        return QStringLiteral("interrupted (SIGINT)");
    default:
        return {};
    }
}

QString borgMeaning(int code) {
    switch (code) {
    case 0:
        return QStringLiteral("success");
    case 1:
        return QStringLiteral("warning: finished, but something was skipped (see the log)");
    case 2:
        return QStringLiteral("error: the operation did not complete");
    default:
        // borg documents 128+N as "killed by signal N".
        if (code > kSignalBase && code < kSignalBase + 64)
            return QStringLiteral("killed by %1").arg(signalName(code - kSignalBase));
        return {};
    }
}

QString rsyncMeaning(int code) {
    switch (code) {
    case 0:
        return QStringLiteral("success");
    case 1:
        return QStringLiteral("syntax or usage error");
    case 2:
        return QStringLiteral("protocol incompatibility");
    case 3:
        return QStringLiteral("errors selecting input/output files or directories");
    case 4:
        return QStringLiteral("requested action not supported");
    case 5:
        return QStringLiteral("error starting client-server protocol");
    case 6:
        return QStringLiteral("daemon unable to append to log-file");
    case 10:
        return QStringLiteral("error in socket I/O");
    case 11:
        return QStringLiteral("error in file I/O");
    case 12:
        return QStringLiteral("error in rsync protocol data stream");
    case 13:
        return QStringLiteral("errors with program diagnostics");
    case 14:
        return QStringLiteral("error in IPC code");
    case 20:
        return QStringLiteral("received SIGUSR1 or SIGINT");
    case 21:
        return QStringLiteral("some error returned by waitpid()");
    case 22:
        return QStringLiteral("error allocating core memory buffers");
    case 23:
        return QStringLiteral("partial transfer due to error");
    case 24:
        return QStringLiteral("partial transfer due to vanished source files");
    case 25:
        return QStringLiteral("the --max-delete limit stopped deletions");
    case 30:
        return QStringLiteral("timeout in data send/receive");
    case 35:
        return QStringLiteral("timeout waiting for daemon connection");
    default:
        return {};
    }
}

} // namespace

QString ExitCodes::documented(const QString &tool, int code) {
    // Sessions name the tool by adapter ("restic") or by program path.
    const QString name = QFileInfo(tool).fileName().toLower();
    if (name == QLatin1String("restic"))
        return resticMeaning(code);
    if (name == QLatin1String("borg") || name == QLatin1String("borgbackup"))
        return borgMeaning(code);
    if (name == QLatin1String("rsync"))
        return rsyncMeaning(code);
    return {};
}

QString ExitCodes::meaning(const QString &tool, std::optional<int> exitCode,
                           std::optional<int> signal) {
    if (signal)
        return QStringLiteral("killed by %1").arg(signalName(*signal));
    if (!exitCode)
        return {};
    const int code = *exitCode;
    const QString known = documented(tool, code);
    if (!known.isEmpty())
        return known;
    if (code == 0)
        return QStringLiteral("success");
    if (code > kSignalBase && code < kSignalBase + 64)
        return QStringLiteral("killed by %1 (128+%2)")
            .arg(signalName(code - kSignalBase))
            .arg(code - kSignalBase);
    // Only the three tools' tables are known: for any other tool a non-zero
    // code says "failed" and nothing more.
    if (documented(tool, 0).isEmpty())
        return QStringLiteral("failure");
    return QStringLiteral("failure (not a documented %1 exit code)")
        .arg(QFileInfo(tool).fileName().toLower());
}

} // namespace kw
