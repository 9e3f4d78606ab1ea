// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historysearch.h"

#include "history/historydatabase.h"

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

// The line without the marks, and where they were; nothing when the line
// itself holds one of the marks' characters.
std::optional<std::pair<QString, QList<std::pair<int, int>>>> unmark(const QString &marked) {
    QString line;
    line.reserve(marked.size());
    QList<std::pair<int, int>> matches;
    int start = -1;
    for (const QChar c : marked) {
        if (c == kOpen) {
            if (start >= 0)
                return std::nullopt;
            start = int(line.size());
        } else if (c == kClose) {
            if (start < 0)
                return std::nullopt;
            matches.append({start, int(line.size()) - start});
            start = -1;
        } else {
            line.append(c);
        }
    }
    if (start >= 0)
        return std::nullopt;
    return std::pair{line, matches};
}

} // namespace

std::optional<QString> HistorySearch::ftsQuery(const QString &typed, QString *error) {
    QStringList terms;
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
                terms << quotedForFts(phrase) + (prefix ? QStringLiteral(" *") : QString());
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
            terms << quotedForFts(term) + (prefix ? QStringLiteral(" *") : QString());
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
    return terms.join(QLatin1Char(' '));
}

std::optional<QList<SearchHit>> HistorySearch::run(HistoryDatabase &db, const SearchQuery &query,
                                                   QString *error) {
    const std::optional<QString> fts = ftsQuery(query.text, error);
    if (!fts)
        return std::nullopt;
    // Lines recorded but not indexed yet (the recorder indexes in bulk, a
    // little later; a crash may have left some) are found too.
    if (!db.indexPendingLogLines()) {
        if (error)
            *error = QStringLiteral("cannot search: %1").arg(db.errorString());
        return std::nullopt;
    }
    QString sql = QStringLiteral(
        "SELECT s.source, s.id, s.host, s.title, s.tool, s.state, l.seq, l.ts, l.level,"
        " highlight(log_search, 0, char(2), char(3)), l.msg"
        " FROM log_search JOIN log_lines l ON l.id = log_search.rowid"
        " JOIN sessions s ON s.pk = l.session"
        " WHERE log_search MATCH ?");
    QVariantList values{*fts};
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
    sql += QStringLiteral(" ORDER BY l.ts, l.id LIMIT ?");
    values << qMax(0, query.limit);
    QSqlQuery q(db.connection());
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        if (error)
            *error = QStringLiteral("cannot search %1: %2").arg(db.path(), q.lastError().text());
        return std::nullopt;
    }
    for (const QVariant &value : std::as_const(values))
        q.addBindValue(value);
    if (!q.exec()) {
        if (error)
            *error = QStringLiteral("cannot search %1: %2").arg(db.path(), q.lastError().text());
        return std::nullopt;
    }
    QList<SearchHit> hits;
    while (q.next()) {
        SearchHit hit;
        hit.key = {q.value(0).toString(), q.value(1).toString()};
        hit.host = q.value(2).toString();
        hit.title = q.value(3).toString();
        hit.tool = q.value(4).toString();
        hit.state = sessionStateFromString(q.value(5).toString()).value_or(SessionState::Running);
        hit.seq = q.value(6).toLongLong();
        hit.timestampMs = q.value(7).toLongLong();
        hit.level = LogLevel(qBound(0, q.value(8).toInt(), int(LogLevel::Count) - 1));
        if (auto unmarked = unmark(q.value(9).toString())) {
            hit.line = std::move(unmarked->first);
            hit.matches = std::move(unmarked->second);
        } else {
            hit.line = q.value(10).toString();
        }
        hits.append(std::move(hit));
    }
    return hits;
}

} // namespace kw
