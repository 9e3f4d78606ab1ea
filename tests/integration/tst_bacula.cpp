// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "bacula/baculacodes.h"
#include "bacula/baculajobcontrol.h"
#include "bacula/baculasource.h"
#include "bacula/bconsoleoutput.h"
#include "baculadirector.h"
#include "history/historydatabase.h"
#include "history/historyspoolsource.h"
#include "store/sessionstore.h"
#include "store/storeseed.h"
#include "testmain.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <functional>

using namespace kw;
using namespace kw::test;

// The bconsole readers (core/bacula) on a real Bacula 9.6 director,
// storage daemon and file daemon this test starts on loopback
// (tests/support/baculadirector.h): what the captures showed holds live, a
// running job is seen with its progress, outcomes read as they should, and
// a director that refuses the password or is gone is said in words.
class TestBacula final : public QObject {
    Q_OBJECT

    std::unique_ptr<BaculaDirector> m_director;

    QByteArray answer(const QString &commands, const char *command) {
        QString error;
        const auto a = Bconsole::answerTo(m_director->bconsole(commands), command, &error);
        if (!a)
            qWarning("%s", qPrintable(error));
        return a.value_or(QByteArray());
    }

    // Runs `job` and returns its JobId.
    qint64 run(const char *job) {
        const QByteArray said =
            m_director->bconsole(QStringLiteral("run job=%1 yes").arg(QLatin1String(job)));
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("Job queued\\. JobId=(\\d+)"))
                .match(QString::fromUtf8(said));
        if (!m.hasMatch())
            qWarning("run %s: %s", job, said.constData());
        return m.hasMatch() ? m.captured(1).toLongLong() : 0;
    }

    std::optional<Bconsole::Job> catalogJob(qint64 jobId) {
        const QString command = QStringLiteral("llist jobid=%1").arg(jobId);
        const auto jobs =
            Bconsole::catalogJobs(answer(command, command.toUtf8().constData())).items;
        return jobs.size() == 1 ? std::optional(jobs[0]) : std::nullopt;
    }

    BaculaSourceOptions sourceOptions() const {
        BaculaSourceOptions options;
        options.name = QStringLiteral("kwtest");
        options.configPath = m_director->bconsoleConfig();
        options.bconsole = QStandardPaths::findExecutable(QStringLiteral("bconsole"),
                                                          {QStringLiteral("/usr/sbin")});
        options.cycleMs = 300;
        options.timeoutMs = 3000;
        return options;
    }

    // `bytes` more to back up: at the test's 2 MB/s, a backup that lasts.
    void addSourceData(qint64 bytes) {
        QFile file(m_director->sourceDirectory() + QStringLiteral("/large.bin"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray chunk(1024 * 1024, Qt::Uninitialized);
        QRandomGenerator random(11);
        for (qint64 written = 0; written < bytes; written += chunk.size()) {
            random.fillRange(reinterpret_cast<quint32 *>(chunk.data()), chunk.size() / 4);
            file.write(chunk);
        }
    }

    // A live source polled as the collector polls it, into a store.
    struct Watched {
        explicit Watched(const BaculaSourceOptions &options)
            : source(options) {}
        BaculaSource source;
        SessionStore store;
        QList<SourceError> errors;
        qint64 longestPollMs = 0;
        void pump() {
            EventBatch batch;
            QElapsedTimer timer;
            timer.start();
            source.poll(batch);
            longestPollMs = qMax(longestPollMs, timer.elapsed());
            store.apply(batch);
            errors.append(batch.errors);
        }
        bool until(const std::function<bool()> &condition, int timeoutMs = 10000) {
            return waitFor(
                [&] {
                    pump();
                    return condition();
                },
                timeoutMs);
        }
        QStringList said() const {
            QStringList messages;
            for (const SourceError &e : errors)
                messages << e.message;
            return messages;
        }
    };

    // keepwatch-cli with a home of its own: no spool, /proc or systemd of the machine.
    static QProcessEnvironment cliEnvironment(const QTemporaryDir &home) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), home.filePath(QStringLiteral("state")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), home.filePath(QStringLiteral("spool")));
        env.insert(QStringLiteral("KEEPWATCH_DISCOVERY"), QStringLiteral("0"));
        env.insert(QStringLiteral("KEEPWATCH_SYSTEMD"), QStringLiteral("0"));
        return env;
    }

    static const Session *sessionNamed(const SessionStore &store, const QString &id) {
        const int row = store.indexOf({QStringLiteral("bacula:kwtest"), id});
        return row < 0 ? nullptr : &store.at(row);
    }

    static QString jobName(qint64 jobId, const QByteArray &running) {
        for (const auto &job : Bconsole::directorJobs(running).items) {
            if (job.jobId == jobId)
                return job.job;
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase() {
        const QString reason = BaculaDirector::unavailableReason();
        if (!reason.isEmpty())
            QSKIP(qPrintable(reason));
    }

    void init() {
        m_director = std::make_unique<BaculaDirector>();
        // 3 MiB at 2 MB/s: a backup runs long enough to be watched.
        QRandomGenerator random(7);
        for (int i = 0; i < 6; ++i) {
            QFile file(m_director->sourceDirectory() + QStringLiteral("/file%1.bin").arg(i));
            QDir().mkpath(m_director->sourceDirectory());
            QVERIFY(file.open(QIODevice::WriteOnly));
            QByteArray bytes(512 * 1024, Qt::Uninitialized);
            random.fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
            file.write(bytes);
        }
        QString error;
        QVERIFY2(m_director->start(&error, 2), qPrintable(error));
    }

    void cleanup() { m_director.reset(); }

    void aRunningBackupIsSeenWithItsProgress() {
        const qint64 jobId = run("BackupSpike");
        QVERIFY(jobId > 0);
        std::optional<Bconsole::Job> running;
        QVERIFY2(waitFor(
                     [&] {
                         const auto jobs = Bconsole::directorJobs(answer(
                             QStringLiteral(".api 2\n.status dir running"), ".status dir running"));
                         for (const auto &job : jobs.items) {
                             if (job.jobId == jobId && job.status == u'R')
                                 running = job;
                         }
                         return running.has_value();
                     },
                     15000),
                 m_director->log().constData());
        QVERIFY(running->job.startsWith(QLatin1String("BackupSpike.")));
        QCOMPARE(running->client, m_director->clientName());
        QCOMPARE(running->type, QChar(u'B'));
        QCOMPARE(running->level, QChar(u'F'));
        QCOMPARE(running->storage, QStringLiteral("File1"));
        QVERIFY(running->startedMs > 0);

        // The director counts nothing while it runs; its file daemon does.
        std::optional<Bconsole::ClientJob> progress;
        const QString client =
            QStringLiteral(".api 2\n.status client=%1 running").arg(m_director->clientName());
        const QByteArray clientCommand =
            QStringLiteral(".status client=%1 running").arg(m_director->clientName()).toUtf8();
        QVERIFY(waitFor(
            [&] {
                for (const auto &job :
                     Bconsole::clientJobs(answer(client, clientCommand.constData())).items) {
                    if (job.jobId == jobId && job.bytes > 0)
                        progress = job;
                }
                return progress.has_value();
            },
            15000));
        QCOMPARE(progress->job, running->job);
        QVERIFY(progress->currentFile.startsWith(m_director->sourceDirectory()));

        const QString wait = QStringLiteral("wait jobid=%1").arg(jobId);
        QVERIFY(m_director->bconsole(wait, 60000).contains("JobStatus=OK (T)"));
        const auto done = catalogJob(jobId);
        QVERIFY(done);
        QCOMPARE(done->job, running->job);
        QCOMPARE(BaculaCodes::stateOf(done->status, done->errors, false).state,
                 SessionState::Succeeded);
        QVERIFY(done->bytes.value_or(0) >= 6 * 512 * 1024);
        QVERIFY(done->endedMs >= done->startedMs);

        const QString joblog = QStringLiteral("list joblog jobid=%1").arg(jobId);
        const auto log = Bconsole::jobLog(answer(joblog, joblog.toUtf8().constData()));
        QVERIFY2(log.problems.isEmpty(), qPrintable(log.problems.join(u'\n')));
        QVERIFY(std::any_of(log.items.cbegin(), log.items.cend(), [](const QString &entry) {
            return entry.contains(QLatin1String("Termination:            Backup OK"));
        }));
    }

    void outcomes_data() {
        QTest::addColumn<QString>("job");
        QTest::addColumn<SessionState>("state");
        QTest::newRow("a run-before command that fails")
            << QStringLiteral("FailSpike") << SessionState::Failed;
        QTest::newRow("a missing path") << QStringLiteral("WarnSpike") << SessionState::Warning;
    }
    void outcomes() {
        QFETCH(QString, job);
        QFETCH(SessionState, state);
        const qint64 jobId = run(job.toUtf8().constData());
        QVERIFY(jobId > 0);
        m_director->bconsole(QStringLiteral("wait jobid=%1").arg(jobId), 60000);
        const auto done = catalogJob(jobId);
        QVERIFY(done);
        QCOMPARE(BaculaCodes::stateOf(done->status, done->errors, false).state, state);
        const auto names = Bconsole::jobNames(answer(QStringLiteral(".jobs"), ".jobs"));
        QVERIFY(names.items.contains(job));
    }

    // The source itself: a backup from queued to its end as a session (host
    // the client, live bytes, the job's log with its report), every poll
    // returning at once; then the director stops: said once, in words.
    void theSourceFollowsAJobToItsEnd() {
        addSourceData(8 * 1024 * 1024); // about 6 s at 2 MB/s: several looks while it runs
        Watched watch(sourceOptions());
        const SessionStore &store = watch.store;
        const auto backup = [&]() -> const Session * {
            for (int row = 0; row < store.count(); ++row) {
                if (store.at(row).title == QLatin1String("BackupSpike"))
                    return &store.at(row);
            }
            return nullptr;
        };
        const qint64 jobId = run("BackupSpike");
        QVERIFY(jobId > 0);
        QVERIFY(
            watch.until([&] { return backup() && backup()->progress.bytesDone.value_or(0) > 0; }));
        QCOMPARE(backup()->key.source, QStringLiteral("bacula:kwtest"));
        QVERIFY(backup()->key.id.startsWith(QLatin1String("BackupSpike.")));
        QCOMPARE(backup()->host, m_director->clientName());
        QCOMPARE(backup()->state, SessionState::Running);
        // Moving while it runs: the bytes and files the file daemon counts.
        QList<qint64> bytesSeen;
        QVERIFY(watch.until(
            [&] {
                const ProgressPayload &p = backup()->progress;
                if (backup()->state == SessionState::Running && p.bytesDone
                    && (bytesSeen.isEmpty() || *p.bytesDone != bytesSeen.last()))
                    bytesSeen << *p.bytesDone;
                return backup()->state == SessionState::Succeeded;
            },
            60000));
        QStringList seen;
        for (const qint64 bytes : std::as_const(bytesSeen))
            seen << QString::number(bytes);
        qInfo("bytes seen while running: %s", qPrintable(seen.join(u' ')));
        QVERIFY2(bytesSeen.size() >= 2, qPrintable(QString::number(bytesSeen.size())));
        QVERIFY(std::is_sorted(bytesSeen.cbegin(), bytesSeen.cend()));
        // Ended with the catalog's counters.
        const auto done = catalogJob(jobId);
        QVERIFY(done);
        QCOMPARE(backup()->progress.bytesDone, done->bytes);
        QCOMPARE(backup()->progress.filesDone, done->files);
        QVERIFY(watch.until([&] {
            const LogBuffer &log = store.log(store.indexOf(backup()->key));
            for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq) {
                if (log.line(seq).text.toByteArray().contains("Termination:            Backup OK"))
                    return true;
            }
            return false;
        }));
        QVERIFY2(watch.errors.isEmpty(), qPrintable(watch.said().join(u'\n')));

        m_director->stop();
        QVERIFY(watch.until([&] { return !watch.errors.isEmpty(); }, 15000));
        QVERIFY2(watch.errors.first().message.startsWith(
                     QLatin1String("director kwtest unreachable since ")),
                 qPrintable(watch.errors.first().message));
        qInfo("%s", qPrintable(watch.errors.first().message));
        QTest::qWait(4000); // more failed cycles: nothing said again
        watch.pump();
        QCOMPARE(watch.errors.size(), 1);
        qInfo("longest poll: %lld ms", watch.longestPollMs);
        QVERIFY2(watch.longestPollMs < 50, qPrintable(QString::number(watch.longestPollMs)));
    }

    // The director dies mid-backup (SIGKILL) and comes back: the source says
    // so once, in words, and once more when it answers again; the job, which
    // the restarted director records as failed, ends so, never left running.
    void aDirectorKilledMidJobIsSaidAndComesBack() {
        addSourceData(20 * 1024 * 1024); // about 10 s at 2 MB/s
        Watched watch(sourceOptions());
        const SessionStore &store = watch.store;
        const qint64 jobId = run("BackupSpike");
        QVERIFY(jobId > 0);
        QVERIFY(watch.until(
            [&] { return store.count() == 1 && store.at(0).progress.bytesDone.value_or(0) > 0; }));
        const SessionKey key = store.at(0).key;
        m_director->killDirector();
        QVERIFY(watch.until([&] { return !watch.errors.isEmpty(); }, 15000));
        QVERIFY2(watch.errors.first().message.startsWith(
                     QLatin1String("director kwtest unreachable since ")),
                 qPrintable(watch.errors.first().message));
        QVERIFY(!watch.errors.first().notice);
        QCOMPARE(store.at(store.indexOf(key)).state, SessionState::Running);
        QString error;
        QVERIFY2(m_director->startDirector(&error), qPrintable(error));
        QVERIFY(watch.until([&] { return isTerminal(store.at(store.indexOf(key)).state); }, 20000));
        const Session &ended = store.at(store.indexOf(key));
        qInfo("after the director's restart: %s, %s", wireName(ended.state).latin1(),
              qPrintable(ended.summary));
        QCOMPARE(ended.state, SessionState::Failed);
        QCOMPARE(watch.said().size(), 2);
        QCOMPARE(watch.said().last(), QStringLiteral("director kwtest answers again"));
        QVERIFY(watch.errors.last().notice);
    }

    // A backup, a verify of it and a restore of it, each a session of its
    // own kind as one look at the director (keepwatch-cli's) reads them,
    // with the catalog's counters; the restore really put the files back.
    void backupVerifyAndRestoreAreTheirOwnKinds() {
        const qint64 backup = run("BackupSpike");
        QVERIFY(m_director->bconsole(QStringLiteral("wait jobid=%1").arg(backup), 60000)
                    .contains("JobStatus=OK (T)"));
        const qint64 verify = run("VerifySpike");
        m_director->bconsole(QStringLiteral("wait jobid=%1").arg(verify), 60000);
        const QString where = m_director->workDirectory() + QStringLiteral("/restored");
        const QByteArray said = m_director->bconsole(
            QStringLiteral("restore restorejob=RestoreSpike jobid=%1 where=%2 all done yes")
                .arg(backup)
                .arg(where));
        const QRegularExpressionMatch queued =
            QRegularExpression(QStringLiteral("Job queued\\. JobId=(\\d+)"))
                .match(QString::fromUtf8(said));
        QVERIFY2(queued.hasMatch(), said.constData());
        const qint64 restore = queued.captured(1).toLongLong();
        m_director->bconsole(QStringLiteral("wait jobid=%1").arg(restore), 60000);

        BaculaSourceOptions options = sourceOptions();
        options.snapshot = true;
        BaculaSource source(options);
        SessionStore store;
        EventBatch batch;
        source.poll(batch);
        store.apply(batch);
        QVERIFY(batch.errors.isEmpty());
        const auto byJobId = [&](qint64 jobId) -> const Session * {
            for (int row = 0; row < store.count(); ++row) {
                const LogBuffer &log = store.log(row);
                if (log.endSeq() > log.firstSeq()
                    && log.line(log.firstSeq())
                           .text.toByteArray()
                           .startsWith(QStringLiteral("kwtest: JobId %1 ·").arg(jobId).toUtf8()))
                    return &store.at(row);
            }
            return nullptr;
        };
        const Session *b = byJobId(backup);
        const Session *v = byJobId(verify);
        const Session *r = byJobId(restore);
        QVERIFY(b && v && r);
        QCOMPARE(b->kind, SessionKind::Backup);
        QCOMPARE(v->kind, SessionKind::Verify);
        QCOMPARE(r->kind, SessionKind::Restore);
        for (const Session *s : {b, v, r})
            QVERIFY2(s->state == SessionState::Succeeded,
                     qPrintable(s->title + QLatin1Char(' ') + s->summary));
        QCOMPARE(b->progress.bytesDone, catalogJob(backup)->bytes);
        QCOMPARE(r->progress.filesDone, catalogJob(restore)->files);
        QVERIFY(r->progress.filesDone.value_or(0) >= 6);
        QFile original(m_director->sourceDirectory() + QStringLiteral("/file0.bin"));
        QFile restored(where + m_director->sourceDirectory() + QStringLiteral("/file0.bin"));
        QVERIFY(original.open(QIODevice::ReadOnly) && restored.open(QIODevice::ReadOnly));
        QCOMPARE(restored.readAll(), original.readAll());
    }

    // keepwatch-cli on a headless server: `list --bacula CONF` and `show`
    // take the director's jobs as they take any session, in one look.
    void theCliListsAndShowsTheDirectorsJobs() {
        const qint64 jobId = run("BackupSpike");
        QVERIFY(jobId > 0);
        QVERIFY(m_director->bconsole(QStringLiteral("wait jobid=%1").arg(jobId), 60000)
                    .contains("JobStatus=OK (T)"));
        QTemporaryDir home;
        const QProcessEnvironment env = cliEnvironment(home);
        QByteArray out;
        QVERIFY2(runProgram(cliPath(),
                            {QStringLiteral("list"), QStringLiteral("--json"),
                             QStringLiteral("--bacula"), m_director->bconsoleConfig()},
                            env, &out, 60000),
                 out.constData());
        const QJsonArray listed = QJsonDocument::fromJson(out).array();
        QJsonObject job;
        for (const QJsonValue &v : listed) {
            if (v.toObject().value(QLatin1String("source")).toString()
                == QLatin1String("bacula:kwtest-dir"))
                job = v.toObject();
        }
        QVERIFY2(!job.isEmpty(), out.constData());
        QCOMPARE(job.value(QLatin1String("host")).toString(), m_director->clientName());
        QCOMPARE(job.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(job.value(QLatin1String("kind")).toString(), QStringLiteral("backup"));
        const QString id = job.value(QLatin1String("id")).toString();
        QVERIFY(id.startsWith(QLatin1String("BackupSpike.")));

        QVERIFY2(runProgram(cliPath(),
                            {QStringLiteral("show"), id, QStringLiteral("--bacula"),
                             m_director->bconsoleConfig()},
                            env, &out, 60000),
                 out.constData());
        QVERIFY2(out.contains("Termination:            Backup OK"), out.constData());
        // The password is in the file, never in what Keepwatch says.
        QFile conf(m_director->bconsoleConfig());
        QVERIFY(conf.open(QIODevice::ReadOnly));
        const QByteArray password = QRegularExpression(QStringLiteral("Password = \"([^\"]+)\""))
                                        .match(QString::fromUtf8(conf.readAll()))
                                        .captured(1)
                                        .toUtf8();
        QVERIFY(password.size() > 10);
        QVERIFY(!out.contains(password));

        // A report with the director's jobs, their logs and the client as host.
        QVERIFY2(runProgram(cliPath(),
                            {QStringLiteral("export"), QStringLiteral("--format"),
                             QStringLiteral("json"), QStringLiteral("--bacula"),
                             m_director->bconsoleConfig()},
                            env, &out, 60000),
                 out.left(2000).constData());
        const QJsonArray reported =
            QJsonDocument::fromJson(out).object().value(QLatin1String("sessions")).toArray();
        QJsonObject exported;
        for (const QJsonValue &v : reported) {
            if (v.toObject().value(QLatin1String("id")).toString() == id)
                exported = v.toObject();
        }
        QVERIFY2(!exported.isEmpty(), out.left(2000).constData());
        QCOMPARE(exported.value(QLatin1String("host")).toString(), m_director->clientName());
        QCOMPARE(exported.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        const QJsonArray lines = exported.value(QLatin1String("log")).toArray();
        QVERIFY(std::any_of(lines.begin(), lines.end(), [](const QJsonValue &line) {
            return line.toObject()
                .value(QLatin1String("msg"))
                .toString()
                .contains(QLatin1String("Termination:            Backup OK"));
        }));
        QVERIFY(!out.contains(password));

        QVERIFY(!runProgram(cliPath(),
                            {QStringLiteral("list"), QStringLiteral("--bacula"),
                             home.filePath(QStringLiteral("missing.conf"))},
                            env, &out, 60000));
        QVERIFY2(out.contains("no such file"), out.constData());
    }

    // A second backup queued behind the first shows as queued, with the
    // director's reason; Keepwatch cancels it (BaculaJobControl, what the
    // window uses), then the running one (keepwatch-cli cancel --bacula
    // --wait): each ends cancelled, as the director says.
    void queuedAndRunningJobsAreCancelledFromKeepwatch() {
        addSourceData(40 * 1024 * 1024); // about 20 s at 2 MB/s
        const qint64 first = run("BackupSpike");
        const qint64 second = run("BackupSpike");
        QVERIFY(first > 0 && second > 0);
        Watched watch(sourceOptions());
        const SessionStore &store = watch.store;
        const auto pump = [&] {
            watch.pump();
        };
        QString firstJob;
        QString secondJob;
        QVERIFY2(waitFor(
                     [&] {
                         const QByteArray running = answer(
                             QStringLiteral(".api 2\n.status dir running"), ".status dir running");
                         firstJob = jobName(first, running);
                         secondJob = jobName(second, running);
                         return !firstJob.isEmpty() && !secondJob.isEmpty();
                     },
                     15000),
                 m_director->log().constData());
        QVERIFY(waitFor([&] {
            pump();
            const Session *queued = sessionNamed(store, secondJob);
            const Session *running = sessionNamed(store, firstJob);
            return queued && queued->state == SessionState::Queued && running
                   && running->state == SessionState::Running;
        }));
        const Session *queued = sessionNamed(store, secondJob);
        qInfo("queued: %s", qPrintable(queued->stateReason));
        QVERIFY(!queued->stateReason.isEmpty());

        BaculaJobControl control(sourceOptions());
        QSignalSpy cancelled(&control, &BaculaJobControl::cancelFinished);
        control.cancel(secondJob);
        QVERIFY(cancelled.wait(10000));
        QCOMPARE(cancelled.first().at(0).toString(), secondJob);
        QVERIFY2(cancelled.first().at(1).toBool(), qPrintable(cancelled.first().at(3).toString()));
        QCOMPARE(cancelled.first().at(2).toLongLong(), second);
        QCOMPARE(
            cancelled.first().at(3).toString(),
            QStringLiteral("director kwtest cancels %1 (JobId %2)").arg(secondJob).arg(second));
        QVERIFY(waitFor(
            [&] {
                pump();
                return sessionNamed(store, secondJob)->state == SessionState::Cancelled;
            },
            20000));
        QCOMPARE(sessionNamed(store, firstJob)->state, SessionState::Running);

        // Ended: the director's running list no longer has it.
        control.cancel(secondJob);
        QVERIFY(cancelled.wait(10000));
        QVERIFY(!cancelled.last().at(1).toBool());
        QCOMPARE(cancelled.last().at(3).toString(),
                 QStringLiteral("job %1 is no longer queued or running on director kwtest")
                     .arg(secondJob));

        QTemporaryDir home;
        QByteArray out;
        QVERIFY2(runProgram(cliPath(),
                            {QStringLiteral("cancel"), firstJob, QStringLiteral("--bacula"),
                             m_director->bconsoleConfig(), QStringLiteral("--wait"),
                             QStringLiteral("60")},
                            cliEnvironment(home), &out, 90000),
                 out.constData());
        qInfo("%s", out.trimmed().constData());
        QVERIFY2(out.contains(QStringLiteral("director kwtest-dir cancels %1 (JobId %2)")
                                  .arg(firstJob)
                                  .arg(first)
                                  .toUtf8()),
                 out.constData());
        QVERIFY2(out.trimmed().endsWith("\ncancelled"), out.constData());
        QVERIFY(waitFor(
            [&] {
                pump();
                return sessionNamed(store, firstJob)->state == SessionState::Cancelled;
            },
            20000));
        QVERIFY(!runProgram(cliPath(),
                            {QStringLiteral("cancel"), firstJob, QStringLiteral("--bacula"),
                             m_director->bconsoleConfig()},
                            cliEnvironment(home), &out, 60000));
        QVERIFY2(out.contains("has already ended (cancelled)"), out.constData());
    }

    // The jobs the director can run, and runs of them, as the window's
    // "Run Bacula Job…" dialog asks for them.
    void jobsAreListedAndRunFromKeepwatch() {
        BaculaJobControl control(sourceOptions());
        QSignalSpy listed(&control, &BaculaJobControl::jobsListed);
        control.listJobs();
        QVERIFY(listed.wait(10000));
        QCOMPARE(
            listed.first().at(0).toStringList(),
            QStringLiteral("BackupSpike RestoreSpike VerifySpike FailSpike WarnSpike").split(u' '));
        QCOMPARE(listed.first().at(1).toString(), QString());

        QSignalSpy ran(&control, &BaculaJobControl::runFinished);
        control.run(QStringLiteral("VerifySpike"));
        control.run(QStringLiteral("NoSuchJob"));
        control.run(QStringLiteral("Backup\"Spike\nrun job=FailSpike yes"));
        QVERIFY(waitFor([&] { return ran.size() == 3; }, 20000));
        // Refused before bconsole, so said first.
        QCOMPARE(ran.at(0).at(1).toBool(), false);
        QVERIFY2(ran.at(0).at(3).toString().endsWith(QLatin1String("is not a Bacula job name")),
                 qPrintable(ran.at(0).at(3).toString()));
        QCOMPARE(ran.at(1).at(0).toString(), QStringLiteral("VerifySpike"));
        QVERIFY2(ran.at(1).at(1).toBool(), qPrintable(ran.at(1).at(3).toString()));
        const qint64 jobId = ran.at(1).at(2).toLongLong();
        QVERIFY(jobId > 0);
        QCOMPARE(ran.at(2).at(1).toBool(), false);
        qInfo("%s", qPrintable(ran.at(2).at(3).toString()));
        QCOMPARE(
            ran.at(2).at(3).toString(),
            QStringLiteral("director kwtest did not run NoSuchJob: Job \"NoSuchJob\" not found"));
        const auto verify = catalogJob(jobId);
        QVERIFY(verify);
        QCOMPARE(verify->name, QStringLiteral("VerifySpike"));
        QCOMPARE(verify->type, QChar(u'V'));
        // Nothing ran that the hostile name tried to smuggle in.
        const QString jobs = QString::fromUtf8(answer(QStringLiteral("list jobs"), "list jobs"));
        QVERIFY2(!jobs.contains(QLatin1String("FailSpike")), qPrintable(jobs));

        m_director->stop();
        control.listJobs();
        QVERIFY(listed.wait(10000));
        QVERIFY2(listed.last().at(1).toString().startsWith(
                     QLatin1String("director kwtest did not answer: ")),
                 qPrintable(listed.last().at(1).toString()));
    }

    // The window closed while a backup runs and opened twice after, with its
    // history (the source read through HistorySpoolSource, as the window
    // reads it): the job shows with its real outcome, its log equal to `list
    // joblog` with every line once, and the history keeps it so.
    void theHistoryKeepsJobsAcrossRestarts() {
        addSourceData(10 * 1024 * 1024); // about 6 s at 2 MB/s
        QTemporaryDir work;
        const QString db = work.filePath(QStringLiteral("history.db"));
        const QString spool = work.filePath(QStringLiteral("spool"));
        QVERIFY(QDir().mkpath(spool));
        struct Watch {
            explicit Watch(std::unique_ptr<HistorySpoolSource> s)
                : source(std::move(s)) {}
            std::unique_ptr<HistorySpoolSource> source;
            SessionStore store;
            void pump() {
                do {
                    EventBatch batch;
                    source->poll(batch);
                    store.apply(batch);
                } while (source->hasPendingData());
            }
            const Session *session(const QString &id) const {
                const int row = store.indexOf({QStringLiteral("bacula:kwtest"), id});
                return row < 0 ? nullptr : &store.at(row);
            }
            QStringList log(const QString &id) const {
                QStringList lines;
                const LogBuffer &buffer =
                    store.log(store.indexOf({QStringLiteral("bacula:kwtest"), id}));
                for (qint64 seq = buffer.firstSeq(); seq < buffer.endSeq(); ++seq)
                    lines << QString::fromUtf8(buffer.line(seq).text.toByteArray());
                return lines;
            }
        };
        const auto withHistory = [&] {
            HistorySpoolSource::Options options;
            options.databasePath = db;
            options.spoolDirectory = spool;
            SessionSources recorded;
            recorded.push_back(std::make_unique<BaculaSource>(sourceOptions()));
            return std::make_unique<HistorySpoolSource>(options, std::move(recorded));
        };
        const qint64 jobId = run("BackupSpike");
        QVERIFY(jobId > 0);
        QString id;
        {
            Watch watch{withHistory()};
            QVERIFY(waitFor(
                [&] {
                    watch.pump();
                    for (int row = 0; row < watch.store.count(); ++row) {
                        const Session &s = watch.store.at(row);
                        if (s.title == QLatin1String("BackupSpike")
                            && s.state == SessionState::Running && s.logLines >= 3)
                            id = s.key.id;
                    }
                    return !id.isEmpty();
                },
                20000));
        } // the window closes; the job goes on
        QVERIFY(m_director->bconsole(QStringLiteral("wait jobid=%1").arg(jobId), 60000)
                    .contains("JobStatus=OK (T)"));
        const QString command = QStringLiteral("list joblog jobid=%1").arg(jobId);
        QStringList joblog;
        for (const QString &entry :
             Bconsole::jobLog(answer(command, command.toUtf8().constData())).items) {
            for (const QString &line : entry.split(u'\n')) {
                if (!line.trimmed().isEmpty())
                    joblog << line;
            }
        }
        QVERIFY(joblog.size() > 20);
        for (int start = 2; start <= 3; ++start) {
            Watch watch{withHistory()};
            QVERIFY(waitFor(
                [&] {
                    watch.pump();
                    const Session *s = watch.session(id);
                    return s && s->state == SessionState::Succeeded
                           && (start == 3 || watch.log(id).contains(joblog.last()));
                },
                30000));
            // A finished job's log stays in the history until a pane asks.
            const int row = watch.store.indexOf({QStringLiteral("bacula:kwtest"), id});
            if (watch.store.needsHistoryLog(row)) {
                QCOMPARE(start, 3);
                HistoryDatabase history;
                QVERIFY(history.open(db));
                std::vector<StoreSeed::Line> lines;
                for (const auto &line :
                     history.logLines(*history.findSession(watch.session(id)->key)))
                    lines.push_back({line.timestampMs, line.level, line.message});
                watch.store.loadHistoryLog(watch.session(id)->key, lines);
            }
            const QStringList log = watch.log(id);
            QVERIFY2(log.value(0).startsWith(
                         QStringLiteral("kwtest: JobId %1 · Backup, Full").arg(jobId)),
                     qPrintable(log.value(0)));
            if (log.mid(1) != joblog)
                qWarning("log:\n%s", qPrintable(log.join(u'\n')));
            QCOMPARE(log.mid(1), joblog);
            QCOMPARE(watch.session(id)->progress.bytesDone, catalogJob(jobId)->bytes);
        }
    }

    void aRefusedPasswordOrAGoneDirectorIsSaid() {
        QString error;
        QProcess console;
        console.setProcessChannelMode(QProcess::MergedChannels);
        console.start(QStringLiteral("bconsole"),
                      {QStringLiteral("-c"),
                       m_director->bconsoleConfigWithPassword(QStringLiteral("wrong"))});
        console.write(".api 2\n.status dir running\n");
        console.closeWriteChannel();
        QVERIFY(console.waitForFinished(30000));
        QVERIFY(!Bconsole::answerTo(console.readAll(), ".status dir running", &error));
        qInfo("wrong password: %s", qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("authoriz"), Qt::CaseInsensitive), qPrintable(error));
        // The source names the file whose password to fix.
        BaculaSourceOptions options = sourceOptions();
        options.configPath = m_director->bconsoleConfigWithPassword(QStringLiteral("wrong"));
        options.snapshot = true;
        options.timeoutMs = 15000; // the director answers a wrong password after 5 s
        BaculaSource refused(options);
        EventBatch batch;
        refused.poll(batch);
        QCOMPARE(batch.errors.size(), 1);
        qInfo("%s", qPrintable(batch.errors.first().message));
        QVERIFY2(batch.errors.first().message.startsWith(
                     QStringLiteral("director kwtest refuses the password of %1 since ")
                         .arg(options.configPath)),
                 qPrintable(batch.errors.first().message));
        QVERIFY(batch.events.isEmpty());

        m_director->stop();
        QElapsedTimer timer;
        timer.start();
        const QByteArray gone =
            m_director->bconsole(QStringLiteral(".api 2\n.status dir running"), 3000);
        qInfo("a gone director: bconsole said %s after %lld ms (killed at 3 s if still waiting)",
              gone.simplified().left(200).constData(), timer.elapsed());
        QVERIFY(!Bconsole::answerTo(gone, ".status dir running", &error));
    }
};

KW_TEST_GUILESS_MAIN(TestBacula)
#include "tst_bacula.moc"
