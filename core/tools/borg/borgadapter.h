// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/lineadapter.h"
#include "tools/commandline.h"

#include <QByteArray>

namespace kw {

// borg 1.2 (tests/fixtures/borg):
// - `--log-json --progress` turns stderr into JSON lines: archive_progress
//   (create: bytes and files so far, no total: borg does not pre-scan, so no
//   percent), progress_percent (extract, check, ...: a real percent),
//   progress_message, log_message (levelname), file_status (--list);
// - the `--json` result on stdout is one pretty-printed object over many
//   lines: it is read whole at the end and gives the final counters
//   (archive.stats.nfiles and original_size) and the archive's name;
// - "Got Ctrl-C / SIGINT." is reported (reportedStopSignal): borg then
//   exits rc 2. Exit codes and signals: BorgProfile.
class BorgAdapter final : public LineAdapter {
public:
    explicit BorgAdapter(const QStringList &command);

    QString name() const override { return QStringLiteral("borg"); }
    void start(AdapterSink &sink) override;
    void finish(AdapterSink &sink) override;
    // SIGINT when borg logged "Got Ctrl-C / SIGINT." (it then exits rc 2).
    std::optional<int> reportedStopSignal() const override { return m_stopSignal; }

protected:
    void line(OutputStream stream, QByteArrayView line, AdapterSink &sink) override;

private:
    void logJson(const QJsonObject &object, AdapterSink &sink);
    void result(const QJsonObject &object, AdapterSink &sink);
    void noteStop(const QString &message);

    CommandLineInfo m_info;
    bool m_logJson = false;
    bool m_progress = false;
    // stdout that looks like the --json result, kept until the end (bounded).
    QByteArray m_result;
    bool m_collecting = false;
    std::optional<int> m_stopSignal;
};

} // namespace kw
