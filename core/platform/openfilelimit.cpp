// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/openfilelimit.h"

#include <algorithm>

namespace kw {

int heldFilesBudget() {
    constexpr long kReserve = 256;
    return int(std::clamp((raisedOpenFileLimit() - kReserve) / 2, 16L, 4096L));
}

} // namespace kw
