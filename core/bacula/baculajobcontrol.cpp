// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "bacula/baculajobcontrol.h"

#include "bacula/baculacodes.h"
#include "bacula/bconsoleoutput.h"
#include "protocol/sessionid.h"

#include <QRegularExpression>
#include <algorithm>

namespace kw {

BaculaJobControl::BaculaJobControl(BaculaSourceOptions director, BconsoleQueue::Mode mode,
                                   QObject *parent)
    : QObject(parent)
    , m_director(std::move(director))
    , m_console(m_director.program(), mode) {}

QString BaculaJobControl::unreachable(const BconsoleQueue::Result &result) const {
    return QStringLiteral("director %1 did not answer: %2").arg(m_director.name, result.error);
}

QString BaculaJobControl::runCommand(const QString &name) {
    // Bacula's resource names: letters, digits, spaces and _.:- (a space
    // needs the quotes; nothing here can close them).
    static const QRegularExpression safe(
        QStringLiteral("^[A-Za-z0-9_.:-][A-Za-z0-9 _.:-]{0,126}$"));
    if (!safe.match(name).hasMatch())
        return {};
    return QStringLiteral("run job=\"%1\" yes").arg(name);
}

void BaculaJobControl::cancel(const QString &job) {
    if (!BaculaSource::isSafeName(job)) {
        emit cancelFinished(
            job, false, 0,
            QStringLiteral("%1 is not a Bacula job name").arg(SessionId::quoted(job)));
        return;
    }
    m_console.enqueue(
        QStringLiteral(".status dir running"), true, [this, job](const BconsoleQueue::Result &r) {
            if (!r.answer) {
                emit cancelFinished(job, false, 0, unreachable(r));
                return;
            }
            const auto jobs = Bconsole::directorJobs(*r.answer);
            const auto found = std::find_if(jobs.items.cbegin(), jobs.items.cend(),
                                            [&](const Bconsole::Job &j) { return j.job == job; });
            if (found == jobs.items.cend()) {
                emit cancelFinished(job, false, 0,
                                    QStringLiteral("job %1 is no longer queued or running on "
                                                   "director %2")
                                        .arg(job, m_director.name));
                return;
            }
            const qint64 jobId = found->jobId;
            m_console.enqueue(QStringLiteral("cancel jobid=%1 yes").arg(jobId), false,
                              [this, job, jobId](const BconsoleQueue::Result &c) {
                                  QString why;
                                  if (!c.answer)
                                      emit cancelFinished(job, false, jobId, unreachable(c));
                                  else if (Bconsole::cancelAccepted(*c.answer, jobId, &why))
                                      emit cancelFinished(
                                          job, true, jobId,
                                          QStringLiteral("director %1 cancels %2 (JobId %3)")
                                              .arg(m_director.name, job)
                                              .arg(jobId));
                                  else
                                      emit cancelFinished(
                                          job, false, jobId,
                                          QStringLiteral("director %1 did not cancel JobId %2: %3")
                                              .arg(m_director.name)
                                              .arg(jobId)
                                              .arg(why));
                              });
        });
}

void BaculaJobControl::run(const QString &name) {
    const QString command = runCommand(name);
    if (command.isEmpty()) {
        emit runFinished(
            name, false, 0,
            QStringLiteral("%1 is not a Bacula job name").arg(SessionId::quoted(name)));
        return;
    }
    m_console.enqueue(command, false, [this, name](const BconsoleQueue::Result &r) {
        QString why;
        if (!r.answer) {
            emit runFinished(name, false, 0, unreachable(r));
        } else if (const auto jobId = Bconsole::runQueued(*r.answer, &why)) {
            emit runFinished(name, true, *jobId,
                             QStringLiteral("director %1 queued %2 as JobId %3")
                                 .arg(m_director.name, name)
                                 .arg(*jobId));
        } else {
            emit runFinished(
                name, false, 0,
                QStringLiteral("director %1 did not run %2: %3").arg(m_director.name, name, why));
        }
    });
}

void BaculaJobControl::listJobs() {
    m_console.enqueue(QStringLiteral(".jobs"), false, [this](const BconsoleQueue::Result &r) {
        if (!r.answer) {
            emit jobsListed({}, unreachable(r));
            return;
        }
        // A line that is no job name is left out: it cannot be run anyway.
        emit jobsListed(Bconsole::jobNames(*r.answer).items, {});
    });
}

} // namespace kw
