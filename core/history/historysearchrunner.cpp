// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historysearchrunner.h"

#include "history/historydatabase.h"

#include <QElapsedTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <limits>
#include <utility>

namespace kw {

HistorySearchRunner::HistorySearchRunner(QString databasePath, QObject *parent)
    : QObject(parent)
    , m_databasePath(std::move(databasePath)) {}

HistorySearchRunner::~HistorySearchRunner() {
    for (Watcher *watcher : std::as_const(m_watchers)) {
        watcher->disconnect(this);
        watcher->cancel();
        watcher->waitForFinished();
    }
}

void HistorySearchRunner::start(const SearchQuery &query) {
    stop();
    m_hits = 0;
    m_more = false;
    m_error.clear();
    auto *watcher = new Watcher(this);
    m_watchers.append(watcher);
    m_current = watcher;
    connect(watcher, &Watcher::resultsReadyAt, this,
            [this, watcher](int begin, int end) { deliver(watcher, begin, end); });
    connect(watcher, &Watcher::finished, this, [this, watcher] { end(watcher); });
    watcher->setFuture(QtConcurrent::run(&HistorySearchRunner::search, m_databasePath, query));
}

void HistorySearchRunner::stop() {
    if (!m_current)
        return;
    Watcher *watcher = std::exchange(m_current, nullptr);
    // Its task ends at the next row; what it still finds is not delivered.
    watcher->disconnect(this);
    connect(watcher, &Watcher::finished, this, [this, watcher] {
        m_watchers.removeOne(watcher);
        watcher->deleteLater();
    });
    watcher->cancel();
    emit finished(m_hits, false, true, {});
}

void HistorySearchRunner::search(QPromise<Batch> &promise, const QString &path,
                                 const SearchQuery &query) {
    Batch end;
    end.last = true;
    HistoryDatabase db;
    // A burst the recorder has not indexed yet is indexed by the search.
    if (!db.openForReading(path, HistoryDatabase::Access::Indexing)) {
        end.error = db.errorString();
        promise.addResult(std::move(end));
        return;
    }
    // One more than asked for tells whether there are more.
    SearchQuery wanted = query;
    wanted.limit = query.limit < std::numeric_limits<int>::max() ? query.limit + 1 : query.limit;
    Batch batch;
    int found = 0;
    QElapsedTimer sinceBatch;
    bool firstBatch = true;
    const auto send = [&] {
        promise.addResult(std::exchange(batch, Batch{}));
        sinceBatch.restart();
        firstBatch = false;
    };
    const bool ok = HistorySearch::forEach(
        db, wanted, HistorySearch::Order::AsRecorded,
        [&](SearchHit &&hit) {
            if (++found > query.limit) {
                end.more = true;
                return false;
            }
            batch.hits.append(std::move(hit));
            if (firstBatch || batch.hits.size() >= kBatchHits || sinceBatch.elapsed() >= kBatchMs)
                send();
            return !promise.isCanceled();
        },
        &end.error, [&promise] { return promise.isCanceled(); });
    if (!batch.hits.isEmpty())
        send();
    if (!ok && end.error.isEmpty())
        end.error = QStringLiteral("the search failed");
    promise.addResult(std::move(end));
}

void HistorySearchRunner::deliver(Watcher *watcher, int begin, int end) {
    if (watcher != m_current)
        return;
    for (int i = begin; i < end; ++i) {
        const Batch batch = watcher->resultAt(i);
        if (batch.last) {
            m_more = batch.more;
            m_error = batch.error;
        }
        if (!batch.hits.isEmpty()) {
            m_hits += int(batch.hits.size());
            emit hitsFound(batch.hits);
        }
    }
}

void HistorySearchRunner::end(Watcher *watcher) {
    m_watchers.removeOne(watcher);
    watcher->deleteLater();
    if (watcher != m_current)
        return;
    m_current = nullptr;
    emit finished(m_hits, m_more, false, m_error);
}

} // namespace kw
