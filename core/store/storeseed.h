// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"
#include "store/session.h"

#include <QByteArray>
#include <vector>

namespace kw {

// Sessions a store starts from before it folds any event: what the history
// database remembers from earlier runs. The first batch of a history-backed
// collector carries one, so the seed always lands before the events that
// follow it (same thread, same queued connection, same order).
struct StoreSeed {
    struct Line {
        qint64 timestampMs = 0;
        LogLevel level = LogLevel::Info;
        QByteArray message;
    };
    struct Entry {
        Session session;
        // The newest lines of an unfinished session (it goes on logging, and
        // its pane must show what came before). Finished sessions come
        // without lines: their log is read from the database when opened.
        std::vector<Line> logTail;
    };
    std::vector<Entry> sessions;
};

} // namespace kw
