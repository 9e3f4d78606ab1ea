// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"
#include "store/eventbatch.h"
#include "store/logbuffer.h"
#include "store/session.h"
#include "store/storeseed.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>
#include <memory>
#include <vector>

namespace kw {

// What one apply() changed, for models to turn into minimal row signals.
struct StoreChange {
    int firstNewRow = -1; // rows [firstNewRow, firstNewRow + newRows) were appended
    int newRows = 0;
    QList<int> changedRows; // existing rows whose fields changed; sorted, unique
    QList<int> logRows;     // rows (new or not) that got log lines; sorted, unique
    QList<SourceError> errors;
};

// Folds events into sessions and per-session bounded log buffers. Lives on
// the GUI thread (models read it directly, without locks); the collector
// hands it batches through a queued connection. Emits `changed` once per
// batch, never per event.
//
// The folding rules themselves are SessionFolder's.
class SessionStore final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionStore)

public:
    explicit SessionStore(QObject *parent = nullptr);
    ~SessionStore() override;

    // Seeds (batch.seed) first, then folds the events; one `changed`.
    void apply(const EventBatch &batch);

    int count() const { return int(m_sessions.size()); }
    const Session &at(int row) const { return m_sessions[size_t(row)]->session; }
    const LogBuffer &log(int row) const { return m_sessions[size_t(row)]->log; }
    int indexOf(const SessionKey &key) const { return m_index.value(key, -1); }
    // Rows whose session ID is `id`, whatever the source.
    QList<int> rowsWithId(const QString &id) const;

    // A running session whose progress has not moved for this long becomes
    // `stalled` (and `running` again when it moves). 0 turns it off.
    static constexpr qint64 kDefaultStallTimeoutMs = 5 * 60 * 1000;
    // $KEEPWATCH_STALL_TIMEOUT (seconds, 0 = off) or kDefaultStallTimeoutMs.
    static qint64 defaultStallTimeoutMs();
    qint64 stallTimeoutMs() const { return m_stallTimeoutMs; }
    void setStallTimeoutMs(qint64 timeoutMs);
    // Marks what has stalled by `nowMs`; runs every second on its own while
    // an event loop runs, and is called directly by one-shot readers.
    void checkStalls(qint64 nowMs);

    qint64 maxLogLines() const { return m_maxLogLines; }
    void setMaxLogLines(qint64 maxLines);

    // A session that came from the history with lines its buffer does not
    // hold yet (a finished session: its log stays in the database until a
    // pane asks for it).
    bool needsHistoryLog(int row) const;
    // Gives such a session its lines from the history, oldest first: a
    // buffer filled elsewhere (HistoryLogLoader, on a pool thread) is moved
    // in, so this costs no copy of the lines. One `changed` listing the row
    // in logRows. Ignored when the buffer got lines meanwhile (they are
    // newer than what was read).
    void loadHistoryLog(const SessionKey &key, LogBuffer &&log);
    void loadHistoryLog(const SessionKey &key, const std::vector<StoreSeed::Line> &lines);
    // How many lines a buffer filled from the history may hold: the newest
    // of a long log, even beyond maxLogLines (a finished session's log does
    // not grow; the user opened it to read it).
    static constexpr qint64 kMaxHistoryLogLines = 2000000;

    // The most recent source errors (bounded), for a diagnostics view.
    const QList<SourceError> &recentErrors() const { return m_recentErrors; }

signals:
    void changed(const kw::StoreChange &change);

private:
    struct Entry {
        Session session;
        LogBuffer log;
        // The apply() generation that last listed this entry in a change, so a
        // batch of a million events lists each row once without a sort.
        quint64 changedMark = 0;
        quint64 logMark = 0;
        bool logInHistory = false; // lines still only in the database (seeded)
    };
    void seed(const StoreSeed &seed, StoreChange &change);
    int rowFor(const Event &event, StoreChange &change);
    int rowForKey(const SessionKey &key, qint64 firstEventMs, StoreChange &change);
    // Returns true when the session's visible fields changed.
    bool fold(Entry &entry, const Event &event);
    // A unit's run and the wrapper's session inside it are one: marks the
    // unit's run joined when both are here, in whichever order they came.
    void join(int row, StoreChange &change);

    std::vector<std::unique_ptr<Entry>> m_sessions;
    QHash<SessionKey, int> m_index;
    QHash<const QChar *, int> m_rowByIdData;  // see rowFor()
    QHash<QString, int> m_wrappedInvocations; // invocation ID -> a wrapper's session row
    QHash<QString, int> m_unitRuns;           // invocation ID -> the systemd source's row
    QList<SourceError> m_recentErrors;
    qint64 m_maxLogLines = 100000;
    qint64 m_stallTimeoutMs = 0;
    QTimer m_stallTimer;
    quint64 m_generation = 0;
};

} // namespace kw

Q_DECLARE_METATYPE(kw::StoreChange)
