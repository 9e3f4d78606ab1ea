// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "vss/vsssource.h"

#include "platform/environmentswitch.h"

#include <QCoreApplication>
#include <QDir>

namespace kw {

namespace {

PeriodicProgram::Options programOptions(const VssSource::Options &options) {
    PeriodicProgram::Options program;
    program.program = options.program.isEmpty() ? QDir(QCoreApplication::applicationDirPath())
                                                      .filePath(QStringLiteral("keepwatch-vss.exe"))
                                                : options.program;
    program.arguments = options.arguments;
    program.intervalMs = options.intervalMs;
    program.timeoutMs = options.timeoutMs;
    return program;
}

} // namespace

VssSource::VssSource()
    : VssSource(Options{}) {}

VssSource::VssSource(const Options &options)
    : m_program(programOptions(options), [this] { requestPoll(); }) {}

VssSource::~VssSource() = default;

bool VssSource::enabledByEnvironment() {
    return kw::enabledByEnvironment("KEEPWATCH_VSS");
}

QString VssSource::pollKey(const QList<Event> &events) {
    QString key;
    for (const Event &event : events) {
        if (const auto *log = event.as<LogPayload>()) {
            // The session-ID line differs in every poll and says nothing new.
            if (!log->message.startsWith("VSS session ID "))
                key += QString::fromUtf8(log->message) + u'\n';
        } else if (const auto *end = event.as<EndPayload>()) {
            key += wireName(end->state) + QLatin1Char(' ') + end->summary + QLatin1Char('\n');
        }
    }
    return key;
}

QString VssSource::unreachableReason(const QList<Event> &events) {
    const EndPayload *failed = nullptr;
    for (const Event &event : events) {
        // The helper's readSessionId() says one of these once
        // InitializeForBackup has succeeded (the second before Windows 8):
        // from then on it is a VSS session, whatever happens to it.
        if (const auto *log = event.as<LogPayload>();
            log
            && (log->message.startsWith("VSS session ID ")
                || log->message.startsWith("no VSS session ID ")))
            return {};
        if (const auto *end = event.as<EndPayload>(); end && end->state == SessionState::Failed)
            failed = end;
    }
    return failed ? failed->summary : QString();
}

void VssSource::collect(const PeriodicProgram::Run &run, EventBatch &out) {
    const QString location = m_program.options().program;
    auto error = [&](const QString &message, qint64 line = 0) {
        out.errors.append(SourceError{name(), location, line, message});
    };
    if (!run.failure.isEmpty()) {
        error(run.failure);
        return;
    }
    const QByteArray &output = run.output;
    QList<Event> events;
    qint64 number = 0;
    for (const QByteArray &line : output.split('\n')) {
        ++number;
        Event event;
        const DecodeResult result = m_decoder.decode(line, event);
        if (result.blank)
            continue;
        if (!result.ok) {
            error(result.error, number);
            continue;
        }
        event.source = name();
        events.append(std::move(event));
    }
    if (events.isEmpty()) {
        const QByteArray stderrText = run.errorOutput.trimmed().left(400);
        error(QStringLiteral("no events (exit status %1): %2")
                  .arg(run.exitCode.value_or(-1))
                  .arg(QString::fromLocal8Bit(stderrText)));
    }
    const QString key = pollKey(events);
    if (key == m_lastKey)
        return;
    m_lastKey = key;
    if (const QString reason = unreachableReason(events); !reason.isEmpty()) {
        SourceError notice{name(), location, 0,
                           QStringLiteral("VSS writers are not shown: %1").arg(reason)};
        notice.notice = true;
        out.errors.append(notice);
        return;
    }
    out.events.append(events);
}

void VssSource::poll(EventBatch &out) {
    if (const std::optional<PeriodicProgram::Run> run = m_program.poll())
        collect(*run, out);
}

} // namespace kw
