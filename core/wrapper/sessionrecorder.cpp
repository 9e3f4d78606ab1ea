// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "wrapper/sessionrecorder.h"

#include "platform/processprobe.h"
#include "protocol/eventcodec.h"
#include "protocol/timestamp.h"
#include "tools/commandline.h"
#include "tools/commandredactor.h"
#include "tools/toolregistry.h"
#include "wrapper/standardstreams.h"

#include <QCoreApplication>
#include <QDir>
#include <type_traits>

namespace kw {

namespace {

constexpr qint64 kLinkCheckIntervalMs = 1000;
// Progress still recorded past the file cap (a few hours of it at 4/s).
constexpr qint64 kProgressReserveBytes = 4 * 1024 * 1024;

} // namespace

SessionRecorder::SessionRecorder(const WrapOptions &options, const QString &sessionId)
    : m_options(options)
    , m_sessionId(sessionId)
    , m_profile(ToolRegistry::forCommand(options.tool, options.command))
    , m_adapter(m_profile.createAdapter(CommandLineInfo::effectiveCommand(options.command))) {}

SessionRecorder::~SessionRecorder() = default;

void SessionRecorder::openSpool() {
    if (m_options.spoolDirectory.isEmpty())
        warnSpool(m_options.spoolProblem);
    else if (!m_spool.open(m_options.spoolDirectory, m_sessionId, SpoolWriter::Mode::CreateNew,
                           m_options.groupReadable ? SpoolWriter::Sharing::Group
                                                   : SpoolWriter::Sharing::Private))
        warnSpool(m_spool.errorString());
}

QList<std::pair<QByteArray, QString>> SessionRecorder::childEnvironment() const {
    QList<std::pair<QByteArray, QString>> variables;
    variables.append({QByteArray(kSessionIdVariable), m_sessionId});
    if (m_spool.isOpen())
        variables.append({QByteArray(kSessionSpoolVariable), m_options.spoolDirectory});
    // The adapter's defaults (restic's progress rate), unless the user chose.
    for (const auto &[name, value] : m_adapter->defaultEnvironment()) {
        if (!qEnvironmentVariableIsSet(name.constData()))
            variables.append({name, QString::fromUtf8(value)});
    }
    return variables;
}

// ---------------------------------------------------------------- AdapterSink

void SessionRecorder::log(LogLevel level, QByteArrayView message, OutputStream stream) {
    LogPayload p;
    p.level = level;
    p.message = message.toByteArray();
    p.stream = stream == OutputStream::Stdout ? QStringLiteral("stdout") : QStringLiteral("stderr");
    queue(std::move(p));
}

void SessionRecorder::progress(const ProgressPayload &progress) {
    // The rate and ETA the tool does not print (restic's and borg's JSON
    // have none), from the one rate meter /proc discovery uses too: the
    // same run shows the same rate wrapped or discovered.
    ProgressPayload p = progress;
    if (p.bytesDone) {
        m_meter.sample(Timestamp::nowMs(), *p.bytesDone);
        if (!p.rate)
            p.rate = m_meter.rate();
        if (!p.etaSeconds && p.bytesTotal)
            p.etaSeconds = m_meter.etaSeconds(p.bytesTotal);
    }
    // Throttled where it is produced: at most 4 per second reach the
    // spool; the newest one waits for its turn and is never dropped.
    m_pendingProgress = std::move(p);
    flushProgress(false);
}

void SessionRecorder::state(SessionState state, const QString &reason) {
    queue(StatePayload{state, reason});
}

// ---------------------------------------------------------------- the session

void SessionRecorder::recordStart(qint64 childPid) {
    queueStart(childPid);
    m_adapter->start(*this);
    flushOutbox();
}

int SessionRecorder::recordSpawnFailure(const QString &error, int exitCode) {
    queueStart(std::nullopt);
    queue(LogPayload{LogLevel::Error, error.toUtf8(), QString()});
    queue(EndPayload{SessionState::Failed, exitCode, std::nullopt, error});
    flushOutbox();
    const QByteArray text = "keepwatch-cli: " + error.toLocal8Bit() + '\n';
    writeStandardStream(OutputStream::Stderr, text);
    return exitCode;
}

void SessionRecorder::queueStart(std::optional<qint64> childPid) {
    const CommandLineInfo info = CommandLineInfo::inspect(m_options.command);
    StartPayload p;
    p.kind = m_options.kind.value_or(info.kind);
    p.tool = m_options.tool.isEmpty() ? info.tool : m_options.tool;
    p.target = info.target;
    if (p.target.isEmpty()) {
        // The repository may be in our own environment (never another
        // process's: that is where the passwords are too).
        const QString variable = ToolRegistry::forTool(info.tool).repositoryVariable();
        if (!variable.isEmpty())
            p.target = CommandRedactor::redactUrlCredentials(
                qEnvironmentVariable(variable.toLatin1().constData()));
    }
    p.host = ProcessProbe::hostName();
    p.user = ProcessProbe::userName();
    p.title = m_options.title;
    p.cwd = QDir::currentPath();
    p.command = CommandRedactor::redact(m_options.command);
    p.pid = childPid;
    const qint64 self = QCoreApplication::applicationPid();
    p.producerPid = self;
    p.producerStartTicks = ProcessProbe::startTicks(self);
    p.bootId = ProcessProbe::bootId();
    p.unit = m_options.unit;
    p.invocationId = m_options.invocationId;
    queue(std::move(p));
}

void SessionRecorder::recordIoCounter(qint64 bytes) {
    ProgressPayload p;
    p.bytesDone = bytes;
    progress(p);
}

void SessionRecorder::recordCancelRequest(const QString &reason) {
    if (m_cancelRequested)
        return;
    m_cancelRequested = true;
    queue(StatePayload{SessionState::Cancelling, reason});
}

void SessionRecorder::logWarning(const QString &text) {
    queue(LogPayload{LogLevel::Warning, text.toUtf8(), QString()});
}

int SessionRecorder::finish(ExitStatus status) {
    m_adapter->finish(*this);
    flushProgress(true);
    status.cancelRequested = m_cancelRequested;
    status.reportedSignal = m_adapter->reportedStopSignal();
    const Outcome outcome = m_profile.outcome(status);
    EndPayload end;
    end.state = outcome.state;
    end.exitCode = status.exitCode;
    end.signal = status.signal;
    end.summary = outcome.summary;
    queue(std::move(end));
    flushOutbox(true);
    return status.signal ? 128 + *status.signal : status.exitCode.value_or(1);
}

// ---------------------------------------------------------------- the spool

template<typename Payload>
void SessionRecorder::queue(Payload payload) {
    // The cap on one session's file: log lines stop first (with one line
    // that says so), progress after a reserve; the state changes and the
    // end event always get through.
    if constexpr (std::is_same_v<Payload, LogPayload> || std::is_same_v<Payload, ProgressPayload>) {
        const qint64 written = m_spool.size() + m_outbox.size();
        const qint64 cap = m_options.maxSpoolFileBytes;
        if (cap > 0 && written >= cap) {
            if (!m_logTruncated) {
                m_logTruncated = true;
                queueEvent(LogPayload{
                    LogLevel::Warning,
                    QStringLiteral("log truncated: this session's spool file reached its cap "
                                   "of %1 bytes; the rest of the output is not recorded "
                                   "(the command runs on, and its end is recorded)")
                        .arg(cap)
                        .toUtf8(),
                    QString()});
            }
            if (std::is_same_v<Payload, LogPayload> || written >= cap + kProgressReserveBytes)
                return;
        }
    }
    queueEvent(std::move(payload));
}

template<typename Payload>
void SessionRecorder::queueEvent(Payload payload) {
    Event e;
    e.session = m_sessionId;
    e.timestampMs = Timestamp::nowMs();
    e.payload = std::move(payload);
    EventEncoder::encodeInto(m_outbox, e);
}

void SessionRecorder::flushProgress(bool force) {
    if (!m_pendingProgress)
        return;
    const qint64 now = Timestamp::nowMs();
    if (!force && now - m_lastProgressMs < kProgressIntervalMs)
        return;
    m_lastProgressMs = now;
    queue(*m_pendingProgress);
    m_pendingProgress.reset();
}

void SessionRecorder::flushOutbox(bool last) {
    if (m_outbox.isEmpty())
        return;
    if (m_spool.isOpen() && !m_spool.append(m_outbox))
        warnSpool(m_spool.errorString());
    m_outbox.clear();
    // A removed spool file still takes writes: look for that once a
    // second (an fstat), and after the end event, so that the user is
    // told the session was not recorded.
    const qint64 now = Timestamp::nowMs();
    if (m_spool.isOpen() && (last || now - m_lastLinkCheckMs >= kLinkCheckIntervalMs)) {
        m_lastLinkCheckMs = now;
        if (!m_spool.checkStillLinked())
            warnSpool(m_spool.errorString());
    }
}

void SessionRecorder::warnSpool(const QString &why) {
    if (m_spoolWarned)
        return;
    m_spoolWarned = true;
    const QByteArray text = "keepwatch-cli: warning: session " + m_sessionId.toUtf8()
                            + " is not being recorded (" + why.toLocal8Bit()
                            + "); the command runs on unmonitored\n";
    writeStandardStream(OutputStream::Stderr, text);
}

} // namespace kw
