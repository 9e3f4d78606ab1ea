// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArrayView>
#include <QString>
#include <qt_windows.h>

namespace kw {

// One of the command's output pipes on Windows, read without blocking the
// wrapper's loop. Anonymous pipes cannot do overlapped I/O, so this is a
// named pipe of its own (a unique name, one instance, local clients only):
// our end reads overlapped, with an event the loop waits on beside the
// process and the cancel event, as poll(2) does on Linux; the command's end
// is an ordinary synchronous, inheritable handle. One read is always
// outstanding, so the pipe pushes back on a command that writes faster than
// the wrapper reads, as a Linux pipe does.
class OutputPipe final {
public:
    OutputPipe() = default;
    ~OutputPipe();
    OutputPipe(const OutputPipe &) = delete;
    OutputPipe &operator=(const OutputPipe &) = delete;

    // Makes the pipe and starts the first read. The command's end goes to
    // `childEnd` (the caller closes it once the command has it). An error
    // message, empty on success.
    QString create(HANDLE &childEnd);

    enum class Read { Data, Pending, Closed };
    // What the outstanding read did: Data (in `bytes`, valid until the next
    // startRead()), Pending (the event will say when), or Closed (the
    // command's end and every copy of it are closed: end of file).
    Read poll(QByteArrayView &bytes);
    // Starts the next read after Data.
    void startRead();

    bool isOpen() const { return m_pipe != INVALID_HANDLE_VALUE; }
    // Signalled when the outstanding read has completed.
    HANDLE event() const { return m_event; }
    // Cancels the outstanding read and closes our end: the command's next
    // write fails, as after the reader of a pipe went away on Linux.
    void close();

private:
    HANDLE m_pipe = INVALID_HANDLE_VALUE;
    HANDLE m_event = nullptr;
    OVERLAPPED m_overlapped{};
    bool m_failed = false; // the last ReadFile failed at once (end of file)
    char m_buffer[65536];
};

} // namespace kw
