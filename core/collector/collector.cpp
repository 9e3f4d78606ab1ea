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

void Collector::start(std::vector<std::unique_ptr<SessionSource>> sources) {
    stop();
    ++m_generation;
    m_inFlight = std::make_shared<std::atomic<int>>(0);
    m_worker = new CollectorWorker(std::move(sources), m_generation, m_options.pollIntervalMs,
                                   m_options.minIntervalMs, m_inFlight);
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
    emit batchReady(batch);
}

} // namespace kw
