// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"
#include "commands.h"
#include "format/format.h"
#include "protocol/jsonwriter.h"
#include "protocol/timestamp.h"
#include "report/reportselection.h"
#include "settings/appsettings.h"
#include "sources/sourceset.h"
#include "store/sessionstore.h"
#include "systemd/timerschedule.h"

namespace kw::cli {

namespace {

QString timeOrDash(std::optional<qint64> ms) {
    return ms ? localTime(*ms) : QStringLiteral("-");
}

void timeOrNull(JsonWriter &w, std::string_view key, std::optional<qint64> ms) {
    if (ms)
        w.field(key, Timestamp::formatIsoMs(*ms));
    else
        w.nullField(key);
}

} // namespace

// The backup timers of systemd's managers, each with its last run, its last
// success and its next one; exit 3 when a backup is overdue, for cron and
// monitoring checks.
int schedulesCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("A JSON array of schedules, for scripts."));
    const QCommandLineOption grace(
        QStringLiteral("grace"),
        QStringLiteral("How long past its period (and the timer's random delay) a backup may "
                       "go without a successful run before it is overdue (90m, 2h, 1d; default: "
                       "the window's setting, 1h unless changed)."),
        QStringLiteral("DURATION"));
    cl.add(json);
    cl.add(grace);
    if (const auto done = cl.parse(args))
        return *done;
    if (!cl.positional().isEmpty())
        return cl.usage(QStringLiteral("unexpected argument %1").arg(cl.positional().first()));
    const AppSettings settings = AppSettings::load();
    qint64 graceMs = qint64(settings.overdueGraceMinutes) * 60 * 1000;
    if (cl.isSet(grace)) {
        const auto ms = ReportSelection::parseDuration(cl.value(grace));
        if (!ms)
            return cl.usage(QStringLiteral("--grace takes a duration such as 90m, 2h or 1d"));
        graceMs = *ms;
    }

    // The runs: the same sources as `list` (the units' runs of the last
    // days from the journal, and wrapped runs from the spools).
    const SourceSet sources(SourceSetConfig::fromSettings(settings));
    SessionStore store;
    QString error;
    if (!loadSessions(sources, store, error))
        return fail(Failure, error);
    const qint64 now = Timestamp::nowMs();
    QList<ScheduleStatus> statuses;
    bool anyOverdue = false;
    for (const TimerSchedule &schedule : TimerSchedule::readAll(settings.systemdUnits)) {
        statuses << ScheduleStatus::evaluate(schedule, store, now, graceMs);
        anyOverdue = anyOverdue || statuses.last().overdue;
    }

    if (cl.isSet(json)) {
        QByteArray text;
        JsonWriter w(text);
        w.beginArray();
        for (const ScheduleStatus &s : statuses) {
            w.beginObject();
            w.field("timer", s.schedule.timer);
            w.field("unit", s.schedule.service);
            w.field("source", s.schedule.bus);
            w.stringOrNull("schedule", s.schedule.schedule);
            w.fieldOrNull("period_ms", s.schedule.periodMs);
            timeOrNull(w, "last_run", s.lastRunMs);
            if (s.lastOutcome)
                w.field("last_outcome", QString(wireName(*s.lastOutcome)));
            else
                w.nullField("last_outcome");
            timeOrNull(w, "last_success", s.lastSuccessMs);
            timeOrNull(w, "next_run", s.schedule.nextElapseMs);
            w.field("overdue", s.overdue);
            w.stringOrNull("why", s.why);
            w.endObject();
        }
        w.endArray();
        out(text + '\n');
        return anyOverdue ? SessionFailed : Ok;
    }
    if (statuses.isEmpty()) {
        out("no backup timers found (systemd's system and user managers)\n");
        return Ok;
    }
    const QString format = QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n");
    out(format
            .arg(QStringLiteral("TIMER").leftJustified(28),
                 QStringLiteral("SCHEDULE").leftJustified(24),
                 QStringLiteral("LAST SUCCESS").leftJustified(19),
                 QStringLiteral("LAST OUTCOME").leftJustified(12),
                 QStringLiteral("NEXT RUN").leftJustified(19), QStringLiteral("OVERDUE"), QString())
            .toUtf8());
    for (const ScheduleStatus &s : statuses) {
        out(format
                .arg(s.schedule.timer.leftJustified(28), s.schedule.schedule.leftJustified(24),
                     timeOrDash(s.lastSuccessMs).leftJustified(19),
                     (s.lastOutcome ? QString(wireName(*s.lastOutcome)) : QStringLiteral("-"))
                         .leftJustified(12),
                     timeOrDash(s.schedule.nextElapseMs).leftJustified(19),
                     s.overdue ? QStringLiteral("OVERDUE") : QStringLiteral("no"), s.why)
                .toUtf8());
    }
    return anyOverdue ? SessionFailed : Ok;
}

} // namespace kw::cli
