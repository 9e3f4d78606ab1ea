// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launch/secrettoolkeyring.h"

#include "launch/launchcommand.h"

#include <QProcess>
#include <QStandardPaths>

namespace kw {

SecretToolKeyring::SecretToolKeyring(QObject *parent)
    : QObject(parent)
    , m_program(locate()) {}

SecretToolKeyring::~SecretToolKeyring() {
    if (m_process) {
        m_process->disconnect(this);
        // Let a running store finish on its own; it holds no reference to us.
        m_process->setParent(nullptr);
        connect(m_process, &QProcess::finished, m_process, &QObject::deleteLater);
    }
}

QString SecretToolKeyring::locate() {
    return QStandardPaths::findExecutable(QStringLiteral("secret-tool"));
}

bool SecretToolKeyring::store(const QString &profileName, const QString &password) {
    if (!isAvailable() || isBusy() || profileName.isEmpty())
        return false;
    auto *process = new QProcess(this);
    m_process = process;
    process->setProgram(m_program);
    process->setArguments({QStringLiteral("store"),
                           QStringLiteral("--label=Keepwatch profile ") + profileName,
                           LaunchCommand::keyringAttribute(), profileName});
    process->setStandardOutputFile(QProcess::nullDevice());
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            done(false, tr("Cannot run %1: %2").arg(m_program, process->errorString()));
    });
    connect(process, &QProcess::finished, this,
            [this, process](int exitCode, QProcess::ExitStatus status) {
                if (status == QProcess::NormalExit && exitCode == 0) {
                    done(true, tr("Password stored in the keyring."));
                    return;
                }
                QString why = QString::fromLocal8Bit(process->readAllStandardError()).trimmed();
                if (why.isEmpty())
                    why = status == QProcess::NormalExit
                              ? tr("secret-tool exited with status %1").arg(exitCode)
                              : tr("secret-tool crashed");
                done(false, tr("The keyring did not store the password: %1").arg(why));
            });
    process->start(QIODevice::ReadWrite);
    // `process`, not m_process: a start that fails at once has already been
    // reported (and m_process cleared) by now.
    if (process->state() != QProcess::NotRunning) {
        // Buffered until the process runs; closing the channel after the
        // write sends EOF, which is where secret-tool stops reading.
        QByteArray bytes = password.toUtf8();
        process->write(bytes);
        bytes.fill('\0');
        process->closeWriteChannel();
    }
    return true;
}

void SecretToolKeyring::done(bool ok, const QString &message) {
    if (!m_process)
        return;
    m_process->deleteLater();
    m_process = nullptr;
    emit finished(ok, message);
}

} // namespace kw
