// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "store/sessionstore.h"

#include "protocol/timestamp.h"
#include "store/sessionfolder.h"

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

qint64 SessionStore::defaultStallTimeoutMs() {
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
        // The clock went back (or the producer's runs ahead): progress "in
        // the future" would not count as stopped until the clock caught up,
        // an hour late after an hour's jump. Count from now instead.
        if (s.lastProgressChangeMs > nowMs)
            s.lastProgressChangeMs = nowMs;
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
    // Sources share one QString per session ID (EventDecoder interns them),
    // so most events find their row by the address of the ID's data, without
    // hashing two strings. The address only counts while the row's own key
    // holds that same data (isSharedWith), which also keeps it from being
    // freed and reused for another ID.
    const QChar *idData = event.session.constData();
    if (const auto fast = m_rowByIdData.constFind(idData); fast != m_rowByIdData.cend()) {
        const SessionKey &key = m_sessions[size_t(*fast)]->session.key;
        if (key.id.isSharedWith(event.session) && key.source == event.source)
            return *fast;
    }
    const int row = rowForKey(SessionKey{event.source, event.session}, event.timestampMs, change);
    if (m_sessions[size_t(row)]->session.key.id.isSharedWith(event.session))
        m_rowByIdData.insert(idData, row);
    return row;
}

int SessionStore::rowForKey(const SessionKey &key, qint64 firstEventMs, StoreChange &change) {
    const auto it = m_index.constFind(key);
    if (it != m_index.cend())
        return *it;
    const int row = count();
    auto entry = std::make_unique<Entry>(Entry{Session{}, LogBuffer(m_maxLogLines), 0, 0});
    entry->session.key = key;
    entry->session.firstEventMs = firstEventMs;
    m_sessions.push_back(std::move(entry));
    m_index.insert(key, row);
    if (change.firstNewRow < 0)
        change.firstNewRow = row;
    ++change.newRows;
    return row;
}

bool SessionStore::fold(Entry &entry, const Event &event) {
    if (const auto *line = event.as<LogPayload>())
        entry.log.append(event.timestampMs, line->level, line->message);
    else if (event.type() == EventType::End)
        entry.log.shrinkToFit(); // the room given for more lines is not needed
    return SessionFolder::fold(entry.session, event);
}

void SessionStore::seed(const StoreSeed &seed, StoreChange &change) {
    m_sessions.reserve(m_sessions.size() + seed.sessions.size());
    m_index.reserve(qsizetype(m_sessions.size()) + qsizetype(seed.sessions.size()));
    for (const StoreSeed::Entry &seeded : seed.sessions) {
        // A session the store already folded is newer than the history's copy.
        if (m_index.contains(seeded.session.key))
            continue;
        const int row = count();
        auto entry = std::make_unique<Entry>(Entry{seeded.session, LogBuffer(m_maxLogLines), 0, 0});
        for (const StoreSeed::Line &line : seeded.logTail)
            entry->log.append(line.timestampMs, line.level, line.message);
        entry->logInHistory = seeded.logTail.empty() && seeded.session.logLines > 0;
        entry->logMark = m_generation;
        m_sessions.push_back(std::move(entry));
        m_index.insert(seeded.session.key, row);
        if (change.firstNewRow < 0)
            change.firstNewRow = row;
        ++change.newRows;
        if (!seeded.logTail.empty())
            change.logRows.append(row);
        join(row, change);
    }
}

void SessionStore::join(int row, StoreChange &change) {
    const Session &s = m_sessions[size_t(row)]->session;
    int unitRow = -1;
    if (Session::isUnitRunSource(s.key.source)) {
        m_unitRuns.insert(s.key.id, row);
        if (m_wrappedInvocations.contains(s.key.id))
            unitRow = row;
    } else if (!s.invocationId.isEmpty()) {
        m_wrappedInvocations.insert(s.invocationId, row);
        unitRow = m_unitRuns.value(s.invocationId, -1);
    }
    if (unitRow < 0)
        return;
    Entry &unitRun = *m_sessions[size_t(unitRow)];
    if (unitRun.session.joined)
        return;
    unitRun.session.joined = true;
    const bool isNew = change.firstNewRow >= 0 && unitRow >= change.firstNewRow;
    if (!isNew && unitRun.changedMark != m_generation) {
        unitRun.changedMark = m_generation;
        change.changedRows.append(unitRow);
    }
}

bool SessionStore::needsHistoryLog(int row) const {
    const Entry &entry = *m_sessions[size_t(row)];
    return entry.logInHistory && entry.log.isEmpty();
}

void SessionStore::loadHistoryLog(const SessionKey &key, LogBuffer &&log) {
    Q_ASSERT(QThread::currentThread() == thread());
    const int row = indexOf(key);
    if (row < 0 || !needsHistoryLog(row))
        return;
    Entry &entry = *m_sessions[size_t(row)];
    entry.logInHistory = false;
    // A buffer evicts nothing when it grows its limit: keep what was read,
    // up to kMaxHistoryLogLines, and at least what any live log may hold.
    log.setMaxLines(std::max(m_maxLogLines, std::min(log.size(), kMaxHistoryLogLines)));
    entry.log = std::move(log);
    StoreChange change;
    change.logRows.append(row);
    emit changed(change);
}

void SessionStore::loadHistoryLog(const SessionKey &key,
                                  const std::vector<StoreSeed::Line> &lines) {
    LogBuffer log(std::max<qint64>(qint64(lines.size()), 1));
    for (const StoreSeed::Line &line : lines)
        log.append(line.timestampMs, line.level, line.message);
    loadHistoryLog(key, std::move(log));
}

void SessionStore::apply(const EventBatch &batch) {
    // Models read the store without locks: it must only change on its own thread.
    Q_ASSERT(QThread::currentThread() == thread());
    if (batch.isEmpty())
        return;
    StoreChange change;
    ++m_generation;
    if (batch.seed)
        seed(*batch.seed, change);
    for (const Event &event : batch.events) {
        const int row = rowFor(event, change);
        Entry &entry = *m_sessions[size_t(row)];
        if (fold(entry, event) && entry.changedMark != m_generation) {
            entry.changedMark = m_generation;
            const bool isNew = change.firstNewRow >= 0 && row >= change.firstNewRow;
            if (!isNew)
                change.changedRows.append(row);
        }
        if (event.type() == EventType::Start)
            join(row, change);
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
