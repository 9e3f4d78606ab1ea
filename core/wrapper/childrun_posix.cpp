// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "protocol/timestamp.h"
#include "tools/toolprofile.h"
#include "wrapper/childrun.h"
#include "wrapper/sessionrecorder.h"
#include "wrapper/standardstreams.h"

#include <QFile>
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

QString errnoText(int error) {
    return QString::fromLocal8Bit(std::strerror(error));
}

// ---------------------------------------------------------------- the run

class PosixChild final {
public:
    PosixChild(const WrapOptions &options, SessionRecorder &recorder)
        : m_options(options)
        , m_recorder(recorder) {}

    int run();

private:
    bool spawn(QString &error);
    void sampleIo();
    void reapIfExited();
    void pump(int &fd, OutputStream stream);
    void handleSignals();
    void requestCancel(const QString &reason, int signal, bool forward);
    void escalate();
    ExitStatus exitStatus() const;

    const WrapOptions &m_options;
    SessionRecorder &m_recorder;

    pid_t m_child = -1;
    int m_stdout = -1;
    int m_stderr = -1;
    bool m_reaped = false;
    int m_waitStatus = 0;
    qint64 m_reapedAtMs = 0;
    qint64 m_lastIoSampleMs = 0;

    int m_escalationStep = 0; // 0 none, 1 SIGTERM sent or due, 2 SIGKILL
    qint64 m_nextEscalationMs = 0;
};

bool PosixChild::spawn(QString &error) {
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

    // Our environment (as bytes, whatever their encoding) without the
    // session's variables, then the session's.
    std::vector<std::string> envStorage;
    const std::string idVar = std::string(SessionRecorder::kSessionIdVariable) + '=';
    const std::string spoolVar = std::string(SessionRecorder::kSessionSpoolVariable) + '=';
    for (char **e = environ; e && *e; ++e) {
        if (std::strncmp(*e, idVar.c_str(), idVar.size()) != 0
            && std::strncmp(*e, spoolVar.c_str(), spoolVar.size()) != 0)
            envStorage.emplace_back(*e);
    }
    for (const auto &[name, value] : m_recorder.childEnvironment())
        envStorage.push_back(name.toStdString() + '=' + QFile::encodeName(value).toStdString());
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

void PosixChild::sampleIo() {
    // For tools that print no progress (restic 0.14 restore): what the
    // command has read or written so far, from /proc/PID/io.
    const OutputAdapter::IoMeasure measure = m_recorder.ioMeasure();
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
            m_recorder.recordIoCounter(line.mid(key.size()).toLongLong());
            return;
        }
    }
}

void PosixChild::reapIfExited() {
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

void PosixChild::pump(int &fd, OutputStream stream) {
    char buffer[65536];
    // At most 1 MiB per call: a command that writes faster than we read
    // (a shell loop of echo) never lets read() return EAGAIN, and the loop
    // must still write the spool, handle signals and check its child.
    for (int reads = 0; reads < 16; ++reads) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            const QByteArrayView bytes(buffer, n);
            if (writeStandardStream(stream, bytes) == StreamWrite::ReaderGone) {
                // Our reader went away (`... | head`): let the command see
                // that too, as it would have without the wrapper.
                m_recorder.feed(stream, bytes);
                ::close(fd);
                fd = -1;
                return;
            }
            m_recorder.feed(stream, bytes);
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

void PosixChild::requestCancel(const QString &reason, int signal, bool forward) {
    m_recorder.recordCancelRequest(reason);
    if (forward && m_child > 0 && !m_reaped)
        ::kill(m_child, signal);
}

void PosixChild::handleSignals() {
    SignalNote note;
    while (::read(g_signalPipe[0], &note, sizeof note) == ssize_t(sizeof note)) {
        switch (note.signo) {
        case SIGCHLD:
            reapIfExited();
            break;
        case SIGUSR1: {
            // keepwatch-cli cancel: the tool's clean stop first, force later.
            const int first = m_recorder.profile().cancelSignal();
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

void PosixChild::escalate() {
    if (m_nextEscalationMs == 0 || m_reaped || Timestamp::nowMs() < m_nextEscalationMs)
        return;
    const int signal = m_escalationStep == 0 ? SIGTERM : SIGKILL;
    m_recorder.logWarning(QStringLiteral("the command did not stop within %1 s; sending %2")
                              .arg(m_options.cancelGraceMs / 1000.0)
                              .arg(signalName(signal)));
    ::kill(m_child, signal);
    ++m_escalationStep;
    m_nextEscalationMs = m_escalationStep >= 2 ? 0 : Timestamp::nowMs() + m_options.cancelGraceMs;
}

ExitStatus PosixChild::exitStatus() const {
    ExitStatus status;
    if (WIFEXITED(m_waitStatus))
        status.exitCode = WEXITSTATUS(m_waitStatus);
    else if (WIFSIGNALED(m_waitStatus))
        status.signal = WTERMSIG(m_waitStatus);
    return status;
}

int PosixChild::run() {
    QString spawnError;
    if (!spawn(spawnError)) {
        const int code = errno == ENOENT ? 127 : 126; // as a shell would say
        return m_recorder.recordSpawnFailure(spawnError, code);
    }
    m_recorder.recordStart(m_child);

    while (true) {
        handleSignals();
        // Done when the command was reaped and its pipes are closed, or a
        // second after it exited if something it started keeps them open.
        if (m_reaped
            && ((m_stdout < 0 && m_stderr < 0)
                || Timestamp::nowMs() - m_reapedAtMs > SessionRecorder::kDrainAfterExitMs))
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

        constexpr int kProgressIntervalMs = int(SessionRecorder::kProgressIntervalMs);
        constexpr int kIoSampleIntervalMs = int(SessionRecorder::kIoSampleIntervalMs);
        int timeout = -1;
        if (m_recorder.hasPendingProgress())
            timeout = kProgressIntervalMs;
        if (m_nextEscalationMs > 0)
            timeout = int(qBound(qint64(0), m_nextEscalationMs - Timestamp::nowMs(), qint64(1000)));
        if (m_recorder.ioMeasure() != OutputAdapter::IoMeasure::None)
            timeout = timeout < 0 ? kIoSampleIntervalMs : qMin(timeout, kIoSampleIntervalMs);
        if (m_reaped)
            timeout = 100;
        const int ready = ::poll(fds, n, timeout);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready > 0) {
            if (outIndex != nfds_t(-1) && fds[outIndex].revents)
                pump(m_stdout, OutputStream::Stdout);
            if (errIndex != nfds_t(-1) && fds[errIndex].revents)
                pump(m_stderr, OutputStream::Stderr);
        }
        if (!m_reaped && m_stdout < 0 && m_stderr < 0) {
            // Output closed: the command is ending (or closed its outputs and
            // goes on). Check without waiting; SIGCHLD wakes the loop anyway.
            reapIfExited();
        }
        if (!m_reaped && Timestamp::nowMs() - m_lastIoSampleMs >= kIoSampleIntervalMs)
            sampleIo();
        m_recorder.writeThrottledProgress();
        escalate();
        m_recorder.writeQueued();
    }
    if (m_stdout >= 0)
        ::close(m_stdout);
    if (m_stderr >= 0)
        ::close(m_stderr);
    return m_recorder.finish(exitStatus());
}

} // namespace

int runChild(const WrapOptions &options, SessionRecorder &recorder) {
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        std::fprintf(stderr, "keepwatch-cli: cannot create a pipe: %s\n", std::strerror(errno));
        return 1;
    }
    installSignalHandlers();
    recorder.openSpool();
    PosixChild child(options, recorder);
    return child.run();
}

} // namespace kw
