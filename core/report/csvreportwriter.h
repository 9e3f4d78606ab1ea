// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace kw {

struct ReportData;

// One row per session, RFC 4180: a header row, CRLF line ends, fields with a
// comma, quote, CR or LF quoted and their quotes doubled, UTF-8.
//
// Spreadsheets run a cell that starts with = + - @ (or a tab or CR before
// one) as a formula, so a session title such as `=cmd|' /C calc'!A0` would be
// a command. Every such field gets a leading apostrophe, which spreadsheets
// show as text (OWASP's "CSV injection" advice). Numbers here are never
// negative, so no number is touched.
class CsvReportWriter final {
public:
    static QByteArray write(const ReportData &data);
    static QStringList header();
    // One field, neutralised and quoted as needed.
    static QString field(const QString &value);
};

} // namespace kw
