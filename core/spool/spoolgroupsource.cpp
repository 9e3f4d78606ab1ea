// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spoolgroupsource.h"

namespace kw {

CommittedSpoolPositions::Positions CommittedSpoolPositions::takeMoved(const Positions &now) {
    Positions moved;
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        const auto last = m_last.constFind(it.key());
        if (last == m_last.cend() || *last != it.value()) {
            moved.insert(it.key(), it.value());
            m_last.insert(it.key(), it.value());
        }
    }
    return moved;
}

} // namespace kw
