// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QDBusConnection>
#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

namespace kw {

class BackupUnits;
class SessionStore;

// A backup service's timer, as its manager describes it
// (org.freedesktop.systemd1.Timer): when it fires, when it fired last.
struct TimerSchedule {
    QString timer;    // "borgmatic.timer"
    QString service;  // the unit it starts: "borgmatic.service"
    QString schedule; // for people: "daily", "every 2s after the last run"
    QString bus;      // the source identity of the service's runs ("systemd", "systemd:user")
    // The time between two runs it asks for, when it can be told
    // (OnUnitActiveSec=, OnUnitInactiveSec=, a calendar expression).
    std::optional<qint64> periodMs;
    // How late a run may start by design: RandomizedDelaySec= plus
    // AccuracySec= (Debian's borgmatic.timer waits up to 3 h at random).
    qint64 slackMs = 0;
    std::optional<qint64> lastTriggerMs; // LastTriggerUSec
    std::optional<qint64> nextElapseMs;  // NextElapseUSecRealtime (or the monotonic one, converted)

    // The backup timers of the manager on `bus` (a timer whose unit is a
    // backup service). `identity` is that bus's source identity.
    static QList<TimerSchedule> read(const QDBusConnection &bus, const QString &identity,
                                     const BackupUnits &backups, QString *error = nullptr);
    // The backup timers of every manager this user can reach: the system's
    // and the user's own (each bus where it exists).
    static QList<TimerSchedule> readAll(const QStringList &chosenUnits);
    // The period of a calendar expression (two iterations of
    // `systemd-analyze calendar`), or none when it cannot be told.
    static std::optional<qint64> calendarPeriodMs(const QString &expression);
};

// Where a timer's backups stand, from the runs Keepwatch knows of.
struct ScheduleStatus {
    TimerSchedule schedule;
    std::optional<qint64> lastRunMs;
    std::optional<SessionState> lastOutcome; // of the last run (running ones included)
    std::optional<qint64> lastSuccessMs;     // when the last successful run ended
    bool overdue = false;
    QString why; // "no successful run for 2h 5min (every 1h, grace 30min)"

    // A backup is overdue when its last successful run (or, when none is
    // known, its first known run) is older than the schedule's period, its
    // slack and `graceMs`. A warning counts as success: the snapshot was saved.
    static ScheduleStatus evaluate(const TimerSchedule &schedule, const SessionStore &runs,
                                   qint64 nowMs, qint64 graceMs);
};

} // namespace kw

Q_DECLARE_METATYPE(kw::ScheduleStatus)
