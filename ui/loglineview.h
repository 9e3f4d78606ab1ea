// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QTableView>

namespace kw {

// The rows of a log pane: one line per row painted by LogLineDelegate in a
// monospace font, all rows the same height, one column as wide as the view,
// no headers, no grid.
//
// A table view and not a QListView, for a log of hundreds of thousands of
// lines: QListView places every row again (a position per row, even with
// uniform item sizes) whenever it scrolls to the newest line after rows were
// added. A table's rows are the sections of its vertical header, which with
// one fixed size computes a row's place instead of laying anything out, and
// screen readers still read it row by row.
//
// Home and End go to the first and the last line (in a table they would go
// to the first and the last column of the same row).
class LogLineView final : public QTableView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogLineView)

public:
    explicit LogLineView(QWidget *parent = nullptr);

protected:
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    void changeEvent(QEvent *event) override;

private:
    // Every row as high as the delegate says a line is in the view's font.
    void updateRowHeight();
};

} // namespace kw
