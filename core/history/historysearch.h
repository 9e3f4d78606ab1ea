// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "history/searchmarks.h"
#include "protocol/sessiontypes.h"
#include "store/session.h"

#include <QList>
#include <QSet>
#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace kw {

class HistoryDatabase;

// Searching every log line the history holds (issue 18), through its FTS5
// index (log_search). What a person types is never handed to FTS5 as it
// is, where a stray quote, a slash or a hyphen is a syntax error: each term
// becomes a quoted FTS5 string, which FTS5 splits as it split the lines.
//
// - words match anywhere in a line, every term must match (AND);
// - "a phrase" matches its words one after the other;
// - a term ending in * matches as a prefix (IMG_22* finds IMG_2231.jpg);
// - a path or any term with punctuation is the phrase of its parts, so
//   /srv/data/photos/2024 finds the lines that name it (and data/photos
//   finds them too).
struct SearchQuery {
    QString text;                 // as typed
    std::optional<qint64> fromMs; // lines at or after (UTC ms)
    std::optional<qint64> toMs;   // lines before
    QString host;                 // exact; empty: any
    QString tool;
    std::optional<SessionState> state;
    // Only lines of these sessions (null: of any). The window passes the
    // sessions its filter bar lets through, so the search applies the very
    // filter the table does, whatever it is made of.
    std::shared_ptr<const QSet<SessionKey>> sessions;
    int limit = 100;
};

struct SearchHit {
    SessionKey key;
    QString host;
    QString title;
    QString tool;
    SessionState state = SessionState::Running;
    qint64 seq = 0; // the line's place in its session's log
    qint64 timestampMs = 0;
    LogLevel level = LogLevel::Info;
    QString line;
    // What matched: [start, start + length) in `line` (UTF-16 units).
    QList<std::pair<int, int>> matches;
};

class HistorySearch final {
public:
    // What was typed, as terms; none, with `error` in words, when it cannot
    // be searched for.
    static std::optional<QList<SearchTerm>> terms(const QString &typed, QString *error);
    // The FTS5 expression for what was typed; none, with `error` in words
    // ("the quote at column 7 is not closed"), when it cannot be one.
    static std::optional<QString> ftsQuery(const QString &typed, QString *error);

    // The matching lines, oldest first, at most query.limit; none, with
    // `error`, when the query is malformed or the database fails.
    static std::optional<QList<SearchHit>> run(HistoryDatabase &db, const SearchQuery &query,
                                               QString *error);

    // The order hits are wanted in. By time needs every match before the
    // first can be returned (a sort); as recorded (the order the lines
    // entered the history, close to their time order) streams: the first
    // hit of a common word over millions of lines comes at once.
    enum class Order { ByTime, AsRecorded };
    // Calls `hit` with each matching line, at most query.limit of them, until
    // it returns false or `stopped` (asked between rows, also those the set
    // of sessions drops) returns true: a search the user stopped. False, with
    // `error`, when the query is malformed or the database fails.
    static bool forEach(HistoryDatabase &db, const SearchQuery &query, Order order,
                        const std::function<bool(SearchHit &&)> &hit, QString *error,
                        const std::function<bool()> &stopped = {});
};

} // namespace kw
Q_DECLARE_METATYPE(kw::SearchHit)
