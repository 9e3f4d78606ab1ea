// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"

#include <QString>
#include <QStringList>

namespace kw {

// Something the collector polls to learn about sessions: the spool, /proc, a
// Bacula director, the journal. Implementations run on the collector's
// thread, one poll at a time, and never touch the GUI.
class SessionSource {
public:
    virtual ~SessionSource() = default;

    virtual QString name() const = 0;
    // Appends what happened since the last poll. Must not block for long:
    // read what is there, bounded, and return.
    virtual void poll(EventBatch &out) = 0;
    // Paths whose change should wake the collector early (file-system
    // notification); the slow poll is the fallback.
    virtual QStringList watchPaths() const { return {}; }
    // True when the last poll stopped at its budget with data left to read.
    virtual bool hasPendingData() const { return false; }
};

} // namespace kw
