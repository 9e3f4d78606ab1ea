#include "history/historyspoolsource.h"

#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "protocol/timestamp.h"
#include "spool/spoolsource.h"
#include "store/storeseed.h"

namespace kw {

HistorySpoolSource::HistorySpoolSource(Options options)
    : m_options(std::move(options)) {}

HistorySpoolSource::~HistorySpoolSource() {
    // The ingest refers to the database: it goes first, and the lock last.
    m_ingest.reset();
    m_db.reset();
    m_recorderLock.reset();
}

QString HistorySpoolSource::name() const {
    // The same name as the spool's: sessions keep their keys with or without
    // a history, and the database's rows match the live ones.
    return QStringLiteral("spool");
}

SourceError HistorySpoolSource::error(const QString &message) const {
    return SourceError{name(), m_options.databasePath, 0, message};
}

void HistorySpoolSource::start(EventBatch &out) {
    m_started = true;
    m_db = std::make_unique<HistoryDatabase>();
    const auto opened = m_db->open(m_options.databasePath);
    if (!opened) {
        out.errors.append(error(QStringLiteral("the history cannot be used (%1); sessions are read "
                                               "from the spool and not recorded")
                                    .arg(m_db->errorString())));
        m_db.reset();
        m_unrecorded = std::make_unique<SpoolSource>(m_options.spoolDirectory);
        return;
    }
    if (*opened == HistoryDatabase::OpenResult::Recovered)
        out.errors.append(error(QStringLiteral("the history database was unreadable and was moved "
                                               "to %1; it is rebuilt from the spool")
                                    .arg(m_db->movedAsidePath())));

    m_ingest = std::make_unique<HistoryIngest>(*m_db, m_options.spoolDirectory);
    m_recorderLock =
        std::make_unique<QLockFile>(HistoryDatabase::recorderLockPath(m_options.databasePath));
    // Only a dead holder makes a lock stale: a recorder runs for days.
    m_recorderLock->setStaleLockTime(0);
    if (!m_recorderLock->tryLock(m_options.recorderLockWaitMs)) {
        qint64 pid = 0;
        QString host, application;
        m_recorderLock->getLockInfo(&pid, &host, &application);
        out.errors.append(error(QStringLiteral("another Keepwatch (%1, pid %2) records this history; "
                                               "this one shows it and reads on without recording")
                                    .arg(application.isEmpty() ? QStringLiteral("?") : application)
                                    .arg(pid)));
        m_recorderLock.reset();
        m_ingest->stopRecording();
        m_reportedWriteFailure = true; // said already
    }
    const QList<Session> known = m_db->sessions();
    m_ingest->resume(known);
    if (!m_options.seedStore)
        return;
    auto seed = std::make_shared<StoreSeed>();
    seed->sessions.reserve(size_t(known.size()));
    for (const Session &session : known) {
        StoreSeed::Entry entry{session, {}};
        // A finished session's log stays in the database until a pane asks.
        if (isActive(session.state) && session.logLines > 0) {
            if (const auto pk = m_db->findSession(session.key)) {
                const auto lines = m_db->logTail(*pk, m_options.maxSeedLogLines);
                entry.logTail.reserve(size_t(lines.size()));
                for (const auto &line : lines)
                    entry.logTail.push_back({line.timestampMs, line.level, line.message});
            }
        }
        seed->sessions.push_back(std::move(entry));
    }
    out.seed = std::move(seed);
}

void HistorySpoolSource::applyRetention(EventBatch &out, qint64 nowMs) {
    const auto &rules = m_options.retention;
    if ((!rules.maxAgeMs && !rules.maxSessions) || nowMs < m_nextRetentionMs)
        return;
    m_nextRetentionMs = nowMs + m_options.retentionIntervalMs;
    const auto result =
        HistoryRetention::apply(*m_db, m_options.spoolDirectory, rules, nowMs, false);
    if (!result.ok)
        out.errors.append(error(QStringLiteral("retention failed: %1").arg(result.error)));
}

void HistorySpoolSource::poll(EventBatch &out) {
    if (!m_started)
        start(out);
    if (m_unrecorded) {
        m_unrecorded->poll(out);
        return;
    }
    const auto result = m_ingest->pollOnce(out);
    if (!result.ok && !m_reportedWriteFailure && !m_ingest->isRecording()) {
        m_reportedWriteFailure = true;
        out.errors.append(error(QStringLiteral("cannot write the history (%1); sessions are still "
                                               "shown, and recorded again from the spool at the "
                                               "next start")
                                    .arg(m_db->errorString())));
    }
    // Only between polls with nothing pending: retention reads the positions.
    if (m_ingest->isRecording() && !m_ingest->hasPendingData())
        applyRetention(out, Timestamp::nowMs());
}

QStringList HistorySpoolSource::watchPaths() const {
    if (m_unrecorded)
        return m_unrecorded->watchPaths();
    return m_ingest ? m_ingest->watchPaths() : QStringList{};
}

bool HistorySpoolSource::hasPendingData() const {
    if (m_unrecorded)
        return m_unrecorded->hasPendingData();
    return m_ingest && m_ingest->hasPendingData();
}

} // namespace kw
