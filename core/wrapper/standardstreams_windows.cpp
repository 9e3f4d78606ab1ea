// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "wrapper/standardstreams.h"

#include <qt_windows.h>

namespace kw {

StreamWrite writeStandardStream(OutputStream stream, QByteArrayView bytes) {
    // WriteFile on the handle itself, not the C runtime's stdout: its text
    // mode would turn every \n into \r\n, and the output is the command's,
    // already as it wants it.
    const HANDLE handle =
        ::GetStdHandle(stream == OutputStream::Stdout ? STD_OUTPUT_HANDLE : STD_ERROR_HANDLE);
    if (handle == nullptr || handle == INVALID_HANDLE_VALUE)
        return StreamWrite::Failed; // started without one (a GUI parent): nothing to write to
    const char *data = bytes.data();
    qsizetype size = bytes.size();
    while (size > 0) {
        const DWORD chunk = DWORD(qMin(size, qsizetype(1) << 30));
        DWORD written = 0;
        if (!::WriteFile(handle, data, chunk, &written, nullptr)) {
            const DWORD error = ::GetLastError();
            // A pipe whose reader closed it: ERROR_NO_DATA ("the pipe is
            // being closed") or ERROR_BROKEN_PIPE, Windows' EPIPE.
            return error == ERROR_NO_DATA || error == ERROR_BROKEN_PIPE ? StreamWrite::ReaderGone
                                                                        : StreamWrite::Failed;
        }
        if (written == 0)
            return StreamWrite::Failed; // would loop for ever
        data += written;
        size -= written;
    }
    return StreamWrite::Written;
}

} // namespace kw
