// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "spool/spoolgroupsource.h"
#include "spool/spoolsharedbudget.h"
#include "spool/spoolsource.h"

#include <functional>
#include <map>
#include <memory>

namespace kw {

// Every host mirrored under a remote root (RemoteSpools), each as the spool
// source its maker gives (the host's mirrors, "remote:<host>"): a host
// mirrored for the first time while the window runs is read from the next
// poll on (the root is watched), not from the next start. Recorded in a
// history (SpoolGroupSource), every host goes on where the history stands,
// also one that appears later.
class RemoteHostsSource final : public SpoolGroupSource {
public:
    using MakeSource = std::function<std::unique_ptr<SpoolSource>(const QString &host)>;

    // `maxBytesPerPoll`: what one poll reads of all hosts together (as much
    // as one spool directory's poll).
    RemoteHostsSource(QString root, MakeSource make,
                      qint64 maxBytesPerPoll = SpoolSource::Options{}.maxBytesPerPoll);
    ~RemoteHostsSource() override;

    QString name() const override { return QStringLiteral("remote"); }
    void poll(EventBatch &out) override;
    QStringList watchPaths() const override;
    bool hasPendingData() const override;

    QHash<QString, SpoolTailer::Position> positions() const override;
    void resume(const QHash<QString, SpoolTailer::Position> &positions,
                const QList<Session> &known) override;

private:
    void addNewHosts();

    QString m_root;
    MakeSource m_make;
    std::map<QString, std::unique_ptr<SpoolSource>> m_hosts; // by host name
    qint64 m_maxBytesPerPoll;
    SpoolSharedBudget m_budget;
    bool m_pending = false;
    // From the history: every host's positions, and its unfinished sessions.
    QHash<QString, SpoolTailer::Position> m_resumeFrom;
    QList<Session> m_unfinished;
};

} // namespace kw
