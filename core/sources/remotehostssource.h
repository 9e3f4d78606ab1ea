// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"

#include <functional>
#include <map>
#include <memory>

namespace kw {

// Every host mirrored under a remote root (RemoteSpools), each as the source
// its maker gives (a spool source of the host's mirrors, "remote:<host>"):
// a host mirrored for the first time while the window runs is read from the
// next poll on (the root is watched), not from the next start.
class RemoteHostsSource final : public SessionSource {
public:
    using MakeSource = std::function<std::unique_ptr<SessionSource>(const QString &host)>;

    RemoteHostsSource(QString root, MakeSource make);
    ~RemoteHostsSource() override;

    QString name() const override { return QStringLiteral("remote"); }
    void poll(EventBatch &out) override;
    QStringList watchPaths() const override;
    bool hasPendingData() const override;

private:
    void addNewHosts();

    QString m_root;
    MakeSource m_make;
    std::map<QString, std::unique_ptr<SessionSource>> m_hosts; // by host name
};

} // namespace kw
