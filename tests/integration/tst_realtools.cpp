// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "protocol/sessionid.h"
#include "testmain.h"
#include "testsupport.h"
#include "tools/restic/resticadapter.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>
#include <csignal>
#include <functional>
#include <unistd.h>

using namespace kw;
using namespace kw::test;

// Real restic, borg and rsync from Debian's packages, wrapped by the real
// keepwatch-cli, on data generated here. The final counters must equal the
// tools' own summaries.
class TestRealTools final : public QObject {
    Q_OBJECT

    QTemporaryDir m_work;
    qint64 m_treeBytes = 0;
    int m_treeFiles = 0;

    QString path(const char *name) const { return m_work.filePath(QString::fromUtf8(name)); }

    // A tree of random (incompressible) files in a few directories.
    void makeTree(const QString &root, int files, int bytesEach, quint32 seed = 7) {
        QRandomGenerator rng(seed);
        for (int i = 0; i < files; ++i) {
            const QString dir = root + QStringLiteral("/dir%1").arg(i % 5);
            QDir().mkpath(dir);
            QFile f(dir + QStringLiteral("/file%1.bin").arg(i));
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray data(bytesEach, '\0');
            rng.fillRange(reinterpret_cast<quint32 *>(data.data()), bytesEach / 4);
            f.write(data);
            if (seed == 7) { // the tree the counters are checked against
                m_treeBytes += bytesEach;
                ++m_treeFiles;
            }
        }
    }

    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    // keepwatch-cli run --session-id ID [options] -- command, to the end.
    static Run wrapped(const QString &id, const QStringList &command,
                       const QStringList &options = {}, const QString &workingDirectory = {},
                       int timeoutMs = 120000) {
        QProcess p;
        if (!workingDirectory.isEmpty())
            p.setWorkingDirectory(workingDirectory);
        p.start(cliPath(), QStringList{QStringLiteral("run"), QStringLiteral("--session-id"), id}
                               + options + QStringList{QStringLiteral("--")} + command);
        Run r;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitCode();
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    static QJsonObject show(const QString &id) {
        return QJsonDocument::fromJson(
                   runCli({QStringLiteral("show"), id, QStringLiteral("--json")}).out)
            .object();
    }

    static QString logText(const QJsonObject &session) {
        QStringList out;
        for (const QJsonValue &l : session.value(QLatin1String("log")).toArray())
            out << l.toObject().value(QLatin1String("level")).toString() + QLatin1Char(' ')
                       + l.toObject().value(QLatin1String("msg")).toString();
        return out.join(QLatin1Char('\n'));
    }

    // restic's own summary: the last JSON line of its stdout.
    static QJsonObject resticSummary(const QByteArray &out) {
        const QList<QByteArray> lines = out.trimmed().split('\n');
        return QJsonDocument::fromJson(lines.last()).object();
    }

    static bool isRoot() { return ::geteuid() == 0; }

    // Runs a command as nobody (CI runs as root, and root reads everything).
    static QStringList asNobody(const QStringList &command) {
        return QStringList{QStringLiteral("setpriv"), QStringLiteral("--reuid=nobody"),
                           QStringLiteral("--regid=nogroup"), QStringLiteral("--clear-groups")}
               + command;
    }

    static bool initBorgRepository(const QString &repo) {
        QProcess init;
        init.start(QStringLiteral("borg"),
                   {QStringLiteral("init"), QStringLiteral("--encryption=none"), repo});
        return init.waitForFinished(60000) && init.exitCode() == 0;
    }

    // borg create over 30 files of 2 MB with lzma (a second or so per file),
    // into a repository of its own.
    QStringList slowBorgCreate(const QString &name) {
        if (!QFileInfo::exists(path("borg-slow-src")))
            makeTree(path("borg-slow-src"), 30, 2 * 1024 * 1024, 555);
        const QString repo = m_work.filePath(name);
        if (!initBorgRepository(repo))
            return {};
        return {QStringLiteral("borg"),          QStringLiteral("create"),
                QStringLiteral("--log-json"),    QStringLiteral("--progress"),
                QStringLiteral("--compression"), QStringLiteral("lzma,6"),
                repo + QStringLiteral("::slow"), path("borg-slow-src")};
    }

private slots:
    void initTestCase() {
        QVERIFY(m_work.isValid());
        for (const char *tool : {"restic", "borg", "rsync"})
            QVERIFY2(!QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty(),
                     "install the real tools: scripts/install-deps.sh");
        makeTree(path("src"), 120, 64 * 1024); // 7.5 MiB, 120 files
        qputenv("RESTIC_PASSWORD", "keepwatch-test");
        qputenv("BORG_PASSPHRASE", "keepwatch-test");
        qputenv("BORG_BASE_DIR", QFile::encodeName(path("borg-base")));
        qputenv("BORG_RELOCATED_REPO_ACCESS_IS_OK", "yes");
        qputenv("BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK", "yes");
        qputenv("LANG", "C.UTF-8");
        qputenv("RESTIC_CACHE_DIR", QFile::encodeName(path("restic-cache")));
        QProcess init;
        init.start(QStringLiteral("restic"),
                   {QStringLiteral("-r"), path("restic-repo"), QStringLiteral("init")});
        QVERIFY(init.waitForFinished(60000));
        QCOMPARE(init.exitCode(), 0);
        init.start(
            QStringLiteral("borg"),
            {QStringLiteral("init"), QStringLiteral("--encryption=repokey"), path("borg-repo")});
        QVERIFY(init.waitForFinished(60000));
        QVERIFY2(init.exitCode() == 0, init.readAllStandardError().constData());
    }

    void resticBackupThenRestore() {
        TempSpool spool;
        const Run backup =
            wrapped(QStringLiteral("restic-backup"),
                    {QStringLiteral("restic"), QStringLiteral("-r"), path("restic-repo"),
                     QStringLiteral("backup"), QStringLiteral("--json"), path("src")});
        QCOMPARE(backup.exitCode, 0);
        const QJsonObject summary = resticSummary(backup.out);
        QCOMPARE(summary.value(QLatin1String("message_type")).toString(),
                 QStringLiteral("summary"));
        QJsonObject s = show(QStringLiteral("restic-backup"));
        QCOMPARE(s.value(QLatin1String("tool")).toString(), QStringLiteral("restic"));
        QCOMPARE(s.value(QLatin1String("kind")).toString(), QStringLiteral("backup"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(s.value(QLatin1String("target")).toString(), path("restic-repo"));
        // The session's final counters are restic's own.
        QCOMPARE(s.value(QLatin1String("bytes_done")).toInteger(),
                 summary.value(QLatin1String("total_bytes_processed")).toInteger());
        QCOMPARE(s.value(QLatin1String("files_done")).toInteger(),
                 summary.value(QLatin1String("total_files_processed")).toInteger());
        QCOMPARE(s.value(QLatin1String("bytes_done")).toInteger(), m_treeBytes);
        QCOMPARE(s.value(QLatin1String("files_done")).toInt(), m_treeFiles);
        QCOMPARE(s.value(QLatin1String("percent")).toDouble(), 100.0);
        QVERIFY(logText(s).contains(QLatin1String("info snapshot ")
                                    + summary.value(QLatin1String("snapshot_id")).toString()
                                    + QLatin1String(" saved")));

        // A restore is a first-class `restore` session, measured from /proc.
        const Run restore =
            wrapped(QStringLiteral("restic-restore"),
                    {QStringLiteral("restic"), QStringLiteral("-r"), path("restic-repo"),
                     QStringLiteral("restore"), QStringLiteral("latest"),
                     QStringLiteral("--target"), path("restic-restored")});
        QCOMPARE(restore.exitCode, 0);
        s = show(QStringLiteral("restic-restore"));
        QCOMPARE(s.value(QLatin1String("kind")).toString(), QStringLiteral("restore"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY2(s.value(QLatin1String("bytes_done")).toInteger() >= m_treeBytes,
                 qPrintable(QString::number(s.value(QLatin1String("bytes_done")).toInteger())));
        QVERIFY(logText(s).contains(QLatin1String("restoring <Snapshot")));
    }

    void resticWithoutJson() {
        // The issue's own command: no --json. Keepwatch reads restic's text
        // status lines (it sets RESTIC_PROGRESS_FPS) and its text summary.
        TempSpool spool;
        const Run r = wrapped(QStringLiteral("restic-text"),
                              {QStringLiteral("restic"), QStringLiteral("-r"), path("restic-repo"),
                               QStringLiteral("backup"), path("src")});
        QCOMPARE(r.exitCode, 0);
        QByteArray processed;
        for (const QByteArray &line : r.out.split('\n')) {
            if (line.startsWith("processed "))
                processed = line;
        }
        QVERIFY2(!processed.isEmpty(), r.out.constData());
        const QList<QByteArray> words = processed.split(' '); // processed N files, X MiB in T
        const auto printed = ResticAdapter::parseSize(
            QString::fromUtf8(words[3] + ' ' + words[4]).remove(QLatin1Char(',')));
        const QJsonObject s = show(QStringLiteral("restic-text"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(s.value(QLatin1String("files_done")).toInt(), words[1].toInt());
        QCOMPARE(s.value(QLatin1String("files_done")).toInt(), m_treeFiles);
        QCOMPARE(s.value(QLatin1String("bytes_done")).toInteger(), *printed);
        QVERIFY(qAbs(*printed - m_treeBytes) <= m_treeBytes / 1000); // as exact as restic prints it
    }

    void resticWrongPasswordFails() {
        TempSpool spool;
        qputenv("RESTIC_PASSWORD", "wrong");
        const Run r = wrapped(QStringLiteral("restic-wrong"),
                              {QStringLiteral("restic"), QStringLiteral("-r"), path("restic-repo"),
                               QStringLiteral("backup"), QStringLiteral("--json"), path("src")});
        qputenv("RESTIC_PASSWORD", "keepwatch-test");
        QCOMPARE(r.exitCode, 1);
        const QJsonObject s = show(QStringLiteral("restic-wrong"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("failed"));
        QVERIFY2(logText(s).contains(QLatin1String("wrong password")), qPrintable(logText(s)));
    }

    void resticUnreadableFileIsAWarning() {
        if (!isRoot())
            QSKIP("needs root to run restic as nobody over a file nobody may read");
        TempSpool spool;
        // A repository and a tree nobody can use, with one file nobody can read.
        const QString base = path("nobody");
        QDir().mkpath(base + QStringLiteral("/src"));
        QFile ok(base + QStringLiteral("/src/ok.txt"));
        QVERIFY(ok.open(QIODevice::WriteOnly));
        ok.write("readable\n");
        ok.close();
        QFile secret(base + QStringLiteral("/src/secret.txt"));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("nobody may read this\n");
        secret.close();
        QProcess::execute(QStringLiteral("chmod"),
                          {QStringLiteral("-R"), QStringLiteral("a+rwX"), m_work.path()});
        QVERIFY(QFile::setPermissions(secret.fileName(), {}));
        QCOMPARE(QProcess::execute(QStringLiteral("setpriv"),
                                   asNobody({QStringLiteral("restic"), QStringLiteral("--no-cache"),
                                             QStringLiteral("-r"), base + QStringLiteral("/repo"),
                                             QStringLiteral("init")})
                                       .mid(1)),
                 0);
        const Run r = wrapped(
            QStringLiteral("restic-warning"),
            asNobody({QStringLiteral("restic"), QStringLiteral("--no-cache"), QStringLiteral("-r"),
                      base + QStringLiteral("/repo"), QStringLiteral("backup"),
                      QStringLiteral("--json"), base + QStringLiteral("/src")}));
        QCOMPARE(r.exitCode, 3);
        const QJsonObject s = show(QStringLiteral("restic-warning"));
        QCOMPARE(s.value(QLatin1String("tool")).toString(),
                 QStringLiteral("restic")); // seen through setpriv
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("warning"));
        QVERIFY2(logText(s).contains(QLatin1String("error open "))
                     || logText(s).contains(QLatin1String("permission denied")),
                 qPrintable(logText(s)));
        QCOMPARE(s.value(QLatin1String("files_done")).toInt(), 1);
    }

    void resticCancelStopsCleanly() {
        TempSpool spool;
        // New data (the repository has the other tree already), uploaded at
        // 8 KiB/s: slow enough to be cancelled mid-way.
        makeTree(path("cancel-src"), 40, 64 * 1024, 99);
        const QString id = QStringLiteral("restic-cancel");
        QProcess wrapper;
        wrapper.start(cliPath(),
                      {QStringLiteral("run"), QStringLiteral("--session-id"), id,
                       QStringLiteral("--"), QStringLiteral("restic"), QStringLiteral("-r"),
                       path("restic-repo"), QStringLiteral("backup"), QStringLiteral("--json"),
                       QStringLiteral("--limit-upload"), QStringLiteral("8"), path("cancel-src")});
        QVERIFY(wrapper.waitForStarted());
        QVERIFY(waitFor([&] { return show(id).value(QLatin1String("bytes_done")).toInteger() > 0; },
                        30000));
        const CliResult cancel =
            runCli({QStringLiteral("cancel"), id, QStringLiteral("--wait"), QStringLiteral("30")});
        QCOMPARE(cancel.exitCode, 0);
        QCOMPARE(cancel.out, QByteArray("cancelled\n"));
        QVERIFY(wrapper.waitForFinished(30000));
        QCOMPARE(wrapper.exitCode(), 130); // restic handled SIGINT itself
        const QJsonObject s = show(id);
        QVERIFY(s.value(QLatin1String("summary"))
                    .toString()
                    .contains(QLatin1String("removed its lock")));
        // SIGINT first: restic cleaned up its lock, the repository is free.
        QProcess locks;
        locks.start(QStringLiteral("restic"),
                    {QStringLiteral("-r"), path("restic-repo"), QStringLiteral("list"),
                     QStringLiteral("locks"), QStringLiteral("--no-lock")});
        QVERIFY(locks.waitForFinished(30000));
        QCOMPARE(locks.exitCode(), 0);
        QCOMPARE(locks.readAllStandardOutput().trimmed(), QByteArray());
    }

    void borgCreateThenExtract() {
        TempSpool spool;
        const QString repo = path("borg-repo");
        const Run create = wrapped(QStringLiteral("borg-create"),
                                   {QStringLiteral("borg"), QStringLiteral("create"),
                                    QStringLiteral("--log-json"), QStringLiteral("--progress"),
                                    QStringLiteral("--json"), QStringLiteral("--show-rc"),
                                    repo + QStringLiteral("::first"), QStringLiteral("src")},
                                   {}, m_work.path());
        QVERIFY2(create.exitCode == 0, create.err.right(2000).constData());
        // borg's own result: the pretty-printed JSON on stdout, passed through.
        const QJsonObject stats = QJsonDocument::fromJson(create.out)
                                      .object()
                                      .value(QLatin1String("archive"))
                                      .toObject()
                                      .value(QLatin1String("stats"))
                                      .toObject();
        QVERIFY(!stats.isEmpty());
        QJsonObject s = show(QStringLiteral("borg-create"));
        QCOMPARE(s.value(QLatin1String("tool")).toString(), QStringLiteral("borg"));
        QCOMPARE(s.value(QLatin1String("kind")).toString(), QStringLiteral("backup"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(s.value(QLatin1String("target")).toString(), repo);
        QCOMPARE(s.value(QLatin1String("bytes_done")).toInteger(),
                 stats.value(QLatin1String("original_size")).toInteger());
        QCOMPARE(s.value(QLatin1String("files_done")).toInteger(),
                 stats.value(QLatin1String("nfiles")).toInteger());
        QCOMPARE(s.value(QLatin1String("files_done")).toInt(), m_treeFiles);
        QVERIFY(logText(s).contains(QLatin1String("archive first created")));

        QDir().mkpath(path("borg-restored"));
        const Run extract = wrapped(QStringLiteral("borg-extract"),
                                    {QStringLiteral("borg"), QStringLiteral("extract"),
                                     QStringLiteral("--log-json"), QStringLiteral("--progress"),
                                     QStringLiteral("--show-rc"), repo + QStringLiteral("::first")},
                                    {}, path("borg-restored"));
        QCOMPARE(extract.exitCode, 0);
        s = show(QStringLiteral("borg-extract"));
        QCOMPARE(s.value(QLatin1String("kind")).toString(), QStringLiteral("restore"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY(s.value(QLatin1String("percent")).toDouble() > 90);
        QCOMPARE(QFileInfo(path("borg-restored/src/dir0/file0.bin")).size(), 64 * 1024);
    }

    void borgWrongPassphraseFails() {
        TempSpool spool;
        qputenv("BORG_PASSPHRASE", "wrong");
        const Run r = wrapped(QStringLiteral("borg-wrong"),
                              {QStringLiteral("borg"), QStringLiteral("list"),
                               QStringLiteral("--log-json"), path("borg-repo")});
        qputenv("BORG_PASSPHRASE", "keepwatch-test");
        QCOMPARE(r.exitCode, 2);
        const QJsonObject s = show(QStringLiteral("borg-wrong"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("failed"));
        QVERIFY2(logText(s).contains(QLatin1String("error passphrase supplied"))
                     && logText(s).contains(QLatin1String("[PassphraseWrong]")),
                 qPrintable(logText(s)));
    }

    void rsyncCopies() {
        TempSpool spool;
        const Run r =
            wrapped(QStringLiteral("rsync-copy"),
                    {QStringLiteral("rsync"), QStringLiteral("-a"),
                     QStringLiteral("--info=progress2"), QStringLiteral("--stats"),
                     path("src") + QLatin1Char('/'), path("rsync-dst") + QLatin1Char('/')});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject s = show(QStringLiteral("rsync-copy"));
        QCOMPARE(s.value(QLatin1String("tool")).toString(), QStringLiteral("rsync"));
        QCOMPARE(s.value(QLatin1String("kind")).toString(), QStringLiteral("backup"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(s.value(QLatin1String("target")).toString(), path("rsync-dst") + QLatin1Char('/'));
        // rsync's own totals (--stats): everything was transferred.
        QCOMPARE(s.value(QLatin1String("bytes_done")).toInteger(), m_treeBytes);
        QCOMPARE(s.value(QLatin1String("files_done")).toInt(), m_treeFiles);
        QVERIFY(r.out.contains("Total transferred file size")); // passed through
    }

    void rsyncPartialTransferIsAWarning() {
        TempSpool spool;
        const Run r = wrapped(QStringLiteral("rsync-23"),
                              {QStringLiteral("rsync"), QStringLiteral("-a"), path("src/dir0"),
                               path("does-not-exist"), path("rsync-dst-23") + QLatin1Char('/')});
        QCOMPARE(r.exitCode, 23);
        const QJsonObject s = show(QStringLiteral("rsync-23"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("warning"));
        QCOMPARE(s.value(QLatin1String("summary")).toString(),
                 QStringLiteral("exit code 23: partial transfer due to error"));
        QVERIFY(logText(s).contains(QLatin1String("error rsync: [sender] link_stat")));
        QVERIFY(logText(s).contains(QLatin1String("add it to see the transfer's progress")));
    }

    void rsyncCancelled() {
        TempSpool spool;
        const QString id = QStringLiteral("rsync-cancel");
        QProcess wrapper;
        wrapper.start(cliPath(),
                      {QStringLiteral("run"), QStringLiteral("--session-id"), id,
                       QStringLiteral("--"), QStringLiteral("rsync"), QStringLiteral("-a"),
                       QStringLiteral("--info=progress2"), QStringLiteral("--bwlimit=100"),
                       path("src") + QLatin1Char('/'), path("rsync-slow") + QLatin1Char('/')});
        QVERIFY(wrapper.waitForStarted());
        QVERIFY(waitFor([&] { return show(id).value(QLatin1String("bytes_done")).toInteger() > 0; },
                        30000));
        QCOMPARE(
            runCli({QStringLiteral("cancel"), id, QStringLiteral("--wait"), QStringLiteral("30")})
                .out,
            QByteArray("cancelled\n"));
        QVERIFY(wrapper.waitForFinished(30000));
        QCOMPARE(wrapper.exitCode(), 20); // rsync's own code for a signal
        QVERIFY(show(id)
                    .value(QLatin1String("summary"))
                    .toString()
                    .contains(QLatin1String("exit code 20")));
    }

    // The real tools stopped by a signal sent to them, not to the wrapper
    // (kill from another shell, systemctl stop, the OOM killer): SIGINT and
    // SIGTERM end the session `cancelled by a signal`, SIGKILL `failed`.
    // A borg run cancelled through Keepwatch (SIGINT first): borg exits rc 2,
    // and the summary says first that it was cancelled.
    void borgCancelledSaysSoFirst() {
        TempSpool spool;
        const QString id = QStringLiteral("borg-cancel");
        const QStringList command = slowBorgCreate(QStringLiteral("borg-cancel"));
        QVERIFY(!command.isEmpty());
        QProcess wrapper;
        wrapper.start(cliPath(), QStringList{QStringLiteral("run"), QStringLiteral("--session-id"),
                                             id, QStringLiteral("--")}
                                     + command);
        QVERIFY(wrapper.waitForStarted());
        QVERIFY(waitFor([&] { return show(id).value(QLatin1String("bytes_done")).toInteger() > 0; },
                        30000));
        const CliResult cancel =
            runCli({QStringLiteral("cancel"), id, QStringLiteral("--wait"), QStringLiteral("60")});
        QCOMPARE(cancel.out, QByteArray("cancelled\n"));
        QVERIFY(wrapper.waitForFinished(60000));
        QCOMPARE(wrapper.exitCode(), 2); // borg's own answer to SIGINT
        const QJsonObject s = show(id);
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(s.value(QLatin1String("summary")).toString(),
                 QStringLiteral("cancelled after a cancel request: exit code 2: error: the "
                                "operation did not complete; borg stopped on SIGINT"));
        QVERIFY(logText(s).contains(QLatin1String("Got Ctrl-C / SIGINT.")));
    }

    void killedFromOutside_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<int>("signal");
        QTest::addColumn<int>("exitCode"); // the wrapper's: the tool's
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("summary");
        const QString outside = QStringLiteral("cancelled by a signal from outside Keepwatch: ");
        QTest::newRow("borg SIGTERM")
            << QStringLiteral("borg") << int(SIGTERM) << 143 << QStringLiteral("cancelled")
            << outside + QStringLiteral("exit code 143: killed by SIGTERM");
        // borg 1.2 on SIGINT: finishes the file, writes a checkpoint, says
        // "Got Ctrl-C / SIGINT." and exits rc 2.
        QTest::newRow("borg SIGINT")
            << QStringLiteral("borg") << int(SIGINT) << 2 << QStringLiteral("cancelled")
            << outside
                   + QStringLiteral("exit code 2: error: the operation did "
                                    "not complete; borg stopped on SIGINT");
        QTest::newRow("borg SIGKILL")
            << QStringLiteral("borg") << int(SIGKILL) << 128 + SIGKILL << QStringLiteral("failed")
            << QStringLiteral("killed by SIGKILL (out of memory?)");
        QTest::newRow("rsync SIGTERM")
            << QStringLiteral("rsync") << int(SIGTERM) << 20 << QStringLiteral("cancelled")
            << outside + QStringLiteral("exit code 20: received SIGUSR1 or SIGINT");
        QTest::newRow("rsync SIGKILL")
            << QStringLiteral("rsync") << int(SIGKILL) << 128 + SIGKILL << QStringLiteral("failed")
            << QStringLiteral("killed by SIGKILL (out of memory?)");
        QTest::newRow("restic SIGINT")
            << QStringLiteral("restic") << int(SIGINT) << 130 << QStringLiteral("cancelled")
            << outside
                   + QStringLiteral("exit code 130: interrupted (SIGINT); restic removed its lock");
    }
    void killedFromOutside() {
        QFETCH(QString, tool);
        QFETCH(int, signal);
        QFETCH(int, exitCode);
        QFETCH(QString, state);
        QFETCH(QString, summary);
        TempSpool spool;
        const QString id = QStringLiteral("kill-%1-%2").arg(tool).arg(signal);
        const QString name = QStringLiteral("%1-kill-%2").arg(tool).arg(signal);
        QStringList command;
        std::function<bool()> busy;
        if (tool == QLatin1String("borg") && signal == SIGINT) {
            // SIGINT stops borg between two files: slow ones.
            command = slowBorgCreate(name);
            QVERIFY(!command.isEmpty());
            busy = [id] {
                return show(id).value(QLatin1String("bytes_done")).toInteger() > 0;
            };
        } else if (tool == QLatin1String("borg")) {
            // borg create reading stdin, which stays open: it waits, holding
            // its lock, in a repository of its own (SIGKILL leaves the lock).
            const QString repo = m_work.filePath(name);
            QVERIFY(initBorgRepository(repo));
            command = {QStringLiteral("borg"), QStringLiteral("create"),
                       QStringLiteral("--log-json"), repo + QStringLiteral("::stdin"),
                       QStringLiteral("-")};
            busy = [repo] {
                return QFileInfo::exists(repo + QStringLiteral("/lock.roster"));
            };
        } else {
            if (tool == QLatin1String("rsync")) {
                command = {QStringLiteral("rsync"),
                           QStringLiteral("-a"),
                           QStringLiteral("--info=progress2"),
                           QStringLiteral("--bwlimit=100"),
                           path("src") + QLatin1Char('/'),
                           m_work.filePath(name) + QLatin1Char('/')};
            } else {
                // New data, uploaded at 8 KiB/s.
                makeTree(path("kill-src"), 40, 64 * 1024, 321);
                command = {QStringLiteral("restic"), QStringLiteral("-r"),
                           path("restic-repo"),      QStringLiteral("backup"),
                           QStringLiteral("--json"), QStringLiteral("--limit-upload"),
                           QStringLiteral("8"),      path("kill-src")};
            }
            busy = [id] {
                return show(id).value(QLatin1String("bytes_done")).toInteger() > 0;
            };
        }
        QProcess wrapper;
        wrapper.start(cliPath(), QStringList{QStringLiteral("run"), QStringLiteral("--session-id"),
                                             id, QStringLiteral("--")}
                                     + command);
        QVERIFY(wrapper.waitForStarted());
        QVERIFY(waitFor(busy, 30000));
        const qint64 pid = show(id).value(QLatin1String("pid")).toInteger();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), signal), 0); // the tool, not its wrapper
        if (!wrapper.waitForFinished(30000 * timeoutScale())) {
            // Once, in a CI run on an overloaded machine, borg's wrapper had
            // not ended 30 s after SIGTERM (not reproduced in 37 runs since):
            // say where the tool was.
            QFile wchan(QStringLiteral("/proc/%1/wchan").arg(pid));
            const QByteArray waitingIn =
                wchan.open(QIODevice::ReadOnly) ? wchan.readAll() : QByteArray("-");
            qWarning("tool pid %lld %s; wait channel: %s; wrapper said: %s", pid,
                     ::kill(pid_t(pid), 0) == 0 ? "still running" : "gone", waitingIn.constData(),
                     wrapper.readAllStandardError().right(2000).constData());
            QFAIL("the wrapper did not end after its tool was signalled");
        }
        QCOMPARE(wrapper.exitCode(), exitCode);
        const QJsonObject s = show(id);
        QCOMPARE(s.value(QLatin1String("state")).toString(), state);
        QCOMPARE(s.value(QLatin1String("summary")).toString(), summary);
    }
};

KW_TEST_GUILESS_MAIN(TestRealTools)
#include "tst_realtools.moc"
