// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace kw {

struct WrapOptions {
    static constexpr qint64 kDefaultMaxSpoolFileBytes = qint64(512) * 1024 * 1024;

    QStringList command; // program and arguments
    QString tool;        // --tool: picks the adapter; empty: by program name
    std::optional<SessionKind> kind;
    QString title;
    QString sessionId; // empty: a fresh UUID
    QString spoolDirectory;
    // Why there is no spool directory (the session is not recorded).
    QString spoolProblem;
    // The system spool's files are readable by its group (SpoolWriter::Sharing).
    bool groupReadable = false;
    // The cap on the session's spool file (0: none). Past it the output is
    // no longer recorded, and the session says so.
    qint64 maxSpoolFileBytes = kDefaultMaxSpoolFileBytes;
    // The systemd unit the session runs in and the run's invocation ID,
    // recorded in the start event (empty outside systemd).
    QString unit;
    QString invocationId;
    // After a cancel request, wait this long before SIGTERM, then SIGKILL
    // (Windows: before the job is ended).
    int cancelGraceMs = 10000;
};

// `keepwatch-cli run`: runs a command as a session.
//
// The command gets the terminal's stdin, and its stdout and stderr are
// passed through byte for byte (cron mail and journald still get all of
// it) while an adapter turns them into events appended to the spool.
// SIGINT/SIGTERM/SIGHUP sent to the wrapper are forwarded (a terminal's
// Ctrl-C already reaches the whole process group and is not sent twice);
// SIGUSR1 is `keepwatch-cli cancel`: the adapter's stop signal, then SIGTERM
// and SIGKILL after grace periods. The spool is a side channel: when it
// cannot be written the command runs on, with one warning on stderr.
//
// On Windows the command runs in its own process group and a job object:
// `keepwatch-cli cancel` sets the wrapper's named event
// (platform/cancelchannel.h), which sends the command Ctrl-Break and, after
// the grace period, ends the job (the command and all it started). Ctrl-C,
// Ctrl-Break and a closing console reach the wrapper as its signals do on
// Linux. The command outlives a wrapper that is killed, as on Linux.
class WrappedCommand final {
public:
    explicit WrappedCommand(WrapOptions options);
    ~WrappedCommand();
    WrappedCommand(const WrappedCommand &) = delete;
    WrappedCommand &operator=(const WrappedCommand &) = delete;

    // Checks the options; an error message, empty when they are usable.
    QString validate() const;
    // Runs to the end; returns the exit status for the wrapper: the
    // command's, or 128+N when signal N killed it, 127/126 when it could not
    // be started.
    int run();

    QString sessionId() const { return m_sessionId; }

private:
    WrapOptions m_options;
    QString m_sessionId;
};

} // namespace kw
