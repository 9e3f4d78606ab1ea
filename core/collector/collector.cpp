// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "collector/collector.h"

#include "collector/collectorworker.h"

namespace kw {

Collector::Collector(QObject *parent)
    : Collector(Options{}, parent) {}

Collector::Collector(Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_inFlight(std::make_shared<std::atomic<int>>(0)) {
    qRegisterMetaType<kw::EventBatch>();
    m_thread.setObjectName(QStringLiteral("keepwatch-collector"));
}

Collector::~Collector() {
    stop();
}

void Collector::start(SessionSources sources) {
    // A std::function must be copyable: the sources travel in a shared box.
    auto box = std::make_shared<SessionSources>(std::move(sources));
    start([box] { return std::move(*box); });
}

void Collector::start(SourceFactory factory) {
    stop();
    ++m_generation;
    m_inFlight = std::make_shared<std::atomic<int>>(0);
    CollectorWorker::Timing timing;
    timing.pollIntervalMs = m_options.pollIntervalMs;
    timing.minIntervalMs = m_options.minIntervalMs;
    timing.wakeIntervalMs = m_options.wakeIntervalMs;
    m_worker = new CollectorWorker(std::move(factory), m_generation, timing, m_inFlight);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &CollectorWorker::batchReady, this, &Collector::onWorkerBatch);
    connect(m_worker, &CollectorWorker::polled, this, &Collector::polled);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &CollectorWorker::begin, Qt::QueuedConnection);
}

void Collector::stop() {
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(m_worker, &CollectorWorker::finish, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr; // deleted by the thread's finished signal
}

void Collector::pollSoon() {
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &CollectorWorker::pollSoon, Qt::QueuedConnection);
}

void Collector::onWorkerBatch(const kw::EventBatch &batch, quint64 generation) {
    // Taken: the worker may poll again (it waits while a batch is in flight).
    if (generation == m_generation)
        m_inFlight->fetch_sub(1);
    if (generation != m_generation)
        return; // polled with sources that have been replaced since
    // Before the batch is applied: the worker reads the next while this
    // thread applies this one (a batch posted meanwhile waits for the next
    // turn of the event loop, after what this one made it paint).
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &CollectorWorker::batchTaken, Qt::QueuedConnection);
    emit batchReady(batch);
}

} // namespace kw
