// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "bacula/baculacodes.h"
#include "bacula/baculajobtracker.h"
#include "bacula/bconsoleoutput.h"
#include "store/sessionstore.h"
#include "store/storeseed.h"
#include "testmain.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace kw;

namespace {

QByteArray fixture(const QString &name) {
    QFile file(QStringLiteral(":/fixtures/bacula/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("no fixture %s", qPrintable(name));
    return file.readAll();
}

// The answer to `command` in a captured bconsole session.
QByteArray answer(const QString &name, const char *command) {
    QString error;
    const auto a = Bconsole::answerTo(fixture(name), command, &error);
    if (!a)
        qFatal("%s: %s", qPrintable(name), qPrintable(error));
    return *a;
}

QByteArray fixture(const char *name) {
    return fixture(QString::fromUtf8(name));
}
QByteArray answer(const char *name, const char *command) {
    return answer(QString::fromUtf8(name), command);
}

} // namespace

// What Bacula 9.6.7's bconsole printed for real (tests/fixtures/bacula,
// captured from a director, storage and file daemon on loopback), read
// into jobs; the same cut short, garbled or hostile gives problems, never
// a crash or an invented job.
class TestBconsole final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void directorRunningJobs_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("jobs");
        QTest::addColumn<QString>("firstJob");
        QTest::addColumn<QString>("statuses");
        QTest::addColumn<QString>("types");
        QTest::newRow("backup") << QStringLiteral("bacula-9.6-api2-status-dir-running-backup.txt")
                                << 1 << QStringLiteral("BackupSpike.2026-11-25_07.44.08_10")
                                << QStringLiteral("R") << QStringLiteral("B");
        QTest::newRow("one running, one waiting")
            << QStringLiteral("bacula-9.6-api2-status-dir-one-running-one-waiting.txt") << 2
            << QStringLiteral("BackupSpike.2026-11-25_07.44.08_10") << QStringLiteral("Rc")
            << QStringLiteral("BB");
        QTest::newRow("restore") << QStringLiteral("bacula-9.6-api2-status-dir-running-restore.txt")
                                 << 1 << QStringLiteral("RestoreSpike.2026-11-25_07.45.39_10")
                                 << QStringLiteral("R") << QStringLiteral("R");
        QTest::newRow("verify") << QStringLiteral("bacula-9.6-api2-status-dir-running-verify.txt")
                                << 1 << QString() << QStringLiteral("R") << QStringLiteral("V");
        QTest::newRow("nothing running")
            << QStringLiteral("bacula-9.6-api2-status-dir-running-idle.txt") << 0 << QString()
            << QString() << QString();
        QTest::newRow("api_opts=j (the same in 9.6)")
            << QStringLiteral("bacula-9.6-api2-apiopts-j-status-dir-running.txt") << 1
            << QStringLiteral("BackupSpike.2026-11-25_07.44.08_10") << QStringLiteral("R")
            << QStringLiteral("B");
    }
    void directorRunningJobs() {
        QFETCH(QString, file);
        QFETCH(int, jobs);
        QFETCH(QString, firstJob);
        QFETCH(QString, statuses);
        QFETCH(QString, types);
        const auto parsed = Bconsole::directorJobs(answer(file, ".status dir running"));
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.join(u'\n')));
        QCOMPARE(parsed.items.size(), jobs);
        QString seenStatuses, seenTypes;
        for (const Bconsole::Job &job : parsed.items) {
            seenStatuses += job.status;
            seenTypes += job.type;
            QVERIFY(job.jobId > 0);
            QCOMPARE(job.client, QStringLiteral("spike-fd"));
            QVERIFY(job.startedMs > 0);
        }
        QCOMPARE(seenStatuses, statuses);
        QCOMPARE(seenTypes, types);
        if (!firstJob.isEmpty())
            QCOMPARE(parsed.items.first().job, firstJob);
    }

    void theWaitingJobSaysWhy() {
        const auto parsed = Bconsole::directorJobs(answer(
            "bacula-9.6-api2-status-dir-one-running-one-waiting.txt", ".status dir running"));
        QCOMPARE(parsed.items.size(), 2);
        const Bconsole::Job &waiting = parsed.items[1];
        QCOMPARE(waiting.jobId, 2);
        QCOMPARE(waiting.statusText, QStringLiteral("is waiting on max Client jobs"));
        const BaculaCodes::State state = BaculaCodes::stateOf(waiting.status, waiting.errors, true);
        QCOMPARE(state.state, SessionState::Queued);
        QCOMPARE(state.reason, QStringLiteral("waiting for client resource"));
        QCOMPARE(parsed.items[0].startedMs, 1795592650LL * 1000);
        QCOMPARE(parsed.items[0].level, QChar(u'F'));
        QCOMPARE(parsed.items[0].fileSet, QStringLiteral("SpikeSet"));
        QCOMPARE(parsed.items[0].storage, QStringLiteral("File1"));
    }

    void aRestoreReadsFromItsStorage() {
        const auto parsed = Bconsole::directorJobs(
            answer("bacula-9.6-api2-status-dir-running-restore.txt", ".status dir running"));
        QCOMPARE(parsed.items.size(), 1);
        QCOMPARE(parsed.items[0].level, QChar(u' '));
        QCOMPARE(BaculaCodes::levelWords(parsed.items[0].level), QString());
        QCOMPARE(parsed.items[0].storage, QString());
        QCOMPARE(parsed.items[0].readStorage, QStringLiteral("File1"));
        QCOMPARE(BaculaCodes::kindOf(parsed.items[0].type), SessionKind::Restore);
    }

    // Jobs 1-6 of the capture, each outcome as Keepwatch says it.
    void terminatedJobsAndTheirOutcomes() {
        const auto parsed = Bconsole::directorJobs(
            answer("bacula-9.6-api2-status-dir-terminated.txt", ".status dir terminated"));
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.join(u'\n')));
        QStringList outcomes;
        for (const Bconsole::Job &job : parsed.items) {
            QVERIFY(job.endedMs >= job.startedMs && job.startedMs > 0);
            outcomes << QStringLiteral("%1 %2").arg(job.jobId).arg(
                wireName(BaculaCodes::stateOf(job.status, job.errors, false).state));
        }
        QCOMPARE(outcomes, QStringLiteral(
                               "2 cancelled,1 succeeded,3 succeeded,4 succeeded,5 failed,6 warning")
                               .split(u','));
        QCOMPARE(parsed.items[1].bytes, 245042449);
        QCOMPARE(parsed.items[1].files, 2596);
    }

    void clientProgress_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("jobs");
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<qint64>("files");
        QTest::addColumn<qint64>("expected"); // -1: no total known
        QTest::addColumn<QString>("current");
        QTest::newRow("backup") << QStringLiteral(
            "bacula-9.6-api2-status-client-running-backup.txt")
                                << 1 << qint64(21306436) << qint64(230) << qint64(-1)
                                << QStringLiteral("<src>/newdir5/n021.bin");
        QTest::newRow("restore")
            << QStringLiteral("bacula-9.6-api2-status-client-running-restore.txt") << 1
            << qint64(87337400) << qint64(934) << qint64(2596)
            << QStringLiteral("<bwork>/restore2<src>/dir16/sub5/file00936.bin");
        QTest::newRow("idle") << QStringLiteral("bacula-9.6-api2-status-client-running-idle.txt")
                              << 0 << qint64(0) << qint64(0) << qint64(-1) << QString();
    }
    void clientProgress() {
        QFETCH(QString, file);
        QFETCH(int, jobs);
        QFETCH(qint64, bytes);
        QFETCH(qint64, files);
        QFETCH(qint64, expected);
        QFETCH(QString, current);
        const auto parsed = Bconsole::clientJobs(answer(file, ".status client=spike-fd running"));
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.join(u'\n')));
        QCOMPARE(parsed.items.size(), jobs);
        if (!jobs)
            return;
        const Bconsole::ClientJob &job = parsed.items[0];
        QCOMPARE(job.bytes, bytes);
        QCOMPARE(job.files, files);
        QCOMPARE(job.expectedFiles.value_or(-1), expected);
        QCOMPARE(job.currentFile, current);
        QVERIFY(job.bytesPerSecond > 0);
    }

    // A capture whose preamble was cut: the parser needs no preamble.
    void clientProgressWithoutPreamble() {
        const auto parsed =
            Bconsole::clientJobs(fixture("bacula-9.6-api2-status-client-running-incremental.txt"));
        QCOMPARE(parsed.items.size(), 1);
        QCOMPARE(parsed.items[0].job, QStringLiteral("BackupSpike.2026-11-25_07.46.01_35"));
        QCOMPARE(parsed.items[0].filesExamined, 1273);
    }

    void catalogJobs_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("command");
        QTest::addColumn<int>("jobs");
        QTest::addColumn<QString>("statuses");
        QTest::newRow("llist jobs")
            << QStringLiteral("bacula-9.6-api2-llist-jobs.txt") << QStringLiteral("llist jobs") << 6
            << QStringLiteral("TATTfT");
        QTest::newRow("llist jobid, running")
            << QStringLiteral("bacula-9.6-llist-jobid-backup-running.txt")
            << QStringLiteral("llist jobid=1") << 1 << QStringLiteral("R");
        QTest::newRow("llist jobid, done")
            << QStringLiteral("bacula-9.6-llist-jobid-backup-done.txt")
            << QStringLiteral("llist jobid=1") << 1 << QStringLiteral("T");
        QTest::newRow("llist ujobid")
            << QStringLiteral("bacula-9.6-llist-ujobid.txt")
            << QStringLiteral("llist ujobid=BackupSpike.2026-12-03_18.00.51_04") << 1
            << QStringLiteral("T");
    }
    void catalogJobs() {
        QFETCH(QString, file);
        QFETCH(QString, command);
        QFETCH(int, jobs);
        QFETCH(QString, statuses);
        const auto parsed = Bconsole::catalogJobs(answer(file, command.toUtf8().constData()));
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.join(u'\n')));
        QCOMPARE(parsed.items.size(), jobs);
        QString seen;
        for (const Bconsole::Job &job : parsed.items) {
            seen += job.status;
            QVERIFY(!job.pool.isEmpty());
            QVERIFY(job.startedMs > 0);
            QCOMPARE(job.endedMs == 0, job.status == u'R');
        }
        QCOMPARE(seen, statuses);
    }

    void jobLogs_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("command");
        QTest::addColumn<int>("entries");
        QTest::addColumn<QString>("last");
        QTest::newRow("backup running")
            << QStringLiteral("bacula-9.6-list-joblog-backup-running.txt")
            << QStringLiteral("list joblog jobid=1") << 5
            << QStringLiteral("spike-sd JobId 1: Wrote label to prelabeled Volume "
                              "\"Vol-0001\" on File device \"FileDev1\" "
                              "(<bwork>/volumes)");
        QTest::newRow("backup done") << QStringLiteral("bacula-9.6-list-joblog-backup-done.txt")
                                     << QStringLiteral("list joblog jobid=1") << 13
                                     << QStringLiteral("spike-dir JobId 1: End auto prune.");
        // No log yet: 9.6 says so and prints the job's row, which is no entry.
        QTest::newRow("not yet") << QStringLiteral("bacula-9.6-list-joblog-not-yet.txt")
                                 << QStringLiteral("list joblog jobid=3") << 0 << QString();
    }
    void jobLogs() {
        QFETCH(QString, file);
        QFETCH(QString, command);
        QFETCH(int, entries);
        QFETCH(QString, last);
        const auto parsed = Bconsole::jobLog(answer(file, command.toUtf8().constData()));
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.join(u'\n')));
        QCOMPARE(parsed.items.size(), entries);
        QCOMPARE(parsed.items.isEmpty() ? QString() : parsed.items.last(), last);
        for (const QString &entry : parsed.items)
            QVERIFY2(!entry.contains(u'\\') && !entry.endsWith(u'|'), qPrintable(entry));
    }

    // Another table where the log should be is named, and none of it taken.
    void anotherTableIsNoLog() {
        const auto parsed =
            Bconsole::jobLog("+-------+------+\n| JobId | Name |\n+-------+------+\n"
                             "| 3     | x    |\n+-------+------+\n");
        QCOMPARE(parsed.items, QList<QString>());
        QCOMPARE(parsed.problems,
                 QStringList{QStringLiteral("line 2: not the log's table ('| JobId | Name |'); "
                                            "left out")});
    }

    // The job report is one entry of many lines, as Bacula stored it.
    void theJobReportIsOneEntry() {
        const auto parsed = Bconsole::jobLog(
            answer("bacula-9.6-list-joblog-backup-done.txt", "list joblog jobid=1"));
        const auto report =
            std::find_if(parsed.items.cbegin(), parsed.items.cend(), [](const QString &e) {
                return e.contains(QLatin1String("Termination:"));
            });
        QVERIFY(report != parsed.items.cend());
        QVERIFY(report->startsWith(QLatin1String("spike-dir JobId 1: Bacula spike-dir 9.6.7")));
        QVERIFY(report->contains(QLatin1String("\n  Termination:            Backup OK")));
    }

    void jobNamesAndCancel() {
        const auto names = Bconsole::jobNames(answer("bacula-9.6-dot-jobs.txt", ".jobs"));
        QCOMPARE(
            names.items,
            QStringLiteral("BackupSpike RestoreSpike VerifySpike FailSpike WarnSpike").split(u' '));
        QString why;
        const QByteArray cancel = answer("bacula-9.6-cancel-job.txt", "cancel jobid=2 yes");
        QVERIFY(Bconsole::cancelAccepted(cancel, 2, &why));
        QVERIFY(!Bconsole::cancelAccepted(cancel, 3, &why));
        QCOMPARE(why, QStringLiteral("JobId 2, Job BackupSpike.2026-11-25_07.44.13_25 marked to be "
                                     "canceled."));
        const QByteArray running =
            answer("bacula-9.6-cancel-running-job.txt", "cancel jobid=1 yes");
        QVERIFY(Bconsole::cancelAccepted(running, 1, &why));
        QVERIFY(!Bconsole::cancelAccepted(running, 11, &why));
    }

    // `run job=… yes`: the JobId the director queued, or what it said instead.
    void runAnswers_data() {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<qint64>("jobId");
        QTest::addColumn<QString>("why");
        QTest::newRow("first run") << answer("bacula-9.6-run-backup.txt", "run job=BackupSpike yes")
                                   << qint64(1) << QString();
        QTest::newRow("second run, with messages waiting") << answer(
            "bacula-9.6-run-backup-second.txt", "run job=BackupSpike level=Incremental yes")
                                                           << qint64(2) << QString();
        QTest::newRow("no such job")
            << QByteArray("Automatically selected Catalog: MyCatalog\nUsing Catalog "
                          "\"MyCatalog\"\nJob \"Nope\" not found\nThe defined Job resources "
                          "are:\n     1: BackupSpike\n")
            << qint64(0) << QStringLiteral("Job \"Nope\" not found");
        QTest::newRow("a JobId that is no number")
            << QByteArray("Job queued. JobId=12x\n") << qint64(0)
            << QStringLiteral("Job queued. JobId=12x");
        QTest::newRow("nothing") << QByteArray() << qint64(0)
                                 << QStringLiteral("the director said nothing");
    }
    void runAnswers() {
        QFETCH(QByteArray, answer);
        QFETCH(qint64, jobId);
        QFETCH(QString, why);
        QString said;
        const std::optional<qint64> queued = Bconsole::runQueued(answer, &said);
        QCOMPARE(queued.value_or(0), jobId);
        if (!queued)
            QCOMPARE(said, why);
    }

    // bconsole that could not reach the director prints no echo of the
    // command: no answer, and its words.
    void noAnswerSaysWhatBconsoleSaid() {
        QString error;
        QVERIFY(!Bconsole::answerTo("Connecting to Director 127.0.0.1:19101\n"
                                    "Director authorization problem.\n"
                                    "Most likely the passwords do not agree.\n",
                                    ".status dir running", &error));
        QVERIFY2(error.contains(QLatin1String("Director authorization problem.")),
                 qPrintable(error));
        QVERIFY(!Bconsole::answerTo("", ".jobs", &error));
        QCOMPARE(error, QStringLiteral("bconsole printed nothing"));
    }

    void hostileFieldsAreNamed_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("jobs");
        QTest::addColumn<QString>("problem");
        const QByteArray good = "jobid=5\njob=Nightly.2026-12-01_01.00.00_01\nstatus=R\ntype=B\n";
        QTest::newRow("good") << good << 1 << QString();
        QTest::newRow("job name that is a path")
            << QByteArray("jobid=5\njob=../../etc/passwd\nstatus=R\n") << 0
            << QStringLiteral("JobId 5: session ID");
        QTest::newRow("no job name")
            << QByteArray("jobid=5\nstatus=R\n") << 0 << QStringLiteral("session ID is empty");
        QTest::newRow("jobid not a number") << QByteArray("jobid=five\njob=a\n") << 0
                                            << QStringLiteral("jobid is not a count: 'five'");
        QTest::newRow("negative bytes") << good + "jobbytes=-1\n"
                                        << 1 << QStringLiteral("jobbytes is not a count: '-1'");
        QTest::newRow("status of two letters") << QByteArray(good).replace("status=R", "status=RR")
                                               << 1 << QStringLiteral("status is not a code: 'RR'");
        QTest::newRow("no jobid") << QByteArray("job=a\nstatus=R\n") << 0
                                  << QStringLiteral("no jobid; left out");
        QTest::newRow("twice") << good + "jobid=6\n" << 1 << QStringLiteral("jobid given twice");
        QTest::newRow("control characters") << good + "status_desc=is \x1b[31mred\x07\n"
                                            << 1 << QString();
    }
    void hostileFieldsAreNamed() {
        QFETCH(QByteArray, text);
        QFETCH(int, jobs);
        QFETCH(QString, problem);
        const auto parsed = Bconsole::directorJobs(text);
        QCOMPARE(parsed.items.size(), jobs);
        if (problem.isEmpty())
            QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.join(u'\n')));
        else
            QVERIFY2(parsed.problems.join(u'\n').contains(problem),
                     qPrintable(parsed.problems.join(u'\n')));
        for (const Bconsole::Job &job : parsed.items) {
            for (QChar c : job.statusText)
                QVERIFY(c.unicode() >= 0x20);
        }
    }

    // Every capture cut at every 97th byte, and random bytes: the parsers
    // return (bounded problems, no invented job IDs), never crash or hang.
    void truncatedAndGarbage() {
        for (const char *file :
             {"bacula-9.6-api2-status-dir-one-running-one-waiting.txt",
              "bacula-9.6-api2-status-dir-terminated.txt",
              "bacula-9.6-api2-status-client-running-restore.txt", "bacula-9.6-api2-llist-jobs.txt",
              "bacula-9.6-list-joblog-backup-done.txt",
              "bacula-9.6-list-joblog-restore-done.txt"}) {
            const QByteArray whole = fixture(file);
            for (qsizetype cut = 0; cut < whole.size(); cut += 97) {
                const QByteArrayView part(whole.constData(), cut);
                for (const auto &job : Bconsole::directorJobs(part).items)
                    QVERIFY(job.jobId > 0 && !job.job.isEmpty());
                for (const auto &job : Bconsole::catalogJobs(part).items)
                    QVERIFY(job.jobId > 0 && !job.job.isEmpty());
                Bconsole::clientJobs(part);
                Bconsole::jobLog(part);
                Bconsole::jobNames(part);
            }
        }
        QRandomGenerator random(17);
        for (int round = 0; round < 200; ++round) {
            QByteArray bytes(int(random.bounded(4096)), Qt::Uninitialized);
            for (char &c : bytes)
                c = char(random.bounded(256));
            QVERIFY(Bconsole::directorJobs(bytes).items.size() <= bytes.count('\n'));
            Bconsole::catalogJobs(bytes);
            Bconsole::clientJobs(bytes);
            Bconsole::jobLog(bytes);
            Bconsole::jobNames(bytes);
        }
    }

    // The captured moments in order, through the tracker into a store: the
    // sessions a user sees, each event once however often it is said.
    void theTrackerTurnsAnswersIntoSessions() {
        const QString source = QStringLiteral("bacula:spike-dir");
        BaculaJobTracker tracker(source, QStringLiteral("spike-dir"));
        SessionStore store;
        const auto feed = [&](auto step) {
            EventBatch batch;
            step(batch);
            store.apply(batch);
            return batch.events.size();
        };
        const auto row = [&](const char *job) {
            return store.indexOf({source, QString::fromLatin1(job)});
        };
        const auto dir = [](const char *file) {
            return Bconsole::directorJobs(answer(file, ".status dir running")).items;
        };
        feed([&](EventBatch &b) {
            tracker.running(dir("bacula-9.6-api2-status-dir-one-running-one-waiting.txt"), 1000, b);
        });
        QCOMPARE(store.count(), 2);
        const int first = row("BackupSpike.2026-11-25_07.44.08_10");
        const int queued = row("BackupSpike.2026-11-25_07.44.13_25");
        QCOMPARE(store.at(first).state, SessionState::Running);
        QCOMPARE(store.at(first).host, QStringLiteral("spike-fd"));
        QCOMPARE(store.at(first).kind, SessionKind::Backup);
        QCOMPARE(store.at(queued).state, SessionState::Queued);
        QCOMPARE(store.at(queued).stateReason, QStringLiteral("waiting for client resource"));
        QVERIFY(store.log(first).line(0).text.toByteArray().contains(
            "JobId 1 · Backup, Full · client spike-fd · FileSet SpikeSet · storage File1"));
        // Said again: nothing new.
        QCOMPARE(feed([&](EventBatch &b) {
                     tracker.running(dir("bacula-9.6-api2-status-dir-one-running-one-waiting.txt"),
                                     2000, b);
                 }),
                 0);

        feed([&](EventBatch &b) {
            tracker.progress(
                Bconsole::clientJobs(answer("bacula-9.6-api2-status-client-running-backup.txt",
                                            ".status client=spike-fd running"))
                    .items,
                3000, b);
        });
        QCOMPARE(store.at(first).progress.bytesDone, 21306436);
        QCOMPARE(store.at(first).progress.current, QStringLiteral("<src>/newdir5/n021.bin"));

        // Job 2 was cancelled: it left the running list.
        feed([&](EventBatch &b) {
            tracker.running(dir("bacula-9.6-api2-status-dir-running-backup.txt"), 4000, b);
        });
        QCOMPARE(tracker.leftTheRunningList(), QList<qint64>{2});
        // Listed as ended (9.6 does so a moment after the end, with the
        // director's own counts): not ended from the list, but asked for
        // like a job that left it, so that it ends with the catalog's.
        QList<Bconsole::Job> listedEnded = dir("bacula-9.6-api2-status-dir-running-backup.txt");
        QCOMPARE(listedEnded.size(), 1);
        listedEnded[0].status = u'T';
        QCOMPARE(feed([&](EventBatch &b) { tracker.running(listedEnded, 4500, b); }), 0);
        QCOMPARE(store.at(first).state, SessionState::Running);
        QCOMPARE(tracker.leftTheRunningList(), QList<qint64>{1});

        const auto terminated =
            Bconsole::directorJobs(
                answer("bacula-9.6-api2-status-dir-terminated.txt", ".status dir terminated"))
                .items;
        feed([&](EventBatch &b) { tracker.finished(terminated, 5000, b); });
        QCOMPARE(store.count(), 6);
        QCOMPARE(store.at(queued).state, SessionState::Cancelled);
        QCOMPARE(store.at(first).state, SessionState::Succeeded);
        QCOMPARE(store.at(first).progress.bytesDone, 245042449);
        QCOMPARE(store.at(row("FailSpike.2026-11-25_07.45.21_51")).state, SessionState::Failed);
        QCOMPARE(store.at(row("WarnSpike.2026-11-25_07.45.23_55")).state, SessionState::Warning);
        QCOMPARE(store.at(row("VerifySpike.2026-11-25_07.45.05_48")).kind, SessionKind::Verify);
        QCOMPARE(feed([&](EventBatch &b) { tracker.finished(terminated, 6000, b); }), 0);
        QVERIFY(tracker.openJobIds().isEmpty());
        // Whose log to read: the two seen running (their reports may come a
        // moment after their end), then the past ones, newest first.
        QCOMPARE(tracker.jobsWantingLog(6000), (QList<qint64>{1, 2, 6, 5, 4, 3}));
        QCOMPARE(tracker.jobsWantingLog(6000 + BaculaJobTracker::kLogGraceMs),
                 (QList<qint64>{6, 5, 4, 3}));

        const auto log = Bconsole::jobLog(answer("bacula-9.6-list-joblog-backup-done.txt",
                                                 "list joblog jobid=1"))
                             .items;
        const qint64 before = store.at(first).logLines;
        feed([&](EventBatch &b) { tracker.log(1, log.mid(0, 5), 7000, b); });
        QCOMPARE(store.at(first).logLines, before + 5);
        feed([&](EventBatch &b) { tracker.log(1, log, 8000, b); });
        const qint64 after = store.at(first).logLines;
        QVERIFY(after > before + 13); // the job report, a line each
        QCOMPARE(feed([&](EventBatch &b) { tracker.log(1, log, 9000, b); }), 0);
        QVERIFY(!tracker.jobsWantingLog(9000).contains(1)); // its report is in
    }

    // After a restart the history holds some of the director's jobs: an
    // ended one is not delivered again, an open one goes on (no second
    // start, its log after the lines the history has), and one the catalog
    // no longer knows ends interrupted, saying why.
    void theTrackerGoesOnFromTheHistory() {
        const QString source = QStringLiteral("bacula:spike-dir");
        const auto dir = [](const char *file) {
            return Bconsole::directorJobs(answer(file, ".status dir running")).items;
        };
        const auto log = Bconsole::jobLog(answer("bacula-9.6-list-joblog-backup-done.txt",
                                                 "list joblog jobid=1"))
                             .items;
        // The first run: job 1 running, five log entries read.
        SessionStore before;
        {
            BaculaJobTracker tracker(source, QStringLiteral("spike-dir"));
            EventBatch b;
            tracker.running(dir("bacula-9.6-api2-status-dir-running-backup.txt"), 1000, b);
            tracker.log(1, log.mid(0, 5), 1500, b);
            before.apply(b);
        }
        const SessionKey job1{source, QStringLiteral("BackupSpike.2026-11-25_07.44.08_10")};
        const int row = before.indexOf(job1);
        QVERIFY(row >= 0);
        Session open = before.at(row);
        Session ended = open;
        ended.key.id = QStringLiteral("RestoreSpike.2026-11-25_07.45.01_38");
        ended.state = SessionState::Succeeded;
        Session gone = open;
        gone.key.id = QStringLiteral("BackupSpike.2026-10-01_01.00.00_01");

        BaculaJobTracker tracker(source, QStringLiteral("spike-dir"));
        tracker.resume({open, ended, gone});
        SessionStore after;
        after.apply([&] {
            StoreSeed seed;
            for (int i = 0; i < before.count(); ++i) {
                StoreSeed::Entry entry{before.at(i), {}};
                const LogBuffer &tail = before.log(i);
                for (qint64 seq = tail.firstSeq(); seq < tail.endSeq(); ++seq)
                    entry.logTail.push_back({tail.line(seq).timestampMs, tail.line(seq).level,
                                             tail.line(seq).text.toByteArray()});
                seed.sessions.push_back(std::move(entry));
            }
            EventBatch b;
            b.seed = std::make_shared<StoreSeed>(std::move(seed));
            return b;
        }());
        EventBatch b;
        tracker.running(dir("bacula-9.6-api2-status-dir-running-backup.txt"), 2000, b);
        QVERIFY2(std::none_of(b.events.cbegin(), b.events.cend(),
                              [](const Event &e) { return e.type() == EventType::Start; }),
                 "no second start");
        tracker.finished(
            Bconsole::catalogJobs(answer("bacula-9.6-api2-llist-jobs.txt", "llist jobs")).items,
            3000, b);
        for (const Event &e : std::as_const(b.events))
            QVERIFY2(e.session != ended.key.id, "an ended job is not delivered again");
        QVERIFY2(std::any_of(b.events.cbegin(), b.events.cend(),
                             [](const Event &e) {
                                 return e.session
                                        == QLatin1String("VerifySpike.2026-11-25_07.45.05_48");
                             }),
                 "the jobs the history does not have are");
        QCOMPARE(tracker.resumedNotSeen(), QStringList{gone.key.id});
        tracker.log(1, log, 4000, b);
        tracker.forget(gone.key.id, 5000, b);
        after.apply(b);

        // Every log line once, in order: the details line, then the entries.
        const LogBuffer &lines = after.log(after.indexOf(job1));
        QStringList expected{QString::fromUtf8(before.log(row).line(0).text.toByteArray())};
        for (const QString &entry : log) {
            for (const QString &line : entry.split(u'\n')) {
                if (!line.trimmed().isEmpty())
                    expected << line;
            }
        }
        QStringList got;
        for (qint64 seq = lines.firstSeq(); seq < lines.endSeq(); ++seq)
            got << QString::fromUtf8(lines.line(seq).text.toByteArray());
        QCOMPARE(got, expected);
        const Session &forgotten = after.at(after.indexOf(gone.key));
        QCOMPARE(forgotten.state, SessionState::Interrupted);
        QVERIFY2(forgotten.summary.contains(QLatin1String("no record of this job any more")),
                 qPrintable(forgotten.summary));
        QCOMPARE(tracker.resumedNotSeen(), QStringList());
    }

    void codes_data() {
        QTest::addColumn<QChar>("status");
        QTest::addColumn<qint64>("errors");
        QTest::addColumn<bool>("running");
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<QString>("reason");
        QTest::newRow("C") << QChar(u'C') << qint64(0) << false << SessionState::Queued
                           << QStringLiteral("created, not yet running");
        QTest::newRow("m") << QChar(u'm') << qint64(0) << true << SessionState::Queued
                           << QStringLiteral("waiting for new media");
        QTest::newRow("R") << QChar(u'R') << qint64(0) << true << SessionState::Running
                           << QStringLiteral("");
        QTest::newRow("B") << QChar(u'B') << qint64(0) << true << SessionState::Stalled
                           << QStringLiteral("blocked");
        QTest::newRow("T") << QChar(u'T') << qint64(0) << false << SessionState::Succeeded
                           << QStringLiteral("");
        QTest::newRow("T with errors") << QChar(u'T') << qint64(1) << false << SessionState::Warning
                                       << QStringLiteral("completed with 1 error");
        QTest::newRow("W") << QChar(u'W') << qint64(0) << false << SessionState::Warning
                           << QStringLiteral("terminated with warnings");
        QTest::newRow("E") << QChar(u'E') << qint64(2) << false << SessionState::Failed
                           << QStringLiteral("terminated with errors");
        QTest::newRow("f") << QChar(u'f') << qint64(3) << false << SessionState::Failed
                           << QStringLiteral("fatal error");
        QTest::newRow("A") << QChar(u'A') << qint64(0) << false << SessionState::Cancelled
                           << QStringLiteral("canceled by user");
        QTest::newRow("D") << QChar(u'D') << qint64(0) << false << SessionState::Warning
                           << QStringLiteral("verify found differences");
        QTest::newRow("I") << QChar(u'I') << qint64(0) << false << SessionState::Interrupted
                           << QStringLiteral("incomplete job");
        QTest::newRow("unknown, running")
            << QChar(u'Z') << qint64(0) << true << SessionState::Running
            << QStringLiteral("unknown JobStatus 'Z'");
        QTest::newRow("unknown, ended") << QChar(u'Z') << qint64(0) << false << SessionState::Failed
                                        << QStringLiteral("unknown JobStatus 'Z'");
    }
    void codes() {
        QFETCH(QChar, status);
        QFETCH(qint64, errors);
        QFETCH(bool, running);
        QFETCH(SessionState, state);
        QFETCH(QString, reason);
        const BaculaCodes::State s = BaculaCodes::stateOf(status, errors, running);
        QCOMPARE(s.state, state);
        QCOMPARE(s.reason, reason);
    }

    void kinds() {
        QCOMPARE(BaculaCodes::kindOf(u'B'), SessionKind::Backup);
        QCOMPARE(BaculaCodes::kindOf(u'R'), SessionKind::Restore);
        QCOMPARE(BaculaCodes::kindOf(u'V'), SessionKind::Verify);
        for (QChar other : {u'C', u'c', u'M', u'g', u'D'})
            QCOMPARE(BaculaCodes::kindOf(other), SessionKind::Other);
        QCOMPARE(BaculaCodes::typeWords(u'c'), QStringLiteral("Copy"));
        QCOMPARE(BaculaCodes::typeWords(u'g'), QStringLiteral("Migration"));
        QCOMPARE(BaculaCodes::typeWords(u'D'), QStringLiteral("Admin"));
        QCOMPARE(BaculaCodes::levelWords(u'O'), QStringLiteral("VolumeToCatalog"));
        QCOMPARE(BaculaCodes::levelWords(u'I'), QStringLiteral("Incremental"));
    }
};

KW_TEST_GUILESS_MAIN(TestBconsole)
#include "tst_bconsole.moc"
