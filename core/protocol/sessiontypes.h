// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QLatin1String>
#include <QString>
#include <QStringView>
#include <optional>

namespace kw {

// The protocol's vocabularies. The wire strings are part of protocol v1
// (docs/event-protocol.md) and must never change; the enum order is only used
// for sorting (active states before finished ones).
enum class SessionState : quint8 {
    Queued,
    Starting,
    Running,
    Stalled,
    Cancelling,
    Succeeded,
    Warning,
    Failed,
    Cancelled,
    Interrupted,
    Exited,
    Count
};

enum class SessionKind : quint8 { Backup, Restore, Verify, Prune, Snapshot, Other, Count };

enum class LogLevel : quint8 { Debug, Info, Warning, Error, Count };

QLatin1String wireName(SessionState state);
QLatin1String wireName(SessionKind kind);
QLatin1String wireName(LogLevel level);

std::optional<SessionState> sessionStateFromString(QStringView text);
std::optional<SessionKind> sessionKindFromString(QStringView text);
// Lenient: also maps common synonyms (warn, err, critical, trace, notice...).
std::optional<LogLevel> logLevelFromString(QStringView text);

// A finished session: no producer will change it again (but see SessionStore
// for why a real end event may still replace `interrupted`).
constexpr bool isTerminal(SessionState state) {
    return state >= SessionState::Succeeded && state < SessionState::Count;
}
constexpr bool isActive(SessionState state) {
    return !isTerminal(state);
}
// States a user must look at.
constexpr bool isProblem(SessionState state) {
    return state == SessionState::Failed || state == SessionState::Stalled
           || state == SessionState::Interrupted || state == SessionState::Warning;
}

} // namespace kw
