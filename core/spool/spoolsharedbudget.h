// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QtGlobal>
#include <cstddef>
#include <vector>

namespace kw {

struct EventBatch;
class SpoolSource;

// Polls a group of spool directories (the system spool's users, the remote
// hosts' mirrors) within one budget of bytes for all of them, so that a
// poll's batch is as bounded as one directory's: a hundred hosts each
// reading their own 16 MiB brought the window batches of 30 MiB and more
// when their sessions all started (a stall of 284 ms, bench_fleet).
// Whoever read first last time reads second now, and an over-budget poll
// goes on next time with the first directory it could not read: none
// starves another.
class SpoolSharedBudget final {
public:
    // True when one of them has more to read.
    bool poll(const std::vector<SpoolSource *> &sources, qint64 maxBytes, EventBatch &out);

private:
    std::size_t m_next = 0; // which source reads first in the next poll
};

} // namespace kw
