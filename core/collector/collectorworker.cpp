// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "collector/collectorworker.h"

#include "logging/logging.h"

#include <QElapsedTimer>
#include <QFileSystemWatcher>
#include <QThread>
#include <utility>

namespace kw {

CollectorWorker::CollectorWorker(SourceFactory factory, quint64 generation, Timing timing,
                                 std::shared_ptr<std::atomic<int>> inFlight)
    : m_factory(std::move(factory))
    , m_generation(generation)
    , m_timing(timing)
    , m_inFlight(std::move(inFlight))
    , m_timer(this) // a child, so that moveToThread() takes it along
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &CollectorWorker::poll);
}

CollectorWorker::~CollectorWorker() = default;

void CollectorWorker::begin() {
    // Created here so that it belongs to the worker thread, like the timer
    // after moveToThread().
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &CollectorWorker::pollSoon);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &CollectorWorker::pollSoon);
    if (m_factory)
        m_sources = std::exchange(m_factory, nullptr)();
    for (auto &source : m_sources) {
        // Queued: from whatever thread the source calls it, the poll runs
        // here, after the poll under way (if any) has returned.
        source->setWakeUp([this] {
            QMetaObject::invokeMethod(this, &CollectorWorker::wakeUp, Qt::QueuedConnection);
        });
    }
    poll();
}

void CollectorWorker::finish() {
    m_stopped = true;
    m_timer.stop();
    delete m_watcher;
    m_watcher = nullptr;
    // No wake-up may reach this worker once it is gone (setWakeUp takes the
    // source's lock, so a wake-up under way has returned), and the sources
    // die on the thread they were made on.
    for (auto &source : m_sources)
        source->setWakeUp(nullptr);
    m_sources.clear();
}

void CollectorWorker::arm(int delayMs) {
    if (m_stopped)
        return;
    if (!m_timer.isActive() || m_timer.remainingTime() > delayMs)
        m_timer.start(delayMs);
}

void CollectorWorker::pollSoon() {
    arm(m_timing.minIntervalMs);
}

void CollectorWorker::wakeUp() {
    qCDebug(log::collector) << "woken by a source";
    arm(m_timing.wakeIntervalMs);
}

void CollectorWorker::batchTaken() {
    if (m_morePending)
        arm(0);
}

void CollectorWorker::poll() {
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_stopped)
        return;
    if (m_inFlight->load() > 0) {
        // The consumer has not taken the last batch: wait instead of piling up.
        arm(m_timing.minIntervalMs);
        return;
    }
    EventBatch batch;
    bool pending = false;
    // What each source delivered and how long it took, when asked for
    // (keepwatch.collector.debug): the first thing to look at when the
    // window lags behind a source.
    const bool tracing = log::collector().isDebugEnabled();
    for (auto &source : m_sources) {
        const qsizetype events = batch.events.size();
        const qsizetype errors = batch.errors.size();
        QElapsedTimer timer;
        if (tracing)
            timer.start();
        source->poll(batch);
        pending = pending || source->hasPendingData();
        if (tracing) {
            qCDebug(log::collector).nospace()
                << source->name() << ": " << batch.events.size() - events << " events, "
                << batch.errors.size() - errors << " problems in " << timer.elapsed() << " ms"
                << (source->hasPendingData() ? " (more to read)" : "");
        }
        for (qsizetype i = errors; i < batch.errors.size() && log::collector().isInfoEnabled(); ++i)
            qCInfo(log::collector).noquote() << batch.errors.at(i).toString();
    }
    updateWatches();
    if (!batch.isEmpty()) {
        m_inFlight->fetch_add(1);
        emit batchReady(batch, m_generation);
    }
    emit polled();
    m_morePending = pending;
    // Re-armed only now, so polls can never overlap. More data waiting: come
    // back right after the consumer took this batch.
    arm(pending ? 0 : m_timing.pollIntervalMs);
}

void CollectorWorker::updateWatches() {
    if (!m_watcher)
        return;
    QSet<QString> wanted;
    for (const auto &source : m_sources) {
        const QStringList paths = source->watchPaths();
        wanted.unite(QSet<QString>(paths.cbegin(), paths.cend()));
    }
    const QSet<QString> toRemove = m_watched - wanted;
    const QSet<QString> toAdd = wanted - m_watched;
    if (!toRemove.isEmpty())
        m_watcher->removePaths(toRemove.values());
    if (!toAdd.isEmpty()) {
        // Paths that do not exist yet (an empty spool) fail here and are
        // retried on the next poll; the slow poll covers them meanwhile.
        const QStringList failed = m_watcher->addPaths(toAdd.values());
        m_watched = wanted - QSet<QString>(failed.cbegin(), failed.cend());
    } else {
        m_watched = wanted;
    }
}

} // namespace kw
