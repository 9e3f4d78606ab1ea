// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/toolprofile.h"

#include "platform/signalnumbers.h"
#include "tools/generic/genericadapter.h"

namespace kw {

namespace {

// Shells and the wrapper report "killed by signal N" as 128+N.
constexpr int kSignalBase = 128;

bool isSignalCode(int code) {
    return code > kSignalBase && code < kSignalBase + 64;
}

} // namespace

void ToolProfile::inspect(const QStringList &, CommandLineInfo &) const {}

QString ToolProfile::endNote(const ExitStatus &) const {
    return {};
}

int ToolProfile::cancelSignal() const {
    return PosixSignal::Term;
}

QStringList ToolProfile::launchArguments(const LaunchRequest &) const {
    return {};
}

QMap<QString, QString> ToolProfile::passwordEnvironment(const PasswordDelivery &) const {
    return {};
}

std::unique_ptr<OutputAdapter> ToolProfile::createAdapter(const QStringList &) const {
    return std::make_unique<GenericAdapter>();
}

QString ToolProfile::documented(int code) const {
    const QList<ExitCodeEntry> table = exitCodes();
    for (const ExitCodeEntry &e : table) {
        if (e.code == code)
            return QString::fromUtf8(e.meaning);
    }
    if (signalExitCodes() && isSignalCode(code))
        return QStringLiteral("killed by %1").arg(signalName(code - kSignalBase));
    return {};
}

QString ToolProfile::meaning(std::optional<int> exitCode, std::optional<int> signal) const {
    // A signal that killed the process says more than any code.
    if (signal)
        return QStringLiteral("killed by %1").arg(signalName(*signal));
    if (!exitCode)
        return {};
    const int code = *exitCode;
    QString known = documented(code);
    if (!known.isEmpty())
        return known;
    if (code == 0)
        return QStringLiteral("success");
    if (isSignalCode(code))
        return QStringLiteral("killed by %1 (128+%2)")
            .arg(signalName(code - kSignalBase))
            .arg(code - kSignalBase);
    // A tool without a table: a non-zero code says "failed" and nothing more.
    if (exitCodes().isEmpty())
        return QStringLiteral("failure");
    return QStringLiteral("failure (not a documented %1 exit code)").arg(name());
}

Outcome ToolProfile::outcome(const ExitStatus &status) const {
    const bool hasTable = !exitCodes().isEmpty();
    std::optional<ExitCodeEntry> entry;
    if (status.exitCode && !status.signal) {
        const QList<ExitCodeEntry> table = exitCodes();
        for (const ExitCodeEntry &e : table) {
            if (e.code == *status.exitCode)
                entry = e;
        }
    }

    // The exit status in plain words, with the table's meaning: the same
    // words as the details pane ("exit code 1: fatal error (...)").
    QString plain;
    int signal = 0; // the signal that ended the tool, when known
    bool stoppedBySignal = false;
    if (status.signal) {
        signal = *status.signal;
        plain = meaning(std::nullopt, signal);
        stoppedBySignal = stopSignals().contains(signal);
    } else if (!status.exitCode) {
        plain = QStringLiteral("ended");
    } else {
        const int code = *status.exitCode;
        plain = QStringLiteral("exit code %1").arg(code);
        if (hasTable && code != 0)
            plain += QStringLiteral(": ") + meaning(code, std::nullopt);
        if (entry && entry->state == SessionState::Cancelled) {
            stoppedBySignal = true; // the tool's own code for "a signal stopped me"
        } else if (status.reportedSignal && stopSignals().contains(*status.reportedSignal)) {
            signal = *status.reportedSignal; // its output said so (borg's rc 2 on SIGINT)
            stoppedBySignal = true;
        } else if (hasTable && isSignalCode(code)) {
            signal = code - kSignalBase; // borg's 128+N, or a shell's
            stoppedBySignal = signalExitCodes() && stopSignals().contains(signal);
        }
    }
    const QString afterCancel =
        status.cancelRequested ? QStringLiteral(" after a cancel request") : QString();

    Outcome o;
    if (status.exitCode == 0 && !status.signal) {
        o.state = SessionState::Succeeded;
        o.summary = plain + afterCancel;
    } else if (entry && entry->state == SessionState::Warning) {
        // The tool finished its work (a snapshot was saved), cancel or not.
        o.state = SessionState::Warning;
        o.summary = plain + afterCancel;
    } else if (status.cancelRequested) {
        // Cancelled through Keepwatch (keepwatch-cli cancel, the window, or a
        // signal to the wrapper): whatever the tool made of it, say so first.
        o.state = SessionState::Cancelled;
        o.summary = QStringLiteral("cancelled after a cancel request: ") + plain;
    } else if (stoppedBySignal) {
        // SIGINT/SIGTERM/SIGHUP sent to the tool itself (kill, systemctl stop):
        // someone stopped it on purpose; nothing went wrong in the backup.
        o.state = SessionState::Cancelled;
        o.summary = QStringLiteral("cancelled by a signal from outside Keepwatch: ") + plain;
    } else {
        // Everything else failed, SIGKILL included: nobody stops a backup
        // tool that way on purpose, but the kernel's out-of-memory killer does.
        o.state = SessionState::Failed;
        o.summary = plain;
        if (hasTable && signal == PosixSignal::Kill)
            o.summary += QStringLiteral(" (out of memory?)");
    }
    const QString note = endNote(status);
    if (!note.isEmpty())
        o.summary += QStringLiteral("; ") + note;
    return o;
}

} // namespace kw
