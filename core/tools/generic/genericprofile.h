// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "tools/toolprofile.h"

namespace kw {

// Any command Keepwatch does not know (a script, pg_dump): 0 is success,
// anything else a failure, a death by any signal too; SIGTERM cancels it;
// the generic adapter reads its output.
class GenericProfile final : public ToolProfile {
public:
    static const GenericProfile &instance();

    QString name() const override { return QStringLiteral("generic"); }
};

} // namespace kw
