// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "eventstream.h"
#include "options.h"

namespace kw::vss {

// The Windows part: a VSS requester that reports every step as events.
// Built only for Windows (vssrequester_win.cpp).
//
// Returns the exit status: 0 when done (writers that failed make the
// session end `warning`), 1 when a COM or VSS call failed; the failure is
// then an error log line and an `end` event `failed` naming the call and
// its HRESULT, and a backup in progress is aborted (AbortBackup).
int runRequester(const Options &options, const std::vector<std::string> &argv, EventStream &events);

} // namespace kw::vss
