// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>
#include <limits>
#include <optional>

namespace kw {

// One session on the timeline: a model row and its time span.
struct TimelineItem {
    int row = -1;
    qint64 startMs = 0;
    std::optional<qint64> endMs; // none while the session runs
};

// Places sessions in lanes so that no two bars in a lane overlap, and finds
// the bars a view must paint or a click hits. Headless (QtCore only) so the
// maths is tested without a window; the view paints, this decides where.
//
// Lanes are assigned greedily in start order, each bar to the lowest lane
// that is free at its start. A running bar holds its lane until it ends, so
// its growing towards "now" never moves another bar: the layout changes only
// when sessions start, end or are filtered, not as the clock ticks.
class TimelineLayout final {
public:
    // A running bar's end for lane purposes: it has not ended.
    static constexpr qint64 kOpenEnd = std::numeric_limits<qint64>::max();

    struct Bar {
        int row = -1;
        qint64 startMs = 0;
        qint64 endMs = kOpenEnd;
        int lane = -1;

        bool isOpen() const { return endMs == kOpenEnd; }
        // Where it ends on screen: a running bar grows to now.
        qint64 shownEndMs(qint64 nowMs) const { return isOpen() ? qMax(nowMs, startMs) : endMs; }
    };

    void setItems(const QList<TimelineItem> &items);

    const QList<Bar> &bars() const { return m_bars; }
    int laneCount() const { return int(m_lanes.size()); }
    // Indexes into bars(), ordered by start (and so by end: they do not overlap).
    const QList<int> &lane(int lane) const { return m_lanes[lane]; }

    // Bars of `lane` that show something in [fromMs, toMs].
    QList<int> barsIn(int lane, qint64 fromMs, qint64 toMs, qint64 nowMs) const;
    // The bar of `lane` that covers `ms`, or -1.
    int barAt(int lane, qint64 ms, qint64 nowMs) const;
    // The bar of a model row, or -1 when the row has none.
    int barOfRow(int row) const { return m_barOfRow.value(row, -1); }

    bool isEmpty() const { return m_bars.isEmpty(); }
    qint64 earliestMs() const { return m_earliestMs; }
    // The latest time anything shows: the last end, or now while a bar runs.
    qint64 latestMs(qint64 nowMs) const;

private:
    QList<Bar> m_bars;
    QList<QList<int>> m_lanes;
    QList<int> m_barOfRow;
    qint64 m_earliestMs = 0;
    qint64 m_latestEndMs = 0;
    bool m_anyOpen = false;
};

// Maps time to x and back at a zoom level, and picks readable axis ticks.
class TimeScale final {
public:
    TimeScale() = default;
    TimeScale(qint64 originMs, double msPerPixel);

    qint64 originMs() const { return m_originMs; } // the time at x = 0
    double msPerPixel() const { return m_msPerPixel; }

    double x(qint64 ms) const { return double(ms - m_originMs) / m_msPerPixel; }
    qint64 ms(double x) const { return m_originMs + qint64(x * m_msPerPixel); }

    // The smallest of the round steps (1 s, 2 s, 5 s, ... 1 h, 2 h, ... 1 day,
    // 1 week) at least `minSpacingPx` pixels apart at this zoom.
    qint64 tickStepMs(int minSpacingPx) const;
    // Tick times in [fromMs, toMs], on round local times (a 1 h step ticks at
    // 14:00, 15:00 in the zone `utcOffsetSeconds` from UTC).
    QList<qint64> ticks(qint64 fromMs, qint64 toMs, int minSpacingPx, int utcOffsetSeconds) const;

private:
    qint64 m_originMs = 0;
    double m_msPerPixel = 1000;
};

} // namespace kw
