// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/sessiontablemodel.h"
#include "progressdelegate.h"
#include "testmain.h"

#include <QApplication>
#include <QHeaderView>
#include <QStandardItemModel>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>

using namespace kw;

namespace {
// A pixel of the bar's filled part: the palette's highlight hue, saturated.
bool isBarPixel(QRgb px, const QColor &highlight) {
    const QColor c = QColor::fromRgb(px);
    return c.hsvSaturation() > 80 && qAbs(c.hsvHue() - highlight.hsvHue()) < 20;
}
} // namespace

class TestProgressDelegate final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        // One known style, so "the bar is drawn" can be measured in pixels.
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    }

    void paintsBarForKnownPercent_data() {
        QTest::addColumn<double>("percent");
        QTest::addColumn<QString>("text");
        QTest::newRow("unknown") << -1.0 << QStringLiteral("1.2 GiB");
        QTest::newRow("0%") << 0.0 << QStringLiteral("0%");
        QTest::newRow("25%") << 25.0 << QStringLiteral("25%");
        QTest::newRow("50%") << 50.0 << QStringLiteral("50%");
        QTest::newRow("100%") << 100.0 << QStringLiteral("100%");
    }

    void paintsBarForKnownPercent() {
        QFETCH(double, percent);
        QFETCH(QString, text);

        QStandardItemModel model(1, 1);
        model.setData(model.index(0, 0), text, Qt::DisplayRole);
        model.setData(model.index(0, 0), percent, SessionTableModel::PercentRole);
        QTableView view;
        view.setModel(&model);
        view.setItemDelegate(new ProgressDelegate(&view));
        view.horizontalHeader()->hide();
        view.verticalHeader()->hide();
        view.verticalHeader()->setDefaultSectionSize(30);
        view.setColumnWidth(0, 300);
        view.resize(340, 80);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        const QImage image = view.viewport()->grab().toImage();
        const QRect cell = view.visualRect(model.index(0, 0));
        const QColor highlight = view.palette().color(QPalette::Highlight);
        // A line near the top of the bar, clear of the centred text.
        const int y = cell.top() + 5;
        int filled = 0;
        int rightmost = -1;
        for (int x = cell.left(); x <= cell.right(); ++x) {
            if (isBarPixel(image.pixel(x, y), highlight)) {
                ++filled;
                rightmost = x;
            }
        }
        if (percent < 0) {
            QCOMPARE(filled, 0); // text only: nothing bar-like
            return;
        }
        const double shown =
            rightmost < 0 ? 0.0 : double(rightmost - cell.left() + 1) / cell.width();
        QVERIFY2(qAbs(shown - percent / 100.0) < 0.05,
                 qPrintable(
                     QStringLiteral("bar reaches %1 of the cell for %2%").arg(shown).arg(percent)));
    }

    // A session at work with no known total (borg creating, rsync before its
    // file list is complete): the style's busy bar across the whole cell,
    // striped unlike a full bar, and still (no animation repainting the
    // table). A finished one with no total is plain text.
    void paintsBusyBarWithoutTotal_data() {
        QTest::addColumn<double>("percent");
        QTest::addColumn<bool>("busy");
        QTest::addColumn<bool>("barExpected");
        QTest::addColumn<bool>("stripesExpected");
        QTest::newRow("busy, no total") << -1.0 << true << true << true;
        QTest::newRow("finished, no total") << -1.0 << false << false << false;
        QTest::newRow("100%, not busy") << 100.0 << false << true << false;
        QTest::newRow("a known percent wins over busy") << 100.0 << true << true << false;
    }
    void paintsBusyBarWithoutTotal() {
        QFETCH(double, percent);
        QFETCH(bool, busy);
        QFETCH(bool, barExpected);
        QFETCH(bool, stripesExpected);

        QStandardItemModel model(1, 1);
        model.setData(model.index(0, 0), QStringLiteral("1.2 GiB"), Qt::DisplayRole);
        model.setData(model.index(0, 0), percent, SessionTableModel::PercentRole);
        model.setData(model.index(0, 0), busy, SessionTableModel::BusyRole);
        QTableView view;
        view.setModel(&model);
        view.setItemDelegate(new ProgressDelegate(&view));
        view.horizontalHeader()->hide();
        view.verticalHeader()->hide();
        view.verticalHeader()->setDefaultSectionSize(30);
        view.setColumnWidth(0, 300);
        view.resize(340, 80);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        const QImage image = view.viewport()->grab().toImage();
        const QRect cell = view.visualRect(model.index(0, 0));
        const QColor highlight = view.palette().color(QPalette::Highlight);
        const int y = cell.top() + 5;
        int filled = 0;
        int changes = 0;
        for (int x = cell.left(); x <= cell.right(); ++x) {
            filled += isBarPixel(image.pixel(x, y), highlight) ? 1 : 0;
            if (x > cell.left() && image.pixel(x, y) != image.pixel(x - 1, y))
                ++changes;
        }
        if (!barExpected) {
            QCOMPARE(filled, 0);
            return;
        }
        QVERIFY2(filled > cell.width() * 8 / 10, qPrintable(QString::number(filled)));
        // Diagonal stripes every 22 px change the colour along a line many
        // times; a full bar is one colour from edge to edge.
        if (stripesExpected)
            QVERIFY2(changes >= 10, qPrintable(QString::number(changes)));
        else
            QVERIFY2(changes < 10, qPrintable(QString::number(changes)));

        // Painted again later, it looks the same: nothing animates.
        QTest::qWait(100);
        view.viewport()->update();
        QCOMPARE(view.viewport()->grab().toImage(), image);
    }
};

KW_TEST_MAIN(TestProgressDelegate)
#include "tst_progressdelegate.moc"
