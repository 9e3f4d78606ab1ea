// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QTableView>

class QAction;
class QMenu;

namespace kw {

// The session table as the user works with it: SessionTableModel's columns
// (through any proxies that keep them) with the progress bar delegate,
// sensible default widths and hidden columns, sorting on raw values, the
// session IDs copyable (Ctrl+C, "Copy Session ID" in the context menu), and
// a header menu to show or hide columns. The layout (order, widths, hidden
// columns, sort column) round-trips through saveLayout()/restoreLayout().
class SessionTableView final : public QTableView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionTableView)

public:
    explicit SessionTableView(QWidget *parent = nullptr);

    // Also lays the columns out as a first start shows them.
    void setModel(QAbstractItemModel *model) override;

    // The IDs of the selected rows, top to bottom as shown (the current
    // row's when nothing is selected).
    QStringList selectedSessionIds() const;
    QAction *copyIdAction() const { return m_copyId; }

    // What the header's context menu shows: one check per column, and a
    // reset. The caller owns the menu.
    QMenu *createColumnMenu(QWidget *parent);

    // Header state with a version and the column count: a layout saved
    // before columns were added or removed is ignored, not misapplied.
    QByteArray saveLayout() const;
    bool restoreLayout(const QByteArray &layout);
    // Widths, order, visibility and sort as on a first start.
    void resetLayout();

signals:
    void idsCopied(int count);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void copySelectedIds();

    QAction *m_copyId = nullptr;
};

} // namespace kw
