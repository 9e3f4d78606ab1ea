// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "settings/appsettings.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;
class QTabWidget;
class QDialogButtonBox;

namespace kw {

class SecretToolKeyring;

// Edits AppSettings: what the window watches (spool directories, poll
// interval), stall detection, log buffer size, notification rules, the tray
// icon, the history's retention and the window's own broker (many hosts). OK validates every field
// and, when one is wrong, says which and why and stays open; when all are right it saves them to
// the settings file and closes.
//
// Numbers are typed, not spun: a spin box would silently clamp a value the
// user meant, where a message tells them what is allowed.
class SettingsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(const AppSettings &settings, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    // What was saved (after OK), or what the dialog started from.
    AppSettings settings() const { return m_settings; }
    // The message shown for the last refused OK; empty when none.
    QString errorText() const;

    void accept() override;

private:
    // The fields as settings; on a field that does not parse or a value out
    // of range, `error` says why and `field` is the widget to fix.
    AppSettings fromFields(QString *error, QWidget **field) const;
    void showError(const QString &message, QWidget *field);
    void addSpoolDirectory();
    void addBaculaDirector(const QString &name, const QString &configPath, const QString &bconsole);
    // Saves `settings` and closes.
    void finish(const AppSettings &settings);

    AppSettings m_settings;
    QPlainTextEdit *m_spoolDirectories = nullptr;
    QLineEdit *m_pollInterval = nullptr;
    QLineEdit *m_stallTimeout = nullptr;
    QLineEdit *m_maxLogLines = nullptr;
    QCheckBox *m_notifyFailed = nullptr;
    QCheckBox *m_notifyStalled = nullptr;
    QCheckBox *m_notifyInterrupted = nullptr;
    QCheckBox *m_notifyWarning = nullptr;
    QCheckBox *m_notifySuccess = nullptr;
    QCheckBox *m_trayIcon = nullptr;
    QLineEdit *m_historyMaxAge = nullptr;
    QLineEdit *m_historyMaxSessions = nullptr;
    QPlainTextEdit *m_systemdUnits = nullptr;
    QLineEdit *m_overdueGrace = nullptr;
    QLineEdit *m_brokerUrl = nullptr;
    QLineEdit *m_brokerUsername = nullptr;
    QLineEdit *m_brokerPasswordFile = nullptr;
    QLineEdit *m_brokerPassword = nullptr; // typed: stored in the keyring on OK
    SecretToolKeyring *m_keyring = nullptr;
    QLineEdit *m_brokerCaFile = nullptr;
    QLineEdit *m_brokerCertFile = nullptr;
    QLineEdit *m_brokerKeyFile = nullptr;
    QTableWidget *m_baculaDirectors = nullptr; // name, bconsole.conf, bconsole
    QLineEdit *m_baculaFinishedDays = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace kw
