// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// The rsync adapter on arbitrary output (progress2, per-file progress,
// --stats), in any chunking; '\r' ends a progress record.

#include "fuzzsupport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    static const QList<QStringList> commands = {
        {QStringLiteral("rsync"), QStringLiteral("-a"), QStringLiteral("--info=progress2"),
         QStringLiteral("--stats"), QStringLiteral("src/"), QStringLiteral("dst/")},
        {QStringLiteral("rsync"), QStringLiteral("-a"), QStringLiteral("-P"),
         QStringLiteral("src/"), QStringLiteral("dst/")},
        {QStringLiteral("rsync"), QStringLiteral("-a"), QStringLiteral("--stats"),
         QStringLiteral("--out-format=%n"), QStringLiteral("src/"), QStringLiteral("dst/")},
        {QStringLiteral("rsync"), QStringLiteral("-a"), QStringLiteral("src/"),
         QStringLiteral("dst/")}};
    kw::fuzz::fuzzAdapter(QStringLiteral("rsync"), commands, bytes, size);
    return 0;
}
