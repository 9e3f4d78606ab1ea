#include "store/sessionstore.h"

#include "protocol/timestamp.h"

#include <QCoreApplication>
#include <QThread>
#include <algorithm>

namespace kw {

namespace {

constexpr qsizetype kMaxRecentErrors = 1000;

void sortUnique(QList<int> &rows) {
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
}

// Takes a value the event carries; says whether it differs from the old one.
template<typename T>
bool merge(std::optional<T> &into, const std::optional<T> &from) {
    if (!from || into == from)
        return false;
    into = from;
    return true;
}

struct Folder {
    Session &s;
    LogBuffer &log;
    qint64 ts;

    bool locked() const { return isTerminal(s.state) && s.state != SessionState::Interrupted; }
    bool finished() const { return isTerminal(s.state); }

    bool operator()(const StartPayload &p) const {
        s.hasStart = true;
        s.kind = p.kind;
        s.tool = p.tool;
        s.host = p.host;
        s.user = p.user;
        s.target = p.target;
        s.title = p.title;
        s.cwd = p.cwd;
        s.command = p.command;
        s.pid = p.pid;
        s.producerPid = p.producerPid;
        s.producerStartTicks = p.producerStartTicks;
        s.bootId = p.bootId;
        s.startedMs = ts;
        if (!finished())
            s.state = p.state;
        return true;
    }
    bool operator()(const StatePayload &p) const {
        if (finished())
            return false;
        s.state = p.state;
        s.stateReason = p.reason;
        if (isTerminal(p.state))
            s.endedMs = ts;
        return true;
    }
    bool operator()(const ProgressPayload &p) const {
        if (finished())
            return false;
        ProgressPayload &q = s.progress;
        // "Moved" means the work advanced; a new rate or ETA alone is not
        // progress (tools repeat identical records while stuck).
        bool moved = merge(q.percent, p.percent);
        moved |= merge(q.bytesDone, p.bytesDone);
        moved |= merge(q.filesDone, p.filesDone);
        bool changed = moved;
        changed |= merge(q.bytesTotal, p.bytesTotal);
        changed |= merge(q.filesTotal, p.filesTotal);
        changed |= merge(q.rate, p.rate);
        changed |= merge(q.etaSeconds, p.etaSeconds);
        if (!p.current.isEmpty() && p.current != q.current) {
            q.current = p.current;
            moved = changed = true;
        }
        s.lastProgressMs = ts;
        if (moved || s.lastProgressChangeMs == 0)
            s.lastProgressChangeMs = ts;
        if (moved
            && (s.state == SessionState::Stalled || s.state == SessionState::Queued
                || s.state == SessionState::Starting)) {
            s.state = SessionState::Running;
            s.stateReason.clear();
            changed = true;
        }
        return changed;
    }
    bool operator()(const LogPayload &p) const {
        log.append(ts, p.level, p.message);
        ++s.logLines;
        if (p.level == LogLevel::Warning)
            ++s.warnings;
        else if (p.level == LogLevel::Error)
            ++s.errors;
        return true; // the counters are visible
    }
    bool operator()(const EndPayload &p) const {
        if (locked())
            return false;
        s.state = p.state;
        s.stateReason.clear();
        s.exitCode = p.exitCode;
        s.signal = p.signal;
        s.summary = p.summary;
        s.endedMs = ts;
        return true;
    }
};

} // namespace

SessionStore::SessionStore(QObject *parent)
    : QObject(parent)
    , m_stallTimer(this) {
    qRegisterMetaType<kw::StoreChange>();
    qRegisterMetaType<kw::EventBatch>();
    m_stallTimer.setInterval(1000);
    connect(&m_stallTimer, &QTimer::timeout, this, [this] { checkStalls(Timestamp::nowMs()); });
    setStallTimeoutMs(defaultStallTimeoutMs());
}

SessionStore::~SessionStore() = default;

qint64 SessionStore::defaultStallTimeoutMs()
{
    bool ok = false;
    const double seconds = qEnvironmentVariable("KEEPWATCH_STALL_TIMEOUT").toDouble(&ok);
    return ok && seconds >= 0 ? qint64(seconds * 1000) : kDefaultStallTimeoutMs;
}

void SessionStore::setStallTimeoutMs(qint64 timeoutMs) {
    m_stallTimeoutMs = timeoutMs;
    // Without an application (the CLI) nothing would run the timer: one-shot
    // readers call checkStalls() themselves.
    if (timeoutMs > 0 && !m_stallTimer.isActive() && QCoreApplication::instance())
        m_stallTimer.start();
    else if (timeoutMs <= 0)
        m_stallTimer.stop();
}

void SessionStore::checkStalls(qint64 nowMs) {
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_stallTimeoutMs <= 0)
        return;
    StoreChange change;
    for (int row = 0; row < count(); ++row) {
        Session &s = m_sessions[size_t(row)]->session;
        // Only what has shown progress can be said to have stopped making it.
        if (s.state != SessionState::Running || s.lastProgressChangeMs == 0
            || nowMs - s.lastProgressChangeMs < m_stallTimeoutMs)
            continue;
        s.state = SessionState::Stalled;
        s.stateReason =
            QStringLiteral("no progress for %1 s").arg((nowMs - s.lastProgressChangeMs) / 1000);
        change.changedRows.append(row);
    }
    if (!change.changedRows.isEmpty())
        emit changed(change);
}

void SessionStore::setMaxLogLines(qint64 maxLines) {
    m_maxLogLines = maxLines;
    for (auto &entry : m_sessions)
        entry->log.setMaxLines(maxLines);
}

QList<int> SessionStore::rowsWithId(const QString &id) const {
    QList<int> rows;
    for (int i = 0; i < count(); ++i) {
        if (m_sessions[size_t(i)]->session.key.id == id)
            rows.append(i);
    }
    return rows;
}

int SessionStore::rowFor(const Event &event, StoreChange &change) {
    const SessionKey key{event.source, event.session};
    const auto it = m_index.constFind(key);
    if (it != m_index.cend())
        return *it;
    const int row = count();
    auto entry = std::make_unique<Entry>(Entry{Session{}, LogBuffer(m_maxLogLines), 0, 0});
    entry->session.key = key;
    entry->session.firstEventMs = event.timestampMs;
    m_sessions.push_back(std::move(entry));
    m_index.insert(key, row);
    if (change.firstNewRow < 0)
        change.firstNewRow = row;
    ++change.newRows;
    return row;
}

bool SessionStore::fold(Entry &entry, const Event &event) {
    Session &s = entry.session;
    s.lastEventMs = qMax(s.lastEventMs, event.timestampMs);
    return std::visit(Folder{s, entry.log, event.timestampMs}, event.payload);
}

void SessionStore::apply(const EventBatch &batch) {
    // Models read the store without locks: it must only change on its own thread.
    Q_ASSERT(QThread::currentThread() == thread());
    if (batch.isEmpty())
        return;
    StoreChange change;
    ++m_generation;
    for (const Event &event : batch.events) {
        const int row = rowFor(event, change);
        Entry &entry = *m_sessions[size_t(row)];
        if (fold(entry, event) && entry.changedMark != m_generation) {
            entry.changedMark = m_generation;
            const bool isNew = change.firstNewRow >= 0 && row >= change.firstNewRow;
            if (!isNew)
                change.changedRows.append(row);
        }
        if (event.type() == EventType::Log && entry.logMark != m_generation) {
            entry.logMark = m_generation;
            change.logRows.append(row);
        }
    }
    sortUnique(change.changedRows);
    sortUnique(change.logRows);
    change.errors = batch.errors;
    m_recentErrors.append(batch.errors);
    if (m_recentErrors.size() > kMaxRecentErrors)
        m_recentErrors.remove(0, m_recentErrors.size() - kMaxRecentErrors);
    emit changed(change);
}

} // namespace kw
