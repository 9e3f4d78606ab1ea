// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historylogloader.h"

#include "history/historydatabase.h"

#include <QMetaObject>
#include <QMutex>
#include <QThreadPool>

namespace kw {

namespace {

// Guards the loader pointer shared with pool tasks.
QMutex &selfMutex() {
    static QMutex mutex;
    return mutex;
}

} // namespace

HistoryLogLoader::HistoryLogLoader(QString databasePath, QObject *parent)
    : QObject(parent)
    , m_databasePath(std::move(databasePath))
    , m_self(std::make_shared<HistoryLogLoader *>(this)) {}

HistoryLogLoader::~HistoryLogLoader() {
    const QMutexLocker lock(&selfMutex());
    *m_self = nullptr;
}

void HistoryLogLoader::load(const SessionKey &key, qint64 maxLines) {
    if (m_loading.contains(key))
        return;
    m_loading.insert(key);
    std::weak_ptr<HistoryLogLoader *> self = m_self;
    const QString path = m_databasePath;
    QThreadPool::globalInstance()->start([self, path, key, maxLines] {
        auto lines = std::make_shared<Lines>();
        QString error;
        {
            HistoryDatabase db;
            if (!db.openForReading(path)) {
                error = db.errorString();
            } else if (const auto pk = db.findSession(key)) {
                const auto rows = db.logTail(*pk, maxLines);
                if (!db.errorString().isEmpty())
                    error = db.errorString();
                lines->reserve(size_t(rows.size()));
                for (const auto &row : rows)
                    lines->push_back({row.timestampMs, row.level, row.message});
            } else {
                error = QStringLiteral("session %1 is not in the history").arg(key.id);
            }
        }
        const auto owner = self.lock();
        if (!owner)
            return;
        const QMutexLocker lock(&selfMutex());
        if (HistoryLogLoader *loader = *owner) {
            QMetaObject::invokeMethod(
                loader,
                [loader, key, lines = std::shared_ptr<const Lines>(lines), error] {
                    loader->finish(key, lines, error);
                },
                Qt::QueuedConnection);
        }
    });
}

void HistoryLogLoader::finish(const SessionKey &key, std::shared_ptr<const Lines> lines,
                              const QString &error) {
    m_loading.remove(key);
    if (!error.isEmpty())
        emit failed(key, error);
    else
        emit loaded(key, std::move(lines));
}

} // namespace kw
