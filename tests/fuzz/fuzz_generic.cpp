// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// The generic adapter (any other command) on arbitrary output, in any chunking.

#include "fuzzsupport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    static const QList<QStringList> commands = {{QStringLiteral("/usr/local/bin/backup.sh")},
                                                {QStringLiteral("tar"), QStringLiteral("czf"),
                                                 QStringLiteral("/mnt/b.tgz"),
                                                 QStringLiteral("/home")}};
    kw::fuzz::fuzzAdapter(QStringLiteral("generic"), commands, bytes, size);
    return 0;
}
