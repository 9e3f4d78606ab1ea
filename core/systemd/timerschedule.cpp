// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/timerschedule.h"

#include "format/format.h"
#include "store/sessionstore.h"
#include "systemd/backupunits.h"
#include "systemd/systemdbus.h"
#include "systemd/systemdsource.h"
#include "systemd/unitlist.h"
#include "systemd/unitrun.h"

#include <QDBusArgument>
#include <QDBusMessage>
#include <QDBusReply>
#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QProcess>
#include <QRegularExpression>
#include <atomic>
#include <ctime>
#include <limits>

namespace kw {

using namespace SystemdBus;

namespace {

constexpr QLatin1String kTimerInterface{"org.freedesktop.systemd1.Timer"};

// "2026-12-03 00:00:00" in UTC, as systemd-analyze prints it under TZ=UTC.
std::optional<qint64> utcMs(const QString &text) {
    QDateTime t = QDateTime::fromString(text, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (!t.isValid())
        return std::nullopt;
    t.setTimeSpec(Qt::UTC);
    return t.toMSecsSinceEpoch();
}

qint64 monotonicNowUs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

QString durationText(qint64 us) {
    return Format::duration(us / 1000);
}

} // namespace

std::optional<qint64> TimerSchedule::calendarPeriodMs(const QString &expression) {
    // Asked once per expression: the answer does not change.
    static QMutex mutex;
    static QHash<QString, std::optional<qint64>> known;
    {
        const QMutexLocker lock(&mutex);
        if (const auto it = known.constFind(expression); it != known.cend())
            return *it;
    }
    QProcess analyze;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    analyze.setProcessEnvironment(environment);
    analyze.start(QStringLiteral("systemd-analyze"),
                  {QStringLiteral("calendar"), QStringLiteral("--iterations=2"), expression});
    std::optional<qint64> period;
    if (analyze.waitForFinished(5000) && analyze.exitStatus() == QProcess::NormalExit
        && analyze.exitCode() == 0) {
        static const QRegularExpression date(QStringLiteral(
            "(?:Next elapse|Iter\\. #2): \\w+ (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)"));
        QList<qint64> times;
        auto it = date.globalMatch(QString::fromUtf8(analyze.readAllStandardOutput()));
        while (it.hasNext()) {
            if (const auto ms = utcMs(it.next().captured(1)))
                times << *ms;
        }
        if (times.size() == 2 && times[1] > times[0])
            period = times[1] - times[0];
    } else {
        analyze.kill();
        analyze.waitForFinished(1000);
    }
    const QMutexLocker lock(&mutex);
    known.insert(expression, period);
    return period;
}

QList<TimerSchedule> TimerSchedule::read(const QDBusConnection &bus, const QString &identity,
                                         const BackupUnits &backups, QString *error) {
    QList<TimerSchedule> schedules;
    for (const ListedUnit &timer : ListedUnit::list(bus, QStringLiteral(".timer"), error)) {
        QDBusMessage call = QDBusMessage::createMethodCall(kService, timer.path, kProperties,
                                                           QStringLiteral("GetAll"));
        call << QString(kTimerInterface);
        const QDBusReply<QVariantMap> reply = bus.call(call);
        if (!reply.isValid())
            continue;
        const QVariantMap p = reply.value();
        TimerSchedule s;
        s.timer = timer.name;
        s.service = p.value(QStringLiteral("Unit")).toString();
        s.bus = identity;
        // Only timers of backups: the service's ExecStart (or name) says.
        const UnitRun service = UnitRun::read(bus, s.service);
        if (!backups.match(s.service, service.execStart))
            continue;
        QStringList words;
        // TimersCalendar a(sst): base, expression, next elapse.
        if (const QVariant v = p.value(QStringLiteral("TimersCalendar"));
            v.canConvert<QDBusArgument>()) {
            const QDBusArgument arg = v.value<QDBusArgument>();
            arg.beginArray();
            while (!arg.atEnd()) {
                QString base, expression;
                quint64 next = 0;
                arg.beginStructure();
                arg >> base >> expression >> next;
                arg.endStructure();
                words << expression;
                if (const auto period = calendarPeriodMs(expression))
                    s.periodMs = s.periodMs ? std::min(*s.periodMs, *period) : *period;
            }
            arg.endArray();
        }
        // TimersMonotonic a(stt): base ("OnUnitActiveUSec"), value, next elapse.
        if (const QVariant v = p.value(QStringLiteral("TimersMonotonic"));
            v.canConvert<QDBusArgument>()) {
            const QDBusArgument arg = v.value<QDBusArgument>();
            arg.beginArray();
            while (!arg.atEnd()) {
                QString base;
                quint64 value = 0, next = 0;
                arg.beginStructure();
                arg >> base >> value >> next;
                arg.endStructure();
                const qint64 us = qint64(value);
                if (base == QLatin1String("OnUnitActiveUSec")
                    || base == QLatin1String("OnUnitInactiveUSec")) {
                    words << (base == QLatin1String("OnUnitActiveUSec")
                                  ? QStringLiteral("every %1 after the last start")
                                  : QStringLiteral("%1 after the last run ended"))
                                 .arg(durationText(us));
                    s.periodMs = s.periodMs ? std::min(*s.periodMs, us / 1000) : us / 1000;
                } else if (base == QLatin1String("OnBootUSec")
                           || base == QLatin1String("OnStartupUSec")) {
                    words << QStringLiteral("%1 after boot").arg(durationText(us));
                } else if (base == QLatin1String("OnActiveUSec")) {
                    words << QStringLiteral("%1 after the timer started").arg(durationText(us));
                }
            }
            arg.endArray();
        }
        s.schedule = words.join(QStringLiteral("; "));
        s.slackMs = (p.value(QStringLiteral("RandomizedDelayUSec")).toLongLong()
                     + p.value(QStringLiteral("AccuracyUSec")).toLongLong())
                    / 1000;
        if (const qint64 last = p.value(QStringLiteral("LastTriggerUSec")).toLongLong(); last > 0)
            s.lastTriggerMs = last / 1000;
        if (const qint64 next = p.value(QStringLiteral("NextElapseUSecRealtime")).toLongLong();
            next > 0 && next < std::numeric_limits<qint64>::max()) {
            s.nextElapseMs = next / 1000;
        } else if (const qint64 mono =
                       p.value(QStringLiteral("NextElapseUSecMonotonic")).toLongLong();
                   mono > 0 && mono < std::numeric_limits<qint64>::max()) {
            s.nextElapseMs = QDateTime::currentMSecsSinceEpoch() + (mono - monotonicNowUs()) / 1000;
        }
        schedules << s;
    }
    return schedules;
}

QList<TimerSchedule> TimerSchedule::readAll(const QStringList &chosenUnits) {
    const BackupUnits backups(chosenUnits);
    QList<TimerSchedule> all;
    static std::atomic<quint64> connections{0};
    for (const auto which : {SystemdSourceOptions::Bus::System, SystemdSourceOptions::Bus::User}) {
        const QString address = SystemdSource::busAddress(which);
        if (address.isEmpty())
            continue;
        const QString name = QStringLiteral("keepwatch-timers-%1").arg(++connections);
        {
            const QDBusConnection bus = QDBusConnection::connectToBus(address, name);
            if (bus.isConnected())
                all << read(bus, SystemdSource::identity(which), backups);
        }
        QDBusConnection::disconnectFromBus(name);
    }
    return all;
}

ScheduleStatus ScheduleStatus::evaluate(const TimerSchedule &schedule, const SessionStore &runs,
                                        qint64 nowMs, qint64 graceMs) {
    ScheduleStatus status;
    status.schedule = schedule;
    std::optional<qint64> firstRunMs;
    for (int row = 0; row < runs.count(); ++row) {
        const Session &s = runs.at(row);
        // The unit's runs, and a wrapper's sessions inside it (same unit).
        if (s.unit != schedule.service)
            continue;
        const qint64 started = s.effectiveStartMs();
        if (!firstRunMs || started < *firstRunMs)
            firstRunMs = started;
        if (!status.lastRunMs || started > *status.lastRunMs) {
            status.lastRunMs = started;
            status.lastOutcome = s.state;
        }
        if (s.state == SessionState::Succeeded || s.state == SessionState::Warning) {
            const qint64 ended = s.endedMs.value_or(started);
            if (!status.lastSuccessMs || ended > *status.lastSuccessMs)
                status.lastSuccessMs = ended;
        }
    }
    if (!schedule.periodMs) {
        status.why = QStringLiteral("its schedule has no regular period");
        return status;
    }
    const qint64 allowedMs = *schedule.periodMs + schedule.slackMs + graceMs;
    const QString terms =
        schedule.slackMs > 0
            ? QStringLiteral("every %1, up to %2 late by design, grace %3")
                  .arg(Format::duration(*schedule.periodMs), Format::duration(schedule.slackMs),
                       Format::duration(graceMs))
            : QStringLiteral("every %1, grace %2")
                  .arg(Format::duration(*schedule.periodMs), Format::duration(graceMs));
    const std::optional<qint64> reference =
        status.lastSuccessMs ? status.lastSuccessMs : firstRunMs;
    if (!reference) {
        status.why = QStringLiteral("no run known yet (%1)").arg(terms);
        return status;
    }
    const qint64 age = nowMs - *reference;
    status.overdue = age > allowedMs;
    if (status.overdue) {
        status.why =
            status.lastSuccessMs
                ? QStringLiteral("no successful run for %1 (%2)").arg(Format::duration(age), terms)
                : QStringLiteral("no successful run in %1 since the first known run (%2)")
                      .arg(Format::duration(age), terms);
    }
    return status;
}

} // namespace kw
