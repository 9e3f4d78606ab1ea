// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/openfilelimit.h"

#include <algorithm>
#include <mutex>
#include <sys/resource.h>

namespace kw {

long raisedOpenFileLimit() {
    static std::once_flag raised;
    std::call_once(raised, [] {
        rlimit limit{};
        if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
            return;
        const rlim_t wanted = std::min<rlim_t>(limit.rlim_max, 1 << 20);
        if (limit.rlim_cur < wanted) {
            limit.rlim_cur = wanted;
            setrlimit(RLIMIT_NOFILE, &limit); // failing, the soft limit stays
        }
    });
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return 1 << 20;
    return long(limit.rlim_cur);
}

} // namespace kw
