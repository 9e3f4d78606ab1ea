// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "history/historyrecorderlock.h"

#include <QString>
#include <memory>

namespace kw::cli {

// The history's recorder lock for a command that rewrites the database
// (reindex, retention). Waits a little for a recorder that finishes soon (an
// export catching up); a window that records for good is named, so the user
// knows what to close. Null with `why` set when it is held or cannot be made.
std::unique_ptr<HistoryRecorderLock> takeRecorderLock(const QString &databasePath,
                                                      const QString &command, QString &why);

} // namespace kw::cli
