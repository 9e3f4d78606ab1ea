// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historylogloader.h"

#include "history/historydatabase.h"

#include <QtConcurrent/QtConcurrentRun>

namespace kw {

HistoryLogLoader::HistoryLogLoader(QString databasePath, QObject *parent)
    : QObject(parent)
    , m_databasePath(std::move(databasePath)) {}

HistoryLogLoader::~HistoryLogLoader() {
    m_stopping->store(true);
    for (QFutureWatcher<Result> *watcher : std::as_const(m_loads)) {
        watcher->disconnect(this);
        watcher->waitForFinished();
    }
    // The watchers, children, go with this object; their results unheard.
}

void HistoryLogLoader::load(const SessionKey &key, qint64 maxLines) {
    if (m_loads.contains(key))
        return;
    auto *watcher = new QFutureWatcher<Result>(this);
    m_loads.insert(key, watcher);
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, key, watcher] { finish(key, watcher); });
    watcher->setFuture(QtConcurrent::run(&HistoryLogLoader::read, m_databasePath, key, maxLines,
                                         std::shared_ptr<const std::atomic<bool>>(m_stopping)));
}

HistoryLogLoader::Result
HistoryLogLoader::read(const QString &path, const SessionKey &key, qint64 maxLines,
                       const std::shared_ptr<const std::atomic<bool>> &stopping) {
    Result result;
    if (stopping->load())
        return result;
    HistoryDatabase db;
    if (!db.openForReading(path)) {
        result.error = db.errorString();
    } else if (const auto pk = db.findSession(key)) {
        const auto rows = db.logTail(*pk, maxLines);
        if (!db.errorString().isEmpty())
            result.error = db.errorString();
        auto log = std::make_shared<LogBuffer>(qMax<qint64>(maxLines, 1));
        for (const auto &row : rows)
            log->append(row.timestampMs, row.level, row.message);
        result.log = std::move(log);
    } else {
        result.error = QStringLiteral("session %1 is not in the history").arg(key.id);
    }
    return result;
}

void HistoryLogLoader::finish(const SessionKey &key, QFutureWatcher<Result> *watcher) {
    m_loads.remove(key);
    watcher->deleteLater();
    Result result = watcher->result();
    if (!result.error.isEmpty())
        emit failed(key, result.error);
    else
        emit loaded(key, std::move(result.log));
}

} // namespace kw
