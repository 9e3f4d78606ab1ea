// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "launch/launchcommand.h"

#include <QProcess>
#include <QWidget>

class QLabel;
class QPushButton;

namespace kw {

// The page shown instead of the empty session table: what Keepwatch watches,
// how to get a session into it (keepwatch-cli run, or New Session…), and a
// real sample backup to see one live at once.
//
// The sample is a real restic backup: a repository in a scratch directory
// under the state directory (<state>/sample/repository), initialised once,
// with a generated password in a private (0600) file that restic reads
// itself through RESTIC_PASSWORD_FILE (the launch machinery's password
// file source: the password never appears on a command line). The backup of
// a real directory (/usr/share/doc) then runs through `keepwatch-cli run`,
// detached, like any launched session. Without restic the offer is disabled
// and says how to get it.
class FirstStart final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FirstStart)

public:
    explicit FirstStart(const QString &spoolDirectory, QWidget *parent = nullptr);
    ~FirstStart() override;

    // The keepwatch-cli that runs the sample (empty: beside this executable, else PATH).
    void setCliProgram(const QString &program) { m_cliProgram = program; }
    // What the sample backs up (default: /usr/share/doc, else
    // /usr/share/common-licenses).
    void setSampleSource(const QString &directory) { m_sampleSource = directory; }
    QString sampleSource() const { return m_sampleSource; }
    // <state>/sample: the repository and its password file.
    QString sampleDirectory() const;
    QString resticProgram() const { return m_restic; }

    QPushButton *sampleButton() const { return m_sampleButton; }
    QPushButton *newSessionButton() const { return m_newSessionButton; }
    QString statusText() const;

signals:
    // The sample backup runs, as session `sessionId`.
    void sampleLaunched(const QString &sessionId, qint64 pid);
    // The user wants to launch a session of their own.
    void newSessionRequested();

private:
    void startSample();
    void onInitFinished(int exitCode, QProcess::ExitStatus status);
    void launchBackup();
    LaunchCommand sampleCommand(const QString &sessionId) const;
    // Creates the password file once; returns an error message, empty on success.
    QString ensurePasswordFile(const QString &path) const;
    void showStatus(const QString &text, bool error);

    QString m_spoolDirectory;
    QString m_cliProgram;
    QString m_sampleSource;
    QString m_restic;
    QLabel *m_status = nullptr;
    QPushButton *m_sampleButton = nullptr;
    QPushButton *m_newSessionButton = nullptr;
    QProcess *m_init = nullptr;
    LaunchCommand m_command; // the sample's backup, once started
    QString m_sessionId;
};

} // namespace kw
