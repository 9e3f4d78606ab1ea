// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringList>

namespace kw {

// Removes secrets from a command line before it is shown or stored:
// - values of options that name a secret: --password=X, --password X,
//   --passphrase, --secret, --token, --api-key, --auth... (but not the
//   harmless --password-file PATH);
// - credentials in URLs: scheme://user:secret@host -> scheme://user:***@host;
// - VAR=value words whose name holds PASSWORD, PASSPHRASE, SECRET, TOKEN or
//   KEY (as in `env RESTIC_PASSWORD=x restic ...`);
// - the same inside an argument with spaces, word by word: the script of
//   `sh -c "restic --password=x backup"`.
class CommandRedactor final {
public:
    static QStringList redact(const QStringList &argv);
    static QString redactUrlCredentials(const QString &text);
    static constexpr const char *kMask = "***";
    // `name` without its dashes, lower case ("password", "api-key").
    static bool isSecretOption(QStringView name);

private:
    static bool isSecretVariable(QStringView name);
    static QString redactScript(const QString &script);
};

} // namespace kw
