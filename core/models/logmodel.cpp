#include "models/logmodel.h"

#include "store/sessionstore.h"

#include <QDateTime>
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
    default:
        return {};
    }
}

bool LogModel::accepts(qint64 seq) const {
    const LogBuffer::Line line = buffer()->line(seq);
    return m_levels.test(size_t(line.level)) && m_search.matches(line.text);
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
    rebuild();
    return true;
}

void LogModel::setActive(bool active) {
    if (m_active == active)
        return;
    m_active = active;
    if (m_active)
        catchUp();
}

void LogModel::rebuild() {
    beginResetModel();
    m_visible.clear();
    if (m_row < 0)
        m_row = m_store->indexOf(m_key);
    if (const LogBuffer *log = buffer()) {
        const bool all = m_levels.all() && m_search.isEmpty();
        m_visible.reserve(size_t(all ? log->size() : log->size() / 8));
        for (qint64 seq = log->firstSeq(); seq < log->endSeq(); ++seq) {
            if (all || accepts(seq))
                m_visible.push_back(seq);
        }
        m_seenSeq = log->endSeq();
    }
    endResetModel();
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
    // Lines the buffer evicted leave from the top, in one signal.
    const auto firstKept = std::lower_bound(m_visible.begin(), m_visible.end(), log->firstSeq());
    const auto evicted = int(firstKept - m_visible.begin());
    if (evicted > 0) {
        beginRemoveRows({}, 0, evicted - 1);
        m_visible.erase(m_visible.begin(), firstKept);
        endRemoveRows();
    }
    // New lines arrive at the bottom, in one signal.
    std::vector<qint64> added;
    for (qint64 seq = qMax(m_seenSeq, log->firstSeq()); seq < log->endSeq(); ++seq) {
        if (accepts(seq))
            added.push_back(seq);
    }
    m_seenSeq = log->endSeq();
    if (added.empty())
        return;
    const int first = int(m_visible.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_visible.insert(m_visible.end(), added.begin(), added.end());
    endInsertRows();
}

} // namespace kw
