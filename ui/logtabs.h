// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "store/session.h"

#include <QHash>
#include <QIcon>
#include <QPointer>
#include <QWidget>

class QAction;
class QSplitter;
class QTabWidget;

namespace kw {

class LogPane;

// Where the log panes live: tabs, split in two side by side on request, and
// any pane detachable into a window of its own that goes back into the tabs
// when it is closed.
//
// The left (primary) tab widget always holds tabs while there are any; the
// right one shows only while it holds some. A pane keeps its title, tooltip
// and icon wherever it moves. Panes that are not on screen (background tabs)
// idle: LogPane's own hide/show does that.
//
// Keyboard: Ctrl+Shift+D detaches the current pane, Ctrl+Shift+M moves it to
// the other side (splitting the area); both are also on the tabs' context
// menu and the corner buttons.
class LogTabs final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogTabs)

public:
    explicit LogTabs(QWidget *parent = nullptr);
    ~LogTabs() override;

    QTabWidget *primary() const { return m_primary; }
    QTabWidget *secondary() const { return m_secondary; }

    // Adds a tab on the side that has the focus (left when neither has),
    // and makes it current.
    void addPane(LogPane *pane, const QIcon &icon, const QString &title, const QString &toolTip);
    // In tabs (left, then right) and in windows of their own.
    QList<LogPane *> panes() const;
    int count() const { return int(m_meta.size()); }
    // Panes in tabs, on either side (not the detached ones).
    int tabCount() const;
    LogPane *pane(const SessionKey &key) const;
    // The current tab of the side with the focus, else of the left side.
    LogPane *currentPane() const;

    // Makes the pane the current tab, or raises its window.
    void activate(LogPane *pane);
    void closePane(LogPane *pane);
    void closeCurrent();

    void detach(LogPane *pane);
    // What closing a detached pane's window does.
    void attach(LogPane *pane);
    bool isDetached(LogPane *pane) const;
    QWidget *windowOf(LogPane *pane) const;

    // Moves the pane to the other tab widget (showing it when needed).
    void moveToOtherSide(LogPane *pane);
    bool isSplit() const;
    // The tab widget that holds the pane, or null when it is detached.
    QTabWidget *sideOf(LogPane *pane) const;

    void setPaneIcon(LogPane *pane, const QIcon &icon);

signals:
    // After panes were added, closed, detached or attached: the area has
    // nothing to show at 0.
    void tabCountChanged(int tabs);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Meta {
        QString title;
        QString toolTip;
        QIcon icon;
        QPointer<QWidget> window; // set while detached
    };
    QTabWidget *makeSide(const QString &name);
    void addTab(QTabWidget *side, LogPane *pane);
    void takeFromTabs(LogPane *pane);
    void reattach(LogPane *pane, bool closeWindow);
    void tidy();
    void showTabMenu(QTabWidget *side, const QPoint &pos);
    QTabWidget *focusedSide() const;

    QSplitter *m_splitter;
    QTabWidget *m_primary;
    QTabWidget *m_secondary;
    QHash<LogPane *, Meta> m_meta;
    int m_lastTabCount = 0;
};

} // namespace kw
