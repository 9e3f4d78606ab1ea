// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

namespace kw {

// How a program's main() ends: `return kw::endProcess(status);` once
// everything of its own is closed (its application object, windows,
// databases and files destroyed).
//
// On Linux that is an ordinary return. On Windows the process ends right
// after stdio is flushed, without the DLLs' detach handlers: with MinGW's
// winpthreads, a Qt thread that ended earlier can fault in winpthreads'
// thread-detach callback (seen under wine 8) and leave its key lock taken;
// libstdc++'s process detach then waits for that lock forever, and the
// program never exits, with its buffered output unwritten (docs/windows.md).
int endProcess(int status);

} // namespace kw
