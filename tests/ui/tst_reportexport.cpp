// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "mainwindow.h"
#include "report/reportdata.h"
#include "reportexport.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

// The window's File → Export Report…: format choice and the in-process PDF.
class TestReportExport final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void actionInTheFileMenu() {
        TempSpool spool;
        MainWindow window(spool.path());
        auto *action = window.findChild<QAction *>(QStringLiteral("exportReport"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
        QVERIFY(window.actions().contains(action)); // works with the menu bar hidden
        const QList<QAction *> menus = window.menuBar()->actions();
        QVERIFY(!menus.isEmpty());
        QVERIFY(menus.first()->menu()->actions().contains(action)); // File
    }

    void formats_data() {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<int>("format");
        QTest::newRow("html") << "r.html" << int(ReportExport::Format::Html);
        QTest::newRow("htm") << "r.HTM" << int(ReportExport::Format::Html);
        QTest::newRow("pdf") << "/tmp/x/r.pdf" << int(ReportExport::Format::Pdf);
        QTest::newRow("csv") << "r.csv" << int(ReportExport::Format::Csv);
        QTest::newRow("json") << "r.json" << int(ReportExport::Format::Json);
        QTest::newRow("none") << "report" << -1;
        QTest::newRow("other") << "r.txt" << -1;
    }
    void formats() {
        QFETCH(QString, fileName);
        QFETCH(int, format);
        const auto f = ReportExport::formatOfFile(fileName);
        QCOMPARE(f ? int(*f) : -1, format);
    }

    void filters() {
        const QStringList filters = ReportExport::fileDialogFilters().split(QLatin1String(";;"));
        QCOMPARE(filters.size(), 4);
        QCOMPARE(ReportExport::formatOfFilter(filters[1]), ReportExport::Format::Pdf);
        for (const QString &f : filters) {
            const auto format = ReportExport::formatOfFilter(f);
            QVERIFY(format);
            QVERIFY(f.contains(QLatin1String("*.") + ReportExport::suffix(*format)));
        }
    }

    void pdf() {
        SessionStore store;
        const qint64 t0 = 1795507200000;
        store.apply(
            spoolBatch({startEvent(QStringLiteral("a"), t0, SessionKind::Backup,
                                   QStringLiteral("borg"), QStringLiteral("etc to NAS")),
                        logEvent(QStringLiteral("a"), t0 + 1000,
                                 "<script>alert(1)</script> repository locked", LogLevel::Error),
                        endEvent(QStringLiteral("a"), t0 + 2000, SessionState::Failed, 2)}));
        ReportSelection selection;
        selection.nowMs = t0 + 3000;
        const QByteArray pdf = ReportExport::render(ReportExport::Format::Pdf,
                                                    ReportData::build(store, {0}, selection));
        QVERIFY(pdf.startsWith("%PDF-"));
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (Debian poppler-utils) is not installed");
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("r.pdf")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(pdf);
        file.close();
        QProcess p;
        p.start(QStringLiteral("pdftotext"), {file.fileName(), QStringLiteral("-")});
        QVERIFY(p.waitForFinished(60000));
        const QString text = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(text.contains(QLatin1String("etc to NAS")), qPrintable(text));
        QVERIFY(text.contains(QLatin1String("<script>alert(1)</script> repository locked")));
    }
};

KW_TEST_MAIN(TestReportExport)
#include "tst_reportexport.moc"
