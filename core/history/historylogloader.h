// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "store/logbuffer.h"
#include "store/session.h"

#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

namespace kw {

// Reads a finished session's log lines from the history database on a pool
// thread (its own read-only connection) into the LogBuffer the store keeps,
// and hands that back on the loader's thread, where taking it is a move:
// opening a pane of a 500,000-line session never blocks the window, neither
// for the read nor for copying the lines in (measured in bench_startup).
//
// One-shot work, so the project's idiom for it: QtConcurrent::run, watched by
// a QFutureWatcher this object owns (the result arrives as a queued signal on
// this thread, or not at all once this object is gone), and every load still
// running is waited for when this object is destroyed: no pool task outlives
// the loader or the application.
class HistoryLogLoader final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryLogLoader)

public:
    explicit HistoryLogLoader(QString databasePath, QObject *parent = nullptr);
    // Waits for the loads still running (one not started yet is skipped);
    // nobody hears of them.
    ~HistoryLogLoader() override;

    QString databasePath() const { return m_databasePath; }
    // Reads the newest `maxLines` lines of the session, into a buffer that
    // holds them all; one load per session at a time (asking again while it
    // runs does nothing).
    void load(const SessionKey &key, qint64 maxLines);
    bool isLoading(const SessionKey &key) const { return m_loads.contains(key); }

signals:
    // `log` is the receiver's to move from (SessionStore::loadHistoryLog).
    void loaded(const kw::SessionKey &key, std::shared_ptr<kw::LogBuffer> log);
    void failed(const kw::SessionKey &key, const QString &message);

private:
    struct Result {
        std::shared_ptr<LogBuffer> log;
        QString error;
    };
    // The pool task: only its arguments, never this object.
    static Result read(const QString &path, const SessionKey &key, qint64 maxLines,
                       const std::shared_ptr<const std::atomic<bool>> &stopping);
    void finish(const SessionKey &key, QFutureWatcher<Result> *watcher);

    QString m_databasePath;
    QHash<SessionKey, QFutureWatcher<Result> *> m_loads; // children of this object
    // Set when this object is destroyed: loads that have not started skip the read.
    std::shared_ptr<std::atomic<bool>> m_stopping = std::make_shared<std::atomic<bool>>(false);
};

} // namespace kw
