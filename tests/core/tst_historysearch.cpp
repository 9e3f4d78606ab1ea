// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historydatabase.h"
#include "history/historyretention.h"
#include "history/historysearch.h"
#include "history/searchmarks.h"
#include "testmain.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <functional>
#include <memory>

using namespace kw;

// Searching the history's log lines (issue 18): what a person types becomes
// an FTS5 query that cannot be a syntax error, every kind of term finds what
// it should, the filters narrow it, the match is marked, and a session that
// retention removed is never found again.
class TestHistorySearch final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;

    void addSession(HistoryDatabase &db, const QString &id, const QString &host,
                    const QString &tool, SessionState state, qint64 startMs,
                    const QList<QByteArray> &lines) {
        Session s;
        s.key = {QStringLiteral("spool"), id};
        s.host = host;
        s.tool = tool;
        s.title = tool + QStringLiteral(" backup");
        s.state = state;
        s.startedMs = startMs;
        s.endedMs = startMs + 1000;
        s.firstEventMs = startMs;
        s.lastEventMs = startMs + 1000;
        s.logLines = lines.size();
        QVERIFY(db.begin());
        const auto pk = db.insertSession(s);
        QVERIFY(pk);
        for (int i = 0; i < lines.size(); ++i)
            QVERIFY(db.insertLogLine(
                *pk, i, startMs + i,
                lines[i].startsWith("error") ? LogLevel::Error : LogLevel::Info, lines[i]));
        QVERIFY(db.commit()); // not indexed yet: a search indexes what is pending
    }

    QStringList found(HistoryDatabase &db, SearchQuery query) {
        QString error;
        const auto hits = HistorySearch::run(db, query, &error);
        if (!hits) {
            qWarning("%s", qPrintable(error));
            return {QStringLiteral("error")};
        }
        QStringList out;
        for (const SearchHit &hit : *hits)
            out << hit.key.id + QLatin1Char(':') + QString::number(hit.seq);
        return out;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("history.db"));
        HistoryDatabase db;
        QVERIFY(db.open(m_path));
        addSession(db, QStringLiteral("photos"), QStringLiteral("web01"), QStringLiteral("restic"),
                   SessionState::Succeeded, 1000,
                   {"open repository", "new       /srv/data/photos/2024/IMG_2231.jpg",
                    "new       /srv/data/photos/2024/IMG_2232.jpg", "snapshot 1a2b3c saved"});
        addSession(db, QStringLiteral("db-dump"), QStringLiteral("db01"), QStringLiteral("borg"),
                   SessionState::Failed, 5000,
                   {"Creating archive at \"/srv/borg::db-{now}\"", "error: No space left on device",
                    "error: \"space left\" is what the disk had"});
        addSession(db, QStringLiteral("mirror"), QStringLiteral("web01"), QStringLiteral("rsync"),
                   SessionState::Succeeded, 9000,
                   {"sending incremental file list", "data/photos/2024/IMG_2231.jpg",
                    "sent 4,096 bytes  received 35 bytes"});
    }

    void queries_data() {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("fts");
        QTest::newRow("a word") << "space"
                                << "\"space\"";
        QTest::newRow("two words, both") << "no space"
                                         << "\"no\" \"space\"";
        QTest::newRow("a phrase") << "\"no space left\""
                                  << "\"no space left\"";
        QTest::newRow("a prefix") << "IMG_22*"
                                  << "\"IMG_22\" *";
        QTest::newRow("a path") << "/srv/data/photos/2024"
                                << "\"/srv/data/photos/2024\"";
        QTest::newRow("FTS5's own syntax is only text") << "NEAR(a b) OR c:d"
                                                        << "\"NEAR(a\" \"b)\" \"OR\" \"c:d\"";
        QTest::newRow("a quote to escape") << "\"say \"\"hi\""
                                           << "\"say \" \"hi\"";
    }
    void queries() {
        QFETCH(QString, typed);
        QFETCH(QString, fts);
        QString error;
        QCOMPARE(HistorySearch::ftsQuery(typed, &error).value_or(error), fts);
    }

    void malformed_data() {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("error");
        QTest::newRow("unclosed quote") << "disk \"no space"
                                        << "the quote at column 6 is not closed";
        QTest::newRow("nothing") << "   "
                                 << "nothing to search for";
        QTest::newRow("punctuation only")
            << "--- ***"
            << "nothing to search for in \"--- ***\": no letter or digit";
    }
    void malformed() {
        QFETCH(QString, typed);
        QFETCH(QString, error);
        QString said;
        QVERIFY(!HistorySearch::ftsQuery(typed, &said));
        QCOMPARE(said, error);
        HistoryDatabase db;
        QVERIFY(db.open(m_path));
        SearchQuery query;
        query.text = typed;
        QVERIFY(!HistorySearch::run(db, query, &said));
        QCOMPARE(said, error);
    }

    void finds_data() {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("hits");
        QTest::newRow("a word") << "space"
                                << QStringList{QStringLiteral("db-dump:1"),
                                               QStringLiteral("db-dump:2")};
        QTest::newRow("a phrase, in order")
            << QStringLiteral("\"no space left\"") << QStringList{QStringLiteral("db-dump:1")};
        QTest::newRow("a prefix") << "IMG_223*"
                                  << QStringList{QStringLiteral("photos:1"),
                                                 QStringLiteral("photos:2"),
                                                 QStringLiteral("mirror:1")};
        QTest::newRow("a whole path")
            << "/srv/data/photos/2024"
            << QStringList{QStringLiteral("photos:1"), QStringLiteral("photos:2")};
        QTest::newRow("part of a path")
            << "data/photos/2024/IMG_2231.jpg"
            << QStringList{QStringLiteral("photos:1"), QStringLiteral("mirror:1")};
        QTest::newRow("case does not matter")
            << QStringLiteral("SNAPSHOT") << QStringList{QStringLiteral("photos:3")};
        QTest::newRow("both words somewhere")
            << "sent received" << QStringList{QStringLiteral("mirror:2")};
        QTest::newRow("nothing") << "tape" << QStringList{};
        QTest::newRow("hostile") << "\"*) OR 1=1 --\"" << QStringList{};
    }
    void finds() {
        QFETCH(QString, typed);
        QFETCH(QStringList, hits);
        HistoryDatabase db;
        QVERIFY(db.open(m_path));
        SearchQuery query;
        query.text = typed;
        QCOMPARE(found(db, query), hits);
    }

    void filters() {
        HistoryDatabase db;
        QVERIFY(db.open(m_path));
        SearchQuery query;
        query.text = QStringLiteral("IMG_2231*");
        QCOMPARE(found(db, query),
                 (QStringList{QStringLiteral("photos:1"), QStringLiteral("mirror:1")}));
        query.host = QStringLiteral("web01");
        query.tool = QStringLiteral("rsync");
        QCOMPARE(found(db, query), QStringList{QStringLiteral("mirror:1")});
        query.tool.clear();
        query.fromMs = 2000; // the line times: photos 1001.., mirror 9001..
        QCOMPARE(found(db, query), QStringList{QStringLiteral("mirror:1")});
        query.fromMs.reset();
        query.toMs = 9001;
        QCOMPARE(found(db, query), QStringList{QStringLiteral("photos:1")});
        query.toMs.reset();
        query.host.clear();
        query.text = QStringLiteral("error");
        query.state = SessionState::Failed;
        QCOMPARE(found(db, query),
                 (QStringList{QStringLiteral("db-dump:1"), QStringLiteral("db-dump:2")}));
        query.state = SessionState::Succeeded;
        QCOMPARE(found(db, query), QStringList{});
        query.state.reset();
        query.limit = 1;
        QCOMPARE(found(db, query), QStringList{QStringLiteral("db-dump:1")});
    }

    // The match marked where it is, with the session it belongs to.
    void theMatchIsMarked() {
        HistoryDatabase db;
        QVERIFY(db.open(m_path));
        SearchQuery query;
        query.text = QStringLiteral("\"no space\" device");
        QString error;
        const auto hits = HistorySearch::run(db, query, &error);
        QVERIFY2(hits, qPrintable(error));
        QCOMPARE(hits->size(), 1);
        const SearchHit &hit = hits->first();
        QCOMPARE(hit.key, (SessionKey{QStringLiteral("spool"), QStringLiteral("db-dump")}));
        QCOMPARE(hit.host, QStringLiteral("db01"));
        QCOMPARE(hit.tool, QStringLiteral("borg"));
        QCOMPARE(hit.state, SessionState::Failed);
        QCOMPARE(hit.level, LogLevel::Error);
        QCOMPARE(hit.timestampMs, qint64(5001));
        QCOMPARE(hit.line, QStringLiteral("error: No space left on device"));
        QStringList marked;
        for (const auto &[start, length] : hit.matches)
            marked << hit.line.mid(start, length);
        QCOMPARE(marked, (QStringList{QStringLiteral("No space"), QStringLiteral("device")}));
    }

    // The window's search: streamed in the order the lines were recorded,
    // only the sessions its filter bar lets through (the limit counting
    // their lines alone), and stopped between rows when asked.
    void streamsOnlyTheScopedSessionsAndStops() {
        HistoryDatabase db;
        QVERIFY(db.open(m_path));
        SearchQuery query;
        query.text = QStringLiteral("IMG_2231* OR space");
        const auto each = [&](const std::function<bool()> &stopped = {}) {
            QStringList out;
            QString error;
            const bool ok = HistorySearch::forEach(
                db, query, HistorySearch::Order::AsRecorded,
                [&](SearchHit &&hit) {
                    out << hit.key.id + QLatin1Char(':') + QString::number(hit.seq);
                    return true;
                },
                &error, stopped);
            if (!ok)
                out << QStringLiteral("error: ") + error;
            return out;
        };
        // OR is a word here, as every term is: the lines need both.
        QCOMPARE(each(), QStringList{});
        query.text = QStringLiteral("IMG_2231*");
        QCOMPARE(each(), (QStringList{QStringLiteral("photos:1"), QStringLiteral("mirror:1")}));
        query.sessions = std::make_shared<const QSet<SessionKey>>(
            QSet<SessionKey>{{QStringLiteral("spool"), QStringLiteral("mirror")}});
        query.limit = 1;
        QCOMPARE(each(), QStringList{QStringLiteral("mirror:1")});
        query.sessions = std::make_shared<const QSet<SessionKey>>();
        QCOMPARE(each(), QStringList{});
        query.sessions.reset();
        query.limit = 100;
        QCOMPARE(each([] { return true; }), QStringList{});
        // Stopping from the hit callback ends it after that hit.
        QStringList first;
        QString error;
        QVERIFY(HistorySearch::forEach(
            db, query, HistorySearch::Order::AsRecorded,
            [&](SearchHit &&hit) {
                first << hit.key.id;
                return false;
            },
            &error));
        QCOMPARE(first, QStringList{QStringLiteral("photos")});
        query.text = QStringLiteral("\"unclosed");
        QVERIFY(!HistorySearch::forEach(
            db, query, HistorySearch::Order::AsRecorded, [](SearchHit &&) { return true; },
            &error));
        QCOMPARE(error, QStringLiteral("the quote at column 1 is not closed"));
    }

    // The marks are found in C++ (SearchMarks), not by FTS5's highlight():
    // on every line FTS5 matches, they are the ones highlight() gives, and
    // where SearchMarks reads Unicode differently it says so (then the
    // search asks highlight() for that line).
    void marksAgreeWithFts5_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("typed");
        const auto row = [](const char *name, const char *line, const char *typed) {
            QTest::newRow(name) << QString::fromUtf8(line) << QString::fromUtf8(typed);
        };
        row("word", "error: No space left on device", "space");
        row("two terms", "error: No space left on device", "\"no space\" device");
        row("case", "ERROR: Disk FULL", "full error");
        row("path", "new  /srv/data/photos/2024/IMG_2231.jpg, saved", "/srv/data/photos/2024");
        row("part of a path", "new  /srv/data/photos/2024/IMG_2231.jpg", "data/photos");
        row("prefix", "A /srv/IMG_2231.jpg and /srv/IMG_2232.jpg", "IMG_223*");
        row("phrase prefix", "sending incremental file list", "\"sending incr\"*");
        row("twice, apart", "copy a.txt to b/a.txt", "a.txt");
        row("overlapping terms", "chunk 77 of disk", "\"chunk 77\" \"77 of\"");
        row("diacritics", "Sauvegarde terminée: café.txt", "terminee cafe");
        row("accented query", "restored naive.doc", "naïve");
        row("digits", "sent 4,096 bytes  received 35 bytes", "4,096");
        row("underscore splits", "db_dump_2026-11-30.sql.gz", "dump_2026");
        row("non-latin", "Резервная копия завершена", "копия");
    }
    void marksAgreeWithFts5() {
        QFETCH(QString, line);
        QFETCH(QString, typed);
        QSqlDatabase sqlite =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("marks"));
        sqlite.setDatabaseName(QStringLiteral(":memory:"));
        QVERIFY(sqlite.open());
        {
            QSqlQuery q(sqlite);
            QVERIFY(q.exec(QStringLiteral("CREATE VIRTUAL TABLE t USING fts5(msg)")));
            QVERIFY(q.prepare(QStringLiteral("INSERT INTO t(msg) VALUES (?)")));
            q.addBindValue(line);
            QVERIFY(q.exec());
            QString error;
            const auto fts = HistorySearch::ftsQuery(typed, &error);
            QVERIFY2(fts, qPrintable(error));
            QVERIFY(q.prepare(
                QStringLiteral("SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?")));
            q.addBindValue(*fts);
            QVERIFY(q.exec());
            QVERIFY2(q.next(), "FTS5 does not match the line");
            const QString highlighted = q.value(0).toString();
            const auto terms = HistorySearch::terms(typed, &error);
            QVERIFY(terms);
            const auto ranges = SearchMarks(*terms).in(line);
            QVERIFY2(ranges, "SearchMarks found no marks");
            QString marked = line;
            for (auto it = ranges->crbegin(); it != ranges->crend(); ++it) {
                marked.insert(it->first + it->second, QLatin1Char(']'));
                marked.insert(it->first, QLatin1Char('['));
            }
            QCOMPARE(marked, highlighted);
        }
        sqlite.close();
        sqlite = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("marks"));
    }

    // Retention removes a session: none of its lines is found any more.
    void aRemovedSessionIsNeverFound() {
        const QString path = m_dir.filePath(QStringLiteral("retention.db"));
        QFile::copy(m_path, path);
        HistoryDatabase db;
        QVERIFY(db.open(path));
        SearchQuery query;
        query.text = QStringLiteral("IMG_2231*");
        QCOMPARE(found(db, query).size(), 2);
        HistoryRetention::Rules rules;
        rules.maxSessions = 1; // the newest: mirror
        const auto result =
            HistoryRetention::apply(db, m_dir.filePath(QStringLiteral("no-spool")), rules, 20000);
        Q_UNUSED(result)
        QCOMPARE(found(db, query), QStringList{QStringLiteral("mirror:1")});
        query.text = QStringLiteral("space");
        QCOMPARE(found(db, query), QStringList{});
    }

    // The index follows the lines in bulk, a little later. A recorded line
    // is found whether it was indexed, is still waiting, or a crash left it
    // unindexed; a removed one is not, however far the index had got; new
    // lines after the newest were removed are found (SQLite would give them
    // the removed lines' ids); and the index stays whole.
    void pendingLinesAreFoundAndRemovedLinesAreNot_data() {
        QTest::addColumn<bool>("indexFirst");
        QTest::addColumn<bool>("reopen");
        QTest::newRow("indexed") << true << false;
        QTest::newRow("not indexed yet") << false << false;
        QTest::newRow("left unindexed by a crash") << false << true;
    }
    void pendingLinesAreFoundAndRemovedLinesAreNot() {
        QFETCH(bool, indexFirst);
        QFETCH(bool, reopen);
        const QString path = m_dir.filePath(
            QStringLiteral("pending-%1.db").arg(QString::fromLatin1(QTest::currentDataTag())));
        HistoryDatabase db;
        QVERIFY(db.open(path));
        addSession(db, QStringLiteral("monday"), QStringLiteral("nas"), QStringLiteral("rsync"),
                   SessionState::Succeeded, 1000,
                   {"tape01 mounted", "copying /srv/tape/alpha.dat"});
        addSession(db, QStringLiteral("tuesday"), QStringLiteral("nas"), QStringLiteral("rsync"),
                   SessionState::Succeeded, 9000, {"copying /srv/tape/beta.dat"});
        if (indexFirst)
            QVERIFY(db.indexPendingLogLines());
        if (reopen) {
            db.close();
            QVERIFY(db.open(path));
        }
        QCOMPARE(db.pendingLogLines(), indexFirst ? 0 : 3);
        HistoryRetention::Rules rules;
        rules.maxSessions = 1; // the newest: tuesday
        QVERIFY(
            HistoryRetention::apply(db, m_dir.filePath(QStringLiteral("no-spool")), rules, 20000)
                .ok);
        SearchQuery query;
        query.text = QStringLiteral("tape*");
        QCOMPARE(found(db, query), QStringList{QStringLiteral("tuesday:0")});
        query.text = QStringLiteral("alpha");
        QCOMPARE(found(db, query), QStringList{});
        // The newest lines go too, after they were indexed; then new ones come.
        rules.maxSessions = 0;
        QVERIFY(
            HistoryRetention::apply(db, m_dir.filePath(QStringLiteral("no-spool")), rules, 20000)
                .ok);
        addSession(db, QStringLiteral("wednesday"), QStringLiteral("nas"), QStringLiteral("rsync"),
                   SessionState::Running, 30000, {"copying /srv/tape/gamma.dat"});
        query.text = QStringLiteral("tape*");
        QCOMPARE(found(db, query), QStringList{QStringLiteral("wednesday:0")});
        QSqlQuery q(db.connection());
        QVERIFY2(q.exec(QStringLiteral(
                     "INSERT INTO log_search(log_search, rank) VALUES ('integrity-check', 1)")),
                 qPrintable(q.lastError().text()));
        // With nothing left to index, a read-only connection searches too.
        HistoryDatabase reader;
        QVERIFY(reader.openForReading(path));
        QCOMPARE(found(reader, query), QStringList{QStringLiteral("wednesday:0")});
    }
};

KW_TEST_GUILESS_MAIN(TestHistorySearch)
#include "tst_historysearch.moc"
