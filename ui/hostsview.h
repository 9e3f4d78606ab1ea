// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "models/hostmodel.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>

class QLabel;
class QTableView;

namespace kw {

class SessionStore;

// The Hosts view (docs/fleet.md): every host whose sessions are mirrored on
// this machine (by `keepwatch-cli collect`), online or offline since when,
// last seen, its running and failed sessions and its agent's version. The
// presences are read off the GUI thread every refresh interval (a new host
// appears without a restart); the counts come from the window's store.
class HostsView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostsView)

public:
    static constexpr int kDefaultRefreshMs = 2000;

    // `remoteRoot`: where the mirrors are (RemoteSpools::root).
    HostsView(const SessionStore *store, QString remoteRoot, QWidget *parent = nullptr);
    ~HostsView() override;

    HostModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    void setRefreshIntervalMs(int ms) { m_refresh.setInterval(ms); }
    // Reads the presences again now.
    void refresh();

signals:
    // A host that was online went offline while sessions ran on it.
    void hostWentOffline(const kw::HostRow &row);
    // The sources ("remote:<host>") of the hosts offline now, with since
    // when (SessionTableModel::setOfflineSources).
    void offlineSourcesChanged(const QHash<QString, qint64> &sinceBySource);

private:
    struct Reading {
        QList<HostPresence> presences;
        QStringList problems;
    };
    void evaluate();

    const SessionStore *m_store;
    QString m_root;
    HostModel *m_model;
    QTableView *m_table;
    QLabel *m_summary;
    QTimer m_refresh;
    QTimer m_evaluate; // coalesces store changes
    QFutureWatcher<Reading> m_reading;
    Reading m_last;
};

} // namespace kw
