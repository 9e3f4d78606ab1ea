// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spoolsnapshot.h"

#include "protocol/timestamp.h"
#include "spool/spoolsource.h"
#include "store/sessionstore.h"

#include <QThread>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace kw {

namespace {

// Batches from the reading thread to the folding one. Bounded, so a reader
// faster than the store holds at most a few batches (a poll's input each).
class BatchQueue {
public:
    void push(EventBatch batch) {
        std::unique_lock lock(m_mutex);
        m_room.wait(lock, [this] { return m_batches.size() < kMaxBatches; });
        m_batches.push_back(std::move(batch));
        m_ready.notify_one();
    }
    void close() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_ready.notify_one();
    }
    // A batch the store has folded, to be freed by the reader: memory goes
    // back to the malloc arena of the thread that took it, without taking
    // that arena's lock against its own allocations.
    void recycle(EventBatch batch) {
        std::lock_guard lock(m_mutex);
        m_done.push_back(std::move(batch));
    }
    void freeRecycled() {
        std::deque<EventBatch> done;
        {
            std::lock_guard lock(m_mutex);
            done.swap(m_done);
        }
    }
    // The next batch, or nothing once the reader closed the queue and it is empty.
    std::optional<EventBatch> pop() {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [this] { return !m_batches.empty() || m_closed; });
        if (m_batches.empty())
            return std::nullopt;
        EventBatch batch = std::move(m_batches.front());
        m_batches.pop_front();
        m_room.notify_one();
        return batch;
    }

private:
    static constexpr size_t kMaxBatches = 2;
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::condition_variable m_room;
    std::deque<EventBatch> m_batches;
    std::deque<EventBatch> m_done;
    bool m_closed = false;
};

} // namespace

QList<SourceError> SpoolSnapshot::load(const QString &directory, SessionStore &store,
                                       const QString &identity) {
    return load(
        [directory, identity]() -> std::unique_ptr<SessionSource> {
            SpoolSource::Options options;
            options.livenessIntervalMs = 0; // every pass checks the producers it can
            options.identity = identity;
            return std::make_unique<SpoolSource>(directory, options);
        },
        store);
}

QList<SourceError> SpoolSnapshot::load(const MakeSource &makeSource, SessionStore &store) {
    // Reading and decoding run on a thread of their own while this one folds
    // the batches into the store (which belongs to this thread), as the
    // window's collector and GUI threads do: on two cores the two overlap.
    // A named thread of its own, joined below, not a pool task: this side
    // waits for it batch by batch, so it must run now, not when a pool
    // thread happens to be free.
    BatchQueue queue;
    const std::unique_ptr<QThread> reader(QThread::create([&queue, &makeSource] {
        const std::unique_ptr<SessionSource> source = makeSource();
        do {
            queue.freeRecycled();
            EventBatch batch;
            source->poll(batch);
            queue.push(std::move(batch));
        } while (source->hasPendingData());
        queue.close();
    }));
    reader->setObjectName(QStringLiteral("keepwatch-spool-snapshot"));
    reader->start();
    QList<SourceError> errors;
    while (std::optional<EventBatch> batch = queue.pop()) {
        errors.append(batch->errors);
        store.apply(*batch);
        queue.recycle(std::move(*batch));
    }
    reader->wait();
    store.checkStalls(Timestamp::nowMs());
    return errors;
}

} // namespace kw
