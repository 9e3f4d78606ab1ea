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

SecretToolKeyring::Attribute SecretToolKeyring::brokerAttribute(const QString &url,
                                                                const QString &username) {
    return {QStringLiteral("keepwatch-broker"), username + QLatin1Char('@') + url};
}

QProcess *SecretToolKeyring::startTool(const QStringList &arguments) {
    auto *process = new QProcess(this);
    m_process = process;
    process->setProgram(m_program);
    process->setArguments(arguments);
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            done(false, tr("Cannot run %1: %2").arg(m_program, process->errorString()));
    });
    return process;
}

bool SecretToolKeyring::store(const QString &profileName, const QString &password) {
    if (profileName.isEmpty())
        return false;
    return store({LaunchCommand::keyringAttribute(), profileName},
                 QStringLiteral("Keepwatch profile ") + profileName, password);
}

bool SecretToolKeyring::lookup(const Attribute &attribute) {
    if (!isAvailable() || isBusy() || attribute.value.isEmpty())
        return false;
    QProcess *process = startTool({QStringLiteral("lookup"), attribute.name, attribute.value});
    // A failure to start is said through finished(); a lookup says it here.
    connect(this, &SecretToolKeyring::finished, process, [this](bool ok, const QString &message) {
        if (!ok)
            emit lookedUp(false, {}, message);
    });
    connect(process, &QProcess::finished, this,
            [this, process, attribute](int exitCode, QProcess::ExitStatus status) {
                QByteArray password = process->readAllStandardOutput();
                const QString why =
                    QString::fromLocal8Bit(process->readAllStandardError()).trimmed();
                m_process->deleteLater();
                m_process = nullptr;
                if (status == QProcess::NormalExit && exitCode == 0 && !password.isEmpty()) {
                    emit lookedUp(true, password, {});
                    password.fill('\0');
                    return;
                }
                // secret-tool exits 1 without a word when nothing matches.
                emit lookedUp(false, {},
                              why.isEmpty()
                                  ? tr("the keyring has no password for %1").arg(attribute.value)
                                  : tr("the keyring: %1").arg(why));
            });
    process->start(QIODevice::ReadOnly);
    return true;
}

bool SecretToolKeyring::store(const Attribute &attribute, const QString &label,
                              const QString &password) {
    if (!isAvailable() || isBusy() || attribute.value.isEmpty())
        return false;
    QProcess *process = startTool({QStringLiteral("store"), QStringLiteral("--label=") + label,
                                   attribute.name, attribute.value});
    process->setStandardOutputFile(QProcess::nullDevice());
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
