// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "models/textmatcher.h"
#include "store/logbuffer.h"
#include "store/session.h"

#include <QAbstractListModel>
#include <bitset>
#include <vector>

namespace kw {

class SessionStore;
struct StoreChange;

// A copy of log lines that no longer depends on the buffer (which keeps
// changing on the GUI thread), for a worker thread to format and write.
// One array holds all the text: copying 100,000 lines is one memcpy each.
struct LogLines {
    struct Line {
        qint64 timestampMs = 0;
        LogLevel level = LogLevel::Info;
        qsizetype offset = 0;
        qsizetype length = 0;
    };
    QByteArray text;
    std::vector<Line> lines;

    QByteArrayView textOf(const Line &line) const {
        return QByteArrayView(text.constData() + line.offset, line.length);
    }
};

// One session's log lines as list rows, filtered by level and text, with a
// search whose matches are highlighted and stepped through.
//
// The filter is an index vector (the sequence numbers of the visible lines)
// rebuilt by a scan of the buffer's blocks (an ASCII search runs over a
// block's text at once): ~40 ms for 2M lines where QSortFilterProxyModel
// took 1.2 s to filter and 23 s to clear.
// New lines arrive once per store change (one beginInsertRows per tick),
// at most kLinesPerTurn of them per turn of the event loop: a finished
// session's 500,000 lines read from the history come in 8 inserts, so that
// neither the index vector nor the view's rows stall the window (one insert
// of them all took ~45 ms). Lines the buffer evicted leave from the top in
// one beginRemoveRows.
// An inactive model (its pane hidden) does no work and catches up from its
// last sequence number when activated again.
//
// The search pattern either filters ("only matching lines") or only marks
// lines: the sequence numbers of the shown lines that match are a second
// vector, so "3 of 1,204" and next/previous are binary searches in it, never
// a walk over rows or widgets, however long the log.
class LogModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogModel)

public:
    // The most lines considered for insertion in one turn of the event loop.
    static constexpr qint64 kLinesPerTurn = 65536;

    enum Role {
        TimestampRole = Qt::UserRole + 1, // qint64 ms since the epoch
        LevelRole,                        // int(LogLevel)
        SequenceRole,                     // qint64
        MessageRole,                      // the message alone (DisplayRole adds time and level)
        MatchRangesRole, // QList<TextRange>: where the search matches in MessageRole
        MatchRole        // bool: the line matches a (non-empty) search
    };

    LogModel(SessionStore *store, const SessionKey &key, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setLevelEnabled(LogLevel level, bool enabled);
    bool isLevelEnabled(LogLevel level) const { return m_levels.test(size_t(level)); }
    // Case-insensitive substring, or a regular expression on request.
    // Returns false (and keeps the old search) when the expression is invalid.
    bool setSearch(const QString &text, bool regularExpression = false);
    QString searchError() const { return m_searchError; }
    bool hasSearch() const { return !m_search.isEmpty(); }
    // Shows only the lines that match the search (all lines while it is empty).
    void setMatchingOnly(bool matchingOnly);
    bool isMatchingOnly() const { return m_matchingOnly; }

    // Shown lines that match the search (0 without one).
    int matchCount() const { return int(m_matches.size()); }
    // 1 for the first matching row, matchCount() for the last; 0 when `row`
    // does not match.
    int matchNumber(int row) const;
    // The next matching row after `row` (before it when !forward), wrapping
    // around at either end; from row -1 the first (or last) match. -1 when
    // nothing matches.
    int nextMatch(int row, bool forward = true) const;

    // The row that shows the line with this sequence number, or -1 when no
    // row does (not held, or hidden by a level or "only matching").
    int rowOfSequence(qint64 seq) const;

    // A copy of the shown lines, for saving them off the GUI thread.
    LogLines copyLines() const;

    void setActive(bool active);
    bool isActive() const { return m_active; }

    const SessionKey &sessionKey() const { return m_key; }
    // Lines the session has that this model shows / holds.
    qint64 totalLines() const;

signals:
    // The matches changed: a new search, lines that came or went.
    void matchesChanged();

private:
    void onStoreChanged(const StoreChange &change);
    void catchUp();
    void rebuild();
    void rebuildMatches();
    int rowOf(qint64 seq) const;
    // Calls `f(seq, matches)` for each line in [from, to) of a shown level,
    // in order; `matches` says whether the search (if any) matches it.
    template<typename F>
    void scan(qint64 from, qint64 to, F &&f) const;
    void markMatches(const LogBuffer::Run &run, std::vector<char> &matched) const;
    // Whether a line of a shown level is visible, given whether it matches.
    bool showsLine(bool match) const { return match || !m_matchingOnly || m_search.isEmpty(); }
    const LogBuffer *buffer() const;

    SessionStore *m_store;
    SessionKey m_key;
    int m_row = -1;                // the session's row in the store, once it exists
    std::vector<qint64> m_visible; // sequence numbers of the shown lines, ascending
    std::vector<qint64> m_matches; // those of them that match the search, ascending
    qint64 m_seenSeq = 0;          // lines below this were considered
    std::bitset<size_t(LogLevel::Count)> m_levels;
    TextMatcher m_search;
    QString m_searchError;
    bool m_matchingOnly = false;
    bool m_active = true;
    bool m_catchUpPending = false; // the rest of a long catch-up is queued
};

} // namespace kw
