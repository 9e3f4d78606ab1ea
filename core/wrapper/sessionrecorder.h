// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/outputadapter.h"
#include "adapters/progressmeter.h"
#include "spool/spoolwriter.h"
#include "wrapper/wrappedcommand.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <memory>
#include <optional>
#include <utility>

namespace kw {

class ToolProfile;

// The wrapped command's session as the spool sees it, whatever the platform:
// the adapter fed with the command's output, events queued and appended, the
// spool file's cap, progress throttled, the start and end events. The
// process itself (spawning, reading its pipes, signals, its exit) is the
// platform's (wrapper/childrun_*.cpp), which drives this.
class SessionRecorder final : public AdapterSink {
public:
    // How often the run loop wakes for the recorder's sake.
    static constexpr qint64 kProgressIntervalMs = 250;
    static constexpr qint64 kIoSampleIntervalMs = 1000;
    // Done a second after the command exited if something it started keeps
    // its output open.
    static constexpr qint64 kDrainAfterExitMs = 1000;

    // The variables the command finds its session by (replaced when a
    // wrapped command wraps another one).
    static constexpr char kSessionIdVariable[] = "KEEPWATCH_SESSION_ID";
    static constexpr char kSessionSpoolVariable[] = "KEEPWATCH_SESSION_SPOOL";

    SessionRecorder(const WrapOptions &options, const QString &sessionId);
    ~SessionRecorder() override;
    SessionRecorder(const SessionRecorder &) = delete;
    SessionRecorder &operator=(const SessionRecorder &) = delete;

    // Opens the session's spool file; says on stderr when the session will
    // not be recorded (the command runs anyway).
    void openSpool();

    // What the command's environment gets on top of ours: the session ID for
    // its own diagnostics, its spool directory (where `keepwatch-cli log`
    // inside it appends) and the adapter's defaults the user did not set.
    // Pairs of name and value.
    QList<std::pair<QByteArray, QString>> childEnvironment() const;

    const ToolProfile &profile() const { return m_profile; }
    OutputAdapter::IoMeasure ioMeasure() const { return m_adapter->ioMeasure(); }

    // The command runs: the start event with its pid, then the adapter's
    // hints.
    void recordStart(qint64 childPid);
    // The command could not be started: a start event, the error and a
    // failed end with `exitCode` (127 or 126, as a shell would say), also on
    // stderr. Returns exitCode.
    int recordSpawnFailure(const QString &error, int exitCode);
    // The command's output, passed to the adapter.
    void feed(OutputStream stream, QByteArrayView bytes) { m_adapter->feed(stream, bytes, *this); }
    // The command's read or written bytes so far, for tools without progress
    // (ioMeasure()).
    void recordIoCounter(qint64 bytes);
    // The first cancel request (by Keepwatch or a signal to the wrapper)
    // marks the session cancelling; later ones are only counted as one.
    void recordCancelRequest(const QString &reason);
    bool cancelRequested() const { return m_cancelRequested; }
    // A warning line in the session's log.
    void logWarning(const QString &text);
    // Progress held back by the throttle: the loop must wake to write it.
    bool hasPendingProgress() const { return m_pendingProgress.has_value(); }

    // The loop's regular turn: the throttled progress when its turn came,
    // and the queued events to the spool.
    void writeThrottledProgress() { flushProgress(false); }
    void writeQueued() { flushOutbox(); }
    // The command ended: the adapter's last words and the end event from
    // the exit status (reportedSignal is filled in here). Returns the
    // wrapper's exit status: the command's, or 128+N when signal N ended it.
    int finish(ExitStatus status);

    // AdapterSink
    void log(LogLevel level, QByteArrayView message, OutputStream stream) override;
    void progress(const ProgressPayload &progress) override;
    void state(SessionState state, const QString &reason) override;

private:
    void queueStart(std::optional<qint64> childPid);
    template<typename Payload>
    void queue(Payload payload);
    template<typename Payload>
    void queueEvent(Payload payload);
    void flushProgress(bool force);
    void flushOutbox(bool last = false);
    void warnSpool(const QString &why);

    const WrapOptions &m_options;
    QString m_sessionId;
    // The tool's knowledge: its exit codes, its cancel signal (core/tools/).
    const ToolProfile &m_profile;
    std::unique_ptr<OutputAdapter> m_adapter;
    SpoolWriter m_spool;
    QByteArray m_outbox;
    std::optional<ProgressPayload> m_pendingProgress;
    ProgressMeter m_meter;
    qint64 m_lastProgressMs = 0;
    qint64 m_lastLinkCheckMs = 0;
    bool m_spoolWarned = false;
    bool m_logTruncated = false;
    bool m_cancelRequested = false;
};

} // namespace kw
