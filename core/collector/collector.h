// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"
#include "protocol/event.h"
#include "store/eventbatch.h"

#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

namespace kw {

class CollectorWorker;

// Runs every source on a worker thread and delivers what they found as one
// EventBatch per poll, on the thread that owns the Collector (the GUI's).
//
// - Polls never overlap: the next poll is armed only after the previous one
//   finished (a single-shot timer), and not while the last batch has not
//   been taken yet, so a slow consumer slows polling instead of piling up
//   batches in memory. A source with more to read (hasPendingData) is
//   polled again as soon as its batch is taken.
// - File-system notification (the sources' watchPaths) wakes it early; a
//   slow poll is the fallback, and bursts are coalesced to one poll per
//   `minIntervalMs`.
// - A push source's SessionSource::requestPoll() wakes it within
//   `wakeIntervalMs` (coalesced too, and never overlapping a poll).
// - The sources are made by a factory on the worker thread, so that what
//   they own belongs to that thread; they are destroyed there on stop().
// - Replacing the sources bumps a generation: a batch polled with the old
//   sources is dropped, never applied on top of the new ones.
class Collector final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Collector)

public:
    struct Options {
        int pollIntervalMs = 1000; // fallback when no notification comes
        int minIntervalMs = 50;    // coalescing window for notifications
        int wakeIntervalMs = 5;    // coalescing window for push wake-ups
    };

    explicit Collector(QObject *parent = nullptr);
    Collector(Options options, QObject *parent = nullptr);
    ~Collector() override;

    // Makes the sources with `factory` on the worker thread and starts (or
    // restarts) polling them.
    void start(SourceFactory factory);
    // Takes sources made on this thread (tests, and sources that own no
    // thread-affine object) and starts (or restarts) polling them.
    void start(SessionSources sources);
    void stop();
    bool isRunning() const { return m_thread.isRunning(); }
    // Asks for a poll as soon as possible (coalesced).
    void pollSoon();

signals:
    void batchReady(const kw::EventBatch &batch);
    // After every poll, even an empty one (tests and the status bar use it).
    void polled();

private:
    void onWorkerBatch(const kw::EventBatch &batch, quint64 generation);

    Options m_options;
    QThread m_thread;
    CollectorWorker *m_worker = nullptr; // lives on m_thread
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<int>> m_inFlight;
};

} // namespace kw
