// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/windowserror.h"

namespace kw {

QString windowsErrorText(DWORD error) {
    wchar_t *text = nullptr;
    const DWORD n = ::FormatMessageW(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
        nullptr, error, 0, reinterpret_cast<wchar_t *>(&text), 0, nullptr);
    QString message = n ? QString::fromWCharArray(text, int(n)).trimmed() : QString();
    if (text)
        ::LocalFree(text);
    if (message.isEmpty())
        return QStringLiteral("error %1").arg(error);
    return QStringLiteral("%1 (error %2)").arg(message).arg(error);
}

} // namespace kw
