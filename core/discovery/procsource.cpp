// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "discovery/procsource.h"

#include "logging/logging.h"
#include "platform/environmentswitch.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "protocol/timestamp.h"
#include "tools/borg/borglockroster.h"
#include "tools/commandline.h"
#include "tools/commandredactor.h"
#include "tools/toolregistry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#ifdef Q_OS_WIN
#include "discovery/toolhelptable.h"
#else
#include "discovery/procfs.h"
#include "spool/systemspool.h" // Linux only, like the system spool itself

#include <unistd.h>
#endif

namespace kw {

namespace {

// Ancestors are walked at most this far up (a wrapper is usually the parent).
constexpr int kMaxAncestors = 64;
constexpr qint64 kMaxRosterBytes = 64 * 1024;

// Where a repository or destination given as `target` lives on this machine:
// a cleaned absolute path, or empty for a remote one (scheme://, host:path,
// sftp:..., s3:..., rclone:...).
QString localPath(const QString &target, const QString &cwd) {
    QString path = target;
    if (path.startsWith(QLatin1String("local:"))) // restic's explicit local backend
        path = path.mid(6);
    if (path.isEmpty() || path.contains(QLatin1String("://")))
        return {};
    const qsizetype colon = path.indexOf(QLatin1Char(':'));
    const qsizetype slash = path.indexOf(QLatin1Char('/'));
    if (colon >= 0 && (slash < 0 || colon < slash))
        return {};
    if (QDir::isRelativePath(path)) {
        if (cwd.isEmpty())
            return {};
        path = cwd + QLatin1Char('/') + path;
    }
    return QDir::cleanPath(path);
}

bool isUnder(const QString &path, const QString &dir) {
    return !dir.isEmpty()
           && (path == dir
               || (path.startsWith(dir)
                   && (dir.endsWith(QLatin1Char('/')) || path.at(dir.size()) == QLatin1Char('/'))));
}

// Files a backup tool has open that are not the data it is working on:
// virtual file systems, the system's programs and libraries, tool caches.
bool isSystemPath(const QString &path) {
    static const QStringList prefixes = {
        QStringLiteral("/proc/"), QStringLiteral("/sys/"),  QStringLiteral("/dev/"),
        QStringLiteral("/run/"),  QStringLiteral("/usr/"),  QStringLiteral("/lib"),
        QStringLiteral("/bin/"),  QStringLiteral("/sbin/"), QStringLiteral("/memfd:")};
    for (const QString &p : prefixes) {
        if (path.startsWith(p))
            return true;
    }
    return path.contains(QLatin1String("/.cache/"));
}

bool isAllDigits(QStringView s) {
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        if (!c.isDigit())
            return false;
    }
    return true;
}

bool isAllHex(QStringView s) {
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        if (!c.isDigit() && !(c >= u'a' && c <= u'f'))
            return false;
    }
    return true;
}

// The repository a file belongs to, when it is one of a repository's data
// files: borg segments <repo>/data/<n>/<n>, restic packs
// <repo>/data/<xx>/<sha256>[-tmp-N]. Only the name is checked here; the
// caller confirms with <repo>/config.
QString repositoryOfDataFile(const QString &path) {
    const QStringList parts = path.split(QLatin1Char('/'));
    if (parts.size() < 5 || parts[parts.size() - 3] != QLatin1String("data"))
        return {};
    const QString &dir = parts[parts.size() - 2];
    const QString file = parts.last().section(QLatin1String("-tmp-"), 0, 0);
    const bool borg = isAllDigits(dir) && isAllDigits(file);
    const bool restic = dir.size() == 2 && isAllHex(dir) && file.size() == 64 && isAllHex(file);
    if (!borg && !restic)
        return {};
    return parts.mid(0, parts.size() - 3).join(QLatin1Char('/'));
}

std::shared_ptr<const ProcessTable> platformTable(const ProcSource::Options &options) {
    if (options.table)
        return options.table;
#ifdef Q_OS_WIN
    return std::make_shared<ToolhelpTable>();
#else
    return std::make_shared<ProcFs>(options.procRoot);
#endif
}

} // namespace

// A live discovered session.
struct ProcSource::Tracked {
    QString id;
    qint64 pid = 0;
    quint64 startTicks = 0;
    QString tool;
    SessionKind kind = SessionKind::Other;
    QString repoDir; // the target as a local directory, if it is one
    ProgressMeter meter;
    qint64 nextSampleMs = 0; // on m_clock
    std::optional<qint64> lastBytes;
    std::optional<qint64> lastRate;
    QString lastCurrent;
    bool ioNoted = false;
    bool repoNoted = false;
    bool rosterNoted = false;

    explicit Tracked(double tau)
        : meter(tau) {}
};

ProcSource::ProcSource()
    : ProcSource(Options{}) {}

ProcSource::ProcSource(Options options)
    : m_options(std::move(options))
    , m_table(platformTable(m_options))
    , m_ownPid(m_options.ownPid.value_or(QCoreApplication::applicationPid()))
    , m_host(ProcessProbe::hostName()) {
    m_clock.start();
}

ProcSource::~ProcSource() = default;

QString ProcSource::sessionId(qint64 pid, quint64 startTicks) {
    return QStringLiteral("proc-%1-%2").arg(pid).arg(startTicks);
}

bool ProcSource::enabledByEnvironment() {
    return kw::enabledByEnvironment("KEEPWATCH_DISCOVERY");
}

qint64 ProcSource::startTimeMs(quint64 startTicks) {
    const qint64 now = Timestamp::nowMs();
    const std::optional<qint64> start = m_table->startTimeMs(startTicks);
    if (!start)
        return now;
    return qMin(*start, now); // btime is whole seconds: never start in the future
}

QString ProcSource::userName(qint64 pid) {
    const auto uid = m_table->realUid(pid);
    if (!uid)
        return {};
    // Cached: every poll looks at every tool process, and the password
    // database may be a network service.
    if (const auto it = m_userNames.constFind(*uid); it != m_userNames.cend())
        return *it;
    QString name = UserAccounts::nameOf(*uid);
    m_userNames.insert(*uid, name);
    return name;
}

bool ProcSource::isToolProcess(qint64 pid) {
    ++m_stats.cmdlineReads;
    const QStringList argv = m_table->cmdline(pid);
    return CommandLineInfo::knownTools().contains(CommandLineInfo::programName(argv));
}

ProcSource::Verdict ProcSource::classify(const ProcStat &stat, const QStringList &argv) {
    if (!CommandLineInfo::knownTools().contains(CommandLineInfo::programName(argv)))
        return Verdict::NotTool;
    if (stat.pid == m_ownPid)
        return Verdict::OwnTree;
    // A helper: rsync's receiver and generator (forked, same argv), tar's
    // compressor child, restic's rclone backend. The parent is the session.
    if (stat.ppid > 1 && isToolProcess(stat.ppid))
        return Verdict::Helper;
    qint64 ancestor = stat.ppid;
    for (int depth = 0; depth < kMaxAncestors && ancestor > 0; ++depth) {
        if (ancestor == m_ownPid)
            return Verdict::OwnTree;
        ++m_stats.statReads;
        const auto a = m_table->stat(ancestor);
        if (!a)
            break;
        if (a->comm == m_table->wrapperName()) {
            QString wrapperUser;
            if (wrapperSpoolReadable(ancestor, wrapperUser))
                return Verdict::Wrapped; // the spool has it, with its real outcome
            m_unreadableWrapperUser.insert(stat.pid, wrapperUser);
            return Verdict::Session;
        }
        if (ancestor == 1)
            break;
        ancestor = a->ppid;
    }
    return Verdict::Session;
}

bool ProcSource::wrapperSpoolReadable(qint64 pid, QString &wrapperUser) {
    const auto uid = m_table->realUid(pid);
    const uint me = UserAccounts::effectiveUid();
    if (uid && *uid == me)
        return true;
    wrapperUser = uid ? UserAccounts::nameOf(*uid) : QStringLiteral("another user");
    if (!uid)
        return false; // hidden (hidepid): nothing says where it writes
#ifdef Q_OS_WIN
    return false; // no system spool on Windows: another user's spool is private
#else
    // A wrapper of another user writes to that user's system spool
    // directory when root set one up; this user reads it in group keepwatch.
    const QString directory = SystemSpool::directoryFor(wrapperUser);
    return SystemSpool::directoryProblem(directory, *uid).isEmpty()
           && ::access(QFile::encodeName(directory).constData(), R_OK | X_OK) == 0;
#endif
}

void ProcSource::log(const Tracked &t, LogLevel level, const QString &message,
                     EventBatch &out) const {
    out.events.append(
        Event{t.id, name(), Timestamp::nowMs(), LogPayload{level, message.toUtf8(), QString()}});
}

void ProcSource::startSession(const ProcStat &stat, const QStringList &argv, EventBatch &out) {
    // Inspect the redacted argv: a secret given as "--password X" to a tool
    // that has no such option would otherwise read as the subcommand.
    const QStringList command = CommandRedactor::redact(argv);
    const CommandLineInfo info = CommandLineInfo::inspect(command);
    qCDebug(log::discovery).noquote()
        << "pid" << stat.pid << "runs" << command.join(QLatin1Char(' ')) << "without the wrapper";

    auto t = std::make_unique<Tracked>(m_options.rateTimeConstantMs);
    t->id = sessionId(stat.pid, stat.startTicks);
    t->pid = stat.pid;
    t->startTicks = stat.startTicks;
    t->tool = info.tool;
    t->kind = info.kind;

    StartPayload p;
    p.kind = info.kind;
    p.tool = info.tool;
    p.host = m_host;
    p.user = userName(stat.pid);
    p.target = info.target;
    // The subcommand is the first plain word; after an unknown option that
    // takes a value it may be that (masked) value: then it says nothing.
    const bool hasSubcommand =
        !info.subcommand.isEmpty() && info.subcommand != QLatin1String(CommandRedactor::kMask);
    p.title = hasSubcommand
                  ? QStringLiteral("%1 %2 (pid %3)").arg(info.tool, info.subcommand).arg(stat.pid)
                  : QStringLiteral("%1 (pid %2)").arg(info.tool).arg(stat.pid);
    p.cwd = m_table->cwd(stat.pid);
    p.command = command;
    p.pid = stat.pid;
    t->repoDir = localPath(info.target, p.cwd);

    const qint64 started = startTimeMs(stat.startTicks);
    out.events.append(Event{t->id, name(), started, std::move(p)});
    // The counters start at zero when the process is forked: the first
    // sample gives the average rate since then.
    t->meter.sample(started, 0);
    Tracked &ref = *t;
    m_tracked[stat.pid] = std::move(t);
    if (const auto wrapper = m_unreadableWrapperUser.constFind(stat.pid);
        wrapper != m_unreadableWrapperUser.cend()) {
        log(ref, LogLevel::Info,
            QStringLiteral("started by keepwatch-cli run of %1, whose spool this user cannot "
                           "read: shown from /proc (its own session, with its real outcome, is "
                           "in %1's spool)")
                .arg(*wrapper),
            out);
        m_unreadableWrapperUser.erase(wrapper);
    }
    sample(ref, out);
}

void ProcSource::sample(Tracked &t, EventBatch &out) {
    const qint64 now = m_clock.elapsed();
    if (now < t.nextSampleMs)
        return;
    t.nextSampleMs = now + m_options.progressIntervalMs;
    const qint64 wallNow = Timestamp::nowMs();

    ProgressPayload progress;
    if (const auto io = m_table->io(t.pid)) {
        // rchar/wchar, not read_bytes/write_bytes: those count only what
        // reached the disk, so a source in the page cache reads as 0 (the
        // restic capture: read_bytes 0 while rchar grew by 4.7 MB) and
        // writes are counted when the kernel flushes them. rchar/wchar count
        // what the tool itself read and wrote, which is its progress. A
        // restore's work is what it writes; everything else's what it reads.
        const qint64 bytes = t.kind == SessionKind::Restore ? io->wchar : io->rchar;
        if (bytes >= 0) {
            t.meter.sample(wallNow, bytes);
            progress.bytesDone = bytes;
            if (const auto rate = t.meter.rate())
                progress.rate = *rate;
        }
    } else if (!t.ioNoted) {
        t.ioNoted = true;
        log(t, LogLevel::Info,
#ifdef Q_OS_WIN
            QStringLiteral("no byte counts: the I/O counters of pid %1 are not readable (a "
                           "process of another user; run Keepwatch as that user or as an "
                           "administrator to see them)")
                .arg(t.pid),
#else
            QStringLiteral("no byte counts: /proc/%1/io is not readable (a process of another "
                           "user; run Keepwatch as that user or as root to see them)")
                .arg(t.pid),
#endif
            out);
    }

    // The file being read: the highest-numbered regular file open read-only
    // outside the system's directories, the repository and the destination.
    QString inferredRepo;
    // Tools with a repository (restic, borg): its profile names the variable.
    const bool repoTool = !ToolRegistry::forTool(t.tool).repositoryVariable().isEmpty();
    const QList<ProcOpenFile> files = m_table->readOnlyFiles(t.pid, [&](const QString &path) {
        if (!path.startsWith(QLatin1Char('/')) || path.endsWith(QLatin1String(" (deleted)")))
            return false;
        if (repoTool && t.repoDir.isEmpty() && inferredRepo.isEmpty()) {
            const QString repo = repositoryOfDataFile(path);
            if (!repo.isEmpty() && QFileInfo::exists(repo + QLatin1String("/config")))
                inferredRepo = repo;
        }
        return !isSystemPath(path) && !isUnder(path, t.repoDir) && !isUnder(path, inferredRepo)
               && repositoryOfDataFile(path).isEmpty();
    });
    if (!files.isEmpty())
        progress.current = files.last().path;

    if (!inferredRepo.isEmpty() && !t.repoNoted) {
        // The repository was not on the command line (BORG_REPO or
        // RESTIC_REPOSITORY, which are not ours to read): its open data
        // files tell where it is.
        t.repoNoted = true;
        t.repoDir = inferredRepo;
        log(t, LogLevel::Info,
            QStringLiteral("repository (from the files it has open): %1").arg(inferredRepo), out);
    }

    if (t.tool == QLatin1String("borg") && !t.rosterNoted && !t.repoDir.isEmpty()) {
        QFile file(t.repoDir + QLatin1String("/lock.roster"));
        if (file.open(QIODevice::ReadOnly)) {
            const auto roster = BorgLockRoster::parse(file.read(kMaxRosterBytes));
            if (roster && !roster->holders.isEmpty()) {
                t.rosterNoted = true;
                log(t, LogLevel::Info, roster->describe(), out);
            }
        }
    }

    const std::optional<qint64> rate =
        progress.rate ? std::optional<qint64>(qint64(*progress.rate)) : std::nullopt;
    const bool changed = progress.bytesDone != t.lastBytes || rate != t.lastRate
                         || (!progress.current.isEmpty() && progress.current != t.lastCurrent);
    if (!changed)
        return;
    t.lastBytes = progress.bytesDone;
    t.lastRate = rate;
    if (!progress.current.isEmpty())
        t.lastCurrent = progress.current;
    out.events.append(Event{t.id, name(), wallNow, std::move(progress)});
}

void ProcSource::endSession(qint64 pid, EventBatch &out) {
    const auto it = m_tracked.find(pid);
    if (it == m_tracked.end())
        return;
    EndPayload end;
    end.state = SessionState::Exited;
    end.summary = QStringLiteral("process ended; its exit status is unknown (not started through "
                                 "keepwatch-cli run)");
    out.events.append(Event{it->second->id, name(), Timestamp::nowMs(), std::move(end)});
    m_tracked.erase(it);
}

void ProcSource::poll(EventBatch &out) {
    QElapsedTimer timer;
    timer.start();
    m_stats = ScanStats{};
    const quint64 generation = ++m_generation;

    m_pids.clear();
    if (QString error; !m_table->listPids(m_pids, error)) {
        if (!m_listFailed)
            out.errors.append(SourceError{name(), m_table->root(), 0,
                                          QStringLiteral("cannot list processes: %1").arg(error)});
        m_listFailed = true;
        return;
    }
    m_listFailed = false;
    m_stats.processes = int(m_pids.size());

    for (const qint64 pid : m_pids) {
        if (pid == m_ownPid)
            continue;
        ++m_stats.statReads;
        const auto stat = m_table->stat(pid);
        if (!stat)
            continue; // ended since the listing
        auto it = m_known.find(pid);
        if (it != m_known.end() && it->startTicks == stat->startTicks) {
            // The same process. It is looked at again only when it ran
            // exec (its name changed), or when a tool that was hidden because
            // of its parent got a new parent (its wrapper died).
            Known &k = *it;
            const bool execed = k.comm != stat->comm;
            const bool adopted = k.ppid != stat->ppid && k.verdict != Verdict::NotTool
                                 && k.verdict != Verdict::Session;
            if (!execed && !adopted) {
                k.seen = generation;
                if (k.verdict == Verdict::Session) {
                    if (stat->hasEnded()) {
                        endSession(pid, out);
                        k.verdict = Verdict::NotTool; // a zombie until reaped
                    } else if (const auto t = m_tracked.find(pid); t != m_tracked.end()) {
                        sample(*t->second, out);
                    }
                }
                continue;
            }
        }
        // New, a reused pid, or a process that ran exec.
        if (it != m_known.end() && it->verdict == Verdict::Session)
            endSession(pid, out);
        Known k;
        k.startTicks = stat->startTicks;
        k.comm = stat->comm;
        k.ppid = stat->ppid;
        k.seen = generation;
        if (!stat->isKernelThread() && !stat->hasEnded()) {
            ++m_stats.cmdlineReads;
            const QStringList argv = m_table->cmdline(pid);
            k.verdict = classify(*stat, argv);
            if (k.verdict == Verdict::Session)
                startSession(*stat, argv, out);
        }
        m_known.emplace(pid, std::move(k));
    }

    // Gone since the last poll.
    for (auto it = m_known.begin(); it != m_known.end();) {
        if (it->seen == generation) {
            ++it;
            continue;
        }
        if (it->verdict == Verdict::Session)
            endSession(it.key(), out);
        it = m_known.erase(it);
    }
    m_stats.sessions = int(m_tracked.size());
    m_stats.elapsedUs = timer.nsecsElapsed() / 1000;
}

} // namespace kw
