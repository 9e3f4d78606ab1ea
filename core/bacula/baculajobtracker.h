// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "bacula/bconsoleoutput.h"
#include "protocol/event.h"
#include "store/eventbatch.h"
#include "store/session.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace kw {

// A director's jobs as sessions (issue 17): what bconsole said, turned into
// the events of the protocol, each once. It holds no process and no clock
// of its own: the Bacula source feeds it each answer as it comes, so the
// same answers always give the same events (and tests need no director).
//
// - Session ID: the unique Job name; source "bacula:<director>"; host the
//   job's client; tool "bacula"; kind from the JobType.
// - A job seen running or queued starts a session (at its start time), with
//   a first log line of what the details show (JobId, type and level,
//   client, FileSet, pool, storage); a new JobStatus or reason is a state
//   event; the file daemon's counters are progress (a percentage only when
//   a total is known: restores' expected files).
// - A finished job (catalog or terminated list) ends its session once; one
//   never seen running (finished while nobody watched, or before) is
//   delivered whole, start and end.
// - Log entries (`list joblog`, all of them each time) are delivered from
//   the first one not yet delivered.
class BaculaJobTracker final {
public:
    BaculaJobTracker(QString sourceName, QString director);

    // The director's running list (`.status dir running`): every job in it.
    void running(const QList<Bconsole::Job> &jobs, qint64 nowMs, EventBatch &out);
    // A file daemon's counters (`.status client=… running`).
    void progress(const QList<Bconsole::ClientJob> &jobs, qint64 nowMs, EventBatch &out);
    // Finished jobs (`llist jobs`, `.status dir terminated`); jobs in it that
    // are not finished are left alone.
    void finished(const QList<Bconsole::Job> &jobs, qint64 nowMs, EventBatch &out);
    // Every log entry of a job so far; the new ones are delivered.
    void log(qint64 jobId, const QList<QString> &entries, qint64 nowMs, EventBatch &out);

    // What the history holds of this director's jobs, before the first
    // answer (a restart): an ended job is never delivered again; an open
    // one goes on without a second start, its log after the lines the
    // history has.
    void resume(const QList<Session> &recorded);
    // Open jobs of the history not seen since (neither running nor among
    // the finished jobs read): the source asks the catalog for each by name.
    QStringList resumedNotSeen() const;
    // One of them the catalog has no record of any more: it ends, said so.
    void forget(const QString &job, qint64 nowMs, EventBatch &out);

    // Jobs this tracker has started and not ended: the source asks their
    // clients for progress and the catalog for their end once they leave
    // the running list.
    QList<qint64> openJobIds() const;
    // Jobs whose log is worth reading now: the open ones; those that ended
    // in the last kLogGraceMs without their report in the log yet (the
    // director writes it to the catalog a moment after the job leaves its
    // running list); and, at most `pastLimit` at a time, jobs that ended
    // before they were seen, once each, the newest first.
    QList<qint64> jobsWantingLog(qint64 nowMs, int pastLimit = kPastLogsPerCall) const;
    static constexpr qint64 kLogGraceMs = 30 * 1000;
    static constexpr int kPastLogsPerCall = 5;
    // Jobs that were in the last running list but are not in this one, or
    // are in it ended (the source asks the catalog how they ended: its
    // counts are the final ones).
    QList<qint64> leftTheRunningList() const { return m_left; }

private:
    struct Tracked {
        QString session;
        QString client;
        QChar status;
        QString reason;
        qint64 logEntries = 0;
        bool ended = false;
        qint64 endSeenMs = 0;
        bool reportSeen = false; // the job report ("Termination:") is in the log
        bool seenRunning = false;
        bool logRead = false;
        bool inRunningList = false;
        // Resumed from the history: log lines it already has (after the
        // details line), not delivered again.
        qint64 linesToSkip = 0;
        // The last progress said, not to say it again.
        qint64 bytes = -1;
        qint64 files = -1;
        QString current;
    };

    Event event(const QString &session, qint64 timestampMs) const;
    Tracked &start(const Bconsole::Job &job, qint64 nowMs, EventBatch &out);
    void end(Tracked &tracked, const Bconsole::Job &job, qint64 nowMs, EventBatch &out);

    QString m_source;
    QString m_director;
    QHash<qint64, Tracked> m_jobs; // by JobId
    QList<qint64> m_left;
    QSet<QString> m_recordedEnded;         // by unique Job name
    QHash<QString, qint64> m_recordedOpen; // log lines the history has, by name
    QSet<QString> m_seenNames;
};

} // namespace kw
