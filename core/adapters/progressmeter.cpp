// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapters/progressmeter.h"

#include <cmath>

namespace kw {

void ProgressMeter::sample(qint64 nowMs, qint64 bytesDone) {
    if (m_lastMs < 0 || bytesDone < m_lastBytes) { // first sample, or the count restarted
        m_lastMs = nowMs;
        m_lastBytes = bytesDone;
        return;
    }
    const qint64 elapsedMs = nowMs - m_lastMs;
    if (elapsedMs < 200)
        return; // too close to say anything about a rate; keep the older sample
    const double instant = double(bytesDone - m_lastBytes) * 1000.0 / double(elapsedMs);
    if (!m_rate) {
        m_rate = instant;
    } else {
        const double alpha = 1.0 - std::exp(-double(elapsedMs) / 1000.0 / m_tau);
        m_rate = *m_rate + alpha * (instant - *m_rate);
    }
    m_lastMs = nowMs;
    m_lastBytes = bytesDone;
}

std::optional<qint64> ProgressMeter::etaSeconds(std::optional<qint64> bytesTotal) const {
    if (!m_rate || !bytesTotal || *m_rate < 1.0 || *bytesTotal < m_lastBytes)
        return std::nullopt;
    return qint64(std::ceil(double(*bytesTotal - m_lastBytes) / *m_rate));
}

} // namespace kw
