// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>

namespace kw {

// How `keepwatch-cli cancel` (ProcessProbe::sendCancelRequest) reaches a
// session's wrapper on Windows, which has no SIGUSR1: the wrapper creates an
// event of this name and waits on it; the canceller opens it
// (EVENT_MODIFY_STATE) and sets it (SetEvent), and the wrapper resets it. The default security of
// the wrapper's token lets the same user (and administrators) set it, as kill(2) would allow.
// "Local\": the wrapper's logon session only (a Global\ name needs SeCreateGlobalPrivilege to
// create).
//
// The one place the name is spelled: both sides use this.
inline QString cancelEventName(qint64 wrapperPid) {
    return QStringLiteral("Local\\keepwatch-cancel-%1").arg(wrapperPid);
}

} // namespace kw
