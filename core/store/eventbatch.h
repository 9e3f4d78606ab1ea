// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"

#include <QList>
#include <QMetaType>
#include <memory>

namespace kw {

struct StoreSeed;

// The store's input: what one poll of all sources produced, folded by
// SessionStore::apply as one unit per tick. Not a wire type (the protocol
// knows events, not the store): it lives with the store that folds it.
struct EventBatch {
    QList<Event> events;
    QList<SourceError> errors;
    // Sessions to start from, applied before `events` (see StoreSeed).
    std::shared_ptr<const StoreSeed> seed;

    bool isEmpty() const { return events.isEmpty() && errors.isEmpty() && !seed; }
};

} // namespace kw

Q_DECLARE_METATYPE(kw::EventBatch)
