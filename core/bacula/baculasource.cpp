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

namespace {
// bconsole's answer is bounded: a director cannot fill this process' memory.
constexpr qint64 kMaxAnswerBytes = 16 * 1024 * 1024;
// Logs of past jobs read in one look (keepwatch-cli), the newest first.
constexpr int kSnapshotLogs = 50;
} // namespace

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
    , m_tracker(QStringLiteral("bacula:") + m_options.name, m_options.name) {
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    if (m_options.snapshot)
        return; // runCycleNow() waits for each bconsole itself
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, &BaculaSource::timedOut);
    connect(&m_process, &QProcess::finished, this, &BaculaSource::processEnded);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            m_timeout.stop();
            m_queue.clear();
            m_busy = false;
            m_nextCycleMs = Timestamp::nowMs() + m_options.cycleMs;
            directorProblem(QStringLiteral("%1 cannot be started: %2")
                                .arg(m_options.bconsole, m_process.errorString()));
        }
    });
    connect(&m_process, &QProcess::readyRead, this, [this] {
        if (m_process.bytesAvailable() > kMaxAnswerBytes) {
            directorProblem(QStringLiteral("bconsole's answer to %1 is larger than %2 MiB")
                                .arg(m_current.text)
                                .arg(kMaxAnswerBytes >> 20));
            m_process.kill();
        }
    });
}

BaculaSource::~BaculaSource() {
    m_process.disconnect(this);
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}

QString BaculaSource::name() const {
    return QStringLiteral("bacula:") + m_options.name;
}

bool BaculaSource::isSafeName(const QString &name) {
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_.:-]{1,127}$"));
    return safe.match(name).hasMatch();
}

void BaculaSource::poll(EventBatch &out) {
    if (m_options.snapshot) {
        if (!m_snapshotDone)
            runCycleNow();
    } else if (!m_busy && Timestamp::nowMs() >= m_nextCycleMs) {
        startCycle();
    }
    out.events.append(std::move(m_pending.events));
    out.errors.append(std::move(m_pending.errors));
    m_pending = EventBatch{};
}

void BaculaSource::startCycle() {
    m_busy = true;
    m_queue.push_back(
        {QStringLiteral(".status dir running"), true, [this](const QByteArray &answer) {
             running(answer);
         }});
    if (m_firstCycle) {
        // What ended in the last days, so that the history has it.
        m_queue.push_back(
            {QStringLiteral("llist jobs order=desc limit=%1").arg(m_options.finishedLimit), false,
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
                 // the newest kSnapshotLogs at once.
                 queueLogs(m_tracker.jobsWantingLog(
                     Timestamp::nowMs(),
                     m_options.snapshot ? kSnapshotLogs : BaculaJobTracker::kPastLogsPerCall));
             }});
    }
    m_firstCycle = false;
    if (!m_options.snapshot)
        runNext();
}

void BaculaSource::runCycleNow() {
    startCycle();
    while (!m_queue.empty()) {
        m_current = std::move(m_queue.front());
        m_queue.pop_front();
        m_process.start(m_options.bconsole, {QStringLiteral("-c"), m_options.configPath});
        if (!m_process.waitForStarted(m_options.timeoutMs)) {
            m_queue.clear();
            directorProblem(QStringLiteral("%1 cannot be started: %2")
                                .arg(m_options.bconsole, m_process.errorString()));
            break;
        }
        m_process.write(((m_current.api ? QStringLiteral(".api 2\n") : QString()) + m_current.text
                         + QLatin1Char('\n'))
                            .toUtf8());
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(m_options.timeoutMs)) {
            m_timedOut = true;
            m_process.kill();
            m_process.waitForFinished(1000);
        }
        handleOutput(m_process.readAll().left(kMaxAnswerBytes));
    }
    m_busy = false;
    m_snapshotDone = true;
}

void BaculaSource::running(const QByteArray &answer) {
    auto parsed = Bconsole::directorJobs(answer);
    commandProblems(QStringLiteral(".status dir running"), parsed.problems);
    const qint64 now = Timestamp::nowMs();
    m_tracker.running(parsed.items, now, m_pending);
    // Then, for this cycle: how the jobs that left the list ended, the
    // clients' counters, and the logs of the open jobs.
    for (const qint64 jobId : m_tracker.leftTheRunningList()) {
        m_queue.push_back(
            {QStringLiteral("llist jobid=%1").arg(jobId), false, [this](const QByteArray &a) {
                 auto jobs = Bconsole::catalogJobs(a);
                 commandProblems(QStringLiteral("llist jobid"), jobs.problems);
                 m_tracker.finished(jobs.items, Timestamp::nowMs(), m_pending);
             }});
    }
    QSet<QString> clients;
    for (const Bconsole::Job &job : std::as_const(parsed.items)) {
        if (job.status == u'R' && isSafeName(job.client))
            clients.insert(job.client);
    }
    for (const QString &client : std::as_const(clients)) {
        m_queue.push_back({QStringLiteral(".status client=%1 running").arg(client), true,
                           [this](const QByteArray &a) {
                               auto jobs = Bconsole::clientJobs(a);
                               commandProblems(QStringLiteral(".status client"), jobs.problems);
                               m_tracker.progress(jobs.items, Timestamp::nowMs(), m_pending);
                           }});
    }
    // (Jobs that left the list are not ended yet: they are among these.)
    queueLogs(m_tracker.jobsWantingLog(now));
}

void BaculaSource::queueLogs(const QList<qint64> &jobIds) {
    for (const qint64 jobId : jobIds) {
        const QString command = QStringLiteral("list joblog jobid=%1").arg(jobId);
        const bool queued = std::any_of(m_queue.cbegin(), m_queue.cend(),
                                        [&](const Command &c) { return c.text == command; });
        if (queued)
            continue;
        m_queue.push_back({command, false, [this, jobId](const QByteArray &a) {
                               auto log = Bconsole::jobLog(a);
                               commandProblems(QStringLiteral("list joblog"), log.problems);
                               m_tracker.log(jobId, log.items, Timestamp::nowMs(), m_pending);
                           }});
    }
}

void BaculaSource::runNext() {
    if (m_queue.empty()) {
        m_busy = false;
        m_nextCycleMs = Timestamp::nowMs() + m_options.cycleMs;
        requestPoll();
        return;
    }
    m_current = std::move(m_queue.front());
    m_queue.pop_front();
    m_process.start(m_options.bconsole, {QStringLiteral("-c"), m_options.configPath});
    const QString input = (m_current.api ? QStringLiteral(".api 2\n") : QString()) + m_current.text
                          + QLatin1Char('\n');
    m_process.write(input.toUtf8());
    m_process.closeWriteChannel();
    m_timeout.start(m_options.timeoutMs);
}

void BaculaSource::processEnded() {
    m_timeout.stop();
    if (!m_busy)
        return;
    handleOutput(m_process.readAll());
    runNext();
}

void BaculaSource::handleOutput(const QByteArray &output) {
    if (std::exchange(m_timedOut, false)) {
        m_queue.clear();
        directorProblem(QStringLiteral("bconsole got no answer to %1 in %2 s (the director is "
                                       "down, unreachable or too slow)")
                            .arg(m_current.text)
                            .arg(m_options.timeoutMs / 1000));
        return;
    }
    QString error;
    const auto answer = Bconsole::answerTo(output, m_current.text.toUtf8(), &error);
    if (!answer) {
        // The director did not answer: the rest of this cycle would not either.
        m_queue.clear();
        directorProblem(error);
        return;
    }
    if (!m_directorProblem.isEmpty()) {
        m_pending.errors.append(
            SourceError{name(), m_options.configPath, 0,
                        QStringLiteral("director %1 answers again").arg(m_options.name), true});
        m_directorProblem.clear();
    }
    m_current.answered(*answer);
}

void BaculaSource::timedOut() {
    m_timedOut = true;
    m_process.kill(); // processEnded() says it and ends the cycle
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
    m_pending.errors.append(SourceError{name(), m_options.configPath, 0,
                                        QStringLiteral("director %1 unreachable since %2: %3")
                                            .arg(m_options.name, since, message)});
    requestPoll();
}

void BaculaSource::commandProblems(const QString &command, const QStringList &problems) {
    for (const QString &problem : problems)
        m_pending.errors.append(SourceError{
            name(), m_options.configPath, 0,
            QStringLiteral("director %1, %2: %3").arg(m_options.name, command, problem)});
}

} // namespace kw
