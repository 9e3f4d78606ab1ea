// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/outputadapter.h"

#include <QByteArrayView>

namespace kw {

// The wrapper's own stdout and stderr, written as raw bytes: the command's
// output passes through byte for byte (no text-mode translation, no stdio
// buffer between it and cron's mail or journald). One implementation per
// platform (standardstreams_posix.cpp, standardstreams_windows.cpp).
enum class StreamWrite {
    Written,
    // Nobody reads it any more (`... | head`: EPIPE, or a closed pipe on
    // Windows): the command should see that too.
    ReaderGone,
    Failed,
};

StreamWrite writeStandardStream(OutputStream stream, QByteArrayView bytes);

} // namespace kw
