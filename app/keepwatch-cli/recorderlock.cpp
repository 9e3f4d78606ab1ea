// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "recorderlock.h"

#include "history/historydatabase.h"

namespace kw::cli {

std::unique_ptr<QLockFile> takeRecorderLock(const QString &path, const QString &command,
                                            QString &why) {
    auto lock = std::make_unique<QLockFile>(HistoryDatabase::recorderLockPath(path));
    lock->setStaleLockTime(0);
    if (lock->tryLock(5000))
        return lock;
    qint64 pid = 0;
    QString host, application;
    lock->getLockInfo(&pid, &host, &application);
    why = QStringLiteral("%1: %2 is being recorded by %3 (pid %4); close it and try again")
              .arg(command, path,
                   application.isEmpty() ? QStringLiteral("another process") : application)
              .arg(pid);
    return nullptr;
}

} // namespace kw::cli
