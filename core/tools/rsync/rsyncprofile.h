// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "tools/toolprofile.h"

namespace kw {

// rsync 3.x: always a backup (unless --kind), the destination, every exit
// value of rsync(1), SIGTERM to stop (rsync exits 20 on SIGINT, SIGTERM and
// SIGHUP). No password: a remote shell or daemon asks for its own.
class RsyncProfile final : public ToolProfile {
public:
    static const RsyncProfile &instance();

    QString name() const override { return QStringLiteral("rsync"); }
    void inspect(const QStringList &args, CommandLineInfo &info) const override;
    QList<ExitCodeEntry> exitCodes() const override;
    QList<int> stopSignals() const override;
    QStringList launchArguments(const LaunchRequest &request) const override;
    const LaunchForm *launchForm() const override;
    std::unique_ptr<OutputAdapter> createAdapter(const QStringList &command) const override;
    bool hasAdapter() const override { return true; }
};

} // namespace kw
