// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <qt_windows.h>

namespace kw {

// The system's text for a Win32 error code ("The system cannot find the file
// specified."), for messages that say why.
QString windowsErrorText(DWORD error);

} // namespace kw
