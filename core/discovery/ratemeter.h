// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QtGlobal>
#include <optional>

namespace kw {

// A smoothed rate from samples of a growing counter: an exponentially
// weighted moving average of the rate between samples, weighted by the time
// between them (so irregular sampling does not skew it). Samples closer
// together than 1 ms are ignored; a counter that goes backwards restarts it;
// an interval in which the counter did not move reads as 0 at once.
class RateMeter final {
public:
    explicit RateMeter(double timeConstantMs = 4000.0);

    void add(qint64 timeMs, qint64 value);
    // Units per second; none until a second sample.
    std::optional<double> rate() const { return m_rate; }
    void reset();

    // Below this (bytes per second) a smoothed rate reads as 0.
    static constexpr double kFloor = 1.0;

private:
    double m_timeConstantMs;
    std::optional<qint64> m_lastTime;
    qint64 m_lastValue = 0;
    std::optional<double> m_rate;
};

} // namespace kw
