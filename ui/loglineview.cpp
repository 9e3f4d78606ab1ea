// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "loglineview.h"

#include "loglinedelegate.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>

namespace kw {

LogLineView::LogLineView(QWidget *parent)
    : QTableView(parent) {
    // Monospace, so that the columns of the lines line up.
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setItemDelegate(new LogLineDelegate(this));
    horizontalHeader()->hide();
    horizontalHeader()->setStretchLastSection(true);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    // A section may be as low as the row; the style's minimum would win.
    verticalHeader()->setMinimumSectionSize(1);
    setShowGrid(false);
    setWordWrap(false);
    setCornerButtonEnabled(false);
    setTabKeyNavigation(false);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    updateRowHeight();
}

QModelIndex LogLineView::moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) {
    const QAbstractItemModel *lines = model();
    if (lines && (cursorAction == MoveHome || cursorAction == MoveEnd)) {
        const int rows = lines->rowCount(rootIndex());
        if (rows == 0)
            return {};
        return lines->index(cursorAction == MoveHome ? 0 : rows - 1, 0, rootIndex());
    }
    return QTableView::moveCursor(cursorAction, modifiers);
}

void LogLineView::changeEvent(QEvent *event) {
    QTableView::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateRowHeight();
}

void LogLineView::updateRowHeight() {
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    const int height = itemDelegate()->sizeHint(option, QModelIndex()).height();
    verticalHeader()->setDefaultSectionSize(qMax(1, height));
}

} // namespace kw
