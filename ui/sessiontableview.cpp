// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "sessiontableview.h"

#include "models/sessiontablemodel.h"
#include "progressdelegate.h"

#include <QAction>
#include <QClipboard>
#include <QDataStream>
#include <QGuiApplication>
#include <QHeaderView>
#include <QIODevice>
#include <QKeyEvent>
#include <QMenu>
#include <algorithm>

namespace kw {

namespace {

using M = SessionTableModel;

// Bumped when the meaning of the saved header state changes.
constexpr quint32 kLayoutMagic = 0x4b575432; // "KWT2": User and Source added

struct ColumnDefault {
    M::Column column;
    int width;
    bool hidden;
};

// Room for what matters while watching; where a session writes to and on
// which host are a right click on the header away.
constexpr ColumnDefault kDefaults[] = {
    {M::Id, 96, false},       {M::Title, 200, false},   {M::Tool, 64, false},
    {M::Kind, 64, false},     {M::State, 104, false},   {M::Progress, 160, false},
    {M::Bytes, 150, false},   {M::Rate, 90, false},     {M::Eta, 64, false},
    {M::Started, 140, false}, {M::Duration, 72, false}, {M::Host, 100, true},
    {M::Target, 200, true},   {M::User, 80, false},     {M::Source, 110, false},
};
static_assert(std::size(kDefaults) == size_t(M::ColumnCount), "a default for every column");

} // namespace

SessionTableView::SessionTableView(QWidget *parent)
    : QTableView(parent) {
    setItemDelegateForColumn(M::Progress, new ProgressDelegate(this));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setShowGrid(false);
    setWordWrap(false);
    setAlternatingRowColors(true);
    // Tab leaves the table instead of walking its cells: keyboard users move
    // between the filter, the table and the logs.
    setTabKeyNavigation(false);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(qMax(22, fontMetrics().height() + 8));

    QHeaderView *header = horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->setSectionsMovable(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu *menu = createColumnMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(horizontalHeader()->viewport()->mapToGlobal(pos));
    });

    m_copyId = new QAction(tr("&Copy Session ID"), this);
    m_copyId->setObjectName(QStringLiteral("copySessionId"));
    m_copyId->setShortcut(QKeySequence::Copy);
    // Only while the table has focus: Ctrl+C in the filter field or a log
    // pane copies their text, as everywhere else.
    m_copyId->setShortcutContext(Qt::WidgetShortcut);
    m_copyId->setStatusTip(tr("Copy the IDs of the selected sessions"));
    connect(m_copyId, &QAction::triggered, this, &SessionTableView::copySelectedIds);
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    // The window adds its own session actions after these.
    setContextMenuPolicy(Qt::ActionsContextMenu);
    addActions({m_copyId, separator});
}

void SessionTableView::setModel(QAbstractItemModel *model) {
    QTableView::setModel(model);
    resetLayout();
}

void SessionTableView::resetLayout() {
    QHeaderView *header = horizontalHeader();
    if (header->count() != M::ColumnCount)
        return;
    for (const ColumnDefault &d : kDefaults) {
        header->moveSection(header->visualIndex(d.column), d.column);
        header->setSectionHidden(d.column, d.hidden);
        header->resizeSection(d.column, d.width);
    }
    setSortingEnabled(true);
    // Newest first: what a person opening a monitor wants to see.
    sortByColumn(M::Started, Qt::DescendingOrder);
}

QByteArray SessionTableView::saveLayout() const {
    QByteArray layout;
    QDataStream out(&layout, QIODevice::WriteOnly);
    out << kLayoutMagic << qint32(M::ColumnCount) << horizontalHeader()->saveState();
    return layout;
}

bool SessionTableView::restoreLayout(const QByteArray &layout) {
    QDataStream in(layout);
    quint32 magic = 0;
    qint32 columns = 0;
    QByteArray state;
    in >> magic >> columns >> state;
    if (in.status() != QDataStream::Ok || magic != kLayoutMagic || columns != M::ColumnCount)
        return false;
    QHeaderView *header = horizontalHeader();
    if (!header->restoreState(state))
        return false;
    sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
    return true;
}

QMenu *SessionTableView::createColumnMenu(QWidget *parent) {
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("columnMenu"));
    QHeaderView *header = horizontalHeader();
    const QAbstractItemModel *m = model();
    if (!m)
        return menu;
    int visible = 0;
    for (int section = 0; section < header->count(); ++section)
        visible += header->isSectionHidden(section) ? 0 : 1;
    // In the order the user sees them.
    for (int visual = 0; visual < header->count(); ++visual) {
        const int section = header->logicalIndex(visual);
        QAction *action = menu->addAction(m->headerData(section, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(section));
        // The last visible column stays: a table without columns is a trap.
        action->setEnabled(header->isSectionHidden(section) || visible > 1);
        connect(action, &QAction::toggled, this, [this, section](bool shown) {
            QHeaderView *h = horizontalHeader();
            h->setSectionHidden(section, !shown);
            // A column hidden since the start has no width to come back to.
            if (shown && h->sectionSize(section) < h->minimumSectionSize())
                h->resizeSection(section, h->defaultSectionSize());
        });
    }
    menu->addSeparator();
    QAction *reset = menu->addAction(tr("&Reset Columns"));
    connect(reset, &QAction::triggered, this, &SessionTableView::resetLayout);
    return menu;
}

QStringList SessionTableView::selectedSessionIds() const {
    if (!selectionModel())
        return {};
    QModelIndexList rows = selectionModel()->selectedRows(M::Id);
    if (rows.isEmpty() && currentIndex().isValid())
        rows << currentIndex().siblingAtColumn(M::Id);
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList ids;
    for (const QModelIndex &index : std::as_const(rows))
        ids << index.data(M::SessionIdRole).toString();
    return ids;
}

void SessionTableView::copySelectedIds() {
    const QStringList ids = selectedSessionIds();
    if (ids.isEmpty())
        return;
    // One per line: pastes into a shell loop or a spreadsheet column alike.
    QGuiApplication::clipboard()->setText(ids.join(QLatin1Char('\n')));
    emit idsCopied(int(ids.size()));
}

void SessionTableView::keyPressEvent(QKeyEvent *event) {
    // QAbstractItemView copies the current cell's text on Ctrl+C when the
    // shortcut does not get there first; the IDs are what is worth copying.
    if (event == QKeySequence::Copy) {
        copySelectedIds();
        event->accept();
        return;
    }
    QTableView::keyPressEvent(event);
}

} // namespace kw
