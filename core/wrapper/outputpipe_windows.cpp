// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "wrapper/outputpipe_windows.h"

#include "platform/privateacl_windows.h"

#include <atomic>

namespace kw {

namespace {

std::atomic<int> g_pipeCount{0};

} // namespace

OutputPipe::~OutputPipe() {
    close();
}

QString OutputPipe::create(HANDLE &childEnd) {
    childEnd = INVALID_HANDLE_VALUE;
    // Unique within the machine: our pid, a counter and the time. A name
    // already taken fails (FILE_FLAG_FIRST_PIPE_INSTANCE) instead of joining
    // someone else's pipe.
    const std::wstring name = QStringLiteral("\\\\.\\pipe\\keepwatch-%1-%2-%3")
                                  .arg(::GetCurrentProcessId())
                                  .arg(g_pipeCount.fetch_add(1))
                                  .arg(::GetTickCount64())
                                  .toStdWString();
    m_event = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
    if (!m_event)
        return QStringLiteral("cannot create an event: %1").arg(windowsErrorText(::GetLastError()));
    m_pipe = ::CreateNamedPipeW(
        name.c_str(), PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
        PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1, 0,
        DWORD(sizeof m_buffer), 0, nullptr);
    if (m_pipe == INVALID_HANDLE_VALUE)
        return QStringLiteral("cannot create a pipe: %1").arg(windowsErrorText(::GetLastError()));
    SECURITY_ATTRIBUTES inheritable{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    // FILE_READ_ATTRIBUTES: the command may ask what its stdout is.
    childEnd = ::CreateFileW(name.c_str(), GENERIC_WRITE | FILE_READ_ATTRIBUTES, 0, &inheritable,
                             OPEN_EXISTING, 0, nullptr);
    if (childEnd == INVALID_HANDLE_VALUE) {
        const DWORD error = ::GetLastError();
        close();
        return QStringLiteral("cannot open a pipe: %1").arg(windowsErrorText(error));
    }
    startRead();
    return {};
}

void OutputPipe::startRead() {
    // ReadFile resets the event; it is set again when the read completes,
    // also when it completes at once.
    m_overlapped = OVERLAPPED{};
    m_overlapped.hEvent = m_event;
    m_failed = false;
    if (!::ReadFile(m_pipe, m_buffer, DWORD(sizeof m_buffer), nullptr, &m_overlapped)
        && ::GetLastError() != ERROR_IO_PENDING) {
        // Nothing was queued (ERROR_BROKEN_PIPE: the writers are gone):
        // wake the loop to find out.
        m_failed = true;
        ::SetEvent(m_event);
    }
}

OutputPipe::Read OutputPipe::poll(QByteArrayView &bytes) {
    if (!isOpen() || m_failed)
        return Read::Closed;
    DWORD n = 0;
    if (!::GetOverlappedResult(m_pipe, &m_overlapped, &n, FALSE)) {
        // ERROR_BROKEN_PIPE at the end; any other error ends the output too.
        return ::GetLastError() == ERROR_IO_INCOMPLETE ? Read::Pending : Read::Closed;
    }
    bytes = QByteArrayView(m_buffer, qsizetype(n));
    return Read::Data;
}

void OutputPipe::close() {
    if (m_pipe != INVALID_HANDLE_VALUE) {
        // The read in flight writes into m_buffer: wait until it is over.
        DWORD n = 0;
        if (!m_failed && ::CancelIoEx(m_pipe, &m_overlapped))
            ::GetOverlappedResult(m_pipe, &m_overlapped, &n, TRUE);
        ::CloseHandle(m_pipe);
        m_pipe = INVALID_HANDLE_VALUE;
    }
    if (m_event) {
        ::CloseHandle(m_event);
        m_event = nullptr;
    }
}

} // namespace kw
