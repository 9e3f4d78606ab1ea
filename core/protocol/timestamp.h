// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QtGlobal>
#include <optional>
#include <string_view>

namespace kw::Timestamp {

// Parses the protocol's ISO-8601 form, "2026-11-25T08:00:00.123Z": UTC ('Z')
// or an explicit +HH:MM / -HH:MM offset, 0-9 fraction digits. Hand-written
// because it runs once per line on the ingest path, where QDateTime parsing
// costs more than the JSON parse itself.
std::optional<qint64> parseIsoMs(std::string_view text);

// Formats milliseconds since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ".
QByteArray formatIsoMs(qint64 msSinceEpoch);

qint64 nowMs();

} // namespace kw::Timestamp
