// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/openmirrors.h"

#include "fleet/mirrorfile.h"
#include "platform/openfilelimit.h"

#include <algorithm>

namespace kw {

OpenMirrors::OpenMirrors(int capacity)
    : m_capacity(std::max(1, capacity)) {}

int OpenMirrors::defaultCapacity() {
    return heldFilesBudget();
}

void OpenMirrors::used(MirrorFile *file) {
    const auto at = m_where.find(file);
    if (!file->isOutputOpen()) {
        if (at != m_where.end()) {
            m_order.erase(at->second);
            m_where.erase(at);
        }
        return;
    }
    if (at != m_where.end()) {
        m_order.splice(m_order.begin(), m_order, at->second);
        return;
    }
    m_order.push_front(file);
    m_where.emplace(file, m_order.begin());
    if (int(m_order.size()) > m_capacity) {
        MirrorFile *oldest = m_order.back();
        oldest->closeOutput();
        m_where.erase(oldest);
        m_order.pop_back();
    }
}

} // namespace kw
