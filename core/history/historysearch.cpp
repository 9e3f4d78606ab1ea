// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historysearch.h"

#include "history/historydatabase.h"
#include "history/searchmarks.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>
#include <algorithm>

namespace kw {

namespace {

// FTS5's highlight() marks, chosen from the control characters a log line
// is least likely to carry; a line that does carry them gets no marks.
constexpr QChar kOpen = QChar(0x02);
constexpr QChar kClose = QChar(0x03);

// A term FTS5's tokenizer (unicode61) has something to index in.
bool hasToken(QStringView term) {
    return std::any_of(term.begin(), term.end(), [](QChar c) { return c.isLetterOrNumber(); });
}

QString quotedForFts(QStringView term) {
    QString quoted = term.toString();
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

// Where highlight() marked the line (offsets in the line without the
// marks); nothing when the line itself holds one of the marks' characters.
std::optional<QList<std::pair<int, int>>> unmark(const QString &marked) {
    QList<std::pair<int, int>> matches;
    int length = 0; // of the line so far, without the marks
    int start = -1;
    for (const QChar c : marked) {
        if (c == kOpen) {
            if (start >= 0)
                return std::nullopt;
            start = length;
        } else if (c == kClose) {
            if (start < 0)
                return std::nullopt;
            matches.append({start, length - start});
            start = -1;
        } else {
            ++length;
        }
    }
    if (start >= 0)
        return std::nullopt;
    return matches;
}

// The FTS5 expression of the terms: each a quoted string, ANDed.
QString ftsExpression(const QList<SearchTerm> &terms) {
    QStringList quoted;
    for (const SearchTerm &term : terms)
        quoted << quotedForFts(term.phrase) + (term.prefix ? QStringLiteral(" *") : QString());
    return quoted.join(QLatin1Char(' '));
}

} // namespace

std::optional<QList<SearchTerm>> HistorySearch::terms(const QString &typed, QString *error) {
    QList<SearchTerm> terms;
    qsizetype i = 0;
    const qsizetype n = typed.size();
    while (i < n) {
        if (typed[i].isSpace()) {
            ++i;
            continue;
        }
        if (typed[i] == QLatin1Char('"')) {
            const qsizetype close = typed.indexOf(QLatin1Char('"'), i + 1);
            if (close < 0) {
                if (error)
                    *error = QStringLiteral("the quote at column %1 is not closed").arg(i + 1);
                return std::nullopt;
            }
            const QStringView phrase = QStringView(typed).sliced(i + 1, close - i - 1);
            bool prefix = close + 1 < n && typed[close + 1] == QLatin1Char('*');
            if (hasToken(phrase))
                terms.append({phrase.toString(), prefix});
            i = close + (prefix ? 2 : 1);
            continue;
        }
        qsizetype end = i;
        while (end < n && !typed[end].isSpace() && typed[end] != QLatin1Char('"'))
            ++end;
        QStringView term = QStringView(typed).sliced(i, end - i);
        const bool prefix = term.endsWith(QLatin1Char('*'));
        while (term.endsWith(QLatin1Char('*')))
            term.chop(1);
        if (hasToken(term))
            terms.append({term.toString(), prefix});
        i = end;
    }
    if (terms.isEmpty()) {
        if (error)
            *error = typed.trimmed().isEmpty()
                         ? QStringLiteral("nothing to search for")
                         : QStringLiteral("nothing to search for in %1: no letter or digit")
                               .arg(quotedForFts(typed.trimmed()));
        return std::nullopt;
    }
    return terms;
}

std::optional<QString> HistorySearch::ftsQuery(const QString &typed, QString *error) {
    const std::optional<QList<SearchTerm>> parsed = terms(typed, error);
    if (!parsed)
        return std::nullopt;
    return ftsExpression(*parsed);
}

std::optional<QList<SearchHit>> HistorySearch::run(HistoryDatabase &db, const SearchQuery &query,
                                                   QString *error) {
    QList<SearchHit> hits;
    const bool ok = forEach(
        db, query, Order::ByTime,
        [&hits](SearchHit &&hit) {
            hits.append(std::move(hit));
            return true;
        },
        error);
    if (!ok)
        return std::nullopt;
    return hits;
}

bool HistorySearch::forEach(HistoryDatabase &db, const SearchQuery &query, Order order,
                            const std::function<bool(SearchHit &&)> &hit, QString *error,
                            const std::function<bool()> &stopped) {
    const std::optional<QList<SearchTerm>> parsed = terms(query.text, error);
    if (!parsed)
        return false;
    const QString fts = ftsExpression(*parsed);
    const SearchMarks marks(*parsed);
    // Lines recorded but not indexed yet (the recorder indexes in bulk, a
    // little later; a crash may have left some) are found too.
    if (!db.indexPendingLogLines()) {
        if (error)
            *error = QStringLiteral("cannot search %1: %2").arg(db.path(), db.errorString());
        return false;
    }
    const auto failed = [&](const QSqlQuery &q) {
        if (error)
            *error = QStringLiteral("cannot search %1: %2").arg(db.path(), q.lastError().text());
        return false;
    };
    // The session's fields come once per session (sessionOf), not with
    // every line: a common word matches millions of lines of a few
    // thousand sessions.
    QString sql = QStringLiteral("SELECT l.id, l.session, l.seq, l.ts, l.level, l.msg"
                                 " FROM log_search JOIN log_lines l ON l.id = log_search.rowid"
                                 " JOIN sessions s ON s.pk = l.session"
                                 " WHERE log_search MATCH ?");
    QVariantList values{fts};
    if (query.fromMs) {
        sql += QStringLiteral(" AND l.ts >= ?");
        values << *query.fromMs;
    }
    if (query.toMs) {
        sql += QStringLiteral(" AND l.ts < ?");
        values << *query.toMs;
    }
    if (!query.host.isEmpty()) {
        sql += QStringLiteral(" AND s.host = ?");
        values << query.host;
    }
    if (!query.tool.isEmpty()) {
        sql += QStringLiteral(" AND s.tool = ?");
        values << query.tool;
    }
    if (query.state) {
        sql += QStringLiteral(" AND s.state = ?");
        values << QString(wireName(*query.state));
    }
    // The set of sessions is checked row by row below, so a limit in SQL
    // would count lines the set then drops.
    const bool limitInSql = !query.sessions;
    sql += order == Order::ByTime ? QStringLiteral(" ORDER BY l.ts, l.id")
                                  : QStringLiteral(" ORDER BY log_search.rowid");
    if (limitInSql) {
        sql += QStringLiteral(" LIMIT ?");
        values << qMax(0, query.limit);
    }
    QSqlQuery q(db.connection());
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return failed(q);
    for (const QVariant &value : std::as_const(values))
        q.addBindValue(value);
    if (!q.exec())
        return failed(q);

    struct SessionFields {
        SessionKey key;
        QString host, title, tool;
        SessionState state = SessionState::Running;
    };
    QHash<qint64, SessionFields> sessions;
    QSqlQuery sessionQuery(db.connection());
    sessionQuery.setForwardOnly(true);
    if (!sessionQuery.prepare(QStringLiteral(
            "SELECT source, id, host, title, tool, state FROM sessions WHERE pk = ?")))
        return failed(sessionQuery);
    const auto sessionOf = [&](qint64 pk) -> const SessionFields * {
        auto it = sessions.constFind(pk);
        if (it != sessions.cend())
            return &*it;
        sessionQuery.addBindValue(pk);
        if (!sessionQuery.exec() || !sessionQuery.next())
            return nullptr;
        SessionFields fields;
        fields.key = {sessionQuery.value(0).toString(), sessionQuery.value(1).toString()};
        fields.host = sessionQuery.value(2).toString();
        fields.title = sessionQuery.value(3).toString();
        fields.tool = sessionQuery.value(4).toString();
        fields.state = sessionStateFromString(sessionQuery.value(5).toString())
                           .value_or(SessionState::Running);
        sessionQuery.finish();
        return &*sessions.insert(pk, fields);
    };
    // SQLite's own marks, for a line SearchMarks reads differently.
    QSqlQuery highlight(db.connection());
    highlight.setForwardOnly(true);
    if (!highlight.prepare(
            QStringLiteral("SELECT highlight(log_search, 0, char(2), char(3))"
                           " FROM log_search WHERE log_search MATCH ? AND rowid = ?")))
        return failed(highlight);

    int count = 0;
    for (qint64 rows = 0; count < query.limit && q.next(); ++rows) {
        if (stopped && rows % 256 == 0 && stopped())
            return true;
        const SessionFields *session = sessionOf(q.value(1).toLongLong());
        if (!session)
            return failed(sessionQuery);
        if (query.sessions && !query.sessions->contains(session->key))
            continue;
        SearchHit found;
        found.key = session->key;
        found.host = session->host;
        found.title = session->title;
        found.tool = session->tool;
        found.state = session->state;
        found.seq = q.value(2).toLongLong();
        found.timestampMs = q.value(3).toLongLong();
        found.level = LogLevel(qBound(0, q.value(4).toInt(), int(LogLevel::Count) - 1));
        found.line = q.value(5).toString();
        if (auto ranges = marks.in(found.line)) {
            found.matches = std::move(*ranges);
        } else {
            highlight.addBindValue(fts);
            highlight.addBindValue(q.value(0));
            if (highlight.exec() && highlight.next())
                if (auto sqliteMarks = unmark(highlight.value(0).toString()))
                    found.matches = std::move(*sqliteMarks);
            highlight.finish();
        }
        ++count;
        if (!hit(std::move(found)))
            return true;
    }
    if (q.lastError().isValid())
        return failed(q);
    return true;
}

} // namespace kw
