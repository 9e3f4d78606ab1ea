// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "store/session.h"

#include <QAbstractTableModel>
#include <QHash>
#include <optional>

namespace kw {

class SessionStore;
struct StoreChange;

// The store's sessions as table rows, in the store's order (append only).
// Text for display, raw values under SortRole so that sorting never
// compares formatted text ("9 s" after "10 s").
class SessionTableModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionTableModel)

public:
    enum Column {
        Id,
        Title,
        Tool,
        Kind,
        State,
        Progress,
        Bytes,
        Rate,
        Eta,
        Started,
        Duration,
        Host,
        Target,
        User,   // who runs it: a spool file's owner, a process's user (never a payload's claim)
        Source, // where it was seen: own spool, system spool, discovered...
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SortRole = Qt::UserRole + 1,
        StateRole,   // int(SessionState)
        KindRole,    // int(SessionKind)
        PercentRole, // double 0..100, or -1 when no total is known
        BusyRole,    // bool: still working, but with no total to measure against
        SessionIdRole,
        SourceRole,
        ProblemRole, // bool: a state the user must look at
        // QString: why this user cannot cancel the session (another user's,
        // WrapperCancel::ownerRefusal) and what works instead; empty when it may try.
        CancelRefusalRole
    };

    explicit SessionTableModel(SessionStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // What a numeric column sorts on (SortRole), without a QVariant: the
    // proxy compares about two million pairs when 100,000 sessions arrive
    // from the history at start. None for text columns.
    std::optional<double> sortValue(int row, int column) const;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const Session &session(int row) const;
    // A source identity for people: "own spool", "system spool",
    // "discovered", "spool /dir".
    static QString sourceText(const QString &identity);
    SessionStore *store() const { return m_store; }

    // Running sessions' durations grow: the view calls this once a second.
    void refreshDurations();
    // The sources of hosts that are offline now ("remote:<host>"), with
    // since when: their running sessions show as "unknown since …", since
    // nobody can know how they are doing (the Hosts view says which).
    void setOfflineSources(const QHash<QString, qint64> &sinceBySource);

    // Everything known about a session's progress, one fact per line.
    static QString progressDetails(const Session &session);

    // The State column's text: the wire name, or "unknown since HH:MM" for a
    // running session of a host that went offline (setOfflineSources).
    QString stateText(const Session &s) const;

private:
    void onStoreChanged(const StoreChange &change);
    void emitChangedRows(const QList<int> &rows, int firstColumn, int lastColumn);
    QString progressText(const Session &s) const;

    SessionStore *m_store;
    int m_rows = 0;
    QHash<QString, qint64> m_offlineSince; // by source
};

} // namespace kw
