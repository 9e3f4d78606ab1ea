// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapters/progressmeter.h"

#include <cmath>

namespace kw {

ProgressMeter::ProgressMeter(double timeConstantMs)
    : m_timeConstantMs(timeConstantMs > 0 ? timeConstantMs : 1.0) {}

void ProgressMeter::reset() {
    m_lastMs.reset();
    m_lastBytes = 0;
    m_newestBytes = 0;
    m_rate.reset();
}

void ProgressMeter::sample(qint64 nowMs, qint64 bytesDone) {
    if (!m_lastMs || bytesDone < m_newestBytes || nowMs < *m_lastMs) {
        reset(); // first sample, or the count or the clock restarted
        m_lastMs = nowMs;
        m_lastBytes = bytesDone;
        m_newestBytes = bytesDone;
        return;
    }
    m_newestBytes = bytesDone;
    const qint64 elapsedMs = nowMs - *m_lastMs;
    if (elapsedMs < kMinIntervalMs)
        return; // too close to say anything about a rate; keep the older sample
    const double instant = double(bytesDone - m_lastBytes) * 1000.0 / double(elapsedMs);
    if (bytesDone == m_lastBytes) {
        m_rate = 0.0;
    } else if (!m_rate) {
        m_rate = instant;
    } else {
        const double alpha = 1.0 - std::exp(-double(elapsedMs) / m_timeConstantMs);
        m_rate = *m_rate + alpha * (instant - *m_rate);
    }
    if (*m_rate < kFloor)
        m_rate = 0.0;
    m_lastMs = nowMs;
    m_lastBytes = bytesDone;
}

std::optional<qint64> ProgressMeter::etaSeconds(std::optional<qint64> bytesTotal) const {
    if (!m_rate || !bytesTotal || *m_rate < kFloor || *bytesTotal < m_newestBytes)
        return std::nullopt;
    return qint64(std::ceil(double(*bytesTotal - m_newestBytes) / *m_rate));
}

} // namespace kw
