// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QtGlobal>
#include <optional>

// How numbers and times read to a person: the table, the details pane, the
// timeline, the CLI and the reports all say "1.5 GiB" and "2m 05s" the same
// way. Locale-independent on purpose (QLocale::c()): a report mailed from a
// German server reads like one from an English one, and tests can assert
// the strings. The protocol's own wire form (ISO-8601 UTC) is
// kw::Timestamp's, not this.
namespace kw::Format {

// IEC units, one decimal: "900 bytes", "4.9 KiB", "1.5 GiB".
QString bytes(qint64 bytes);
// "1.5 GiB / 16.0 GiB", or only what is done when no total is known;
// empty when nothing is done.
QString bytesProgress(std::optional<qint64> done, std::optional<qint64> total);
// Bytes per second: "10.0 MiB/s" (whole bytes, as a rate is shown).
QString rate(double bytesPerSecond);
// "9s", "1m 05s", "2h 03m"; empty when negative (unknown).
QString duration(qint64 ms);
// Local time: "2026-11-25 08:00:00".
QString dateTime(qint64 msSinceEpoch);
// Local time to the millisecond: "2026-11-25 08:00:00.123".
QString dateTimeMs(qint64 msSinceEpoch);
// Local time of day to the millisecond: "08:00:00.123".
QString timeMs(qint64 msSinceEpoch);

} // namespace kw::Format
