// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "wrapper/consolecontrol_windows.h"

#include <atomic>

namespace kw::ConsoleControl {

namespace {

// The system gives a closing console's processes 5 seconds before it ends
// them: leave the end event time to be written, and return before that.
constexpr DWORD kClosingWaitMs = 4000;

std::atomic<int> g_ctrlC{0};
std::atomic<int> g_ctrlBreak{0};
std::atomic<DWORD> g_closing{0};
HANDLE g_event = nullptr;
HANDLE g_ended = nullptr;

BOOL WINAPI onControl(DWORD type) {
    switch (type) {
    case CTRL_C_EVENT:
        ++g_ctrlC;
        ::SetEvent(g_event);
        return TRUE;
    case CTRL_BREAK_EVENT:
        ++g_ctrlBreak;
        ::SetEvent(g_event);
        return TRUE;
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
        g_closing = type;
        ::SetEvent(g_event);
        ::WaitForSingleObject(g_ended, kClosingWaitMs);
        return TRUE;
    default:
        return FALSE;
    }
}

} // namespace

bool install() {
    if (!g_event)
        g_event = ::CreateEventW(nullptr, FALSE, FALSE, nullptr);
    if (!g_ended)
        g_ended = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
    return g_event && g_ended && ::SetConsoleCtrlHandler(onControl, TRUE);
}

HANDLE event() {
    return g_event;
}

Notes take() {
    Notes notes;
    notes.ctrlC = g_ctrlC.exchange(0);
    notes.ctrlBreak = g_ctrlBreak.exchange(0);
    notes.closing = g_closing.exchange(0);
    return notes;
}

void sessionEnded() {
    if (g_ended)
        ::SetEvent(g_ended);
}

} // namespace kw::ConsoleControl
