// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historydatabase.h"
#include "history/historysearchrunner.h"
#include "models/searchhitmodel.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace kw;
using namespace kw::test;

// Search All Logs' engine (issue 18): the search runs on a pool thread and
// its hits come back in batches while it runs, the first at once; the limit
// says whether more lines match; a stopped or replaced search is never heard
// of again; a history that cannot be read is said in words. And the list
// the window shows them in keeps them in time order however they arrive.
class TestHistorySearchRunner final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    static constexpr int kChunkLines = 3000;

    static void addSession(HistoryDatabase &db, const QString &id, const QString &host,
                           qint64 startMs, const QList<QByteArray> &lines, bool indexed = true) {
        Session s;
        s.key = {QStringLiteral("spool"), id};
        s.host = host;
        s.tool = QStringLiteral("restic");
        s.title = QStringLiteral("backup of ") + id;
        s.state = SessionState::Succeeded;
        s.startedMs = s.firstEventMs = startMs;
        s.endedMs = s.lastEventMs = startMs + lines.size();
        s.logLines = lines.size();
        QVERIFY(db.begin());
        const auto pk = db.insertSession(s);
        QVERIFY(pk);
        for (int i = 0; i < lines.size(); ++i)
            QVERIFY(db.insertLogLine(*pk, i, startMs + i, LogLevel::Info, lines[i]));
        if (indexed)
            QVERIFY(db.indexPendingLogLines());
        QVERIFY(db.commit());
    }

    // A runner and what it says.
    struct Watched {
        HistorySearchRunner runner;
        QSignalSpy hits{&runner, &HistorySearchRunner::hitsFound};
        QSignalSpy finished{&runner, &HistorySearchRunner::finished};
        explicit Watched(const QString &path)
            : runner(path) {}
    };

    static SearchQuery queryFor(const QString &text, int limit = 100000) {
        SearchQuery query;
        query.text = text;
        query.limit = limit;
        return query;
    }

    // Every hit the runner delivered, in the order delivered.
    static QList<SearchHit> hitsOf(const QSignalSpy &spy) {
        QList<SearchHit> hits;
        for (const QList<QVariant> &args : spy)
            hits += args.first().value<QList<SearchHit>>();
        return hits;
    }

private Q_SLOTS:
    void initTestCase() {
        qRegisterMetaType<QList<SearchHit>>();
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("history.db"));
        HistoryDatabase db;
        QVERIFY(db.open(m_path));
        QList<QByteArray> chunks;
        for (int i = 0; i < kChunkLines; ++i)
            chunks << "chunk " + QByteArray::number(i) + " of /srv/data/big.img";
        addSession(db, QStringLiteral("big"), QStringLiteral("web01"), 100000, chunks);
        addSession(db, QStringLiteral("small"), QStringLiteral("db01"), 1000,
                   {"open repository", "chunk 1 of /srv/db/dump.sql", "snapshot saved"});
    }

    void batchesTheHitsAsTheyAreFound() {
        Watched w(m_path);
        auto &[runner, hits, finished] = w;
        SearchQuery query = queryFor(QStringLiteral("chunk"), 100000);
        runner.start(query);
        QVERIFY(runner.isRunning());
        QVERIFY(finished.wait(30000));
        QVERIFY(!runner.isRunning());
        QCOMPARE(finished.first(), (QList<QVariant>{kChunkLines + 1, false, false, QString()}));
        const QList<SearchHit> all = hitsOf(hits);
        QCOMPARE(all.size(), kChunkLines + 1);
        // The first hit alone, at once; then batches.
        QCOMPARE(hits.first().first().value<QList<SearchHit>>().size(), 1);
        QVERIFY(hits.size() > 2);
        for (const QList<QVariant> &args : std::as_const(hits))
            QVERIFY(args.first().value<QList<SearchHit>>().size()
                    <= HistorySearchRunner::kBatchHits);
        // As recorded: the big session first, whose lines came first.
        QCOMPARE(all.first().key.id, QStringLiteral("big"));
        QCOMPARE(all.first().line, QStringLiteral("chunk 0 of /srv/data/big.img"));
        QCOMPARE(all.last().key.id, QStringLiteral("small"));
        QCOMPARE(all.last().host, QStringLiteral("db01"));
    }

    void saysWhenMoreLinesMatch() {
        Watched w(m_path);
        auto &[runner, hits, finished] = w;
        SearchQuery query = queryFor(QStringLiteral("chunk"), 500);
        runner.start(query);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first(), (QList<QVariant>{500, true, false, QString()}));
        QCOMPARE(hitsOf(hits).size(), 500);
        // Exactly as many as match: no more.
        query.text = QStringLiteral("dump.sql");
        query.limit = 1;
        runner.start(query);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.last(), (QList<QVariant>{1, false, false, QString()}));
    }

    void onlyTheScopedSessions() {
        Watched w(m_path);
        auto &[runner, hits, finished] = w;
        SearchQuery query = queryFor(QStringLiteral("chunk"));
        query.sessions = std::make_shared<const QSet<SessionKey>>(
            QSet<SessionKey>{{QStringLiteral("spool"), QStringLiteral("small")}});
        runner.start(query);
        QVERIFY(finished.wait(30000));
        const QList<SearchHit> all = hitsOf(hits);
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().line, QStringLiteral("chunk 1 of /srv/db/dump.sql"));
    }

    // Lines the recorder has not indexed yet (it indexes in bulk, a little
    // later) are found all the same: the search indexes them first, on
    // its own connection.
    void findsLinesNotIndexedYet() {
        const QString path = m_dir.filePath(QStringLiteral("pending.db"));
        {
            HistoryDatabase db;
            QVERIFY(db.open(path));
            addSession(db, QStringLiteral("burst"), QStringLiteral("web01"), 1000,
                       {"new /srv/burst/one.dat", "new /srv/burst/two.dat"}, false);
        }
        Watched w(path);
        w.runner.start(queryFor(QStringLiteral("/srv/burst")));
        QVERIFY(w.finished.wait(30000));
        QCOMPARE(w.finished.first(), (QList<QVariant>{2, false, false, QString()}));
        QCOMPARE(hitsOf(w.hits).size(), 2);
    }

    // Stopped before the pool thread found anything: it says so at once,
    // and nothing the task still finds is delivered.
    void aStoppedSearchIsNeverHeardOfAgain() {
        Watched w(m_path);
        auto &[runner, hits, finished] = w;
        SearchQuery query = queryFor(QStringLiteral("chunk"), 100000);
        runner.start(query);
        runner.stop();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first(), (QList<QVariant>{0, false, true, QString()}));
        QVERIFY(!runner.isRunning());
        QTest::qWait(500);
        QCOMPARE(hits.size(), 0);
        QCOMPARE(finished.size(), 1);
    }

    // A new search replaces the running one: only its hits arrive.
    void aNewSearchReplacesTheRunningOne() {
        Watched w(m_path);
        auto &[runner, hits, finished] = w;
        SearchQuery query = queryFor(QStringLiteral("chunk"), 100000);
        runner.start(query);
        query.text = QStringLiteral("snapshot");
        runner.start(query);
        QVERIFY(waitFor([&] { return finished.size() == 2; }, 30000));
        QCOMPARE(finished.at(0).at(2).toBool(), true); // the first, stopped
        QCOMPARE(finished.at(1), (QList<QVariant>{1, false, false, QString()}));
        QTest::qWait(300);
        const QList<SearchHit> all = hitsOf(hits);
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().line, QStringLiteral("snapshot saved"));
    }

    void saysWhatWentWrong_data() {
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("no database") << QStringLiteral("missing/history.db")
                                     << QStringLiteral("chunk") << QStringLiteral("missing");
        QTest::newRow("not a database")
            << QStringLiteral("garbage.db") << QStringLiteral("chunk") << QStringLiteral("garbage");
        QTest::newRow("malformed query") << QString() << QStringLiteral("\"chunk")
                                         << QStringLiteral("the quote at column 1 is not closed");
    }
    void saysWhatWentWrong() {
        QFETCH(QString, database);
        QFETCH(QString, text);
        QFETCH(QString, error);
        QString path = m_path;
        if (!database.isEmpty()) {
            path = m_dir.filePath(database);
            if (database == QLatin1String("garbage.db")) {
                QFile file(path);
                QVERIFY(file.open(QIODevice::WriteOnly));
                file.write(QByteArray(8192, '\x5a'));
            }
        }
        Watched w(path);
        auto &[runner, hits, finished] = w;
        Q_UNUSED(hits)
        SearchQuery query;
        query.text = text;
        runner.start(query);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toInt(), 0);
        const QString said = finished.first().at(3).toString();
        QVERIFY2(said.contains(error), qPrintable(said));
    }

    // Gone mid-search (the window closed): the task is waited for, not left
    // writing into a dead object.
    void destroyedWhileSearching() {
        auto runner = std::make_unique<HistorySearchRunner>(m_path);
        SearchQuery query = queryFor(QStringLiteral("chunk"), 100000);
        runner->start(query);
        QTest::qWait(1);
        runner.reset();
        QTest::qWait(100);
    }

    // The list keeps the hits in time order however they arrive, and is a
    // well-behaved model while they do.
    void theListIsInTimeOrder() {
        SearchHitModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto hit = [](const char *id, qint64 ms, const char *line) {
            SearchHit h;
            h.key = {QStringLiteral("spool"), QString::fromLatin1(id)};
            h.title = QStringLiteral("Nightly ") + QString::fromLatin1(id);
            h.host = QStringLiteral("web01");
            h.timestampMs = ms;
            h.level = LogLevel::Error;
            h.line = QString::fromLatin1(line);
            h.matches = {{0, 5}};
            return h;
        };
        model.add({hit("b", 2000, "error two"), hit("a", 1000, "error one")});
        model.add({hit("c", 1500, "error one and a half"), hit("d", 3000, "error three")});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.sessionCount(), 4);
        QStringList order;
        for (int r = 0; r < model.rowCount(); ++r)
            order << model.index(r, SearchHitModel::Line).data().toString();
        QCOMPARE(order,
                 (QStringList{QStringLiteral("error one"), QStringLiteral("error one and a half"),
                              QStringLiteral("error two"), QStringLiteral("error three")}));
        const QModelIndex line = model.index(0, SearchHitModel::Line);
        QCOMPARE(line.data(SearchHitModel::TimestampRole).toLongLong(), qint64(1000));
        QCOMPARE(line.data(SearchHitModel::LevelRole).toInt(), int(LogLevel::Error));
        QCOMPARE(line.data(SearchHitModel::MatchRangesRole).value<QList<TextRange>>(),
                 (QList<TextRange>{{0, 5}}));
        QCOMPARE(model.index(0, SearchHitModel::Session).data().toString(),
                 QStringLiteral("Nightly a"));
        QCOMPARE(model.index(0, SearchHitModel::Host).data().toString(), QStringLiteral("web01"));
        QVERIFY(model.index(0, SearchHitModel::Time).data().toString().contains(QLatin1Char(':')));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.sessionCount(), 0);
    }
};

KW_TEST_GUILESS_MAIN(TestHistorySearchRunner)
#include "tst_historysearchrunner.moc"
