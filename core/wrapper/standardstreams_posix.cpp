// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "wrapper/standardstreams.h"

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace kw {

StreamWrite writeStandardStream(OutputStream stream, QByteArrayView bytes) {
    const int fd = stream == OutputStream::Stdout ? STDOUT_FILENO : STDERR_FILENO;
    const char *data = bytes.data();
    size_t size = size_t(bytes.size());
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                // Our stdout was left non-blocking by whoever shares it.
                pollfd p{fd, POLLOUT, 0};
                ::poll(&p, 1, 100);
                continue;
            }
            return errno == EPIPE ? StreamWrite::ReaderGone : StreamWrite::Failed;
        }
        data += n;
        size -= size_t(n);
    }
    return StreamWrite::Written;
}

} // namespace kw
