// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "models/sessionfilter.h"

#include <QSortFilterProxyModel>
#include <functional>

namespace kw {

class SessionTableModel;

// Sorts on raw values (SortRole) and filters with a SessionFilter. Session
// tables hold thousands of rows, where QSortFilterProxyModel is fine (the
// log panes, with millions, have their own filter).
class SessionFilterProxy final : public QSortFilterProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionFilterProxy)

public:
    explicit SessionFilterProxy(SessionTableModel *source, QObject *parent = nullptr);

    void setFilter(const SessionFilter &filter);
    const SessionFilter &filter() const { return m_filter; }

    // "Now" for a running session's end in time-range filters: the clock,
    // unless a test fixes it.
    void setClock(std::function<qint64()> clock);

signals:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    // Numeric columns straight from the store (measured: sorting 100,000
    // rows through QVariants stalled the window's start for over a second).
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    SessionTableModel *m_sessions;
    SessionFilter m_filter;
    std::function<qint64()> m_clock;
};

} // namespace kw
