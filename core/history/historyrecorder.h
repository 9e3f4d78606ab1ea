// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "history/historyretention.h"
#include "protocol/event.h"
#include "spool/spoolgroupsource.h"
#include "spool/spooltailer.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QThread>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

namespace kw {

// Writes what the collector read into the history on a thread of its own,
// so that the window sees events at the rate the spool is read, not at the
// rate SQLite writes (measured: 200 sessions x 1,000 lines/s is about three
// times what the database takes, with its full-text index).
//
// Each batch is written with the spool positions it reaches, in one
// transaction: whatever is committed is consistent, so stopping between
// batches (a quit, a failure) loses nothing; the next start reads on from
// the last commit. When the queue grows beyond `maxPendingEvents`, the
// recorder drops it and reads the spool files itself from its last commit
// (HistorySpoolReader) for the rest of the run: it never stops recording
// for being slow, and never eats memory for it. The events of sources that
// exist nowhere else for long (`recordedEvents`: systemd's, Bacula's) are
// still taken from the collector.
class HistoryRecorder final {
public:
    struct Options {
        QString databasePath;
        QString spoolDirectory;
        MakeSpoolGroups makeMirrors; // the remote hosts' mirrors, recorded too
        HistoryRetention::Rules retention;
        qint64 retentionIntervalMs = 60 * 60 * 1000;
        qint64 maxPendingEvents = 100000; // ~30 MB of queued events
        int drainOnStopMs = 2000;         // at quit: write what is queued, for so long
        // How often a recorder reading the files itself looks for new lines
        // when it has read them all.
        int readIntervalMs = 250;
    };
    using Positions = QHash<QString, SpoolTailer::Position>;
    using Cursors = QHash<QString, QString>; // by source identity

    explicit HistoryRecorder(Options options);
    ~HistoryRecorder();
    HistoryRecorder(const HistoryRecorder &) = delete;
    HistoryRecorder &operator=(const HistoryRecorder &) = delete;

    // Queues a batch: the events read from the spool and the mirrors, the
    // positions they reach, and the events and cursors of the other
    // recorded sources. Does nothing once recording stopped; once the
    // recorder reads the files itself, keeps only the other sources' part.
    void record(QList<Event> events, Positions positions, Cursors cursors = {},
                QList<Event> recordedEvents = {});
    // Problems met since the last call (one per cause).
    QList<SourceError> takeErrors();

private:
    struct Job {
        QList<Event> events; // the spool's and the mirrors'
        Positions positions;
        Cursors cursors;
        QList<Event> recordedEvents;
        bool isEmpty() const {
            return events.isEmpty() && positions.isEmpty() && cursors.isEmpty()
                   && recordedEvents.isEmpty();
        }
    };
    void run();
    // Both with m_mutex held.
    void stopRecording(const QString &message);
    void startReadingTheSpool();

    Options m_options;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    qint64 m_pendingEvents = 0;
    bool m_stopping = false;
    bool m_readsTheSpool = false; // the queue holds only other sources' events
    QList<SourceError> m_errors;
    std::atomic<bool> m_recording{true};
    // Long-lived work, so the project's idiom for it: a named worker thread,
    // joined in the destructor. Last: started once the rest exists.
    std::unique_ptr<QThread> m_thread;
};

} // namespace kw
