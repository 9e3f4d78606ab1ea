// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "vss/vsssource.h"

#include "logging/logging.h"
#include "platform/environmentswitch.h"

#include <QCoreApplication>
#include <QDir>

namespace kw {

VssSource::VssSource()
    : VssSource(Options{}) {}

VssSource::VssSource(Options options)
    : m_options(std::move(options)) {
    if (m_options.program.isEmpty()) {
        m_options.program = QDir(QCoreApplication::applicationDirPath())
                                .filePath(QStringLiteral("keepwatch-vss.exe"));
    }
}

VssSource::~VssSource() {
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

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

void VssSource::start() {
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(m_options.program);
    m_process->setArguments(m_options.arguments);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    // A push: the collector polls (and this collects) as soon as the helper
    // has finished, not at the next slow poll.
    QObject::connect(m_process.get(), &QProcess::finished, m_process.get(),
                     [this] { requestPoll(); });
    QObject::connect(m_process.get(), &QProcess::errorOccurred, m_process.get(),
                     [this] { requestPoll(); });
    qCDebug(log::vss).noquote() << "running" << m_options.program
                                << m_options.arguments.join(QLatin1Char(' '));
    m_process->start(QIODevice::ReadOnly);
    m_sinceStart.start();
    m_sinceLastRun.start();
}

void VssSource::collect(EventBatch &out) {
    const QString location = m_options.program;
    auto error = [&](const QString &message, qint64 line = 0) {
        out.errors.append(SourceError{name(), location, line, message});
    };
    if (m_process->error() == QProcess::FailedToStart) {
        error(QStringLiteral("cannot start: %1").arg(m_process->errorString()));
        m_process.reset();
        return;
    }
    const QByteArray output = m_process->readAllStandardOutput();
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
        const QByteArray stderrText = m_process->readAllStandardError().trimmed().left(400);
        error(QStringLiteral("no events (exit status %1): %2")
                  .arg(m_process->exitCode())
                  .arg(QString::fromLocal8Bit(stderrText)));
    }
    m_process.reset();
    const QString key = pollKey(events);
    if (key == m_lastKey)
        return;
    m_lastKey = key;
    out.events.append(events);
}

void VssSource::poll(EventBatch &out) {
    if (m_process) {
        if (m_process->state() != QProcess::NotRunning && !m_process->waitForFinished(0)) {
            if (m_sinceStart.elapsed() > m_options.timeoutMs) {
                m_process->kill();
                m_process->waitForFinished(1000);
                out.errors.append(SourceError{name(), m_options.program, 0,
                                              QStringLiteral("killed after %1 s without finishing")
                                                  .arg(m_options.timeoutMs / 1000)});
                m_process.reset();
            }
            return;
        }
        collect(out);
        return;
    }
    if (!m_sinceLastRun.isValid() || m_sinceLastRun.elapsed() >= m_options.intervalMs)
        start();
}

} // namespace kw
