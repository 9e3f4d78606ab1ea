// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "collector/collector.h"
#include "export/sessionjson.h"
#include "history/historylogloader.h"
#include "history/historyspoolsource.h"
#include "historymonitor.h"
#include "protocol/jsonwriter.h"
#include "spool/spoolsnapshot.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <csignal>
#include <memory>
#include <vector>

using namespace kw;
using namespace kw::test;

namespace {

QJsonObject show(const QString &id) {
    const CliResult r = runCli({QStringLiteral("show"), id, QStringLiteral("--json")});
    return QJsonDocument::fromJson(r.out).object();
}

QJsonArray list() {
    return QJsonDocument::fromJson(runCli({QStringLiteral("list"), QStringLiteral("--json")}).out)
        .array();
}

QStringList messages(const QJsonObject &session) {
    QStringList out;
    for (const QJsonValue &line : session.value(QLatin1String("log")).toArray())
        out << line.toObject().value(QLatin1String("msg")).toString();
    return out;
}

QByteArray readFile(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void touch(const QString &path) {
    QFile f(path);
    f.open(QIODevice::WriteOnly);
}

// What the shell loop `i=0; while [ $i -lt N ]; do echo "line $i"; ...` prints.
QByteArray numberedLines(int count) {
    QByteArray out;
    for (int i = 0; i < count; ++i)
        out += "line " + QByteArray::number(i) + '\n';
    return out;
}

// A mount namespace of our own (`unshare -rm`: unprivileged where user
// namespaces are allowed, as on Debian 12): a tiny tmpfs or a read-only bind
// mount over the spool without root and without touching the machine.
QString namespaceUnavailableReason() {
    static const QString reason = [] {
        QTemporaryDir dir;
        QProcess p;
        p.start(QStringLiteral("unshare"),
                {QStringLiteral("-rm"), QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("mount -t tmpfs -o size=64k tmpfs \"$1\""), QStringLiteral("sh"),
                 dir.path()});
        if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit
            || p.exitCode() != 0)
            return QStringLiteral("no private mount namespace here (unshare -rm: %1%2)")
                .arg(p.errorString(), QString::fromLocal8Bit(p.readAllStandardError().trimmed()));
        return QString();
    }();
    return reason;
}

// Runs `script` with sh inside a private mount namespace.
CliResult inNamespace(const QString &script, const QStringList &args = {}) {
    QProcess p;
    p.start(QStringLiteral("unshare"),
            QStringList{QStringLiteral("-rm"), QStringLiteral("sh"), QStringLiteral("-c"), script,
                        QStringLiteral("sh")}
                + args);
    CliResult r;
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
    }
    r.exitCode = p.exitCode();
    r.exitStatus = p.exitStatus();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QList<QByteArray> warnings(const QByteArray &err) {
    QList<QByteArray> out;
    for (const QByteArray &line : err.split('\n'))
        if (line.startsWith("keepwatch-cli: warning:"))
            out.append(line);
    return out;
}

} // namespace

// Issue 7, "Faults": what happens to sessions, and to the commands they run,
// when the machine misbehaves around them.
class TestFaults final : public QObject {
    Q_OBJECT

private slots:
    // The wrapper SIGKILLed in the middle of a stream of output: every line
    // it had written to the spool is still there, in order, none twice; a
    // partial last line does not swallow what comes later; the session is
    // interrupted in list and show.
    void killedWrapperLosesNothingWritten() {
        TempSpool spool;
        const QString id = QStringLiteral("killed");
        QProcess wrapper;
        wrapper.setStandardOutputFile(QProcess::nullDevice());
        wrapper.start(cliPath(), {QStringLiteral("run"), QStringLiteral("--session-id"), id,
                                  QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                                  QStringLiteral("i=0; while :; do echo \"line $i\"; "
                                                 "i=$((i+1)); done")});
        QVERIFY(wrapper.waitForStarted());
        QVERIFY(waitFor([&] { return readFile(spool.file(id)).contains("\"line 3000\""); }));
        ::kill(pid_t(wrapper.processId()), SIGKILL);
        QVERIFY(wrapper.waitForFinished(5000));
        const QByteArray written = readFile(spool.file(id));

        // The command loses its reader and dies of SIGPIPE; the wrapper's pid
        // and start time are gone: interrupted.
        QVERIFY(waitFor([&] {
            return show(id).value(QLatin1String("state")) == QLatin1String("interrupted");
        }));
        const QStringList lines = messages(show(id));
        QVERIFY(lines.size() > 3000);
        for (int i = 0; i < lines.size(); ++i)
            QCOMPARE(lines.at(i), QStringLiteral("line %1").arg(i));
        // Every complete line of the file is a line of the log.
        // (A partial last line may stop before its "type" field: count only
        // what precedes the last newline.)
        const qsizetype complete =
            written.left(written.lastIndexOf('\n') + 1).count("\"type\":\"log\"");
        QCOMPARE(qsizetype(lines.size()), complete);
        const QJsonObject listed = list().at(0).toObject();
        QCOMPARE(listed.value(QLatin1String("state")).toString(), QStringLiteral("interrupted"));
        QCOMPARE(listed.value(QLatin1String("log_lines")).toInt(), lines.size());

        // An admin's note afterwards lands on a line of its own.
        QCOMPARE(runCli({QStringLiteral("log"), QStringLiteral("--session"), id,
                         QStringLiteral("checked after the crash")})
                     .exitCode,
                 0);
        const QStringList after = messages(show(id));
        QCOMPARE(after.mid(0, lines.size()), lines);
        QCOMPARE(after.last(), QStringLiteral("checked after the crash"));
    }

    // The spool's file system fills up while the command runs (a 64 KB
    // tmpfs over the spool): the command's output and exit status are its
    // own, and the wrapper says once, clearly, that the session is not
    // recorded.
    void diskFullKeepsTheCommandWhole() {
        if (const QString why = namespaceUnavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        TempSpool spool;
        constexpr int kLines = 20000; // about 2 MB of events: far past 64 KB
        const CliResult r = inNamespace(
            QStringLiteral("mount -t tmpfs -o size=64k,mode=0700 tmpfs \"$1\" || exit 99\n"
                           "exec \"$2\" run --session-id full -- sh -c 'i=0; while [ $i -lt %1 ]; "
                           "do echo \"line $i\"; i=$((i+1)); done; echo last words >&2; exit 5'")
                .arg(kLines),
            {spool.path(), cliPath()});
        QCOMPARE(r.exitCode, 5);
        QVERIFY(r.out == numberedLines(kLines));
        const QList<QByteArray> said = warnings(r.err);
        QCOMPARE(said.size(), 1);
        QVERIFY2(said.first().contains("No space left on device")
                     && said.first().contains("not being recorded"),
                 said.first().constData());
        QVERIFY(r.err.contains("\nlast words\n") || r.err.startsWith("last words\n"));
        QCOMPARE(r.err.count('\n'), 2);
    }

    // The spool directory removed under three running sessions: each
    // command runs to its end unchanged and each wrapper warns once; the
    // next session makes a new private spool and is recorded.
    void spoolRemovedWhileSessionsRun() {
        TempSpool spool;
        QTemporaryDir work;
        const QString go = work.filePath(QStringLiteral("go"));
        std::vector<std::unique_ptr<QProcess>> wrappers;
        for (int i = 0; i < 3; ++i) {
            auto w = std::make_unique<QProcess>();
            w->start(cliPath(),
                     {QStringLiteral("run"), QStringLiteral("--session-id"),
                      QStringLiteral("gone-%1").arg(i), QStringLiteral("--"), QStringLiteral("sh"),
                      QStringLiteral("-c"),
                      QStringLiteral("echo before; while [ ! -e \"$1\" ]; do sleep 0.02; done; "
                                     "echo after; echo oops >&2; exit %1")
                          .arg(i + 3),
                      QStringLiteral("sh"), go});
            QVERIFY(w->waitForStarted());
            wrappers.push_back(std::move(w));
        }
        for (int i = 0; i < 3; ++i)
            QVERIFY(waitFor([&] {
                return readFile(spool.file(QStringLiteral("gone-%1").arg(i))).contains("before");
            }));
        QVERIFY(QDir(spool.path()).removeRecursively());
        touch(go);
        for (int i = 0; i < 3; ++i) {
            QProcess &w = *wrappers[size_t(i)];
            QVERIFY(w.waitForFinished(10000));
            QCOMPARE(w.exitCode(), i + 3);
            QCOMPARE(w.readAllStandardOutput(), QByteArray("before\nafter\n"));
            const QByteArray err = w.readAllStandardError();
            const QList<QByteArray> said = warnings(err);
            QCOMPARE(said.size(), 1);
            QVERIFY2(said.first().contains("was removed"), said.first().constData());
            QCOMPARE(err.count('\n'), 2); // the command's "oops" and the warning
        }
        // Later sessions are recorded again, in a spool as private as before.
        const CliResult next =
            runCli({QStringLiteral("run"), QStringLiteral("--session-id"), QStringLiteral("next"),
                    QStringLiteral("--"), QStringLiteral("echo"), QStringLiteral("hi")});
        QCOMPARE(next.exitCode, 0);
        QCOMPARE(next.out, QByteArray("hi\n"));
        QCOMPARE(next.err, QByteArray());
        QCOMPARE(QFile::permissions(spool.path()), QFile::ReadOwner | QFile::WriteOwner
                                                       | QFile::ExeOwner | QFile::ReadUser
                                                       | QFile::WriteUser | QFile::ExeUser);
        QCOMPARE(show(QStringLiteral("next")).value(QLatin1String("state")).toString(),
                 QStringLiteral("succeeded"));
    }

    // The spool made read-only (a read-only bind mount, which binds root too)
    // while a session runs: the running wrapper keeps recording through the
    // file it holds; a script's `keepwatch-cli log` fails with a clear error;
    // a session started meanwhile runs unchanged with one warning.
    void spoolMadeReadOnlyWhileASessionRuns() {
        if (const QString why = namespaceUnavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        TempSpool spool;
        QTemporaryDir work;
        const QString script = QStringLiteral(
            "spool=$1; cli=$2; work=$3\n"
            "\"$cli\" run --session-id ro-a -- sh -c 'echo one; "
            "while [ ! -e \"$1/go\" ]; do sleep 0.02; done; "
            "\"$KEEPWATCH_CLI\" log from the job; echo log=$?; echo two; exit 3' sh \"$work\" "
            "> \"$work/a.out\" 2> \"$work/a.err\" &\n"
            "a=$!\n"
            "n=0; until grep -q '\"one\"' \"$spool/ro-a.jsonl\" 2>/dev/null; do "
            "n=$((n+1)); [ $n -gt 500 ] && exit 98; sleep 0.02; done\n"
            "mount --bind \"$spool\" \"$spool\" && mount -o remount,bind,ro \"$spool\" || exit 99\n"
            "\"$cli\" run --session-id ro-b -- sh -c 'echo b-out; echo b-err >&2; exit 4' "
            "> \"$work/b.out\" 2> \"$work/b.err\"\n"
            "echo $? > \"$work/b.rc\"\n"
            "touch \"$work/go\"\n"
            "wait $a; echo $? > \"$work/a.rc\"\n");
        const CliResult r = inNamespace(script, {spool.path(), cliPath(), work.path()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto file = [&](const char *name) {
            return readFile(work.filePath(QLatin1String(name)));
        };

        QCOMPARE(file("b.rc"), QByteArray("4\n"));
        QCOMPARE(file("b.out"), QByteArray("b-out\n"));
        const QList<QByteArray> said = warnings(file("b.err"));
        QCOMPARE(said.size(), 1);
        QVERIFY2(said.first().contains("Read-only file system"), said.first().constData());
        QCOMPARE(file("b.err").count('\n'), 2);

        QCOMPARE(file("a.rc"), QByteArray("3\n"));
        QCOMPARE(file("a.out"), QByteArray("one\nlog=1\ntwo\n"));
        const QByteArray aErr = file("a.err");
        QVERIFY2(aErr.contains("Read-only file system") && warnings(aErr).isEmpty(),
                 aErr.constData());
        // Outside the namespace the spool is writable again and holds all of a, none of b.
        const QJsonObject a = show(QStringLiteral("ro-a"));
        QCOMPARE(a.value(QLatin1String("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(a.value(QLatin1String("exit_code")).toInt(), 3);
        const QStringList lines = messages(a);
        QCOMPARE(lines.first(), QStringLiteral("one"));
        QVERIFY(lines.contains(QStringLiteral("log=1")));
        // stdout and stderr are two pipes: "two" and the log command's error
        // (on stderr) may be read in either order.
        QVERIFY(lines.indexOf(QStringLiteral("two")) > lines.indexOf(QStringLiteral("log=1")));
        QCOMPARE(list().size(), 1);
    }

    // The collector, store and history (the window's parts) stopped and
    // started 20 times while eight real wrappers write: every session and
    // line arrives once, in order, and at the end the history equals a
    // fresh read of the spool.
    void twentyRestartsDuringLiveSessions() {
        TempSpool spool;
        QTemporaryDir work;
        const QString db = work.filePath(QStringLiteral("history.db"));
        const QString stop = work.filePath(QStringLiteral("stop"));
        constexpr int kSessions = 8;
        std::vector<std::unique_ptr<QProcess>> runs;
        for (int i = 0; i < kSessions; ++i) {
            auto run = std::make_unique<QProcess>();
            run->setStandardOutputFile(QProcess::nullDevice());
            run->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            run->start(cliPath(),
                       {QStringLiteral("run"), QStringLiteral("--session-id"),
                        QStringLiteral("live-%1").arg(i), QStringLiteral("--"),
                        QStringLiteral("sh"), QStringLiteral("-c"),
                        QStringLiteral("i=0; while [ ! -e \"$1\" ]; do echo \"s%1 line $i\"; "
                                       "i=$((i+1)); sleep 0.01; done; exit %2")
                            .arg(i)
                            .arg(i % 2 ? 3 : 0),
                        QStringLiteral("sh"), stop});
            QVERIFY(run->waitForStarted());
            runs.push_back(std::move(run));
        }
        for (int restart = 0; restart < 20; ++restart) {
            HistoryMonitor monitor(spool.path(), db);
            QVERIFY(waitFor([&] { return monitor.store.count() == kSessions; }));
            for (int row = 0; row < monitor.store.count(); ++row) {
                const LogBuffer &log = monitor.store.log(row);
                QCOMPARE(log.size(), monitor.store.at(row).logLines);
                for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq) {
                    const QByteArray text = log.line(seq).text.toByteArray();
                    QVERIFY2(
                        text.endsWith(QByteArray(QByteArray(" line ") + QByteArray::number(seq))),
                        text.constData());
                }
            }
            const qint64 before = monitor.store.at(0).logLines;
            QVERIFY(waitFor([&] { return monitor.store.at(0).logLines > before; }));
            QVERIFY(monitor.errors.isEmpty());
        }
        touch(stop);
        for (auto &run : runs)
            QVERIFY(run->waitForFinished(20000));

        HistoryMonitor last(spool.path(), db);
        QVERIFY(last.settle());
        QVERIFY(last.loadAllLogs());
        QCOMPARE(last.store.count(), kSessions);
        QCOMPARE(dumpStore(last.store), dumpSpool(spool.path()));
        for (int row = 0; row < kSessions; ++row) {
            const Session &s = last.store.at(row);
            QVERIFY(s.logLines > 20);
            QCOMPARE(s.state,
                     s.id().mid(5).toInt() % 2 ? SessionState::Failed : SessionState::Succeeded);
        }
    }

    // Hostile output through `keepwatch-cli run`: passed through byte for
    // byte; the log stays bounded, readable and complete.
    void hostileOutputPassesThrough() {
        TempSpool spool;
        QTemporaryDir work;
        const QByteArray huge(10 * 1024 * 1024, 'x');
        const QByteArray bytes = "first\n" + huge + "\n" + QByteArray("bad \xff\xfe utf-8 \xc3\n")
                                 + QByteArray("nul\0in\0line\n", 12) + "last";
        const QString data = work.filePath(QStringLiteral("data"));
        {
            QFile f(data);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        QProcess p;
        p.start(cliPath(),
                {QStringLiteral("run"), QStringLiteral("--session-id"), QStringLiteral("hostile"),
                 QStringLiteral("--"), QStringLiteral("cat"), data});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput() == bytes);
        QCOMPARE(p.readAllStandardError(), QByteArray());

        const QJsonObject s = show(QStringLiteral("hostile"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        const QStringList lines = messages(s);
        QCOMPARE(lines.first(), QStringLiteral("first"));
        // The 10 MB line: in bounded pieces (64 KB), every byte of it kept.
        qsizetype xs = 0;
        int pieces = 0;
        for (const QString &line : lines) {
            if (!line.startsWith(QLatin1Char('x')))
                continue;
            QVERIFY(line.size() <= 64 * 1024);
            xs += line.size();
            ++pieces;
        }
        QCOMPARE(xs, huge.size());
        QCOMPARE(pieces, 160);
        // Invalid UTF-8 shown as replacement characters; NULs dropped.
        QVERIFY(lines.contains(QStringLiteral("bad \uFFFD\uFFFD utf-8 \uFFFD")));
        QVERIFY(lines.contains(QStringLiteral("nulinline")));
        QCOMPARE(lines.last(), QStringLiteral("last"));
        QCOMPARE(s.value(QLatin1String("log_lines")).toInt(), lines.size());

        // A message past the protocol's 64 KB from a script: cut, and marked.
        const CliResult logged =
            runCli({QStringLiteral("log"), QStringLiteral("--session"), QStringLiteral("hostile"),
                    QString(100 * 1024, QLatin1Char('y'))});
        QCOMPARE(logged.exitCode, 0);
        const QString cut = messages(show(QStringLiteral("hostile"))).last();
        QVERIFY(cut.startsWith(QString(64 * 1024, QLatin1Char('y'))));
        QVERIFY2(cut.endsWith(QLatin1String("[... 36864 more bytes cut by keepwatch]")),
                 qPrintable(cut.right(80)));
    }

    // A producer that writes a 10 MB spool line itself: skipped with a
    // clear report, the rest of the session still read.
    void overlongSpoolLineIsReportedAndSkipped() {
        TempSpool spool;
        spool.append(
            QStringLiteral("long.jsonl"),
            encode({startEvent(QStringLiteral("long"), 1000)})
                + "{\"v\":1,\"type\":\"log\",\"msg\":\"" + QByteArray(10 * 1024 * 1024, 'z')
                + "\"}\n"
                + encode({logEvent(QStringLiteral("long"), 1002, "after"),
                          endEvent(QStringLiteral("long"), 1003, SessionState::Succeeded, 0)}));
        const CliResult r =
            runCli({QStringLiteral("show"), QStringLiteral("long"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("long.jsonl:2: line is longer than"), r.err.constData());
        const QJsonObject s = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(messages(s), QStringList{QStringLiteral("after")});
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
    }

    // The clock goes back an hour in the middle of a session: durations are
    // never negative and the log keeps the order it was written in, in the
    // store, in `show` and in the history.
    void clockGoingBackKeepsOrderAndDurations() {
        TempSpool spool;
        const QString id = QStringLiteral("clock");
        const qint64 t = 1764057600000; // 2025-11-25T08:00:00Z
        constexpr qint64 kHour = 3600 * 1000;
        spool.append(
            QStringLiteral("clock.jsonl"),
            encode({startEvent(id, t), logEvent(id, t + 1000, "before the jump"),
                    progressEvent(id, t + 2000, 10), logEvent(id, t - kHour, "after the jump"),
                    progressEvent(id, t - kHour + 1000, 20), logEvent(id, t - kHour + 2000, "done"),
                    endEvent(id, t - kHour + 3000, SessionState::Succeeded, 0)}));
        const QStringList order{QStringLiteral("before the jump"), QStringLiteral("after the jump"),
                                QStringLiteral("done")};
        const QJsonObject s = show(id);
        QCOMPARE(messages(s), order);
        QVERIFY(s.value(QLatin1String("duration_ms")).toInteger() >= 0);
        QCOMPARE(list().at(0).toObject().value(QLatin1String("duration_ms")).toInteger(),
                 s.value(QLatin1String("duration_ms")).toInteger());
        // Through the history (the window's path after a restart): same order.
        QTemporaryDir work;
        const QString db = work.filePath(QStringLiteral("history.db"));
        {
            HistoryMonitor first(spool.path(), db);
            QVERIFY(first.settle());
        }
        HistoryMonitor second(spool.path(), db);
        QVERIFY(second.settle());
        QVERIFY(second.loadAllLogs());
        const LogBuffer &log = second.store.log(0);
        QStringList fromHistory;
        for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq)
            fromHistory << QString::fromUtf8(log.line(seq).text);
        QCOMPARE(fromHistory, order);
        QVERIFY(second.store.at(0).durationMs(t) >= 0);
    }

    // Stall detection judged on a clock that goes back (5-minute timeout).
    void stallsAfterTheClockGoesBack_data() {
        QTest::addColumn<QList<qint64>>("progressAt"); // offsets from t, the percent grows
        QTest::addColumn<qint64>("checkedAt");
        QTest::addColumn<bool>("stalled");
        constexpr qint64 kHour = 3600 * 1000, kMin = 60 * 1000;
        // The clock went back an hour after the last progress: stalled five
        // minutes later, not an hour and five minutes later.
        QTest::newRow("back, then nothing: not yet")
            << QList<qint64>{0} << -kHour + 4 * kMin << false;
        QTest::newRow("back, then nothing: stalled after the timeout")
            << QList<qint64>{0} << -kHour + 6 * kMin << true;
        // Progress goes on after the jump: never stalled for it.
        QTest::newRow("back, progress goes on")
            << QList<qint64>{0, -kHour + 10000} << -kHour + 20000 << false;
        QTest::newRow("back, progress went on, then stopped")
            << QList<qint64>{0, -kHour + 10000} << -kHour + 10000 + 6 * kMin << true;
    }
    void stallsAfterTheClockGoesBack() {
        QFETCH(QList<qint64>, progressAt);
        QFETCH(qint64, checkedAt);
        QFETCH(bool, stalled);
        const qint64 t = 1764057600000;
        const QString id = QStringLiteral("s");
        SessionStore store;
        store.setStallTimeoutMs(5 * 60 * 1000);
        store.apply(spoolBatch({startEvent(id, t - 10000)}));
        // The store's clock ticks every second from t-10 s to t, jumps back an
        // hour and ticks on to t+checkedAt; each event arrives when the clock
        // shows its time.
        QList<qint64> pending;
        for (qint64 at : progressAt)
            pending.append(t + at);
        double percent = 0;
        auto tick = [&](qint64 from, qint64 to) {
            for (qint64 now = from; now <= to; now += 1000) {
                if (!pending.isEmpty() && pending.first() == now) {
                    pending.removeFirst();
                    percent += 10;
                    store.apply(spoolBatch({progressEvent(id, now, percent)}));
                }
                store.checkStalls(now);
            }
        };
        tick(t - 10000, t);
        tick(t - 3600 * 1000, t + checkedAt);
        QVERIFY(pending.isEmpty());
        QCOMPARE(store.at(0).state == SessionState::Stalled, stalled);
        QVERIFY(store.at(0).durationMs(t + checkedAt) >= 0);
    }
};

KW_TEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
