// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "export/sessionjson.h"
#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "history/historylogloader.h"
#include "history/historywriter.h"
#include "protocol/jsonwriter.h"
#include "spool/spoolsnapshot.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>
#include <sys/stat.h>

using namespace kw;
using namespace kw::test;

namespace {

// Everything the history knows, as text: sessions (every field, as the CLI
// shows them) and every log line. Two histories with the same dump hold the
// same content.
QString dump(HistoryDatabase &db) {
    QStringList out;
    QSqlQuery pks(db.connection());
    pks.exec(QStringLiteral("SELECT pk FROM sessions ORDER BY source, id"));
    while (pks.next()) {
        const qint64 pk = pks.value(0).toLongLong();
        const Session s = *db.loadSession(pk);
        QByteArray json;
        JsonWriter w(json);
        w.beginObject();
        SessionJson::write(w, s, 0);
        w.endObject();
        out << QString::fromUtf8(json);
        for (const HistoryDatabase::LogLine &l : db.logLines(pk))
            out << QStringLiteral("  %1 %2 %3")
                       .arg(l.timestampMs)
                       .arg(int(l.level))
                       .arg(QString::fromUtf8(l.message));
    }
    return out.join(QLatin1Char('\n'));
}

// The same, from a live store: what the window would show.
QString dump(SessionStore &store) {
    QList<int> rows;
    for (int i = 0; i < store.count(); ++i)
        rows << i;
    std::sort(rows.begin(), rows.end(), [&](int a, int b) {
        return std::make_pair(store.at(a).key.source, store.at(a).key.id)
               < std::make_pair(store.at(b).key.source, store.at(b).key.id);
    });
    QStringList out;
    for (int row : rows) {
        QByteArray json;
        JsonWriter w(json);
        w.beginObject();
        SessionJson::write(w, store.at(row), 0);
        w.endObject();
        out << QString::fromUtf8(json);
        const LogBuffer &log = store.log(row);
        for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq) {
            const LogBuffer::Line l = log.line(seq);
            out << QStringLiteral("  %1 %2 %3")
                       .arg(l.timestampMs)
                       .arg(int(l.level))
                       .arg(QString::fromUtf8(l.text));
        }
    }
    return out.join(QLatin1Char('\n'));
}

// A spool with a bit of everything, written in `parts` steps.
QList<QPair<QString, QByteArray>> spoolContent() {
    QList<QPair<QString, QByteArray>> parts;
    const QString a = QStringLiteral("backup-a"), b = QStringLiteral("restore-b"),
                  c = QStringLiteral("prune-c");
    ProgressPayload p;
    p.bytesDone = 100;
    p.bytesTotal = 1000;
    p.percent = 10;
    ProgressPayload q;
    q.bytesDone = 1000;
    q.percent = 100;
    q.current = QStringLiteral("/home/ana/ünïcode.txt");
    parts
        << qMakePair(a + QLatin1String(".jsonl"),
                     encode({startEvent(a, 1000, SessionKind::Backup, QStringLiteral("restic"),
                                        QStringLiteral("home")),
                             Event{a, {}, 1100, p}, logEvent(a, 1200, "scanning /home")}))
        << qMakePair(b + QLatin1String(".jsonl"),
                     encode({startEvent(b, 1500, SessionKind::Restore, QStringLiteral("borg"),
                                        QStringLiteral("etc")),
                             logEvent(b, 1600, "extracting etc/passwd"),
                             logEvent(b, 1700, "permission denied: etc/shadow", LogLevel::Error)}))
        << qMakePair(a + QLatin1String(".jsonl"),
                     encode({Event{a, {}, 2000, q},
                             logEvent(a, 2100, "a line with \"quotes\", commas, tabs\tand ünïcode",
                                      LogLevel::Warning)}))
        << qMakePair(c + QLatin1String(".jsonl"),
                     QByteArray("not json at all\n")
                         + encode({startEvent(c, 2500, SessionKind::Prune)}))
        << qMakePair(b + QLatin1String(".jsonl"),
                     encode({endEvent(b, 3000, SessionState::Failed, 2)}))
        << qMakePair(a + QLatin1String(".jsonl"),
                     encode({endEvent(a, 3100, SessionState::Succeeded, 0)}))
        << qMakePair(
               c + QLatin1String(".jsonl"),
               encode({logEvent(c, 3200, "done"), endEvent(c, 3300, SessionState::Warning, 3)}));
    return parts;
}

QByteArray sha(const QString &path) {
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestHistory final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString dbPath(const char *name) const { return m_dir.filePath(QString::fromUtf8(name)); }

private slots:
    // A finished session's log is read off the window's thread; the window
    // (the loader's owner) may close while a read runs: the loader waits for
    // it, nobody is called back, nothing is touched after it is gone (ASan).
    void logLoaderDeliversAndIsJoinedWhenDestroyed() {
        const QString path = dbPath("loader.db");
        const SessionKey key{QStringLiteral("spool"), QStringLiteral("big")};
        constexpr int kLines = 100000;
        {
            HistoryDatabase db;
            QVERIFY(db.open(path));
            Session s;
            s.key = key;
            s.state = SessionState::Succeeded;
            s.startedMs = 1000;
            s.endedMs = 1000 + kLines;
            const auto pk = db.insertSession(s);
            QVERIFY(pk);
            QVERIFY(db.begin());
            for (int i = 0; i < kLines; ++i)
                QVERIFY(db.insertLogLine(*pk, i, 1000 + i, LogLevel::Info,
                                         "line " + QByteArray::number(i)));
            QVERIFY(db.commit());
        }

        {
            HistoryLogLoader loader(path);
            std::optional<size_t> lines;
            QString error;
            connect(&loader, &HistoryLogLoader::loaded, this,
                    [&](const SessionKey &k, const std::shared_ptr<LogBuffer> &l) {
                        QCOMPARE(k, key);
                        lines = size_t(l->size());
                    });
            connect(&loader, &HistoryLogLoader::failed, this,
                    [&](const SessionKey &, const QString &message) { error = message; });
            loader.load(key, kLines);
            QVERIFY(loader.isLoading(key));
            loader.load(key, kLines); // asking again while it runs does nothing
            QTRY_VERIFY_WITH_TIMEOUT(lines || !error.isEmpty(), 20000);
            QCOMPARE(error, QString());
            QCOMPARE(*lines, size_t(kLines));
            QVERIFY(!loader.isLoading(key));
            loader.load(SessionKey{QStringLiteral("spool"), QStringLiteral("absent")}, 10);
            QTRY_VERIFY_WITH_TIMEOUT(!error.isEmpty(), 20000);
            QVERIFY(error.contains(QLatin1String("absent")));
        }

        // Destroyed before the read starts, just after, and in the middle.
        for (const int delayMs : {0, 1, 20, 60}) {
            auto loader = std::make_unique<HistoryLogLoader>(path);
            bool heard = false;
            connect(loader.get(), &HistoryLogLoader::loaded, this, [&heard] { heard = true; });
            connect(loader.get(), &HistoryLogLoader::failed, this, [&heard] { heard = true; });
            loader->load(key, kLines);
            loader->load(SessionKey{QStringLiteral("spool"), QStringLiteral("absent")}, 10);
            QThread::msleep(delayMs);
            loader.reset(); // waits for the read, or skips it when it has not started
            // Nothing is left to run (a pool thread that has just handed over
            // its result may take a moment to count as idle, more so under a
            // sanitizer on a busy machine).
            QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
            QTest::qWait(20); // a queued callback, if any, would arrive now
            QVERIFY(!heard);
        }
    }

    void createsAPrivateVersionedWalDatabase() {
        HistoryDatabase db;
        const QString path = m_dir.filePath(QStringLiteral("sub/dir/history.db"));
        QCOMPARE(db.open(path), HistoryDatabase::OpenResult::Created);
        QCOMPARE(db.schemaVersion(), HistoryDatabase::kSchemaVersion);
        QVERIFY2(privacyProblem(path).isEmpty(), qPrintable(privacyProblem(path)));
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        db.close();
        QCOMPARE(db.open(path),
                 HistoryDatabase::OpenResult::Opened); // a second open changes nothing
    }

    void migratesFromSchemaOne() {
        // What Keepwatch with schema 1 left behind: no log search yet.
        const QString path = dbPath("v1.db");
        {
            HistoryDatabase current;
            QVERIFY(current.open(path));
            Session s;
            s.key = SessionKey{QStringLiteral("spool"), QStringLiteral("old-1")};
            s.state = SessionState::Failed;
            s.firstEventMs = s.lastEventMs = 1000;
            const auto pk = current.insertSession(s);
            QVERIFY(pk);
            QVERIFY(current.insertLogLine(*pk, 0, 1000, LogLevel::Error,
                                          "connection refused by nas.example"));
            QSqlQuery q(current.connection());
            // Go back to schema 1 the way it really was: without the search table.
            QVERIFY(q.exec(QStringLiteral("DROP TRIGGER log_lines_ad")));
            QVERIFY(q.exec(QStringLiteral("DROP TABLE log_search")));
            // ... and without the columns later schemas added (4: the systemd unit).
            QVERIFY(q.exec(QStringLiteral("ALTER TABLE sessions DROP COLUMN unit")));
            QVERIFY(q.exec(QStringLiteral("ALTER TABLE sessions DROP COLUMN invocation_id")));
            // ... and without the other sources' cursors (5).
            QVERIFY(q.exec(QStringLiteral("DROP TABLE source_cursors")));
            // ... and without the mark of how far the index got (6).
            QVERIFY(q.exec(QStringLiteral("DROP TABLE search_progress")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 1")));
        }
        HistoryDatabase db;
        QCOMPARE(db.open(path), HistoryDatabase::OpenResult::Opened);
        QCOMPARE(db.schemaVersion(), HistoryDatabase::kSchemaVersion);
        // The old lines are found by the new full-text search, and kept.
        QCOMPARE(db.sessionsWithLogText(QStringLiteral("refused")).size(), 1);
        QCOMPARE(db.logLines(*db.findSession(
                                 SessionKey{QStringLiteral("spool"), QStringLiteral("old-1")}))
                     .size(),
                 1);
        QCOMPARE(db.sessions().first().state, SessionState::Failed);
        // Where systemd's journal was read up to can be kept, and moved on.
        QVERIFY(db.sourceCursors().isEmpty());
        QVERIFY(db.saveSourceCursor(QStringLiteral("systemd"), QStringLiteral("s=1;i=a")));
        QVERIFY(db.saveSourceCursor(QStringLiteral("systemd"), QStringLiteral("s=1;i=b")));
        QCOMPARE(db.sourceCursors(),
                 (QHash<QString, QString>{{QStringLiteral("systemd"), QStringLiteral("s=1;i=b")}}));
    }

    // Schema 6 indexes lines for search in bulk, a little after recording
    // them. A history of schema 5 (each transaction's lines indexed with
    // it) keeps its lines and what a search finds, indexes nothing twice,
    // and goes on: new lines are found, removed ones are not.
    void migratesFromSchemaFive() {
        const QString path = dbPath("v5.db");
        qint64 pk = 0;
        {
            HistoryDatabase current;
            QVERIFY(current.open(path));
            Session s;
            s.key = SessionKey{QStringLiteral("spool"), QStringLiteral("old-5")};
            s.state = SessionState::Failed;
            s.firstEventMs = s.lastEventMs = 1000;
            QVERIFY(current.begin());
            pk = current.insertSession(s).value_or(-1);
            QVERIFY(current.insertLogLine(pk, 0, 1000, LogLevel::Error,
                                          "connection refused by nas.example"));
            QVERIFY(current.insertLogLine(pk, 1, 1001, LogLevel::Info, "retrying in 30 s"));
            QVERIFY(current.indexPendingLogLines());
            QVERIFY(current.commit());
            QSqlQuery q(current.connection());
            // Back to schema 5: no mark of how far the index got, and the
            // trigger that took every removed line out of the index.
            QVERIFY(q.exec(QStringLiteral("DROP TRIGGER log_lines_ad")));
            QVERIFY(q.exec(QStringLiteral("DROP TABLE search_progress")));
            QVERIFY(q.exec(QStringLiteral(
                "CREATE TRIGGER log_lines_ad AFTER DELETE ON log_lines BEGIN INSERT INTO "
                "log_search(log_search, rowid, msg) VALUES ('delete', old.id, old.msg); END")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 5")));
        }
        HistoryDatabase db;
        QCOMPARE(db.open(path), HistoryDatabase::OpenResult::Opened);
        QCOMPARE(db.schemaVersion(), HistoryDatabase::kSchemaVersion);
        QCOMPARE(db.pendingLogLines(), 0);
        QCOMPARE(db.sessionsWithLogText(QStringLiteral("refused")), QList<qint64>{pk});
        QCOMPARE(db.logLines(pk).size(), 2);
        QVERIFY(db.begin());
        QVERIFY(db.insertLogLine(pk, 2, 1002, LogLevel::Info, "nas.example is back"));
        QVERIFY(db.commit());
        QCOMPARE(db.sessionsWithLogText(QStringLiteral("back")), QList<qint64>{pk});
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("DELETE FROM sessions WHERE pk = %1").arg(pk)));
        QVERIFY(db.sessionsWithLogText(QStringLiteral("nas")).isEmpty());
        // The index holds exactly what the lines say (a line taken out that
        // was never in it would break this).
        QVERIFY2(q.exec(QStringLiteral(
                     "INSERT INTO log_search(log_search, rank) VALUES ('integrity-check', 1)")),
                 qPrintable(q.lastError().text()));
    }

    void leavesANewerSchemaAlone() {
        const QString path = dbPath("newer.db");
        {
            HistoryDatabase db;
            QVERIFY(db.open(path));
            QSqlQuery q(db.connection());
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 99")));
        }
        const QByteArray before = sha(path);
        HistoryDatabase db;
        QVERIFY(!db.open(path));
        QVERIFY2(db.errorString().contains(QLatin1String("newer Keepwatch (schema 99")),
                 qPrintable(db.errorString()));
        QCOMPARE(sha(path), before);
    }

    void recoversFromACorruptFile() {
        const QString path = dbPath("corrupt.db");
        QFile garbage(path);
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(8192, '\x5a'));
        garbage.close();
        HistoryDatabase db;
        QCOMPARE(db.open(path), HistoryDatabase::OpenResult::Recovered);
        QVERIFY(QFile::exists(db.movedAsidePath())); // kept for a post-mortem
        QCOMPARE(QFileInfo(db.movedAsidePath()).size(), 8192);
        QCOMPARE(db.schemaVersion(), HistoryDatabase::kSchemaVersion);
        QVERIFY(db.sessions().isEmpty());
    }

    void ingestAgreesWithTheLiveStore() {
        TempSpool spool;
        for (const auto &[file, bytes] : spoolContent())
            spool.append(file, bytes);
        HistoryDatabase db;
        QVERIFY(db.open(dbPath("agree.db")));
        HistoryIngest ingest(db, spool.path());
        const HistoryIngest::Result r = ingest.sync();
        QVERIFY2(r.ok, qPrintable(db.errorString()));
        QCOMPARE(r.problems.size(), 1); // "not json at all", reported, skipped
        QCOMPARE(r.problems.first().line, 1);
        SessionStore store;
        SpoolSnapshot::load(spool.path(), store);
        QCOMPARE(dump(db), dump(store));
        QCOMPARE(db.sessions().size(), 3);
        QCOMPARE(db.sessionsWithLogText(QStringLiteral("permission")).size(), 1);
    }

    void resumesAfterARestartWithoutRepeating() {
        // Written in steps, read after each by a new process (a restart),
        // including a line that is only half written when one of them reads.
        TempSpool spool;
        const QString path = dbPath("restart.db");
        const auto parts = spoolContent();
        for (int i = 0; i < parts.size(); ++i) {
            const QByteArray &bytes = parts[i].second;
            spool.append(parts[i].first, bytes.left(bytes.size() - 7));
            {
                HistoryDatabase db;
                QVERIFY(db.open(path));
                QVERIFY(HistoryIngest(db, spool.path()).sync().ok);
            }
            spool.append(parts[i].first, bytes.right(7));
        }
        HistoryDatabase db;
        QVERIFY(db.open(path));
        QVERIFY(HistoryIngest(db, spool.path()).sync().ok);
        SessionStore store;
        SpoolSnapshot::load(spool.path(), store);
        QCOMPARE(dump(db), dump(store)); // every line once, none lost
    }

    void reindexGivesTheSameContent() {
        // Incrementally in many small steps, or at once from the spool: same history.
        TempSpool spool;
        HistoryDatabase live;
        QVERIFY(live.open(dbPath("live.db")));
        HistoryIngest ingest(live, spool.path());
        for (const auto &[file, bytes] : spoolContent()) {
            spool.append(file, bytes);
            QVERIFY(ingest.sync().ok);
        }
        const CliResult r = runCli(
            {QStringLiteral("reindex"), QStringLiteral("--database"), dbPath("reindexed.db")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("reindexed 3 sessions and 5 log lines from "), r.out.constData());
        QVERIFY(r.err.contains("not valid JSON")); // the bad line, said once more
        HistoryDatabase reindexed;
        QCOMPARE(reindexed.open(dbPath("reindexed.db")), HistoryDatabase::OpenResult::Opened);
        QCOMPARE(dump(reindexed), dump(live));
        // Every line is in the search index already, and found.
        QCOMPARE(reindexed.pendingLogLines(), 0);
        QCOMPARE(reindexed.sessionsWithLogText(QStringLiteral("denied")).size(), 1);
        QVERIFY2(privacyProblem(dbPath("reindexed.db")).isEmpty(),
                 qPrintable(privacyProblem(dbPath("reindexed.db"))));
        // A deleted database is rebuilt the same way.
        reindexed.close();
        QVERIFY(QFile::remove(dbPath("reindexed.db")));
        QCOMPARE(runCli({QStringLiteral("reindex"), QStringLiteral("--database"),
                         dbPath("reindexed.db")})
                     .exitCode,
                 0);
        QVERIFY(reindexed.open(dbPath("reindexed.db")));
        QCOMPARE(dump(reindexed), dump(live));
    }

    // systemd's runs are in no spool: a reindex keeps them from the old
    // history, searchable, with where the journal was read up to.
    void reindexKeepsSystemdRuns() {
        TempSpool spool;
        const QString path = dbPath("with-systemd.db");
        {
            HistoryDatabase db;
            QVERIFY(db.open(path));
            HistoryIngest ingest(db, spool.path());
            for (const auto &[file, bytes] : spoolContent()) {
                spool.append(file, bytes);
                QVERIFY(ingest.sync().ok);
            }
            const QString run = QStringLiteral("0123456789abcdef0123456789abcdef");
            QList<Event> events = {startEvent(run, 1000), logEvent(run, 1100, "unit says quokka"),
                                   endEvent(run, 1200, SessionState::Failed, 1)};
            for (Event &e : events)
                e.source = QStringLiteral("systemd");
            HistoryWriter writer(db);
            QVERIFY(HistoryIngest::write(db, writer, events, {},
                                         {{QStringLiteral("systemd"), QStringLiteral("s=1;i=2")}}));
        }
        QString before;
        {
            HistoryDatabase db;
            QVERIFY(db.open(path));
            before = dump(db);
        }
        QVERIFY(before.contains(QLatin1String("quokka")));
        const CliResult r = runCli({QStringLiteral("reindex"), QStringLiteral("--database"), path});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("reindexed 4 sessions and 6 log lines"), r.out.constData());
        HistoryDatabase db;
        QVERIFY(db.open(path));
        QCOMPARE(dump(db), before);
        QCOMPARE(db.sessionsWithLogText(QStringLiteral("quokka")).size(), 1);
        QCOMPARE(db.sourceCursors().value(QStringLiteral("systemd")), QStringLiteral("s=1;i=2"));
    }

    void retention_data() {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("kept");
        QTest::addColumn<QByteArray>("said");
        QTest::newRow("by age") << QStringList{QStringLiteral("--max-age"), QStringLiteral("30d")}
                                << "new-ok old-growing old-running"
                                << QByteArray(
                                       "removed 2 finished sessions (3 log lines, 2 spool files)");
        QTest::newRow("by count") << QStringList{QStringLiteral("--max-sessions"),
                                                 QStringLiteral("1")}
                                  << "new-ok old-growing old-running"
                                  << QByteArray("removed 2 finished sessions");
        QTest::newRow("both, loose")
            << QStringList{QStringLiteral("--max-age"), QStringLiteral("90d"),
                           QStringLiteral("--max-sessions"), QStringLiteral("10")}
            << "new-ok old-failed old-growing old-ok old-running"
            << QByteArray("removed 0 finished sessions");
        QTest::newRow("dry run") << QStringList{QStringLiteral("--max-age"), QStringLiteral("30d"),
                                                QStringLiteral("--dry-run")}
                                 << "new-ok old-failed old-growing old-ok old-running"
                                 << QByteArray("would remove 2 finished sessions");
    }
    void retention() {
        QFETCH(QStringList, options);
        QFETCH(QString, kept);
        QFETCH(QByteArray, said);
        TempSpool spool;
        const QString dbFile =
            m_dir.filePath(QStringLiteral("retention-%1.db")
                               .arg(QString::fromLatin1(QTest::currentDataTag())
                                        .replace(QLatin1Char(' '), QLatin1Char('-'))));
        qputenv("KEEPWATCH_HISTORY", QFile::encodeName(dbFile));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 day = 86400000;
        auto session = [&](const char *id, qint64 ago, SessionState end, int lines) {
            const QString sid = QString::fromLatin1(id);
            QList<Event> events{startEvent(sid, now - ago)};
            for (int i = 0; i < lines; ++i)
                events << logEvent(sid, now - ago + i, "line");
            if (isTerminal(end))
                events << endEvent(sid, now - ago + 1000, end, 0);
            spool.append(sid + QLatin1String(".jsonl"), encode(events));
        };
        session("old-ok", 60 * day, SessionState::Succeeded, 2);
        session("old-failed", 45 * day, SessionState::Failed, 1);
        session("old-running", 50 * day, SessionState::Running, 1); // never removed
        session("old-growing", 55 * day, SessionState::Succeeded, 1);
        session("new-ok", 1 * day, SessionState::Succeeded, 1);
        // Read into the history, then "old-growing" gets a line that is not
        // in the history yet: its file must stay.
        {
            HistoryDatabase db;
            QVERIFY(db.open(dbFile));
            QVERIFY(HistoryIngest(db, spool.path()).sync().ok);
        }
        spool.append(QStringLiteral("old-growing.jsonl"),
                     encode({logEvent(QStringLiteral("old-growing"), now, "late comment")}));
        // ...unless the command reads the spool first, which it does: so make
        // the late line partial, something no sync can take yet.
        spool.append(QStringLiteral("old-growing.jsonl"), "{\"v\":1,\"ts\":\"2026-");

        const CliResult r = runCli(QStringList{QStringLiteral("retention")} + options);
        qunsetenv("KEEPWATCH_HISTORY");
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(said), r.out.constData());
        HistoryDatabase db;
        QVERIFY(db.open(dbFile));
        QStringList ids;
        for (const Session &s : db.sessions())
            ids << s.key.id;
        ids.sort();
        QCOMPARE(ids.join(QLatin1Char(' ')), kept);
        // Removed everywhere: the spool files went too, so a reindex does not
        // bring them back; the kept ones' files are all there.
        for (const QString &id :
             {QStringLiteral("old-ok"), QStringLiteral("old-failed"), QStringLiteral("old-running"),
              QStringLiteral("old-growing"), QStringLiteral("new-ok")})
            QCOMPARE(QFile::exists(spool.file(id)), kept.contains(id));
    }

    void retentionNeedsARule() {
        TempSpool spool;
        const CliResult r = runCli({QStringLiteral("retention")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("say what to keep"));
        QCOMPARE(runCli({QStringLiteral("retention"), QStringLiteral("--max-age"),
                         QStringLiteral("soon")})
                     .exitCode,
                 2);
    }

    void timelineKeepsStatesAndThinsProgress() {
        TempSpool spool;
        QList<Event> events{startEvent(QStringLiteral("t"), 0)};
        for (int i = 0; i < 600; ++i) // 4 a second for 150 s
            events << progressEvent(QStringLiteral("t"), 250 * i, i / 6.0);
        events << stateEvent(QStringLiteral("t"), 150000, SessionState::Cancelling)
               << endEvent(QStringLiteral("t"), 150001, SessionState::Cancelled, 130);
        spool.append(QStringLiteral("t.jsonl"), encode(events));
        HistoryDatabase db;
        QVERIFY(db.open(dbPath("timeline.db")));
        QVERIFY(HistoryIngest(db, spool.path()).sync().ok);
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(
            QStringLiteral("SELECT type, count(*) FROM events GROUP BY type ORDER BY type")));
        QStringList counts;
        while (q.next())
            counts << q.value(0).toString() + QLatin1Char('=') + q.value(1).toString();
        QCOMPARE(counts.join(QLatin1Char(' ')),
                 QStringLiteral("end=1 progress=15 start=1 state=1"));
    }
};

KW_TEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
