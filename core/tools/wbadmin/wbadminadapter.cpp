// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/wbadmin/wbadminadapter.h"

#include <QRegularExpression>

namespace kw {

WbadminAdapter::WbadminAdapter()
    : GenericAdapter(LineSplitter::CarriageReturn::EndsRecord) {}

std::optional<WbadminAdapter::Record> WbadminAdapter::parseRecord(QStringView line) {
    // "(N%)" or "(N %)" at the end (French puts a no-break space there),
    // then an optional '.'. Three ASCII digits at most: nothing else is a
    // percent.
    static const QRegularExpression percent(
        QStringLiteral("\\(([0-9]{1,3})[\\s\\x{00a0}\\x{202f}]*%\\)\\s*\\.?\\s*$"));
    const QRegularExpressionMatch m = percent.match(line);
    if (!m.hasMatch())
        return std::nullopt;
    Record record;
    record.percent = qMin(m.capturedView(1).toInt(), 100);
    // The volume: the last "(...)" before the percent ("(C:)", "Local Disk(C:)").
    const QStringView before = line.left(m.capturedStart(0));
    const qsizetype close = before.lastIndexOf(u')');
    if (close > 0) {
        const qsizetype open = before.left(close).lastIndexOf(u'(');
        if (open >= 0)
            record.volume = before.sliced(open + 1, close - open - 1).trimmed().toString();
    }
    return record;
}

QString WbadminAdapter::parseStep(QStringView line) {
    const QStringView text = line.trimmed();
    if (!text.endsWith(QLatin1String("...")) && !text.endsWith(u'\u2026'))
        return {};
    QStringView step = text;
    while (step.endsWith(u'.') || step.endsWith(u'\u2026'))
        step.chop(1);
    return step.trimmed().toString();
}

void WbadminAdapter::line(OutputStream stream, QByteArrayView line, AdapterSink &sink) {
    const QString text = QString::fromUtf8(line);
    if (const std::optional<Record> record = parseRecord(text)) {
        // wbadmin redraws the same record: log it once, report it each time.
        const QByteArray bytes = line.toByteArray();
        if (bytes != m_lastRecord)
            GenericAdapter::line(stream, line, sink);
        m_lastRecord = bytes;
        ProgressPayload progress;
        progress.percent = record->percent;
        progress.current = record->volume;
        sink.progress(progress);
        return;
    }
    m_lastRecord.clear();
    // The one summary line with nothing in it that reads like an error.
    if (text.trimmed().startsWith(
            QLatin1String("The backup operation stopped before completing"))) {
        sink.log(LogLevel::Error, line, stream);
        return;
    }
    // "Note: The backed up data cannot be securely protected at this
    // destination." precedes every backup to a share: a caution worth
    // seeing, not an error of a backup that succeeded.
    if (text.trimmed().startsWith(QLatin1String("Note:"))) {
        sink.log(LogLevel::Warning, line, stream);
        return;
    }
    GenericAdapter::line(stream, line, sink);
    if (const QString step = parseStep(text); !step.isEmpty()) {
        ProgressPayload progress;
        progress.current = step;
        sink.progress(progress);
    }
}

} // namespace kw
