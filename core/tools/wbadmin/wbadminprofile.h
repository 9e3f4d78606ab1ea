// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "tools/toolprofile.h"

namespace kw {

// wbadmin (Windows Server Backup): `start backup` is a backup, `start
// recovery` and `start systemstaterecovery` restores; the target is
// -backupTarget. Microsoft documents no exit codes: 0 succeeds, anything
// else fails (the generic rule). Matched by the program's name, which on
// Windows is read without ".exe" and in any case (WBADMIN.EXE is wbadmin).
class WbadminProfile final : public ToolProfile {
public:
    static const WbadminProfile &instance();

    QString name() const override { return QStringLiteral("wbadmin"); }
    void inspect(const QStringList &args, CommandLineInfo &info) const override;
    std::unique_ptr<OutputAdapter> createAdapter(const QStringList &command) const override;
    bool hasAdapter() const override { return true; }
};

} // namespace kw
