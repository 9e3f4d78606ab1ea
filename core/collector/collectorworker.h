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
    CollectorWorker(std::vector<std::unique_ptr<SessionSource>> sources, quint64 generation,
                    int pollIntervalMs, int minIntervalMs,
                    std::shared_ptr<std::atomic<int>> inFlight);
    ~CollectorWorker() override;

    void begin();    // on the worker thread: first poll
    void pollSoon(); // on the worker thread
    void finish();   // on the worker thread: stop timers and watches

signals:
    void batchReady(const kw::EventBatch &batch, quint64 generation);
    void polled();

private:
    void poll();
    void updateWatches();
    void arm(int delayMs);

    std::vector<std::unique_ptr<SessionSource>> m_sources;
    quint64 m_generation;
    int m_pollIntervalMs;
    int m_minIntervalMs;
    std::shared_ptr<std::atomic<int>> m_inFlight;
    QTimer m_timer;
    QFileSystemWatcher *m_watcher = nullptr;
    QSet<QString> m_watched;
    bool m_stopped = false;
};

} // namespace kw
