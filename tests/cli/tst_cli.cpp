// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "protocol/sessionid.h"
#include "testmain.h"
#include "testsupport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <csignal>
#include <sys/stat.h>
#include <sys/types.h>

using namespace kw;
using namespace kw::test;

// A fresh user: HOME and XDG_STATE_HOME in an empty directory, no
// $KEEPWATCH_HISTORY, so the history goes to the default place, whose
// directory does not exist yet (the spool stays $KEEPWATCH_SPOOL).
class FreshStateHome final {
public:
    FreshStateHome() {
        for (const char *name : {"HOME", "XDG_STATE_HOME", "KEEPWATCH_HISTORY"}) {
            if (qEnvironmentVariableIsSet(name))
                m_saved.append({name, qgetenv(name)});
            else
                m_unset.append(name);
        }
        qputenv("HOME", QFile::encodeName(m_dir.path() + QLatin1String("/home")));
        qputenv("XDG_STATE_HOME", QFile::encodeName(stateHome()));
        qunsetenv("KEEPWATCH_HISTORY");
    }
    ~FreshStateHome() {
        for (const auto &[name, value] : m_saved)
            qputenv(name, value);
        for (const char *name : m_unset)
            qunsetenv(name);
    }
    Q_DISABLE_COPY_MOVE(FreshStateHome)
    QString stateHome() const { return m_dir.path() + QLatin1String("/state"); }
    QString databasePath() const { return stateHome() + QLatin1String("/keepwatch/history.db"); }

private:
    QTemporaryDir m_dir;
    QList<std::pair<const char *, QByteArray>> m_saved;
    QList<const char *> m_unset;
};

// keepwatch-cli end to end: the real binary, real commands, a real spool.
class TestCli final : public QObject {
    Q_OBJECT

    static QStringList args(std::initializer_list<const char *> list) {
        QStringList out;
        for (const char *a : list)
            out << QString::fromUtf8(a);
        return out;
    }

    static int modeOf(const QString &path) {
        struct stat st;
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
    }

    static QJsonObject show(const QString &id) {
        // Empty until the session exists: callers poll.
        const CliResult r = runCli({QStringLiteral("show"), id, QStringLiteral("--json")});
        return QJsonDocument::fromJson(r.out).object();
    }

    static QJsonArray list() {
        const CliResult r = runCli({QStringLiteral("list"), QStringLiteral("--json")});
        return QJsonDocument::fromJson(r.out).array();
    }

    static QStringList messages(const QJsonObject &session) {
        QStringList out;
        for (const QJsonValue &line : session.value(QLatin1String("log")).toArray())
            out << line.toObject().value(QLatin1String("msg")).toString();
        return out;
    }

    // Starts `keepwatch-cli run --session-id ID ... -- command` in the background.
    static void startWrapper(QProcess &p, const QString &id, const QStringList &command,
                             const QStringList &options = {}) {
        p.start(cliPath(), QStringList{QStringLiteral("run"), QStringLiteral("--session-id"), id}
                               + options + QStringList{QStringLiteral("--")} + command);
        QVERIFY(p.waitForStarted());
    }

    static bool waitForState(const QString &id, const QString &state, int timeoutMs = 10000) {
        return waitFor([&] { return show(id).value(QLatin1String("state")).toString() == state; },
                       timeoutMs);
    }

private slots:
    void wrappedRunGetsTheRateMetersRate() {
        // restic's --json status lines carry bytes but no rate: the wrapper's
        // rate meter (the one /proc discovery uses too) supplies it, and the
        // ETA from the total. A stand-in restic prints 1 MB every 300 ms.
        TempSpool spool;
        QTemporaryDir bin;
        const QString restic = bin.filePath(QStringLiteral("restic"));
        QFile script(restic);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\n"
                     "for i in 1 2 3 4 5 6; do\n"
                     "  echo \"{\\\"message_type\\\":\\\"status\\\",\\\"percent_done\\\":0.$i,"
                     "\\\"total_bytes\\\":10000000,\\\"bytes_done\\\":${i}000000}\"\n"
                     "  sleep 0.3\n"
                     "done\n");
        script.close();
        QVERIFY(script.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        const CliResult run =
            runCli({QStringLiteral("run"), QStringLiteral("--tool"), QStringLiteral("restic"),
                    QStringLiteral("--session-id"), QStringLiteral("rated"), QStringLiteral("--"),
                    restic, QStringLiteral("backup"), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        QFile file(spool.file(QStringLiteral("rated")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        double lastRate = 0;
        qint64 lastEta = -1;
        for (const QByteArray &line : file.readAll().split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value(QLatin1String("type")).toString() != QLatin1String("progress"))
                continue;
            if (o.contains(QLatin1String("rate")))
                lastRate = o.value(QLatin1String("rate")).toDouble();
            if (o.contains(QLatin1String("eta")))
                lastEta = o.value(QLatin1String("eta")).toInteger();
        }
        // About 3.3 MB/s (1 MB per 300 ms; generous bounds for a loaded machine).
        QVERIFY2(lastRate > 1.0e6 && lastRate < 1.0e7, qPrintable(QString::number(lastRate)));
        QVERIFY2(lastEta >= 0 && lastEta < 10, qPrintable(QString::number(lastEta)));
    }

    void doneWhenExample() {
        // The issue's own check: a failing command is a failed session with its log.
        TempSpool spool;
        const CliResult run = runCli(args({"run", "--", "sh", "-c", "echo hello; exit 3"}));
        QCOMPARE(run.exitCode, 3);
        QCOMPARE(run.out, QByteArray("hello\n"));
        const QJsonArray sessions = list();
        QCOMPARE(sessions.size(), 1);
        const QString id = sessions[0].toObject().value(QLatin1String("id")).toString();
        QVERIFY(SessionId::isValid(id));
        QCOMPARE(id.size(), 36); // a UUID
        const QJsonObject s = show(id);
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(s.value(QLatin1String("exit_code")).toInt(), 3);
        const QJsonObject line = s.value(QLatin1String("log")).toArray().at(0).toObject();
        QCOMPARE(line.value(QLatin1String("msg")).toString(), QStringLiteral("hello"));
        QCOMPARE(line.value(QLatin1String("level")).toString(), QStringLiteral("info"));
        QVERIFY(line.value(QLatin1String("ts")).toString().endsWith(QLatin1Char('Z')));
    }

    void listJsonHasEveryKey() {
        TempSpool spool;
        QCOMPARE(runCli(args({"run", "--title", "nightly home", "--kind", "backup", "--", "true"}))
                     .exitCode,
                 0);
        const QJsonObject s = list().at(0).toObject();
        for (const char *key :
             {"id", "tool", "kind", "state", "title", "host", "started", "ended", "exit_code",
              "percent", "bytes_done", "bytes_total", "files_done", "files_total"})
            QVERIFY2(s.contains(QLatin1String(key)), key);
        QCOMPARE(s.value(QLatin1String("title")).toString(), QStringLiteral("nightly home"));
        QCOMPARE(s.value(QLatin1String("kind")).toString(), QStringLiteral("backup"));
        QCOMPARE(s.value(QLatin1String("tool")).toString(), QStringLiteral("true"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY(s.value(QLatin1String("percent")).isNull()); // unknown, not 0
        QVERIFY(
            QDateTime::fromString(s.value(QLatin1String("started")).toString(), Qt::ISODateWithMs)
                .isValid());
        // And the table for people.
        const CliResult text = runCli({QStringLiteral("list")});
        QVERIFY(text.out.startsWith("ID "));
        QVERIFY(text.out.contains("succeeded"));
        QVERIFY(text.out.contains("nightly home"));
    }

    void exitStatus_data() {
        QTest::addColumn<QString>("script");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("summary");
        QTest::newRow("success") << "exit 0" << 0 << "succeeded"
                                 << "exit code 0";
        QTest::newRow("failure") << "exit 1" << 1 << "failed"
                                 << "exit code 1";
        QTest::newRow("255") << "exit 255" << 255 << "failed"
                             << "exit code 255";
        QTest::newRow("killed by SIGTERM") << "kill -TERM $$" << 128 + SIGTERM << "failed"
                                           << "killed by SIGTERM";
        QTest::newRow("killed by SIGKILL") << "kill -KILL $$" << 128 + SIGKILL << "failed"
                                           << "killed by SIGKILL";
        QTest::newRow("segfault") << "kill -SEGV $$" << 128 + SIGSEGV << "failed"
                                  << "killed by SIGSEGV";
    }
    void exitStatus() {
        QFETCH(QString, script);
        QFETCH(int, exitCode);
        QFETCH(QString, state);
        QFETCH(QString, summary);
        TempSpool spool;
        const QString id = SessionId::generate();
        const CliResult r =
            runCli({QStringLiteral("run"), QStringLiteral("--session-id"), id, QStringLiteral("--"),
                    QStringLiteral("sh"), QStringLiteral("-c"), script});
        QCOMPARE(r.exitCode, exitCode);
        const QJsonObject s = show(id);
        QCOMPARE(s.value(QLatin1String("state")).toString(), state);
        QCOMPARE(s.value(QLatin1String("summary")).toString(), summary);
    }

    void passthroughIsByteForByte() {
        TempSpool spool;
        // 2 MB of every byte value, no trailing newline, on both streams.
        QTemporaryFile data;
        QVERIFY(data.open());
        QByteArray bytes(2 * 1024 * 1024, '\0');
        QRandomGenerator rng(42);
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char(rng.bounded(256));
        data.write(bytes);
        data.flush();
        QProcess p;
        p.start(cliPath(),
                {QStringLiteral("run"), QStringLiteral("--"), QStringLiteral("sh"),
                 QStringLiteral("-c"), QStringLiteral("cat \"$1\"; cat \"$1\" >&2; printf tail"),
                 QStringLiteral("sh"), data.fileName()});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(p.readAllStandardOutput(), bytes + "tail");
        QCOMPARE(p.readAllStandardError(), bytes);
        // Whatever the bytes, the spool stays valid and the session complete.
        const QJsonObject s = list().at(0).toObject();
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY(s.value(QLatin1String("log_lines")).toInt() > 0);
    }

    void stdinReachesTheCommand() {
        TempSpool spool;
        const CliResult r = runCli(args({"run", "--", "cat"}), 30000, "typed at the terminal\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("typed at the terminal\n"));
    }

    void sessionIdIsExportedToTheCommand() {
        TempSpool spool;
        const QString id = SessionId::generate();
        const CliResult r =
            runCli({QStringLiteral("run"), QStringLiteral("--session-id"), id, QStringLiteral("--"),
                    QStringLiteral("sh"), QStringLiteral("-c"),
                    QStringLiteral("echo \"$KEEPWATCH_SESSION_ID\"")});
        QCOMPARE(r.out.trimmed(), id.toUtf8());
    }

    void scriptsLogWithTheSessionId() {
        // Inside a wrapped job, `keepwatch-cli log` finds the session by itself.
        TempSpool spool;
        const QString id = SessionId::generate();
        const QString script =
            QStringLiteral("\"$KEEPWATCH_CLI\" log --level warning disk almost full; echo done");
        QCOMPARE(runCli({QStringLiteral("run"), QStringLiteral("--session-id"), id,
                         QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), script})
                     .exitCode,
                 0);
        const QJsonObject s = show(id);
        const QJsonArray log = s.value(QLatin1String("log")).toArray();
        QCOMPARE(messages(s),
                 (QStringList{QStringLiteral("disk almost full"), QStringLiteral("done")}));
        QCOMPARE(log.at(0).toObject().value(QLatin1String("level")).toString(),
                 QStringLiteral("warning"));
        QCOMPARE(s.value(QLatin1String("warnings")).toInt(), 1);
        // And from outside, by ID, after the session ended.
        QCOMPARE(runCli({QStringLiteral("log"), QStringLiteral("--session"), id,
                         QStringLiteral("checked by admin")})
                     .exitCode,
                 0);
        QCOMPARE(messages(show(id)).last(), QStringLiteral("checked by admin"));
    }

    void forwardedSignalsCancel_data() {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGHUP") << int(SIGHUP);
    }
    void forwardedSignalsCancel() {
        QFETCH(int, signal);
        TempSpool spool;
        const QString id = SessionId::generate();
        QProcess wrapper;
        // The command proves it got the signal by saying so and exiting 7.
        startWrapper(wrapper, id,
                     {QStringLiteral("sh"), QStringLiteral("-c"),
                      QStringLiteral("trap 'echo got signal; exit 7' TERM INT HUP; echo ready; "
                                     "while :; do sleep 0.05; done")});
        QVERIFY(
            waitFor([&] { return wrapper.canReadLine() || wrapper.bytesAvailable() >= 6; }, 10000));
        QCOMPARE(wrapper.readLine(), QByteArray("ready\n"));
        ::kill(pid_t(wrapper.processId()), signal);
        QVERIFY(wrapper.waitForFinished(10000));
        QCOMPARE(wrapper.exitCode(), 7);
        QCOMPARE(wrapper.readAllStandardOutput(), QByteArray("got signal\n"));
        const QJsonObject s = show(id);
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(s.value(QLatin1String("exit_code")).toInt(), 7);
    }

    void killedWrapperBecomesInterrupted() {
        TempSpool spool;
        const QString id = SessionId::generate();
        QProcess wrapper;
        startWrapper(wrapper, id,
                     {QStringLiteral("sh"), QStringLiteral("-c"),
                      QStringLiteral("echo started; exec sleep 30")});
        QVERIFY(waitForState(id, QStringLiteral("running")));
        const qint64 commandPid = show(id).value(QLatin1String("pid")).toInteger();
        QVERIFY(commandPid > 0);
        ::kill(pid_t(wrapper.processId()), SIGKILL);
        QVERIFY(wrapper.waitForFinished(5000));
        QVERIFY(waitForState(id, QStringLiteral("interrupted")));
        const QJsonObject s = show(id);
        QVERIFY(s.value(QLatin1String("summary"))
                    .toString()
                    .contains(QLatin1String("without writing an end event")));
        QCOMPARE(messages(s),
                 QStringList{QStringLiteral("started")}); // what was written before stays
        ::kill(pid_t(commandPid), SIGKILL);               // the orphaned command
    }

    void cancelStopsTheCommand() {
        TempSpool spool;
        const QString id = SessionId::generate();
        QProcess wrapper;
        startWrapper(wrapper, id, {QStringLiteral("sleep"), QStringLiteral("30")});
        QVERIFY(waitForState(id, QStringLiteral("running")));
        const CliResult cancel =
            runCli({QStringLiteral("cancel"), id, QStringLiteral("--wait"), QStringLiteral("10")});
        QCOMPARE(cancel.exitCode, 0);
        QCOMPARE(cancel.out, QByteArray("cancelled\n"));
        QVERIFY(wrapper.waitForFinished(5000));
        QCOMPARE(wrapper.exitCode(), 128 + SIGTERM);
        const QJsonObject s = show(id);
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("cancelled"));
        QVERIFY(s.value(QLatin1String("summary"))
                    .toString()
                    .contains(QLatin1String("after a cancel request")));
        // Cancelling again: it has ended, and says so.
        const CliResult again = runCli({QStringLiteral("cancel"), id});
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains("already ended"));
    }

    void cancelEscalatesToSigkill() {
        TempSpool spool;
        const QString id = SessionId::generate();
        QProcess wrapper;
        startWrapper(wrapper, id,
                     {QStringLiteral("sh"), QStringLiteral("-c"),
                      QStringLiteral("trap '' TERM; exec sleep 30")},
                     {QStringLiteral("--cancel-grace"), QStringLiteral("0.3")});
        QVERIFY(waitForState(id, QStringLiteral("running")));
        QCOMPARE(
            runCli({QStringLiteral("cancel"), id, QStringLiteral("--wait"), QStringLiteral("10")})
                .exitCode,
            0);
        QVERIFY(wrapper.waitForFinished(5000));
        QCOMPARE(wrapper.exitCode(), 128 + SIGKILL);
        const QJsonObject s = show(id);
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("cancelled"));
        QVERIFY(messages(s).join(QLatin1Char('\n')).contains(QLatin1String("sending SIGKILL")));
    }

    void cancelRefusesWhatIsNotItsWrapper() {
        // A spool line claiming that some other process is the session's
        // producer must not make `cancel` signal it.
        TempSpool spool;
        QProcess victim;
        victim.start(QStringLiteral("sleep"), {QStringLiteral("30")});
        QVERIFY(victim.waitForStarted());
        const QByteArray stat = [&] {
            QFile f(QStringLiteral("/proc/%1/stat").arg(victim.processId()));
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        QFile bootFile(QStringLiteral("/proc/sys/kernel/random/boot_id"));
        QVERIFY(bootFile.open(QIODevice::ReadOnly));
        const QByteArray boot = bootFile.readAll().trimmed();
        spool.append(QStringLiteral("forged.jsonl"),
                     "{\"v\":1,\"ts\":\"2026-11-25T08:00:00Z\",\"session\":\"forged\",\"type\":"
                     "\"start\",\"producer_pid\":"
                         + QByteArray::number(victim.processId()) + ",\"producer_start\":"
                         + fields[19] + ",\"boot_id\":\"" + boot + "\"}\n");
        const CliResult r = runCli({QStringLiteral("cancel"), QStringLiteral("forged")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not a keepwatch-cli wrapper"), r.err.constData());
        QCOMPARE(victim.state(), QProcess::Running);
        victim.kill();
        victim.waitForFinished();
    }

    void unwritableSpoolDoesNotBreakTheCommand() {
        // The spool's parent is a regular file: nothing can be created there.
        QTemporaryFile notADirectory;
        QVERIFY(notADirectory.open());
        qputenv("KEEPWATCH_SPOOL",
                QFile::encodeName(notADirectory.fileName() + QLatin1String("/spool")));
        const CliResult r =
            runCli(args({"run", "--", "sh", "-c", "echo out; echo err >&2; exit 4"}));
        qunsetenv("KEEPWATCH_SPOOL");
        QCOMPARE(r.exitCode, 4);
        QCOMPARE(r.out, QByteArray("out\n"));
        // The command's own stderr, then one clear warning from the wrapper.
        const QList<QByteArray> errLines = r.err.trimmed().split('\n');
        QCOMPARE(errLines.size(), 2);
        QVERIFY(errLines.contains("err"));
        QCOMPARE(r.err.count("keepwatch-cli: warning:"), 1);
        QVERIFY(r.err.contains("not being recorded"));
    }

    void commandThatCannotStart() {
        TempSpool spool;
        const QString id = SessionId::generate();
        const CliResult r =
            runCli({QStringLiteral("run"), QStringLiteral("--session-id"), id, QStringLiteral("--"),
                    QStringLiteral("/nonexistent/backup-tool"), QStringLiteral("--now")});
        QCOMPARE(r.exitCode, 127);
        QVERIFY(r.err.contains("cannot run /nonexistent/backup-tool"));
        const QJsonObject s = show(id);
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(s.value(QLatin1String("exit_code")).toInt(), 127);
    }

    void secretsNeverReachTheSpool() {
        TempSpool spool;
        const QString id = SessionId::generate();
        QCOMPARE(runCli({QStringLiteral("run"), QStringLiteral("--session-id"), id,
                         QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                         QStringLiteral("true"), QStringLiteral("--password=hunter2"),
                         QStringLiteral("sftp://backup:hunter2@nas/repo")})
                     .exitCode,
                 0);
        QFile file(spool.file(id));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY(!content.contains("hunter2"));
        QVERIFY(content.contains("--password=***"));
        QVERIFY(content.contains("sftp://backup:***@nas/repo"));
    }

    void spoolIsPrivate() {
        TempSpool spool;
        QFile::remove(spool.path());
        QDir().rmdir(spool.path());
        QCOMPARE(runCli(args({"run", "--", "true"})).exitCode, 0);
        QCOMPARE(modeOf(spool.path()), 0700);
        const QString id = list().at(0).toObject().value(QLatin1String("id")).toString();
        QCOMPARE(modeOf(spool.file(id)), 0600);
    }

    void stalledSessionsAreShownStalled() {
        // A producer that reported progress once, an hour ago, and is still
        // running (the test itself): stalled, with the time since it moved.
        TempSpool spool;
        const QByteArray self = QByteArray::number(QCoreApplication::applicationPid());
        QFile stat(QStringLiteral("/proc/self/stat"));
        QVERIFY(stat.open(QIODevice::ReadOnly));
        const QByteArray text = stat.readAll();
        const QByteArray ticks = text.mid(text.lastIndexOf(')') + 2).split(' ').at(19);
        QFile boot(QStringLiteral("/proc/sys/kernel/random/boot_id"));
        QVERIFY(boot.open(QIODevice::ReadOnly));
        const QByteArray hour =
            QDateTime::currentDateTimeUtc().addSecs(-3600).toString(Qt::ISODateWithMs).toUtf8();
        spool.append(QStringLiteral("slow.jsonl"),
                     "{\"v\":1,\"ts\":\"" + hour
                         + "\",\"session\":\"slow\",\"type\":\"start\",\"producer_pid\":" + self
                         + ",\"producer_start\":" + ticks + ",\"boot_id\":\""
                         + boot.readAll().trimmed() + "\"}\n" + "{\"v\":1,\"ts\":\"" + hour
                         + "\",\"session\":\"slow\",\"type\":\"progress\",\"bytes_done\":5}\n");
        QJsonObject s = show(QStringLiteral("slow"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("stalled"));
        QVERIFY(s.value(QLatin1String("state_reason"))
                    .toString()
                    .startsWith(QLatin1String("no progress for 360")));
        // Configurable: with a longer timeout it is still running.
        qputenv("KEEPWATCH_STALL_TIMEOUT", "7200");
        s = show(QStringLiteral("slow"));
        qunsetenv("KEEPWATCH_STALL_TIMEOUT");
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("running"));
    }

    void errors_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("no command") << QStringList{} << 2 << QByteArray("Usage:");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2
                                         << QByteArray("unknown command 'frobnicate'");
        QTest::newRow("run: unknown option")
            << QStringList{QStringLiteral("run"), QStringLiteral("--fast"), QStringLiteral("--"),
                           QStringLiteral("true")}
            << 2 << QByteArray("unknown option --fast");
        QTest::newRow("run: no command") << QStringList{QStringLiteral("run"), QStringLiteral("--")}
                                         << 2 << QByteArray("no command given");
        QTest::newRow("run: bad kind")
            << QStringList{QStringLiteral("run"), QStringLiteral("--kind"),
                           QStringLiteral("sideways"), QStringLiteral("--"), QStringLiteral("true")}
            << 2 << QByteArray("unknown kind 'sideways'");
        QTest::newRow("run: missing value")
            << QStringList{QStringLiteral("run"), QStringLiteral("--title")} << 2
            << QByteArray("option --title needs a value");
        QTest::newRow("run: hostile id")
            << QStringList{QStringLiteral("run"), QStringLiteral("--session-id"),
                           QStringLiteral("../../etc/cron.d/x"), QStringLiteral("--"),
                           QStringLiteral("true")}
            << 2 << QByteArray("session ID");
        QTest::newRow("show: unknown id")
            << QStringList{QStringLiteral("show"), QStringLiteral("nosuchsession")} << 1
            << QByteArray("no session 'nosuchsession'");
        QTest::newRow("show: no id")
            << QStringList{QStringLiteral("show")} << 2 << QByteArray("which session?");
        QTest::newRow("log: unknown id")
            << QStringList{QStringLiteral("log"), QStringLiteral("--session"),
                           QStringLiteral("nosuch"), QStringLiteral("hi")}
            << 1 << QByteArray("no session 'nosuch'");
        QTest::newRow("log: bad level")
            << QStringList{QStringLiteral("log"),  QStringLiteral("--session"),
                           QStringLiteral("x"),    QStringLiteral("--level"),
                           QStringLiteral("loud"), QStringLiteral("hi")}
            << 2 << QByteArray("unknown level 'loud'");
        QTest::newRow("log: hostile id")
            << QStringList{QStringLiteral("log"), QStringLiteral("--session"),
                           QStringLiteral("../x"), QStringLiteral("hi")}
            << 1 << QByteArray("session ID");
        QTest::newRow("cancel: unknown id")
            << QStringList{QStringLiteral("cancel"), QStringLiteral("nosuch")} << 1
            << QByteArray("no session 'nosuch'");
        QTest::newRow("list: unknown option")
            << QStringList{QStringLiteral("list"), QStringLiteral("--yaml")} << 2
            << QByteArray("unknown option --yaml");
    }
    void errors() {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, message);
        TempSpool spool;
        const CliResult r = runCli(arguments);
        QCOMPARE(r.exitCode, exitCode);
        const QByteArray said = exitCode == 2 && arguments.isEmpty() ? r.out : r.err;
        QVERIFY2(said.contains(message), said.constData());
        if (!arguments.isEmpty())
            QCOMPARE(r.err.count('\n'), 1); // one clear line
    }

    void reusedSessionIdIsRefused() {
        TempSpool spool;
        const QStringList run{QStringLiteral("run"), QStringLiteral("--session-id"),
                              QStringLiteral("nightly-1"), QStringLiteral("--"),
                              QStringLiteral("true")};
        QCOMPARE(runCli(run).exitCode, 0);
        const CliResult again = runCli(run);
        QCOMPARE(again.exitCode, 2);
        QVERIFY(again.err.contains("already in use"));
    }

    void unreadableSpoolIsAnError() {
        QTemporaryFile file;
        QVERIFY(file.open());
        qputenv("KEEPWATCH_SPOOL", QFile::encodeName(file.fileName()));
        const CliResult r = runCli({QStringLiteral("list")});
        qunsetenv("KEEPWATCH_SPOOL");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("cannot read the spool") && r.err.contains("not a directory"),
                 r.err.constData());
    }

    void malformedSpoolLinesAreWarningsNotFailures() {
        TempSpool spool;
        QCOMPARE(runCli(args({"run", "--session-id", "good", "--", "echo", "fine"})).exitCode, 0);
        spool.append(QStringLiteral("good.jsonl"), "garbage line\n");
        spool.append(QStringLiteral("other.jsonl"), QByteArray("\x00\x01\x02 binary", 10));
        const CliResult r = runCli({QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 1);
        QVERIFY2(r.err.contains("good.jsonl:4: not valid JSON"), r.err.constData());
    }
    // Issue 13: on a fresh state directory the recorder lock's directory did
    // not exist yet, and `reindex` said another process (pid 0) recorded.
    void historyCommandsWorkOnAFreshStateDirectory_data() {
        QTest::addColumn<QStringList>("command");
        QTest::newRow("reindex") << args({"reindex"});
        QTest::newRow("retention") << args({"retention", "--max-age", "90d"});
        QTest::newRow("export") << args({"export", "--format", "json"});
    }
    void historyCommandsWorkOnAFreshStateDirectory() {
        QFETCH(QStringList, command);
        TempSpool spool;
        QCOMPARE(runCli(args({"run", "--session-id", "fresh-1", "--", "true"})).exitCode, 0);
        const FreshStateHome fresh;
        QVERIFY(!QFileInfo::exists(fresh.stateHome()));
        const CliResult r = runCli(command);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(!r.err.contains("being recorded"), r.err.constData());
        QVERIFY(QFileInfo::exists(fresh.databasePath()));
        // Made private, like the spool.
        QCOMPARE(modeOf(QFileInfo(fresh.databasePath()).absolutePath()), 0700);
        if (command.first() == QLatin1String("export"))
            QCOMPARE(QJsonDocument::fromJson(r.out)
                         .object()
                         .value(QLatin1String("sessions"))
                         .toArray()
                         .size(),
                     1);
    }

    // A lock that another live process holds is still reported, with its pid.
    void historyCommandsNameTheRecordingProcess_data() {
        QTest::addColumn<QStringList>("command");
        QTest::newRow("reindex") << args({"reindex"});
        QTest::newRow("retention") << args({"retention", "--max-age", "90d"});
    }
    void historyCommandsNameTheRecordingProcess() {
        QFETCH(QStringList, command);
        TempSpool spool;
        const FreshStateHome fresh;
        QVERIFY(QDir().mkpath(QFileInfo(fresh.databasePath()).absolutePath()));
        QLockFile held(fresh.databasePath() + QLatin1String(".lock"));
        QVERIFY(held.tryLock(0));
        const CliResult r = runCli(command, 60000);
        QCOMPARE(r.exitCode, 1);
        const QByteArray pid =
            "(pid " + QByteArray::number(QCoreApplication::applicationPid()) + ')';
        QVERIFY2(r.err.contains("is being recorded by") && r.err.contains(pid), r.err.constData());
    }
};

KW_TEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
