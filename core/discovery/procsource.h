// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/progressmeter.h"
#include "collector/sessionsource.h"
#include "discovery/processtable.h"

#include <QElapsedTimer>
#include <QHash>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace kw {

// Finds backup tools (CommandLineInfo::knownTools()) that run without
// `keepwatch-cli run` and shows each as a session of source "proc", with the
// session ID proc-<pid>-<start ticks> (unique even when a pid is reused).
//
// The processes come from a ProcessTable: /proc on Linux (ProcFs), Toolhelp32
// snapshots and process handles on Windows (ToolhelpTable), where the
// answers Windows does not give (cwd, open files) are empty.
//
// What it publishes, all from the table and never from a process's environment:
// - start: tool, kind and target guessed from the command line, the command
//   line with secrets removed, user, host, cwd, pid, and the process's real
//   start time as the event's timestamp;
// - progress (only when something changed, at most every progressIntervalMs):
//   bytes from /proc/PID/io with a smoothed rate, and the regular file the
//   process has open for reading (borg and rsync show the file being read);
// - log: borg's lock.roster holder, once; why byte counts are missing;
// - end `exited` when the process is gone: its exit status is not ours to see.
//
// Not shown: processes under keepwatch-cli (the spool already has them),
// helpers whose parent is itself a backup tool (rsync's receiver and
// generator have the same argv as the client; restic's rclone backend), and
// the collector's own process tree.
//
// Cost: each poll lists /proc and reads one stat file per process; a process
// seen before with the same start time and name costs nothing more. The
// command line is read once per new process (again after an exec).
class ProcSource final : public SessionSource {
public:
    struct Options {
        // Linux: the /proc tree read (tests pass a canned copy).
        QString procRoot = QStringLiteral("/proc");
        // The processes looked at; none: the platform's (ProcFs on
        // procRoot, or ToolhelpTable on Windows).
        std::shared_ptr<const ProcessTable> table;
        // Whose process tree is never shown; none: this process.
        std::optional<qint64> ownPid;
        // Progress is sampled (and emitted when it changed) at most this often.
        int progressIntervalMs = 1000;
        double rateTimeConstantMs = ProgressMeter::kDefaultTimeConstantMs;
    };

    // What the last poll cost, for tests and measurements.
    struct ScanStats {
        int processes = 0;    // pids listed
        int statReads = 0;    // stat() calls: /proc/PID/stat files read (ancestors included)
        int cmdlineReads = 0; // command lines read
        int sessions = 0;     // sessions alive after the poll
        qint64 elapsedUs = 0;
    };

    ProcSource();
    explicit ProcSource(Options options);
    ~ProcSource() override;
    Q_DISABLE_COPY_MOVE(ProcSource)

    QString name() const override { return QStringLiteral("proc"); }
    void poll(EventBatch &out) override;

    const ScanStats &lastScan() const { return m_stats; }

    static QString sessionId(qint64 pid, quint64 startTicks);
    // False when KEEPWATCH_DISCOVERY is 0, off, no or false: the window and
    // the CLI then show only the spool (the tests use it to see only what
    // they made, not the tools other tests run at the same time).
    static bool enabledByEnvironment();

private:
    enum class Verdict : quint8 { NotTool, Session, Wrapped, OwnTree, Helper };
    struct Known {
        quint64 startTicks = 0;
        QByteArray comm;
        qint64 ppid = 0;
        Verdict verdict = Verdict::NotTool;
        quint64 seen = 0; // poll generation
    };
    struct Tracked;

    Verdict classify(const ProcStat &stat, const QStringList &argv);
    // Whether the sessions of the wrapper `pid` reach this user through a
    // spool: its own (same user), or the wrapper's user's system spool
    // directory when this user can read it. Otherwise the tool is shown
    // from /proc like an unwrapped one.
    bool wrapperSpoolReadable(qint64 pid, QString &wrapperUser);
    bool isToolProcess(qint64 pid);
    void startSession(const ProcStat &stat, const QStringList &argv, EventBatch &out);
    void sample(Tracked &t, EventBatch &out);
    void endSession(qint64 pid, EventBatch &out);
    void log(const Tracked &t, LogLevel level, const QString &message, EventBatch &out) const;
    QString userName(qint64 pid);
    qint64 startTimeMs(quint64 startTicks);

    Options m_options;
    std::shared_ptr<const ProcessTable> m_table;
    qint64 m_ownPid = 0;
    QString m_host;
    QElapsedTimer m_clock;
    quint64 m_generation = 0;
    std::vector<qint64> m_pids; // reused between polls
    QHash<qint64, Known> m_known;
    std::unordered_map<qint64, std::unique_ptr<Tracked>> m_tracked; // by pid
    QHash<uint, QString> m_userNames;
    // Tools under a wrapper whose spool this user cannot read: the
    // wrapper's user, for the note their session gets.
    QHash<qint64, QString> m_unreadableWrapperUser;
    ScanStats m_stats;
    bool m_listFailed = false;
};

} // namespace kw
