// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"
#include "spool/spoolsharedbudget.h"
#include "spool/spoolsource.h"

#include <QHash>
#include <QString>
#include <map>
#include <memory>

namespace kw {

// The system spool (SystemSpool::root(), docs: system-integration.md §5):
// root's and service users' sessions, for members of group keepwatch.
//
// Every poll lists the root (one readdir, nothing opened) and keeps one
// SpoolSource per user directory that passes the checks: its name is a user
// of the password database, it is that user's real directory, writable by
// that user only (SystemSpool::directoryProblem), and this process can read
// it. Each child has the identity SystemSpool::identityFor(user) and that
// user as the owner every file must have (SpoolSource::Options::ownerUid):
// its events keep that identity, so one user's files can never add to
// another user's sessions. A directory that fails is reported once (again
// when its problem changes); a directory that appears later (a user granted
// since) is read from the next poll on.
//
// A root that exists but cannot be listed gives one SourceError that says
// what to do (joining group keepwatch); a missing root is no error (no
// system spool on this machine).
class SystemSpoolSource final : public SessionSource {
public:
    struct Options {
        // One budget for all users' directories, shared round-robin: as
        // much as one spool directory's poll.
        qint64 maxBytesPerPoll = SpoolSource::Options{}.maxBytesPerPoll;
        qint64 maxBytesPerFile = SpoolSource::Options{}.maxBytesPerFile;
        qint64 livenessIntervalMs = 500;
    };

    SystemSpoolSource();
    explicit SystemSpoolSource(Options options);
    ~SystemSpoolSource() override;

    QString name() const override { return QStringLiteral("system"); }
    void poll(EventBatch &out) override;
    QStringList watchPaths() const override;
    bool hasPendingData() const override { return m_pending; }

    QString root() const { return m_root; }
    // The identities of the directories read now ("system:root", ...), sorted.
    QStringList identities() const;

    // What a user who cannot list the root is told, for `error` (an errno
    // of opendir(3)); empty for a missing root.
    static QString rootProblem(int error);

private:
    // Lists the root; false when it cannot be listed now.
    bool scanRoot(EventBatch &out);
    // Why the entry `userName` of the root cannot be read as that user's
    // directory; empty when it can.
    QString entryProblem(const QString &userName, uint *uid) const;

    QString m_root;
    Options m_options;
    std::map<QString, std::unique_ptr<SpoolSource>> m_children; // by user name
    QHash<QString, QString> m_entryProblems;                    // by entry name: what was reported
    QString m_lastRootError;
    bool m_rootListed = false;
    SpoolSharedBudget m_budget; // one poll's bytes, for all children
    bool m_pending = false;
};

} // namespace kw
