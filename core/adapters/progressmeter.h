// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QtGlobal>
#include <optional>

namespace kw {

// The one rate meter: turns samples of a growing byte count into a smoothed
// rate and an ETA, for a run wrapped by `keepwatch-cli run` and for one
// discovered in /proc alike, so the same run shows the same rate either way.
//
// The rule, and why (it merges the two meters there were):
// - an exponentially weighted moving average over a time constant, not over
//   a number of samples, each interval weighted by its length
//   (alpha = 1 - e^(-dt/tau)): irregular sampling (tools print when
//   something happens, /proc is polled) smooths like regular sampling, and
//   one sample after a long gap counts fully;
// - samples less than kMinIntervalMs after the last one used are folded into
//   the next (the older one is kept): a burst of lines read at once, a few
//   milliseconds apart, says nothing about a rate, and would otherwise seed
//   the average with a spike or read as idle;
// - an interval in which the counter did not move reads as 0 at once: idle
//   now, not smoothed into looking busy for another minute (nor a stream of
//   decaying rates holding off stall detection); below kFloor is 0 as well;
// - a counter or a clock that goes backwards is a new start: the old rate
//   is forgotten rather than mixed into the new one.
class ProgressMeter final {
public:
    static constexpr double kDefaultTimeConstantMs = 4000.0;
    static constexpr qint64 kMinIntervalMs = 200;
    // Below this (bytes per second) a smoothed rate reads as 0.
    static constexpr double kFloor = 1.0;

    explicit ProgressMeter(double timeConstantMs = kDefaultTimeConstantMs);

    void sample(qint64 nowMs, qint64 bytesDone);
    // Bytes per second; none until two samples at least kMinIntervalMs apart.
    std::optional<double> rate() const { return m_rate; }
    // Seconds left at the current rate; none without a rate or a total.
    std::optional<qint64> etaSeconds(std::optional<qint64> bytesTotal) const;
    void reset();

private:
    double m_timeConstantMs;
    std::optional<qint64> m_lastMs; // the last sample used for a rate
    qint64 m_lastBytes = 0;
    qint64 m_newestBytes = 0; // the newest sample, used or not
    std::optional<double> m_rate;
};

} // namespace kw
