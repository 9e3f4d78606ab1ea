// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "wrapper/wrappedcommand.h"

#include "adapters/outputadapter.h"
#include "adapters/progressmeter.h"
#include "platform/processprobe.h"
#include "protocol/eventcodec.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"
#include "spool/spoollocation.h"
#include "spool/spoolwriter.h"
#include "tools/commandline.h"
#include "tools/commandredactor.h"
#include "tools/toolregistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace kw {

namespace {

// ---- signals: the handler only writes to a pipe; the loop does the work.

struct SignalNote {
    int signo;
    int code; // si_code: <= 0 when sent by a process (kill, sigqueue), > 0 by the kernel
};

int g_signalPipe[2] = {-1, -1};

void onSignal(int signo, siginfo_t *info, void *) {
    const int saved = errno;
    const SignalNote note{signo, info ? info->si_code : 0};
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &note, sizeof note);
    errno = saved;
}

constexpr int kHandledSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGCHLD};

void installSignalHandlers() {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onSignal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&sa.sa_mask);
    for (int s : kHandledSignals)
        ::sigaction(s, &sa, nullptr);
    // A closed stdout must show up as EPIPE on write, not kill the wrapper
    // (and with it the record of the session).
    ::signal(SIGPIPE, SIG_IGN);
}

bool writeAll(int fd, const char *data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                pollfd p{fd, POLLOUT, 0};
                ::poll(&p, 1, 100);
                continue;
            }
            return false;
        }
        data += n;
        size -= size_t(n);
    }
    return true;
}

QString errnoText(int error) {
    return QString::fromLocal8Bit(std::strerror(error));
}

} // namespace

// ---------------------------------------------------------------- the run

class WrappedCommand::Impl final : public AdapterSink {
public:
    Impl(const WrapOptions &options, const QString &sessionId)
        : m_options(options)
        , m_sessionId(sessionId)
        , m_profile(ToolRegistry::forCommand(options.tool, options.command))
        , m_adapter(m_profile.createAdapter(CommandLineInfo::effectiveCommand(options.command))) {}

    int run();

    // AdapterSink
    void log(LogLevel level, QByteArrayView message, OutputStream stream) override {
        LogPayload p;
        p.level = level;
        p.message = message.toByteArray();
        p.stream =
            stream == OutputStream::Stdout ? QStringLiteral("stdout") : QStringLiteral("stderr");
        queue(std::move(p));
    }
    void progress(const ProgressPayload &progress) override {
        // The rate and ETA the tool does not print (restic's and borg's JSON
        // have none), from the one rate meter /proc discovery uses too: the
        // same run shows the same rate wrapped or discovered.
        ProgressPayload p = progress;
        if (p.bytesDone) {
            m_meter.sample(Timestamp::nowMs(), *p.bytesDone);
            if (!p.rate)
                p.rate = m_meter.rate();
            if (!p.etaSeconds && p.bytesTotal)
                p.etaSeconds = m_meter.etaSeconds(p.bytesTotal);
        }
        // Throttled where it is produced: at most 4 per second reach the
        // spool; the newest one waits for its turn and is never dropped.
        m_pendingProgress = std::move(p);
        flushProgress(false);
    }
    void state(SessionState state, const QString &reason) override {
        queue(StatePayload{state, reason});
    }

private:
    static constexpr qint64 kProgressIntervalMs = 250;
    static constexpr qint64 kIoSampleIntervalMs = 1000;
    static constexpr qint64 kLinkCheckIntervalMs = 1000;
    // Progress still recorded past the file cap (a few hours of it at 4/s).
    static constexpr qint64 kProgressReserveBytes = 4 * 1024 * 1024;

    static ProgressPayload mergedProgress(const ProgressPayload &older, ProgressPayload newer) {
        auto keep = [](auto &field, const auto &old) {
            if (!field)
                field = old;
        };
        keep(newer.percent, older.percent);
        keep(newer.bytesDone, older.bytesDone);
        keep(newer.bytesTotal, older.bytesTotal);
        keep(newer.filesDone, older.filesDone);
        keep(newer.filesTotal, older.filesTotal);
        keep(newer.rate, older.rate);
        keep(newer.etaSeconds, older.etaSeconds);
        if (newer.current.isEmpty())
            newer.current = older.current;
        return newer;
    }

    template<typename Payload>
    void queue(Payload payload) {
        // The cap on one session's file: log lines stop first (with one line
        // that says so), progress after a reserve; the state changes and the
        // end event always get through.
        if constexpr (std::is_same_v<Payload,
                                     LogPayload> || std::is_same_v<Payload, ProgressPayload>) {
            const qint64 written = m_spool.size() + m_outbox.size();
            const qint64 cap = m_options.maxSpoolFileBytes;
            if (cap > 0 && written >= cap) {
                if (!m_logTruncated) {
                    m_logTruncated = true;
                    queueEvent(LogPayload{
                        LogLevel::Warning,
                        QStringLiteral("log truncated: this session's spool file reached its cap "
                                       "of %1 bytes; the rest of the output is not recorded "
                                       "(the command runs on, and its end is recorded)")
                            .arg(cap)
                            .toUtf8(),
                        QString()});
                }
                if (std::is_same_v<Payload, LogPayload> || written >= cap + kProgressReserveBytes)
                    return;
            }
        }
        queueEvent(std::move(payload));
    }

    template<typename Payload>
    void queueEvent(Payload payload) {
        Event e;
        e.session = m_sessionId;
        e.timestampMs = Timestamp::nowMs();
        e.payload = std::move(payload);
        EventEncoder::encodeInto(m_outbox, e);
    }

    void flushProgress(bool force) {
        if (!m_pendingProgress)
            return;
        const qint64 now = Timestamp::nowMs();
        if (!force && now - m_lastProgressMs < kProgressIntervalMs)
            return;
        m_lastProgressMs = now;
        queue(*m_pendingProgress);
        m_pendingProgress.reset();
    }

    void flushOutbox(bool last = false) {
        if (m_outbox.isEmpty())
            return;
        if (m_spool.isOpen() && !m_spool.append(m_outbox))
            warnSpool(m_spool.errorString());
        m_outbox.clear();
        // A removed spool file still takes writes: look for that once a
        // second (an fstat), and after the end event, so that the user is
        // told the session was not recorded.
        const qint64 now = Timestamp::nowMs();
        if (m_spool.isOpen() && (last || now - m_lastLinkCheckMs >= kLinkCheckIntervalMs)) {
            m_lastLinkCheckMs = now;
            if (!m_spool.checkStillLinked())
                warnSpool(m_spool.errorString());
        }
    }

    void warnSpool(const QString &why) {
        if (m_spoolWarned)
            return;
        m_spoolWarned = true;
        const QByteArray text = "keepwatch-cli: warning: session " + m_sessionId.toUtf8()
                                + " is not being recorded (" + why.toLocal8Bit()
                                + "); the command runs on unmonitored\n";
        writeAll(STDERR_FILENO, text.constData(), size_t(text.size()));
    }

    bool spawn(QString &error);
    void sampleIo();
    void reapIfExited();
    void writeStart();
    void pump(int &fd, int passthroughFd, OutputStream stream);
    void handleSignals();
    void requestCancel(const QString &reason, int signal, bool forward);
    void escalate();
    int finish();

    const WrapOptions &m_options;
    QString m_sessionId;
    // The tool's knowledge: its exit codes, its cancel signal (core/tools/).
    const ToolProfile &m_profile;
    std::unique_ptr<OutputAdapter> m_adapter;
    SpoolWriter m_spool;
    QByteArray m_outbox;
    std::optional<ProgressPayload> m_pendingProgress;
    ProgressMeter m_meter;
    qint64 m_lastIoSampleMs = 0;
    qint64 m_lastProgressMs = 0;
    qint64 m_lastLinkCheckMs = 0;
    bool m_spoolWarned = false;
    bool m_logTruncated = false;

    pid_t m_child = -1;
    int m_stdout = -1;
    int m_stderr = -1;
    bool m_reaped = false;
    int m_waitStatus = 0;
    qint64 m_reapedAtMs = 0;

    bool m_cancelRequested = false;
    int m_escalationStep = 0; // 0 none, 1 SIGTERM sent or due, 2 SIGKILL
    qint64 m_nextEscalationMs = 0;
};

bool WrappedCommand::Impl::spawn(QString &error) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        error = QStringLiteral("cannot create pipes: %1").arg(errnoText(errno));
        return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    // Ignored signals survive exec: give the command the dispositions it
    // would have had without the wrapper.
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGCHLD})
        sigaddset(&defaults, s);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    // The environment, plus the session ID for the command's own diagnostics
    // and its spool directory (where `keepwatch-cli log` inside it appends).
    std::vector<std::string> envStorage;
    const std::string idVar = "KEEPWATCH_SESSION_ID=";
    const std::string spoolVar = "KEEPWATCH_SESSION_SPOOL=";
    for (char **e = environ; e && *e; ++e) {
        if (std::strncmp(*e, idVar.c_str(), idVar.size()) != 0
            && std::strncmp(*e, spoolVar.c_str(), spoolVar.size()) != 0)
            envStorage.emplace_back(*e);
    }
    envStorage.push_back(idVar + m_sessionId.toStdString());
    if (m_spool.isOpen())
        envStorage.push_back(spoolVar + QFile::encodeName(m_options.spoolDirectory).toStdString());
    // The adapter's defaults (restic's progress rate), unless the user chose.
    for (const auto &[name, value] : m_adapter->defaultEnvironment()) {
        if (!qEnvironmentVariableIsSet(name.constData()))
            envStorage.push_back(name.toStdString() + '=' + value.toStdString());
    }
    std::vector<char *> envp;
    envp.reserve(envStorage.size() + 1);
    for (auto &s : envStorage)
        envp.push_back(s.data());
    envp.push_back(nullptr);

    std::vector<QByteArray> argStorage;
    argStorage.reserve(size_t(m_options.command.size()));
    for (const QString &a : m_options.command)
        argStorage.push_back(QFile::encodeName(a));
    std::vector<char *> argv;
    argv.reserve(argStorage.size() + 1);
    for (auto &a : argStorage)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    const int rc = posix_spawnp(&m_child, argv[0], &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        ::close(out[0]);
        ::close(err[0]);
        m_child = -1;
        error = QStringLiteral("cannot run %1: %2").arg(m_options.command.first(), errnoText(rc));
        errno = rc;
        return false;
    }
    m_stdout = out[0];
    m_stderr = err[0];
    ::fcntl(m_stdout, F_SETFL, ::fcntl(m_stdout, F_GETFL) | O_NONBLOCK);
    ::fcntl(m_stderr, F_SETFL, ::fcntl(m_stderr, F_GETFL) | O_NONBLOCK);
    return true;
}

void WrappedCommand::Impl::sampleIo() {
    // For tools that print no progress (restic 0.14 restore): what the
    // command has read or written so far, from /proc/PID/io.
    const OutputAdapter::IoMeasure measure = m_adapter->ioMeasure();
    if (measure == OutputAdapter::IoMeasure::None || m_child <= 0)
        return;
    m_lastIoSampleMs = Timestamp::nowMs();
    QFile io(QStringLiteral("/proc/%1/io").arg(m_child));
    if (!io.open(QIODevice::ReadOnly))
        return;
    const QByteArray key =
        measure == OutputAdapter::IoMeasure::BytesWritten ? "wchar: " : "rchar: ";
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith(key)) {
            ProgressPayload p;
            p.bytesDone = line.mid(key.size()).toLongLong();
            progress(p);
            return;
        }
    }
}

void WrappedCommand::Impl::reapIfExited() {
    if (m_reaped || m_child <= 0)
        return;
    // Peek first (WNOWAIT): the exited command's /proc entry, with its final
    // I/O counters, lives until it is reaped.
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    if (::waitid(P_PID, id_t(m_child), &info, WEXITED | WNOHANG | WNOWAIT) != 0
        || info.si_pid != m_child)
        return;
    sampleIo();
    int status = 0;
    if (::waitpid(m_child, &status, WNOHANG) == m_child) {
        m_reaped = true;
        m_waitStatus = status;
        m_reapedAtMs = Timestamp::nowMs();
    }
}

void WrappedCommand::Impl::writeStart() {
    const CommandLineInfo info = CommandLineInfo::inspect(m_options.command);
    StartPayload p;
    p.kind = m_options.kind.value_or(info.kind);
    p.tool = m_options.tool.isEmpty() ? info.tool : m_options.tool;
    p.target = info.target;
    if (p.target.isEmpty()) {
        // The repository may be in our own environment (never another
        // process's: that is where the passwords are too).
        const QString variable = ToolRegistry::forTool(info.tool).repositoryVariable();
        if (!variable.isEmpty())
            p.target = CommandRedactor::redactUrlCredentials(
                qEnvironmentVariable(variable.toLatin1().constData()));
    }
    p.host = ProcessProbe::hostName();
    p.user = ProcessProbe::userName();
    p.title = m_options.title;
    p.cwd = QDir::currentPath();
    p.command = CommandRedactor::redact(m_options.command);
    if (m_child > 0)
        p.pid = m_child;
    p.producerPid = ::getpid();
    p.producerStartTicks = ProcessProbe::startTicks(::getpid());
    p.bootId = ProcessProbe::bootId();
    p.unit = m_options.unit;
    p.invocationId = m_options.invocationId;
    queue(std::move(p));
}

void WrappedCommand::Impl::pump(int &fd, int passthroughFd, OutputStream stream) {
    char buffer[65536];
    // At most 1 MiB per call: a command that writes faster than we read
    // (a shell loop of echo) never lets read() return EAGAIN, and the loop
    // must still write the spool, handle signals and check its child.
    for (int reads = 0; reads < 16; ++reads) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            if (!writeAll(passthroughFd, buffer, size_t(n)) && errno == EPIPE) {
                // Our reader went away (`... | head`): let the command see
                // that too, as it would have without the wrapper.
                m_adapter->feed(stream, QByteArrayView(buffer, n), *this);
                ::close(fd);
                fd = -1;
                return;
            }
            m_adapter->feed(stream, QByteArrayView(buffer, n), *this);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        ::close(fd); // EOF or error
        fd = -1;
        return;
    }
    // Budget spent: poll() reports the rest at once.
}

void WrappedCommand::Impl::requestCancel(const QString &reason, int signal, bool forward) {
    if (!m_cancelRequested) {
        m_cancelRequested = true;
        queue(StatePayload{SessionState::Cancelling, reason});
    }
    if (forward && m_child > 0 && !m_reaped)
        ::kill(m_child, signal);
}

void WrappedCommand::Impl::handleSignals() {
    SignalNote note;
    while (::read(g_signalPipe[0], &note, sizeof note) == ssize_t(sizeof note)) {
        switch (note.signo) {
        case SIGCHLD:
            reapIfExited();
            break;
        case SIGUSR1: {
            // keepwatch-cli cancel: the tool's clean stop first, force later.
            const int first = m_profile.cancelSignal();
            requestCancel(QStringLiteral("cancel requested; sent %1").arg(signalName(first)), first,
                          true);
            if (m_escalationStep == 0) {
                m_escalationStep = first == SIGTERM ? 1 : 0;
                m_nextEscalationMs = Timestamp::nowMs() + m_options.cancelGraceMs;
            }
            break;
        }
        default: {
            // SIGINT/SIGTERM/SIGHUP. From a terminal (si_code > 0) the whole
            // process group got it already; from kill(1) only we did.
            const bool fromProcess = note.code <= 0;
            requestCancel(QStringLiteral("received %1").arg(signalName(note.signo)), note.signo,
                          fromProcess);
            break;
        }
        }
    }
}

void WrappedCommand::Impl::escalate() {
    if (m_nextEscalationMs == 0 || m_reaped || Timestamp::nowMs() < m_nextEscalationMs)
        return;
    const int signal = m_escalationStep == 0 ? SIGTERM : SIGKILL;
    queue(LogPayload{LogLevel::Warning,
                     QStringLiteral("the command did not stop within %1 s; sending %2")
                         .arg(m_options.cancelGraceMs / 1000.0)
                         .arg(signalName(signal))
                         .toUtf8(),
                     QString()});
    ::kill(m_child, signal);
    ++m_escalationStep;
    m_nextEscalationMs = m_escalationStep >= 2 ? 0 : Timestamp::nowMs() + m_options.cancelGraceMs;
}

int WrappedCommand::Impl::finish() {
    m_adapter->finish(*this);
    flushProgress(true);
    ExitStatus status;
    status.cancelRequested = m_cancelRequested;
    if (WIFEXITED(m_waitStatus))
        status.exitCode = WEXITSTATUS(m_waitStatus);
    else if (WIFSIGNALED(m_waitStatus))
        status.signal = WTERMSIG(m_waitStatus);
    status.reportedSignal = m_adapter->reportedStopSignal();
    const Outcome outcome = m_profile.outcome(status);
    EndPayload end;
    end.state = outcome.state;
    end.exitCode = status.exitCode;
    end.signal = status.signal;
    end.summary = outcome.summary;
    queue(std::move(end));
    flushOutbox(true);
    return status.signal ? 128 + *status.signal : status.exitCode.value_or(1);
}

int WrappedCommand::Impl::run() {
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        std::fprintf(stderr, "keepwatch-cli: cannot create a pipe: %s\n", std::strerror(errno));
        return 1;
    }
    installSignalHandlers();

    if (m_options.spoolDirectory.isEmpty())
        warnSpool(m_options.spoolProblem);
    else if (!m_spool.open(m_options.spoolDirectory, m_sessionId, SpoolWriter::Mode::CreateNew,
                           m_options.groupReadable ? SpoolWriter::Sharing::Group
                                                   : SpoolWriter::Sharing::Private))
        warnSpool(m_spool.errorString());

    QString spawnError;
    if (!spawn(spawnError)) {
        const int error = errno;
        writeStart();
        queue(LogPayload{LogLevel::Error, spawnError.toUtf8(), QString()});
        const int code = error == ENOENT ? 127 : 126; // as a shell would say
        queue(EndPayload{SessionState::Failed, code, std::nullopt, spawnError});
        flushOutbox();
        const QByteArray text = "keepwatch-cli: " + spawnError.toLocal8Bit() + '\n';
        writeAll(STDERR_FILENO, text.constData(), size_t(text.size()));
        return code;
    }
    writeStart();
    m_adapter->start(*this);
    flushOutbox();

    constexpr qint64 kDrainAfterExitMs = 1000;
    while (true) {
        handleSignals();
        // Done when the command was reaped and its pipes are closed, or a
        // second after it exited if something it started keeps them open.
        if (m_reaped
            && ((m_stdout < 0 && m_stderr < 0)
                || Timestamp::nowMs() - m_reapedAtMs > kDrainAfterExitMs))
            break;
        pollfd fds[3];
        nfds_t n = 0;
        fds[n++] = pollfd{g_signalPipe[0], POLLIN, 0};
        const nfds_t outIndex = m_stdout >= 0 ? n : nfds_t(-1);
        if (m_stdout >= 0)
            fds[n++] = pollfd{m_stdout, POLLIN, 0};
        const nfds_t errIndex = m_stderr >= 0 ? n : nfds_t(-1);
        if (m_stderr >= 0)
            fds[n++] = pollfd{m_stderr, POLLIN, 0};

        int timeout = -1;
        if (m_pendingProgress)
            timeout = int(kProgressIntervalMs);
        if (m_nextEscalationMs > 0)
            timeout = int(qBound(qint64(0), m_nextEscalationMs - Timestamp::nowMs(), qint64(1000)));
        if (m_adapter->ioMeasure() != OutputAdapter::IoMeasure::None)
            timeout =
                timeout < 0 ? int(kIoSampleIntervalMs) : qMin(timeout, int(kIoSampleIntervalMs));
        if (m_reaped)
            timeout = 100;
        const int ready = ::poll(fds, n, timeout);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready > 0) {
            if (outIndex != nfds_t(-1) && fds[outIndex].revents)
                pump(m_stdout, STDOUT_FILENO, OutputStream::Stdout);
            if (errIndex != nfds_t(-1) && fds[errIndex].revents)
                pump(m_stderr, STDERR_FILENO, OutputStream::Stderr);
        }
        if (!m_reaped && m_stdout < 0 && m_stderr < 0) {
            // Output closed: the command is ending (or closed its outputs and
            // goes on). Check without waiting; SIGCHLD wakes the loop anyway.
            reapIfExited();
        }
        if (!m_reaped && Timestamp::nowMs() - m_lastIoSampleMs >= kIoSampleIntervalMs)
            sampleIo();
        flushProgress(false);
        escalate();
        flushOutbox();
    }
    if (m_stdout >= 0)
        ::close(m_stdout);
    if (m_stderr >= 0)
        ::close(m_stderr);
    return finish();
}

// ---------------------------------------------------------------- facade

WrappedCommand::WrappedCommand(WrapOptions options)
    : m_options(std::move(options))
    , m_sessionId(m_options.sessionId.isEmpty() ? SessionId::generate() : m_options.sessionId) {}

WrappedCommand::~WrappedCommand() = default;

QString WrappedCommand::validate() const {
    if (m_options.command.isEmpty() || m_options.command.first().isEmpty())
        return QStringLiteral("no command given (usage: keepwatch-cli run [options] -- COMMAND "
                              "[ARGS...])");
    if (QString why = SessionId::validationError(m_sessionId); !why.isEmpty())
        return why;
    // A given ID must be new: appending a second run to an old session's
    // file would merge two sessions into one.
    const QString file = SpoolLocation::fileForSession(m_options.spoolDirectory, m_sessionId);
    if (!m_options.sessionId.isEmpty() && !m_options.spoolDirectory.isEmpty()
        && QFileInfo::exists(file))
        return QStringLiteral("session ID %1 is already in use (%2)")
            .arg(SessionId::quoted(m_sessionId), file);
    return {};
}

int WrappedCommand::run() {
    Impl impl(m_options, m_sessionId);
    return impl.run();
}

} // namespace kw
