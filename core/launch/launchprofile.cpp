// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launch/launchprofile.h"

#include "tools/toolregistry.h"

namespace kw {

namespace {

constexpr QLatin1String kPasswordSourceNames[] = {
    QLatin1String("none"),
    QLatin1String("file"),
    QLatin1String("command"),
    QLatin1String("keyring"),
};
static_assert(std::size(kPasswordSourceNames) == size_t(PasswordSource::Type::Count));

} // namespace

QLatin1String wireName(PasswordSource::Type type) {
    return type < PasswordSource::Type::Count ? kPasswordSourceNames[size_t(type)]
                                              : QLatin1String("none");
}

std::optional<PasswordSource::Type> passwordSourceTypeFromString(QStringView text) {
    for (size_t i = 0; i < std::size(kPasswordSourceNames); ++i) {
        if (text == kPasswordSourceNames[i])
            return PasswordSource::Type(i);
    }
    return std::nullopt;
}

QStringList LaunchProfile::supportedTools() {
    return ToolRegistry::launchableNames();
}

} // namespace kw
