// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/searchhitmodel.h"

#include <QDateTime>
#include <algorithm>

namespace kw {

SearchHitModel::SearchHitModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int SearchHitModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_hits.size());
}

int SearchHitModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SearchHitModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SearchHit &h = m_hits[size_t(index.row())];
    switch (role) {
    case TimestampRole:
        return h.timestampMs;
    case LevelRole:
        return int(h.level);
    case MessageRole:
        return h.line;
    case SequenceRole:
        return h.seq;
    case SourceRole:
        return h.key.source;
    case SessionIdRole:
        return h.key.id;
    case MatchRangesRole: {
        QList<TextRange> ranges;
        ranges.reserve(h.matches.size());
        for (const auto &[start, length] : h.matches)
            ranges.append({start, length});
        return QVariant::fromValue(ranges);
    }
    case Qt::ToolTipRole:
        if (index.column() == Session)
            return tr("%1\nSession %2 (%3)").arg(h.title, h.key.id, h.key.source);
        if (index.column() == Line)
            return h.line;
        return {};
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Time:
            return QDateTime::fromMSecsSinceEpoch(h.timestampMs)
                .toLocalTime()
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case Session:
            return h.title.isEmpty() ? h.key.id : h.title;
        case Host:
            return h.host;
        case Line:
            return h.line;
        case ColumnCount:
            break;
        }
        return {};
    default:
        return {};
    }
}

QVariant SearchHitModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Time:
        return tr("Time");
    case Session:
        return tr("Session");
    case Host:
        return tr("Host");
    case Line:
        return tr("Line");
    case ColumnCount:
        break;
    }
    return {};
}

void SearchHitModel::add(const QList<SearchHit> &hits) {
    for (const SearchHit &hit : hits) {
        // Mostly at the end: hits arrive about in time order.
        const auto at = std::upper_bound(
            m_hits.begin(), m_hits.end(), hit.timestampMs,
            [](qint64 ms, const SearchHit &other) { return ms < other.timestampMs; });
        const int row = int(at - m_hits.begin());
        beginInsertRows({}, row, row);
        m_hits.insert(at, hit);
        endInsertRows();
        m_sessions.insert(hit.key);
    }
}

void SearchHitModel::clear() {
    if (m_hits.empty())
        return;
    beginResetModel();
    m_hits.clear();
    m_sessions.clear();
    endResetModel();
}

} // namespace kw
