#pragma once

#include "models/textmatcher.h"
#include "store/session.h"

#include <QAbstractListModel>
#include <bitset>
#include <vector>

namespace kw {

class LogBuffer;
class SessionStore;
struct StoreChange;

// One session's log lines as list rows, filtered by level and text.
//
// The filter is an index vector (the sequence numbers of the visible lines)
// rebuilt by a plain scan: measured at ~60 ms for 2M lines where
// QSortFilterProxyModel took 1.2 s to filter and 23 s to clear.
// New lines arrive once per store change (one beginInsertRows per tick);
// lines the buffer evicted leave from the top in one beginRemoveRows.
// An inactive model (its pane hidden) does no work and catches up from its
// last sequence number when activated again.
class LogModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogModel)

public:
    enum Role {
        TimestampRole = Qt::UserRole + 1, // qint64 ms since the epoch
        LevelRole,                        // int(LogLevel)
        SequenceRole,                     // qint64
        MessageRole                       // the message alone (DisplayRole adds time and level)
    };

    LogModel(SessionStore *store, const SessionKey &key, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setLevelEnabled(LogLevel level, bool enabled);
    bool isLevelEnabled(LogLevel level) const { return m_levels.test(size_t(level)); }
    // Case-insensitive substring, or a regular expression on request.
    // Returns false (and keeps the old filter) when the expression is invalid.
    bool setSearch(const QString &text, bool regularExpression = false);
    QString searchError() const { return m_searchError; }

    void setActive(bool active);
    bool isActive() const { return m_active; }

    const SessionKey &sessionKey() const { return m_key; }
    // Lines the session has that this model shows / holds.
    qint64 totalLines() const;

private:
    void onStoreChanged(const StoreChange &change);
    void catchUp();
    void rebuild();
    bool accepts(qint64 seq) const;
    const LogBuffer *buffer() const;

    SessionStore *m_store;
    SessionKey m_key;
    int m_row = -1;                // the session's row in the store, once it exists
    std::vector<qint64> m_visible; // sequence numbers of the shown lines, ascending
    qint64 m_seenSeq = 0;          // lines below this were considered
    std::bitset<size_t(LogLevel::Count)> m_levels;
    TextMatcher m_search;
    QString m_searchError;
    bool m_active = true;
};

} // namespace kw
