// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "bacula/baculasource.h"

#include "bacula/bconsoleoutput.h"
#include "protocol/timestamp.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace kw {

QString baculaDirectorName(const QString &bconsoleConfig) {
    QFile file(bconsoleConfig);
    if (file.open(QIODevice::ReadOnly)) {
        static const QRegularExpression director(QStringLiteral("^\\s*Director\\s*\\{"),
                                                 QRegularExpression::CaseInsensitiveOption);
        static const QRegularExpression name(
            QStringLiteral("^\\s*Name\\s*=\\s*\"?([A-Za-z0-9_.:-]{1,127})\"?\\s*;?\\s*$"),
            QRegularExpression::CaseInsensitiveOption);
        bool inDirector = false;
        for (int i = 0; i < 1000 && !file.atEnd(); ++i) {
            const QString line = QString::fromUtf8(file.readLine(4096));
            if (director.match(line).hasMatch()) {
                inDirector = true;
            } else if (inDirector) {
                // Each line stands alone: nothing but a Name is kept.
                if (const auto m = name.match(line); m.hasMatch())
                    return m.captured(1);
            }
        }
    }
    return QFileInfo(bconsoleConfig).completeBaseName();
}

BaculaSource::BaculaSource(BaculaSourceOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_tracker(QStringLiteral("bacula:") + m_options.name, m_options.name)
    , m_console(m_options.program(), m_options.snapshot ? BconsoleQueue::Mode::Blocking
                                                        : BconsoleQueue::Mode::Asynchronous) {
    connect(&m_console, &BconsoleQueue::idle, this, &BaculaSource::cycleEnded);
}

BaculaSource::~BaculaSource() = default;

QString BaculaSource::name() const {
    return QStringLiteral("bacula:") + m_options.name;
}

bool BaculaSource::isSafeName(const QString &name) {
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_.:-]{1,127}$"));
    return safe.match(name).hasMatch();
}

void BaculaSource::poll(EventBatch &out) {
    if (m_options.snapshot) {
        if (!m_snapshotDone) {
            startCycle();
            m_console.runAllNow();
            m_busy = false;
            m_snapshotDone = true;
        }
    } else if (!m_busy && Timestamp::nowMs() >= m_nextCycleMs) {
        startCycle();
    }
    out.events.append(std::move(m_pending.events));
    out.errors.append(std::move(m_pending.errors));
    m_pending = EventBatch{};
}

void BaculaSource::startCycle() {
    m_busy = true;
    ask(QStringLiteral(".status dir running"), true,
        [this](const QByteArray &answer) { running(answer); });
    if (m_firstCycle) {
        // What ended in the last days, so that the history has it.
        ask(QStringLiteral("llist jobs order=desc limit=%1").arg(m_options.finishedLimit), false,
            [this](const QByteArray &answer) {
                auto parsed = Bconsole::catalogJobs(answer);
                commandProblems(QStringLiteral("llist jobs"), parsed.problems);
                const qint64 since =
                    Timestamp::nowMs() - qint64(m_options.finishedDays) * 24 * 3600 * 1000;
                QList<Bconsole::Job> recent;
                for (const Bconsole::Job &job : parsed.items) {
                    if (job.endedMs >= since)
                        recent << job;
                }
                m_tracker.finished(recent, Timestamp::nowMs(), m_pending);
                // Their logs: a few per cycle live; for one look (the CLI)
                // the newest snapshotLogs at once.
                queueLogs(m_tracker.jobsWantingLog(
                    Timestamp::nowMs(), m_options.snapshot ? m_options.snapshotLogs
                                                           : BaculaJobTracker::kPastLogsPerCall));
            });
    }
    m_firstCycle = false;
}

void BaculaSource::resumeFromHistory(const QString &cursor, const QList<Session> &recorded) {
    Q_UNUSED(cursor)
    m_tracker.resume(recorded);
}

void BaculaSource::askCatalogFor(const QString &job) {
    if (!isSafeName(job))
        return; // not one this source delivered: left as the history has it
    ask(QStringLiteral("llist ujobid=%1").arg(job), false, [this, job](const QByteArray &a) {
        auto jobs = Bconsole::catalogJobs(a);
        commandProblems(QStringLiteral("llist ujobid"), jobs.problems);
        QList<Bconsole::Job> same;
        for (const Bconsole::Job &j : std::as_const(jobs.items)) {
            if (j.job == job)
                same << j;
        }
        if (same.isEmpty() && jobs.problems.isEmpty())
            m_tracker.forget(job, Timestamp::nowMs(), m_pending);
        else
            m_tracker.finished(same, Timestamp::nowMs(), m_pending); // a running one: next cycle
    });
}

void BaculaSource::cycleEnded() {
    if (m_options.snapshot)
        return;
    m_busy = false;
    m_nextCycleMs = Timestamp::nowMs() + m_options.cycleMs;
    requestPoll();
}

void BaculaSource::ask(const QString &command, bool api,
                       std::function<void(const QByteArray &)> answered) {
    m_console.enqueue(
        command, api, [this, answered = std::move(answered)](const BconsoleQueue::Result &result) {
            if (!result.answer) {
                // The rest of this cycle would not be answered either.
                m_console.clearQueued();
                directorProblem(result.error);
                return;
            }
            if (!m_directorProblem.isEmpty()) {
                m_pending.errors.append(SourceError{
                    name(), m_options.configPath, 0,
                    QStringLiteral("director %1 answers again").arg(m_options.name), true});
                m_directorProblem.clear();
            }
            answered(*result.answer);
        });
}

void BaculaSource::running(const QByteArray &answer) {
    auto parsed = Bconsole::directorJobs(answer);
    commandProblems(QStringLiteral(".status dir running"), parsed.problems);
    const qint64 now = Timestamp::nowMs();
    m_tracker.running(parsed.items, now, m_pending);
    // Then, for this cycle: how the jobs that left the list ended, the
    // clients' counters, and the logs of the open jobs.
    for (const qint64 jobId : m_tracker.leftTheRunningList()) {
        ask(QStringLiteral("llist jobid=%1").arg(jobId), false, [this](const QByteArray &a) {
            auto jobs = Bconsole::catalogJobs(a);
            commandProblems(QStringLiteral("llist jobid"), jobs.problems);
            m_tracker.finished(jobs.items, Timestamp::nowMs(), m_pending);
        });
    }
    QSet<QString> clients;
    for (const Bconsole::Job &job : std::as_const(parsed.items)) {
        if (job.status == u'R' && isSafeName(job.client))
            clients.insert(job.client);
    }
    for (const QString &client : std::as_const(clients)) {
        ask(QStringLiteral(".status client=%1 running").arg(client), true,
            [this](const QByteArray &a) {
                auto jobs = Bconsole::clientJobs(a);
                commandProblems(QStringLiteral(".status client"), jobs.problems);
                m_tracker.progress(jobs.items, Timestamp::nowMs(), m_pending);
            });
    }
    // (Jobs that left the list are not ended yet: they are among these.)
    queueLogs(m_tracker.jobsWantingLog(now));
}

void BaculaSource::queueLogs(const QList<qint64> &jobIds) {
    for (const qint64 jobId : jobIds) {
        const QString command = QStringLiteral("list joblog jobid=%1").arg(jobId);
        if (m_console.isQueued(command))
            continue;
        ask(command, false, [this, jobId](const QByteArray &a) {
            auto log = Bconsole::jobLog(a);
            commandProblems(QStringLiteral("list joblog"), log.problems);
            m_tracker.log(jobId, log.items, Timestamp::nowMs(), m_pending);
        });
    }
}

void BaculaSource::directorProblem(const QString &message) {
    if (m_directorProblem.isEmpty())
        m_problemSinceMs = Timestamp::nowMs();
    const bool news = message != m_directorProblem;
    m_directorProblem = message;
    if (!news)
        return;
    const QString since =
        QDateTime::fromMSecsSinceEpoch(m_problemSinceMs).toString(QStringLiteral("HH:mm"));
    // A director that answers but refuses the console is not unreachable:
    // what to fix is the password in the bconsole.conf.
    const bool refused = message.contains(QLatin1String("authorization problem"));
    const QString what =
        refused ? QStringLiteral("refuses the password of %1").arg(m_options.configPath)
                : QStringLiteral("unreachable");
    m_pending.errors.append(SourceError{
        name(), m_options.configPath, 0,
        QStringLiteral("director %1 %2 since %3: %4").arg(m_options.name, what, since, message)});
    requestPoll();
}

void BaculaSource::commandProblems(const QString &command, const QStringList &problems) {
    for (const QString &problem : problems)
        m_pending.errors.append(SourceError{
            name(), m_options.configPath, 0,
            QStringLiteral("director %1, %2: %3").arg(m_options.name, command, problem)});
}

} // namespace kw
