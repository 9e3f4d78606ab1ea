// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/cancelchannel.h"
#include "platform/signalnumbers.h"
#include "platform/windowserror.h"
#include "protocol/timestamp.h"
#include "wrapper/childrun.h"
#include "wrapper/consolecontrol_windows.h"
#include "wrapper/outputpipe_windows.h"
#include "wrapper/sessionrecorder.h"
#include "wrapper/standardstreams.h"
#include "wrapper/windowscommandline.h"

#include <QCoreApplication>
#include <QStringList>
#include <qt_windows.h>
#include <string>
#include <vector>

namespace kw {

namespace {

// The exit code TerminateJobObject gives the command's processes: 128+9,
// what a shell says of a command SIGKILL ended, and read back as that.
constexpr UINT kTerminatedExitCode = 128 + PosixSignal::Kill;
// What a process's default handler of Ctrl-C and Ctrl-Break exits with
// (NTSTATUS STATUS_CONTROL_C_EXIT): Windows' "ended by SIGINT".
constexpr DWORD kControlCExit = 0xC000013A;

// A handle closed when it goes out of scope.
class Handle final {
public:
    explicit Handle(HANDLE h = nullptr)
        : m_h(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
    ~Handle() { reset(); }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    void reset(HANDLE h = nullptr) {
        if (m_h)
            ::CloseHandle(m_h);
        m_h = h == INVALID_HANDLE_VALUE ? nullptr : h;
    }
    HANDLE get() const { return m_h; }
    explicit operator bool() const { return m_h != nullptr; }

private:
    HANDLE m_h;
};

bool sameName(const std::wstring &entry, const char *name) {
    const std::wstring wanted = QString::fromLatin1(name).toStdWString() + L'=';
    return entry.size() >= wanted.size()
           && ::CompareStringOrdinal(entry.c_str(), int(wanted.size()), wanted.c_str(),
                                     int(wanted.size()), TRUE)
                  == CSTR_EQUAL;
}

// Our environment without the session's variables, then the session's, as
// a block for CreateProcessW (UTF-16 "NAME=value" strings, each ended by a
// nul, the block by another one).
std::wstring environmentBlock(const SessionRecorder &recorder) {
    std::vector<std::wstring> entries;
    if (wchar_t *block = ::GetEnvironmentStringsW()) {
        for (const wchar_t *e = block; *e; e += wcslen(e) + 1) {
            std::wstring entry(e);
            if (!sameName(entry, SessionRecorder::kSessionIdVariable)
                && !sameName(entry, SessionRecorder::kSessionSpoolVariable))
                entries.push_back(std::move(entry));
        }
        ::FreeEnvironmentStringsW(block);
    }
    for (const auto &[name, value] : recorder.childEnvironment())
        entries.push_back(QString(QString::fromUtf8(name) + u'=' + value).toStdWString());
    std::wstring result;
    for (const std::wstring &e : entries) {
        result += e;
        result += L'\0';
    }
    result += L'\0';
    if (entries.empty())
        result += L'\0';
    return result;
}

// ---------------------------------------------------------------- the run

class WindowsChild final {
public:
    WindowsChild(const WrapOptions &options, SessionRecorder &recorder, QStringList warnings)
        : m_options(options)
        , m_recorder(recorder)
        , m_warnings(std::move(warnings)) {}

    int run();

private:
    bool spawn(QString &error, DWORD &errorCode);
    void openCancelChannel();
    void sampleIo();
    void checkExited();
    void pump(OutputPipe &pipe, OutputStream stream);
    void handleRequests();
    void requestCancel(const QString &reason, bool forward);
    void terminate(const QString &why);
    void escalate();
    ExitStatus exitStatus() const;

    const WrapOptions &m_options;
    SessionRecorder &m_recorder;
    // For the session's log, once the start event is written.
    QStringList m_warnings;

    Handle m_process;
    Handle m_job;
    DWORD m_pid = 0;
    OutputPipe m_stdout;
    OutputPipe m_stderr;
    Handle m_cancelEvent;
    bool m_exited = false;
    DWORD m_exitCode = 0;
    qint64 m_exitedAtMs = 0;
    qint64 m_lastIoSampleMs = 0;

    qint64 m_nextEscalationMs = 0; // when the job is ended unless the command stopped
    bool m_terminated = false;
};

bool WindowsChild::spawn(QString &error, DWORD &errorCode) {
    errorCode = 0;
    HANDLE outChild = INVALID_HANDLE_VALUE;
    HANDLE errChild = INVALID_HANDLE_VALUE;
    error = m_stdout.create(outChild);
    Handle outEnd(outChild);
    if (error.isEmpty())
        error = m_stderr.create(errChild);
    Handle errEnd(errChild);
    if (!error.isEmpty())
        return false;

    // stdin is the wrapper's, as on Linux: a copy the command can inherit.
    Handle inEnd;
    const HANDLE stdinHandle = ::GetStdHandle(STD_INPUT_HANDLE);
    if (stdinHandle && stdinHandle != INVALID_HANDLE_VALUE) {
        HANDLE copy = nullptr;
        if (::DuplicateHandle(::GetCurrentProcess(), stdinHandle, ::GetCurrentProcess(), &copy, 0,
                              TRUE, DUPLICATE_SAME_ACCESS))
            inEnd.reset(copy);
    }

    // Only these handles are inherited, whatever else of ours is inheritable.
    std::vector<HANDLE> inherited{outEnd.get(), errEnd.get()};
    if (inEnd)
        inherited.push_back(inEnd.get());
    SIZE_T attributesSize = 0;
    ::InitializeProcThreadAttributeList(nullptr, 1, 0, &attributesSize);
    std::vector<char> attributesStorage(attributesSize);
    auto *attributes = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attributesStorage.data());
    if (!::InitializeProcThreadAttributeList(attributes, 1, 0, &attributesSize)
        || !::UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                        inherited.data(), inherited.size() * sizeof(HANDLE),
                                        nullptr, nullptr)) {
        errorCode = ::GetLastError();
        error = QStringLiteral("cannot prepare to run %1: %2")
                    .arg(m_options.command.first(), windowsErrorText(errorCode));
        return false;
    }

    STARTUPINFOEXW startup{};
    startup.StartupInfo.cb = sizeof startup;
    startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    startup.StartupInfo.hStdInput = inEnd ? inEnd.get() : stdinHandle;
    startup.StartupInfo.hStdOutput = outEnd.get();
    startup.StartupInfo.hStdError = errEnd.get();
    startup.lpAttributeList = attributes;

    std::wstring commandLine = windowsCommandLine(m_options.command).toStdWString();
    std::wstring environment = environmentBlock(m_recorder);
    // Its own process group: the polite cancel (Ctrl-Break) goes to the
    // command's processes alone. Suspended until it is in the job, so that
    // nothing it starts escapes the job.
    const DWORD flags = CREATE_UNICODE_ENVIRONMENT | CREATE_NEW_PROCESS_GROUP | CREATE_SUSPENDED
                        | EXTENDED_STARTUPINFO_PRESENT;
    PROCESS_INFORMATION info{};
    const BOOL started =
        ::CreateProcessW(nullptr, commandLine.data(), nullptr, nullptr, TRUE, flags,
                         environment.data(), nullptr, &startup.StartupInfo, &info);
    if (!started)
        errorCode = ::GetLastError();
    ::DeleteProcThreadAttributeList(attributes);
    if (!started) {
        error = QStringLiteral("cannot run %1: %2")
                    .arg(m_options.command.first(), windowsErrorText(errorCode));
        return false;
    }
    m_process.reset(info.hProcess);
    m_pid = info.dwProcessId;

    // The job holds the command and everything it starts, so that a forced
    // stop ends them all (TerminateJobObject). Not KILL_ON_JOB_CLOSE: the
    // command outlives a wrapper that is killed, as on Linux; it dies with
    // the session only when a cancel asks for it.
    m_job.reset(::CreateJobObjectW(nullptr, nullptr));
    if (!m_job || !::AssignProcessToJobObject(m_job.get(), m_process.get())) {
        m_warnings.append(
            QStringLiteral("the command's processes are not in a job (%1): a forced stop "
                           "ends the command alone, not what it started")
                .arg(windowsErrorText(::GetLastError())));
        m_job.reset();
    }
    ::ResumeThread(info.hThread);
    ::CloseHandle(info.hThread);
    return true;
}

void WindowsChild::openCancelChannel() {
    // keepwatch-cli cancel sets this event (platform/cancelchannel.h): the
    // Windows twin of SIGUSR1. Manual reset: the loop's wait must not
    // consume it before the loop has looked at it; the loop resets it.
    const std::wstring name = cancelEventName(QCoreApplication::applicationPid()).toStdWString();
    m_cancelEvent.reset(::CreateEventW(nullptr, TRUE, FALSE, name.c_str()));
    if (!m_cancelEvent) {
        m_warnings.append(
            QStringLiteral("keepwatch-cli cancel cannot reach this session (the "
                           "event %1: %2)")
                .arg(QString::fromStdWString(name), windowsErrorText(::GetLastError())));
        return;
    }
    // A request left for an earlier process with our pid is not ours.
    if (::GetLastError() == ERROR_ALREADY_EXISTS)
        ::ResetEvent(m_cancelEvent.get());
}

void WindowsChild::sampleIo() {
    // For tools that print no progress: what the command has read or
    // written so far, Windows' /proc/PID/io.
    const OutputAdapter::IoMeasure measure = m_recorder.ioMeasure();
    if (measure == OutputAdapter::IoMeasure::None || !m_process)
        return;
    m_lastIoSampleMs = Timestamp::nowMs();
    IO_COUNTERS counters{};
    if (!::GetProcessIoCounters(m_process.get(), &counters))
        return;
    m_recorder.recordIoCounter(qint64(measure == OutputAdapter::IoMeasure::BytesWritten
                                          ? counters.WriteTransferCount
                                          : counters.ReadTransferCount));
}

void WindowsChild::checkExited() {
    if (m_exited || ::WaitForSingleObject(m_process.get(), 0) != WAIT_OBJECT_0)
        return;
    // The handle keeps the ended process's counters: its final ones.
    sampleIo();
    if (!::GetExitCodeProcess(m_process.get(), &m_exitCode))
        m_exitCode = 1;
    m_exited = true;
    m_exitedAtMs = Timestamp::nowMs();
}

void WindowsChild::pump(OutputPipe &pipe, OutputStream stream) {
    // At most 16 reads per turn, as on Linux: the loop must still write the
    // spool, handle requests and check its child.
    for (int reads = 0; reads < 16 && pipe.isOpen(); ++reads) {
        QByteArrayView bytes;
        switch (pipe.poll(bytes)) {
        case OutputPipe::Read::Pending:
            return;
        case OutputPipe::Read::Closed:
            pipe.close();
            return;
        case OutputPipe::Read::Data:
            break;
        }
        if (writeStandardStream(stream, bytes) == StreamWrite::ReaderGone) {
            // Our reader went away (`... | more`): let the command see that
            // too, as it would have without the wrapper.
            m_recorder.feed(stream, bytes);
            pipe.close();
            return;
        }
        m_recorder.feed(stream, bytes);
        pipe.startRead();
    }
}

void WindowsChild::terminate(const QString &why) {
    m_recorder.logWarning(why);
    m_terminated = true;
    m_nextEscalationMs = 0;
    if (m_job)
        ::TerminateJobObject(m_job.get(), kTerminatedExitCode);
    else
        ::TerminateProcess(m_process.get(), kTerminatedExitCode);
}

void WindowsChild::requestCancel(const QString &reason, bool forward) {
    m_recorder.recordCancelRequest(reason);
    if (!forward || m_exited || m_terminated)
        return;
    // The command's group, on the console we share.
    if (!::GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, m_pid))
        terminate(QStringLiteral("cannot send the command Ctrl-Break (%1); ending its processes")
                      .arg(windowsErrorText(::GetLastError())));
}

void WindowsChild::handleRequests() {
    if (m_cancelEvent && ::WaitForSingleObject(m_cancelEvent.get(), 0) == WAIT_OBJECT_0) {
        // Requests made before this reset count as this one, as signals
        // pending together are delivered once.
        ::ResetEvent(m_cancelEvent.get());
        // keepwatch-cli cancel: Ctrl-Break, the clean stop of console
        // programs (restic and borg remove their locks on it); the job is
        // ended after the grace period.
        requestCancel(QStringLiteral("cancel requested; sent Ctrl-Break"), true);
        if (m_nextEscalationMs == 0 && !m_terminated)
            m_nextEscalationMs = Timestamp::nowMs() + m_options.cancelGraceMs;
    }
    const ConsoleControl::Notes notes = ConsoleControl::take();
    // The command's group ignores Ctrl-C (CREATE_NEW_PROCESS_GROUP turns it
    // off): pass it on as Ctrl-Break. A Ctrl-Break typed in the console
    // reached the command too, but one sent to our group alone did not, and
    // the two cannot be told apart: passed on, a second one beats none.
    if (notes.ctrlC)
        requestCancel(QStringLiteral("received Ctrl-C"), true);
    if (notes.ctrlBreak)
        requestCancel(QStringLiteral("received Ctrl-Break"), true);
    // Every process of a closing console is told so itself.
    if (notes.closing == CTRL_CLOSE_EVENT)
        requestCancel(QStringLiteral("the console was closed"), false);
    else if (notes.closing)
        requestCancel(QStringLiteral("the user is logging off or the system is shutting down"),
                      false);
}

void WindowsChild::escalate() {
    if (m_nextEscalationMs == 0 || m_exited || Timestamp::nowMs() < m_nextEscalationMs)
        return;
    terminate(QStringLiteral("the command did not stop within %1 s; ending its processes")
                  .arg(m_options.cancelGraceMs / 1000.0));
}

ExitStatus WindowsChild::exitStatus() const {
    ExitStatus status;
    if (m_terminated && m_exitCode == kTerminatedExitCode)
        status.signal = PosixSignal::Kill;
    else if (m_exitCode == kControlCExit)
        status.signal = PosixSignal::Int;
    else
        status.exitCode = int(m_exitCode);
    return status;
}

int WindowsChild::run() {
    // Before the start event names our pid: a cancel that read it finds
    // the event.
    openCancelChannel();
    QString spawnError;
    DWORD error = 0;
    if (!spawn(spawnError, error)) {
        // As a shell would say: 127 not found, 126 found but not run.
        const bool notFound = error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND
                              || error == ERROR_INVALID_NAME || error == ERROR_BAD_PATHNAME;
        return m_recorder.recordSpawnFailure(spawnError, notFound ? 127 : 126);
    }
    m_recorder.recordStart(qint64(m_pid));
    for (const QString &warning : std::as_const(m_warnings))
        m_recorder.logWarning(warning);

    while (true) {
        handleRequests();
        checkExited();
        // Done when the command ended and its pipes are closed, or a second
        // after it ended if something it started keeps them open.
        if (m_exited
            && ((!m_stdout.isOpen() && !m_stderr.isOpen())
                || Timestamp::nowMs() - m_exitedAtMs > SessionRecorder::kDrainAfterExitMs))
            break;
        HANDLE handles[5];
        DWORD n = 0;
        if (m_cancelEvent)
            handles[n++] = m_cancelEvent.get();
        if (ConsoleControl::event())
            handles[n++] = ConsoleControl::event();
        if (!m_exited)
            handles[n++] = m_process.get();
        if (m_stdout.isOpen())
            handles[n++] = m_stdout.event();
        if (m_stderr.isOpen())
            handles[n++] = m_stderr.event();

        constexpr qint64 kIoSampleIntervalMs = SessionRecorder::kIoSampleIntervalMs;
        qint64 timeout = -1;
        if (m_recorder.hasPendingProgress())
            timeout = SessionRecorder::kProgressIntervalMs;
        if (m_nextEscalationMs > 0)
            timeout = qBound(qint64(0), m_nextEscalationMs - Timestamp::nowMs(), qint64(1000));
        if (m_recorder.ioMeasure() != OutputAdapter::IoMeasure::None)
            timeout = timeout < 0 ? kIoSampleIntervalMs : qMin(timeout, kIoSampleIntervalMs);
        if (m_exited)
            timeout = 100;
        if (::WaitForMultipleObjects(n, handles, FALSE, timeout < 0 ? INFINITE : DWORD(timeout))
            == WAIT_FAILED)
            break;
        // Whatever woke the loop, each source is checked without waiting.
        pump(m_stdout, OutputStream::Stdout);
        pump(m_stderr, OutputStream::Stderr);
        checkExited();
        if (!m_exited && Timestamp::nowMs() - m_lastIoSampleMs >= kIoSampleIntervalMs)
            sampleIo();
        m_recorder.writeThrottledProgress();
        escalate();
        m_recorder.writeQueued();
    }
    m_stdout.close();
    m_stderr.close();
    const int status = m_recorder.finish(exitStatus());
    ConsoleControl::sessionEnded();
    return status;
}

} // namespace

int runChild(const WrapOptions &options, SessionRecorder &recorder) {
    // Without it Ctrl-C ends the wrapper before the session's end is written.
    QStringList warnings;
    if (!ConsoleControl::install())
        warnings.append(QStringLiteral("Ctrl-C and Ctrl-Break to keepwatch-cli are not handled "
                                       "(%1)")
                            .arg(windowsErrorText(::GetLastError())));
    recorder.openSpool();
    WindowsChild child(options, recorder, std::move(warnings));
    return child.run();
}

} // namespace kw
