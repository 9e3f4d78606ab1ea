// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/restic/resticadapter.h"

#include "tools/generic/genericadapter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <cmath>
#include <cstring>

namespace kw {

namespace {

std::optional<qint64> integer(const QJsonObject &o, QLatin1String key) {
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return std::nullopt;
    // A counter is a whole number from 0 to 2^53: anything else (1e19 from a
    // corrupt line overflowed the conversion; a negative one made a spool
    // line the reader rejects) is not a counter.
    const double d = v.toDouble();
    if (!(d >= 0.0 && d <= 9007199254740992.0))
        return std::nullopt;
    return qint64(d);
}

QString bytes(qint64 n) {
    return QLocale::c().formattedDataSize(n, 1, QLocale::DataSizeIecFormat);
}

} // namespace

ResticAdapter::ResticAdapter(const QStringList &command)
    : m_info(CommandLineInfo::inspect(command))
    , m_json(command.contains(QLatin1String("--json"))) {}

void ResticAdapter::start(AdapterSink &sink) {
    if (m_info.subcommand == QLatin1String("backup") && !m_json)
        sink.log(LogLevel::Info,
                 "restic runs without --json: Keepwatch reads its text status lines; --json "
                 "gives exact byte counts and the current file",
                 OutputStream::Stderr);
    if (m_info.subcommand == QLatin1String("restore"))
        sink.log(LogLevel::Info,
                 "restic 0.14 reports no restore progress: Keepwatch shows the bytes it has "
                 "written so far",
                 OutputStream::Stderr);
}

QList<std::pair<QByteArray, QByteArray>> ResticAdapter::defaultEnvironment() const {
    // Unset, restic prints up to 60 status lines a second with --json and
    // none at all in text mode when stdout is not a terminal; 4 is plenty.
    return {{QByteArrayLiteral("RESTIC_PROGRESS_FPS"), QByteArrayLiteral("4")}};
}

OutputAdapter::IoMeasure ResticAdapter::ioMeasure() const {
    return m_info.subcommand == QLatin1String("restore") ? IoMeasure::BytesWritten
                                                         : IoMeasure::None;
}

std::optional<qint64> ResticAdapter::parseSize(QStringView text) {
    // restic's text sizes: "0 B", "97.656 KiB", "5.722 MiB" (1024-based).
    static const QRegularExpression re(QStringLiteral("^([\\d.]+) ([KMGTP]?)i?B$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    bool ok = false;
    double value = m.captured(1).toDouble(&ok);
    if (!ok)
        return std::nullopt; // "1.2.3 MiB"
    const QString unit = m.captured(2);
    const int power = unit.isEmpty() ? 0 : int(QStringLiteral("KMGTP").indexOf(unit)) + 1;
    for (int i = 0; i < power; ++i)
        value *= 1024.0;
    // More than a qint64 holds is no size restic printed (llround would
    // make it negative: fuzz_restic found it).
    if (!(value < 9.0e18))
        return std::nullopt;
    return qint64(std::llround(value));
}

bool ResticAdapter::textProgress(QByteArrayView line, AdapterSink &sink) {
    if (!line.startsWith('['))
        return false;
    const QString text = QString::fromUtf8(line);
    // check/prune: "[0:09] 100.00%  16 / 16 packs"
    static const QRegularExpression counted(QStringLiteral(
        "^\\[(?:\\d+:)?\\d+:\\d\\d\\]\\s+(\\d+(?:\\.\\d+)?)%\\s+(\\d+)\\s*/\\s*(\\d+)\\s+(.*)$"));
    if (const QRegularExpressionMatch m = counted.match(text); m.hasMatch()) {
        ProgressPayload p;
        p.percent = qBound(0.0, m.captured(1).toDouble(), 100.0);
        p.current = m.captured(4);
        sink.progress(p);
        return true;
    }
    // backup without --json (RESTIC_PROGRESS_FPS set):
    // "[0:01] 12.34%  60 files 5.722 MiB, total 600 files 57.2 MiB, 0 errors ETA 0:10"
    static const QRegularExpression backup(QStringLiteral(
        "^\\[(?:\\d+:)?\\d+:\\d\\d\\]\\s+(?:(\\d+(?:\\.\\d+)?)%\\s+)?(\\d+) files ([\\d.]+ \\S*B), "
        "total (\\d+) files ([\\d.]+ \\S*B), (\\d+) errors(?: ETA (?:(\\d+):)?(\\d+):(\\d\\d))?"));
    const QRegularExpressionMatch m = backup.match(text);
    if (!m.hasMatch())
        return false;
    ProgressPayload p;
    if (m.capturedLength(1) > 0)
        p.percent = qBound(0.0, m.captured(1).toDouble(), 100.0);
    p.filesDone = m.captured(2).toLongLong();
    p.bytesDone = parseSize(m.capturedView(3));
    p.filesTotal = m.captured(4).toLongLong();
    p.bytesTotal = parseSize(m.capturedView(5));
    if (m.capturedLength(8) > 0)
        p.etaSeconds = m.captured(7).toLongLong() * 3600 + m.captured(8).toLongLong() * 60
                       + m.captured(9).toLongLong();
    sink.progress(p);
    return true;
}

bool ResticAdapter::textSummary(QByteArrayView line, AdapterSink &sink) {
    // "processed 60 files, 5.722 MiB in 0:03": restic's own final counters
    // in text mode (bytes rounded as restic prints them).
    static const QRegularExpression re(
        QStringLiteral("^processed (\\d+) files, ([\\d.]+ \\S*B) in "));
    const QRegularExpressionMatch m = re.match(QString::fromUtf8(line));
    if (!m.hasMatch())
        return false;
    ProgressPayload p;
    p.filesDone = m.captured(1).toLongLong();
    p.filesTotal = p.filesDone;
    p.bytesDone = parseSize(m.capturedView(2));
    p.bytesTotal = p.bytesDone;
    p.percent = 100.0;
    sink.progress(p);
    return true;
}

void ResticAdapter::jsonLine(const QJsonObject &o, QByteArrayView raw, AdapterSink &sink) {
    const QString type = o.value(QLatin1String("message_type")).toString();
    if (type == QLatin1String("status") && o.contains(QLatin1String("action"))) {
        // -vv: "scan_finished" has another shape under the same type.
        sink.log(LogLevel::Debug,
                 QStringLiteral("scan finished: %1 files, %2")
                     .arg(integer(o, QLatin1String("total_files")).value_or(0))
                     .arg(bytes(integer(o, QLatin1String("data_size")).value_or(0)))
                     .toUtf8(),
                 OutputStream::Stdout);
    } else if (type == QLatin1String("status")) {
        ProgressPayload p;
        p.bytesDone = integer(o, QLatin1String("bytes_done")).value_or(0);
        p.bytesTotal = integer(o, QLatin1String("total_bytes"));
        p.filesDone = integer(o, QLatin1String("files_done")).value_or(0);
        p.filesTotal = integer(o, QLatin1String("total_files"));
        p.etaSeconds = integer(o, QLatin1String("seconds_remaining"));
        const double done = o.value(QLatin1String("percent_done")).toDouble();
        // Before the scan ends the total still grows: no percent until
        // restic can estimate the time left (or is done).
        if (p.etaSeconds || done >= 1.0)
            p.percent = qBound(0.0, done * 100.0, 100.0);
        const QJsonArray current = o.value(QLatin1String("current_files")).toArray();
        if (!current.isEmpty())
            p.current = current.first().toString();
        sink.progress(p);
    } else if (type == QLatin1String("verbose_status")) {
        sink.log(LogLevel::Debug,
                 (o.value(QLatin1String("action")).toString() + QLatin1Char(' ')
                  + o.value(QLatin1String("item")).toString())
                     .toUtf8(),
                 OutputStream::Stdout);
    } else if (type == QLatin1String("summary")) {
        // The tool's own final counters are the session's.
        ProgressPayload p;
        p.bytesDone = integer(o, QLatin1String("total_bytes_processed"));
        p.bytesTotal = p.bytesDone;
        p.filesDone = integer(o, QLatin1String("total_files_processed"));
        p.filesTotal = p.filesDone;
        p.percent = 100.0;
        sink.progress(p);
        sink.log(LogLevel::Info,
                 QStringLiteral("snapshot %1 saved: %2 new, %3 changed, %4 unmodified files; "
                                "%5 processed, %6 added in %7 s")
                     .arg(o.value(QLatin1String("snapshot_id")).toString())
                     .arg(integer(o, QLatin1String("files_new")).value_or(0))
                     .arg(integer(o, QLatin1String("files_changed")).value_or(0))
                     .arg(integer(o, QLatin1String("files_unmodified")).value_or(0))
                     .arg(bytes(p.bytesDone.value_or(0)))
                     .arg(bytes(integer(o, QLatin1String("data_added")).value_or(0)))
                     .arg(o.value(QLatin1String("total_duration")).toDouble(), 0, 'f', 1)
                     .toUtf8(),
                 OutputStream::Stdout);
    } else if (type == QLatin1String("error")) {
        // `error` is a Go error struct: {"Op","Path","Err"} for path errors,
        // {} for most others. Say what is known.
        const QJsonObject e = o.value(QLatin1String("error")).toObject();
        QString text = QStringLiteral("error");
        const QString during = o.value(QLatin1String("during")).toString();
        if (!during.isEmpty())
            text += QStringLiteral(" during ") + during;
        const QString op = e.value(QLatin1String("Op")).toString();
        const QString path = e.value(QLatin1String("Path")).toString();
        const QString item = o.value(QLatin1String("item")).toString();
        text += QStringLiteral(": ") + (op.isEmpty() ? QStringLiteral("cannot process") : op)
                + QLatin1Char(' ') + (path.isEmpty() ? item : path);
        if (e.value(QLatin1String("Err")).isDouble()) {
            const int err = e.value(QLatin1String("Err")).toInt();
            text += QStringLiteral(": %1 (errno %2)")
                        .arg(QString::fromLocal8Bit(std::strerror(err)).toLower())
                        .arg(err);
        }
        sink.log(LogLevel::Error, text.toUtf8(), OutputStream::Stderr);
    } else {
        // Other JSON (snapshots, forget, stats): keep it, it is the result.
        sink.log(LogLevel::Info, raw, OutputStream::Stdout);
    }
}

void ResticAdapter::line(OutputStream stream, QByteArrayView line, AdapterSink &sink) {
    if (line.startsWith('{')) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &error);
        if (error.error == QJsonParseError::NoError && doc.isObject()) {
            jsonLine(doc.object(), line, sink);
            return;
        }
    }
    if (textProgress(line, sink)) {
        sink.log(LogLevel::Debug, line, stream);
        return;
    }
    textSummary(line, sink); // and logged below
    sink.log(GenericAdapter::classify(line, stream), line, stream);
}

} // namespace kw
