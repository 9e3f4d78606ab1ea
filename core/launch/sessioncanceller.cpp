// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launch/sessioncanceller.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace kw {

SessionCanceller::SessionCanceller(QObject *parent)
    : QObject(parent) {}

SessionCanceller::~SessionCanceller() {
    // The watchers are children: wait for what they watch, so no task
    // outlives the canceller (the tasks themselves touch nothing of it).
    for (auto *watcher : findChildren<QFutureWatcher<QString> *>())
        watcher->waitForFinished();
}

void SessionCanceller::cancel(const WrapperCancel::Target &target) {
    ++m_pending;
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this,
            [this, watcher, id = target.sessionId] {
                const QString refusal = watcher->result();
                watcher->deleteLater();
                --m_pending;
                if (refusal.isEmpty())
                    emit finished(id, true, QStringLiteral("cancel requested for session ") + id);
                else
                    emit finished(id, false, QStringLiteral("cancel: ") + refusal);
            });
    watcher->setFuture(QtConcurrent::run([target] { return WrapperCancel::request(target); }));
}

} // namespace kw
