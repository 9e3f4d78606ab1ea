// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QChar>
#include <QString>

namespace kw::BaculaCodes {

// A Bacula job's JobStatus, JobType and Level in Keepwatch's words
// (Bacula 9.6's catalog Status table; the codes of 11.0's headers too).

struct State {
    SessionState state = SessionState::Running;
    QString reason; // why queued or stalled, in words; the outcome's otherwise
};
// `errors` is JobErrors: 9.6 stores "Backup OK -- with warnings" as T with errors.
// An unknown code is `running` while the job is in the director's running
// list (`running` true) and failed otherwise, with the code in the reason.
State stateOf(QChar status, qint64 errors, bool running);
// What the code means, as the catalog says it ("Waiting for Client").
QString statusWords(QChar status);

SessionKind kindOf(QChar type);
// The type in words for the details: "Backup", "Copy", "Migration"...
QString typeWords(QChar type);
// "Full", "Incremental", "VolumeToCatalog"..., empty for none.
QString levelWords(QChar level);

} // namespace kw::BaculaCodes
