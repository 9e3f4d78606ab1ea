// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>

namespace kw {

class JsonWriter;
class LogBuffer;
struct Session;

// The machine-readable form of a session shared by `keepwatch-cli list/show
// --json` and the reports: snake_case keys, ISO-8601 UTC times, null for
// what is not known. Every key is always present.
class SessionJson final {
public:
    static void write(JsonWriter &w, const Session &session, qint64 nowMs);
    // With "log": [{ts, level, msg}, ...] from the buffer.
    static void writeWithLog(JsonWriter &w, const Session &session, const LogBuffer &log,
                             qint64 nowMs);
};

} // namespace kw
