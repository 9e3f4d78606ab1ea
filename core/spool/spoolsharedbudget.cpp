// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spoolsharedbudget.h"

#include "spool/spoolsource.h"

namespace kw {

bool SpoolSharedBudget::poll(const std::vector<SpoolSource *> &sources, qint64 maxBytes,
                             EventBatch &out) {
    if (sources.empty())
        return false;
    const std::size_t count = sources.size();
    const std::size_t first = m_next % count;
    m_next = first + 1;
    bool pending = false;
    qint64 budget = maxBytes;
    for (std::size_t i = 0; i < count; ++i) {
        if (budget <= 0) {
            m_next = first + i;
            return true;
        }
        SpoolSource *source = sources[(first + i) % count];
        budget -= source->pollWithin(out, budget);
        pending = pending || source->hasPendingData();
    }
    return pending;
}

} // namespace kw
