// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QLatin1String>

// The names of systemd's D-Bus API (org.freedesktop.systemd1(5)), in one place.
namespace kw::SystemdBus {

inline constexpr QLatin1String kService{"org.freedesktop.systemd1"};
inline constexpr QLatin1String kManagerPath{"/org/freedesktop/systemd1"};
inline constexpr QLatin1String kManagerInterface{"org.freedesktop.systemd1.Manager"};
inline constexpr QLatin1String kUnitInterface{"org.freedesktop.systemd1.Unit"};
inline constexpr QLatin1String kServiceInterface{"org.freedesktop.systemd1.Service"};
inline constexpr QLatin1String kProperties{"org.freedesktop.DBus.Properties"};

} // namespace kw::SystemdBus
