// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/processend.h"

namespace kw {

int endProcess(int status) {
    return status;
}

} // namespace kw
