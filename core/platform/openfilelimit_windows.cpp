// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/openfilelimit.h"

namespace kw {

long raisedOpenFileLimit() {
    // QFile holds Win32 handles (CreateFileW), not C runtime descriptors:
    // only memory bounds them (about 16 million a process).
    return 1 << 20;
}

} // namespace kw
