// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "bacula/baculajobtracker.h"
#include "bacula/bconsolequeue.h"
#include "collector/sessionsource.h"

#include <QObject>
#include <functional>

namespace kw {

// One Bacula director, watched through its own `bconsole` (docs/bacula.md).
// Its password stays in its bconsole.conf: Keepwatch names the file, never
// reads or shows what is in it.
struct BaculaSourceOptions {
    QString name;       // the source is "bacula:<name>"
    QString configPath; // a bconsole.conf
    QString bconsole = QStringLiteral("/usr/sbin/bconsole");
    int finishedDays = 7;    // finished jobs of so many days, at start
    int finishedLimit = 500; // at most so many of them
    int cycleMs = 2000;      // a look at the director, after the last ended
    int timeoutMs = 10000;   // a bconsole that has not answered by then is killed

    BconsoleProgram program() const { return {bconsole, configPath, timeoutMs}; }
    // One look, synchronously, for keepwatch-cli: the first poll runs the
    // first cycle to its end (each bconsole still killed after timeoutMs),
    // then there is nothing more to read.
    bool snapshot = false;
    // For one look: the logs of so many past jobs are read, the newest
    // first (each a bconsole run); 0 for a command that shows none.
    int snapshotLogs = 50;
};

// The director's name as its bconsole.conf says it (the Name of its first
// Director resource; only that line is kept, never the password), or the
// file's base name when it says none.
QString baculaDirectorName(const QString &bconsoleConfig);

// A director's running and finished jobs as sessions. bconsole runs as a
// child process of the collector's thread, asynchronously (poll() never
// waits for it), one at a time, killed after its timeout: a director that
// is down, slow, refuses the password or answers garbage gives one clear
// error per change of condition and blocks nothing else.
class BaculaSource final : public QObject, public SessionSource {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BaculaSource)

public:
    explicit BaculaSource(BaculaSourceOptions options, QObject *parent = nullptr);
    ~BaculaSource() override;

    QString name() const override;
    void poll(EventBatch &out) override;
    // The history keeps a director's jobs beside the spool's sessions: the
    // catalog forgets them (pruning) and Keepwatch may not be running when
    // they end. No cursor: the jobs the history holds say where to go on.
    bool isRecordedInHistory() const override { return true; }
    void resumeFromHistory(const QString &cursor, const QList<Session> &recorded) override;
    bool hasPendingData() const override {
        return !m_pending.events.isEmpty() || (m_options.snapshot && !m_snapshotDone);
    }

    // What its jobs are called in commands: a name the director gave that
    // is safe on a bconsole line (no quote, space or newline to smuggle a
    // second command in).
    static bool isSafeName(const QString &name);

private:
    void startCycle();
    void cycleEnded();
    // Queues `command`; `answered` gets its answer when the director gave
    // one. When it did not, the rest of the cycle is dropped (the director
    // would not answer it either) and the problem said.
    void ask(const QString &command, bool api, std::function<void(const QByteArray &)> answered);
    // A problem of the director as a whole, said once while it lasts.
    void directorProblem(const QString &message);
    void commandProblems(const QString &command, const QStringList &problems);
    void running(const QByteArray &answer);
    // `llist ujobid=NAME`: how a job the history has open ended.
    void askCatalogFor(const QString &job);
    // `list joblog` for each job, unless already queued.
    void queueLogs(const QList<qint64> &jobIds);

    BaculaSourceOptions m_options;
    BaculaJobTracker m_tracker;
    BconsoleQueue m_console;
    bool m_busy = false;
    bool m_firstCycle = true;
    bool m_snapshotDone = false;
    qint64 m_nextCycleMs = 0;
    QString m_directorProblem; // the one said last; empty while it answers
    qint64 m_problemSinceMs = 0;
    EventBatch m_pending;
};

} // namespace kw
