// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>

namespace kw {

struct ReportData;

// The machine-readable report (docs/report-format.md): one JSON object,
// "format": "keepwatch-report", "version": 1.
class JsonReportWriter final {
public:
    static constexpr int kVersion = 1;
    static QByteArray write(const ReportData &data);
};

} // namespace kw
