// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/logmodel.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <functional>

using namespace kw;
using namespace kw::test;

Q_DECLARE_METATYPE(QList<kw::TextRange>)

namespace {

const QString kId = QStringLiteral("s");
const SessionKey kKey{QStringLiteral("spool"), kId};

// Lines "n<from>" .. "n<from+count-1>", all info.
EventBatch numbered(int from, int count) {
    QList<Event> events;
    events.reserve(count);
    for (int i = from; i < from + count; ++i)
        events.append(logEvent(kId, 1000 + i, "n" + QByteArray::number(i)));
    return spoolBatch(events);
}

QStringList messages(const LogModel &model) {
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out << model.index(r).data(LogModel::MessageRole).toString();
    return out;
}

// Every line a test in this file reads, as one session would have written it.
void fillSmall(SessionStore &store) {
    store.apply(spoolBatch({startEvent(kId, 1), logEvent(kId, 2, "sending file 1"),
                            logEvent(kId, 3, "sending file 2"),
                            logEvent(kId, 4, "open /x: permission denied", LogLevel::Error),
                            logEvent(kId, 5, "file changed while read: x", LogLevel::Warning),
                            logEvent(kId, 6, "caf\xc3\xa9 menu"), logEvent(kId, 7, "done")}));
}

} // namespace

class TestLogModel final : public QObject {
    Q_OBJECT

    // 10,000 lines (three blocks of 4,096) of up to six of a, A, b and B,
    // one in five a warning, from `seed`: hits that run from one line into
    // the next are very common in them.
    struct ShortLines {
        QList<QByteArray> texts;
        QList<LogLevel> levels;
    };
    static ShortLines addShortLines(SessionStore &store, quint32 seed) {
        store.apply(spoolBatch({startEvent(kId, 1)}));
        QRandomGenerator random(seed);
        QList<Event> events;
        ShortLines lines;
        for (int i = 0; i < 10000; ++i) {
            QByteArray text;
            const int length = int(random.bounded(7));
            for (int c = 0; c < length; ++c)
                text += "aAbB"[random.bounded(4)];
            const LogLevel level = random.bounded(5) == 0 ? LogLevel::Warning : LogLevel::Info;
            events.append(logEvent(kId, 2 + i, text, level));
            lines.texts.append(text);
            lines.levels.append(level);
        }
        store.apply(spoolBatch(events));
        return lines;
    }

    // The model searching `addShortLines(seed)` for `search` shows, with
    // every level and then warnings only, exactly the lines `holds` says,
    // in order, and counts them as matches. Returns how many lines hold it
    // (the fewer of the two passes).
    static int
    findsWhatALineByLineSearchFinds(const QString &search, bool regex, quint32 seed,
                                    const std::function<bool(const QByteArray &)> &holds) {
        SessionStore store;
        const ShortLines lines = addShortLines(store, seed);
        LogModel log(&store, kKey);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        int holding = 0;
        for (const bool warningsOnly : {false, true}) {
            log.setLevelEnabled(LogLevel::Info, !warningsOnly);
            if (!log.setSearch(search, regex)) {
                QTest::qFail("the search was refused", __FILE__, __LINE__);
                return 0;
            }
            log.setMatchingOnly(true);
            QList<int> expected; // the lines that hold it, in order
            for (int i = 0; i < lines.texts.size(); ++i) {
                if (holds(lines.texts[i])
                    && (!warningsOnly || lines.levels[i] == LogLevel::Warning))
                    expected.append(i);
            }
            QList<int> found;
            for (int r = 0; r < log.rowCount(); ++r)
                found.append(int(log.index(r).data(LogModel::SequenceRole).toLongLong()));
            if (!QTest::qCompare(found, expected, "found", "expected", __FILE__, __LINE__)
                || !QTest::qCompare(log.matchCount(), int(expected.size()), "matchCount",
                                    "expected", __FILE__, __LINE__))
                return 0;
            log.setMatchingOnly(false);
            if (!QTest::qCompare(log.matchCount(), int(expected.size()), "matchCount", "expected",
                                 __FILE__, __LINE__))
                return 0;
            if (!log.setSearch(QString())) {
                QTest::qFail("clearing the search was refused", __FILE__, __LINE__);
                return 0;
            }
            holding = warningsOnly ? std::min(holding, int(expected.size())) : int(expected.size());
        }
        return holding;
    }

private slots:
    void followsAppendsInOneSignalPerBatch() {
        SessionStore store;
        store.apply(spoolBatch({startEvent(kId, 1), startEvent(QStringLiteral("other"), 1)}));
        LogModel log(&store, kKey);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(log.rowCount(), 0);
        QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
        QList<Event> lines;
        for (int i = 0; i < 500; ++i)
            lines.append(logEvent(kId, 4000 + i, "sending file " + QByteArray::number(i),
                                  i % 50 == 0 ? LogLevel::Error : LogLevel::Info));
        lines.append(logEvent(QStringLiteral("other"), 5000, "another session"));
        store.apply(spoolBatch(lines));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(log.rowCount(), 500);
        QCOMPARE(log.index(499).data(LogModel::MessageRole).toString(),
                 QStringLiteral("sending file 499"));
        QVERIFY(log.index(0).data().toString().contains(QLatin1String("ERROR")));
        QCOMPARE(log.index(3).data(LogModel::LevelRole).toInt(), int(LogLevel::Info));
    }

    void filters_data() {
        QTest::addColumn<QString>("search");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<bool>("infoShown");
        QTest::addColumn<int>("rows");
        // after "sending file 3" (info) and "denied again" (error)
        QTest::addColumn<int>("rowsAfter");
        QTest::newRow("all") << QString() << false << true << 6 << 8;
        QTest::newRow("substring") << "file" << false << true << 3 << 4;
        QTest::newRow("case-insensitive") << "PERMISSION" << false << true << 1 << 1;
        QTest::newRow("non-ascii") << "CAFÉ" << false << true << 1 << 1;
        QTest::newRow("regex") << "^sending file [0-9]+$" << true << true << 2 << 3;
        QTest::newRow("levels only") << QString() << false << false << 2 << 3;
        QTest::newRow("levels and text") << "denied" << false << false << 1 << 2;
    }
    void filters() {
        QFETCH(QString, search);
        QFETCH(bool, regex);
        QFETCH(bool, infoShown);
        QFETCH(int, rows);
        QFETCH(int, rowsAfter);
        SessionStore store;
        fillSmall(store);
        LogModel log(&store, kKey);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        log.setMatchingOnly(true);
        QVERIFY(log.setSearch(search, regex));
        log.setLevelEnabled(LogLevel::Info, infoShown);
        QCOMPARE(log.rowCount(), rows);
        // Every shown line matches, so every one is a match.
        QCOMPARE(log.matchCount(), search.isEmpty() ? 0 : rows);
        // New lines go through the same filter.
        store.apply(spoolBatch({logEvent(kId, 8, "sending file 3"),
                                logEvent(kId, 9, "denied again", LogLevel::Error)}));
        QCOMPARE(log.rowCount(), rowsAfter);
        QCOMPARE(log.matchCount(), search.isEmpty() ? 0 : rowsAfter);
    }

    void rejectsBadRegexAndKeepsItsSearch() {
        SessionStore store;
        store.apply(spoolBatch({logEvent(kId, 2, "alpha"), logEvent(kId, 3, "beta")}));
        LogModel log(&store, kKey);
        log.setMatchingOnly(true);
        QVERIFY(log.setSearch(QStringLiteral("alpha")));
        QCOMPARE(log.rowCount(), 1);
        QVERIFY(!log.setSearch(QStringLiteral("(unclosed"), true));
        QVERIFY(log.searchError().contains(QLatin1String("regular expression")));
        QCOMPARE(log.rowCount(), 1);
        QCOMPARE(log.matchCount(), 1);
    }

    // Without "only matching", a search marks lines and keeps them all:
    // no reset (the view keeps its place), one dataChanged to repaint.
    void searchMarksWithoutFiltering() {
        SessionStore store;
        fillSmall(store);
        LogModel log(&store, kKey);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&log, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&log, &QAbstractItemModel::dataChanged);
        QSignalSpy matches(&log, &LogModel::matchesChanged);
        QVERIFY(log.setSearch(QStringLiteral("FILE")));
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 5);
        QCOMPARE(matches.count(), 1);
        QCOMPARE(log.rowCount(), 6);
        QCOMPARE(log.matchCount(), 3);
        QList<bool> marked;
        for (int r = 0; r < log.rowCount(); ++r)
            marked << log.index(r).data(LogModel::MatchRole).toBool();
        QCOMPARE(marked, QList<bool>({true, true, false, true, false, false}));

        // Switching to "only matching" filters by the same search...
        log.setMatchingOnly(true);
        QCOMPARE(messages(log),
                 QStringList({QStringLiteral("sending file 1"), QStringLiteral("sending file 2"),
                              QStringLiteral("file changed while read: x")}));
        // ...and an empty search shows everything either way.
        QVERIFY(log.setSearch(QString()));
        QCOMPARE(log.rowCount(), 6);
        QCOMPARE(log.matchCount(), 0);
        QCOMPARE(log.nextMatch(-1), -1);
        QVERIFY(log.index(0).data(LogModel::MatchRangesRole).value<QList<TextRange>>().isEmpty());
    }

    void matchRanges_data() {
        QTest::addColumn<QString>("search");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QList<TextRange>>("ranges");
        QTest::addColumn<bool>("matches");
        using R = QList<TextRange>;
        QTest::newRow("none") << "zzz" << false << QByteArray("sending file 1") << R{} << false;
        QTest::newRow("once, any case")
            << "FILE" << false << QByteArray("sending file 1") << R{{8, 4}} << true;
        QTest::newRow("every occurrence, not overlapping")
            << "aa" << false << QByteArray("aaaaa baa") << R{{0, 2}, {2, 2}, {7, 2}} << true;
        // Positions are in the message's UTF-16 units, as painted.
        QTest::newRow("after non-ascii text")
            << "menu" << false << QByteArray("caf\xc3\xa9 menu") << R{{5, 4}} << true;
        QTest::newRow("non-ascii needle")
            << "CAFÉ" << false << QByteArray("un caf\xc3\xa9") << R{{3, 4}} << true;
        QTest::newRow("regex") << "[0-9]+" << true << QByteArray("copied 12 of 345 files")
                               << R{{7, 2}, {13, 3}} << true;
        QTest::newRow("regex anchored")
            << "^s\\w+" << true << QByteArray("sent sums") << R{{0, 4}} << true;
        QTest::newRow("empty regex matches highlight nothing")
            << "x*" << true << QByteArray("abc") << R{} << true;
        QTest::newRow("regex metacharacters are literal without regex")
            << "a.c" << false << QByteArray("abc a.c") << R{{4, 3}} << true;
    }
    void matchRanges() {
        QFETCH(QString, search);
        QFETCH(bool, regex);
        QFETCH(QByteArray, line);
        QFETCH(QList<TextRange>, ranges);
        QFETCH(bool, matches);
        SessionStore store;
        store.apply(spoolBatch({logEvent(kId, 1, line)}));
        LogModel log(&store, kKey);
        QVERIFY(log.setSearch(search, regex));
        QCOMPARE(log.rowCount(), 1);
        const auto got = log.index(0).data(LogModel::MatchRangesRole).value<QList<TextRange>>();
        QCOMPARE(got.size(), ranges.size());
        for (qsizetype i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].start, ranges[i].start);
            QCOMPARE(got[i].length, ranges[i].length);
        }
        // "x*" matches every line, only with nothing to highlight.
        QCOMPARE(log.matchCount(), matches ? 1 : 0);
        QCOMPARE(log.index(0).data(LogModel::MatchRole).toBool(), matches);
    }

    void nextAndPreviousWrapAround_data() {
        QTest::addColumn<int>("from");
        QTest::addColumn<bool>("forward");
        QTest::addColumn<int>("expected");
        // Rows 0..29 are "n0".."n29"; "n1" matches rows 1 and 10..19.
        QTest::newRow("first from nowhere") << -1 << true << 1;
        QTest::newRow("last from nowhere") << -1 << false << 19;
        QTest::newRow("next from a match") << 1 << true << 10;
        QTest::newRow("next from between") << 5 << true << 10;
        QTest::newRow("next wraps to the top") << 19 << true << 1;
        QTest::newRow("next wraps from below the last") << 25 << true << 1;
        QTest::newRow("previous from a match") << 10 << false << 1;
        QTest::newRow("previous from between") << 25 << false << 19;
        QTest::newRow("previous wraps to the bottom") << 1 << false << 19;
        QTest::newRow("previous wraps from above the first") << 0 << false << 19;
    }
    void nextAndPreviousWrapAround() {
        QFETCH(int, from);
        QFETCH(bool, forward);
        QFETCH(int, expected);
        SessionStore store;
        store.apply(numbered(0, 30));
        LogModel log(&store, kKey);
        QVERIFY(log.setSearch(QStringLiteral("n1")));
        QCOMPARE(log.matchCount(), 11);
        QCOMPARE(log.nextMatch(from, forward), expected);
        QCOMPARE(log.matchNumber(1), 1);
        QCOMPARE(log.matchNumber(10), 2);
        QCOMPARE(log.matchNumber(19), 11);
        QCOMPARE(log.matchNumber(5), 0);
    }

    // Matches follow the lines: new ones count, evicted ones leave.
    void matchesFollowAppendsAndEviction() {
        SessionStore store;
        store.setMaxLogLines(LogBuffer::kLinesPerBlock); // evict soon
        store.apply(spoolBatch({startEvent(kId, 1)}));
        LogModel log(&store, kKey);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(log.setSearch(QStringLiteral("n7")));
        QSignalSpy matches(&log, &LogModel::matchesChanged);
        store.apply(numbered(0, 100)); // n7, n70..n79
        QCOMPARE(matches.count(), 1);
        QCOMPARE(log.matchCount(), 11);
        store.apply(numbered(100, 10)); // no match among them
        QCOMPARE(matches.count(), 1);
        store.apply(numbered(110, 9000)); // the first blocks go
        QVERIFY(store.log(0).firstSeq() > 100);
        QCOMPARE(log.rowCount(), int(store.log(0).size()));
        int expected = 0;
        for (qint64 seq = store.log(0).firstSeq(); seq < store.log(0).endSeq(); ++seq) {
            if (QByteArrayView(store.log(0).line(seq).text).startsWith("n7"))
                ++expected;
        }
        QCOMPARE(log.matchCount(), expected);
        const int first = log.nextMatch(-1);
        QVERIFY(log.index(first)
                    .data(LogModel::MessageRole)
                    .toString()
                    .startsWith(QLatin1String("n7")));
        QCOMPARE(log.matchNumber(first), 1);
    }

    void dropsEvictedLinesAndCatchesUpWhenActivated() {
        SessionStore store;
        store.setMaxLogLines(LogBuffer::kLinesPerBlock); // evict soon
        store.apply(spoolBatch({startEvent(kId, 1)}));
        LogModel log(&store, kKey);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.apply(numbered(0, 4096));
        QCOMPARE(log.rowCount(), 4096);
        QSignalSpy removed(&log, &QAbstractItemModel::rowsRemoved);
        store.apply(numbered(4096, 5000)); // the first block goes
        QCOMPARE(removed.count(), 1);
        QCOMPARE(log.rowCount(), int(store.log(0).size()));
        QCOMPARE(log.index(log.rowCount() - 1).data(LogModel::MessageRole).toString(),
                 QStringLiteral("n9095"));
        QCOMPARE(log.index(0).data(LogModel::SequenceRole).toLongLong(), store.log(0).firstSeq());

        // Hidden: no work, no signals; shown again: exactly where it should be.
        log.setActive(false);
        QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
        store.apply(numbered(9096, 100));
        QCOMPARE(inserted.count(), 0);
        log.setActive(true);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(log.index(log.rowCount() - 1).data(LogModel::MessageRole).toString(),
                 QStringLiteral("n9195"));
        QCOMPARE(log.rowCount(), int(store.log(0).size()));
    }

    // A hidden pane still lists lines the buffer has evicted meanwhile; a
    // new search then marks only the lines still held (it used to read the
    // evicted ones, past the start of the buffer).
    void searchInAHiddenPaneSkipsEvictedLines() {
        SessionStore store;
        store.setMaxLogLines(LogBuffer::kLinesPerBlock);
        store.apply(spoolBatch({startEvent(kId, 1)}));
        LogModel log(&store, kKey);
        store.apply(numbered(0, 4096));
        log.setActive(false);
        store.apply(numbered(4096, 2 * 4096)); // the first block goes
        QVERIFY(store.log(0).firstSeq() > 0);
        QCOMPARE(log.rowCount(), 4096);               // not caught up while hidden
        QVERIFY(log.setSearch(QStringLiteral("n1"))); // n1, n10..n19, n100.., n1000..
        QCOMPARE(log.matchCount(), 0);                // every line it lists was evicted
        log.setActive(true);
        int held = 0; // lines still held that hold "n1", as the pane now shows them
        for (qint64 seq = store.log(0).firstSeq(); seq < store.log(0).endSeq(); ++seq)
            held += store.log(0).line(seq).text.contains("n1");
        QCOMPARE(log.matchCount(), held);
        QVERIFY(held > 0);
    }

    void sessionThatDoesNotExistYet() {
        SessionStore store;
        LogModel log(&store, SessionKey{QStringLiteral("spool"), QStringLiteral("later")});
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(log.rowCount(), 0);
        store.apply(spoolBatch({logEvent(QStringLiteral("later"), 1, "first words")}));
        QCOMPARE(log.rowCount(), 1);
    }

    // A finished session's pane opens on an empty buffer; its lines then
    // arrive all at once (read from the history), more of them than the
    // buffer keeps, in one store change. The model takes them as one insert
    // of what the buffer holds, whether it was active or not meanwhile.
    void bufferFillsFromEmptyInOneGo_data() {
        QTest::addColumn<bool>("activeDuringFill");
        QTest::addColumn<QString>("search");
        QTest::newRow("active") << true << QString();
        QTest::newRow("hidden, then shown") << false << QString();
        QTest::newRow("active, searching") << true << QStringLiteral("n1");
        QTest::newRow("hidden, searching") << false << QStringLiteral("n1");
    }
    void bufferFillsFromEmptyInOneGo() {
        QFETCH(bool, activeDuringFill);
        QFETCH(QString, search);
        SessionStore store;
        store.setMaxLogLines(3 * LogBuffer::kLinesPerBlock);
        store.apply(spoolBatch({startEvent(kId, 1), endEvent(kId, 2, SessionState::Failed, 1)}));
        LogModel log(&store, kKey);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(log.setSearch(search));
        QCOMPARE(log.rowCount(), 0);
        log.setActive(activeDuringFill);
        QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&log, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&log, &QAbstractItemModel::modelReset);
        store.apply(numbered(0, 5 * int(LogBuffer::kLinesPerBlock)));
        const LogBuffer &buffer = store.log(store.indexOf(kKey));
        QVERIFY(buffer.firstSeq() > 0); // evicted within the same change
        log.setActive(true);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(log.rowCount(), int(buffer.size()));
        QCOMPARE(log.index(0).data(LogModel::SequenceRole).toLongLong(), buffer.firstSeq());
        QCOMPARE(log.index(log.rowCount() - 1).data(LogModel::MessageRole).toString(),
                 QStringLiteral("n%1").arg(5 * LogBuffer::kLinesPerBlock - 1));
        int expected = 0;
        if (!search.isEmpty()) {
            for (qint64 seq = buffer.firstSeq(); seq < buffer.endSeq(); ++seq)
                expected += QByteArrayView(buffer.line(seq).text).startsWith("n1") ? 1 : 0;
        }
        QCOMPARE(log.matchCount(), expected);
        // Later lines still come one batch at a time.
        store.apply(numbered(5 * int(LogBuffer::kLinesPerBlock), 3));
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(log.rowCount(), int(buffer.size()));
    }

    // A long log arriving at once (a finished session's lines read from the
    // history) is inserted a turn of the event loop at a time, so the window
    // never waits for all of it; it is complete and in order at the end, and
    // a pane hidden meanwhile stops taking it until shown again.
    void aLongCatchUpComesInTurns() {
        constexpr int kLines = 300000; // 5 turns: 4 full, 1 partial
        SessionStore store;
        store.setMaxLogLines(kLines);
        store.apply(spoolBatch({startEvent(kId, 1)}));
        LogModel log(&store, kKey);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(log.setSearch(QStringLiteral("n29999"))); // n29999, n299990..n299999
        QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
        store.apply(numbered(0, kLines));
        QCOMPARE(log.rowCount(), int(LogModel::kLinesPerTurn));
        QCOMPARE(inserted.count(), 1);

        QTRY_COMPARE(log.rowCount(), int(2 * LogModel::kLinesPerTurn));
        log.setActive(false);
        QTest::qWait(50);
        QCOMPARE(log.rowCount(), int(2 * LogModel::kLinesPerTurn));
        log.setActive(true);
        QTRY_COMPARE(log.rowCount(), kLines);
        QCOMPARE(inserted.count(), 5);
        for (const int row :
             {0, int(LogModel::kLinesPerTurn) - 1, int(LogModel::kLinesPerTurn), kLines - 1})
            QCOMPARE(log.index(row).data(LogModel::MessageRole).toString(),
                     QStringLiteral("n%1").arg(row));
        QCOMPARE(log.matchCount(), 11);
        QCOMPARE(log.index(log.nextMatch(-1)).data(LogModel::MessageRole).toString(),
                 QStringLiteral("n29999"));
    }

    void copyLinesCopiesTheShownLines() {
        SessionStore store;
        fillSmall(store);
        LogModel log(&store, kKey);
        log.setLevelEnabled(LogLevel::Info, false);
        const LogLines copy = log.copyLines();
        QCOMPARE(int(copy.lines.size()), 2);
        QCOMPARE(copy.textOf(copy.lines[0]), QByteArrayView("open /x: permission denied"));
        QCOMPARE(copy.lines[0].level, LogLevel::Error);
        QCOMPARE(copy.lines[0].timestampMs, 4);
        QCOMPARE(copy.textOf(copy.lines[1]), QByteArrayView("file changed while read: x"));
        QCOMPARE(copy.lines[1].level, LogLevel::Warning);
        // The copy does not change with the buffer.
        store.apply(spoolBatch({logEvent(kId, 8, "late", LogLevel::Error)}));
        QCOMPARE(int(copy.lines.size()), 2);
    }

    // Searching and stepping through 200,000 lines: the matches are found
    // by one scan of the buffer when the search changes; a step is a binary
    // search. Prints the times (not a timed test: the machine is shared).
    // The search scans a whole block of lines at once: it must find exactly
    // the lines a search line by line finds, never a hit that runs from one
    // line into the next, across blocks and with levels filtered. Short
    // lines of two letters make such straddling hits very common.
    void blockSearchFindsWhatALineByLineSearchFinds_data() {
        QTest::addColumn<QString>("needle");
        QTest::newRow("one letter") << QStringLiteral("B");
        QTest::newRow("two") << QStringLiteral("ab");
        QTest::newRow("three, mixed case") << QStringLiteral("bAa");
        QTest::newRow("longer than most lines") << QStringLiteral("abbab");
        QTest::newRow("longer than every line") << QStringLiteral("aaaaaaaaa");
    }
    void blockSearchFindsWhatALineByLineSearchFinds() {
        QFETCH(QString, needle);
        const QByteArray lowerNeedle = needle.toLatin1().toLower();
        findsWhatALineByLineSearchFinds(needle, false, 7, [&](const QByteArray &text) {
            return text.toLower().contains(lowerNeedle);
        });
    }

    // A regular expression with a prefilter searches a block's bytes for
    // its literals and runs only on the lines that hold them: the lines it
    // finds are those a plain QRegularExpression finds line by line, across
    // blocks, with levels filtered, hits running over line ends (short
    // lines of a few letters) and expressions without a prefilter too.
    // A block with lines that are not ASCII (UTF-8, or not UTF-8 at all) is
    // matched with PCRE2 checking each line, and a bad byte reads as U+FFFD
    // as it always did; an ASCII block skips the check and finds the same.
    void regexOverLinesThatAreNotAscii() {
        SessionStore store;
        store.apply(spoolBatch({startEvent(kId, 1),
                                logEvent(kId, 2,
                                         QByteArray("a\xff"
                                                    "b")),
                                logEvent(kId, 3, "axb"), logEvent(kId, 4, "caf\xc3\xa9 ok"),
                                logEvent(kId, 5, "a  b")}));
        LogModel log(&store, kKey);
        QVERIFY(log.setSearch(QStringLiteral("^a.b$"), true));
        log.setMatchingOnly(true);
        QCOMPARE(messages(log), QStringList({QStringLiteral("a\ufffdb"), QStringLiteral("axb")}));
        QVERIFY(log.setSearch(QStringLiteral("^CAF\\w\\s"), true));
        QCOMPARE(messages(log), QStringList({QStringLiteral("caf\u00e9 ok")}));

        SessionStore ascii;
        ascii.apply(spoolBatch({startEvent(kId, 1), logEvent(kId, 2, "axb"),
                                logEvent(kId, 3, "a  b"), logEvent(kId, 4, "ayb")}));
        LogModel asciiLog(&ascii, kKey);
        QVERIFY(asciiLog.setSearch(QStringLiteral("^a.b$"), true));
        asciiLog.setMatchingOnly(true);
        QCOMPARE(messages(asciiLog), QStringList({QStringLiteral("axb"), QStringLiteral("ayb")}));
    }

    void regexFindsWhatALineByLineSearchFinds_data() {
        QTest::addColumn<QString>("pattern");
        QTest::newRow("literal") << QStringLiteral("ab");
        QTest::newRow("alternation") << QStringLiteral("a|bb");
        QTest::newRow("anchored") << QStringLiteral("^b+a$");
        QTest::newRow("lookbehind") << QStringLiteral("(?<=a)b");
        QTest::newRow("dot star") << QStringLiteral("b.*ab");
        QTest::newRow("up to three") << QStringLiteral("ab{0,3}a");
        QTest::newRow("class") << QStringLiteral("[b]{2}a");
        QTest::newRow("no prefilter") << QStringLiteral("^(a|b)b\\1$");
    }
    void regexFindsWhatALineByLineSearchFinds() {
        QFETCH(QString, pattern);
        const QRegularExpression expression(pattern,
                                            QRegularExpression::CaseInsensitiveOption
                                                | QRegularExpression::UseUnicodePropertiesOption);
        const int found =
            findsWhatALineByLineSearchFinds(pattern, true, 9, [&](const QByteArray &text) {
                return expression.match(QString::fromUtf8(text)).hasMatch();
            });
        if (QTest::currentTestFailed())
            return;
        QVERIFY(found > 0);
    }

    void searchAndStepOverManyLines() {
        SessionStore store;
        store.setMaxLogLines(200000);
        store.apply(spoolBatch({startEvent(kId, 1)}));
        for (int i = 0; i < 200000; i += 20000)
            store.apply(numbered(i, 20000));
        LogModel log(&store, kKey);
        QCOMPARE(log.rowCount(), 200000);

        QElapsedTimer timer;
        timer.start();
        QVERIFY(log.setSearch(QStringLiteral("n1999")));
        const qint64 searchMs = timer.elapsed();
        QCOMPARE(log.matchCount(), 111); // n1999, n19990..n19999, n199900..n199999

        timer.restart();
        int row = -1;
        for (int i = 0; i < 10000; ++i)
            row = log.nextMatch(row);
        const qint64 stepsMs = timer.elapsed();
        QCOMPARE(log.matchNumber(row), 10000 % 111 == 0 ? 111 : 10000 % 111);

        timer.restart();
        QVERIFY(log.setSearch(QStringLiteral("^n1999[0-9]$"), true));
        const qint64 regexMs = timer.elapsed();
        QCOMPARE(log.matchCount(), 10);
        qInfo("200,000 lines: substring search %lld ms, regex search %lld ms, "
              "10,000 steps %lld ms",
              searchMs, regexMs, stepsMs);
    }
};

KW_TEST_GUILESS_MAIN(TestLogModel)
#include "tst_logmodel.moc"
