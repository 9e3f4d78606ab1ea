// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/hostmodel.h"

#include "fleet/remotespools.h"
#include "format/format.h"
#include "store/sessionstore.h"

#include <QHash>
#include <algorithm>

namespace kw {

QList<HostRow> HostRow::count(const QList<HostPresence> &presences, const SessionStore &store) {
    QHash<QString, qsizetype> bySource;
    QList<HostRow> rows;
    rows.reserve(presences.size());
    for (const HostPresence &p : presences) {
        bySource.insert(RemoteSpools::identityFor(p.host), rows.size());
        rows << HostRow{p, 0, 0};
    }
    for (int i = 0; i < store.count(); ++i) {
        const Session &s = store.at(i);
        const auto it = bySource.constFind(s.key.source);
        if (it == bySource.cend())
            continue;
        HostRow &row = rows[*it];
        if (s.state == SessionState::Running)
            ++row.running;
        else if (s.state == SessionState::Failed || s.state == SessionState::Interrupted)
            ++row.failed;
    }
    return rows;
}

HostModel::HostModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int HostModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HostModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HostModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HostRow &r = m_rows.at(index.row());
    const HostPresence &p = r.presence;
    const bool known = p.sinceMs > 0;
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Host:
            return p.host;
        case Status:
            if (!known)
                return tr("unknown");
            return (p.online ? tr("online since %1") : tr("offline since %1"))
                .arg(Format::dateTime(p.sinceMs));
        case LastSeen:
            return p.lastSeenMs > 0 ? Format::dateTime(p.lastSeenMs) : QStringLiteral("-");
        case Running:
            // Nobody knows how an offline host's runs are doing.
            if (r.running > 0 && known && !p.online)
                return tr("%1 unknown since %2").arg(r.running).arg(Format::dateTime(p.sinceMs));
            return r.running;
        case Failed:
            return r.failed;
        case Agent:
            return p.agentVersion.isEmpty() ? QStringLiteral("-") : p.agentVersion;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Status && !known)
            return tr("No status from this host's agent has been recorded here");
        if (index.column() == Running && r.running > 0 && known && !p.online)
            return tr("The host went offline while these ran: their end is not known yet");
        return {};
    case OnlineRole:
        return p.online;
    default:
        return {};
    }
}

QVariant HostModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Host:
        return tr("Host");
    case Status:
        return tr("Status");
    case LastSeen:
        return tr("Last seen");
    case Running:
        return tr("Running");
    case Failed:
        return tr("Failed");
    case Agent:
        return tr("Agent");
    case ColumnCount:
        break;
    }
    return {};
}

void HostModel::setRows(const QList<HostRow> &rows) {
    QHash<QString, bool> wasOnline;
    for (const HostRow &r : std::as_const(m_rows))
        wasOnline.insert(r.presence.host, r.presence.online);
    bool sameHosts = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameHosts && i < rows.size(); ++i)
        sameHosts = rows[i].presence.host == m_rows[i].presence.host;
    if (sameHosts) {
        m_rows = rows;
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    } else {
        beginResetModel();
        m_rows = rows;
        endResetModel();
    }
    for (const HostRow &r : std::as_const(m_rows)) {
        if (wasOnline.value(r.presence.host, false) && !r.presence.online && r.running > 0)
            emit wentOfflineWhileRunning(r);
    }
}

int HostModel::onlineCount() const {
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(),
                             [](const HostRow &r) { return r.presence.online; }));
}

const HostPresence *HostModel::presenceOf(const QString &host) const {
    for (const HostRow &r : m_rows) {
        if (r.presence.host == host)
            return &r.presence;
    }
    return nullptr;
}

} // namespace kw
