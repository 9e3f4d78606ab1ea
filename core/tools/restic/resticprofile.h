// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "tools/toolprofile.h"

namespace kw {

// restic 0.14 and later: subcommands and repository (-r, --repo,
// --repository-file, else RESTIC_REPOSITORY), the documented exit codes
// (restic's "Exit codes"; 10, 11 and 12 since 0.17: 0.14 says 1 for all
// three), SIGINT to stop (restic removes its lock), the password variables.
class ResticProfile final : public ToolProfile {
public:
    static const ResticProfile &instance();

    QString name() const override { return QStringLiteral("restic"); }
    void inspect(const QStringList &args, CommandLineInfo &info) const override;
    QList<ExitCodeEntry> exitCodes() const override;
    QList<int> stopSignals() const override;
    QString endNote(const ExitStatus &status) const override;
    int cancelSignal() const override;
    QStringList passwordVariables() const override;
    QString repositoryVariable() const override { return QStringLiteral("RESTIC_REPOSITORY"); }
    QStringList launchArguments(const LaunchRequest &request) const override;
    const LaunchForm *launchForm() const override;
    QMap<QString, QString> passwordEnvironment(const PasswordDelivery &delivery) const override;

    // restic splits RESTIC_PASSWORD_COMMAND with its own rules, which cannot
    // quote every path: the command goes through the environment and
    // /bin/sh instead (KEEPWATCH_PASSWORD_COMMAND holds it).
    static constexpr QLatin1String kIndirectCommand{"sh -c 'eval \"$KEEPWATCH_PASSWORD_COMMAND\"'"};
    static constexpr QLatin1String kIndirectVariable{"KEEPWATCH_PASSWORD_COMMAND"};
    std::unique_ptr<OutputAdapter> createAdapter(const QStringList &command) const override;
    bool hasAdapter() const override { return true; }
};

} // namespace kw
