// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

class QWidget;

namespace kw {

class SessionStore;
struct ReportData;

// File → Export Report…: the report of some of the store's sessions, in the
// format picked in the file dialog. HTML, CSV and JSON come from core's
// writers; the PDF is the HTML printed by QTextDocument onto a QPdfWriter,
// which is what keepwatch-report-pdf does for the CLI.
class ReportExport final {
public:
    enum class Format { Html, Pdf, Csv, Json };

    static QString fileDialogFilters();
    // The format of a dialog filter (its index in fileDialogFilters()) or of a
    // file name's suffix.
    static std::optional<Format> formatOfFilter(const QString &filter);
    static std::optional<Format> formatOfFile(const QString &fileName);
    static QString suffix(Format format);

    static QByteArray render(Format format, const ReportData &data);
    static QByteArray htmlToPdf(const QByteArray &html);

    // Asks where, then writes the report of `rows` (store rows). Returns the
    // file written, or an empty string when cancelled or failed (the user
    // was told why).
    static QString run(QWidget *parent, const SessionStore &store, const QList<int> &rows);
};

} // namespace kw
