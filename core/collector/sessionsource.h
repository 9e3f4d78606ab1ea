// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"
#include "store/eventbatch.h"
#include "store/session.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace kw {

// Something the collector polls to learn about sessions: the spool, /proc, a
// Bacula director, the journal. The contract (docs/architecture.md,
// "Sources"):
//
// - Created on the collector's thread (Collector::start takes a
//   SourceFactory) and destroyed there, so a QObject, a socket or a timer a
//   source owns has the collector's thread affinity from the start.
// - poll() runs on that thread, one poll at a time across all sources: polls
//   never overlap, so a source needs no locking for its own state.
// - A pull source is polled on file-system notification (watchPaths()) and
//   on the slow poll. A push source (a socket, a D-Bus signal, the journal's
//   fd) calls requestPoll() when it has something: the collector then polls
//   within milliseconds instead of waiting for the slow poll. Wake-ups that
//   arrive while a poll is due or running are coalesced into one poll.
class SessionSource {
public:
    SessionSource() = default;
    virtual ~SessionSource() = default;
    SessionSource(const SessionSource &) = delete;
    SessionSource &operator=(const SessionSource &) = delete;

    // The source's stable identity: its kind and location ("spool" for the
    // user's own spool, "spool:/var/spool/x" for another one, "proc"). It
    // keys the sessions it delivers (SessionKey::source): the same session ID
    // from two sources is two sessions. Stable across runs, since the
    // history database keys its rows with it too.
    virtual QString name() const = 0;
    // Appends what happened since the last poll. Must not block for long:
    // read what is there, bounded, and return.
    virtual void poll(EventBatch &out) = 0;
    // Paths whose change should wake the collector early (file-system
    // notification); the slow poll is the fallback.
    virtual QStringList watchPaths() const { return {}; }
    // True when the last poll stopped at its budget with data left to read.
    virtual bool hasPendingData() const { return false; }

    // A source whose sessions the history records beside the spool's
    // (systemd's runs, whose journal forgets them): where its delivered
    // events reach, as text the history commits with them, and, before the
    // first poll, a way to go on from there. Given the cursor and the
    // sessions the history holds from it, such a source delivers neither a
    // session the history already has ended nor a log line it already has.
    virtual bool isRecordedInHistory() const { return false; }
    virtual QString historyCursor() const { return {}; }
    virtual void resumeFromHistory(const QString &cursor, const QList<Session> &recorded) {
        Q_UNUSED(cursor)
        Q_UNUSED(recorded)
    }

    // Asks the collector for an early poll. Callable from any thread, also
    // before the collector has started the source (then it does nothing:
    // the first poll comes anyway).
    void requestPoll() const {
        std::lock_guard lock(m_wakeUpMutex);
        if (m_wakeUp)
            m_wakeUp();
    }
    // Set by the collector before the first poll, cleared before the source
    // is destroyed. Not for sources to call.
    void setWakeUp(std::function<void()> wakeUp) {
        std::lock_guard lock(m_wakeUpMutex);
        m_wakeUp = std::move(wakeUp);
    }

private:
    mutable std::mutex m_wakeUpMutex;
    std::function<void()> m_wakeUp;
};

using SessionSources = std::vector<std::unique_ptr<SessionSource>>;
// Makes the sources; called on the collector's thread.
using SourceFactory = std::function<SessionSources()>;

} // namespace kw
