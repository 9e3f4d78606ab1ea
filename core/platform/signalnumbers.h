// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#ifndef _WIN32
#include <csignal>
#endif

namespace kw {

// The signal numbers Keepwatch records and reasons about (an end event's
// "signal", exit code 128+N, a tool's cancel and stop signals) are Linux's on
// every platform: a session recorded on Linux must read the same on Windows.
// Windows has no such signals, and MinGW's <csignal> lacks most of these
// names and numbers SIGABRT 22; code that speaks the protocol uses these.
namespace PosixSignal {
inline constexpr int Hup = 1;
inline constexpr int Int = 2;
inline constexpr int Quit = 3;
inline constexpr int Abrt = 6;
inline constexpr int Kill = 9;
inline constexpr int Usr1 = 10;
inline constexpr int Segv = 11;
inline constexpr int Usr2 = 12;
inline constexpr int Pipe = 13;
inline constexpr int Term = 15;
} // namespace PosixSignal

#ifndef _WIN32
// Where real signals exist they are these: code may pass them to kill(2).
static_assert(PosixSignal::Hup == SIGHUP && PosixSignal::Int == SIGINT
              && PosixSignal::Quit == SIGQUIT && PosixSignal::Abrt == SIGABRT
              && PosixSignal::Kill == SIGKILL && PosixSignal::Usr1 == SIGUSR1
              && PosixSignal::Segv == SIGSEGV && PosixSignal::Usr2 == SIGUSR2
              && PosixSignal::Pipe == SIGPIPE && PosixSignal::Term == SIGTERM);
#endif

} // namespace kw
