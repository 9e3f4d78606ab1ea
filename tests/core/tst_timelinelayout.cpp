// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/timelinelayout.h"
#include "testmain.h"

#include <QRandomGenerator>
#include <QTest>

using namespace kw;

namespace {

TimelineItem item(int row, qint64 start, std::optional<qint64> end) {
    return TimelineItem{row, start, end};
}

// "row:lane" for each row, in row order: what a person sees stacked.
QString lanesByRow(const TimelineLayout &layout, int rows) {
    QStringList out;
    for (int row = 0; row < rows; ++row) {
        const int bar = layout.barOfRow(row);
        out << QStringLiteral("%1:%2").arg(row).arg(bar < 0 ? -1 : layout.bars()[bar].lane);
    }
    return out.join(QLatin1Char(' '));
}

constexpr qint64 kOpen = -1;

} // namespace

// The timeline's geometry without a window: lanes, what a click hits, what
// a viewport must paint, time <-> x, and the axis ticks.
class TestTimelineLayout final : public QObject {
    Q_OBJECT

private slots:
    void lanes_data() {
        QTest::addColumn<QList<qint64>>("spans"); // start, end (kOpen: running) per row
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("laneCount");

        QTest::newRow("one") << QList<qint64>{0, 10} << QStringLiteral("0:0") << 1;
        QTest::newRow("one after another share a lane")
            << QList<qint64>{0, 10, 20, 30, 40, 50} << QStringLiteral("0:0 1:0 2:0") << 1;
        QTest::newRow("overlapping stack")
            << QList<qint64>{0, 100, 10, 20, 15, 30} << QStringLiteral("0:0 1:1 2:2") << 3;
        QTest::newRow("touching bars do not share a lane")
            << QList<qint64>{0, 10, 10, 20} << QStringLiteral("0:0 1:1") << 2;
        QTest::newRow("a freed lane is reused, lowest first")
            << QList<qint64>{0, 50, 0, 10, 0, 20, 30, 40} << QStringLiteral("0:0 1:1 2:2 3:1") << 3;
        QTest::newRow("a running bar keeps its lane")
            << QList<qint64>{0, kOpen, 100, 200, 300, 400} << QStringLiteral("0:0 1:1 2:1") << 2;
        QTest::newRow("rows in any order")
            << QList<qint64>{50, 60, 0, 100, 70, 80} << QStringLiteral("0:1 1:0 2:1") << 2;
        QTest::newRow("end before start is a point")
            << QList<qint64>{100, 90, 100, 120} << QStringLiteral("0:0 1:1") << 2;
    }
    void lanes() {
        QFETCH(QList<qint64>, spans);
        QFETCH(QString, expected);
        QFETCH(int, laneCount);
        QList<TimelineItem> items;
        for (int i = 0; i + 1 < spans.size(); i += 2)
            items << item(i / 2, spans[i],
                          spans[i + 1] == kOpen ? std::nullopt : std::optional(spans[i + 1]));
        TimelineLayout layout;
        layout.setItems(items);
        QCOMPARE(lanesByRow(layout, int(items.size())), expected);
        QCOMPARE(layout.laneCount(), laneCount);
    }

    // 2,000 random sessions (a tenth still running): within a lane no two
    // bars overlap, every bar is in the lane it says, and lanes are as few as
    // the most sessions running at one moment (greedy interval colouring is
    // optimal).
    void noOverlapWithinALane() {
        QRandomGenerator random(42);
        QList<TimelineItem> items;
        for (int row = 0; row < 2000; ++row) {
            const qint64 start = random.bounded(1000000);
            const bool running = random.bounded(10) == 0;
            items << item(row, start,
                          running ? std::nullopt
                                  : std::optional<qint64>(start + random.bounded(50000)));
        }
        TimelineLayout layout;
        layout.setItems(items);
        QCOMPARE(layout.bars().size(), items.size());
        int placed = 0;
        for (int lane = 0; lane < layout.laneCount(); ++lane) {
            const QList<int> &bars = layout.lane(lane);
            placed += int(bars.size());
            for (int i = 0; i < bars.size(); ++i) {
                const TimelineLayout::Bar &bar = layout.bars()[bars[i]];
                QCOMPARE(bar.lane, lane);
                if (i > 0)
                    QVERIFY2(
                        layout.bars()[bars[i - 1]].endMs < bar.startMs,
                        qPrintable(QStringLiteral("lane %1 bar %2 overlaps").arg(lane).arg(i)));
            }
        }
        QCOMPARE(placed, int(items.size()));

        // The most bars covering one instant (ends are inclusive).
        QList<std::pair<qint64, int>> edges;
        for (const TimelineItem &i : items) {
            edges << std::pair(i.startMs, -1);
            if (i.endMs)
                edges << std::pair(*i.endMs, 1);
        }
        std::sort(edges.begin(), edges.end()); // starts before ends at equal times
        int depth = 0;
        int maxDepth = 0;
        for (const auto &edge : edges) {
            depth -= edge.second;
            maxDepth = qMax(maxDepth, depth);
        }
        QCOMPARE(layout.laneCount(), maxDepth);
    }

    void visibleBarsAndHits() {
        TimelineLayout layout;
        // Lane 0: [0,10] [20,30] [40,50] [60, running]
        layout.setItems({item(0, 0, 10), item(1, 20, 30), item(2, 40, 50), item(3, 60, {})});
        QCOMPARE(layout.laneCount(), 1);
        const auto rows = [&](const QList<int> &bars) {
            QList<int> out;
            for (int b : bars)
                out << layout.bars()[b].row;
            return out;
        };
        const qint64 now = 100;
        QCOMPARE(rows(layout.barsIn(0, 25, 45, now)), (QList<int>{1, 2}));
        QCOMPARE(rows(layout.barsIn(0, 11, 19, now)), QList<int>{});
        QCOMPARE(rows(layout.barsIn(0, 10, 10, now)), QList<int>{0});
        QCOMPARE(rows(layout.barsIn(0, 90, 200, now)), QList<int>{3});
        // The running bar ends at now: nothing after it.
        QCOMPARE(rows(layout.barsIn(0, 101, 200, now)), QList<int>{});
        QCOMPARE(rows(layout.barsIn(0, 101, 200, 150)), QList<int>{3});
        QCOMPARE(layout.barsIn(1, 0, 100, now), QList<int>{});

        QCOMPARE(layout.bars()[layout.barAt(0, 45, now)].row, 2);
        QCOMPARE(layout.barAt(0, 55, now), -1);
        QCOMPARE(layout.barAt(0, -5, now), -1);
        QCOMPARE(layout.barOfRow(3), layout.barAt(0, 99, now));
        QCOMPARE(layout.barOfRow(7), -1);

        QCOMPARE(layout.earliestMs(), 0);
        QCOMPARE(layout.latestMs(now), now);
        layout.setItems({item(0, 0, 10), item(1, 20, 30)});
        QCOMPARE(layout.latestMs(now), 30);
        layout.setItems({});
        QVERIFY(layout.isEmpty());
        QCOMPARE(layout.laneCount(), 0);
    }

    void timeToX_data() {
        QTest::addColumn<qint64>("origin");
        QTest::addColumn<double>("msPerPixel");
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<double>("x");
        QTest::newRow("origin is 0") << qint64(5000) << 10.0 << qint64(5000) << 0.0;
        QTest::newRow("a second at 10 ms/px") << qint64(5000) << 10.0 << qint64(6000) << 100.0;
        QTest::newRow("before the origin") << qint64(5000) << 10.0 << qint64(4000) << -100.0;
        QTest::newRow("an hour at a minute per px")
            << qint64(1700000000000) << 60000.0 << qint64(1700003600000) << 60.0;
    }
    void timeToX() {
        QFETCH(qint64, origin);
        QFETCH(double, msPerPixel);
        QFETCH(qint64, ms);
        QFETCH(double, x);
        const TimeScale scale(origin, msPerPixel);
        QCOMPARE(scale.x(ms), x);
        QCOMPARE(scale.ms(x), ms);
    }

    void tickSteps_data() {
        QTest::addColumn<double>("msPerPixel");
        QTest::addColumn<qint64>("step");
        // At least 80 px between ticks.
        QTest::newRow("zoomed in") << 1.0 << qint64(1000);
        QTest::newRow("100 ms/px") << 100.0 << qint64(10000);
        QTest::newRow("a second per px") << 1000.0 << qint64(2 * 60000);
        QTest::newRow("a minute per px") << 60000.0 << qint64(2 * 3600000);
        QTest::newRow("an hour per px") << 3600000.0 << qint64(7 * 86400000LL);
        QTest::newRow("beyond the last step") << 1e9 << qint64(28 * 86400000LL);
    }
    void tickSteps() {
        QFETCH(double, msPerPixel);
        QFETCH(qint64, step);
        QCOMPARE(TimeScale(0, msPerPixel).tickStepMs(80), step);
    }

    void ticksFallOnRoundLocalTimes() {
        // 2023-11-14 22:13:20 UTC; 10 s per pixel: 15 min steps at 80 px.
        const qint64 from = 1700000000000;
        const TimeScale scale(from, 10000);
        const QList<qint64> utc = scale.ticks(from, from + 3600000, 80, 0);
        QCOMPARE(utc.size(), 4);
        QCOMPARE(utc.first(), 1700000100000); // 22:15:00 UTC
        for (int i = 1; i < utc.size(); ++i)
            QCOMPARE(utc[i] - utc[i - 1], 900000);
        // In UTC+05:30, 22:15 UTC is 03:45 local: the same instants.
        QCOMPARE(scale.ticks(from, from + 3600000, 80, 5 * 3600 + 1800), utc);
        // With hour steps, UTC+05:30 ticks at local whole hours, not UTC ones.
        const TimeScale hours(from, 60000);
        const QList<qint64> local = hours.ticks(from, from + 6 * 3600000, 40, 5 * 3600 + 1800);
        QVERIFY(!local.isEmpty());
        for (const qint64 t : local)
            QCOMPARE((t + (5 * 3600 + 1800) * 1000LL) % 3600000, 0);
        QCOMPARE(scale.ticks(from, from - 1, 80, 0), QList<qint64>{});
    }
};

KW_TEST_GUILESS_MAIN(TestTimelineLayout)
#include "tst_timelinelayout.moc"
