// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historydatabase.h"
#include "history/historyspoolsource.h"
#include "models/sessionfilter.h"
#include "spool/spoolsource.h"
#include "store/sessionstore.h"
#include "store/storeseed.h"
#include "systemd/systemdsource.h"
#include "systemdharness.h"
#include "testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

using namespace kw;
using namespace kw::test;

// The systemd source on real units: real restic and borg runs as systemd
// services of a real user manager, their lines in a real journald, all in the
// harness (tests/support/systemdharness.h: a private mount namespace, root
// only; CI runs the tests as root). What a user sees: each run a session
// keyed by its invocation ID, live, with the tool's progress from the
// journal and its end in the tool's own words.
class TestSystemdSource final : public QObject {
    Q_OBJECT

    SystemdHarness m_harness;
    QTemporaryDir m_work;

    QString path(const QString &name) const { return m_work.filePath(name); }

    static bool run(const QStringList &command, QByteArray *output = nullptr) {
        return SystemdHarness::run(command, output);
    }

    // Files of their own for each tree (`salt`): restic and borg store
    // nothing twice, and a backup of known data ends at once.
    static void makeTree(const QString &root, int files, int bytesEach, int salt = 0) {
        QDir().mkpath(root);
        for (int i = 0; i < files; ++i) {
            QFile f(root + QStringLiteral("/file%1.bin").arg(i));
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray data(bytesEach, char('a' + i % 26));
            for (int b = 0; b < bytesEach; b += 97)
                data[b] = char(i * 31 + b + salt * 7 + (b / 97) * salt);
            f.write(data);
        }
    }

    // A unit file as an admin writes one, loaded by the manager.
    void writeUnit(const QString &name, const QStringList &serviceLines) {
        QFile unit(SystemdHarness::unitDirectory() + QLatin1Char('/') + name);
        QVERIFY(unit.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QByteArray text = "[Unit]\nDescription=Keepwatch test " + name.toUtf8() + "\n\n[Service]\n";
        for (const QString &line : serviceLines)
            text += line.toUtf8() + '\n';
        unit.write(text);
        unit.close();
        QByteArray out;
        QVERIFY2(run({QStringLiteral("systemctl"), QStringLiteral("--user"),
                      QStringLiteral("daemon-reload")},
                     &out),
                 out.constData());
    }
    QStringList resticService(const QString &source, const QString &options = {},
                              const QString &password = QStringLiteral("keepwatch-test")) const {
        return {QStringLiteral("Environment=RESTIC_PASSWORD=") + password,
                QStringLiteral("Environment=RESTIC_CACHE_DIR=") + path(QStringLiteral("cache")),
                QStringLiteral("Environment=RESTIC_PROGRESS_FPS=4"),
                QStringLiteral("ExecStart=/usr/bin/restic -r %1 backup --json %2 %3")
                    .arg(path(QStringLiteral("repo")), options, source)};
    }

    // restic reads its backup from a pipe that stays open: it runs until
    // stopped or killed, with some bytes done.
    QStringList endlessResticService() const {
        QStringList service =
            resticService(QString(), QStringLiteral("--stdin --stdin-filename db.dump"));
        // More than restic's largest chunk (8 MiB), so that a chunk ends and
        // counts as done before the input does: where random data ends a
        // chunk depends on the repository's polynomial, and 3 MB had none
        // about one time in twelve.
        service.last() = QStringLiteral("ExecStart=/bin/sh -c \"(head -c 12000000 /dev/urandom; "
                                        "sleep 120) | ")
                         + service.last().mid(QStringLiteral("ExecStart=").size())
                         + QLatin1Char('"');
        return service;
    }

    static void systemctl(const QStringList &args) {
        QByteArray out;
        QVERIFY2(
            run(QStringList{QStringLiteral("systemctl"), QStringLiteral("--user")} + args, &out),
            out.constData());
    }
    static QString invocationOf(const QString &unit) {
        QByteArray out;
        run({QStringLiteral("systemctl"), QStringLiteral("--user"), QStringLiteral("show"),
             QStringLiteral("-P"), QStringLiteral("InvocationID"), unit},
            &out);
        return QString::fromLatin1(out.trimmed());
    }
    static QString activeState(const QString &unit) {
        QByteArray out;
        run({QStringLiteral("systemctl"), QStringLiteral("--user"), QStringLiteral("show"),
             QStringLiteral("-P"), QStringLiteral("ActiveState"), unit},
            &out);
        return QString::fromLatin1(out.trimmed());
    }
    // restic's own summary line of a run, from the journal.
    static QJsonObject resticSummary(const QString &invocationId) {
        run({QStringLiteral("journalctl"), QStringLiteral("--sync")});
        QByteArray out;
        run({QStringLiteral("journalctl"), QStringLiteral("-o"), QStringLiteral("cat"),
             QStringLiteral("_SYSTEMD_INVOCATION_ID=") + invocationId},
            &out);
        for (const QByteArray &line : out.split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value(QLatin1String("message_type")).toString() == QLatin1String("summary"))
                return o;
        }
        return {};
    }

    // The user bus's source, driven as the collector drives it: polled when
    // it asks (a D-Bus signal, the journal's fd) and on a slow tick.
    struct Watch {
        std::unique_ptr<SessionSource> source;
        SessionStore store;
        bool wake = false;
        explicit Watch(SystemdSourceOptions options = {})
            : Watch(userSource(options)) {}
        // Any source that carries the user bus's (the history's).
        explicit Watch(std::unique_ptr<SessionSource> carrier)
            : source(std::move(carrier)) {
            source->setWakeUp([this] { wake = true; });
            pump();
        }
        static std::unique_ptr<SystemdSource> userSource(SystemdSourceOptions options = {}) {
            options.bus = SystemdSourceOptions::Bus::User;
            return std::make_unique<SystemdSource>(options);
        }
        ~Watch() { source->setWakeUp({}); }
        void pump() {
            wake = false;
            do {
                EventBatch batch;
                source->poll(batch);
                store.apply(batch);
            } while (source->hasPendingData());
        }
        // Waits, polling on wake-ups and every 200 ms, for `condition`.
        bool until(const std::function<bool()> &condition, int timeoutMs = 30000) {
            QElapsedTimer tick;
            tick.start();
            return waitFor(
                [&] {
                    if (wake || tick.elapsed() > 200) {
                        pump();
                        tick.restart();
                    }
                    return condition();
                },
                timeoutMs);
        }
        const Session *session(const QString &id) const {
            const int row =
                store.indexOf({SystemdSource::identity(SystemdSourceOptions::Bus::User), id});
            return row < 0 ? nullptr : &store.at(row);
        }
        QStringList log(const QString &id) const {
            const int row =
                store.indexOf({SystemdSource::identity(SystemdSourceOptions::Bus::User), id});
            QStringList lines;
            if (row < 0)
                return lines;
            const LogBuffer &log = store.log(row);
            for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq)
                lines << QString::fromUtf8(log.line(seq).text);
            return lines;
        }
        const Session *byUnit(const QString &unit) const {
            for (int i = store.count() - 1; i >= 0; --i) {
                if (store.at(i).unit == unit)
                    return &store.at(i);
            }
            return nullptr;
        }
    };

    // An endless restic unit started and seen with some bytes done: its run's ID.
    QString startEndlessRestic(Watch &watch, const QString &unit) {
        writeUnit(unit, endlessResticService());
        systemctl({QStringLiteral("start"), QStringLiteral("--no-block"), unit});
        const bool going = watch.until(
            [&] {
                const Session *s = watch.byUnit(unit);
                return s && s->progress.bytesDone.value_or(0) > 0;
            },
            30000 * timeoutScale());
        if (!going) { // what there was instead
            const Session *s = watch.byUnit(unit);
            qWarning().noquote() << unit << activeState(unit) << "session"
                                 << (s ? QString(wireName(s->state)) : QStringLiteral("none"))
                                 << (s ? watch.log(s->key.id).join(QLatin1Char('\n')) : QString());
        }
        return going ? watch.byUnit(unit)->key.id : QString();
    }

private slots:
    void initTestCase() {
        if (const QString why = SystemdHarness::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY(m_work.isValid());
        ::chmod(QFile::encodeName(m_work.path()).constData(), 0755);
        QString error;
        // For the user outside the journal's groups (withoutTheJournalGroup...).
        m_harness.openBusToEveryUser();
        QVERIFY2(m_harness.start(&error), qPrintable(error));
        // The source finds the user's bus where a desktop session has it.
        qputenv("DBUS_SESSION_BUS_ADDRESS", SystemdHarness::busAddress().toUtf8());
        qputenv("XDG_RUNTIME_DIR", SystemdHarness::runtimeDirectory().toUtf8());
        // The machine's system bus (if any) has no systemd manager here.
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/keepwatch-test");

        makeTree(path(QStringLiteral("src")), 8, 32 * 1024);
        makeTree(path(QStringLiteral("slow-src")), 16, 64 * 1024, 1);
        QByteArray out;
        QVERIFY2(run({QStringLiteral("env"), QStringLiteral("RESTIC_PASSWORD=keepwatch-test"),
                      QStringLiteral("restic"), QStringLiteral("-r"), path(QStringLiteral("repo")),
                      QStringLiteral("init"), QStringLiteral("--cache-dir"),
                      path(QStringLiteral("cache"))},
                     &out),
                 out.constData());
    }

    void cleanupTestCase() { m_harness.stop(); }

    // The first test: a unit running `restic backup --json` appears
    // within a second, keyed by its invocation ID, with live progress, and
    // ends with restic's own summary counters.
    void aResticUnitIsWatchedLive() {
        const QString unit = QStringLiteral("restic-live.service");
        writeUnit(unit, resticService(path(QStringLiteral("slow-src")),
                                      QStringLiteral("--limit-upload 256")));
        Watch watch;
        systemctl({QStringLiteral("start"), QStringLiteral("--no-block"), unit});
        QElapsedTimer seen;
        seen.start();
        QVERIFY(watch.until([&] { return watch.byUnit(unit) != nullptr; }, 5000));
        // Within a second (of a plain build; sanitizer builds are slower).
        QVERIFY2(seen.elapsed() < 1000 * timeoutScale(),
                 qPrintable(QString::number(seen.elapsed())));
        const QString id = watch.byUnit(unit)->key.id;
        QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{32}$")).match(id).hasMatch(),
                 qPrintable(id));
        QCOMPARE(id, invocationOf(unit));
        const Session *s = watch.session(id);
        QCOMPARE(s->tool, QStringLiteral("restic"));
        QCOMPARE(s->kind, SessionKind::Backup);
        QCOMPARE(s->user, QStringLiteral("root"));
        QCOMPARE(s->title, unit);
        QCOMPARE(s->invocationId, id);
        QCOMPARE(s->target, path(QStringLiteral("repo")));
        // Live progress from restic's status lines in the journal.
        QVERIFY(watch.until([&] {
            const Session *now = watch.session(id);
            return now->state == SessionState::Running && now->progress.bytesDone.value_or(0) > 0;
        }));
        QVERIFY(watch.until([&] { return isTerminal(watch.session(id)->state); }, 60000));
        s = watch.session(id);
        QCOMPARE(s->state, SessionState::Succeeded);
        const QJsonObject summary = resticSummary(id);
        QVERIFY(!summary.isEmpty());
        QCOMPARE(s->progress.bytesDone,
                 qint64(summary.value(QLatin1String("total_bytes_processed")).toDouble()));
        QCOMPARE(s->progress.filesDone,
                 qint64(summary.value(QLatin1String("total_files_processed")).toDouble()));
        QCOMPARE(s->exitCode, 0);
    }

    // How a run ended, in restic's words: exit 3 is a warning although
    // systemd calls the unit failed; stopped is cancelled; SIGKILL failed.
    void runsEndInTheToolsWords_data() {
        QTest::addColumn<QString>("how");
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<QString>("words");
        QTest::newRow("exit 3") << "unreadable" << SessionState::Warning << "exit code 3";
        QTest::newRow("exit 1") << "wrong-password" << SessionState::Failed << "exit code 1";
        QTest::newRow("stopped") << "stop" << SessionState::Cancelled << "cancelled";
        QTest::newRow("SIGKILL") << "kill" << SessionState::Failed << "SIGKILL";
    }
    void runsEndInTheToolsWords() {
        QFETCH(QString, how);
        QFETCH(SessionState, state);
        QFETCH(QString, words);
        const QString unit = QStringLiteral("restic-%1.service").arg(how);
        QStringList service;
        if (how == QLatin1String("unreadable")) {
            // A file restic cannot read: as nobody, over a root-only file.
            const QString src = path(QStringLiteral("mixed-src"));
            makeTree(src, 3, 4096);
            QFile secret(src + QStringLiteral("/root-only.bin"));
            QVERIFY(secret.open(QIODevice::WriteOnly));
            secret.write("secret");
            secret.close();
            QVERIFY(secret.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
            const QString repo = path(QStringLiteral("nobody-repo"));
            const QString cache = path(QStringLiteral("nobody-cache"));
            QDir().mkpath(repo);
            QDir().mkpath(cache);
            QVERIFY(run({QStringLiteral("chown"), QStringLiteral("nobody"), repo, cache}));
            QByteArray out;
            QVERIFY2(run({QStringLiteral("setpriv"), QStringLiteral("--reuid=nobody"),
                          QStringLiteral("--regid=nogroup"), QStringLiteral("--clear-groups"),
                          QStringLiteral("env"), QStringLiteral("RESTIC_PASSWORD=x"),
                          QStringLiteral("RESTIC_CACHE_DIR=") + cache, QStringLiteral("restic"),
                          QStringLiteral("-r"), repo, QStringLiteral("init")},
                         &out),
                     out.constData());
            service = {QStringLiteral("Environment=RESTIC_PASSWORD=x"),
                       QStringLiteral("Environment=RESTIC_CACHE_DIR=") + cache,
                       QStringLiteral("ExecStart=/usr/bin/setpriv --reuid=nobody --regid=nogroup "
                                      "--clear-groups /usr/bin/restic -r %1 backup --json %2")
                           .arg(repo, src)};
        } else if (how == QLatin1String("wrong-password")) {
            service = resticService(path(QStringLiteral("src")), {}, QStringLiteral("wrong"));
        } else {
            service = endlessResticService();
        }
        writeUnit(unit, service);
        Watch watch;
        systemctl({QStringLiteral("start"), QStringLiteral("--no-block"), unit});
        QVERIFY(watch.until([&] { return watch.byUnit(unit) != nullptr; }, 5000));
        const QString id = watch.byUnit(unit)->key.id;
        if (how == QLatin1String("stop") || how == QLatin1String("kill")) {
            QVERIFY(watch.until([&] { return watch.session(id)->state == SessionState::Running; }));
            QTest::qWait(1500); // restic is at work
            if (how == QLatin1String("stop"))
                systemctl({QStringLiteral("stop"), unit});
            else
                systemctl({QStringLiteral("kill"), QStringLiteral("--signal=KILL"), unit});
        }
        QVERIFY(watch.until([&] { return isTerminal(watch.session(id)->state); }, 60000));
        const Session *s = watch.session(id);
        QCOMPARE(s->state, state);
        QVERIFY2(s->summary.contains(words), qPrintable(s->summary));
        if (how == QLatin1String("wrong-password")) {
            // restic's own message, from the journal, is in the log.
            QVERIFY2(
                watch.log(id).join(QLatin1Char('\n')).contains(QLatin1String("wrong password")),
                qPrintable(watch.log(id).join(QLatin1Char('\n'))));
        }
    }

    // Two units at once: each session's log is its own run's lines.
    void logsOfParallelRunsStayApart() {
        const QString a = QStringLiteral("backup-alpha.service");
        const QString b = QStringLiteral("backup-beta.service");
        // Each says hello from its main process, which lives on (a second,
        // then as restic) while journald reads the line: a writer gone by
        // then can lose the line's unit (docs/systemd.md, "Lines journald
        // cannot tie"; once in CI even for the main process of a run this
        // short).
        auto saying = [&](const QString &hello) {
            QStringList service = resticService(path(QStringLiteral("src")));
            service.last() =
                QStringLiteral("ExecStart=/bin/sh -c 'echo %1; sleep 1; exec %2'")
                    .arg(hello, service.last().mid(QStringLiteral("ExecStart=").size()));
            return service;
        };
        writeUnit(a, saying(QStringLiteral("alpha says hello")));
        writeUnit(b, saying(QStringLiteral("beta says hello")));
        Watch watch;
        systemctl({QStringLiteral("start"), QStringLiteral("--no-block"), a, b});
        QVERIFY(watch.until(
            [&] {
                const Session *sa = watch.byUnit(a), *sb = watch.byUnit(b);
                return sa && sb && isTerminal(sa->state) && isTerminal(sb->state);
            },
            60000));
        const QString logA = watch.log(watch.byUnit(a)->key.id).join(QLatin1Char('\n'));
        const QString logB = watch.log(watch.byUnit(b)->key.id).join(QLatin1Char('\n'));
        QVERIFY2(logA.contains(QLatin1String("alpha says hello")), qPrintable(logA));
        QVERIFY2(logB.contains(QLatin1String("beta says hello")), qPrintable(logB));
        QVERIFY(!logA.contains(QLatin1String("beta")));
        QVERIFY(!logB.contains(QLatin1String("alpha")));
        QCOMPARE(watch.byUnit(a)->state, SessionState::Succeeded);
        QCOMPARE(watch.byUnit(b)->state, SessionState::Succeeded);
    }

    // The window was closed while a run ended: opened after, it shows the
    // run with its real outcome, rebuilt from the manager's journal messages.
    void runsThatEndedUnwatchedShowWithTheirOutcome() {
        const QString unit = QStringLiteral("restic-unwatched.service");
        writeUnit(unit, resticService(path(QStringLiteral("src")), {}, QStringLiteral("wrong")));
        systemctl({QStringLiteral("start"), unit}); // nobody watches
        const QString id = invocationOf(unit);
        QVERIFY(!id.isEmpty());
        QVERIFY(waitFor([&] { return activeState(unit) == QLatin1String("failed"); }, 30000));
        run({QStringLiteral("journalctl"), QStringLiteral("--sync")});
        Watch watch;
        QVERIFY2(watch.session(id), qPrintable(id));
        // Ended within the grace, it ends after it (restic's line may
        // still be on its way to the journal).
        QVERIFY(watch.until([&] { return isTerminal(watch.session(id)->state); }, 10000));
        const Session *s = watch.session(id);
        QCOMPARE(s->state, SessionState::Failed);
        QCOMPARE(s->exitCode, 1);
        const QString log = watch.log(id).join(QLatin1Char('\n'));
        QVERIFY2(log.contains(QLatin1String("wrong password")), qPrintable(log));
    }

    // journald ties a line to its unit through /proc when it reads it: on a
    // loaded machine restic can fail and be gone before that, and its one
    // line ("Fatal: wrong password") is stored with no unit and no
    // invocation ID. journald held (SIGSTOP) while the run fails makes that
    // certain here. The run's log has the line all the same (by the PID of
    // its main process), watched live or read after its end.
    void linesJournaldCouldNotTieToTheRunShow_data() {
        QTest::addColumn<bool>("watched");
        QTest::addColumn<bool>("succeeds");
        QTest::newRow("fails, watched live") << true << false;
        QTest::newRow("fails, read after") << false << false;
        // A run that succeeds (the manager unloads its unit at once).
        QTest::newRow("succeeds, watched live") << true << true;
    }
    void linesJournaldCouldNotTieToTheRunShow() {
        QFETCH(bool, watched);
        QFETCH(bool, succeeds);
        const QString unit =
            QStringLiteral("%1-untied-%2.service")
                .arg(succeeds ? QStringLiteral("backup") : QStringLiteral("restic"),
                     watched ? QStringLiteral("live") : QStringLiteral("after"));
        const QString said = succeeds ? QStringLiteral("quick backup says hello")
                                      : QStringLiteral("Fatal: wrong password or no key found");
        if (succeeds)
            writeUnit(unit, {QStringLiteral("Type=oneshot"),
                             QStringLiteral("ExecStart=/bin/echo ") + said});
        else
            writeUnit(unit,
                      resticService(path(QStringLiteral("src")), {}, QStringLiteral("wrong")));
        std::optional<Watch> watch;
        if (watched)
            watch.emplace();
        const auto journald = pid_t(m_harness.journaldPid());
        QVERIFY(journald > 0);
        QCOMPARE(::kill(journald, SIGSTOP), 0);
        auto resume = qScopeGuard([journald] { ::kill(journald, SIGCONT); });
        // The manager answers on its bus while journald is held (a oneshot's
        // start returns when it ended).
        bool ended = true;
        if (succeeds) {
            systemctl({QStringLiteral("start"), unit});
        } else {
            systemctl({QStringLiteral("start"), QStringLiteral("--no-block"), unit});
            ended = waitFor([&] { return activeState(unit) == QLatin1String("failed"); }, 30000);
        }
        // (An unloaded unit names no invocation any more: the watch knows it.)
        QString id = invocationOf(unit);
        if (watched) { // the run seen live while journald is still held
            QVERIFY(watch->until([&] { return watch->byUnit(unit) != nullptr; }, 10000));
            id = watch->byUnit(unit)->key.id;
        }
        ::kill(journald, SIGCONT); // journald goes on: reads the line, its writer is gone
        resume.dismiss();
        QVERIFY(ended);
        run({QStringLiteral("journalctl"), QStringLiteral("--sync")});
        // What this test is about: journald could not tie the line to the run.
        QByteArray entries;
        run({QStringLiteral("journalctl"), QStringLiteral("-o"), QStringLiteral("json"),
             QStringLiteral("--since"), QStringLiteral("-60s"), QStringLiteral("MESSAGE=") + said},
            &entries);
        const QJsonObject line =
            QJsonDocument::fromJson(entries.trimmed().split('\n').last()).object();
        QVERIFY2(!line.isEmpty() && !line.contains(QLatin1String("_SYSTEMD_INVOCATION_ID"))
                     && !line.contains(QLatin1String("_SYSTEMD_CGROUP")),
                 entries.constData());

        if (!watched)
            watch.emplace();
        QVERIFY(watch->until(
            [&] { return watch->session(id) && isTerminal(watch->session(id)->state); }, 10000));
        QCOMPARE(watch->session(id)->state,
                 succeeds ? SessionState::Succeeded : SessionState::Failed);
        const QStringList log = watch->log(id);
        QVERIFY2(log.filter(said).size() == 1, qPrintable(log.join(QLatin1Char('\n'))));
    }

    // The window closed during a run and opened twice after, with its
    // history (the source read through HistorySpoolSource, as the window
    // reads it): the run shows with its real outcome, every line once, and
    // the history keeps it with where the journal was read up to.
    void theHistoryKeepsRunsAcrossRestarts() {
        const QString unit = QStringLiteral("backup-history.service");
        writeUnit(unit, {QStringLiteral("ExecStart=/bin/sh -c 'for i in 1 2 3 4 5 6 7 8; do "
                                        "echo history line $i; sleep 0.4; done; exit 1'")});
        const QString db = path(QStringLiteral("history.db"));
        const QString spool = path(QStringLiteral("history-spool"));
        QVERIFY(QDir().mkpath(spool));
        auto withHistory = [&] {
            HistorySpoolSource::Options options;
            options.databasePath = db;
            options.spoolDirectory = spool;
            SessionSources recorded;
            recorded.push_back(Watch::userSource());
            return std::make_unique<HistorySpoolSource>(options, std::move(recorded));
        };
        auto linesOf = [](const QStringList &log) {
            return log.filter(QRegularExpression(QStringLiteral("^history line \\d$")));
        };
        const QStringList all = {
            QStringLiteral("history line 1"), QStringLiteral("history line 2"),
            QStringLiteral("history line 3"), QStringLiteral("history line 4"),
            QStringLiteral("history line 5"), QStringLiteral("history line 6"),
            QStringLiteral("history line 7"), QStringLiteral("history line 8")};
        QString id;
        {
            Watch watch(withHistory());
            systemctl({QStringLiteral("start"), QStringLiteral("--no-block"), unit});
            QVERIFY(watch.until([&] {
                const Session *s = watch.byUnit(unit);
                return s && linesOf(watch.log(s->key.id)).size() >= 2;
            }));
            id = watch.byUnit(unit)->key.id;
            QVERIFY(isActive(watch.byUnit(unit)->state));
        } // the window closes; the run goes on
        QVERIFY(waitFor([&] { return activeState(unit) == QLatin1String("failed"); }, 30000));
        run({QStringLiteral("journalctl"), QStringLiteral("--sync")});
        for (int start = 2; start <= 3; ++start) {
            Watch watch(withHistory());
            QVERIFY(watch.until([&] {
                const Session *s = watch.session(id);
                return s && isTerminal(s->state);
            }));
            const Session *s = watch.session(id);
            QCOMPARE(s->state, SessionState::Failed);
            QCOMPARE(s->exitCode, 1);
            // Every line once: the history's, then what the journal has
            // after them. A finished run's log stays in the history until a
            // pane asks for it.
            const int row = watch.store.indexOf(s->key);
            if (watch.store.needsHistoryLog(row)) {
                QCOMPARE(start, 3);
                HistoryDatabase history;
                QVERIFY(history.open(db));
                std::vector<StoreSeed::Line> lines;
                for (const auto &line : history.logLines(*history.findSession(s->key)))
                    lines.push_back({line.timestampMs, line.level, line.message});
                watch.store.loadHistoryLog(s->key, lines);
            }
            QCOMPARE(linesOf(watch.log(id)), all);
            int rows = 0;
            for (int i = 0; i < watch.store.count(); ++i)
                rows += watch.store.at(i).unit == unit ? 1 : 0;
            QCOMPARE(rows, 1);
        }
        HistoryDatabase history;
        QVERIFY(history.open(db));
        const auto pk =
            history.findSession({SystemdSource::identity(SystemdSourceOptions::Bus::User), id});
        QVERIFY(pk);
        QCOMPARE(history.loadSession(*pk)->state, SessionState::Failed);
        QStringList recorded;
        for (const auto &line : history.logLines(*pk))
            recorded << QString::fromUtf8(line.message);
        QCOMPARE(linesOf(recorded), all);
        // Where the journal was read up to: a real cursor, which the journal knows.
        const QString cursor =
            history.sourceCursors().value(SystemdSource::identity(SystemdSourceOptions::Bus::User));
        QVERIFY2(cursor.startsWith(QLatin1String("s=")), qPrintable(cursor));
        QVERIFY(run({QStringLiteral("journalctl"), QStringLiteral("--cursor"), cursor,
                     QStringLiteral("-n"), QStringLiteral("1")}));
    }

    // A unit that wraps `keepwatch-cli run` is one row: the wrapper's
    // session, which records the unit's invocation ID, stands for the run.
    void aUnitThatWrapsTheCliIsOneRow() {
        const QString spool = path(QStringLiteral("unit-spool"));
        const QString unit = QStringLiteral("wrapped-backup.service");
        writeUnit(unit,
                  {QStringLiteral("Environment=RESTIC_PASSWORD=keepwatch-test"),
                   QStringLiteral("Environment=RESTIC_CACHE_DIR=") + path(QStringLiteral("cache")),
                   QStringLiteral("Environment=KEEPWATCH_SPOOL=") + spool,
                   QStringLiteral("ExecStart=%1 run -- /usr/bin/restic -r %2 backup %3")
                       .arg(cliPath(), path(QStringLiteral("repo")), path(QStringLiteral("src")))});
        Watch watch;
        SpoolSource spoolSource(spool);
        auto pumpBoth = [&] {
            EventBatch batch;
            spoolSource.poll(batch);
            watch.store.apply(batch);
        };
        systemctl({QStringLiteral("start"), unit});
        const QString id = invocationOf(unit);
        QByteArray journal;
        QVERIFY2(watch.until([&] {
            pumpBoth();
            for (int i = 0; i < watch.store.count(); ++i) {
                const Session &s = watch.store.at(i);
                if (s.key.source == QLatin1String("spool") && isTerminal(s.state))
                    return watch.session(id) != nullptr;
            }
            return false;
        })
                     || (run({QStringLiteral("journalctl"), QStringLiteral("--user-unit"), unit},
                             &journal),
                         false),
                 journal.constData());
        SessionFilter everything;
        QStringList visible;
        for (int i = 0; i < watch.store.count(); ++i) {
            const Session &s = watch.store.at(i);
            if (s.invocationId == id && everything.matches(s, 0))
                visible << s.key.source;
        }
        QCOMPARE(visible, QStringList{QStringLiteral("spool")});
        QVERIFY(watch.session(id)->joined);
    }

    // A real borg unit: --log-json progress lines from the journal.
    void aBorgUnitIsWatchedLive() {
        const QString repo = path(QStringLiteral("borg-repo"));
        QByteArray out;
        QVERIFY2(run({QStringLiteral("env"), QStringLiteral("BORG_PASSPHRASE=keepwatch-test"),
                      QStringLiteral("BORG_BASE_DIR=") + path(QStringLiteral("borg-base")),
                      QStringLiteral("borg"), QStringLiteral("init"),
                      QStringLiteral("--encryption=repokey"), repo},
                     &out),
                 out.constData());
        const QString unit = QStringLiteral("borg-nightly.service");
        writeUnit(unit,
                  {QStringLiteral("Environment=BORG_PASSPHRASE=keepwatch-test"),
                   QStringLiteral("Environment=BORG_BASE_DIR=") + path(QStringLiteral("borg-base")),
                   QStringLiteral("ExecStart=/usr/bin/borg create --log-json --progress --stats "
                                  "--json %1::first %2")
                       .arg(repo, path(QStringLiteral("slow-src")))});
        Watch watch;
        systemctl({QStringLiteral("start"), QStringLiteral("--no-block"), unit});
        QVERIFY(watch.until([&] { return watch.byUnit(unit) != nullptr; }, 5000));
        const QString id = watch.byUnit(unit)->key.id;
        QCOMPARE(watch.session(id)->tool, QStringLiteral("borg"));
        QCOMPARE(watch.session(id)->kind, SessionKind::Backup);
        QVERIFY(watch.until([&] { return isTerminal(watch.session(id)->state); }, 60000));
        const Session *s = watch.session(id);
        QCOMPARE(s->state, SessionState::Succeeded);
        QVERIFY2(s->progress.filesDone.value_or(0) >= 16,
                 qPrintable(QString::number(s->progress.filesDone.value_or(-1))));
        QVERIFY(s->progress.bytesDone.value_or(0) >= 16 * 64 * 1024);
    }

    // keepwatch-cli cancel on a unit's run stops it as the window does:
    // SIGINT through the manager (restic ends on it, cleaning its lock), and
    // --wait prints the end in the tool's words.
    void theCliCancelsAUnitRun() {
        const QString unit = QStringLiteral("restic-cli-cancel.service");
        Watch watch;
        const QString id = startEndlessRestic(watch, unit);
        QVERIFY(!id.isEmpty());
        QElapsedTimer took;
        took.start();
        const CliResult result = runCli(
            {QStringLiteral("cancel"), id, QStringLiteral("--wait"), QStringLiteral("30")}, 90000);
        QVERIFY2(result.exitCode == 0, QByteArray(result.err + result.out).constData());
        QCOMPARE(result.out, QByteArray("cancelled\n"));
        QVERIFY2(result.err.contains(unit.toUtf8()), result.err.constData());
        // SIGINT sufficed: no wait for the 10 s grace.
        QVERIFY2(took.elapsed() < 10000, qPrintable(QString::number(took.elapsed())));
        QVERIFY(watch.until([&] { return isTerminal(watch.session(id)->state); }));
        QCOMPARE(watch.session(id)->state, SessionState::Cancelled);
    }

    // A user outside systemd-journal and adm, reaching the manager on its bus
    // as any user reaches the system's (the harness's manager plays it,
    // DBUS_SYSTEM_BUS_ADDRESS): the runs' states and exit statuses show, the
    // command says once why lines are missing, and each run's log says which
    // group to join, instead of staying empty.
    void withoutTheJournalGroupStateShowsAndTheLogExplains() {
        ThrowawayUsers users(QStringLiteral("kwsd"));
        const QString outsider = users.add(QStringLiteral("out"));
        QVERIFY(!outsider.isEmpty());
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QVERIFY(run({QStringLiteral("chown"), outsider, home.path()}));

        const QString failedUnit = QStringLiteral("restic-outsider-failed.service");
        writeUnit(failedUnit,
                  resticService(path(QStringLiteral("src")), {}, QStringLiteral("wrong")));
        run({QStringLiteral("systemctl"), QStringLiteral("--user"), QStringLiteral("start"),
             failedUnit}); // fails: a failed unit stays loaded with its exit status
        const QString failedId = invocationOf(failedUnit);
        QVERIFY(!failedId.isEmpty());
        Watch watch;
        const QString runningUnit = QStringLiteral("restic-outsider.service");
        const QString runningId = startEndlessRestic(watch, runningUnit);
        QVERIFY(!runningId.isEmpty());

        auto asOutsider = [&](const QStringList &args) {
            QProcess cli;
            cli.start(
                QStringLiteral("setpriv"),
                asUser(outsider, QStringList{QStringLiteral("env"), QStringLiteral("-i"),
                                             QStringLiteral("PATH=/usr/bin:/bin"),
                                             QStringLiteral("HOME=") + home.path(),
                                             QStringLiteral("USER=") + outsider,
                                             QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS=")
                                                 + SystemdHarness::busAddress(),
                                             QStringLiteral("KEEPWATCH_DISCOVERY=0"), cliPath()}
                                     + args)
                    .mid(1));
            cli.waitForFinished(30000);
            return std::make_pair(cli.readAllStandardOutput(), cli.readAllStandardError());
        };
        const auto [listed, said] = asOutsider({QStringLiteral("list"), QStringLiteral("--json")});
        systemctl({QStringLiteral("stop"), runningUnit});
        QHash<QString, QJsonObject> byId;
        for (const QJsonValue &v : QJsonDocument::fromJson(listed).array())
            byId.insert(v.toObject().value(QLatin1String("id")).toString(), v.toObject());
        QVERIFY2(byId.contains(runningId) && byId.contains(failedId), listed.constData());
        const QJsonObject running = byId.value(runningId);
        QCOMPARE(running.value(QLatin1String("source")).toString(), QStringLiteral("systemd"));
        QCOMPARE(running.value(QLatin1String("state")).toString(), QStringLiteral("running"));
        QCOMPARE(running.value(QLatin1String("user")).toString(), QStringLiteral("root"));
        QCOMPARE(running.value(QLatin1String("tool")).toString(), QStringLiteral("restic"));
        const QJsonObject failed = byId.value(failedId);
        QCOMPARE(failed.value(QLatin1String("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(failed.value(QLatin1String("exit_code")).toInt(), 1);
        // Said once by the command, and in the run's own log.
        QCOMPARE(said.count("not in group systemd-journal"), 1);
        const auto [shown, shownSaid] = asOutsider({QStringLiteral("show"), failedId});
        QVERIFY2(shown.contains("the system journal is not readable"), shown.constData());
        QVERIFY2(
            shown.contains(QByteArray("sudo adduser " + outsider.toUtf8() + " systemd-journal")),
            shown.constData());
        QVERIFY2(!shown.contains("Fatal:"), shown.constData()); // restic's own line: unread
    }

    // keepwatch-cli list --json sees the same runs from the same source:
    // a running one with restic's counters so far, an ended one with its
    // outcome.
    void theCliListsUnitRuns() {
        const QString failed = QStringLiteral("restic-wrong-password.service"); // ran above
        const QString failedId = invocationOf(failed);
        QVERIFY(!failedId.isEmpty());
        const QString unit = QStringLiteral("restic-listed.service");
        Watch watch;
        const QString id = startEndlessRestic(watch, unit);
        QVERIFY(!id.isEmpty());
        const CliResult result = runCli({QStringLiteral("list"), QStringLiteral("--json")});
        systemctl({QStringLiteral("stop"), unit});
        QCOMPARE(result.exitCode, 0);
        QHash<QString, QJsonObject> listed;
        for (const QJsonValue &v : QJsonDocument::fromJson(result.out).array())
            listed.insert(v.toObject().value(QLatin1String("id")).toString(), v.toObject());
        QVERIFY2(listed.contains(id), result.out.constData());
        const QJsonObject running = listed.value(id);
        QCOMPARE(running.value(QLatin1String("tool")).toString(), QStringLiteral("restic"));
        QCOMPARE(running.value(QLatin1String("kind")).toString(), QStringLiteral("backup"));
        QCOMPARE(running.value(QLatin1String("state")).toString(), QStringLiteral("running"));
        QCOMPARE(running.value(QLatin1String("source")).toString(), QStringLiteral("systemd:user"));
        QCOMPARE(running.value(QLatin1String("unit")).toString(), unit);
        QVERIFY(running.value(QLatin1String("bytes_done")).toDouble() > 0);
        QVERIFY2(listed.contains(failedId), result.out.constData());
        QCOMPARE(listed.value(failedId).value(QLatin1String("state")).toString(),
                 QStringLiteral("failed"));
        QCOMPARE(listed.value(failedId).value(QLatin1String("exit_code")).toInt(), 1);
    }

    // A backup timer every 2 s whose service always fails: after the grace
    // `keepwatch-cli schedules` calls it overdue and exits 3; within it not.
    void anOverdueTimerIsReported() {
        const QString service = QStringLiteral("restic-often.service");
        const QString timer = QStringLiteral("restic-often.timer");
        writeUnit(service, resticService(path(QStringLiteral("src")), {}, QStringLiteral("wrong")));
        {
            QFile file(SystemdHarness::unitDirectory() + QLatin1Char('/') + timer);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write("[Unit]\nDescription=Keepwatch test timer\n\n[Timer]\n"
                       "OnCalendar=*:*:0/2\nAccuracySec=1ms\n");
        }
        systemctl({QStringLiteral("daemon-reload")});
        systemctl({QStringLiteral("start"), timer});
        Watch watch;
        QVERIFY(watch.until([&] {
            const Session *s = watch.byUnit(service);
            return s && s->state == SessionState::Failed;
        }));
        auto schedules = [&](const QString &grace, int expectedExit) -> QJsonObject {
            const CliResult result = runCli({QStringLiteral("schedules"), QStringLiteral("--json"),
                                             QStringLiteral("--grace"), grace});
            if (result.exitCode != expectedExit)
                qWarning("schedules --grace %s: exit %d: %s %s", qPrintable(grace), result.exitCode,
                         result.out.constData(), result.err.constData());
            for (const QJsonValue &v : QJsonDocument::fromJson(result.out).array()) {
                if (v.toObject().value(QLatin1String("timer")).toString() == timer)
                    return v.toObject();
            }
            return {};
        };
        // Within the grace: listed, not overdue.
        QJsonObject entry = schedules(QStringLiteral("1h"), 0);
        QVERIFY(!entry.isEmpty());
        QCOMPARE(entry.value(QLatin1String("unit")).toString(), service);
        QCOMPARE(entry.value(QLatin1String("period_ms")).toInt(), 2000);
        // Every 2 s the service runs again: a slow machine (sanitizers) may
        // ask while it does.
        const QString outcome = entry.value(QLatin1String("last_outcome")).toString();
        QVERIFY2(outcome == QLatin1String("failed") || outcome == QLatin1String("running"),
                 qPrintable(outcome));
        QVERIFY(entry.value(QLatin1String("last_success")).isNull());
        // While the service runs, a calendar timer may have no next elapse yet.
        QVERIFY(entry.contains(QLatin1String("next_run")));
        QCOMPARE(entry.value(QLatin1String("overdue")).toBool(), false);
        // Past the period and a 1 s grace without a success: overdue, exit 3.
        QTest::qWait(3500);
        entry = schedules(QStringLiteral("1s"), 3);
        QCOMPARE(entry.value(QLatin1String("overdue")).toBool(), true);
        QVERIFY2(entry.value(QLatin1String("why"))
                     .toString()
                     .contains(QLatin1String("no successful run")),
                 qPrintable(entry.value(QLatin1String("why")).toString()));
        systemctl({QStringLiteral("stop"), timer});
    }
};

int main(int argc, char **argv) {
    // Before any thread: unshare(CLONE_NEWNS) refuses a threaded process.
    if (::geteuid() == 0)
        SystemdHarness::enterPrivateMountNamespace();
    QCoreApplication app(argc, argv);
    TestSystemdSource test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_systemdsource.moc"
