// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "report/csvreportwriter.h"

#include "protocol/timestamp.h"
#include "report/reportdata.h"

namespace kw {

namespace {
QString number(std::optional<qint64> v) {
    return v ? QString::number(*v) : QString();
}
QString iso(std::optional<qint64> ms) {
    return ms ? QString::fromLatin1(Timestamp::formatIsoMs(*ms)) : QString();
}
} // namespace

QStringList CsvReportWriter::header() {
    return {
        QStringLiteral("id"),           QStringLiteral("source"),      QStringLiteral("title"),
        QStringLiteral("tool"),         QStringLiteral("kind"),        QStringLiteral("state"),
        QStringLiteral("state_reason"), QStringLiteral("host"),        QStringLiteral("user"),
        QStringLiteral("target"),       QStringLiteral("started"),     QStringLiteral("ended"),
        QStringLiteral("duration_ms"),  QStringLiteral("exit_code"),   QStringLiteral("summary"),
        QStringLiteral("bytes_done"),   QStringLiteral("bytes_total"), QStringLiteral("files_done"),
        QStringLiteral("files_total"),  QStringLiteral("log_lines"),   QStringLiteral("warnings"),
        QStringLiteral("errors"),       QStringLiteral("command")};
}

QString CsvReportWriter::field(const QString &value) {
    QString v = value;
    if (!v.isEmpty()) {
        const QChar c = v.front();
        if (c == QLatin1Char('=') || c == QLatin1Char('+') || c == QLatin1Char('-')
            || c == QLatin1Char('@') || c == QLatin1Char('\t') || c == QLatin1Char('\r'))
            v.prepend(QLatin1Char('\''));
    }
    if (v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"'))
        || v.contains(QLatin1Char('\r')) || v.contains(QLatin1Char('\n'))) {
        v.replace(QLatin1String("\""), QLatin1String("\"\""));
        v = QLatin1Char('"') + v + QLatin1Char('"');
    }
    return v;
}

QByteArray CsvReportWriter::write(const ReportData &data) {
    QString out;
    auto row = [&out](const QStringList &fields) {
        for (qsizetype i = 0; i < fields.size(); ++i) {
            if (i > 0)
                out += QLatin1Char(',');
            out += field(fields[i]);
        }
        out += QLatin1String("\r\n");
    };
    row(header());
    for (const ReportData::Entry &e : data.sessions) {
        const Session &s = e.session;
        const qint64 duration = s.durationMs(data.generatedMs);
        row({s.key.id,
             s.key.source,
             s.title,
             s.tool,
             QString(wireName(s.kind)),
             QString(wireName(s.state)),
             s.stateReason,
             s.host,
             s.user,
             s.target,
             iso(s.effectiveStartMs()),
             iso(s.endedMs),
             duration >= 0 ? QString::number(duration) : QString(),
             s.exitCode ? QString::number(*s.exitCode) : QString(),
             s.summary,
             number(s.progress.bytesDone),
             number(s.progress.bytesTotal),
             number(s.progress.filesDone),
             number(s.progress.filesTotal),
             QString::number(s.logLines),
             QString::number(s.warnings),
             QString::number(s.errors),
             s.command.join(QLatin1Char(' '))});
    }
    return out.toUtf8();
}

} // namespace kw
