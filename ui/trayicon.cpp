// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "trayicon.h"

#include "icons.h"
#include "protocol/timestamp.h"
#include "store/sessionstore.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QWidget>

namespace kw {

TrayIcon::TrayIcon(const SessionStore *store, QWidget *window, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_window(window)
    , m_sinceMs(Timestamp::nowMs()) {
    m_updateTimer.setSingleShot(true);
    m_updateTimer.setInterval(kUpdateDelayMs);
    connect(&m_updateTimer, &QTimer::timeout, this, &TrayIcon::refresh);
    // Many changes per second become one update (the tray redraws are not free).
    connect(m_store, &SessionStore::changed, this, [this] {
        if (!m_updateTimer.isActive())
            m_updateTimer.start();
    });
    refresh();
}

TrayIcon::~TrayIcon() {
    delete m_icon;
    delete m_menu;
}

int TrayIcon::severity(SessionState state) {
    switch (state) {
    case SessionState::Failed:
        return 6;
    case SessionState::Interrupted:
        return 5;
    case SessionState::Stalled:
        return 4;
    case SessionState::Warning:
        return 3;
    default:
        return isActive(state) ? 2 : 1;
    }
}

void TrayIcon::setWanted(bool wanted) {
    m_wanted = wanted;
    if (wanted && QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_icon)
            createIcon();
        m_icon->show();
    } else if (m_icon) {
        m_icon->hide();
    }
}

void TrayIcon::createIcon() {
    m_menu = new QMenu;
    QAction *show = m_menu->addAction(tr("&Show Keepwatch"));
    connect(show, &QAction::triggered, this, [this] { activate(QSystemTrayIcon::Trigger); });
    m_menu->addSeparator();
    QAction *quit = m_menu->addAction(tr("&Quit"));
    connect(quit, &QAction::triggered, this, [this] {
        if (m_window)
            m_window->close();
    });
    m_icon = new QSystemTrayIcon(icon(), this);
    m_icon->setToolTip(m_toolTip);
    m_icon->setContextMenu(m_menu);
    connect(m_icon, &QSystemTrayIcon::activated, this, &TrayIcon::activate);
}

QIcon TrayIcon::icon() const {
    return m_worst ? Icons::state(*m_worst) : Icons::application();
}

void TrayIcon::refresh() {
    m_updateTimer.stop();
    int running = 0;
    int stalled = 0;
    int failed = 0;
    int warnings = 0;
    int finished = 0;
    std::optional<SessionState> worst;
    for (int row = 0; row < m_store->count(); ++row) {
        const Session &s = m_store->at(row);
        const bool active = isActive(s.state);
        if (!active && s.knownEndMs().value_or(s.lastEventMs) < m_sinceMs)
            continue; // ended before we watched: history, not news
        if (!worst || severity(s.state) > severity(*worst))
            worst = s.state;
        switch (s.state) {
        case SessionState::Stalled:
            ++stalled;
            break;
        case SessionState::Failed:
        case SessionState::Interrupted:
            ++failed;
            break;
        case SessionState::Warning:
            ++warnings;
            break;
        default:
            if (active)
                ++running;
            else
                ++finished;
        }
    }
    m_worst = worst;
    QStringList parts;
    parts << tr("%n running", nullptr, running);
    if (stalled)
        parts << tr("%n stalled", nullptr, stalled);
    if (failed)
        parts << tr("%n failed", nullptr, failed);
    if (warnings)
        parts << tr("%n with warnings", nullptr, warnings);
    if (finished)
        parts << tr("%n finished", nullptr, finished);
    m_toolTip = tr("Keepwatch\n%1").arg(parts.join(QStringLiteral(" · ")));
    if (m_icon) {
        m_icon->setIcon(icon());
        m_icon->setToolTip(m_toolTip);
    }
}

void TrayIcon::activate(QSystemTrayIcon::ActivationReason reason) {
    if (reason != QSystemTrayIcon::Trigger && reason != QSystemTrayIcon::DoubleClick)
        return;
    if (!m_window)
        return;
    if (m_window->isMinimized())
        m_window->showNormal();
    else
        m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

bool TrayIcon::showNotification(const QString &summary, const QString &body, SessionState state) {
    if (!isShown())
        return false;
    const QSystemTrayIcon::MessageIcon kind =
        state == SessionState::Failed                       ? QSystemTrayIcon::Critical
        : severity(state) > severity(SessionState::Running) ? QSystemTrayIcon::Warning
                                                            : QSystemTrayIcon::Information;
    m_icon->showMessage(summary, body, kind);
    return true;
}

} // namespace kw
