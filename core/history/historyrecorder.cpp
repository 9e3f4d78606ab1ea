// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historyrecorder.h"

#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "history/historyspoolreader.h"
#include "history/historywriter.h"
#include "logging/logging.h"
#include "protocol/timestamp.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace kw {

namespace {

// Queued batches are written together, up to this many events in one
// transaction: when the recorder is behind, each commit's fixed costs
// (every session row and spool position of the batch) are paid once.
constexpr qsizetype kMaxEventsPerTransaction = 50000;
// Lines are indexed for search when the queue is empty, this many in a
// transaction (FTS5 indexes large batches fastest; a new batch waits at
// most for one of these, about half a second here).
constexpr qint64 kIndexBatchLines = 100000;
// ... and also while busy beyond this many unindexed lines, so that a
// search (which indexes what is pending first) never waits long.
constexpr qint64 kMaxPendingIndexLines = 2000000;

qint64 logLinesIn(const QList<Event> &events) {
    return std::count_if(events.cbegin(), events.cend(),
                         [](const Event &e) { return e.type() == EventType::Log; });
}

} // namespace

HistoryRecorder::HistoryRecorder(Options options)
    : m_options(std::move(options))
    , m_thread(QThread::create([this] { run(); })) {
    m_thread->setObjectName(QStringLiteral("keepwatch-history"));
    m_thread->start();
}

HistoryRecorder::~HistoryRecorder() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread->wait();
}

void HistoryRecorder::record(QList<Event> events, Positions positions, Cursors cursors,
                             QList<Event> recordedEvents) {
    if (!m_recording)
        return;
    {
        const std::lock_guard lock(m_mutex);
        if (m_readsTheSpool) { // the recorder reads these from the files
            events.clear();
            positions.clear();
        }
        Job job{std::move(events), std::move(positions), std::move(cursors),
                std::move(recordedEvents)};
        if (job.isEmpty())
            return;
        m_pendingEvents += job.events.size() + job.recordedEvents.size();
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

QList<SourceError> HistoryRecorder::takeErrors() {
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_errors, {});
}

void HistoryRecorder::stopRecording(const QString &message) {
    // Called with m_mutex held.
    if (m_recording.exchange(false)) {
        qCInfo(log::history).noquote()
            << "recording into" << m_options.databasePath << "stopped:" << message;
        m_errors.append({QStringLiteral("spool"), m_options.databasePath, 0, message});
    }
    m_jobs.clear();
    m_pendingEvents = 0;
}

void HistoryRecorder::startReadingTheSpool() {
    const qint64 waiting = m_pendingEvents;
    m_readsTheSpool = true;
    // What the spool's part held is read again from the files, from the
    // last commit on; the other sources' part exists nowhere else.
    for (Job &job : m_jobs) {
        m_pendingEvents -= job.events.size();
        job.events.clear();
        job.positions.clear();
    }
    const QString message =
        QStringLiteral("the history fell %1 events behind the spool; it now reads the spool "
                       "files itself from its last commit, so every line is recorded, later "
                       "than it is shown")
            .arg(waiting);
    qCInfo(log::history).noquote() << "recording into" << m_options.databasePath << ":" << message;
    m_errors.append({QStringLiteral("spool"), m_options.databasePath, 0, message});
}

void HistoryRecorder::run() {
    HistoryDatabase db; // this thread's connection
    std::optional<HistoryWriter> writer;
    if (db.open(m_options.databasePath)) {
        writer.emplace(db);
    } else {
        const std::lock_guard lock(m_mutex);
        stopRecording(QStringLiteral("cannot write the history (%1); sessions are still shown, "
                                     "and recorded from the spool at the next start")
                          .arg(db.errorString()));
    }
    qint64 nextRetentionMs = 0;
    const auto &rules = m_options.retention;
    auto retentionDue = [&](qint64 now) {
        return writer && (rules.maxAgeMs || rules.maxSessions) && now >= nextRetentionMs;
    };
    auto applyRetention = [&](qint64 now) {
        nextRetentionMs = now + m_options.retentionIntervalMs;
        const auto result =
            HistoryRetention::apply(db, m_options.spoolDirectory, rules, now, false);
        if (!result.ok) {
            const std::lock_guard lock(m_mutex);
            m_errors.append({QStringLiteral("spool"), m_options.databasePath, 0,
                             QStringLiteral("retention failed: %1").arg(result.error)});
        }
    };
    // At start too: a history that gets nothing new is still kept in bounds.
    // And once more when the first batch is in (what the last run left in
    // the spool is only now in the database), then every interval.
    if (retentionDue(Timestamp::nowMs())) {
        applyRetention(Timestamp::nowMs());
        nextRetentionMs = 0;
    }
    qint64 unindexed = writer ? db.pendingLogLines() : 0;
    bool indexing = true;
    auto index = [&] {
        const std::optional<qint64> done = db.indexPendingLogLines(kIndexBatchLines);
        if (!done) {
            // Not fatal: the lines are recorded, and a search indexes them
            // first. Said once; this run leaves the index alone from now on.
            const std::lock_guard lock(m_mutex);
            m_errors.append({QStringLiteral("spool"), m_options.databasePath, 0,
                             QStringLiteral("cannot index the history for search (%1); a search "
                                            "indexes what is missing first")
                                 .arg(db.errorString())});
            indexing = false;
            unindexed = 0;
            return;
        }
        unindexed = *done < kIndexBatchLines ? 0 : std::max<qint64>(unindexed - *done, 1);
    };
    // Once the queue overflowed: the files, read from the last commit.
    std::unique_ptr<HistorySpoolReader> reader;
    const auto readInterval = std::chrono::milliseconds(m_options.readIntervalMs);
    std::optional<std::chrono::steady_clock::time_point> drainUntil;
    for (;;) {
        Job job;
        std::vector<Job> more; // merged into `job` outside the lock
        bool fellBehind = false;
        {
            std::unique_lock lock(m_mutex);
            const auto queued = [this] {
                return !m_jobs.empty() || m_stopping;
            };
            if (!m_recording) {
                // Stopped for good this run: the next start reads on.
                m_wake.wait(lock, [this] { return m_stopping; });
                break;
            }
            if (!reader)
                m_wake.wait(lock, queued);
            else if (!reader->hasPendingData())
                m_wake.wait_for(lock, readInterval, queued);
            if (m_stopping && !drainUntil)
                drainUntil = std::chrono::steady_clock::now()
                             + std::chrono::milliseconds(m_options.drainOnStopMs);
            // At quit only what is queued is written: the files are read
            // on at the next start.
            if ((m_stopping && m_jobs.empty())
                || (drainUntil && std::chrono::steady_clock::now() > *drainUntil))
                break;
            if (m_pendingEvents > m_options.maxPendingEvents) {
                if (m_readsTheSpool) { // the other sources alone: never seen
                    stopRecording(QStringLiteral("the history cannot keep up with %1 events of "
                                                 "other sources than the spool; sessions are "
                                                 "still shown, and recorded at the next start")
                                      .arg(m_pendingEvents));
                    continue;
                }
                startReadingTheSpool();
                fellBehind = true;
            }
            qsizetype events = 0;
            for (bool first = true;
                 !m_jobs.empty()
                 && (first
                     || events + m_jobs.front().events.size() + m_jobs.front().recordedEvents.size()
                            <= kMaxEventsPerTransaction);
                 first = false) {
                const qsizetype size =
                    m_jobs.front().events.size() + m_jobs.front().recordedEvents.size();
                events += size;
                m_pendingEvents -= size;
                if (first)
                    job = std::move(m_jobs.front());
                else
                    more.push_back(std::move(m_jobs.front()));
                m_jobs.pop_front();
            }
        }
        if (fellBehind) // from the last commit: nothing of the spool is queued
            reader = std::make_unique<HistorySpoolReader>(db, m_options.spoolDirectory,
                                                          m_options.makeMirrors);
        for (Job &next : more) {
            // Later positions and cursors replace earlier ones.
            job.events.append(std::move(next.events));
            job.positions.insert(next.positions);
            job.cursors.insert(next.cursors);
            job.recordedEvents.append(std::move(next.recordedEvents));
        }
        if (reader) {
            HistorySpoolReader::Batch read =
                reader->read(kMaxEventsPerTransaction - job.recordedEvents.size());
            job.events = std::move(read.events);
            job.positions = std::move(read.positions);
        }
        const qint64 lines = logLinesIn(job.events) + logLinesIn(job.recordedEvents);
        job.events.append(std::move(job.recordedEvents));
        if (!job.isEmpty()
            && !HistoryIngest::write(db, *writer, job.events, job.positions, job.cursors)) {
            const std::lock_guard lock(m_mutex);
            stopRecording(QStringLiteral("cannot write the history (%1); sessions are still shown, "
                                         "and recorded again from the spool at the next start")
                              .arg(db.errorString()));
            reader.reset();
            continue;
        }
        if (indexing)
            unindexed += lines;
        const auto nothingQueued = [&](bool orStopping) {
            if (reader && reader->hasPendingData())
                return false;
            const std::lock_guard lock(m_mutex);
            return m_jobs.empty() && !(orStopping && m_stopping);
        };
        if (unindexed > kMaxPendingIndexLines)
            index();
        // Not at quit: the next run (or a search) indexes what is left.
        while (unindexed > 0 && nothingQueued(true))
            index();
        const qint64 now = Timestamp::nowMs();
        const bool idle = nothingQueued(false);
        // Only when caught up: retention reads the committed positions.
        if (idle && retentionDue(now))
            applyRetention(now);
    }
}

} // namespace kw
