// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/privateacl_windows.h"

#include "platform/windowserror.h"

#include <sddl.h>

namespace kw {

QString currentUserSid() {
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return {};
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    QByteArray buffer(qsizetype(size), Qt::Uninitialized);
    QString sid;
    if (size && GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) {
        const auto *user = reinterpret_cast<const TOKEN_USER *>(buffer.constData());
        wchar_t *text = nullptr;
        if (ConvertSidToStringSidW(user->User.Sid, &text)) {
            sid = QString::fromWCharArray(text);
            LocalFree(text);
        }
    }
    CloseHandle(token);
    return sid;
}

PrivateSecurity::PrivateSecurity(For what) {
    const QString sid = currentUserSid();
    if (sid.isEmpty()) {
        m_error = QStringLiteral("cannot read the current user's SID: %1")
                      .arg(windowsErrorText(GetLastError()));
        return;
    }
    // D:P = a protected DACL; (A;flags;FA;;;SID) = allow full access to SID.
    // OICI: inherited by files and directories created inside.
    m_sddl = QStringLiteral("D:P(A;%1;FA;;;%2)")
                 .arg(what == For::Directory ? QStringLiteral("OICI") : QString(), sid);
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(
            reinterpret_cast<const wchar_t *>(m_sddl.utf16()), SDDL_REVISION_1, &m_descriptor,
            nullptr)) {
        m_descriptor = nullptr;
        m_error = QStringLiteral("cannot make a private ACL (%1): %2")
                      .arg(m_sddl, windowsErrorText(GetLastError()));
        return;
    }
    m_attributes.nLength = sizeof m_attributes;
    m_attributes.lpSecurityDescriptor = m_descriptor;
    m_attributes.bInheritHandle = FALSE;
}

PrivateSecurity::~PrivateSecurity() {
    if (m_descriptor)
        LocalFree(m_descriptor);
}

} // namespace kw
