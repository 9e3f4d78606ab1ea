// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "history/historysearch.h"
#include "models/logmodel.h"

#include <QAbstractTableModel>
#include <vector>

namespace kw {

// The lines a search of the history found (Search All Logs), oldest first
// however they arrive: a search streams its hits in the order they were
// recorded, which is close to, but not quite, the order of their time.
//
// The Line column answers LogModel's roles (time, level, message, where
// the search matched), so the log pane's delegate paints it the same way.
class SearchHitModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SearchHitModel)

public:
    enum Column { Time, Session, Host, Line, ColumnCount };
    enum Role {
        TimestampRole = LogModel::TimestampRole,
        LevelRole = LogModel::LevelRole,
        MessageRole = LogModel::MessageRole,
        MatchRangesRole = LogModel::MatchRangesRole,
        SequenceRole = LogModel::SequenceRole,
        SourceRole = Qt::UserRole + 100, // the session's source
        SessionIdRole,                   // its ID
    };

    explicit SearchHitModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Each hit goes in at its place in time (after those of the same time).
    void add(const QList<SearchHit> &hits);
    void clear();
    // Precondition: 0 <= row < rowCount().
    const SearchHit &hit(int row) const { return m_hits[size_t(row)]; }
    // Distinct sessions among the hits.
    int sessionCount() const { return int(m_sessions.size()); }

private:
    std::vector<SearchHit> m_hits;
    QSet<SessionKey> m_sessions;
};

} // namespace kw
