// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historyspoolsource.h"

#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "history/historyrecorder.h"
#include "history/historyrecorderlock.h"
#include "spool/spoolsource.h"
#include "store/storeseed.h"

#include <algorithm>

namespace kw {

HistorySpoolSource::HistorySpoolSource(Options options, SessionSources recorded,
                                       MakeSpoolGroups makeMirrors)
    : m_options(std::move(options))
    , m_recorded(std::move(recorded))
    , m_makeMirrors(std::move(makeMirrors))
    , m_mirrors(m_makeMirrors ? m_makeMirrors() : SpoolGroups{}) {
    // Their wake-ups (a D-Bus signal, the journal's fd, a mirror's inotify)
    // are this one's.
    for (const auto &source : m_recorded)
        source->setWakeUp([this] { requestPoll(); });
    for (const auto &source : m_mirrors)
        source->setWakeUp([this] { requestPoll(); });
}

HistorySpoolSource::~HistorySpoolSource() {
    for (const auto &source : m_recorded)
        source->setWakeUp({});
    for (const auto &source : m_mirrors)
        source->setWakeUp({});
    // The recorder writes what is queued (for a moment) before the lock goes.
    m_recorder.reset();
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
    m_source = std::make_unique<SpoolSource>(m_options.spoolDirectory);
    // This connection only reads what to start from; the recorder writes
    // through its own, on its own thread.
    auto db = std::make_unique<HistoryDatabase>();
    const auto opened = db->open(m_options.databasePath);
    if (!opened) {
        out.errors.append(error(QStringLiteral("the history cannot be used (%1); sessions are read "
                                               "from the spool and not recorded")
                                    .arg(db->errorString())));
        return;
    }
    if (*opened == HistoryDatabase::OpenResult::Recovered)
        out.errors.append(error(QStringLiteral("the history database was unreadable and was moved "
                                               "to %1; it is rebuilt from the spool")
                                    .arg(db->movedAsidePath())));

    m_recorderLock = std::make_unique<HistoryRecorderLock>(m_options.databasePath);
    switch (m_recorderLock->tryLock(m_options.recorderLockWaitMs)) {
    case HistoryRecorderLock::Result::Locked:
        break;
    case HistoryRecorderLock::Result::HeldByOther:
        out.errors.append(
            error(QStringLiteral("another Keepwatch (%1, pid %2) records this history; "
                                 "this one shows it and reads on without recording")
                      .arg(m_recorderLock->holderApplication().isEmpty()
                               ? QStringLiteral("?")
                               : m_recorderLock->holderApplication())
                      .arg(m_recorderLock->holderPid())));
        m_recorderLock.reset();
        break;
    case HistoryRecorderLock::Result::Failed:
        out.errors.append(error(QStringLiteral("%1; this one shows the history and reads on "
                                               "without recording")
                                    .arg(m_recorderLock->errorString())));
        m_recorderLock.reset();
        break;
    }
    m_db = std::move(db);
    m_cursor = m_db->sessionCursor();
    // Every session is kept until the start is over: room for all at once,
    // not a vector that grows 17 times through 100,000 of them (each growth
    // moved every session into fresh pages: a fifth of the reading time).
    m_known.reserve(size_t(m_db->sessionCount()));
    if (!m_options.seedStore) {
        while (m_cursor->read(m_known, kSeedChunk)) {
        }
        reportUnreadSessions(out);
        finishStart();
    }
}

bool HistorySpoolSource::seedNextChunk(EventBatch &out) {
    std::vector<Session> read;
    read.reserve(size_t(kSeedChunk));
    const bool more = m_cursor->read(read, kSeedChunk);
    auto seed = std::make_shared<StoreSeed>();
    seed->sessions.reserve(read.size());
    for (Session &session : read) {
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
        m_known.push_back(std::move(session));
    }
    // An empty history is said too: the store then knows there is nothing.
    if (!seed->sessions.empty() || m_known.empty())
        out.seed = std::move(seed);
    if (more)
        return false;
    reportUnreadSessions(out);
    finishStart();
    return true;
}

void HistorySpoolSource::reportUnreadSessions(EventBatch &out) const {
    if (m_cursor->errorString().isEmpty())
        return;
    out.errors.append(error(QStringLiteral("the history's sessions could not all be read (%1): "
                                           "%2 are listed, the spool's are read as usual")
                                .arg(m_cursor->errorString())
                                .arg(m_known.size())));
}

void HistorySpoolSource::finishStart() {
    m_cursor.reset();
    const QList<Session> known(std::make_move_iterator(m_known.begin()),
                               std::make_move_iterator(m_known.end()));
    m_known = {};
    HistoryIngest::resume(*m_source, *m_db, known);
    const QHash<QString, SpoolTailer::Position> committed = m_db->spoolPositions();
    m_positions.reset(committed);
    for (const auto &source : m_mirrors)
        source->resume(committed, known);
    m_cursors = m_db->sourceCursors();
    for (const auto &source : m_recorded) {
        QList<Session> recorded;
        for (const Session &session : known) {
            if (session.key.source == source->name())
                recorded << session;
        }
        source->resumeFromHistory(m_cursors.value(source->name()), recorded);
    }
    m_db.reset();
    if (m_recorderLock) {
        HistoryRecorder::Options recorder;
        recorder.databasePath = m_options.databasePath;
        recorder.spoolDirectory = m_options.spoolDirectory;
        recorder.makeMirrors = m_makeMirrors;
        recorder.retention = m_options.retention;
        recorder.retentionIntervalMs = m_options.retentionIntervalMs;
        recorder.maxPendingEvents = m_options.maxPendingEvents;
        m_recorder = std::make_unique<HistoryRecorder>(recorder);
    }
}

void HistorySpoolSource::poll(EventBatch &out) {
    if (!m_started)
        start(out);
    // The history first, a chunk a poll, read as it is delivered: the window
    // lists the first sessions while the next are read, and each batch is
    // one turn of its event loop (100,000 sessions at once stalled it for
    // over a second). No spool event is read before the last chunk, so none
    // can overtake it, and what the spool resumes from is known by then.
    if (m_cursor && !seedNextChunk(out))
        return;
    // Batches of their own: `out` may hold other sources' events, and a
    // recorder reading the files itself takes only the recorded sources'.
    EventBatch files;
    m_source->poll(files);
    for (const auto &source : m_mirrors)
        source->poll(files);
    EventBatch recorded;
    HistoryRecorder::Cursors cursors;
    for (const auto &source : m_recorded) {
        source->poll(recorded);
        const QString cursor = source->historyCursor();
        if (!cursor.isEmpty() && cursor != m_cursors.value(source->name()))
            cursors.insert(source->name(), cursor);
    }
    out.errors.append(files.errors);
    out.errors.append(recorded.errors);
    if (m_recorder) {
        out.errors.append(m_recorder->takeErrors());
        // A cursor or a position that moved is worth a commit of its own: a
        // restart then reads less again.
        m_recorder->record(files.events, movedPositions(), cursors, recorded.events);
        m_cursors.insert(cursors);
    }
    out.events.append(files.events);
    out.events.append(recorded.events);
}

HistoryRecorder::Positions HistorySpoolSource::movedPositions() {
    HistoryRecorder::Positions all = m_source->positions();
    for (const auto &source : m_mirrors)
        all.insert(source->positions());
    return m_positions.takeMoved(all);
}

QStringList HistorySpoolSource::watchPaths() const {
    QStringList paths = m_source ? m_source->watchPaths() : QStringList{};
    for (const auto &source : m_recorded)
        paths << source->watchPaths();
    for (const auto &source : m_mirrors)
        paths << source->watchPaths();
    return paths;
}

bool HistorySpoolSource::hasPendingData() const {
    const auto pending = [](const auto &source) {
        return source->hasPendingData();
    };
    return m_cursor.has_value() || (m_source && m_source->hasPendingData())
           || std::any_of(m_recorded.cbegin(), m_recorded.cend(), pending)
           || std::any_of(m_mirrors.cbegin(), m_mirrors.cend(), pending);
}

} // namespace kw
