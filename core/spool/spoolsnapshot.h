// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"
#include "protocol/event.h"

#include <QList>
#include <QString>
#include <functional>
#include <memory>

namespace kw {

class SessionStore;

// Reads a whole spool once, synchronously, into a store: what the CLI does
// instead of running a collector. Includes the interrupted-producer check.
class SpoolSnapshot final {
public:
    // Returns the problems met (malformed lines, unreadable files). The
    // sessions are keyed with `identity` (SpoolSource::Options::identity).
    static QList<SourceError> load(const QString &directory, SessionStore &store,
                                   const QString &identity = QStringLiteral("spool"));

    // The same for any pull source: `makeSource` runs on the reading thread
    // (as a collector's factory does), and the source is polled until it has
    // no pending data left. Sources that check producers should do so on
    // every poll (a liveness interval of 0).
    using MakeSource = std::function<std::unique_ptr<SessionSource>()>;
    static QList<SourceError> load(const MakeSource &makeSource, SessionStore &store);
};

} // namespace kw
