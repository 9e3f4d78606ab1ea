// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// The borg adapter on arbitrary output (--log-json, --json, text), in any chunking.

#include "fuzzsupport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    static const QList<QStringList> commands = {
        {QStringLiteral("borg"), QStringLiteral("create"), QStringLiteral("--log-json"),
         QStringLiteral("--progress"), QStringLiteral("--json"), QStringLiteral("/srv/borg::a"),
         QStringLiteral("/home")},
        {QStringLiteral("borg"), QStringLiteral("create"), QStringLiteral("--progress"),
         QStringLiteral("--stats"), QStringLiteral("/srv/borg::a"), QStringLiteral("/home")},
        {QStringLiteral("borg"), QStringLiteral("extract"), QStringLiteral("--log-json"),
         QStringLiteral("--progress"), QStringLiteral("/srv/borg::a")},
        {QStringLiteral("borg"), QStringLiteral("list"), QStringLiteral("--json"),
         QStringLiteral("/srv/borg")}};
    kw::fuzz::fuzzAdapter(QStringLiteral("borg"), commands, bytes, size);
    return 0;
}
