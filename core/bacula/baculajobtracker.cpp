// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "bacula/baculajobtracker.h"

#include "bacula/baculacodes.h"

#include <QSet>
#include <algorithm>
#include <functional>

namespace kw {

namespace {

// A finished JobStatus: the job will not change again.
bool isFinished(QChar status) {
    return isTerminal(BaculaCodes::stateOf(status, 0, false).state);
}

QString details(const Bconsole::Job &job) {
    QStringList parts{QStringLiteral("JobId %1").arg(job.jobId)};
    QString type = BaculaCodes::typeWords(job.type);
    if (const QString level = BaculaCodes::levelWords(job.level); !level.isEmpty())
        type += QStringLiteral(", ") + level;
    parts << type;
    for (const auto &[label, value] :
         {std::pair{"client", job.client}, std::pair{"FileSet", job.fileSet},
          std::pair{"pool", job.pool}, std::pair{"storage", job.storage},
          std::pair{"reads from storage", job.readStorage}}) {
        if (!value.isEmpty())
            parts << QStringLiteral("%1 %2").arg(QLatin1String(label), value);
    }
    return parts.join(QStringLiteral(" · "));
}

} // namespace

BaculaJobTracker::BaculaJobTracker(QString sourceName, QString director)
    : m_source(std::move(sourceName))
    , m_director(std::move(director)) {}

Event BaculaJobTracker::event(const QString &session, qint64 timestampMs) const {
    Event e;
    e.session = session;
    e.source = m_source;
    e.timestampMs = timestampMs;
    return e;
}

BaculaJobTracker::Tracked &BaculaJobTracker::start(const Bconsole::Job &job, qint64 nowMs,
                                                   EventBatch &out) {
    auto found = m_jobs.find(job.jobId);
    if (found != m_jobs.end())
        return *found;
    Tracked &tracked = m_jobs[job.jobId];
    tracked.session = job.job;
    tracked.client = job.client;
    tracked.status = job.status;
    m_seenNames.insert(job.job);
    const BaculaCodes::State state = BaculaCodes::stateOf(job.status, job.errors, true);
    tracked.reason = state.reason;
    const qint64 at = job.startedMs > 0     ? job.startedMs
                      : job.scheduledMs > 0 ? job.scheduledMs
                                            : nowMs;
    if (const auto recorded = m_recordedOpen.constFind(job.job);
        recorded != m_recordedOpen.cend()) {
        // The history has its start and its details line.
        tracked.linesToSkip = qMax<qint64>(0, *recorded - 1);
        tracked.seenRunning = true; // its log is read as an open job's
        if (!state.reason.isEmpty() && !isTerminal(state.state)) {
            Event e = event(job.job, nowMs);
            e.emplace<StatePayload>() = StatePayload{state.state, state.reason};
            out.events.append(std::move(e));
        }
        return tracked;
    }
    Event startEvent = event(job.job, at);
    StartPayload &s = startEvent.emplace<StartPayload>();
    s.kind = BaculaCodes::kindOf(job.type);
    s.state = isTerminal(state.state) ? SessionState::Running : state.state;
    s.tool = QStringLiteral("bacula");
    s.host = job.client;
    s.title = job.name.isEmpty() ? job.job : job.name;
    s.target = job.storage.isEmpty() ? job.readStorage : job.storage;
    out.events.append(std::move(startEvent));
    Event info = event(job.job, at);
    LogPayload &l = info.emplace<LogPayload>();
    l.message = (QStringLiteral("%1: ").arg(m_director) + details(job)).toUtf8();
    out.events.append(std::move(info));
    if (!state.reason.isEmpty() && !isTerminal(state.state)) {
        Event e = event(job.job, at);
        e.emplace<StatePayload>() = StatePayload{state.state, state.reason};
        out.events.append(std::move(e));
    }
    return tracked;
}

void BaculaJobTracker::end(Tracked &tracked, const Bconsole::Job &job, qint64 nowMs,
                           EventBatch &out) {
    if (tracked.ended)
        return;
    tracked.ended = true;
    tracked.endSeenMs = nowMs;
    const BaculaCodes::State state = BaculaCodes::stateOf(job.status, job.errors, false);
    Event e = event(tracked.session, job.endedMs > 0 ? job.endedMs : nowMs);
    EndPayload &end = e.emplace<EndPayload>();
    end.state = isTerminal(state.state) ? state.state : SessionState::Failed;
    QStringList summary;
    if (!state.reason.isEmpty())
        summary << state.reason;
    if (job.files || job.bytes)
        summary << QStringLiteral("%1 files, %2 bytes")
                       .arg(job.files.value_or(0))
                       .arg(job.bytes.value_or(0));
    end.summary = QStringLiteral("Bacula JobId %1: %2")
                      .arg(job.jobId)
                      .arg(summary.isEmpty() ? BaculaCodes::statusWords(job.status)
                                             : summary.join(QStringLiteral("; ")));
    if (job.bytes || job.files) {
        Event p = event(tracked.session, e.timestampMs);
        ProgressPayload &progress = p.emplace<ProgressPayload>();
        progress.bytesDone = job.bytes;
        progress.filesDone = job.files;
        out.events.append(std::move(p));
    }
    out.events.append(std::move(e));
}

void BaculaJobTracker::running(const QList<Bconsole::Job> &jobs, qint64 nowMs, EventBatch &out) {
    QSet<qint64> now;
    QList<qint64> endedInTheList;
    for (const Bconsole::Job &job : jobs) {
        if (m_recordedEnded.contains(job.job))
            continue; // the history has its end
        now.insert(job.jobId);
        Tracked &tracked = start(job, nowMs, out);
        tracked.inRunningList = true;
        tracked.seenRunning = true;
        if (tracked.ended)
            continue;
        const BaculaCodes::State state = BaculaCodes::stateOf(job.status, job.errors, true);
        if (isTerminal(state.state)) {
            // 9.6 lists a job a moment after its end, with the director's
            // own counts: it ends with the catalog's, asked as for a job
            // that left the list.
            endedInTheList << job.jobId;
            continue;
        }
        if (job.status != tracked.status || state.reason != tracked.reason) {
            tracked.status = job.status;
            tracked.reason = state.reason;
            Event e = event(tracked.session, nowMs);
            e.emplace<StatePayload>() = StatePayload{state.state, state.reason};
            out.events.append(std::move(e));
        }
    }
    m_left = endedInTheList;
    for (auto it = m_jobs.begin(); it != m_jobs.end(); ++it) {
        if (it->inRunningList && !now.contains(it.key())) {
            it->inRunningList = false;
            if (!it->ended)
                m_left << it.key();
        }
    }
}

void BaculaJobTracker::progress(const QList<Bconsole::ClientJob> &jobs, qint64 nowMs,
                                EventBatch &out) {
    for (const Bconsole::ClientJob &job : jobs) {
        const auto found = m_jobs.find(job.jobId);
        // Only a job the director listed, under the same unique name: a
        // file daemon does not start sessions.
        if (found == m_jobs.end() || found->ended || found->session != job.job)
            continue;
        Tracked &tracked = *found;
        if (job.bytes == tracked.bytes && job.files == tracked.files
            && job.currentFile == tracked.current)
            continue;
        tracked.bytes = job.bytes;
        tracked.files = job.files;
        tracked.current = job.currentFile;
        Event e = event(tracked.session, nowMs);
        ProgressPayload &p = e.emplace<ProgressPayload>();
        p.bytesDone = job.bytes;
        p.filesDone = job.files;
        if (job.bytesPerSecond > 0)
            p.rate = double(job.bytesPerSecond);
        p.current = job.currentFile;
        if (job.expectedFiles && *job.expectedFiles > 0) {
            p.filesTotal = job.expectedFiles;
            p.percent = qBound(0.0, 100.0 * double(job.files) / double(*job.expectedFiles), 100.0);
        }
        out.events.append(std::move(e));
    }
}

void BaculaJobTracker::finished(const QList<Bconsole::Job> &jobs, qint64 nowMs, EventBatch &out) {
    for (const Bconsole::Job &job : jobs) {
        if (!isFinished(job.status) || m_recordedEnded.contains(job.job))
            continue;
        const auto found = m_jobs.find(job.jobId);
        if (found != m_jobs.end() && found->ended)
            continue;
        Tracked &tracked = start(job, nowMs, out);
        end(tracked, job, nowMs, out);
    }
}

void BaculaJobTracker::log(qint64 jobId, const QList<QString> &entries, qint64 nowMs,
                           EventBatch &out) {
    const auto found = m_jobs.find(jobId);
    if (found == m_jobs.end())
        return;
    for (qint64 i = found->logEntries; i < entries.size(); ++i) {
        const QString &entry = entries[qsizetype(i)];
        if (entry.contains(QLatin1String("\n  Termination:")))
            found->reportSeen = true;
        // A job report is one entry of many lines: a line each in the pane.
        for (const QString &line : entry.split(u'\n')) {
            if (line.trimmed().isEmpty())
                continue;
            if (found->linesToSkip > 0) {
                --found->linesToSkip; // the history has it
                continue;
            }
            Event e = event(found->session, nowMs);
            LogPayload &l = e.emplace<LogPayload>();
            const bool error = line.contains(QLatin1String("Error"))
                               || line.contains(QLatin1String("Fatal error"));
            const bool warning = line.contains(QLatin1String("Warning"));
            l.level = error ? LogLevel::Error : warning ? LogLevel::Warning : LogLevel::Info;
            l.message = line.toUtf8();
            out.events.append(std::move(e));
        }
    }
    found->logEntries = qMax<qint64>(found->logEntries, entries.size());
    found->logRead = true;
}

void BaculaJobTracker::resume(const QList<Session> &recorded) {
    for (const Session &session : recorded) {
        if (isTerminal(session.state))
            m_recordedEnded.insert(session.key.id);
        else
            m_recordedOpen.insert(session.key.id, session.logLines);
    }
}

QStringList BaculaJobTracker::resumedNotSeen() const {
    QStringList names;
    for (auto it = m_recordedOpen.cbegin(); it != m_recordedOpen.cend(); ++it) {
        if (!m_seenNames.contains(it.key()))
            names << it.key();
    }
    names.sort();
    return names;
}

void BaculaJobTracker::forget(const QString &job, qint64 nowMs, EventBatch &out) {
    if (!m_recordedOpen.remove(job) || m_seenNames.contains(job))
        return;
    m_recordedEnded.insert(job);
    Event e = event(job, nowMs);
    EndPayload &end = e.emplace<EndPayload>();
    end.state = SessionState::Interrupted;
    end.summary = QStringLiteral("director %1 has no record of this job any more (purged "
                                 "from its catalog while Keepwatch was not watching)")
                      .arg(m_director);
    out.events.append(std::move(e));
}

QList<qint64> BaculaJobTracker::openJobIds() const {
    QList<qint64> open;
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it) {
        if (!it->ended)
            open << it.key();
    }
    std::sort(open.begin(), open.end());
    return open;
}

QList<qint64> BaculaJobTracker::jobsWantingLog(qint64 nowMs, int pastLimit) const {
    QList<qint64> wanted;
    QList<qint64> past;
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it) {
        if (!it->ended
            || (it->seenRunning && !it->reportSeen && nowMs - it->endSeenMs < kLogGraceMs))
            wanted << it.key();
        else if (!it->seenRunning && !it->logRead)
            past << it.key();
    }
    std::sort(wanted.begin(), wanted.end());
    std::sort(past.begin(), past.end(), std::greater<>()); // the newest first
    return wanted + past.mid(0, pastLimit);
}

} // namespace kw
