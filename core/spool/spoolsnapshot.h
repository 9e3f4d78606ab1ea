// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"

#include <QList>
#include <QString>

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
};

} // namespace kw
