// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "models/schedulemodel.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace kw {

class SessionStore;
class UnitControl;

// The Schedules view: systemd's backup timers, when their backups last
// succeeded, how the last run ended, when the next one starts, and which are
// overdue; Run now and Stop for the selected timer's service. The timers are
// read off the GUI thread (D-Bus) every refresh interval; the runs come from
// the window's store, so a run that just ended counts at once.
class SchedulesView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SchedulesView)

public:
    SchedulesView(const SessionStore *store, UnitControl *control, QWidget *parent = nullptr);
    ~SchedulesView() override;

    ScheduleModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // Units chosen in Settings and the overdue grace.
    void setRules(const QStringList &units, qint64 graceMs);
    static constexpr int kDefaultRefreshMs = 30000;
    void setRefreshIntervalMs(int ms) { m_refresh.setInterval(ms); }
    // Reads the timers again now.
    void refresh();

signals:
    // For the status bar.
    void message(const QString &text);

private:
    void evaluate();
    void updateButtons();
    QString selectedService(QString *bus) const;

    const SessionStore *m_store;
    UnitControl *m_control;
    ScheduleModel *m_model;
    QTableView *m_table;
    QPushButton *m_runNow;
    QPushButton *m_stop;
    QLabel *m_summary;
    QTimer m_refresh;
    QTimer m_evaluate; // coalesces store changes
    QFutureWatcher<QList<TimerSchedule>> m_reading;
    QList<TimerSchedule> m_timers;
    QStringList m_units;
    qint64 m_graceMs = 60 * 60 * 1000;
    bool m_readAgain = false;
};

} // namespace kw
