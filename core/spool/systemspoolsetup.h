// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringList>

namespace kw::SystemSpoolSetup {

// What root runs once (`keepwatch-cli system-spool init|grant`); the same
// as packaging/sysusers.d and packaging/tmpfiles.d give a package. Both are
// idempotent: what is already right is left alone and said so, a wrong mode
// or owner is corrected and said so, a link or a file where a directory
// belongs is refused.
struct Result {
    QStringList done; // one line per step, for people
    QString error;    // empty on success
};

// The group keepwatch (groupadd --system when missing), ROOT 0751
// root:keepwatch and ROOT/root 2750 root:keepwatch.
Result init();
// ROOT/<user> 2750 <user>:keepwatch: the user's `keepwatch-cli run` writes
// there and group keepwatch watches it. Needs init first.
Result grant(const QString &userName);

} // namespace kw::SystemSpoolSetup
