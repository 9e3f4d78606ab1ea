// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/stat.h>

using namespace kw;
using namespace kw::test;

namespace {

QByteArray readFile(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

int modeOf(const QString &path) {
    struct stat st;
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

// Every file under `dir`, recursively (hidden ones too).
QStringList filesUnder(const QString &dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    out.sort();
    return out;
}

QJsonObject show(const QString &id) {
    return QJsonDocument::fromJson(
               runCli({QStringLiteral("show"), id, QStringLiteral("--json")}).out)
        .object();
}

} // namespace

// Issue 7, "Security", end to end with the real keepwatch-cli.
class TestSecurity final : public QObject {
    Q_OBJECT

private slots:
    // A secret on the command line (or in the wrapper's environment) is in
    // none of: the spool, the history database's files, list, show, and
    // every export format.
    void secretsAreNeverShownStoredOrExported_data() {
        QTest::addColumn<QStringList>("command");
        const QString sh = QStringLiteral("sh"), c = QStringLiteral("-c"),
                      ok = QStringLiteral("echo working");
        QTest::newRow("--password=")
            << QStringList{sh, c, ok, sh, QStringLiteral("--password=hunter2")};
        QTest::newRow("--password VALUE")
            << QStringList{sh, c, ok, sh, QStringLiteral("--password"), QStringLiteral("hunter2")};
        QTest::newRow("user:pass@ url")
            << QStringList{sh, c, ok, sh, QStringLiteral("sftp://backup:hunter2@nas/repo")};
        QTest::newRow("RESTIC_PASSWORD=") << QStringList{
            QStringLiteral("env"), QStringLiteral("RESTIC_PASSWORD=hunter2"), sh, c, ok};
        // The same inside the script of `sh -c`, as cron lines are written.
        QTest::newRow("in a sh -c script")
            << QStringList{sh, c,
                           QStringLiteral("RESTIC_PASSWORD=hunter2 true --password hunter2 "
                                          "--token=hunter2 rclone://u:hunter2@h/x; echo working")};
    }
    void secretsAreNeverShownStoredOrExported() {
        QFETCH(QStringList, command);
        TempSpool spool;
        QTemporaryDir work;
        const QString id = QStringLiteral("secret");
        QProcess run;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RESTIC_PASSWORD"), QStringLiteral("hunter2"));
        env.insert(QStringLiteral("BORG_PASSPHRASE"), QStringLiteral("hunter2"));
        run.setProcessEnvironment(env);
        run.start(cliPath(), QStringList{QStringLiteral("run"), QStringLiteral("--session-id"), id,
                                         QStringLiteral("--")}
                                 + command);
        QVERIFY(run.waitForFinished(10000));
        QCOMPARE(run.exitCode(), 0);
        QCOMPARE(run.readAllStandardOutput(), QByteArray("working\n"));

        QList<QPair<QString, QByteArray>> seen;
        const QJsonObject s = show(id);
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        const QByteArray shownCommand =
            QJsonDocument(s.value(QLatin1String("command")).toArray()).toJson();
        QVERIFY2(shownCommand.contains("***"), shownCommand.constData());
        seen << qMakePair(QStringLiteral("show --json"), QJsonDocument(s).toJson());
        seen << qMakePair(QStringLiteral("show"), runCli({QStringLiteral("show"), id}).out);
        seen << qMakePair(QStringLiteral("list"), runCli({QStringLiteral("list")}).out);
        seen << qMakePair(QStringLiteral("list --json"),
                          runCli({QStringLiteral("list"), QStringLiteral("--json")}).out);
        for (const char *format : {"html", "csv", "json"}) {
            const QString out = work.filePath(QStringLiteral("report.") + QLatin1String(format));
            const CliResult r = runCli({QStringLiteral("export"), QStringLiteral("--format"),
                                        QLatin1String(format), QStringLiteral("-o"), out});
            QCOMPARE(r.exitCode, 0);
            const QByteArray report = readFile(out);
            QVERIFY(report.contains("secret"));
            seen << qMakePair(QLatin1String(format), report);
        }
        // Files at rest: the spool, and the history's database, WAL and lock.
        const QStringList stored =
            filesUnder(spool.path()) + filesUnder(QFileInfo(spool.historyPath()).path());
        QVERIFY(stored.contains(spool.historyPath()));
        for (const QString &file : stored)
            seen << qMakePair(file, readFile(file));
        for (const auto &[where, bytes] : seen) {
            QVERIFY2(!bytes.isEmpty(), qPrintable(where));
            QVERIFY2(!bytes.contains("hunter2"), qPrintable(where));
        }
    }

    // Hostile session IDs: refused with a clear error, and no file appears
    // anywhere but in the spool.
    void hostileSessionIdsNeverEscapeTheSpool_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("../") << QStringLiteral("../escaped");
        QTest::newRow("deep ../") << QStringLiteral("a/../../escaped");
        QTest::newRow("/") << QStringLiteral("sub/escaped");
        QTest::newRow("absolute") << QStringLiteral("/tmp/escaped");
        QTest::newRow("dot") << QStringLiteral(".escaped");
        QTest::newRow("10 KB") << QString(10 * 1024, QLatin1Char('e'));
        QTest::newRow("newline") << QStringLiteral("escaped\nx");
        QTest::newRow("backslash") << QStringLiteral("..\\escaped");
    }
    void hostileSessionIdsNeverEscapeTheSpool() {
        QFETCH(QString, id);
        QTemporaryDir root;
        // The spool two levels down, so that ../ and ../../ land inside root.
        const QString spoolDir = root.filePath(QStringLiteral("a/b/spool"));
        QVERIFY(QDir().mkpath(spoolDir));
        qputenv("KEEPWATCH_SPOOL", QFile::encodeName(spoolDir));
        qputenv("KEEPWATCH_HISTORY", QFile::encodeName(root.filePath(QStringLiteral("h.db"))));
        const CliResult r =
            runCli({QStringLiteral("run"), QStringLiteral("--session-id"), id, QStringLiteral("--"),
                    QStringLiteral("echo"), QStringLiteral("hi")});
        const CliResult logged = runCli(
            {QStringLiteral("log"), QStringLiteral("--session"), id, QStringLiteral("note")});
        const CliResult cancel = runCli({QStringLiteral("cancel"), id});
        qunsetenv("KEEPWATCH_SPOOL");
        qunsetenv("KEEPWATCH_HISTORY");
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("session ID") && r.err.count('\n') == 1, r.err.constData());
        QVERIFY(r.err.size() < 400);   // a 10 KB ID is not echoed whole
        QCOMPARE(r.out, QByteArray()); // nothing ran
        QCOMPARE(logged.exitCode, 1);
        QVERIFY2(logged.err.contains("session ID"), logged.err.constData());
        QVERIFY(cancel.exitCode != 0);
        QCOMPARE(filesUnder(root.path()), QStringList());
        QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/escaped.jsonl")));
    }

    // A NUL cannot be passed in argv, but it can reach keepwatch-cli in a
    // spool line or in $KEEPWATCH_SESSION_ID's place: such IDs are refused.
    void sessionIdsWithNulAreRefused() {
        TempSpool spool;
        spool.append(QStringLiteral("ok.jsonl"),
                     "{\"v\":1,\"ts\":\"2025-11-25T08:00:00.000Z\",\"session\":\"ok\\u0000/../x\","
                     "\"type\":\"start\",\"kind\":\"backup\"}\n");
        const CliResult r = runCli({QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 0);
        QVERIFY2(r.err.contains("ok.jsonl:1:"), r.err.constData());
        QCOMPARE(filesUnder(spool.path()), QStringList{spool.path() + QLatin1String("/ok.jsonl")});
    }

    // Files at rest are the user's alone: spool and history directories
    // 0700, every file in them 0600, whatever the umask.
    void filesArePrivate() {
        TempSpool spool;
        QTemporaryDir work;
        // Neither directory exists yet: keepwatch-cli makes both.
        const QString state = work.filePath(QStringLiteral("state"));
        const QString spoolDir = state + QLatin1String("/keepwatch/spool");
        const QString db = state + QLatin1String("/keepwatch/history.db");
        qputenv("KEEPWATCH_SPOOL", QFile::encodeName(spoolDir));
        qputenv("KEEPWATCH_HISTORY", QFile::encodeName(db));
        const mode_t old = ::umask(0);
        const CliResult r = runCli({QStringLiteral("run"), QStringLiteral("--session-id"),
                                    QStringLiteral("private"), QStringLiteral("--"),
                                    QStringLiteral("echo"), QStringLiteral("hi")});
        const CliResult exported =
            runCli({QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("json"),
                    QStringLiteral("-o"), work.filePath(QStringLiteral("r.json"))});
        ::umask(old);
        qputenv("KEEPWATCH_SPOOL", QFile::encodeName(spool.path()));
        qputenv("KEEPWATCH_HISTORY", QFile::encodeName(spool.historyPath()));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(exported.exitCode, 0);
        QCOMPARE(modeOf(spoolDir), 0700);
        QCOMPARE(modeOf(QFileInfo(db).path()), 0700);
        const QStringList files = filesUnder(QFileInfo(db).path());
        QVERIFY(files.contains(db));
        QVERIFY(files.contains(spoolDir + QLatin1String("/private.jsonl")));
        for (const QString &file : files)
            QVERIFY2(modeOf(file) == 0600,
                     qPrintable(QStringLiteral("%1 is %2").arg(file).arg(modeOf(file), 0, 8)));
    }

    // A session file that is a symlink (to /dev/full, or anywhere) is never
    // written through.
    void symlinkedSessionFileIsNotFollowed() {
        TempSpool spool;
        QTemporaryDir work;
        const QString target = work.filePath(QStringLiteral("target"));
        {
            QFile f(target);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(encode({startEvent(QStringLiteral("link"), 1000)}));
        }
        QVERIFY(QFile::link(target, spool.file(QStringLiteral("link"))));
        QVERIFY(QFile::link(QStringLiteral("/dev/full"), spool.file(QStringLiteral("full"))));
        const QByteArray before = readFile(target);
        for (const char *id : {"link", "full"}) {
            const CliResult r = runCli({QStringLiteral("log"), QStringLiteral("--session"),
                                        QLatin1String(id), QStringLiteral("note")});
            QVERIFY(r.exitCode != 0);
            QCOMPARE(r.err.count('\n'), 1);
        }
        QCOMPARE(readFile(target), before);
    }

    // `cancel` signals only the session's own wrapper. A session file edited
    // to name another live keepwatch-cli wrapper (another session's), or a
    // keepwatch-cli that is not a wrapper, is refused and nothing is
    // signalled.
    void cancelSignalsOnlyTheSessionsOwnWrapper() {
        TempSpool spool;
        QProcess victim;
        victim.setStandardOutputFile(QProcess::nullDevice());
        victim.start(cliPath(), {QStringLiteral("run"), QStringLiteral("--session-id"),
                                 QStringLiteral("victim"), QStringLiteral("--"),
                                 QStringLiteral("sleep"), QStringLiteral("30")});
        QVERIFY(victim.waitForStarted());
        QVERIFY(waitFor([&] {
            return show(QStringLiteral("victim")).value(QLatin1String("state"))
                   == QLatin1String("running");
        }));
        // A second session whose start line was copied from the victim's,
        // ID changed: it names the victim's wrapper.
        const QByteArray victimFile = readFile(spool.file(QStringLiteral("victim")));
        const QByteArray start = victimFile.left(victimFile.indexOf('\n') + 1);
        QVERIFY(start.contains("\"producer_pid\""));
        QByteArray forged = start;
        forged.replace("\"session\":\"victim\"", "\"session\":\"forged\"");
        spool.append(QStringLiteral("forged.jsonl"), forged);
        CliResult r = runCli({QStringLiteral("cancel"), QStringLiteral("forged")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("refusing to signal"), r.err.constData());
        QTest::qWait(300);
        QCOMPARE(victim.state(), QProcess::Running);
        QCOMPARE(show(QStringLiteral("victim")).value(QLatin1String("state")).toString(),
                 QStringLiteral("running"));

        // Its own cancel still works once the forgery is gone.
        QVERIFY(QFile::remove(spool.file(QStringLiteral("forged"))));
        r = runCli({QStringLiteral("cancel"), QStringLiteral("victim"), QStringLiteral("--wait"),
                    QStringLiteral("10")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(victim.waitForFinished(10000));
        QCOMPARE(victim.exitCode(), 128 + SIGTERM);
    }
};

KW_TEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
