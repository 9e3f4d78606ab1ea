// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>

using namespace kw;
using namespace kw::test;

// keepwatch-cli search (issue 18) over sessions the real `run` recorded: a
// real rsync copying a tree of photos and a failing command. Lines are
// found by word, phrase, prefix and path, with their session, host and the
// match marked; nothing found is exit 1, as grep; a query that cannot be
// searched for is a usage error in words, never a crash.
class TestCliSearch final : public QObject {
    Q_OBJECT

    TempSpool *m_spool = nullptr;
    QTemporaryDir m_tree;
    QTemporaryDir m_state; // $XDG_STATE_HOME: where collect keeps other hosts' mirrors
    QString m_rsyncId;

    QList<QByteArray> searchJson(const QStringList &queries) {
        QList<QByteArray> out;
        for (const QString &query : queries)
            out << runCli({QStringLiteral("search"), query, QStringLiteral("--json")}).out;
        return out;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_state.isValid());
        qputenv("XDG_STATE_HOME", QFile::encodeName(m_state.path()));
        // A session of web01 mirrored here (keepwatch-cli collect), whose
        // payload claims another host (testsupport's events say "testhost").
        const QString mirrors = m_state.filePath(QStringLiteral("keepwatch/remote/web01"));
        QVERIFY(QDir().mkpath(mirrors));
        QFile mirror(mirrors + QStringLiteral("/nightly-web.jsonl"));
        QVERIFY(mirror.open(QIODevice::WriteOnly));
        mirror.write(encode(
            {startEvent(QStringLiteral("nightly-web"), 1000),
             logEvent(QStringLiteral("nightly-web"), 1001, "new       /var/www/html/index.html"),
             endEvent(QStringLiteral("nightly-web"), 1002, SessionState::Succeeded, 0)}));
        mirror.close();
        m_spool = new TempSpool;
        if (QStandardPaths::findExecutable(QStringLiteral("rsync")).isEmpty())
            QSKIP("rsync is not installed (Debian package rsync)");
        const QString source = m_tree.filePath(QStringLiteral("srv/data/photos/2024"));
        QVERIFY(QDir().mkpath(source));
        for (const char *name : {"IMG_2231.jpg", "IMG_2232.jpg", "notes.txt"}) {
            QFile file(source + QLatin1Char('/') + QLatin1String(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("photo");
        }
        const CliResult rsync = runCli(
            {QStringLiteral("run"), QStringLiteral("--session-id"), QStringLiteral("photos-sync"),
             QStringLiteral("--"), QStringLiteral("rsync"), QStringLiteral("-av"),
             m_tree.filePath(QStringLiteral("srv")), m_tree.filePath(QStringLiteral("copy"))});
        QVERIFY2(rsync.exitCode == 0, rsync.err.constData());
        const CliResult failing =
            runCli({QStringLiteral("run"), QStringLiteral("--session-id"), QStringLiteral("dump"),
                    QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                    QStringLiteral("echo 'error: No space left on device' >&2; exit 28")});
        QCOMPARE(failing.exitCode, 28);
    }
    void cleanupTestCase() { delete m_spool; }

    void finds_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("sessions");
        QTest::addColumn<QString>("marked"); // in the first line found
        QTest::newRow("a word") << QStringList{QStringLiteral("space")}
                                << QStringList{QStringLiteral("dump")}
                                << QStringLiteral("error: No «space» left on device");
        QTest::newRow("a phrase") << QStringList{QStringLiteral("\"no space left\"")}
                                  << QStringList{QStringLiteral("dump")}
                                  << QStringLiteral("error: «No space left» on device");
        QTest::newRow("a prefix") << QStringList{QStringLiteral("IMG_223*")}
                                  << QStringList{QStringLiteral("photos-sync"),
                                                 QStringLiteral("photos-sync")}
                                  << QString();
        QTest::newRow("a path") << QStringList{QStringLiteral("data/photos/2024/IMG_2231.jpg")}
                                << QStringList{QStringLiteral("photos-sync")} << QString();
        QTest::newRow("a state") << QStringList{QStringLiteral("space"), QStringLiteral("--state"),
                                                QStringLiteral("succeeded")}
                                 << QStringList{} << QString();
        QTest::newRow("a tool") << QStringList{QStringLiteral("IMG_2231*"),
                                               QStringLiteral("--tool"), QStringLiteral("rsync")}
                                << QStringList{QStringLiteral("photos-sync")} << QString();
        QTest::newRow("nothing") << QStringList{QStringLiteral("tape")} << QStringList{}
                                 << QString();
        QTest::newRow("hostile") << QStringList{QStringLiteral("'); DROP TABLE sessions; --")}
                                 << QStringList{} << QString();
    }
    void finds() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, sessions);
        QFETCH(QString, marked);
        const CliResult result = runCli(QStringList{QStringLiteral("search")} + args);
        QCOMPARE(result.exitCode, sessions.isEmpty() ? 1 : 0);
        const QStringList lines =
            QString::fromUtf8(result.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), sessions.size());
        for (int i = 0; i < lines.size(); ++i)
            QVERIFY2(lines[i].contains(QLatin1String("  ") + sessions[i] + QLatin1String("  ")),
                     qPrintable(lines[i]));
        if (!marked.isEmpty())
            QVERIFY2(lines.first().endsWith(marked), qPrintable(lines.first()));
        // The history still has every session after a hostile query.
        QVERIFY(runCli({QStringLiteral("search"), QStringLiteral("IMG_2231*")}).exitCode == 0);
    }

    void json() {
        const CliResult result = runCli(
            {QStringLiteral("search"), QStringLiteral("IMG_2232*"), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        const QJsonArray hits = QJsonDocument::fromJson(result.out).array();
        QCOMPARE(hits.size(), 1);
        const QJsonObject hit = hits.first().toObject();
        QCOMPARE(hit.value(QLatin1String("session")).toString(), QStringLiteral("photos-sync"));
        QCOMPARE(hit.value(QLatin1String("tool")).toString(), QStringLiteral("rsync"));
        QCOMPARE(hit.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        const QString line = hit.value(QLatin1String("line")).toString();
        QVERIFY2(line.endsWith(QLatin1String("srv/data/photos/2024/IMG_2232.jpg")),
                 qPrintable(line));
        const QJsonObject match = hit.value(QLatin1String("matches")).toArray().first().toObject();
        QCOMPARE(line.mid(match.value(QLatin1String("start")).toInt(),
                          match.value(QLatin1String("length")).toInt()),
                 QStringLiteral("IMG_2232"));
    }

    // Other hosts' mirrors are searched too, each line with the host of its
    // mirror (the broker's topic), never the one its payload claims.
    void findsMirroredSessionsWithTheirHost() {
        const CliResult result = runCli(
            {QStringLiteral("search"), QStringLiteral("/var/www/html"), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        const QJsonArray hits = QJsonDocument::fromJson(result.out).array();
        QCOMPARE(hits.size(), 1);
        const QJsonObject hit = hits.first().toObject();
        QCOMPARE(hit.value(QLatin1String("session")).toString(), QStringLiteral("nightly-web"));
        QCOMPARE(hit.value(QLatin1String("host")).toString(), QStringLiteral("web01"));
        const CliResult onHost = runCli({QStringLiteral("search"), QStringLiteral("index.html"),
                                         QStringLiteral("--host"), QStringLiteral("testhost")});
        QCOMPARE(onHost.exitCode, 1);
    }

    // A history rebuilt from the spool and the mirrors finds the same lines.
    void aReindexedHistoryFindsTheSameLines() {
        const QStringList queries{QStringLiteral("IMG_223*"), QStringLiteral("space"),
                                  QStringLiteral("/var/www/html/index.html"),
                                  QStringLiteral("\"sending incremental\"")};
        const QList<QByteArray> before = searchJson(queries);
        for (const QByteArray &found : before)
            QVERIFY2(QJsonDocument::fromJson(found).array().size() > 0, found.constData());
        const CliResult reindex = runCli({QStringLiteral("reindex")}, 60000);
        QVERIFY2(reindex.exitCode == 0, reindex.err.constData());
        QVERIFY2(reindex.out.contains("the mirrors of 1 host"), reindex.out.constData());
        QCOMPARE(searchJson(queries), before);
    }

    void malformed_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("unclosed quote") << QStringList{QStringLiteral("\"no space")}
                                        << QStringLiteral("the quote at column 1 is not closed");
        QTest::newRow("punctuation")
            << QStringList{QStringLiteral("*** ...")} << QStringLiteral("no letter or digit");
        QTest::newRow("no query") << QStringList{} << QStringLiteral("what to search for?");
        QTest::newRow("bad state")
            << QStringList{QStringLiteral("x"), QStringLiteral("--state"), QStringLiteral("happy")}
            << QStringLiteral("unknown state");
        QTest::newRow("bad limit")
            << QStringList{QStringLiteral("x"), QStringLiteral("--limit"), QStringLiteral("0")}
            << QStringLiteral("--limit takes");
        QTest::newRow("since and from")
            << QStringList{QStringLiteral("x"), QStringLiteral("--since"), QStringLiteral("1d"),
                           QStringLiteral("--from"), QStringLiteral("today")}
            << QStringLiteral("not both");
    }
    void malformed() {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const CliResult result = runCli(QStringList{QStringLiteral("search")} + args);
        QCOMPARE(result.exitStatus, QProcess::NormalExit);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(QString::fromUtf8(result.err).contains(error), result.err.constData());
    }
};

KW_TEST_GUILESS_MAIN(TestCliSearch)
#include "tst_clisearch.moc"
