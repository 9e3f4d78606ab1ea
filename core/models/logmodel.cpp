// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/logmodel.h"

#include "store/sessionstore.h"

#include <QDateTime>
#include <QTimer>
#include <algorithm>

namespace kw {

LogModel::LogModel(SessionStore *store, const SessionKey &key, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
    , m_key(key)
    , m_row(store->indexOf(key)) {
    m_levels.set();
    connect(store, &SessionStore::changed, this, &LogModel::onStoreChanged);
    rebuild();
}

const LogBuffer *LogModel::buffer() const {
    return m_row >= 0 ? &m_store->log(m_row) : nullptr;
}

qint64 LogModel::totalLines() const {
    const LogBuffer *log = buffer();
    return log ? log->size() : 0;
}

int LogModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_visible.size());
}

QVariant LogModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogBuffer *log = buffer();
    const qint64 seq = m_visible[size_t(index.row())];
    if (!log || seq < log->firstSeq() || seq >= log->endSeq())
        return {}; // evicted, and the removal is queued behind this call
    const LogBuffer::Line line = log->line(seq);
    switch (role) {
    case Qt::DisplayRole:
        // QStrings are built only for the rows a view asks for.
        return QString(QDateTime::fromMSecsSinceEpoch(line.timestampMs)
                           .toLocalTime()
                           .toString(QStringLiteral("HH:mm:ss.zzz"))
                       + QLatin1Char(' ') + QString(wireName(line.level)).toUpper().leftJustified(7)
                       + QLatin1Char(' ') + QString::fromUtf8(line.text));
    case MessageRole:
        return QString::fromUtf8(line.text);
    case TimestampRole:
        return line.timestampMs;
    case LevelRole:
        return int(line.level);
    case SequenceRole:
        return seq;
    case MatchRangesRole:
        return QVariant::fromValue(m_search.ranges(QString::fromUtf8(line.text)));
    case MatchRole:
        return !m_search.isEmpty() && m_search.matches(line.text);
    default:
        return {};
    }
}

void LogModel::setLevelEnabled(LogLevel level, bool enabled) {
    if (m_levels.test(size_t(level)) == enabled)
        return;
    m_levels.set(size_t(level), enabled);
    rebuild();
}

bool LogModel::setSearch(const QString &text, bool regularExpression) {
    TextMatcher matcher(text, regularExpression);
    if (!matcher.isValid()) {
        m_searchError = matcher.errorString();
        return false;
    }
    m_searchError.clear();
    m_search = std::move(matcher);
    if (m_matchingOnly) {
        rebuild();
        return true;
    }
    // Only the marks change: no reset, the view keeps its place.
    rebuildMatches();
    if (!m_visible.empty())
        emit dataChanged(index(0), index(rowCount() - 1), {MatchRangesRole, MatchRole});
    return true;
}

void LogModel::setMatchingOnly(bool matchingOnly) {
    if (m_matchingOnly == matchingOnly)
        return;
    m_matchingOnly = matchingOnly;
    // Without a search every line is shown either way.
    if (!m_search.isEmpty())
        rebuild();
}

void LogModel::setActive(bool active) {
    if (m_active == active)
        return;
    m_active = active;
    if (m_active)
        catchUp();
}

int LogModel::rowOf(qint64 seq) const {
    return int(std::lower_bound(m_visible.begin(), m_visible.end(), seq) - m_visible.begin());
}

int LogModel::rowOfSequence(qint64 seq) const {
    const int row = rowOf(seq);
    return row < rowCount() && m_visible[size_t(row)] == seq ? row : -1;
}

int LogModel::matchNumber(int row) const {
    if (row < 0 || row >= rowCount())
        return 0;
    const qint64 seq = m_visible[size_t(row)];
    const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), seq);
    return it != m_matches.end() && *it == seq ? int(it - m_matches.begin()) + 1 : 0;
}

int LogModel::nextMatch(int row, bool forward) const {
    if (m_matches.empty())
        return -1;
    const bool fromRow = row >= 0 && row < rowCount();
    qint64 seq = 0;
    if (forward) {
        auto it = fromRow
                      ? std::upper_bound(m_matches.begin(), m_matches.end(), m_visible[size_t(row)])
                      : m_matches.begin();
        seq = it == m_matches.end() ? m_matches.front() : *it;
    } else {
        auto it = fromRow
                      ? std::lower_bound(m_matches.begin(), m_matches.end(), m_visible[size_t(row)])
                      : m_matches.end();
        seq = it == m_matches.begin() ? m_matches.back() : *std::prev(it);
    }
    return rowOf(seq);
}

LogLines LogModel::copyLines() const {
    LogLines out;
    const LogBuffer *log = buffer();
    if (!log)
        return out;
    out.lines.reserve(m_visible.size());
    qsizetype bytes = 0;
    for (qint64 seq : m_visible)
        bytes += log->line(seq).text.size();
    out.text.reserve(bytes);
    for (qint64 seq : m_visible) {
        const LogBuffer::Line line = log->line(seq);
        out.lines.push_back({line.timestampMs, line.level, out.text.size(), line.text.size()});
        out.text.append(line.text);
    }
    return out;
}

// Which lines of a run the search matches, into `matched` (one flag per line).
void LogModel::markMatches(const LogBuffer::Run &run, std::vector<char> &matched) const {
    matched.assign(size_t(run.count()), 0);
    // Most logs are ASCII: checked once for the run (Qt's vectorised check),
    // a regular expression then skips PCRE2's UTF-8 check on every line.
    const Utf8Regex::Text checked =
        !m_search.searchesBytes()
                && QtPrivate::isAscii(QLatin1StringView(run.text().data(), run.text().size()))
            ? Utf8Regex::Text::ValidUtf8
            : Utf8Regex::Text::Unchecked;
    if (const LiteralFilter *literals = m_search.prefilter()) {
        // A regular expression: the whole run is searched for the literal
        // text it needs, and only the lines that hold some go to PCRE2. A
        // hit that runs over a line's end makes its line a candidate that
        // the expression then turns down; the search goes on after the line.
        LiteralFilter::Scan scan(*literals, run.text());
        int line = 0;
        for (qsizetype from = 0;;) {
            const qsizetype hit = scan.next(from);
            if (hit < 0)
                return;
            line = run.lineAt(hit, line);
            matched[size_t(line)] = m_search.matches(run.line(line), checked);
            from = std::max(run.lineEnd(line), hit + 1);
        }
    }
    if (!m_search.searchesBytes()) {
        for (int i = 0; i < run.count(); ++i)
            matched[size_t(i)] = m_search.matches(run.line(i), checked);
        return;
    }
    // The whole run at once; a hit that runs over a line's end spans two
    // lines and does not count, so the search goes on from its next byte.
    const QByteArrayView text = run.text();
    const qsizetype length = m_search.byteLength();
    int line = 0;
    for (qsizetype from = 0;;) {
        const qsizetype hit = m_search.indexIn(text, from);
        if (hit < 0)
            return;
        line = run.lineAt(hit, line);
        if (hit + length <= run.lineEnd(line)) {
            matched[size_t(line)] = 1;
            from = run.lineEnd(line); // one match is enough for a line
        } else {
            from = hit + 1;
        }
    }
}

template<typename F>
void LogModel::scan(qint64 from, qint64 to, F &&f) const {
    const LogBuffer *log = buffer();
    if (!log)
        return;
    const bool search = !m_search.isEmpty();
    const bool allLevels = m_levels.all();
    std::vector<char> matched;
    log->forEachRun(from, to, [&](const LogBuffer::Run &run) {
        if (search)
            markMatches(run, matched);
        for (int i = 0; i < run.count(); ++i) {
            if (allLevels || m_levels.test(size_t(run.level(i))))
                f(run.firstSeq() + i, search && matched[size_t(i)]);
        }
    });
}

void LogModel::rebuild() {
    beginResetModel();
    m_visible.clear();
    m_matches.clear();
    if (m_row < 0)
        m_row = m_store->indexOf(m_key);
    if (const LogBuffer *log = buffer()) {
        const bool filtering = !m_levels.all() || (m_matchingOnly && !m_search.isEmpty());
        m_visible.reserve(size_t(filtering ? log->size() / 8 : log->size()));
        scan(log->firstSeq(), log->endSeq(), [this](qint64 seq, bool match) {
            if (showsLine(match)) {
                m_visible.push_back(seq);
                if (match)
                    m_matches.push_back(seq);
            }
        });
        m_seenSeq = log->endSeq();
    }
    endResetModel();
    emit matchesChanged();
}

void LogModel::rebuildMatches() {
    m_matches.clear();
    // Without "only matching" every line of a shown level is visible, up to
    // the last one considered (evicted ones cannot be read any more).
    if (const LogBuffer *log = buffer(); log && !m_search.isEmpty()) {
        scan(log->firstSeq(), m_seenSeq, [this](qint64 seq, bool match) {
            if (match)
                m_matches.push_back(seq);
        });
    }
    emit matchesChanged();
}

void LogModel::onStoreChanged(const StoreChange &change) {
    if (m_row < 0) {
        m_row = m_store->indexOf(m_key);
        if (m_row < 0)
            return;
    }
    if (m_active && std::binary_search(change.logRows.cbegin(), change.logRows.cend(), m_row))
        catchUp();
}

void LogModel::catchUp() {
    const LogBuffer *log = buffer();
    if (!log)
        return;
    bool matchesMoved = false;
    // Lines the buffer evicted leave from the top, in one signal.
    const auto firstKept = std::lower_bound(m_visible.begin(), m_visible.end(), log->firstSeq());
    const auto evicted = int(firstKept - m_visible.begin());
    if (evicted > 0) {
        beginRemoveRows({}, 0, evicted - 1);
        m_visible.erase(m_visible.begin(), firstKept);
        const auto firstMatch =
            std::lower_bound(m_matches.begin(), m_matches.end(), log->firstSeq());
        matchesMoved = firstMatch != m_matches.begin();
        m_matches.erase(m_matches.begin(), firstMatch);
        endRemoveRows();
    }
    // New lines arrive at the bottom, in one signal per turn of the event
    // loop. A buffer that filled from empty in one go (a finished session's
    // lines read from the history) is just a large batch of new lines, taken
    // kLinesPerTurn at a time; the rest is queued.
    const qint64 from = std::max(m_seenSeq, log->firstSeq());
    const qint64 to = std::min(log->endSeq(), from + kLinesPerTurn);
    if (log->endSeq() - from > kLinesPerTurn)
        m_visible.reserve(m_visible.size() + size_t(log->endSeq() - from)); // once, not per turn
    std::vector<qint64> added;
    added.reserve(size_t(to - from));
    const size_t matchesBefore = m_matches.size();
    scan(from, to, [&](qint64 seq, bool match) {
        if (showsLine(match)) {
            added.push_back(seq);
            if (match)
                m_matches.push_back(seq);
        }
    });
    m_seenSeq = to;
    matchesMoved = matchesMoved || m_matches.size() != matchesBefore;
    if (!added.empty()) {
        const int first = int(m_visible.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_visible.insert(m_visible.end(), added.begin(), added.end());
        endInsertRows();
    }
    if (matchesMoved)
        emit matchesChanged();
    if (to < log->endSeq() && !m_catchUpPending) {
        m_catchUpPending = true;
        QTimer::singleShot(0, this, [this] {
            m_catchUpPending = false;
            if (m_active)
                catchUp();
        });
    }
}

} // namespace kw
