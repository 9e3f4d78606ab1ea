// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "tools/toolprofile.h"

namespace kw {

// borg 1.2: subcommands and REPO::ARCHIVE locations (else BORG_REPO), the
// documented return codes (0, 1 warning, 2 error, 128+N killed by signal N),
// SIGINT to stop (borg removes its lock), the passphrase variables.
// Not borg 2 ("borg2"): its command line and return codes differ.
class BorgProfile final : public ToolProfile {
public:
    static const BorgProfile &instance();

    // The archive name a launched backup gets: borg expands the placeholders
    // itself (e.g. "nas-2026-01-31T02:00:00").
    static constexpr QLatin1String kArchiveTemplate{"{hostname}-{now}"};

    QString name() const override { return QStringLiteral("borg"); }
    QStringList aliases() const override;
    void inspect(const QStringList &args, CommandLineInfo &info) const override;
    QList<ExitCodeEntry> exitCodes() const override;
    bool signalExitCodes() const override { return true; }
    QList<int> stopSignals() const override;
    QString endNote(const ExitStatus &status) const override;
    int cancelSignal() const override;
    QStringList passwordVariables() const override;
    QString repositoryVariable() const override { return QStringLiteral("BORG_REPO"); }
    QStringList launchArguments(const LaunchRequest &request) const override;
    const LaunchForm *launchForm() const override;
    QMap<QString, QString> passwordEnvironment(const PasswordDelivery &delivery) const override;
    std::unique_ptr<OutputAdapter> createAdapter(const QStringList &command) const override;
    bool hasAdapter() const override { return true; }
};

} // namespace kw
