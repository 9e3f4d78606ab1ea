// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// The restic adapter on arbitrary output (JSON and text), in any chunking.

#include "fuzzsupport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    static const QList<QStringList> commands = {
        {QStringLiteral("restic"), QStringLiteral("-r"), QStringLiteral("/srv/repo"),
         QStringLiteral("backup"), QStringLiteral("--json"), QStringLiteral("/home")},
        {QStringLiteral("restic"), QStringLiteral("-r"), QStringLiteral("/srv/repo"),
         QStringLiteral("backup"), QStringLiteral("/home")},
        {QStringLiteral("restic"), QStringLiteral("restore"), QStringLiteral("latest"),
         QStringLiteral("--target"), QStringLiteral("/tmp/r")},
        {QStringLiteral("restic"), QStringLiteral("check"), QStringLiteral("--read-data")}};
    kw::fuzz::fuzzAdapter(QStringLiteral("restic"), commands, bytes, size);
    return 0;
}
