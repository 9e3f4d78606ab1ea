// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"
#include "store/session.h"

namespace kw {

// The protocol's folding rules (docs/event-protocol.md, "How readers fold
// events") as one pure function, shared by the live store and the history
// database so that both always agree on what a session is:
// - a final state is final: later state and progress events are ignored;
// - except `interrupted`, which a reader infers; a real end event read later
//   replaces it, because the producer's own word is better than a guess;
// - progress fields merge: each event updates only the fields it carries;
//   only bytes, files, percent or the current item moving counts as
//   progress (for stall detection);
// - progress that moves on a stalled, queued or starting session makes it
//   running;
// - log lines only count here; where their text goes is the caller's business.
class SessionFolder final {
public:
    // Returns true when a visible field of the session changed.
    static bool fold(Session &session, const Event &event);
};

} // namespace kw
