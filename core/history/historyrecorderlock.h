// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QLockFile>
#include <QString>

namespace kw {

// The lock that marks the one process recording into a history database
// (the window's collector, or a CLI command while it runs): two recorders
// would read the same spool lines and write them twice. The lock file lies
// beside the database (HistoryDatabase::recorderLockPath).
//
// Taking it makes the database's directory first (private, as the database
// itself does): on a fresh state directory nothing exists yet, and a lock
// that cannot be created is not one that another process holds. Only a
// lock held by a live process is reported as held, with that process's pid.
class HistoryRecorderLock final {
public:
    enum class Result {
        Locked,      // this process records
        HeldByOther, // another live process records: holderPid(), holderApplication()
        Failed,      // the lock file cannot be made: errorString()
    };

    explicit HistoryRecorderLock(const QString &databasePath);
    ~HistoryRecorderLock();
    Q_DISABLE_COPY_MOVE(HistoryRecorderLock)

    // Waits up to `timeoutMs` for a holder that finishes soon.
    Result tryLock(int timeoutMs);
    bool isLocked() const { return m_lock.isLocked(); }

    qint64 holderPid() const { return m_holderPid; }
    QString holderApplication() const { return m_holderApplication; }
    QString errorString() const { return m_error; }

private:
    QString m_lockPath;
    QLockFile m_lock;
    qint64 m_holderPid = 0;
    QString m_holderApplication;
    QString m_error;
};

} // namespace kw
