// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/sessionfilterproxy.h"

#include "models/sessiontablemodel.h"
#include "protocol/timestamp.h"

namespace kw {

SessionFilterProxy::SessionFilterProxy(SessionTableModel *source, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_sessions(source)
    , m_clock(&Timestamp::nowMs) {
    setSourceModel(source);
    setSortRole(SessionTableModel::SortRole);
    setDynamicSortFilter(true);
}

void SessionFilterProxy::setFilter(const SessionFilter &filter) {
    if (filter == m_filter)
        return;
    m_filter = filter;
    invalidateRowsFilter();
    emit filterChanged();
}

void SessionFilterProxy::setClock(std::function<qint64()> clock) {
    m_clock = std::move(clock);
    invalidateRowsFilter();
}

bool SessionFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &) const {
    return m_filter.matches(m_sessions->session(sourceRow), m_clock());
}

bool SessionFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const {
    if (const auto *model = qobject_cast<const SessionTableModel *>(sourceModel())) {
        const auto a = model->sortValue(left.row(), left.column());
        const auto b = model->sortValue(right.row(), right.column());
        if (a && b)
            return *a < *b;
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace kw
