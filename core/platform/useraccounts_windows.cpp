// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/useraccounts.h"
#include "platform/win32process.h"

#include <QByteArray>
#include <QDir>
#include <QMutex>
#include <iterator>
#include <vector>

// clang-format off
#include <windows.h>
#include <sddl.h>
#include <userenv.h>
// clang-format on

namespace kw {

namespace {

// The SIDs this process has met, in the order it met them: the uid of the
// SID at index i is kFirstUid + i. Never 0 (root on Linux, and the callers
// let uid 0 do anything), and far from the small numbers a Linux uid has,
// so that a number printed by mistake is not taken for one.
constexpr uint kFirstUid = 0x40000000;
// Given to nobody: what effectiveUid() says if this process's own user
// cannot be read, so that it is then the same user as no one.
constexpr uint kNobody = kFirstUid - 1;

class SidRegistry {
public:
    uint uidOf(PSID sid) {
        const QByteArray bytes(static_cast<const char *>(sid), qsizetype(::GetLengthSid(sid)));
        const QMutexLocker lock(&m_mutex);
        for (size_t i = 0; i < m_sids.size(); ++i) {
            if (m_sids[i] == bytes)
                return kFirstUid + uint(i);
        }
        m_sids.push_back(bytes);
        return kFirstUid + uint(m_sids.size() - 1);
    }
    // The SID's bytes; empty for a number this registry did not give.
    QByteArray sidOf(uint uid) {
        const QMutexLocker lock(&m_mutex);
        if (uid < kFirstUid || uid - kFirstUid >= m_sids.size())
            return {};
        return m_sids[uid - kFirstUid];
    }

private:
    QMutex m_mutex;
    // Few: the users whose processes and files this process looked at. A
    // SID is compared as bytes: two valid SIDs are equal (EqualSid) exactly
    // when their bytes are.
    std::vector<QByteArray> m_sids;
};

SidRegistry &registry() {
    static SidRegistry r;
    return r;
}

QString sidString(PSID sid) {
    LPWSTR text = nullptr;
    if (!::ConvertSidToStringSidW(sid, &text))
        return {};
    QString out = QString::fromWCharArray(text);
    ::LocalFree(text);
    return out;
}

} // namespace

namespace Win32 {

uint uidOfSid(void *sid) {
    return registry().uidOf(static_cast<PSID>(sid));
}

} // namespace Win32

namespace UserAccounts {

std::optional<uint> uidOf(const QString &userName) {
    if (userName.isEmpty())
        return std::nullopt;
    QByteArray sid(SECURITY_MAX_SID_SIZE, Qt::Uninitialized);
    DWORD sidSize = DWORD(sid.size());
    wchar_t domain[256];
    DWORD domainSize = DWORD(std::size(domain));
    SID_NAME_USE use = SidTypeUnknown;
    if (!::LookupAccountNameW(nullptr, reinterpret_cast<LPCWSTR>(userName.utf16()), sid.data(),
                              &sidSize, domain, &domainSize, &use)
        || use != SidTypeUser)
        return std::nullopt;
    return Win32::uidOfSid(sid.data());
}

QString nameOf(uint uid) {
    QByteArray sid = registry().sidOf(uid);
    if (sid.isEmpty())
        return QString::number(uid);
    wchar_t name[256];
    DWORD nameSize = DWORD(std::size(name));
    wchar_t domain[256];
    DWORD domainSize = DWORD(std::size(domain));
    SID_NAME_USE use = SidTypeUnknown;
    if (::LookupAccountSidW(nullptr, sid.data(), name, &nameSize, domain, &domainSize, &use))
        return QString::fromWCharArray(name, qsizetype(nameSize));
    const QString text = sidString(sid.data());
    return text.isEmpty() ? QString::number(uid) : text;
}

QString homeOf(uint uid) {
    if (uid == effectiveUid()) {
        HANDLE token = nullptr;
        if (::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token)) {
            const Win32::Handle owned(token);
            wchar_t path[MAX_PATH * 2];
            DWORD size = DWORD(std::size(path));
            if (::GetUserProfileDirectoryW(token, path, &size))
                return QDir::fromNativeSeparators(QString::fromWCharArray(path));
        }
    }
    // Another user (or a token without a profile): where Windows keeps the
    // profile of that SID, as it would load it.
    QByteArray sid = registry().sidOf(uid);
    if (sid.isEmpty())
        return {};
    const QString key =
        QStringLiteral("SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\")
        + sidString(sid.data());
    wchar_t path[MAX_PATH * 2];
    DWORD bytes = sizeof path;
    // RRF_RT_REG_EXPAND_SZ values are expanded (%SystemDrive%\Users\...).
    if (::RegGetValueW(HKEY_LOCAL_MACHINE, reinterpret_cast<LPCWSTR>(key.utf16()),
                       L"ProfileImagePath", RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ, nullptr, path,
                       &bytes)
        != ERROR_SUCCESS)
        return {};
    return QDir::fromNativeSeparators(QString::fromWCharArray(path));
}

std::optional<uint> gidOf(const QString &) {
    return std::nullopt; // no group-based spool on Windows: see useraccounts.h
}

bool processHasGroup(uint) {
    return false;
}

bool isListedMember(const QString &, const QString &) {
    return false;
}

uint effectiveUid() {
    static const uint uid = [] {
        if (const std::optional<uint> mine = Win32::processUid(::GetCurrentProcess()))
            return *mine;
        qWarning("cannot read this process's user (%s): it is taken for nobody's",
                 qPrintable(Win32::errorText(::GetLastError())));
        return kNobody;
    }();
    return uid;
}

} // namespace UserAccounts

} // namespace kw
