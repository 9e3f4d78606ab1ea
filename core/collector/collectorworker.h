// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"

#include <QObject>
#include <QSet>
#include <QTimer>
#include <atomic>
#include <memory>
#include <vector>

class QFileSystemWatcher;

namespace kw {

// The collector's half on the worker thread. Internal to Collector.
class CollectorWorker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CollectorWorker)

public:
    struct Timing {
        int pollIntervalMs = 1000;
        int minIntervalMs = 50;
        int wakeIntervalMs = 5;
    };

    CollectorWorker(SourceFactory factory, quint64 generation, Timing timing,
                    std::shared_ptr<std::atomic<int>> inFlight);
    ~CollectorWorker() override;

    void begin();    // on the worker thread: makes the sources, first poll
    void pollSoon(); // on the worker thread: a file-system notification
    void wakeUp();   // on the worker thread: a push source asked for a poll
    void finish();   // on the worker thread: stop timers and watches, destroy the sources
    // On the worker thread: the consumer took the last batch. A source with
    // more to read is polled again at once instead of after minIntervalMs:
    // the history's 50 seed chunks waited 50 ms each, 2.5 s of a 3.9 s start.
    void batchTaken();

signals:
    void batchReady(const kw::EventBatch &batch, quint64 generation);
    void polled();

private:
    void poll();
    void updateWatches();
    void arm(int delayMs);

    SourceFactory m_factory;
    SessionSources m_sources;
    quint64 m_generation;
    Timing m_timing;
    std::shared_ptr<std::atomic<int>> m_inFlight;
    QTimer m_timer;
    QFileSystemWatcher *m_watcher = nullptr;
    QSet<QString> m_watched;
    bool m_stopped = false;
    bool m_morePending = false; // a source said so at the last poll
};

} // namespace kw
