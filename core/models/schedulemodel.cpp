// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/schedulemodel.h"

#include "format/format.h"

#include <QSet>

namespace kw {

namespace {

QString key(const ScheduleStatus &s) {
    return s.schedule.bus + QLatin1Char('\n') + s.schedule.timer;
}

QString timeOrDash(std::optional<qint64> ms) {
    return ms ? Format::dateTime(*ms) : QStringLiteral("-");
}

} // namespace

ScheduleModel::ScheduleModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int ScheduleModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_statuses.size());
}

int ScheduleModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScheduleModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ScheduleStatus &s = m_statuses.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Timer:
            return s.schedule.timer;
        case Schedule:
            return s.schedule.schedule;
        case LastSuccess:
            return timeOrDash(s.lastSuccessMs);
        case LastOutcome:
            return s.lastOutcome ? QString(wireName(*s.lastOutcome)) : QStringLiteral("-");
        case NextRun:
            return timeOrDash(s.schedule.nextElapseMs);
        case Overdue:
            return s.overdue ? tr("overdue") : tr("no");
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Timer)
            return tr("%1 starts %2").arg(s.schedule.timer, s.schedule.service);
        return s.why.isEmpty() ? QVariant() : QVariant(s.why);
    case OverdueRole:
        return s.overdue;
    case ServiceRole:
        return s.schedule.service;
    case BusRole:
        return s.schedule.bus;
    default:
        return {};
    }
}

QVariant ScheduleModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Timer:
        return tr("Timer");
    case Schedule:
        return tr("Schedule");
    case LastSuccess:
        return tr("Last success");
    case LastOutcome:
        return tr("Last outcome");
    case NextRun:
        return tr("Next run");
    case Overdue:
        return tr("Overdue");
    case ColumnCount:
        break;
    }
    return {};
}

void ScheduleModel::setStatuses(const QList<ScheduleStatus> &statuses) {
    QSet<QString> wasOverdue;
    for (const ScheduleStatus &s : std::as_const(m_statuses)) {
        if (s.overdue)
            wasOverdue.insert(key(s));
    }
    bool sameRows = statuses.size() == m_statuses.size();
    for (qsizetype i = 0; sameRows && i < statuses.size(); ++i)
        sameRows = key(statuses[i]) == key(m_statuses[i]);
    if (sameRows) {
        m_statuses = statuses;
        if (!m_statuses.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    } else {
        beginResetModel();
        m_statuses = statuses;
        endResetModel();
    }
    for (const ScheduleStatus &s : std::as_const(m_statuses)) {
        if (s.overdue && !wasOverdue.contains(key(s)))
            emit becameOverdue(s);
    }
}

int ScheduleModel::overdueCount() const {
    return int(std::count_if(m_statuses.cbegin(), m_statuses.cend(),
                             [](const ScheduleStatus &s) { return s.overdue; }));
}

} // namespace kw
