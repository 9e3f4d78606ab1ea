#include "models/sessionfilterproxy.h"

#include "models/sessiontablemodel.h"

namespace kw {

SessionFilterProxy::SessionFilterProxy(SessionTableModel *source, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_sessions(source) {
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

bool SessionFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &) const {
    return m_filter.matches(m_sessions->session(sourceRow));
}

} // namespace kw
