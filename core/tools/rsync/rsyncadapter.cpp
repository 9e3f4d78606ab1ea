// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/rsync/rsyncadapter.h"

#include "tools/generic/genericadapter.h"

#include <QRegularExpression>

namespace kw {

namespace {

constexpr qint64 kMaxCount = qint64(1) << 53;

qint64 groupedNumber(QStringView text) {
    // "245,042,449" in the C locale, "245.042.449" where ',' is the decimal point.
    QString digits;
    digits.reserve(text.size());
    for (QChar c : text) {
        if (c.isDigit())
            digits += c;
    }
    // At most 2^53 (8 PiB): longer digit strings are not rsync's, and sums of
    // capped values cannot overflow (found by tests/fuzz).
    return qMin(digits.toLongLong(), kMaxCount);
}

} // namespace

RsyncAdapter::RsyncAdapter(const QStringList &command)
    : LineAdapter(LineSplitter::CarriageReturn::EndsRecord) {
    for (const QString &arg : command) {
        if (arg.startsWith(QLatin1String("--info=")) && arg.contains(QLatin1String("progress2")))
            m_wholeTransfer = true;
        else if (arg == QLatin1String("--progress")
                 || (arg.startsWith(QLatin1Char('-')) && !arg.startsWith(QLatin1String("--"))
                     && arg.contains(QLatin1Char('P'))))
            m_perFile = true;
    }
}

void RsyncAdapter::start(AdapterSink &sink) {
    if (!m_wholeTransfer && !m_perFile)
        sink.log(LogLevel::Info,
                 "rsync runs without --info=progress2: add it to see the transfer's progress in "
                 "Keepwatch",
                 OutputStream::Stderr);
}

std::optional<double> RsyncAdapter::parseRate(QStringView text) {
    static const QRegularExpression re(QStringLiteral("^([\\d.,]+)([kMGT]?)B/s$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    QString number = m.captured(1);
    number.replace(QLatin1Char(','), QLatin1Char('.'));
    bool ok = false;
    double value = number.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    const QString unit = m.captured(2);
    const int power = unit.isEmpty() ? 0 : int(QStringLiteral("kMGT").indexOf(unit)) + 1;
    for (int i = 0; i < power; ++i)
        value *= 1024.0;
    // Beyond 8 PiB/s is not rsync's: unknown, as with any other garbage
    // (the fuzzer's 3.5e132 reached the spool as a number no reader took).
    if (!(value <= double(kMaxCount)))
        return std::nullopt;
    return value;
}

bool RsyncAdapter::progressRecord(QByteArrayView line, AdapterSink &sink) {
    static const QRegularExpression re(
        QStringLiteral("^\\s*([\\d,.]+)\\s+(\\d+)%\\s+(\\S+/s)\\s+(\\d+):(\\d\\d):(\\d\\d)"
                       "(?:\\s+\\(xfr#(\\d+),\\s*(ir|to)-chk=(\\d+)/(\\d+)\\))?\\s*$"));
    const QRegularExpressionMatch m = re.match(QString::fromUtf8(line));
    if (!m.hasMatch())
        return false;
    const qint64 recordBytes = groupedNumber(m.capturedView(1));
    const bool hasCounts = m.capturedLength(7) > 0;
    const bool finalOfFile = hasCounts; // a record with (xfr#...) closes a file
    ProgressPayload p;
    if (m_perFile && !m_wholeTransfer) {
        // Per-file records: add a file's bytes when it is done.
        if (finalOfFile)
            m_finishedFilesBytes = qMin(m_finishedFilesBytes + recordBytes, kMaxCount);
        p.bytesDone = m_finishedFilesBytes + (finalOfFile ? 0 : recordBytes);
    } else {
        p.bytesDone = recordBytes;
        p.rate = parseRate(m.capturedView(3));
    }
    if (hasCounts) {
        const qint64 toCheck = m.capturedView(9).toLongLong();
        const qint64 total = m.capturedView(10).toLongLong();
        p.filesDone = m.capturedView(7).toLongLong();
        if (m.capturedView(8) == u"to") {
            // The file list is complete: B entries, A still to check.
            p.filesTotal = total;
            if (m_wholeTransfer)
                // "101%" in a corrupt line made a progress event the spool
                // reader rejects (tests/fuzz): a percentage is 0..100.
                p.percent = qBound(0.0, m.capturedView(2).toDouble(), 100.0);
            if (toCheck > 0) {
                // Hours capped: "99999999999999999:00:00" would overflow.
                const qint64 seconds = qMin(m.capturedView(4).toLongLong(), kMaxCount) * 3600
                                       + m.capturedView(5).toLongLong() * 60
                                       + m.capturedView(6).toLongLong();
                p.etaSeconds = seconds; // while running rsync shows time left
            }
        }
    }
    m_last = p;
    sink.progress(p);
    return true;
}

bool RsyncAdapter::statsLine(QByteArrayView line) {
    static const QRegularExpression bytesRe(
        QStringLiteral("^Total transferred file size: ([\\d,.]+) bytes"));
    static const QRegularExpression filesRe(
        QStringLiteral("^Number of regular files transferred: ([\\d,.]+)"));
    const QString text = QString::fromUtf8(line);
    if (const auto m = bytesRe.match(text); m.hasMatch()) {
        m_statsBytes = groupedNumber(m.capturedView(1));
        return true;
    }
    if (const auto m = filesRe.match(text); m.hasMatch()) {
        m_statsFiles = groupedNumber(m.capturedView(1));
        return true;
    }
    return false;
}

void RsyncAdapter::line(OutputStream stream, QByteArrayView line, AdapterSink &sink) {
    if (stream == OutputStream::Stdout && progressRecord(line, sink))
        return; // progress, not log: rsync repeats these by the thousand
    if (stream == OutputStream::Stdout)
        statsLine(line);
    sink.log(GenericAdapter::classify(line, stream), line, stream);
}

void RsyncAdapter::finish(AdapterSink &sink) {
    LineAdapter::finish(sink);
    // rsync's own totals, when --stats printed them, are the final counters.
    if (m_statsBytes || m_statsFiles) {
        ProgressPayload p;
        p.bytesDone = m_statsBytes;
        p.filesDone = m_statsFiles;
        sink.progress(p);
    }
}

} // namespace kw
