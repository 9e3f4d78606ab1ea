// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "reportexport.h"

#include "protocol/timestamp.h"
#include "report/csvreportwriter.h"
#include "report/htmlreportwriter.h"
#include "report/jsonreportwriter.h"
#include "report/reportdata.h"
#include "store/sessionstore.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

namespace kw {

namespace {
struct FormatInfo {
    ReportExport::Format format;
    const char *filter;
    const char *suffix;
};
constexpr FormatInfo kFormats[] = {
    {ReportExport::Format::Html, "HTML report (*.html *.htm)", "html"},
    {ReportExport::Format::Pdf, "PDF report (*.pdf)", "pdf"},
    {ReportExport::Format::Csv, "CSV, one row per session (*.csv)", "csv"},
    {ReportExport::Format::Json, "JSON (*.json)", "json"},
};
} // namespace

QString ReportExport::fileDialogFilters() {
    QStringList filters;
    for (const FormatInfo &f : kFormats)
        filters << QString::fromLatin1(f.filter);
    return filters.join(QLatin1String(";;"));
}

std::optional<ReportExport::Format> ReportExport::formatOfFilter(const QString &filter) {
    for (const FormatInfo &f : kFormats)
        if (filter == QLatin1String(f.filter))
            return f.format;
    return std::nullopt;
}

std::optional<ReportExport::Format> ReportExport::formatOfFile(const QString &fileName) {
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == QLatin1String("htm"))
        return Format::Html;
    for (const FormatInfo &f : kFormats)
        if (suffix == QLatin1String(f.suffix))
            return f.format;
    return std::nullopt;
}

QString ReportExport::suffix(Format format) {
    for (const FormatInfo &f : kFormats)
        if (f.format == format)
            return QString::fromLatin1(f.suffix);
    return {};
}

QByteArray ReportExport::htmlToPdf(const QByteArray &html) {
    QTextDocument document;
    document.setHtml(QString::fromUtf8(html));
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setTitle(document.metaInformation(QTextDocument::DocumentTitle));
        writer.setCreator(QStringLiteral("Keepwatch"));
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter);
        writer.setResolution(300);
        document.print(&writer); // paginates, with page numbers
    }
    return pdf;
}

QByteArray ReportExport::render(Format format, const ReportData &data) {
    switch (format) {
    case Format::Html:
        return HtmlReportWriter::write(data);
    case Format::Pdf:
        return htmlToPdf(HtmlReportWriter::write(data));
    case Format::Csv:
        return CsvReportWriter::write(data);
    case Format::Json:
        return JsonReportWriter::write(data);
    }
    return {};
}

QString ReportExport::run(QWidget *parent, const SessionStore &store, const QList<int> &rows) {
    QString filter = QString::fromLatin1(kFormats[0].filter);
    const QString proposed = QDir::home().filePath(
        QStringLiteral("keepwatch-report-%1.html")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd-HHmm"))));
    QString fileName = QFileDialog::getSaveFileName(
        parent, QObject::tr("Export Report of %n Session(s)", nullptr, int(rows.size())), proposed,
        fileDialogFilters(), &filter);
    if (fileName.isEmpty())
        return {};
    // The filter picks the format; a file name without a suffix gets its suffix.
    Format format = formatOfFilter(filter).value_or(Format::Html);
    if (QFileInfo(fileName).suffix().isEmpty())
        fileName += QLatin1Char('.') + suffix(format);
    else if (const auto byName = formatOfFile(fileName))
        format = *byName;

    ReportSelection selection;
    selection.nowMs = Timestamp::nowMs();
    const QByteArray bytes = render(format, ReportData::build(store, rows, selection));
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        QMessageBox::warning(parent, QObject::tr("Export Report"),
                             QObject::tr("Cannot write %1: %2")
                                 .arg(QDir::toNativeSeparators(fileName), file.errorString()));
        return {};
    }
    return fileName;
}

} // namespace kw
