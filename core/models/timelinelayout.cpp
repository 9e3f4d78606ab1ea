// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/timelinelayout.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <set>
#include <utility>
#include <vector>

namespace kw {

void TimelineLayout::setItems(const QList<TimelineItem> &items) {
    m_bars.clear();
    m_lanes.clear();
    m_barOfRow.clear();
    m_anyOpen = false;
    m_latestEndMs = 0;
    m_earliestMs = 0;
    m_bars.reserve(items.size());
    int maxRow = -1;
    for (const TimelineItem &item : items) {
        Bar bar;
        bar.row = item.row;
        bar.startMs = item.startMs;
        // An end before the start (clock skew between producers) is a point.
        bar.endMs = item.endMs ? qMax(*item.endMs, item.startMs) : kOpenEnd;
        m_bars.append(bar);
        maxRow = qMax(maxRow, item.row);
    }
    // Start order, rows breaking ties, so equal inputs give equal layouts.
    std::sort(m_bars.begin(), m_bars.end(), [](const Bar &a, const Bar &b) {
        return a.startMs != b.startMs ? a.startMs < b.startMs : a.row < b.row;
    });

    // Busy lanes by the time they end (soonest first); free lanes by number.
    using Busy = std::pair<qint64, int>;
    std::priority_queue<Busy, std::vector<Busy>, std::greater<>> busy;
    std::set<int> free;
    m_barOfRow.fill(-1, maxRow + 1);
    for (int i = 0; i < m_bars.size(); ++i) {
        Bar &bar = m_bars[i];
        // A lane is free for a bar that starts strictly after its last end:
        // bars that touch would look like one.
        while (!busy.empty() && busy.top().first < bar.startMs) {
            free.insert(busy.top().second);
            busy.pop();
        }
        if (free.empty()) {
            bar.lane = int(m_lanes.size());
            m_lanes.append(QList<int>());
        } else {
            bar.lane = *free.begin();
            free.erase(free.begin());
        }
        m_lanes[bar.lane].append(i);
        busy.push({bar.endMs, bar.lane});
        if (bar.row >= 0)
            m_barOfRow[bar.row] = i;
        if (bar.isOpen())
            m_anyOpen = true;
        else
            m_latestEndMs = qMax(m_latestEndMs, bar.endMs);
    }
    if (!m_bars.isEmpty()) {
        m_earliestMs = m_bars.first().startMs;
        m_latestEndMs = qMax(m_latestEndMs, m_bars.last().startMs);
    }
}

qint64 TimelineLayout::latestMs(qint64 nowMs) const {
    return m_anyOpen ? qMax(nowMs, m_latestEndMs) : m_latestEndMs;
}

QList<int> TimelineLayout::barsIn(int lane, qint64 fromMs, qint64 toMs, qint64 nowMs) const {
    QList<int> out;
    if (lane < 0 || lane >= laneCount())
        return out;
    const QList<int> &bars = m_lanes[lane];
    // Ends rise along a lane (its bars never overlap): skip those that ended
    // before the window with one binary search.
    auto it = std::partition_point(bars.cbegin(), bars.cend(),
                                   [&](int i) { return m_bars[i].shownEndMs(nowMs) < fromMs; });
    for (; it != bars.cend() && m_bars[*it].startMs <= toMs; ++it)
        out.append(*it);
    return out;
}

int TimelineLayout::barAt(int lane, qint64 ms, qint64 nowMs) const {
    const QList<int> hits = barsIn(lane, ms, ms, nowMs);
    return hits.isEmpty() ? -1 : hits.first();
}

TimeScale::TimeScale(qint64 originMs, double msPerPixel)
    : m_originMs(originMs)
    , m_msPerPixel(msPerPixel > 0 ? msPerPixel : 1) {}

qint64 TimeScale::tickStepMs(int minSpacingPx) const {
    constexpr qint64 s = 1000;
    constexpr qint64 m = 60 * s;
    constexpr qint64 h = 60 * m;
    constexpr qint64 d = 24 * h;
    static constexpr qint64 steps[] = {s,      2 * s,  5 * s,  10 * s, 15 * s, 30 * s, m,     2 * m,
                                       5 * m,  10 * m, 15 * m, 30 * m, h,      2 * h,  3 * h, 6 * h,
                                       12 * h, d,      2 * d,  7 * d,  14 * d, 28 * d};
    const double wanted = minSpacingPx * m_msPerPixel;
    for (const qint64 step : steps) {
        if (double(step) >= wanted)
            return step;
    }
    return steps[std::size(steps) - 1];
}

QList<qint64> TimeScale::ticks(qint64 fromMs, qint64 toMs, int minSpacingPx,
                               int utcOffsetSeconds) const {
    QList<qint64> out;
    if (toMs < fromMs)
        return out;
    const qint64 step = tickStepMs(minSpacingPx);
    const qint64 offset = qint64(utcOffsetSeconds) * 1000;
    // Round in local time, then back to UTC. Weeks start on the epoch's
    // weekday: good enough for marks between dates that carry labels.
    const qint64 local = fromMs + offset;
    qint64 first = local / step * step;
    if (first < local)
        first += step;
    for (qint64 t = first - offset; t <= toMs; t += step)
        out.append(t);
    return out;
}

} // namespace kw
