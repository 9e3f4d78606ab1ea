// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QLoggingCategory>

// One logging category per area of core, all under "keepwatch.", so that a
// user chasing a problem turns on exactly what they need, in the window or
// on a headless server alike:
//
//   QT_LOGGING_RULES="keepwatch.collector.debug=true;keepwatch.cancel.info=true"
//
// Debug and info are off by default: what a user must know is already said
// where they look (the status bar, the CLI's warnings), and these messages
// are for diagnosing, never a second copy of an error.
namespace kw::log {
Q_DECLARE_LOGGING_CATEGORY(collector) // polls: what each source delivered, how long it took
Q_DECLARE_LOGGING_CATEGORY(sources)   // which sources the source set made
Q_DECLARE_LOGGING_CATEGORY(spool)     // spool files found, released, problems met
Q_DECLARE_LOGGING_CATEGORY(history)   // the recorder: commits, when and why it stops
Q_DECLARE_LOGGING_CATEGORY(discovery) // /proc: tools found running without the wrapper
Q_DECLARE_LOGGING_CATEGORY(cancel)    // cancel requests: who was signalled, who refused
Q_DECLARE_LOGGING_CATEGORY(vss)       // the VSS helper's runs
} // namespace kw::log
