// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "recorderlock.h"

namespace kw::cli {

std::unique_ptr<HistoryRecorderLock> takeRecorderLock(const QString &path, const QString &command,
                                                      QString &why) {
    auto lock = std::make_unique<HistoryRecorderLock>(path);
    switch (lock->tryLock(5000)) {
    case HistoryRecorderLock::Result::Locked:
        return lock;
    case HistoryRecorderLock::Result::HeldByOther:
        why = QStringLiteral("%1: %2 is being recorded by %3 (pid %4); close it and try again")
                  .arg(command, path,
                       lock->holderApplication().isEmpty() ? QStringLiteral("another process")
                                                           : lock->holderApplication())
                  .arg(lock->holderPid());
        return nullptr;
    case HistoryRecorderLock::Result::Failed:
        why = command + QLatin1String(": ") + lock->errorString();
        return nullptr;
    }
    return nullptr;
}

} // namespace kw::cli
