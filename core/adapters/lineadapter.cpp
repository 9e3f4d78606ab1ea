// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapters/lineadapter.h"

#include "protocol/eventcodec.h"

namespace kw {

LineAdapter::LineAdapter(LineSplitter::CarriageReturn stdoutCarriageReturn)
    : m_stdout(Protocol::kMaxMessageBytes, stdoutCarriageReturn)
    , m_stderr(Protocol::kMaxMessageBytes) {}

void LineAdapter::feed(OutputStream stream, QByteArrayView bytes, AdapterSink &sink) {
    LineSplitter &splitter = stream == OutputStream::Stdout ? m_stdout : m_stderr;
    splitter.feed(bytes, [&](QByteArrayView l) { line(stream, l, sink); });
}

void LineAdapter::finish(AdapterSink &sink) {
    m_stdout.finish([&](QByteArrayView l) { line(OutputStream::Stdout, l, sink); });
    m_stderr.finish([&](QByteArrayView l) { line(OutputStream::Stderr, l, sink); });
}

} // namespace kw
