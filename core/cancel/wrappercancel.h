// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QList>
#include <QString>
#include <optional>

namespace kw {

struct Session;
class SessionStore;

// Cancels a session the one safe way: by asking its own wrapper
// (`keepwatch-cli run`) to stop its command (docs/event-protocol.md,
// "Cancelling"). The spool is untrusted — anybody who can write a file
// there can name any pid as a session's producer — so the wrapper is
// signalled only when every check passes:
// - the session is still running and was started by `keepwatch-cli run`;
// - pid, start time and boot all match a running process (a pid alone may
//   have been reused);
// - that process is `keepwatch-cli run` (a `list` or `export` would die of
//   the signal);
// - no other session names the same process (one of the two files was
//   edited to point at a stranger's wrapper);
// - for a session of the system spool (system:<user>), the wrapper runs as
//   that user: a file of alice naming root's wrapper must not let root's
//   cancel stop root's backup. Another user's wrapper (root's, for alice)
//   is refused with what to do instead;
// - the wrapper runs as this user, or this user is root (the kernel would
//   refuse the signal anyway: say so first, and what works instead);
// - the wrapper runs as the owner of the session's file.
// Used by keepwatch-cli cancel and the window alike.
class WrapperCancel final {
public:
    // What the checks need, copied out of a store, so that they can run
    // off the thread that owns it.
    struct Target {
        QString sessionId;
        SessionState state = SessionState::Running;
        std::optional<qint64> producerPid;
        std::optional<quint64> producerStartTicks;
        QString bootId;
        // The user whose system spool directory holds the session (the file's
        // owner, SystemSpool::userOfIdentity); empty for any other source.
        QString spoolOwner;
        // Whose the session is (SessionOwner::of): only they and root may stop it.
        QString owner;
        QString source;
        // The spool file the session was read from: its owner (the kernel's
        // word) must be the user the wrapper runs as. Empty when the caller
        // has none (then only a system-spool session is checked, by its
        // directory's owner); named but unreadable, root refuses.
        QString sessionFile;
        // The producers other sessions name.
        struct Producer {
            QString sessionId;
            qint64 pid = 0;
            quint64 startTicks = 0;
        };
        QList<Producer> otherProducers;
    };
    static Target target(const SessionStore &store, int row, const QString &sessionFile = {});

    // Why `target` must not be signalled, in one sentence a person can act
    // on; empty when it may be.
    static QString refusal(const Target &target);
    // The first of those checks, and the only one that reads nothing from
    // /proc, so the window can ask it for every row (its lock): whether the
    // session is another user's, who this user is not root. Says what works
    // instead (`sudo keepwatch-cli cancel …` for a wrapped session); empty
    // when this user may try.
    static QString ownerRefusal(const QString &sessionId, const QString &source,
                                const QString &owner);
    static QString ownerRefusal(const Session &session);
    // Checks, then sends the cancel request. Empty on success, else why not.
    static QString request(const Target &target);

    // Follows the session's own spool file until its end event, at most
    // `timeoutMs`: the final state, or none when it has not ended by then.
    static std::optional<SessionState> waitForEnd(const QString &file, const QString &sessionId,
                                                  int timeoutMs);
};

} // namespace kw
