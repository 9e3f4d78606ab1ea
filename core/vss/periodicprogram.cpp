// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "vss/periodicprogram.h"

#include "logging/logging.h"

namespace kw {

PeriodicProgram::PeriodicProgram(Options options, std::function<void()> finished)
    : m_options(std::move(options))
    , m_finished(std::move(finished)) {}

PeriodicProgram::~PeriodicProgram() {
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

void PeriodicProgram::start() {
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(m_options.program);
    m_process->setArguments(m_options.arguments);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    if (m_finished) {
        QObject::connect(m_process.get(), &QProcess::finished, m_process.get(), m_finished);
        QObject::connect(m_process.get(), &QProcess::errorOccurred, m_process.get(), m_finished);
    }
    qCDebug(log::vss).noquote() << "running" << m_options.program
                                << m_options.arguments.join(QLatin1Char(' '));
    m_process->start(QIODevice::ReadOnly);
    m_sinceStart.start();
}

std::optional<PeriodicProgram::Run> PeriodicProgram::poll() {
    if (!m_process) {
        if (!m_sinceStart.isValid() || m_sinceStart.elapsed() >= m_options.intervalMs)
            start();
        return std::nullopt;
    }
    Run run;
    if (m_process->error() == QProcess::FailedToStart) {
        run.failure =
            QStringLiteral("cannot start %1: %2").arg(m_options.program, m_process->errorString());
    } else if (m_process->state() != QProcess::NotRunning && !m_process->waitForFinished(0)) {
        if (m_sinceStart.elapsed() <= m_options.timeoutMs)
            return std::nullopt; // still running
        m_process->kill();
        m_process->waitForFinished(1000);
        run.failure =
            QStringLiteral("killed after %1 s without finishing").arg(m_options.timeoutMs / 1000);
    } else if (m_process->exitStatus() == QProcess::CrashExit) {
        run.failure = QStringLiteral("crashed: %1").arg(m_process->errorString());
    } else {
        run.exitCode = m_process->exitCode();
    }
    run.output = m_process->readAllStandardOutput();
    run.errorOutput = m_process->readAllStandardError();
    m_process.reset();
    return run;
}

} // namespace kw
