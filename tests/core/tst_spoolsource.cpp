// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spoolsource.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace kw;
using namespace kw::test;

// How a spool reader keeps up with a big spool (bench_systemspool measures
// it at 20,000 files and a 2 GiB file): new files in steps, so no batch
// brings thousands of sessions at once; while it catches up with a big file,
// the thousands of finished ones are looked at again only now and then, yet
// never forgotten; and a file created just after a listing is still found.
class TestSpoolSource final : public QObject {
    Q_OBJECT

    static QByteArray finishedSession(const QString &id) {
        return encode({startEvent(id, 1000), logEvent(id, 1001, "done"),
                       endEvent(id, 1002, SessionState::Succeeded, 0)});
    }

    static void pollInto(SpoolSource &source, SessionStore &store) {
        EventBatch batch;
        source.poll(batch);
        store.apply(batch);
    }

    static qint64 logLinesOf(const SessionStore &store, const QString &id) {
        const int row = store.indexOf({QStringLiteral("spool"), id});
        return row < 0 ? -1 : store.at(row).logLines;
    }

    // The directory's mtime moved into the past, as a spool nobody has
    // added to for a while: its listing is trusted from then on.
    static void ageDirectory(const QString &path) {
        QVERIFY(setModificationTime(path, QDateTime::currentSecsSinceEpoch() - 60));
    }

private slots:
    void aBigSpoolIsTakenInSteps() {
        TempSpool spool;
        for (int i = 0; i < 25; ++i) {
            const QString id = QStringLiteral("s%1").arg(i, 2, 10, QLatin1Char('0'));
            spool.append(id + QStringLiteral(".jsonl"), finishedSession(id));
        }
        SpoolSource::Options options;
        options.maxNewFilesPerPoll = 10;
        SpoolSource source(spool.path(), options);
        SessionStore store;
        QList<int> counts;
        for (int poll = 0; poll < 4; ++poll) {
            pollInto(source, store);
            counts << store.count();
            QCOMPARE(source.hasPendingData(), store.count() < 25);
        }
        QCOMPARE(counts, (QList<int>{10, 20, 25, 25}));
        for (int row = 0; row < store.count(); ++row)
            QCOMPARE(store.at(row).state, SessionState::Succeeded);
    }

    void finishedFilesGrowingWhileCatchingUpAreRead() {
        TempSpool spool;
        // A live session with far more than one poll may read of it.
        QList<Event> big{startEvent(QStringLiteral("big"), 1000)};
        for (int i = 0; i < 2000; ++i)
            big << logEvent(QStringLiteral("big"), 1001 + i, "a line of the big session");
        spool.append(QStringLiteral("big.jsonl"), encode(big));
        spool.append(QStringLiteral("done.jsonl"), finishedSession(QStringLiteral("done")));
        SpoolSource::Options options;
        options.maxBytesPerFile = 4096;
        options.sweepIntervalMs = 100;
        SpoolSource source(spool.path(), options);
        SessionStore store;
        pollInto(source, store);
        QVERIFY(source.hasPendingData());
        QCOMPARE(logLinesOf(store, QStringLiteral("done")), 1);

        // The finished session's file grows (a second end, a late line).
        spool.append(QStringLiteral("done.jsonl"),
                     encode({logEvent(QStringLiteral("done"), 1003, "one more line")}));
        QElapsedTimer clock;
        clock.start();
        while (logLinesOf(store, QStringLiteral("done")) == 1 && clock.elapsed() < 5000)
            pollInto(source, store);
        QCOMPARE(logLinesOf(store, QStringLiteral("done")), 2);
        // Within a sweep interval or so, and the big session went on meanwhile.
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        while (source.hasPendingData())
            pollInto(source, store);
        QCOMPARE(logLinesOf(store, QStringLiteral("big")), 2000);
    }

    // The directory is listed again only when its mtime changes; a file
    // created right after a listing (same clock tick) must not be missed.
    void newFilesAreFoundWhateverTheTiming() {
        TempSpool spool;
        spool.append(QStringLiteral("a.jsonl"), finishedSession(QStringLiteral("a")));
        SpoolSource source(spool.path());
        SessionStore store;
        pollInto(source, store);
        QCOMPARE(store.count(), 1);
        // At once: the listing of a moment ago is not trusted to be complete.
        spool.append(QStringLiteral("b.jsonl"), finishedSession(QStringLiteral("b")));
        pollInto(source, store);
        QCOMPARE(store.count(), 2);

        // An old, trusted listing: a new file changes the mtime, and is found.
        ageDirectory(spool.path());
        pollInto(source, store);
        pollInto(source, store);
        spool.append(QStringLiteral("c.jsonl"), finishedSession(QStringLiteral("c")));
        pollInto(source, store);
        QCOMPARE(store.count(), 3);
    }
};

KW_TEST_GUILESS_MAIN(TestSpoolSource)
#include "tst_spoolsource.moc"
