// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/environmentswitch.h"

#include <QString>

namespace kw {

bool enabledByEnvironment(const char *name) {
    const QString value = qEnvironmentVariable(name).trimmed().toLower();
    return !(value == QLatin1String("0") || value == QLatin1String("off")
             || value == QLatin1String("no") || value == QLatin1String("false"));
}

} // namespace kw
