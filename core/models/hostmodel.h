// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "fleet/hostpresence.h"

#include <QAbstractTableModel>
#include <QList>

namespace kw {

class SessionStore;

// One host of the Hosts view: its presence and its mirrored sessions that
// run (whose state is unknown while the host is offline) or failed.
struct HostRow {
    HostPresence presence;
    int running = 0;
    int failed = 0; // failed or interrupted

    // The hosts' rows: each presence with the store's sessions of its
    // remote source (RemoteSpools::identityFor) counted.
    static QList<HostRow> count(const QList<HostPresence> &presences, const SessionStore &store);
};

// The Hosts view's rows (docs/fleet.md): every host mirrored on this
// machine, online or offline since when, last seen, its running and failed
// sessions, and its agent's version.
class HostModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostModel)

public:
    enum Column { Host, Status, LastSeen, Running, Failed, Agent, ColumnCount };
    enum Role { OnlineRole = Qt::UserRole + 1 };

    explicit HostModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The hosts as they stand now. A host that was online and is now
    // offline with sessions running is announced through
    // wentOfflineWhileRunning.
    void setRows(const QList<HostRow> &rows);
    const HostRow &row(int i) const { return m_rows.at(i); }
    // The presence of `host`; null when it is not listed.
    const HostPresence *presenceOf(const QString &host) const;
    int onlineCount() const;

signals:
    void wentOfflineWhileRunning(const kw::HostRow &row);

private:
    QList<HostRow> m_rows;
};

} // namespace kw

Q_DECLARE_METATYPE(kw::HostRow)
