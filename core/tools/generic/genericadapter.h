// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/lineadapter.h"

namespace kw {

// Any command: each output line is a log line. stdout lines are `info`,
// stderr lines `warning`; a line that reads like an error (error, fatal,
// failed, cannot, permission denied, ...) is `error` on either stream, one
// that reads like a warning is `warning`. Exit codes: GenericProfile.
class GenericAdapter : public LineAdapter {
public:
    GenericAdapter() = default;

    QString name() const override { return QStringLiteral("generic"); }

    static LogLevel classify(QByteArrayView line, OutputStream stream);

protected:
    // For tools whose progress records end in '\r' (wbadmin): each one is a line.
    explicit GenericAdapter(LineSplitter::CarriageReturn stdoutCarriageReturn)
        : LineAdapter(stdoutCarriageReturn) {}

    void line(OutputStream stream, QByteArrayView line, AdapterSink &sink) override {
        sink.log(classify(line, stream), line, stream);
    }
};

} // namespace kw
