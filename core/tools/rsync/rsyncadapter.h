// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/lineadapter.h"

namespace kw {

// rsync 3.x (tests/fixtures/rsync):
// - `--info=progress2` prints whole-transfer records ending in '\r':
//   "245,042,449 100%   40.17MB/s    0:00:05 (xfr#2430, to-chk=0/2596)".
//   While `ir-chk` says the file list is still growing, the percent is of a
//   growing total and is not shown; `to-chk=A/B` gives files done of B.
// - `--progress` prints per-file records instead: bytes are summed over
//   finished files.
// - `--stats` ends with "Total transferred file size: N bytes" and "Number
//   of regular files transferred: N", rsync's own final counters.
// Exit codes and signals: RsyncProfile.
class RsyncAdapter final : public LineAdapter {
public:
    explicit RsyncAdapter(const QStringList &command);

    QString name() const override { return QStringLiteral("rsync"); }
    void start(AdapterSink &sink) override;
    void finish(AdapterSink &sink) override;

    // "40.17MB/s" -> bytes per second (rsync's units are 1024-based).
    static std::optional<double> parseRate(QStringView text);

protected:
    void line(OutputStream stream, QByteArrayView line, AdapterSink &sink) override;

private:
    bool progressRecord(QByteArrayView line, AdapterSink &sink);
    bool statsLine(QByteArrayView line);

    bool m_wholeTransfer = false; // --info=progress2
    bool m_perFile = false;       // --progress / -P
    qint64 m_finishedFilesBytes = 0;
    std::optional<qint64> m_statsBytes;
    std::optional<qint64> m_statsFiles;
    ProgressPayload m_last;
};

} // namespace kw
