// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QObject>
#include <QPointer>
#include <QSystemTrayIcon>
#include <QTimer>
#include <optional>

class QMenu;

namespace kw {

class SessionStore;

// The system-tray icon: the worst state among the sessions that matter now
// (running ones, and those that ended since Keepwatch started: last week's
// failure would otherwise keep the tray red forever), counts in the tooltip,
// and a click that brings the window back.
//
// A tray is never assumed: the QSystemTrayIcon exists only while one is
// available and the user wants it; everything else works without.
class TrayIcon final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    static constexpr int kUpdateDelayMs = 200;

    TrayIcon(const SessionStore *store, QWidget *window, QObject *parent = nullptr);
    ~TrayIcon() override;

    // Shows the icon when `wanted` and a tray exists; hides it otherwise.
    void setWanted(bool wanted);
    // Whether an icon is in a tray now.
    bool isShown() const { return m_icon && m_icon->isVisible(); }

    // The worst state of what matters now; empty when nothing does.
    std::optional<SessionState> worstState() const { return m_worst; }
    QString toolTip() const { return m_toolTip; }
    QIcon icon() const;
    // Recomputes state and tooltip now (normally coalesced after store changes).
    void refresh();

    // A balloon or toast from the icon (where there is no notification
    // service, Windows): false when no icon is shown to carry it.
    bool showNotification(const QString &summary, const QString &body, SessionState state);

    // What a click on the icon does: shows, restores and raises the window.
    void activate(QSystemTrayIcon::ActivationReason reason);

    // Higher is worse: failed > interrupted > stalled > warning > active > the rest.
    static int severity(SessionState state);

private:
    void createIcon();

    const SessionStore *m_store;
    QPointer<QWidget> m_window;
    QSystemTrayIcon *m_icon = nullptr;
    QMenu *m_menu = nullptr;
    QTimer m_updateTimer;
    qint64 m_sinceMs = 0;
    std::optional<SessionState> m_worst;
    QString m_toolTip;
    bool m_wanted = false;
};

} // namespace kw
