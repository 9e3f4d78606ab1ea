// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <windows.h>

namespace kw {

// The string form of the current user's SID ("S-1-5-21-…"), from the
// process token; empty when the token cannot be read.
QString currentUserSid();

// Security attributes that make a new file or directory private: a protected
// DACL (nothing inherited from the parent) with one entry, full control for
// the current user, the way 0600/0700 leaves a file to its owner on Linux.
// A directory's entry is inherited by what is created in it.
class PrivateSecurity final {
public:
    enum class For { File, Directory };
    explicit PrivateSecurity(For what);
    ~PrivateSecurity();
    PrivateSecurity(const PrivateSecurity &) = delete;
    PrivateSecurity &operator=(const PrivateSecurity &) = delete;

    bool isValid() const { return m_descriptor != nullptr; }
    QString error() const { return m_error; }
    SECURITY_ATTRIBUTES *attributes() { return isValid() ? &m_attributes : nullptr; }
    // The SDDL the descriptor was made from, for tests and messages.
    QString sddl() const { return m_sddl; }

private:
    PSECURITY_DESCRIPTOR m_descriptor = nullptr;
    SECURITY_ATTRIBUTES m_attributes{};
    QString m_sddl;
    QString m_error;
};

} // namespace kw
