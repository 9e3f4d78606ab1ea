// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringView>

namespace kw::SessionId {

// Session IDs are untrusted input (they come from files any producer writes)
// and become file names in the spool, so they are limited to a conservative
// alphabet: letters, digits and . _ - : @ + = { } (enough for UUIDs, VSS
// GUIDs in braces, Bacula job names), 1..128 characters, not starting with
// '.' or '-'. No '/', no '..', no control characters, no NUL.
constexpr qsizetype kMaxLength = 128;

// Empty when valid, otherwise says what is wrong.
QString validationError(QStringView id);
inline bool isValid(QStringView id) {
    return validationError(id).isEmpty();
}

// A systemd invocation ID (sd_id128, as $INVOCATION_ID spells it): exactly
// 32 lower-case hexadecimal digits.
bool isInvocationId(QStringView text);

// A fresh random (v4) UUID without braces: 36 characters.
QString generate();

// An untrusted string made safe to quote in a message: control characters
// escaped, cut to a readable length.
QString quoted(QStringView untrusted);

} // namespace kw::SessionId
