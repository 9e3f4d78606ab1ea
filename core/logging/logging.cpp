// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "logging/logging.h"

namespace kw::log {
Q_LOGGING_CATEGORY(collector, "keepwatch.collector", QtWarningMsg)
Q_LOGGING_CATEGORY(sources, "keepwatch.sources", QtWarningMsg)
Q_LOGGING_CATEGORY(spool, "keepwatch.spool", QtWarningMsg)
Q_LOGGING_CATEGORY(history, "keepwatch.history", QtWarningMsg)
Q_LOGGING_CATEGORY(discovery, "keepwatch.discovery", QtWarningMsg)
Q_LOGGING_CATEGORY(cancel, "keepwatch.cancel", QtWarningMsg)
Q_LOGGING_CATEGORY(vss, "keepwatch.vss", QtWarningMsg)
} // namespace kw::log
