// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "bacula/baculasource.h"
#include "bacula/bconsolequeue.h"

#include <QObject>
#include <QString>
#include <QStringList>

namespace kw {

// Cancels and runs one director's jobs, and lists the jobs it can run, for
// the window and keepwatch-cli alike. Its commands go through its own
// BconsoleQueue, one bconsole at a time: the source's polling is another
// console, which the director serves beside it, so a cancel never waits
// behind a slow look at the director. Each answer is checked against what
// the command asked for: the director's own words say what went wrong.
class BaculaJobControl final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BaculaJobControl)

public:
    explicit BaculaJobControl(BaculaSourceOptions director,
                              BconsoleQueue::Mode mode = BconsoleQueue::Mode::Asynchronous,
                              QObject *parent = nullptr);

    const BaculaSourceOptions &director() const { return m_director; }

    // Cancels the job whose unique Job name is `job` (its session ID). Its
    // JobId is taken from the director's running list, where it must still
    // be (queued or running), then `cancel jobid=N yes`.
    void cancel(const QString &job);
    // Queues a run of the Job resource `name` now: `run job="NAME" yes`.
    void run(const QString &name);
    // The Job resources the director can run (`.jobs`).
    void listJobs();
    // Blocking mode: runs what was asked, each signal emitted before it returns.
    void waitForAll() { m_console.runAllNow(); }

    // What cancel and run type, or empty when `name` cannot be typed safely
    // (a quote, a newline, a character outside Bacula's names).
    static QString runCommand(const QString &name);

signals:
    // `message`: what happened, in a sentence ("director spike-dir cancels
    // BackupSpike.… (JobId 7)", or why not); `jobId` 0 when not known.
    void cancelFinished(const QString &job, bool ok, qint64 jobId, const QString &message);
    void runFinished(const QString &name, bool ok, qint64 jobId, const QString &message);
    // `error` empty: `names` is the list (perhaps empty).
    void jobsListed(const QStringList &names, const QString &error);

private:
    QString unreachable(const BconsoleQueue::Result &result) const;

    BaculaSourceOptions m_director;
    BconsoleQueue m_console;
};

} // namespace kw
