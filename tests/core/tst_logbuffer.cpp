// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "qtestprinters.h"
#include "store/logbuffer.h"
#include "testmain.h"

#include <QTest>

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

    // A block's text is copied as little as can be while it fills: grown by
    // doubling, 200 sessions written at one pace copied 25 MiB at once every
    // 4,096 lines, a stall of the window of 50-70 ms. A block after a full
    // one is never copied (lines of about the same length); a first block,
    // once 1,024 lines tell what a block takes, once more at most.
    void aBlockIsCopiedAtMostOnceItsSizeIsKnown() {
        LogBuffer log(1000000);
        const auto lineOf = [](qint64 i) {
            return QByteArray(55 + int(i % 11), 'x');
        };
        int copiesOfFirst = 0, copiesOfSecond = 0;
        const char *first = nullptr, *second = nullptr;
        for (qint64 i = 0; i < 2 * LogBuffer::kLinesPerBlock; ++i) {
            log.append(i, LogLevel::Info, lineOf(i));
            const char *nowFirst = log.line(0).text.data();
            if (i >= 128 && nowFirst != first)
                ++copiesOfFirst;
            first = nowFirst;
            if (i >= LogBuffer::kLinesPerBlock) {
                const char *nowSecond = log.line(LogBuffer::kLinesPerBlock).text.data();
                if (second && nowSecond != second)
                    ++copiesOfSecond;
                second = nowSecond;
            }
        }
        QVERIFY2(copiesOfFirst <= 1, qPrintable(QString::number(copiesOfFirst)));
        QCOMPARE(copiesOfSecond, 0);
        for (qint64 seq : {qint64(0), LogBuffer::kLinesPerBlock - 1, LogBuffer::kLinesPerBlock,
                           2 * LogBuffer::kLinesPerBlock - 1})
            QCOMPARE(log.line(seq).text.toByteArray(), lineOf(seq));
        // The room given is not a waste: what a full block holds beyond its
        // text stays small.
        QVERIFY(double(log.overheadBytes()) / double(log.size()) <= 64);
    }

    // A session that ended with a few hundred lines does not keep the room
    // its log was given for a whole block.
    void shrinkToFitGivesTheRoomBack() {
        LogBuffer log(100000);
        for (int i = 0; i < 300; ++i)
            log.append(i, LogLevel::Info, QByteArray(60, 'x'));
        const qint64 growing = log.overheadBytes();
        QVERIFY2(growing > 100000, qPrintable(QString::number(growing))); // room for 4,096
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
