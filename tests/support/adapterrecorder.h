// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/outputadapter.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QStringList>

namespace kw::test {

// Everything an output adapter said, in order: what the adapter tests
// (generic, per tool, wbadmin) check.
class AdapterRecorder final : public AdapterSink {
public:
    struct Line {
        LogLevel level;
        QByteArray text;
        OutputStream stream;
    };

    QList<Line> lines;
    QList<ProgressPayload> updates;

    void log(LogLevel level, QByteArrayView message, OutputStream stream) override {
        lines.append(Line{level, message.toByteArray(), stream});
    }
    void progress(const ProgressPayload &p) override { updates.append(p); }
    void state(SessionState, const QString &) override {}

    // Whether a line at `level` contains `part`.
    bool logged(const QByteArray &part, LogLevel level) const {
        for (const Line &l : lines) {
            if (l.level == level && l.text.contains(part))
                return true;
        }
        return false;
    }
    // The highest level logged (Debug when nothing was).
    LogLevel worst() const {
        LogLevel w = LogLevel::Debug;
        for (const Line &l : lines)
            w = qMax(w, l.level);
        return w;
    }
    // The session's progress as a store would fold it: field by field.
    ProgressPayload folded() const {
        ProgressPayload f;
        for (const ProgressPayload &p : updates) {
            if (p.percent)
                f.percent = p.percent;
            if (p.bytesDone)
                f.bytesDone = p.bytesDone;
            if (p.bytesTotal)
                f.bytesTotal = p.bytesTotal;
            if (p.filesDone)
                f.filesDone = p.filesDone;
            if (p.filesTotal)
                f.filesTotal = p.filesTotal;
            if (!p.current.isEmpty())
                f.current = p.current;
        }
        return f;
    }
};

// `bytes` fed to `adapter` in pieces of `chunk` bytes, as a pipe may deliver them.
inline void feedInPieces(OutputAdapter &adapter, AdapterSink &sink, OutputStream stream,
                         const QByteArray &bytes, qsizetype chunk) {
    for (qsizetype i = 0; i < bytes.size(); i += chunk)
        adapter.feed(stream, QByteArrayView(bytes).sliced(i, qMin(chunk, bytes.size() - i)), sink);
}

} // namespace kw::test
