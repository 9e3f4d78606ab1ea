#pragma once

#include "adapters/linesplitter.h"
#include "adapters/outputadapter.h"

namespace kw {

// Any command: each output line is a log line. stdout lines are `info`,
// stderr lines `warning`; a line that reads like an error (error, fatal,
// failed, cannot, permission denied, ...) is `error` on either stream, one
// that reads like a warning is `warning`. Exit 0 succeeds, anything else fails.
class GenericAdapter : public OutputAdapter {
public:
    GenericAdapter();

    QString name() const override { return QStringLiteral("generic"); }
    void feed(OutputStream stream, QByteArrayView bytes, AdapterSink &sink) override;
    void finish(AdapterSink &sink) override;

    static LogLevel classify(QByteArrayView line, OutputStream stream);

private:
    LineSplitter m_stdout;
    LineSplitter m_stderr;
};

} // namespace kw
