// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

namespace kw {

class SessionRecorder;
struct WrapOptions;

// The process side of `keepwatch-cli run`, one per platform
// (childrun_posix.cpp, childrun_windows.cpp): starts options.command with
// its output through pipes, passes that output through and feeds it to the
// recorder, turns cancel requests and the wrapper's own signals into stop
// requests for the command, and ends with the recorder's finish(). It
// opens the recorder's spool once the wrapper's own signals are handled.
// Returns the wrapper's exit status.
int runChild(const WrapOptions &options, SessionRecorder &recorder);

} // namespace kw
