// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "mainwindow.h"
#include "models/sessionfilter.h"
#include "models/sessionfilterproxy.h"
#include "models/sessiontablemodel.h"
#include "protocol/timestamp.h"
#include "sessiondetails.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"
#include "timelineview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QItemSelectionModel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

// 2026-01-15 08:00:00 UTC: a fixed morning for every test.
constexpr qint64 kT0 = 1768464000000;
constexpr qint64 kMin = 60 * 1000;

QString idAt(const QModelIndex &index) {
    return index.data(SessionTableModel::SessionIdRole).toString();
}

int countPixels(const QImage &image, const QColor &color) {
    int n = 0;
    const QRgb rgb = color.rgb();
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += image.pixel(x, y) == rgb;
    return n;
}

} // namespace

// The timeline as a user meets it: bars per session, coloured by state, the
// now line, clicking to select (shared with the table), the filter, zoom.
class TestTimelineView final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<SessionStore> m_store;
    std::unique_ptr<SessionTableModel> m_model;
    std::unique_ptr<SessionFilterProxy> m_proxy;
    std::unique_ptr<QTableView> m_table;
    std::unique_ptr<TimelineView> m_view;
    qint64 m_now = kT0 + 60 * kMin;

    // backup-a 08:00-08:10 succeeded; restore-b 08:05-08:15 failed (overlaps
    // a); verify-c 08:20- still running; prune-d 08:30-08:40 cancelled.
    void fill() {
        m_store->apply(spoolBatch({
            startEvent(QStringLiteral("backup-a"), kT0, SessionKind::Backup,
                       QStringLiteral("restic"), QStringLiteral("home to NAS")),
            startEvent(QStringLiteral("restore-b"), kT0 + 5 * kMin, SessionKind::Restore,
                       QStringLiteral("borg"), QStringLiteral("restore etc")),
            startEvent(QStringLiteral("verify-c"), kT0 + 20 * kMin, SessionKind::Verify,
                       QStringLiteral("restic"), QStringLiteral("check repository")),
            startEvent(QStringLiteral("prune-d"), kT0 + 30 * kMin, SessionKind::Prune,
                       QStringLiteral("restic"), QStringLiteral("forget old")),
            endEvent(QStringLiteral("backup-a"), kT0 + 10 * kMin, SessionState::Succeeded, 0),
            endEvent(QStringLiteral("restore-b"), kT0 + 15 * kMin, SessionState::Failed, 2),
            endEvent(QStringLiteral("prune-d"), kT0 + 40 * kMin, SessionState::Cancelled, 130),
        }));
    }

    int rowOf(const QString &id) const {
        for (int r = 0; r < m_proxy->rowCount(); ++r) {
            if (idAt(m_proxy->index(r, 0)) == id)
                return r;
        }
        return -1;
    }

    QRect bar(const QString &id) const { return m_view->barRect(rowOf(id)); }

    QImage grabViewport() const { return m_view->viewport()->grab().toImage(); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init() {
        m_now = kT0 + 60 * kMin;
        m_store = std::make_unique<SessionStore>();
        m_model = std::make_unique<SessionTableModel>(m_store.get());
        m_proxy = std::make_unique<SessionFilterProxy>(m_model.get());
        m_table = std::make_unique<QTableView>();
        m_table->setModel(m_proxy.get());
        m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
        m_view = std::make_unique<TimelineView>();
        m_view->setClock([this] { return m_now; });
        m_view->setModel(m_proxy.get());
        m_view->setSelectionModel(m_table->selectionModel());
        fill();
        m_view->resize(800, 300);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        QTRY_COMPARE(m_view->laneCount(), 2);
    }
    void cleanup() {
        m_view.reset();
        m_table.reset();
        m_proxy.reset();
        m_model.reset();
        m_store.reset();
    }

    void overlapsStackAndBarsFollowTime() {
        const QRect a = bar(QStringLiteral("backup-a"));
        const QRect b = bar(QStringLiteral("restore-b"));
        const QRect c = bar(QStringLiteral("verify-c"));
        const QRect d = bar(QStringLiteral("prune-d"));
        for (const QRect &r : {a, b, c, d})
            QVERIFY(r.isValid());
        // a and b overlap: two lanes; c and d follow a in its lane... c runs,
        // so d (which starts while c runs) goes under it.
        QVERIFY(b.top() > a.bottom());
        QCOMPARE(c.top(), a.top());
        QCOMPARE(d.top(), b.top());
        // Left to right in time; a ten-minute bar is as wide as the other.
        QVERIFY(a.left() < b.left() && b.left() < c.left() && c.left() < d.left());
        QVERIFY(qAbs(a.width() - d.width()) <= 1);
        // The running bar reaches the now line.
        QVERIFY(qAbs(c.right() + 1 - m_view->nowX()) <= 1);
        // Everything fits at first: the first bar and now are in view.
        QVERIFY(a.left() > 0);
        QVERIFY(m_view->nowX() < m_view->viewport()->width());
    }

    void barsHaveTheirStatesColour() {
        const QImage image = grabViewport();
        const QPalette &palette = m_view->palette();
        const auto colourIn = [&](const QString &id) {
            const QRect r = bar(id);
            // Inside the border, left of any label.
            return QColor(image.pixel(r.left() + 2, r.top() + 2));
        };
        QCOMPARE(colourIn(QStringLiteral("backup-a")),
                 TimelineView::stateColor(SessionState::Succeeded, palette));
        QCOMPARE(colourIn(QStringLiteral("restore-b")),
                 TimelineView::stateColor(SessionState::Failed, palette));
        QCOMPARE(colourIn(QStringLiteral("verify-c")),
                 TimelineView::stateColor(SessionState::Running, palette));
        QCOMPARE(colourIn(QStringLiteral("prune-d")),
                 TimelineView::stateColor(SessionState::Cancelled, palette));
        // Failed, running and succeeded are told apart at a glance.
        QVERIFY(TimelineView::stateColor(SessionState::Failed, palette)
                != TimelineView::stateColor(SessionState::Succeeded, palette));
        QVERIFY(TimelineView::stateColor(SessionState::Failed, palette)
                != TimelineView::stateColor(SessionState::Running, palette));
    }

    void clickingABarSelectsItsSession_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("succeeded") << QStringLiteral("backup-a");
        QTest::newRow("failed") << QStringLiteral("restore-b");
        QTest::newRow("running") << QStringLiteral("verify-c");
        QTest::newRow("cancelled") << QStringLiteral("prune-d");
    }
    void clickingABarSelectsItsSession() {
        QFETCH(QString, id);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, bar(id).center());
        // The table shares the selection: it shows the same session selected.
        const QModelIndexList selected = m_table->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(idAt(selected.first()), id);
        QCOMPARE(idAt(m_table->currentIndex()), id);
    }

    void ctrlClickAddsAndEmptySpaceSelectsNothing() {
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {},
                          bar(QStringLiteral("backup-a")).center());
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::ControlModifier,
                          bar(QStringLiteral("prune-d")).center());
        QStringList ids;
        for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
            ids << idAt(i);
        ids.sort();
        QCOMPARE(ids, (QStringList{QStringLiteral("backup-a"), QStringLiteral("prune-d")}));
        // Between the bars: nothing is hit, the selection stays.
        const QRect a = bar(QStringLiteral("backup-a"));
        QVERIFY(!m_view->indexAt(QPoint(a.right() + 8, a.center().y())).isValid());
        QVERIFY(!m_view->indexAt(QPoint(a.center().x(), 2)).isValid()); // the axis
    }

    void selectionFromTheTableShows() {
        const int row = rowOf(QStringLiteral("restore-b"));
        m_table->selectRow(row);
        const QImage image = grabViewport();
        const QRect r = bar(QStringLiteral("restore-b"));
        // A selected bar has the text colour's frame.
        QCOMPARE(QColor(image.pixel(r.left(), r.center().y())),
                 m_view->palette().color(QPalette::Active, QPalette::Text));
    }

    void doubleClickAndEnterOpen() {
        QSignalSpy activated(m_view.get(), &TimelineView::activated);
        QTest::mouseDClick(m_view->viewport(), Qt::LeftButton, {},
                           bar(QStringLiteral("verify-c")).center());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(idAt(activated.at(0).at(0).value<QModelIndex>()), QStringLiteral("verify-c"));
        m_table->selectRow(rowOf(QStringLiteral("backup-a")));
        QTest::keyClick(m_view.get(), Qt::Key_Return);
        QCOMPARE(activated.size(), 2);
        QCOMPARE(idAt(activated.at(1).at(0).value<QModelIndex>()), QStringLiteral("backup-a"));
    }

    void theNowLineMoves() {
        // Zoomed out a little and scrolled back in time (Home), the view
        // stays put while time passes, and there is room to the right.
        QTest::keyClick(m_view.get(), Qt::Key_Minus, Qt::ControlModifier);
        QTest::keyClick(m_view.get(), Qt::Key_Minus, Qt::ControlModifier);
        QTest::keyClick(m_view.get(), Qt::Key_Home);
        QVERIFY(!m_view->followsNow());
        const int before = m_view->nowX();
        const QRect finished = bar(QStringLiteral("backup-a"));
        const QRect running = bar(QStringLiteral("verify-c"));
        const double msPerPixel = m_view->msPerPixel();

        m_now += 5 * kMin;
        m_view->refreshNow();
        const int moved = m_view->nowX() - before;
        QVERIFY2(qAbs(moved - 5 * kMin / msPerPixel) <= 1, qPrintable(QString::number(moved)));
        QVERIFY(moved > 0);
        // The running bar grew with it; the finished one did not change.
        QCOMPARE(bar(QStringLiteral("backup-a")), finished);
        QVERIFY(qAbs(bar(QStringLiteral("verify-c")).width() - running.width() - moved) <= 1);
        // And the line is painted where it says, in the text colour.
        const QImage image = grabViewport();
        QCOMPARE(QColor(image.pixel(m_view->nowX(), image.height() - 25)), m_view->nowLineColor());

        // End: follow now again; time passing scrolls the bars left instead.
        QTest::keyClick(m_view.get(), Qt::Key_End);
        QVERIFY(m_view->followsNow());
        const int nowX = m_view->nowX();
        const int aLeft = bar(QStringLiteral("backup-a")).left();
        m_now += 10 * kMin;
        m_view->refreshNow();
        QVERIFY(bar(QStringLiteral("backup-a")).left() < aLeft);
        QVERIFY(m_view->nowX() <= m_view->viewport()->width());
        QVERIFY(m_view->nowX() >= nowX - 50);
    }

    void theClockTicksByItself() {
        const qint64 start = m_view->nowMs();
        m_now += 2 * kMin;
        // Once a second while shown, without anyone calling refreshNow().
        QTRY_COMPARE_WITH_TIMEOUT(m_view->nowMs(), start + 2 * kMin, 3000);
    }

    void anEndStopsTheBar() {
        m_store->apply(
            spoolBatch({endEvent(QStringLiteral("verify-c"), m_now, SessionState::Failed, 1)}));
        QTRY_COMPARE(QColor(grabViewport().pixel(bar(QStringLiteral("verify-c")).left() + 2,
                                                 bar(QStringLiteral("verify-c")).top() + 2)),
                     TimelineView::stateColor(SessionState::Failed, m_view->palette()));
        QTest::keyClick(m_view.get(), Qt::Key_Home);
        const QRect ended = bar(QStringLiteral("verify-c"));
        m_now += 10 * kMin;
        m_view->refreshNow();
        QCOMPARE(bar(QStringLiteral("verify-c")), ended);
    }

    void filteredOutSessionsVanish() {
        const QPalette &palette = m_view->palette();
        const QColor succeeded = TimelineView::stateColor(SessionState::Succeeded, palette);
        const QColor failed = TimelineView::stateColor(SessionState::Failed, palette);
        QVERIFY(countPixels(grabViewport(), succeeded) > 100);

        SessionFilter filter;
        filter.setText(QStringLiteral("restore etc"));
        m_proxy->setFilter(filter);
        QTRY_COMPARE(m_view->laneCount(), 1);
        QCOMPARE(m_proxy->rowCount(), 1);
        const QRect b = m_view->barRect(0);
        QVERIFY(b.isValid());
        QCOMPARE(idAt(m_view->indexAt(b.center())), QStringLiteral("restore-b"));
        const QImage image = grabViewport();
        QCOMPARE(countPixels(image, succeeded), 0);
        QVERIFY(countPixels(image, failed) > 100);

        m_proxy->setFilter(SessionFilter());
        QTRY_COMPARE(m_view->laneCount(), 2);
        QVERIFY(countPixels(grabViewport(), succeeded) > 100);
    }

    void sortingTheTableKeepsTheBars() {
        const QRect a = bar(QStringLiteral("backup-a"));
        m_proxy->sort(SessionTableModel::Started, Qt::DescendingOrder);
        QTRY_COMPARE(bar(QStringLiteral("backup-a")), a);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, a.center());
        QCOMPARE(idAt(m_table->currentIndex()), QStringLiteral("backup-a"));
    }

    void zoom() {
        const double fit = m_view->msPerPixel();
        // Ctrl+wheel zooms around the pointer: the time under it stays.
        const QPoint at = bar(QStringLiteral("restore-b")).center();
        const qint64 timeAt = m_view->viewStartMs() + qint64(at.x() * fit);
        QWheelEvent in(at, m_view->viewport()->mapToGlobal(at), QPoint(), QPoint(0, 120),
                       Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(m_view->viewport(), &in);
        QVERIFY(m_view->msPerPixel() < fit);
        const qint64 timeAfter = m_view->viewStartMs() + qint64(at.x() * m_view->msPerPixel());
        QVERIFY(qAbs(timeAfter - timeAt) <= qint64(fit));
        QVERIFY(bar(QStringLiteral("restore-b")).contains(at));

        // Keyboard: Ctrl++ and Ctrl+- step, Ctrl+0 fits again.
        const double zoomed = m_view->msPerPixel();
        QTest::keyClick(m_view.get(), Qt::Key_Plus, Qt::ControlModifier);
        QVERIFY(m_view->msPerPixel() < zoomed);
        QTest::keyClick(m_view.get(), Qt::Key_Minus, Qt::ControlModifier);
        QTest::keyClick(m_view.get(), Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(m_view->msPerPixel() > zoomed);
        QTest::keyClick(m_view.get(), Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(m_view->msPerPixel(), fit);

        // Zoomed far in, the scroll bar reaches back to the first session.
        for (int i = 0; i < 10; ++i)
            m_view->zoomIn();
        QScrollBar *h = m_view->horizontalScrollBar();
        QVERIFY(h->maximum() > 0);
        h->setValue(0);
        QVERIFY(!m_view->followsNow());
        QVERIFY(bar(QStringLiteral("backup-a")).left() >= 0);
        QVERIFY(bar(QStringLiteral("backup-a")).left() < m_view->viewport()->width());
        QVERIFY(m_view->nowX() > m_view->viewport()->width()); // now is off to the right
        h->setValue(h->maximum());
        QVERIFY(m_view->followsNow());
    }

    // A thousand sessions in many lanes: only what is in view is painted,
    // and clicking still finds the right bar. Timings go to the log only.
    void thousandsOfSessions() {
        QList<Event> events;
        for (int i = 0; i < 2000; ++i) {
            const QString id = QStringLiteral("bulk-%1").arg(i, 4, 10, QLatin1Char('0'));
            const qint64 start = kT0 - 24 * 60 * kMin + qint64(i) * 40 * 1000;
            events << startEvent(id, start, SessionKind::Backup, QStringLiteral("rsync"), id);
            if (i % 10 != 0)
                events << endEvent(id, start + (i % 7 + 1) * 5 * kMin, SessionState::Succeeded, 0);
        }
        m_store->apply(spoolBatch(events));
        QElapsedTimer timer;
        timer.start();
        const int lanes = m_view->laneCount();
        const double layoutMs = timer.nsecsElapsed() / 1e6;
        QVERIFY(lanes > 50); // every tenth still runs: they pile up
        // The scroll bars catch up once the event loop runs.
        QTRY_VERIFY(m_view->verticalScrollBar()->maximum() > 0);
        timer.restart();
        m_view->viewport()->repaint();
        const double paintMs = timer.nsecsElapsed() / 1e6;
        qInfo("2004 sessions, %d lanes: layout %.2f ms, paint %.2f ms", lanes, layoutMs, paintMs);
        // The first lane's first visible bar is the session it says.
        for (int y = m_view->barRect(0).top(); y < m_view->viewport()->height(); y += 7) {
            const QModelIndex hit = m_view->indexAt(QPoint(m_view->viewport()->width() - 30, y));
            if (!hit.isValid())
                continue;
            QVERIFY(
                m_view->barRect(hit.row()).contains(QPoint(m_view->viewport()->width() - 30, y)));
        }
    }

    // In the window: Ctrl+2 shows the timeline, a click on a bar selects the
    // session in the table too, and the detail area explains it.
    void inTheWindow() {
        TempSpool spool;
        const qint64 now = Timestamp::nowMs();
        Event failed =
            startEvent(QStringLiteral("win-failed"), now - 20 * kMin, SessionKind::Backup,
                       QStringLiteral("restic"), QStringLiteral("offsite"));
        failed.as<StartPayload>()->command = {QStringLiteral("restic"),
                                              QStringLiteral("--password=hunter2"),
                                              QStringLiteral("backup")};
        spool.append(QStringLiteral("win-failed.jsonl"),
                     encode({failed, endEvent(QStringLiteral("win-failed"), now - 15 * kMin,
                                              SessionState::Failed, 12)}));
        spool.append(
            QStringLiteral("win-running.jsonl"),
            encode({startEvent(QStringLiteral("win-running"), now - 10 * kMin, SessionKind::Backup,
                               QStringLiteral("rsync"), QStringLiteral("mirror"))}));
        MainWindow window(spool.path());
        window.resize(1200, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE(window.store()->count(), 2);

        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(window.sessionViews()->currentWidget(), window.timeline());
        TimelineView *timeline = window.timeline();
        QTRY_COMPARE(timeline->laneCount(), 1);
        int row = -1;
        for (int r = 0; r < timeline->model()->rowCount(); ++r) {
            if (idAt(timeline->model()->index(r, 0)) == QLatin1String("win-failed"))
                row = r;
        }
        QVERIFY(row >= 0);
        QTest::mouseClick(timeline->viewport(), Qt::LeftButton, {},
                          timeline->barRect(row).center());
        QCOMPARE(idAt(window.sessionTable()->currentIndex()), QStringLiteral("win-failed"));
        SessionDetails *details = window.sessionDetails();
        QCOMPARE(details->fieldText(QStringLiteral("detailId")), QStringLiteral("win-failed"));
        QCOMPARE(details->fieldText(QStringLiteral("detailExit")),
                 QStringLiteral("12 — wrong password"));
        QCOMPARE(details->fieldText(QStringLiteral("detailCommand")),
                 QStringLiteral("restic '--password=***' backup"));

        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window.sessionViews()->currentWidget(),
                 static_cast<QWidget *>(window.sessionTable()));
    }
};

KW_TEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
