// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "discovery/ratemeter.h"

#include <cmath>

namespace kw {

RateMeter::RateMeter(double timeConstantMs)
    : m_timeConstantMs(timeConstantMs > 0 ? timeConstantMs : 1.0) {}

void RateMeter::reset() {
    m_lastTime.reset();
    m_lastValue = 0;
    m_rate.reset();
}

void RateMeter::add(qint64 timeMs, qint64 value) {
    if (!m_lastTime || value < m_lastValue || timeMs < *m_lastTime) {
        reset();
        m_lastTime = timeMs;
        m_lastValue = value;
        return;
    }
    const qint64 dt = timeMs - *m_lastTime;
    if (dt < 1)
        return;
    const double instant = double(value - m_lastValue) * 1000.0 / double(dt);
    if (value == m_lastValue) {
        // A whole interval without a byte: idle now, not smoothed into
        // looking busy for another minute (and no stream of decaying rates
        // to hold off stall detection).
        m_rate = 0.0;
    } else if (!m_rate) {
        m_rate = instant;
    } else {
        // alpha = 1 - e^(-dt/tau): one sample after a long gap counts fully.
        const double alpha = 1.0 - std::exp(-double(dt) / m_timeConstantMs);
        m_rate = *m_rate + alpha * (instant - *m_rate);
    }
    if (*m_rate < kFloor)
        m_rate = 0.0;
    m_lastTime = timeMs;
    m_lastValue = value;
}

} // namespace kw
