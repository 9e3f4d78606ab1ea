// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/processend.h"

#include <cstdio>
#include <windows.h>

namespace kw {

int endProcess(int status) {
    std::fflush(nullptr); // stdout is fully buffered into a pipe or file
    ::TerminateProcess(::GetCurrentProcess(), UINT(status));
    return status; // not reached
}

} // namespace kw
