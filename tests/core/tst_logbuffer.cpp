// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "qtestprinters.h"
#include "store/logbuffer.h"
#include "testmain.h"

#include <QTest>
#include <algorithm>
#include <vector>

using namespace kw;

class TestLogBuffer final : public QObject {
    Q_OBJECT

private slots:
    void sequenceNumbersAndLookup() {
        LogBuffer log(100000);
        for (int i = 0; i < 10000; ++i)
            log.append(i, LogLevel(i % 4), QByteArray("line " + QByteArray::number(i)));
        QCOMPARE(log.firstSeq(), 0);
        QCOMPARE(log.endSeq(), 10000);
        for (qint64 seq : {0, 1, 4095, 4096, 4097, 9999}) {
            const LogBuffer::Line l = log.line(seq);
            QCOMPARE(l.text.toByteArray(), QByteArray("line " + QByteArray::number(seq)));
            QCOMPARE(l.timestampMs, seq);
            QCOMPARE(l.level, LogLevel(seq % 4));
        }
    }

    void evictsWholeBlocksButKeepsAtLeastTheLimit_data() {
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<qint64>("appended");
        QTest::newRow("under") << qint64(10000) << qint64(9000);
        QTest::newRow("just over") << qint64(10000) << qint64(10001);
        QTest::newRow("far over") << qint64(10000) << qint64(100000);
    }
    void evictsWholeBlocksButKeepsAtLeastTheLimit() {
        QFETCH(qint64, limit);
        QFETCH(qint64, appended);
        LogBuffer log(limit);
        for (qint64 i = 0; i < appended; ++i)
            log.append(i, LogLevel::Info, QByteArray::number(i));
        QCOMPARE(log.endSeq(), appended);
        QVERIFY(log.size() >= qMin(limit, appended));
        QVERIFY(log.size() < limit + LogBuffer::kLinesPerBlock);
        QCOMPARE(log.firstSeq() % LogBuffer::kLinesPerBlock, 0); // in blocks
        QCOMPARE(log.line(log.firstSeq()).text.toByteArray(), QByteArray::number(log.firstSeq()));
        QCOMPARE(log.line(log.endSeq() - 1).text.toByteArray(), QByteArray::number(appended - 1));
    }

    void overheadPerLineIsSmall() {
        // The benchmark target is <= 64 bytes beyond the text per line.
        LogBuffer log(1000000);
        const QByteArray text(80, 'x');
        for (int i = 0; i < 200000; ++i)
            log.append(i, LogLevel::Info, text);
        const double perLine = double(log.overheadBytes()) / double(log.size());
        QVERIFY2(perLine <= 64, qPrintable(QString::number(perLine)));
        QCOMPARE(log.textBytes(), qint64(200000) * 80);
    }

    // Sessions written at one pace do not copy their logs' texts in the
    // same turn of the event loop: with Qt's growth (powers of two) 200 of
    // them copied 128 KiB each at once every 4,096 lines, a stall of the
    // window of 50-74 ms. Each buffer grows from a room of its own.
    void buffersWrittenInStepGrowAtDifferentMoments() {
        constexpr int kBuffers = 200;
        std::vector<LogBuffer> logs; // each made, as the store makes them
        for (int b = 0; b < kBuffers; ++b)
            logs.emplace_back(1000000);
        std::vector<const char *> texts(kBuffers, nullptr);
        const QByteArray line(55, 'x');
        qint64 mostCopiedAtOnce = 0; // bytes, in one round of appends
        for (qint64 i = 0; i < 2 * LogBuffer::kLinesPerBlock; ++i) {
            qint64 copied = 0;
            for (int b = 0; b < kBuffers; ++b) {
                logs[size_t(b)].append(i, LogLevel::Info, line);
                const LogBuffer &log = logs[size_t(b)];
                // The current block's first line: where its text is now.
                const qint64 blockStart = i / LogBuffer::kLinesPerBlock * LogBuffer::kLinesPerBlock;
                const char *text = log.line(blockStart).text.data();
                if (i != blockStart && text != texts[size_t(b)])
                    copied += (i - blockStart) * line.size();
                texts[size_t(b)] = text;
            }
            mostCopiedAtOnce = std::max(mostCopiedAtOnce, copied);
        }
        // In step they copied 200 x 128 KiB = 25 MiB at once.
        QVERIFY2(mostCopiedAtOnce <= 2 * 1024 * 1024,
                 qPrintable(QString::number(mostCopiedAtOnce)));
        for (const LogBuffer &log : logs)
            QCOMPARE(log.line(LogBuffer::kLinesPerBlock + 1).text.toByteArray(), line);
    }

    // A session that ended with a few hundred lines does not keep the room
    // its log was given for a whole block.
    void shrinkToFitGivesTheRoomBack() {
        LogBuffer log(100000);
        for (int i = 0; i < 300; ++i)
            log.append(i, LogLevel::Info, QByteArray(60, 'x'));
        QVERIFY(log.overheadBytes() > 300 * 16 + 1024); // room to grow
        log.shrinkToFit();
        QVERIFY2(log.overheadBytes() < 300 * 16 + 1024,
                 qPrintable(QString::number(log.overheadBytes())));
        QCOMPARE(log.line(299).text.toByteArray(), QByteArray(60, 'x'));
        log.append(300, LogLevel::Warning, "after the end"); // still works
        QCOMPARE(log.line(300).text.toByteArray(), QByteArray("after the end"));
    }

    void hugeLinesAreCutNotCorrupting() {
        LogBuffer log(10000);
        const QByteArray huge(3 * 1024 * 1024, 'h');
        log.append(1, LogLevel::Error, huge);
        log.append(2, LogLevel::Info, "after");
        QCOMPARE(log.line(0).text.size(), qsizetype((1 << 20) - 1));
        QCOMPARE(log.line(0).level, LogLevel::Error);
        QCOMPARE(log.line(1).text.toByteArray(), QByteArray("after"));
    }
};

KW_TEST_GUILESS_MAIN(TestLogBuffer)
#include "tst_logbuffer.moc"
