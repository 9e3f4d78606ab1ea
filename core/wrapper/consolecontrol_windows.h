// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <qt_windows.h>

namespace kw {

// Ctrl-C, Ctrl-Break and the console's closing, as they reach the wrapper on
// Windows: its SIGINT, SIGTERM and SIGHUP. The system calls the handler on a
// thread of its own; like the Linux wrapper's signal handler it only takes
// note and wakes the loop, which does the work.
namespace ConsoleControl {

struct Notes {
    int ctrlC = 0;
    int ctrlBreak = 0;
    // CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT or CTRL_SHUTDOWN_EVENT; 0 when none.
    DWORD closing = 0;
};

// Installs the handler; false when the system refused it.
bool install();
// Set (auto-reset) when a note was taken.
HANDLE event();
// The notes since the last take.
Notes take();
// The session's end is recorded. The system ends the process as soon as the
// handler of a closing console returns, so that handler waits (a few
// seconds at most) for this.
void sessionEnded();

} // namespace ConsoleControl

} // namespace kw
