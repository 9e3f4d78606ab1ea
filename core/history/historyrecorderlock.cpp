// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historyrecorderlock.h"

#include "history/historydatabase.h"
#include "spool/spoollocation.h"

#include <QFileInfo>

namespace kw {

HistoryRecorderLock::HistoryRecorderLock(const QString &databasePath)
    : m_lockPath(HistoryDatabase::recorderLockPath(databasePath))
    , m_lock(m_lockPath) {
    // Only a dead holder makes a lock stale: a recorder runs for days.
    m_lock.setStaleLockTime(0);
}

HistoryRecorderLock::~HistoryRecorderLock() = default;

HistoryRecorderLock::Result HistoryRecorderLock::tryLock(int timeoutMs) {
    m_holderPid = 0;
    m_holderApplication.clear();
    m_error.clear();
    if (const QString why = SpoolLocation::ensureDirectory(QFileInfo(m_lockPath).absolutePath());
        !why.isEmpty()) {
        m_error = why;
        return Result::Failed;
    }
    if (m_lock.tryLock(timeoutMs))
        return Result::Locked;
    switch (m_lock.error()) {
    case QLockFile::LockFailedError: {
        QString host;
        m_lock.getLockInfo(&m_holderPid, &host, &m_holderApplication);
        return Result::HeldByOther;
    }
    case QLockFile::PermissionError:
        m_error =
            QStringLiteral("cannot create the lock file %1: permission denied").arg(m_lockPath);
        return Result::Failed;
    case QLockFile::NoError:
    case QLockFile::UnknownError:
        break;
    }
    m_error = QStringLiteral("cannot create the lock file %1").arg(m_lockPath);
    return Result::Failed;
}

} // namespace kw
