// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QString>

namespace kw {

struct ReportData;

// The report for people: one self-contained HTML file (inline CSS, no
// scripts, no external URLs) that reads well on screen and printed, and that
// QTextDocument renders for the PDF. The markup is also well-formed XML
// (XHTML-compatible), so tests parse it back with QXmlStreamReader.
//
// Everything taken from sessions is untrusted (titles, paths, log lines come
// from whatever the backup command printed) and goes through escape().
class HtmlReportWriter final {
public:
    static QByteArray write(const ReportData &data);
    // toHtmlEscaped(), plus control characters that XML forbids (everything
    // below U+0020 except tab, LF and CR, and U+FFFE/U+FFFF) replaced by U+FFFD.
    // Safe in text and in double-quoted attributes.
    static QString escape(const QString &text);
};

} // namespace kw
