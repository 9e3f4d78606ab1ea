// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/borg/borgadapter.h"

#include "platform/signalnumbers.h"
#include "tools/generic/genericadapter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace kw {

namespace {

constexpr qsizetype kMaxResultBytes = 16 * 1024 * 1024;

// A JSON counter as a whole number from 0 to 2^53, else 0: a value past the
// range of qint64 would overflow the conversion, a negative one make a spool
// line the reader rejects (both found by tests/fuzz).
qint64 counter(const QJsonValue &value) {
    const double d = value.toDouble();
    return d >= 0.0 && d <= 9007199254740992.0 ? qint64(d) : 0;
}

QString bytes(qint64 n) {
    return QLocale::c().formattedDataSize(n, 1, QLocale::DataSizeIecFormat);
}

LogLevel levelOf(const QString &levelname) {
    if (levelname == QLatin1String("DEBUG"))
        return LogLevel::Debug;
    if (levelname == QLatin1String("WARNING"))
        return LogLevel::Warning;
    if (levelname == QLatin1String("ERROR") || levelname == QLatin1String("CRITICAL"))
        return LogLevel::Error;
    return LogLevel::Info;
}

} // namespace

BorgAdapter::BorgAdapter(const QStringList &command)
    : m_info(CommandLineInfo::inspect(command))
    , m_logJson(command.contains(QLatin1String("--log-json")))
    , m_progress(command.contains(QLatin1String("--progress"))
                 || command.contains(QLatin1String("-p"))) {}

void BorgAdapter::start(AdapterSink &sink) {
    const bool longRunning = m_info.kind == SessionKind::Backup
                             || m_info.kind == SessionKind::Restore
                             || m_info.kind == SessionKind::Verify;
    if (longRunning && !(m_logJson && m_progress))
        sink.log(LogLevel::Info,
                 "borg runs without --log-json --progress: add both to see its progress in "
                 "Keepwatch",
                 OutputStream::Stderr);
}

void BorgAdapter::noteStop(const QString &message) {
    // borg 1.2 on a first SIGINT: it finishes the current file, writes a
    // checkpoint, logs this (tests/fixtures/borg/borg-1.2.4-create-sigint.log-json)
    // and exits rc 2. SIGTERM and SIGHUP exit 128+N.
    if (message.trimmed() == QLatin1String("Got Ctrl-C / SIGINT."))
        m_stopSignal = PosixSignal::Int;
}

void BorgAdapter::logJson(const QJsonObject &o, AdapterSink &sink) {
    const QString type = o.value(QLatin1String("type")).toString();
    if (type == QLatin1String("archive_progress")) {
        if (o.value(QLatin1String("finished")).toBool())
            return;
        ProgressPayload p;
        p.bytesDone = counter(o.value(QLatin1String("original_size")));
        p.filesDone = counter(o.value(QLatin1String("nfiles")));
        p.current = o.value(QLatin1String("path")).toString();
        sink.progress(p);
    } else if (type == QLatin1String("progress_percent")) {
        if (o.value(QLatin1String("finished")).toBool())
            return;
        const double current = o.value(QLatin1String("current")).toDouble();
        const double total = o.value(QLatin1String("total")).toDouble();
        ProgressPayload p;
        if (total > 0)
            p.percent = qBound(0.0, current * 100.0 / total, 100.0);
        if (o.value(QLatin1String("msgid")).toString() == QLatin1String("extract")) {
            p.bytesDone = counter(QJsonValue(current)); // extract counts bytes of the archive
            if (total > 0)
                p.bytesTotal = counter(QJsonValue(total));
        }
        const QJsonArray info = o.value(QLatin1String("info")).toArray();
        if (!info.isEmpty())
            p.current = info.first().toString();
        sink.progress(p);
    } else if (type == QLatin1String("progress_message")) {
        const QString message = o.value(QLatin1String("message")).toString();
        if (!message.isEmpty())
            sink.log(LogLevel::Debug, message.toUtf8(), OutputStream::Stderr);
    } else if (type == QLatin1String("log_message")) {
        QString message = o.value(QLatin1String("message")).toString();
        noteStop(message);
        const QString msgid = o.value(QLatin1String("msgid")).toString();
        if (!msgid.isEmpty() && !message.contains(msgid))
            message += QStringLiteral(" [") + msgid + QLatin1Char(']');
        sink.log(levelOf(o.value(QLatin1String("levelname")).toString()), message.toUtf8(),
                 OutputStream::Stderr);
    } else if (type == QLatin1String("file_status")) {
        const QString status = o.value(QLatin1String("status")).toString();
        sink.log(status == QLatin1String("E") ? LogLevel::Warning : LogLevel::Debug,
                 (status + QLatin1Char(' ') + o.value(QLatin1String("path")).toString()).toUtf8(),
                 OutputStream::Stderr);
    } else {
        // question_prompt and whatever a newer borg adds: keep it visible.
        sink.log(LogLevel::Info, QJsonDocument(o).toJson(QJsonDocument::Compact),
                 OutputStream::Stderr);
    }
}

void BorgAdapter::result(const QJsonObject &o, AdapterSink &sink) {
    const QJsonObject archive = o.value(QLatin1String("archive")).toObject();
    const QJsonObject stats = archive.value(QLatin1String("stats")).toObject();
    if (stats.isEmpty()) {
        // list/info results carry no counters of this run: they are the result.
        sink.log(LogLevel::Info, QJsonDocument(o).toJson(QJsonDocument::Compact),
                 OutputStream::Stdout);
        return;
    }
    // borg's own final counters are the session's.
    ProgressPayload p;
    p.bytesDone = counter(stats.value(QLatin1String("original_size")));
    p.filesDone = counter(stats.value(QLatin1String("nfiles")));
    sink.progress(p);
    sink.log(LogLevel::Info,
             QStringLiteral("archive %1 created: %2 files, %3 original, %4 compressed, %5 "
                            "deduplicated, in %6 s")
                 .arg(archive.value(QLatin1String("name")).toString())
                 .arg(*p.filesDone)
                 .arg(bytes(*p.bytesDone))
                 .arg(bytes(counter(stats.value(QLatin1String("compressed_size")))))
                 .arg(bytes(counter(stats.value(QLatin1String("deduplicated_size")))))
                 .arg(archive.value(QLatin1String("duration")).toDouble(), 0, 'f', 1)
                 .toUtf8(),
             OutputStream::Stdout);
}

void BorgAdapter::line(OutputStream stream, QByteArrayView line, AdapterSink &sink) {
    if (stream == OutputStream::Stderr) {
        if (line.startsWith('{')) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &error);
            if (error.error == QJsonParseError::NoError && doc.isObject()) {
                logJson(doc.object(), sink);
                return;
            }
        }
        // Argument errors come before logging is set up: plain text.
        noteStop(QString::fromUtf8(line));
        sink.log(GenericAdapter::classify(line, stream), line, stream);
        return;
    }
    // stdout: the pretty-printed --json result starts with a lone "{" or "[".
    if (!m_collecting && m_result.isEmpty()
        && (line == "{" || line == "[" || line.startsWith("{\"")))
        m_collecting = true;
    if (m_collecting && m_result.size() + line.size() < kMaxResultBytes) {
        m_result.append(line.data(), line.size()).append('\n');
        return;
    }
    sink.log(LogLevel::Info, line, stream);
}

void BorgAdapter::finish(AdapterSink &sink) {
    LineAdapter::finish(sink);
    if (m_result.isEmpty())
        return;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(m_result, &error);
    if (error.error == QJsonParseError::NoError && doc.isObject()) {
        result(doc.object(), sink);
        return;
    }
    // Not the result after all: what was held back still belongs in the log.
    for (const QByteArray &l : m_result.split('\n')) {
        if (!l.isEmpty())
            sink.log(LogLevel::Info, l, OutputStream::Stdout);
    }
    sink.log(LogLevel::Warning,
             QStringLiteral("borg's --json result could not be read: %1 at offset %2")
                 .arg(error.errorString())
                 .arg(error.offset)
                 .toUtf8(),
             OutputStream::Stdout);
}

} // namespace kw
