// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "collector/collector.h"
#include "export/sessionjson.h"
#include "history/historydatabase.h"
#include "history/historylogloader.h"
#include "history/historyrecorder.h"
#include "history/historyspoolsource.h"
#include "historymonitor.h"
#include "protocol/jsonwriter.h"
#include "spool/producergone.h"
#include "spool/spoolsnapshot.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace kw;
using namespace kw::test;

namespace {

// Appends to a remote host's mirror as the collector writes it.
bool appendMirror(const QString &remoteRoot, const QString &host, const QString &id,
                  const QList<Event> &events) {
    QDir().mkpath(remoteRoot + QLatin1Char('/') + host);
    QFile file(remoteRoot + QLatin1Char('/') + host + QLatin1Char('/') + id
               + QStringLiteral(".jsonl"));
    return file.open(QIODevice::Append) && file.write(encode(events)) > 0;
}

// What the history holds of one session, read beside the recorder:
// its log lines, or -1 while it is not there.
qint64 recordedLogLines(const QString &db, const SessionKey &key) {
    HistoryDatabase reader;
    if (!reader.openForReading(db))
        return -1;
    for (const Session &s : reader.sessions()) {
        if (s.key == key)
            return s.logLines;
    }
    return -1;
}

} // namespace

// Restarts lose nothing: the window (its collector and store) stopped and
// started again goes on from the history, with every session, state and
// line, and live sessions keep updating.
class TestHistoryRestart final : public QObject {
    Q_OBJECT

private slots:
    void restartStartsFromTheHistory() {
        TempSpool spool;
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("history.db"));
        const QString a = QStringLiteral("a"), b = QStringLiteral("b");
        spool.append(QStringLiteral("a.jsonl"),
                     encode({startEvent(a, 1000), logEvent(a, 1001, "a one"),
                             logEvent(a, 1002, "a two", LogLevel::Warning),
                             endEvent(a, 1003, SessionState::Succeeded, 0)}));
        spool.append(QStringLiteral("b.jsonl"),
                     encode({startEvent(b, 2000, SessionKind::Restore, QStringLiteral("borg")),
                             logEvent(b, 2001, "b one")}));
        {
            HistoryMonitor first(spool.path(), db);
            QVERIFY(first.settle());
            QCOMPARE(first.store.count(), 2);
            QCOMPARE(first.seeds, 1); // an empty history seeds nothing but says so
        }
        // While nobody watched, b went on.
        spool.append(QStringLiteral("b.jsonl"), encode({logEvent(b, 2002, "b two")}));

        HistoryMonitor second(spool.path(), db);
        QVERIFY(second.settle());
        QCOMPARE(second.store.count(), 2);
        // The finished session's lines wait in the database; the live one's are there.
        const int rowA = second.store.indexOf({QStringLiteral("spool"), a});
        const int rowB = second.store.indexOf({QStringLiteral("spool"), b});
        QVERIFY(second.store.needsHistoryLog(rowA));
        QVERIFY(!second.store.needsHistoryLog(rowB));
        QCOMPARE(second.store.log(rowB).size(), 2);
        QCOMPARE(second.store.at(rowA).state, SessionState::Succeeded);
        QCOMPARE(second.store.at(rowA).warnings, 1);

        QSignalSpy changed(&second.store, &SessionStore::changed);
        QVERIFY(second.loadAllLogs());
        QVERIFY(!changed.isEmpty());
        QCOMPARE(changed.last().first().value<StoreChange>().logRows, QList<int>{rowA});
        QCOMPARE(dumpStore(second.store), dumpSpool(spool.path()));

        // And the live session goes on updating.
        spool.append(
            QStringLiteral("b.jsonl"),
            encode({logEvent(b, 2003, "b three"), endEvent(b, 2004, SessionState::Failed, 2)}));
        QVERIFY(waitFor([&] { return second.store.at(rowB).state == SessionState::Failed; }));
        QCOMPARE(dumpStore(second.store), dumpSpool(spool.path()));
    }

    // Other hosts' sessions mirrored here (docs/fleet.md) are this
    // machine's only copy besides the mirrors: the history records them as
    // it records the own spool, keyed by (host, session ID), and a restart
    // goes on where it stopped in every mirror, also a host that appeared
    // while nobody watched, without a line twice.
    void remoteHostsMirrorsAreRecordedAndResumed() {
        TempSpool spool;
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("history.db"));
        const QString remote = dir.filePath(QStringLiteral("remote"));
        // The same session ID here and on web01: two sessions.
        const QString x = QStringLiteral("x");
        spool.append(QStringLiteral("x.jsonl"),
                     encode({startEvent(x, 1000), logEvent(x, 1001, "here"),
                             endEvent(x, 1002, SessionState::Succeeded, 0)}));
        QVERIFY(appendMirror(remote, QStringLiteral("web01"), x,
                             {startEvent(x, 1100), logEvent(x, 1101, "web01 one")}));
        {
            HistoryMonitor first(spool.path(), db, 500000, remote);
            QVERIFY(waitFor([&] { return first.store.count() == 2; }));
            const int row = first.store.indexOf({QStringLiteral("remote:web01"), x});
            QVERIFY(row >= 0);
            QCOMPARE(first.store.at(row).host, QStringLiteral("web01"));
            // The start event claims this test's host: said in the log, web01's.
            QVERIFY(waitFor([&] { return first.store.log(row).size() == 2; }));
            QVERIFY(first.store.log(row).line(0).text.toByteArray().contains("claims host"));
        }
        // While nobody watched: web01's session went on and ended, db01 appeared.
        QVERIFY(appendMirror(
            remote, QStringLiteral("web01"), x,
            {logEvent(x, 1102, "web01 two"), endEvent(x, 1103, SessionState::Failed, 3)}));
        const QString y = QStringLiteral("y");
        QVERIFY(appendMirror(remote, QStringLiteral("db01"), y,
                             {startEvent(y, 1200, SessionKind::Restore, QStringLiteral("borg")),
                              logEvent(y, 1201, "db01 one")}));
        {
            HistoryMonitor second(spool.path(), db, 500000, remote);
            QVERIFY(waitFor([&] { return second.store.count() == 3; }));
            const int web = second.store.indexOf({QStringLiteral("remote:web01"), x});
            QVERIFY(waitFor([&] { return second.store.at(web).state == SessionState::Failed; }));
            QVERIFY(second.loadAllLogs());
            QCOMPARE(dumpStore(second.store), dumpSpoolAndMirrors(spool.path(), remote));
            // A host appearing while the window runs is recorded too.
            QVERIFY(appendMirror(remote, QStringLiteral("db02"), y, {startEvent(y, 1300)}));
            QVERIFY(waitFor([&] { return second.store.count() == 4; }));
            QVERIFY(second.settle()); // and committed
        }
        // While nobody watched, db02's agent said its wrapper died: the
        // session, whose start is in the history only, ends interrupted.
        ProducerGone gone;
        gone.pid = 4242;
        gone.atMs = 1400;
        const QString db02y = remote + QStringLiteral("/db02/y.jsonl");
        gone.endOffset = QFileInfo(db02y).size();
        QVERIFY(gone.write(ProducerGone::markerFor(db02y)).isEmpty());
        // What the history holds is what the files hold, nothing twice.
        HistoryMonitor third(spool.path(), db, 500000, remote);
        QVERIFY(waitFor([&] {
            const int row = third.store.indexOf({QStringLiteral("remote:db02"), y});
            return row >= 0 && third.store.at(row).state == SessionState::Interrupted;
        }));
        QVERIFY(third.settle());
        QVERIFY(third.loadAllLogs());
        QCOMPARE(third.store.count(), 4);
        QCOMPARE(dumpStore(third.store), dumpSpoolAndMirrors(spool.path(), remote));
        QVERIFY(third.errors.isEmpty());
    }

    // The issue's own check: twenty real `keepwatch-cli run` sessions, the
    // monitor stopped and started again three times while they run.
    void twentyLiveSessionsSurviveRestarts() {
        TempSpool spool;
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("history.db"));
        constexpr int kSessions = 20;
        constexpr int kLines = 300;
        std::vector<std::unique_ptr<QProcess>> runs;
        for (int i = 0; i < kSessions; ++i) {
            auto run = std::make_unique<QProcess>();
            run->setProgram(cliPath());
            // Half of them fail, so that end states differ too.
            run->setArguments({QStringLiteral("run"), QStringLiteral("--session-id"),
                               QStringLiteral("live-%1").arg(i), QStringLiteral("--"),
                               QStringLiteral("sh"), QStringLiteral("-c"),
                               QStringLiteral("i=0; while [ $i -lt %1 ]; do echo \"s%2 line $i\"; "
                                              "i=$((i+1)); sleep 0.01; done; exit %3")
                                   .arg(kLines)
                                   .arg(i)
                                   .arg(i % 2 ? 3 : 0)});
            run->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            run->setStandardOutputFile(QProcess::nullDevice());
            run->start();
            QVERIFY(run->waitForStarted());
            runs.push_back(std::move(run));
        }
        for (int restart = 0; restart < 3; ++restart) {
            HistoryMonitor monitor(spool.path(), db);
            QVERIFY(waitFor([&] { return monitor.store.count() == kSessions; }));
            // Every session seen so far has its lines, none twice.
            for (int row = 0; row < monitor.store.count(); ++row) {
                const LogBuffer &log = monitor.store.log(row);
                QCOMPARE(log.size(), monitor.store.at(row).logLines);
                for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq) {
                    const QByteArray expected = QByteArray(" line ") + QByteArray::number(seq);
                    QVERIFY2(log.line(seq).text.toByteArray().endsWith(expected),
                             log.line(seq).text.toByteArray().constData());
                }
            }
            // The live ones go on updating.
            const qint64 before = monitor.store.at(0).logLines;
            QVERIFY(waitFor([&] { return monitor.store.at(0).logLines > before; }));
            QVERIFY(monitor.errors.isEmpty());
        }
        for (auto &run : runs)
            QVERIFY(run->waitForFinished(60000));

        HistoryMonitor last(spool.path(), db);
        QVERIFY(last.settle());
        QVERIFY(last.loadAllLogs());
        QCOMPARE(last.store.count(), kSessions);
        for (int row = 0; row < kSessions; ++row) {
            const Session &s = last.store.at(row);
            QCOMPARE(s.logLines, kLines);
            QCOMPARE(s.state,
                     s.id().mid(5).toInt() % 2 ? SessionState::Failed : SessionState::Succeeded);
        }
        QCOMPARE(dumpStore(last.store), dumpSpool(spool.path()));
    }

    // A recorder that cannot keep up (here: a queue of 100 events at most)
    // does not grow its queue, and does not stop recording either: it reads
    // the spool and the mirrors itself from its last commit. The window
    // gets everything at once; the history gets all of it in the same run,
    // lines written later and a host mirrored later too; a restart finds
    // nothing missing and nothing twice.
    void aRecorderFallingBehindReadsTheFilesItself() {
        TempSpool spool;
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("history.db"));
        const QString remote = dir.filePath(QStringLiteral("remote"));
        const QString a = QStringLiteral("a");
        QList<Event> events{startEvent(a, 1000)};
        for (int i = 0; i < 50000; ++i)
            events.append(logEvent(a, 1001 + i, "line " + QByteArray::number(i)));
        const qint64 half = events.size() / 2;
        spool.append(QStringLiteral("a.jsonl"), encode(events.mid(0, half)));
        const QString m = QStringLiteral("m");
        QVERIFY(appendMirror(remote, QStringLiteral("web01"), m,
                             {startEvent(m, 2000), logEvent(m, 2001, "web01 one")}));
        const SessionKey web01m{QStringLiteral("remote:web01"), m};
        const SessionKey db01m{QStringLiteral("remote:db01"), m};
        {
            HistoryMonitor first(spool.path(), db, 100, remote);
            QVERIFY(waitFor([&] { return first.store.count() == 2; }));
            const qint64 chunk = (events.size() - half) / 20;
            for (int i = 0; i < 20; ++i) // many small batches: the queue grows
                spool.append(QStringLiteral("a.jsonl"),
                             encode(events.mid(half + i * chunk, i == 19 ? -1 : chunk)));
            QVERIFY(waitFor([&] { return first.store.at(0).logLines == 50000; }, 20000));
            QVERIFY(waitFor([&] { return !first.errors.isEmpty(); }, 20000));
            QVERIFY2(first.errors.first().message.contains(
                         QLatin1String("reads the spool files itself from its last commit")),
                     qPrintable(first.errors.first().toString()));
            QCOMPARE(first.errors.first().location, db);
            // Recorded in this run, not at the next start.
            QVERIFY(waitFor(
                [&] {
                    return recordedLogLines(db, {QStringLiteral("spool"), a}) == 50000;
                },
                30000));
            // Its start claims this test's host: that is said in its log too.
            QCOMPARE(recordedLogLines(db, web01m), 2);
            // What is written after the fall is read from the files too, by
            // the recorder's own readers: a host mirrored for the first time
            // included.
            spool.append(QStringLiteral("a.jsonl"),
                         encode({logEvent(a, 60000, "after"),
                                 endEvent(a, 60001, SessionState::Succeeded, 0)}));
            QVERIFY(
                appendMirror(remote, QStringLiteral("web01"), m, {logEvent(m, 2002, "web01 two")}));
            QVERIFY(appendMirror(remote, QStringLiteral("db01"), m,
                                 {startEvent(m, 3000), logEvent(m, 3001, "db01 one")}));
            QVERIFY(waitFor(
                [&] {
                    return recordedLogLines(db, {QStringLiteral("spool"), a}) == 50001;
                },
                10000));
            QVERIFY(waitFor([&] { return recordedLogLines(db, web01m) == 3; }));
            QVERIFY(waitFor([&] { return recordedLogLines(db, db01m) == 2; }));
            QVERIFY(waitFor([&] { return first.store.count() == 3; }));
            QCOMPARE(first.errors.size(), 1); // said once
        }
        HistoryMonitor second(spool.path(), db, 500000, remote);
        QVERIFY(waitFor([&] { return second.store.count() == 3; }, 20000));
        QVERIFY(second.settle());
        QVERIFY(second.loadAllLogs());
        QCOMPARE(second.store.at(second.store.indexOf({QStringLiteral("spool"), a})).logLines,
                 50001);
        QVERIFY(second.errors.isEmpty());
        QCOMPARE(dumpStore(second.store), dumpSpoolAndMirrors(spool.path(), remote));
    }

    // Once the recorder reads the files itself, the collector's part of a
    // batch from the spool is dropped (written once, from the files), while
    // the events and cursors of sources that exist nowhere else for long
    // (systemd's runs, Bacula's jobs) are still recorded from the batch.
    void otherSourcesAreRecordedWhileTheRecorderReadsTheFiles() {
        TempSpool spool;
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("history.db"));
        const QString a = QStringLiteral("a");
        QList<Event> spooled{startEvent(a, 1000)};
        for (int i = 0; i < 300; ++i)
            spooled.append(logEvent(a, 1001 + i, "line " + QByteArray::number(i)));
        spool.append(QStringLiteral("a.jsonl"), encode(spooled));
        const QString source = QStringLiteral("systemd-system");
        QList<Event> unitRun{startEvent(QStringLiteral("u"), 5000),
                             logEvent(QStringLiteral("u"), 5001, "unit one"),
                             endEvent(QStringLiteral("u"), 5002, SessionState::Succeeded, 0)};
        for (Event &e : unitRun)
            e.source = source;
        {
            HistoryRecorder::Options options;
            options.databasePath = db;
            options.spoolDirectory = spool.path();
            options.maxPendingEvents = 100;
            HistoryRecorder recorder(options);
            // 301 events queued at once: more than 100, so the recorder reads the file.
            recorder.record(spooled, {});
            QVERIFY(waitFor([&] {
                return recordedLogLines(db, {QStringLiteral("spool"), a}) == 300;
            }));
            recorder.record(spooled, {}, {{source, QStringLiteral("cursor-1")}}, unitRun);
            QVERIFY(waitFor([&] {
                return recordedLogLines(db, {source, QStringLiteral("u")}) == 1;
            }));
            const QList<SourceError> errors = recorder.takeErrors();
            QCOMPARE(errors.size(), 1);
            QVERIFY2(errors.first().message.contains(QLatin1String("fell 301 events behind")),
                     qPrintable(errors.first().toString()));
        }
        HistoryDatabase reader;
        QVERIFY(reader.openForReading(db));
        QCOMPARE(reader.sourceCursors().value(source), QStringLiteral("cursor-1"));
        QCOMPARE(recordedLogLines(db, {QStringLiteral("spool"), a}), 300); // not twice
        QCOMPARE(reader.sessions().size(), 2);
    }

    // Lines are indexed for search a little after they are recorded, in
    // bulk: once the recorder has nothing queued, none is left waiting (the
    // first search after a burst does not have to index it).
    void theRecorderIndexesWhatItRecordedOnceIdle() {
        TempSpool spool;
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("history.db"));
        QList<Event> events{startEvent(QStringLiteral("a"), 1000)};
        for (int i = 0; i < 3000; ++i)
            events.append(logEvent(QStringLiteral("a"), 1001 + i,
                                   "copied /srv/data/file" + QByteArray::number(i)));
        spool.append(QStringLiteral("a.jsonl"), encode(events));
        HistoryMonitor monitor(spool.path(), db);
        QVERIFY(waitFor(
            [&] { return monitor.store.count() == 1 && monitor.store.at(0).logLines == 3000; }));
        HistoryDatabase reader; // reads the index as it is, indexes nothing
        QVERIFY(waitFor([&] {
            if (!reader.isOpen() && !reader.openForReading(db))
                return false;
            QSqlQuery q(reader.connection());
            return q.exec(QStringLiteral(
                       "SELECT count(*) FROM log_search WHERE log_search MATCH 'copied'"))
                   && q.next() && q.value(0).toInt() == 3000;
        }));
    }

    void unusableDatabaseFallsBackToTheSpool() {
        TempSpool spool;
        QTemporaryDir dir;
        spool.append(QStringLiteral("a.jsonl"), encode({startEvent(QStringLiteral("a"), 1),
                                                        logEvent(QStringLiteral("a"), 2, "x")}));
        // A directory where the database file should be.
        const QString db = dir.filePath(QStringLiteral("history.db"));
        QVERIFY(QDir().mkpath(db));
        HistoryMonitor monitor(spool.path(), db);
        QVERIFY(monitor.settle());
        QCOMPARE(monitor.store.count(), 1);
        QCOMPARE(monitor.store.log(0).size(), 1);
        QCOMPARE(monitor.errors.size(), 1);
        QVERIFY2(monitor.errors.first().message.contains(QLatin1String("not recorded")),
                 qPrintable(monitor.errors.first().toString()));
        QCOMPARE(monitor.errors.first().location, db);
    }

    // A page of the sessions table damaged (a disk error, say): the database
    // opens, since its schema reads; the sessions before the damage are
    // listed, and the rest is said with SQLite's reason, never dropped in
    // silence.
    void aDamagedSessionsTableIsSaid() {
        TempSpool spool;
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("history.db"));
        constexpr int kSessions = 3000; // about 60 pages of the table
        {
            HistoryDatabase history;
            QVERIFY(history.open(db));
            QVERIFY(history.begin());
            for (int i = 0; i < kSessions; ++i) {
                Session s;
                s.key = {QStringLiteral("spool"),
                         QStringLiteral("s%1").arg(i, 5, 10, QLatin1Char('0'))};
                s.state = SessionState::Succeeded;
                s.tool = QStringLiteral("restic");
                s.title = QStringLiteral("nightly %1").arg(i);
                s.firstEventMs = s.lastEventMs = 1000 + i;
                QVERIFY(history.insertSession(s));
            }
            QVERIFY(history.commit());
        }
        qint64 page = 0;
        qint64 pageSize = 0;
        {
            const QString name = QStringLiteral("pages");
            {
                QSqlDatabase probe = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                probe.setDatabaseName(db);
                QVERIFY(probe.open());
                QSqlQuery q(probe);
                QVERIFY(q.exec(QStringLiteral("PRAGMA page_size")) && q.next());
                pageSize = q.value(0).toLongLong();
                QVERIFY2(q.exec(QStringLiteral("SELECT pageno FROM dbstat WHERE name = 'sessions'"
                                               " AND pagetype = 'leaf' ORDER BY pageno")),
                         qPrintable(q.lastError().text()));
                QList<qint64> leaves;
                while (q.next())
                    leaves << q.value(0).toLongLong();
                QVERIFY(leaves.size() > 10);
                page = leaves.at(leaves.size() / 2);
            }
            QSqlDatabase::removeDatabase(name);
        }
        QFile file(db);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek((page - 1) * pageSize));
        QCOMPARE(file.write(QByteArray(pageSize, '\x5a')), pageSize);
        file.close();

        HistoryMonitor monitor(spool.path(), db);
        const auto said = [&] {
            for (const SourceError &e : monitor.errors)
                if (e.message.contains(QLatin1String("could not all be read")))
                    return e;
            return SourceError{};
        };
        QVERIFY(waitFor([&] { return !said().message.isEmpty(); }));
        const SourceError error = said();
        QCOMPARE(error.location, db);
        QVERIFY2(error.message.contains(QLatin1String("malformed")), qPrintable(error.toString()));
        // The sessions before the damaged page, and as many as it says.
        QVERIFY2(monitor.store.count() > 0 && monitor.store.count() < kSessions,
                 qPrintable(QString::number(monitor.store.count())));
        QVERIFY2(
            error.message.contains(QStringLiteral(": %1 are listed").arg(monitor.store.count())),
            qPrintable(error.toString()));
        QCOMPARE(monitor.store.at(0).key.id, QStringLiteral("s00000"));
    }

    // The history cannot be written (here: another process holds the write
    // lock past the busy timeout, as a full disk would fail the commit). The
    // window still shows every event; the next start reads on from the last
    // commit, and nothing is lost or doubled.
    void failedWritesLoseNothing() {
        TempSpool spool;
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("history.db"));
        const QString a = QStringLiteral("a");
        spool.append(QStringLiteral("a.jsonl"),
                     encode({startEvent(a, 1000), logEvent(a, 1001, "one")}));
        {
            HistoryMonitor first(spool.path(), db);
            QVERIFY(first.settle());
        }
        HistoryDatabase blocker;
        QVERIFY(blocker.open(db));
        QVERIFY(blocker.begin());
        QSqlQuery lock(blocker.connection());
        QVERIFY(lock.exec(QStringLiteral("UPDATE sessions SET title = title")));
        {
            HistoryMonitor second(spool.path(), db);
            // Its first write waits out the busy timeout (5 s) before failing.
            QVERIFY(waitFor([&] { return second.store.count() == 1; }, 15000));
            spool.append(QStringLiteral("a.jsonl"), encode({logEvent(a, 1002, "two")}));
            QVERIFY(waitFor([&] { return second.store.at(0).logLines == 2; }, 15000));
            QVERIFY(waitFor([&] { return !second.errors.isEmpty(); }, 15000));
            QVERIFY2(
                second.errors.first().message.contains(QLatin1String("cannot write the history")),
                qPrintable(second.errors.first().toString()));
            blocker.rollback();
            // Recording stays off for this run: a later commit would skip "two".
            spool.append(QStringLiteral("a.jsonl"),
                         encode({logEvent(a, 1003, "three"),
                                 endEvent(a, 1004, SessionState::Succeeded, 0)}));
            QVERIFY(waitFor([&] { return second.store.at(0).state == SessionState::Succeeded; }));
            QCOMPARE(second.errors.size(), 1);
        }
        blocker.close();
        HistoryMonitor third(spool.path(), db);
        QVERIFY(third.settle());
        QVERIFY(third.loadAllLogs());
        QCOMPARE(dumpStore(third.store), dumpSpool(spool.path()));
        QCOMPARE(third.store.at(0).logLines, 3);
    }
};

KW_TEST_GUILESS_MAIN(TestHistoryRestart)
#include "tst_historyrestart.moc"
