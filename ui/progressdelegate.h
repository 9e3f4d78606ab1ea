// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QStyledItemDelegate>

namespace kw {

// Paints the Progress column as a progress bar drawn by the style (so it
// looks native in every theme), with the model's text on it:
// - a known percentage fills the bar that far;
// - a session still working with no known total (borg while creating, rsync
//   before its file list is complete) gets the style's indeterminate, busy
//   bar: a filled-looking bar would claim more than we know;
// - anything else (a finished session that never knew its total) is plain
//   text.
class ProgressDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressDelegate)

public:
    explicit ProgressDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    // The role holding the percentage (0..100, negative when unknown).
    // SessionTableModel::PercentRole unless a test says otherwise.
    void setPercentRole(int role) { m_percentRole = role; }
    int percentRole() const { return m_percentRole; }
    // The role saying "working, total unknown" (SessionTableModel::BusyRole).
    void setBusyRole(int role) { m_busyRole = role; }
    int busyRole() const { return m_busyRole; }

private:
    int m_percentRole;
    int m_busyRole;
};

} // namespace kw
