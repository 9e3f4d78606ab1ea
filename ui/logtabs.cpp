// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "logtabs.h"

#include "loglineview.h"
#include "logpane.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QMenu>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace kw {

LogTabs::LogTabs(QWidget *parent)
    : QWidget(parent)
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_primary(makeSide(QStringLiteral("logTabsLeft")))
    , m_secondary(makeSide(QStringLiteral("logTabsRight"))) {
    m_splitter->setObjectName(QStringLiteral("logSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_primary);
    m_splitter->addWidget(m_secondary);
    m_secondary->hide(); // until something moves there
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    auto *detach = new QAction(tr("&Detach Log into a Window"), this);
    detach->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    detach->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(detach, &QAction::triggered, this, [this] {
        if (LogPane *pane = currentPane())
            this->detach(pane);
    });
    auto *move = new QAction(tr("&Move Log to the Other Side"), this);
    move->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    move->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(move, &QAction::triggered, this, [this] {
        if (LogPane *pane = currentPane())
            moveToOtherSide(pane);
    });
    addActions({detach, move});
    tidy();
}

LogTabs::~LogTabs() {
    // Detached windows hold panes whose models read the store: they go with
    // the tabs, not whenever their window happens to be closed.
    for (auto it = m_meta.cbegin(); it != m_meta.cend(); ++it) {
        if (QWidget *window = it->window) {
            window->removeEventFilter(this);
            delete window;
        }
    }
}

QTabWidget *LogTabs::makeSide(const QString &name) {
    auto *side = new QTabWidget(this);
    side->setObjectName(name);
    side->setTabsClosable(true);
    side->setMovable(true);
    side->setDocumentMode(true);
    connect(side, &QTabWidget::tabCloseRequested, this, [this, side](int index) {
        if (auto *pane = qobject_cast<LogPane *>(side->widget(index)))
            closePane(pane);
    });
    side->tabBar()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(side->tabBar(), &QWidget::customContextMenuRequested, this,
            [this, side](const QPoint &pos) { showTabMenu(side, pos); });

    // Mouse users find split and detach without the context menu.
    auto *corner = new QWidget(side);
    auto *cornerLayout = new QHBoxLayout(corner);
    cornerLayout->setContentsMargins(0, 0, 0, 0);
    cornerLayout->setSpacing(0);
    auto *split = new QToolButton(corner);
    split->setObjectName(name + QLatin1String("Split"));
    split->setText(tr("Split"));
    split->setAutoRaise(true);
    split->setToolTip(tr("Move this log to the other side, to see two at once (Ctrl+Shift+M)"));
    connect(split, &QToolButton::clicked, this, [this, side] {
        if (auto *pane = qobject_cast<LogPane *>(side->currentWidget()))
            moveToOtherSide(pane);
    });
    auto *detach = new QToolButton(corner);
    detach->setObjectName(name + QLatin1String("Detach"));
    detach->setText(tr("Detach"));
    detach->setAutoRaise(true);
    detach->setToolTip(tr("Open this log in a window of its own; closing the window brings it "
                          "back here (Ctrl+Shift+D)"));
    connect(detach, &QToolButton::clicked, this, [this, side] {
        if (auto *pane = qobject_cast<LogPane *>(side->currentWidget()))
            this->detach(pane);
    });
    cornerLayout->addWidget(split);
    cornerLayout->addWidget(detach);
    side->setCornerWidget(corner, Qt::TopRightCorner);
    return side;
}

void LogTabs::addTab(QTabWidget *side, LogPane *pane) {
    const Meta &meta = m_meta[pane];
    const int index = side->addTab(pane, meta.icon, meta.title);
    side->setTabToolTip(index, meta.toolTip);
}

void LogTabs::addPane(LogPane *pane, const QIcon &icon, const QString &title,
                      const QString &toolTip) {
    m_meta.insert(pane, Meta{title, toolTip, icon, {}});
    QTabWidget *side = focusedSide();
    if (!side)
        side = m_primary;
    addTab(side, pane);
    side->setCurrentWidget(pane);
    tidy();
}

QList<LogPane *> LogTabs::panes() const {
    QList<LogPane *> out;
    for (QTabWidget *side : {m_primary, m_secondary}) {
        for (int i = 0; i < side->count(); ++i) {
            if (auto *pane = qobject_cast<LogPane *>(side->widget(i)))
                out.append(pane);
        }
    }
    for (auto it = m_meta.cbegin(); it != m_meta.cend(); ++it) {
        if (it->window)
            out.append(it.key());
    }
    return out;
}

int LogTabs::tabCount() const {
    return m_primary->count() + m_secondary->count();
}

LogPane *LogTabs::pane(const SessionKey &key) const {
    for (auto it = m_meta.cbegin(); it != m_meta.cend(); ++it) {
        if (it.key()->sessionKey() == key)
            return it.key();
    }
    return nullptr;
}

QTabWidget *LogTabs::focusedSide() const {
    const QWidget *focus = QApplication::focusWidget();
    if (!focus)
        return nullptr;
    if (m_secondary->count() > 0 && m_secondary->isAncestorOf(focus))
        return m_secondary;
    if (m_primary->isAncestorOf(focus))
        return m_primary;
    return nullptr;
}

LogPane *LogTabs::currentPane() const {
    QTabWidget *side = focusedSide();
    return qobject_cast<LogPane *>((side ? side : m_primary)->currentWidget());
}

QTabWidget *LogTabs::sideOf(LogPane *pane) const {
    if (m_primary->indexOf(pane) >= 0)
        return m_primary;
    if (m_secondary->indexOf(pane) >= 0)
        return m_secondary;
    return nullptr;
}

bool LogTabs::isSplit() const {
    return m_secondary->count() > 0;
}

bool LogTabs::isDetached(LogPane *pane) const {
    return windowOf(pane) != nullptr;
}

QWidget *LogTabs::windowOf(LogPane *pane) const {
    const auto it = m_meta.constFind(pane);
    return it == m_meta.cend() ? nullptr : it->window.data();
}

void LogTabs::activate(LogPane *pane) {
    if (QWidget *window = windowOf(pane)) {
        window->show();
        window->raise();
        window->activateWindow();
    } else if (QTabWidget *side = sideOf(pane)) {
        side->setCurrentWidget(pane);
    }
}

void LogTabs::takeFromTabs(LogPane *pane) {
    if (QTabWidget *side = sideOf(pane))
        side->removeTab(side->indexOf(pane));
}

void LogTabs::closePane(LogPane *pane) {
    const auto it = m_meta.find(pane);
    if (it == m_meta.end())
        return;
    QPointer<QWidget> window = it->window;
    m_meta.erase(it);
    takeFromTabs(pane);
    // Safe to delete now: requests come from a tab bar, an action or a
    // caller outside the pane, never from inside it.
    delete pane;
    if (window) {
        window->removeEventFilter(this);
        window->close(); // and deletes itself
    }
    tidy();
}

void LogTabs::closeCurrent() {
    if (LogPane *pane = currentPane())
        closePane(pane);
}

void LogTabs::detach(LogPane *pane) {
    const auto it = m_meta.find(pane);
    if (it == m_meta.end())
        return;
    if (it->window) {
        activate(pane);
        return;
    }
    const QSize size = pane->size().expandedTo(QSize(640, 360));
    takeFromTabs(pane);
    // A window of its own, not a child (a child would stay above the main
    // window and be hidden with the log area); the tabs delete it when they
    // go, and it does not keep the application running by itself.
    auto *window = new QWidget(nullptr, Qt::Window);
    window->setAttribute(Qt::WA_QuitOnClose, false);
    window->setObjectName(QStringLiteral("logWindow"));
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setWindowTitle(tr("%1 — Keepwatch").arg(it->title));
    window->setWindowIcon(it->icon);
    window->setToolTip({});
    auto *layout = new QVBoxLayout(window);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(pane);
    pane->show();
    // Ctrl+W closes the window, which puts the log back into the tabs.
    auto *close = new QAction(tr("Back into the Main Window"), window);
    close->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W)); // as "Close Log" in the main window
    connect(close, &QAction::triggered, window, &QWidget::close);
    window->addAction(close);
    window->installEventFilter(this);
    it->window = window;
    window->resize(size);
    window->show();
    tidy();
}

void LogTabs::attach(LogPane *pane) {
    reattach(pane, true);
}

void LogTabs::reattach(LogPane *pane, bool closeWindow) {
    const auto it = m_meta.find(pane);
    if (it == m_meta.end() || !it->window)
        return;
    QWidget *window = it->window;
    it->window = nullptr;
    window->removeEventFilter(this);
    addTab(m_primary, pane);
    m_primary->setCurrentWidget(pane);
    if (closeWindow)
        window->close(); // and deletes itself
    tidy();
}

bool LogTabs::eventFilter(QObject *watched, QEvent *event) {
    if (event->type() == QEvent::Close) {
        for (auto it = m_meta.cbegin(); it != m_meta.cend(); ++it) {
            if (it->window == watched) {
                // The window closes as asked; its pane goes back to the tabs.
                reattach(it.key(), false);
                break;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

void LogTabs::moveToOtherSide(LogPane *pane) {
    QTabWidget *side = sideOf(pane);
    if (!side)
        return;
    QTabWidget *other = side == m_primary ? m_secondary : m_primary;
    takeFromTabs(pane);
    addTab(other, pane);
    other->setCurrentWidget(pane);
    tidy();
    pane->view()->setFocus();
}

void LogTabs::setPaneIcon(LogPane *pane, const QIcon &icon) {
    const auto it = m_meta.find(pane);
    if (it == m_meta.end())
        return;
    it->icon = icon;
    if (QTabWidget *side = sideOf(pane))
        side->setTabIcon(side->indexOf(pane), icon);
    if (it->window)
        it->window->setWindowIcon(icon);
}

void LogTabs::tidy() {
    // The left side is never empty while the right one is not.
    if (m_primary->count() == 0) {
        while (m_secondary->count() > 0) {
            auto *pane = qobject_cast<LogPane *>(m_secondary->widget(0));
            m_secondary->removeTab(0);
            if (pane)
                addTab(m_primary, pane);
        }
    }
    const bool split = m_secondary->count() > 0;
    if (split && m_secondary->isHidden()) {
        m_secondary->show();
        const int width = m_splitter->width();
        m_splitter->setSizes({width / 2, width - width / 2});
    } else if (!split) {
        m_secondary->hide();
    }
    // Splitting needs a second log to put beside the first.
    for (QTabWidget *side : {m_primary, m_secondary}) {
        if (auto *button =
                side->findChild<QToolButton *>(side->objectName() + QLatin1String("Split")))
            button->setEnabled(tabCount() > 1);
    }
    const int tabs = tabCount();
    if (tabs != m_lastTabCount) {
        m_lastTabCount = tabs;
        emit tabCountChanged(tabs);
    }
}

void LogTabs::showTabMenu(QTabWidget *side, const QPoint &pos) {
    const int index = side->tabBar()->tabAt(pos);
    auto *pane = qobject_cast<LogPane *>(side->widget(index));
    if (!pane)
        return;
    QMenu menu(this);
    menu.addAction(tr("&Detach into a Window"), this, [this, pane] { detach(pane); });
    QAction *move = menu.addAction(side == m_primary ? tr("Move to the &Right Side")
                                                     : tr("Move to the &Left Side"),
                                   this, [this, pane] { moveToOtherSide(pane); });
    move->setEnabled(tabCount() > 1);
    menu.addSeparator();
    menu.addAction(tr("&Close"), this, [this, pane] { closePane(pane); });
    menu.exec(side->tabBar()->mapToGlobal(pos));
}

} // namespace kw
