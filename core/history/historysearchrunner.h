// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "history/historysearch.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QPromise>
#include <QString>

namespace kw {

// Runs a HistorySearch on a pool thread, with a read-only connection of its
// own, and hands the hits back on this object's thread in batches as they
// are found: the window's Search All Logs fills its list while the search
// goes on, and the window never waits for the database.
//
// One search at a time: start() stops the one running (its later hits are
// never heard of), stop() ends it at the next row the database returns.
// The project's idiom for pool work: QtConcurrent::run with a QPromise, a
// QFutureWatcher owned by this object, and every task waited for when this
// object goes.
class HistorySearchRunner final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistorySearchRunner)

public:
    // A batch goes out with this many hits, or when this long has passed
    // since the last one (the first hit goes out at once).
    static constexpr int kBatchHits = 250;
    static constexpr int kBatchMs = 100;

    explicit HistorySearchRunner(QString databasePath, QObject *parent = nullptr);
    // Stops the search and waits for its task; nobody hears of it.
    ~HistorySearchRunner() override;

    QString databasePath() const { return m_databasePath; }
    // Searches in the order the lines were recorded (HistorySearch::Order::
    // AsRecorded), at most query.limit hits.
    void start(const SearchQuery &query);
    void stop();
    bool isRunning() const { return m_current != nullptr; }

signals:
    void hitsFound(const QList<kw::SearchHit> &hits);
    // `hits` found in all; `more`: the limit was reached and more lines
    // match; `stopped`: stop() ended it; `error` in words when it failed.
    void finished(int hits, bool more, bool stopped, const QString &error);

private:
    struct Batch {
        QList<SearchHit> hits;
        bool last = false; // the end: `more` and `error` are set
        bool more = false;
        QString error;
    };
    using Watcher = QFutureWatcher<Batch>;
    // The pool task: only its arguments, never this object.
    static void search(QPromise<Batch> &promise, const QString &path, const SearchQuery &query);
    void deliver(Watcher *watcher, int begin, int end);
    void end(Watcher *watcher);

    QString m_databasePath;
    Watcher *m_current = nullptr;
    QList<Watcher *> m_watchers; // running or stopping, children of this object
    int m_hits = 0;
    bool m_more = false;
    QString m_error;
};

} // namespace kw
