// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historyrecorder.h"

#include "history/historydatabase.h"
#include "history/historyingest.h"
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

void HistoryRecorder::record(QList<Event> events, Positions positions, Cursors cursors) {
    if (!m_recording)
        return;
    {
        const std::lock_guard lock(m_mutex);
        m_pendingEvents += events.size();
        m_jobs.push_back({std::move(events), std::move(positions), std::move(cursors)});
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
    std::optional<std::chrono::steady_clock::time_point> drainUntil;
    for (;;) {
        Job job;
        std::vector<Job> more; // merged into `job` outside the lock
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return !m_jobs.empty() || m_stopping; });
            if (m_stopping && !drainUntil)
                drainUntil = std::chrono::steady_clock::now()
                             + std::chrono::milliseconds(m_options.drainOnStopMs);
            if (m_jobs.empty() || (drainUntil && std::chrono::steady_clock::now() > *drainUntil))
                break;          // what is left is read again at the next start
            if (!m_recording) { // stopped while a batch was being queued
                m_jobs.clear();
                m_pendingEvents = 0;
                continue;
            }
            if (m_pendingEvents > m_options.maxPendingEvents) {
                stopRecording(QStringLiteral("the history cannot keep up with the spool (%1 events "
                                             "waiting); sessions are still shown, and recorded "
                                             "from the spool at the next start")
                                  .arg(m_pendingEvents));
                continue;
            }
            qsizetype events = 0;
            for (bool first = true;
                 !m_jobs.empty()
                 && (first || events + m_jobs.front().events.size() <= kMaxEventsPerTransaction);
                 first = false) {
                events += m_jobs.front().events.size();
                m_pendingEvents -= m_jobs.front().events.size();
                if (first)
                    job = std::move(m_jobs.front());
                else
                    more.push_back(std::move(m_jobs.front()));
                m_jobs.pop_front();
            }
        }
        for (Job &next : more) {
            // Later positions and cursors replace earlier ones.
            job.events.append(std::move(next.events));
            job.positions.insert(next.positions);
            job.cursors.insert(next.cursors);
        }
        if (!HistoryIngest::write(db, *writer, job.events, job.positions, job.cursors)) {
            const std::lock_guard lock(m_mutex);
            stopRecording(QStringLiteral("cannot write the history (%1); sessions are still shown, "
                                         "and recorded again from the spool at the next start")
                              .arg(db.errorString()));
            continue;
        }
        if (indexing)
            unindexed += logLinesIn(job.events);
        const auto nothingQueued = [this](bool orStopping) {
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
