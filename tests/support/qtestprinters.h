// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"
#include "protocol/sessiontypes.h"

#include <QTest>

// Readable QCOMPARE failures for the protocol's enums ("failed" instead of 7).
namespace kw {
inline char *toString(SessionState v) {
    return qstrdup(wireName(v).latin1());
}
inline char *toString(SessionKind v) {
    return qstrdup(wireName(v).latin1());
}
inline char *toString(LogLevel v) {
    return qstrdup(wireName(v).latin1());
}
inline char *toString(EventType v) {
    return qstrdup(wireName(v).latin1());
}
} // namespace kw
