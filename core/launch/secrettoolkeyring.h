// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QObject>
#include <QString>

class QProcess;

namespace kw {

// Stores and looks up passwords in the desktop keyring (the Secret Service,
// through libsecret's `secret-tool`): a launch profile's, where LaunchCommand's
// `secret-tool lookup keepwatch-profile NAME` finds it at run time, and the
// window's broker password (brokerAttribute).
//
// Asynchronous: store() starts `secret-tool store --label=... keepwatch-profile
// NAME`, writes the password to its stdin (never its argv, which every user
// can read in /proc) and returns; finished() reports the outcome. Nothing
// waits, so it is safe on the GUI thread.
class SecretToolKeyring final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretToolKeyring)

public:
    explicit SecretToolKeyring(QObject *parent = nullptr);
    ~SecretToolKeyring() override;

    // secret-tool on PATH; empty when it is not installed.
    static QString locate();
    // The Debian package that provides secret-tool.
    static QString package() { return QStringLiteral("libsecret-tools"); }

    // Defaults to locate(); tests put a stand-in here.
    void setProgram(const QString &program) { m_program = program; }
    QString program() const { return m_program; }
    bool isAvailable() const { return !m_program.isEmpty(); }
    bool isBusy() const { return m_process != nullptr; }

    // What a password is filed under: one attribute and its value.
    struct Attribute {
        QString name;
        QString value;
    };
    // The broker password of `username` at `url` (Settings, Many hosts).
    static Attribute brokerAttribute(const QString &url, const QString &username);

    // Returns false (and emits nothing) when secret-tool is missing or a
    // store is still running.
    bool store(const QString &profileName, const QString &password);
    bool store(const Attribute &attribute, const QString &label, const QString &password);
    // Looks the password up; lookedUp() follows. False (nothing emitted)
    // when secret-tool is missing or busy.
    bool lookup(const Attribute &attribute);

signals:
    void finished(bool ok, const QString &message);
    // `password` empty when there is none (`message` says so) or the
    // keyring could not be asked.
    void lookedUp(bool ok, const QByteArray &password, const QString &message);

private:
    void done(bool ok, const QString &message);
    QProcess *startTool(const QStringList &arguments);

    QString m_program;
    QProcess *m_process = nullptr;
};

} // namespace kw
