// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/lineadapter.h"
#include "tools/commandline.h"

namespace kw {

// restic 0.14 (docs/adapters.md, tests/fixtures/restic):
// - `backup --json`: status lines on stdout become progress (percent only
//   once the scan has finished and restic computes seconds_remaining), the
//   summary line gives the final counters (total_bytes_processed,
//   total_files_processed) and a log line naming the snapshot;
// - stderr mixes `{"message_type":"error"}` JSON with plain text: the JSON
//   becomes an error line naming the operation, path and errno;
// - `restore` prints no progress in 0.14: the wrapper measures the bytes it
//   writes from /proc; `check`, `prune`, `forget` are logged, their text
//   progress lines (`[0:09] 100.00%  16 / 16 packs`) become progress;
// Exit codes, signals and the lock: ResticProfile.
class ResticAdapter final : public LineAdapter {
public:
    explicit ResticAdapter(const QStringList &command);

    QString name() const override { return QStringLiteral("restic"); }
    void start(AdapterSink &sink) override;
    QList<std::pair<QByteArray, QByteArray>> defaultEnvironment() const override;
    IoMeasure ioMeasure() const override;

    // "5.722 MiB" -> bytes (restic's text sizes are 1024-based).
    static std::optional<qint64> parseSize(QStringView text);

protected:
    void line(OutputStream stream, QByteArrayView line, AdapterSink &sink) override;

private:
    void jsonLine(const QJsonObject &object, QByteArrayView raw, AdapterSink &sink);
    bool textProgress(QByteArrayView line, AdapterSink &sink);
    bool textSummary(QByteArrayView line, AdapterSink &sink);

    CommandLineInfo m_info;
    bool m_json = false;
};

} // namespace kw
