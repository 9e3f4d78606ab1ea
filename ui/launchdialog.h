// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "launch/launchcommand.h"
#include "launch/launchprofile.h"

#include <QDialog>
#include <memory>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSettings;
class QStackedWidget;
class QToolButton;

namespace kw {

class ProfileStore;
class SecretToolKeyring;

// "New session": pick or edit a launch profile, see the exact command line
// it runs, and launch it. The session runs as `keepwatch-cli run ...`
// started detached, so closing the window never stops it; it reaches the
// window through the spool like any other session.
//
// Profiles are saved in the application's settings (ProfileStore): where a
// password comes from, never the password. "Store Password in Keyring…"
// hands the password to secret-tool on its stdin, asynchronously.
class LaunchDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LaunchDialog)

public:
    explicit LaunchDialog(QWidget *parent = nullptr);
    ~LaunchDialog() override;

    // The keepwatch-cli to run; empty (the default): beside the running
    // executable, else on PATH.
    void setCliProgram(const QString &program);
    // The spool the launched session writes to (exported as KEEPWATCH_SPOOL);
    // empty: keepwatch-cli's default.
    void setSpoolDirectory(const QString &directory);
    // secret-tool; empty disables the keyring (it is looked up on PATH by default).
    void setSecretToolProgram(const QString &program);

    // The profile the fields describe, and the reverse.
    LaunchProfile profile() const;
    void setProfile(const LaunchProfile &profile);
    // Selects a saved profile (and loads it); false when there is none.
    bool selectProfile(const QString &name);
    QStringList savedProfiles() const;

    // What Launch would start now.
    LaunchCommand command() const;
    // The session ID the next launch gets (shown in the preview, too).
    QString nextSessionId() const { return m_sessionId; }

signals:
    // The session's wrapper is running (detached) as `pid`; `sessionId` is
    // the ID it records the session under.
    void launched(const QString &sessionId, qint64 pid);

private:
    void buildUi();
    void connectFields();
    void updateForToolAndKind();
    void updatePreview();
    void updatePasswordPage();
    void updateKeyringAvailability();
    void reloadProfiles(const QString &select);
    void onProfileChosen(int index);
    void saveProfile();
    void deleteProfile();
    void launch();
    void askKeyringPassword();
    void addPath();
    void removePath();
    void browseDirectory(QLineEdit *edit, const QString &caption);
    void showStatus(const QString &text, bool error);
    QString currentTool() const;
    SessionKind currentKind() const;

    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ProfileStore> m_profiles;
    SecretToolKeyring *m_keyring = nullptr;
    QString m_cliProgram;
    QString m_spoolDirectory;
    QString m_sessionId;
    bool m_loading = false;

    QComboBox *m_profileCombo = nullptr;
    QLineEdit *m_nameEdit = nullptr;
    QComboBox *m_toolCombo = nullptr;
    QComboBox *m_kindCombo = nullptr;
    QLabel *m_repositoryLabel = nullptr;
    QLineEdit *m_repositoryEdit = nullptr;
    QToolButton *m_repositoryBrowse = nullptr;
    QLabel *m_pathsLabel = nullptr;
    QPlainTextEdit *m_pathsEdit = nullptr;
    QPushButton *m_addPathButton = nullptr;
    QPushButton *m_removePathButton = nullptr;
    QLabel *m_targetLabel = nullptr;
    QLineEdit *m_targetEdit = nullptr;
    QToolButton *m_targetBrowse = nullptr;
    QLineEdit *m_extraArgsEdit = nullptr;
    QLineEdit *m_titleEdit = nullptr;
    QGroupBox *m_passwordBox = nullptr;
    QComboBox *m_passwordCombo = nullptr;
    QStackedWidget *m_passwordPages = nullptr;
    QLineEdit *m_passwordFileEdit = nullptr;
    QLineEdit *m_passwordCommandEdit = nullptr;
    QPushButton *m_keyringButton = nullptr;
    QLabel *m_keyringStatus = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QLabel *m_validationLabel = nullptr;
    QLabel *m_statusLabel = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QPushButton *m_launchButton = nullptr;
};

} // namespace kw
