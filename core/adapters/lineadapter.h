// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/linesplitter.h"
#include "adapters/outputadapter.h"

namespace kw {

// An adapter that reads its tool's output line by line on both streams.
// Subclasses see complete, cleaned lines (ANSI sequences dropped, terminal
// redraws collapsed, endless lines cut into bounded pieces).
class LineAdapter : public OutputAdapter {
public:
    void feed(OutputStream stream, QByteArrayView bytes, AdapterSink &sink) final;
    void finish(AdapterSink &sink) override;

protected:
    explicit LineAdapter(
        LineSplitter::CarriageReturn stdoutCarriageReturn = LineSplitter::CarriageReturn::Redraws);
    virtual void line(OutputStream stream, QByteArrayView line, AdapterSink &sink) = 0;

private:
    LineSplitter m_stdout;
    LineSplitter m_stderr;
};

} // namespace kw
