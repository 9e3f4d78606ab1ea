// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QtGlobal>
#include <optional>

namespace kw {

// Turns samples of a growing byte count into a smoothed rate and an ETA.
// An exponentially weighted moving average over a time constant (not over
// a number of samples) so that irregular sampling, as tools print when
// something happens, gives the same smoothing as regular sampling.
class ProgressMeter final {
public:
    explicit ProgressMeter(double timeConstantSeconds = 5.0)
        : m_tau(timeConstantSeconds) {}

    void sample(qint64 nowMs, qint64 bytesDone);
    // Bytes per second; none until two samples at least 200 ms apart.
    std::optional<double> rate() const { return m_rate; }
    // Seconds left at the current rate; none without a rate or a total.
    std::optional<qint64> etaSeconds(std::optional<qint64> bytesTotal) const;

private:
    double m_tau;
    qint64 m_lastMs = -1;
    qint64 m_lastBytes = 0;
    std::optional<double> m_rate;
};

} // namespace kw
