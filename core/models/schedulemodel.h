// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "systemd/timerschedule.h"

#include <QAbstractTableModel>
#include <QList>

namespace kw {

// The Schedules view's rows: systemd's backup timers with their last
// success, last outcome, next run and whether the backup is overdue.
class ScheduleModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScheduleModel)

public:
    enum Column { Timer, Schedule, LastSuccess, LastOutcome, NextRun, Overdue, ColumnCount };
    enum Role { OverdueRole = Qt::UserRole + 1, ServiceRole, BusRole };

    explicit ScheduleModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The timers as they stand now. A timer that was not overdue (or not
    // listed) and is now is announced through becameOverdue.
    void setStatuses(const QList<ScheduleStatus> &statuses);
    const ScheduleStatus &status(int row) const { return m_statuses.at(row); }
    int overdueCount() const;

signals:
    void becameOverdue(const kw::ScheduleStatus &status);

private:
    QList<ScheduleStatus> m_statuses;
};

} // namespace kw
