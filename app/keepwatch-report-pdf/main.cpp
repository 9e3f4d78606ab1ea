// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// keepwatch-report-pdf IN.html OUT.pdf: the HTML report as a paginated A4 PDF.
//
// A separate program because the PDF writer needs QtGui, and keepwatch-cli
// must run on servers that have only QtCore: `keepwatch-cli export --format
// pdf` writes the HTML report and runs this next to itself.
#include <QFile>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <cstdio>

namespace {
// Offscreen under cron, Qt warns about the environment (no XDG_RUNTIME_DIR,
// no fonts database); the report is still right, so only real problems show.
void messageHandler(QtMsgType type, const QMessageLogContext &, const QString &message) {
    if (type == QtCriticalMsg || type == QtFatalMsg)
        std::fprintf(stderr, "keepwatch-report-pdf: %s\n", message.toLocal8Bit().constData());
}
} // namespace

int main(int argc, char **argv) {
    if (argc != 3) {
        std::fprintf(stderr, "Usage: keepwatch-report-pdf IN.html OUT.pdf\n");
        return 2;
    }
    // Headless servers and cron have no display: render offscreen there.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(messageHandler);
    QGuiApplication app(argc, argv);
    const QString in = QString::fromLocal8Bit(argv[1]);
    const QString out = QString::fromLocal8Bit(argv[2]);

    QFile file(in);
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "keepwatch-report-pdf: cannot read %s: %s\n", argv[1],
                     file.errorString().toLocal8Bit().constData());
        return 1;
    }
    QTextDocument document;
    document.setHtml(QString::fromUtf8(file.readAll()));

    QPdfWriter writer(out);
    writer.setTitle(document.metaInformation(QTextDocument::DocumentTitle));
    writer.setCreator(QStringLiteral("Keepwatch"));
    writer.setPageSize(QPageSize(QPageSize::A4));
    // print() keeps its own 2 cm margin (and puts the page number in it).
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter);
    writer.setResolution(300);
    // QTextDocument::print() paginates and numbers the pages.
    document.print(&writer);
    if (!QFile::exists(out)) {
        std::fprintf(stderr, "keepwatch-report-pdf: cannot write %s\n", argv[2]);
        return 1;
    }
    return 0;
}
