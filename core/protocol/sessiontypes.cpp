// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "protocol/sessiontypes.h"

#include <array>

namespace kw {

namespace {

constexpr std::array<const char *, size_t(SessionState::Count)> kStateNames = {
    "queued",  "starting", "running",   "stalled",     "cancelling", "succeeded",
    "warning", "failed",   "cancelled", "interrupted", "exited"};

constexpr std::array<const char *, size_t(SessionKind::Count)> kKindNames = {
    "backup", "restore", "verify", "prune", "snapshot", "other"};

constexpr std::array<const char *, size_t(LogLevel::Count)> kLevelNames = {"debug", "info",
                                                                           "warning", "error"};

template<typename Enum, size_t N>
std::optional<Enum> lookup(const std::array<const char *, N> &names, QStringView text) {
    for (size_t i = 0; i < N; ++i) {
        if (text == QLatin1String(names[i]))
            return Enum(i);
    }
    return std::nullopt;
}

} // namespace

QLatin1String wireName(SessionState state) {
    return state < SessionState::Count ? QLatin1String(kStateNames[size_t(state)])
                                       : QLatin1String("unknown");
}

QLatin1String wireName(SessionKind kind) {
    return kind < SessionKind::Count ? QLatin1String(kKindNames[size_t(kind)])
                                     : QLatin1String("other");
}

QLatin1String wireName(LogLevel level) {
    return level < LogLevel::Count ? QLatin1String(kLevelNames[size_t(level)])
                                   : QLatin1String("info");
}

std::optional<SessionState> sessionStateFromString(QStringView text) {
    return lookup<SessionState>(kStateNames, text);
}

std::optional<SessionKind> sessionKindFromString(QStringView text) {
    return lookup<SessionKind>(kKindNames, text);
}

std::optional<LogLevel> logLevelFromString(QStringView text) {
    if (auto exact = lookup<LogLevel>(kLevelNames, text))
        return exact;
    // Producers are scripts written by many hands: accept the usual synonyms.
    static const struct {
        const char *name;
        LogLevel level;
    } synonyms[] = {
        {"trace", LogLevel::Debug},  {"verbose", LogLevel::Debug}, {"notice", LogLevel::Info},
        {"warn", LogLevel::Warning}, {"err", LogLevel::Error},     {"critical", LogLevel::Error},
        {"fatal", LogLevel::Error},  {"alert", LogLevel::Error},   {"emerg", LogLevel::Error}};
    for (const auto &s : synonyms) {
        if (text.compare(QLatin1String(s.name), Qt::CaseInsensitive) == 0)
            return s.level;
    }
    return std::nullopt;
}

} // namespace kw
