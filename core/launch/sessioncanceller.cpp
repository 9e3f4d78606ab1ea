// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launch/sessioncanceller.h"

#include "launch/launchcommand.h"

#include <QCoreApplication>
#include <QProcess>
#include <memory>

namespace kw {

namespace {

// The CLI's answer: its last non-empty stderr line, without the program prefix.
QString lastLine(const QByteArray &stderrBytes) {
    const QList<QByteArray> lines = stderrBytes.trimmed().split('\n');
    QString line = QString::fromLocal8Bit(lines.isEmpty() ? QByteArray() : lines.last()).trimmed();
    const QLatin1String prefix("keepwatch-cli: ");
    if (line.startsWith(prefix))
        line.remove(0, prefix.size());
    return line;
}

} // namespace

SessionCanceller::SessionCanceller(QObject *parent)
    : QObject(parent) {}

SessionCanceller::~SessionCanceller() = default;

void SessionCanceller::cancel(const QString &sessionId) {
    QString program = m_cliProgram;
    if (program.isEmpty())
        program = LaunchCommand::locateCli(
            QCoreApplication::instance() ? QCoreApplication::applicationDirPath() : QString());
    if (program.isEmpty()) {
        emit finished(sessionId, false,
                      tr("Cannot cancel: keepwatch-cli was not found next to this program or "
                         "on PATH."));
        return;
    }
    auto *process = new QProcess(this);
    process->setProgram(program);
    process->setArguments({QStringLiteral("cancel"), sessionId});
    if (!m_spoolDirectory.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), m_spoolDirectory);
        process->setProcessEnvironment(env);
    }
    process->setStandardInputFile(QProcess::nullDevice());
    process->setStandardOutputFile(QProcess::nullDevice());
    ++m_pending;
    // Either signal may come first on a failed start; report once.
    auto reported = std::make_shared<bool>(false);
    auto report = [this, process, sessionId, reported](bool ok, const QString &message) {
        if (*reported)
            return;
        *reported = true;
        --m_pending;
        process->deleteLater();
        emit finished(sessionId, ok, message);
    };
    connect(process, &QProcess::errorOccurred, this, [process, program, report](auto error) {
        if (error == QProcess::FailedToStart)
            report(false, tr("Cannot run %1: %2").arg(program, process->errorString()));
    });
    connect(process, &QProcess::finished, this,
            [process, report](int exitCode, QProcess::ExitStatus status) {
                QString message = lastLine(process->readAllStandardError());
                const bool ok = status == QProcess::NormalExit && exitCode == 0;
                if (message.isEmpty())
                    message = ok ? tr("Cancel requested.")
                                 : tr("keepwatch-cli cancel failed (status %1).").arg(exitCode);
                report(ok, message);
            });
    process->start(QIODevice::ReadOnly);
}

} // namespace kw
