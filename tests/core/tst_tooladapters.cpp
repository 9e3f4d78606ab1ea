// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapterrecorder.h"
#include "testmain.h"
#include "testsupport.h"
#include "tools/borg/borgadapter.h"
#include "tools/borg/borgprofile.h"
#include "tools/commandline.h"
#include "tools/restic/resticadapter.h"
#include "tools/restic/resticprofile.h"
#include "tools/rsync/rsyncadapter.h"
#include "tools/rsync/rsyncprofile.h"
#include "tools/toolregistry.h"

#include <QTest>
#include <csignal>

using namespace kw;
using namespace kw::test;

namespace {

QStringList words(const char *text) {
    return QString::fromUtf8(text).split(QLatin1Char(' '));
}

using Recorder = AdapterRecorder;
using LogLine = AdapterRecorder::Line;

void feed(OutputAdapter &adapter, Recorder &r, OutputStream stream, const QByteArray &bytes,
          int chunk) {
    feedInPieces(adapter, r, stream, bytes, chunk);
}

QByteArray fixture(const char *name) {
    return readResource(QStringLiteral(":/fixtures/") + QString::fromUtf8(name));
}

} // namespace

class TestToolAdapters final : public QObject {
    Q_OBJECT

    static void chunkings() {
        QTest::addColumn<int>("chunk");
        QTest::newRow("1 byte") << 1;
        QTest::newRow("13 bytes") << 13;
        QTest::newRow("64 KiB") << 65536;
    }

private slots:
    void resticBackup_data() { chunkings(); }
    void resticBackup() {
        QFETCH(int, chunk);
        ResticAdapter adapter(words("restic backup --json --host spikehost data"));
        Recorder r;
        adapter.start(r);
        feed(adapter, r, OutputStream::Stdout, fixture("restic/restic-0.14-backup.jsonl"), chunk);
        adapter.finish(r);
        // The final counters are restic's own summary.
        const ProgressPayload f = r.folded();
        QCOMPARE(*f.bytesDone, qint64(201987449));
        QCOMPARE(*f.filesDone, qint64(2000));
        QCOMPARE(*f.percent, 100.0);
        QVERIFY(r.logged("snapshot aa467beb saved: 2000 new, 0 changed, 0 unmodified files",
                         LogLevel::Info));
        // While the scan runs (no seconds_remaining yet) there is no percent.
        QVERIFY(!r.updates.first().percent);
        QCOMPARE(*r.updates.first().bytesTotal, qint64(49184));
        QCOMPARE(r.updates[1].current, QStringLiteral("/data/dir02/sub0/file00882.bin"));
        QVERIFY(r.updates[3].percent); // seconds_remaining has appeared
        QCOMPARE(*r.updates[3].etaSeconds, qint64(2));
        QVERIFY(!r.logged("message_type", LogLevel::Info)); // status lines are progress, not log
    }

    void resticUnreadableFile() {
        // Captured here: restic run as nobody over a file mode 000 (exit 3).
        ResticAdapter adapter(words("restic backup --json errsrc"));
        Recorder r;
        feed(adapter, r, OutputStream::Stderr,
             fixture("restic/restic-0.14-backup-unreadable.stderr"), 7);
        feed(adapter, r, OutputStream::Stdout,
             fixture("restic/restic-0.14-backup-unreadable.jsonl"), 7);
        adapter.finish(r);
        QVERIFY2(
            r.logged("error during archival: open errsrc/noread.txt: permission denied (errno 13)",
                     LogLevel::Error),
            r.lines.isEmpty() ? "" : r.lines.first().text.constData());
        QVERIFY(r.logged("Warning: at least one source file could not be read", LogLevel::Warning));
        QCOMPARE(*r.folded().bytesDone, qint64(20000));
        ExitStatus three;
        three.exitCode = 3;
        QCOMPARE(ResticProfile::instance().outcome(three).state, SessionState::Warning);
    }

    void resticTextCommands_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<QByteArray>("logged");
        QTest::addColumn<double>("lastPercent");
        QTest::newRow("restore (no progress in 0.14)")
            << "restic/restic-0.14-restore-json.stdout"
            << words("restic restore latest --json --target restore1")
            << QByteArray("restoring <Snapshot 4c7e45c5") << -1.0;
        QTest::newRow("check --read-data")
            << "restic/restic-0.14-check-read-data.stdout" << words("restic check --read-data")
            << QByteArray("no errors were found") << 100.0;
        QTest::newRow("prune") << "restic/restic-0.14-prune.stdout" << words("restic prune --json")
                               << QByteArray("removing 1 old packs") << 100.0;
    }
    void resticTextCommands() {
        QFETCH(QString, fixture);
        QFETCH(QStringList, command);
        QFETCH(QByteArray, logged);
        QFETCH(double, lastPercent);
        ResticAdapter adapter(command);
        Recorder r;
        feed(adapter, r, OutputStream::Stdout,
             readResource(QStringLiteral(":/fixtures/") + fixture), 5);
        adapter.finish(r);
        QVERIFY(r.logged(logged, LogLevel::Info));
        if (lastPercent < 0)
            QVERIFY(r.updates.isEmpty());
        else
            QCOMPARE(*r.updates.last().percent, lastPercent);
        for (const LogLine &l : r.lines)
            QVERIFY2(l.level != LogLevel::Error, l.text.constData());
    }

    void resticTextBackup_data() { chunkings(); }
    void resticTextBackup() {
        // Without --json: restic's text status lines (the wrapper sets
        // RESTIC_PROGRESS_FPS, so they come even into a pipe) and its summary.
        QFETCH(int, chunk);
        ResticAdapter adapter(words("restic -r repo backup --limit-upload 1500 src"));
        Recorder r;
        feed(adapter, r, OutputStream::Stdout,
             fixture("restic/restic-0.14-backup-text-fps4.stdout"), chunk);
        adapter.finish(r);
        QCOMPARE(*r.updates.first().bytesDone, qint64(0));
        QCOMPARE(*r.updates.first().bytesTotal, qint64(100000)); // 97.656 KiB
        QCOMPARE(*r.updates[1].filesDone, qint64(60));
        const ProgressPayload f = r.folded();
        QCOMPARE(*f.filesDone, qint64(60));                        // "processed 60 files"
        QCOMPARE(*f.bytesDone, qint64(5.722 * 1024 * 1024 + 0.5)); // "5.722 MiB", as printed
        QCOMPARE(*f.percent, 100.0);
        QVERIFY(r.logged("snapshot 7cf4a757 saved", LogLevel::Info));
        QVERIFY(r.logged("processed 60 files, 5.722 MiB in 0:03", LogLevel::Info));
    }

    void resticSizes_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("bytes");
        QTest::newRow("bytes") << "0 B" << qint64(0);
        QTest::newRow("KiB") << "97.656 KiB" << qint64(100000);
        QTest::newRow("GiB") << "1.000 GiB" << (qint64(1) << 30);
        // Not sizes restic prints: no size at all, never a negative one.
        QTest::newRow("past qint64") << "99999999999999999999 B" << qint64(-1);
        QTest::newRow("past qint64 in PiB") << "9999999 PiB" << qint64(-1);
        QTest::newRow("two points") << "1.2.3 MiB" << qint64(-1);
    }
    void resticSizes() {
        QFETCH(QString, text);
        QFETCH(qint64, bytes);
        QCOMPARE(ResticAdapter::parseSize(text).value_or(-1), bytes);
    }

    void resticRestoreIsMeasuredFromProc() {
        QCOMPARE(ResticAdapter(words("restic -r /r restore latest --target /t")).ioMeasure(),
                 OutputAdapter::IoMeasure::BytesWritten);
        QCOMPARE(ResticAdapter(words("restic -r /r backup /home")).ioMeasure(),
                 OutputAdapter::IoMeasure::None);
        const auto env = ResticAdapter(words("restic backup x")).defaultEnvironment();
        QCOMPARE(env.size(), 1);
        QCOMPARE(env.first().first, QByteArray("RESTIC_PROGRESS_FPS"));
        QCOMPARE(ResticProfile::instance().cancelSignal(), int(SIGINT));
    }

    void resticLockConflictIsAnError() {
        ResticAdapter adapter(words("restic backup --json src/data"));
        Recorder r;
        feed(adapter, r, OutputStream::Stderr,
             fixture("restic/restic-0.14-backup-while-exclusive-lock.stderr"), 64);
        adapter.finish(r);
        QVERIFY(r.logged("repository is already locked exclusively by PID 17635", LogLevel::Error));
    }

    void borgCreate_data() { chunkings(); }
    void borgCreate() {
        QFETCH(int, chunk);
        BorgAdapter adapter(words("/usr/bin/python3 /usr/bin/borg create --log-json --progress "
                                  "--stats --json --show-rc --compression lzma,1 ::arch1 data"));
        Recorder r;
        adapter.start(r);
        QVERIFY(r.lines.isEmpty()); // nothing to hint: the flags are there
        feed(adapter, r, OutputStream::Stderr, fixture("borg/borg-1.2.4-create.log-json.trimmed"),
             chunk);
        // While running: bytes and files so far, the current file, no percent
        // (borg does not pre-scan).
        ProgressPayload live = r.folded();
        QCOMPARE(*live.bytesDone, qint64(240837449));
        QCOMPARE(*live.filesDone, qint64(2387));
        QCOMPARE(live.current, QStringLiteral("data/newdir4/n087.bin"));
        QVERIFY(!live.percent);
        // The pretty-printed --json result on stdout is read whole at the end.
        feed(adapter, r, OutputStream::Stdout, fixture("borg/borg-1.2.4-create.json"), chunk);
        QCOMPARE(*r.folded().bytesDone, qint64(240837449)); // not before the end
        adapter.finish(r);
        const ProgressPayload f = r.folded();
        QCOMPARE(*f.bytesDone, qint64(242038069)); // archive.stats.original_size
        QCOMPARE(*f.filesDone, qint64(2400));      // archive.stats.nfiles
        QVERIFY(r.logged("archive arch1 created: 2400 files", LogLevel::Info));
        QVERIFY(r.logged("terminating with success status, rc 0", LogLevel::Info));
        QVERIFY(r.logged("Saving files cache", LogLevel::Debug));
    }

    void borgCreateList() {
        BorgAdapter adapter(words(
            "borg create --log-json --progress --list --stats --json --show-rc ::arch2 data"));
        Recorder r;
        feed(adapter, r, OutputStream::Stderr,
             fixture("borg/borg-1.2.4-create-list.log-json.trimmed"), 100);
        feed(adapter, r, OutputStream::Stdout, fixture("borg/borg-1.2.4-create-list.json"), 100);
        adapter.finish(r);
        QVERIFY(r.logged("M data/", LogLevel::Debug));
        QVERIFY(r.logged("A data/", LogLevel::Debug));
        QVERIFY(r.folded().filesDone);
    }

    void borgExtract() {
        BorgAdapter adapter(words("borg extract --log-json --progress --show-rc ::arch1"));
        Recorder r;
        feed(adapter, r, OutputStream::Stderr, fixture("borg/borg-1.2.4-extract.log-json.trimmed"),
             31);
        adapter.finish(r);
        const ProgressPayload last = r.updates.last();
        QCOMPARE(*last.bytesDone, qint64(241937449));
        QCOMPARE(*last.bytesTotal, qint64(242037449));
        QVERIFY(*last.percent > 99.9 && *last.percent < 100.0);
        QCOMPARE(last.current, QStringLiteral("data/newdir4/n098.bin"));
    }

    void borgErrors_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QByteArray>("error");
        QTest::newRow("wrong passphrase") << "borg/borg-1.2.4-list-wrong-passphrase.log-json"
                                          << QByteArray("is incorrect. [PassphraseWrong]");
        QTest::newRow("archive exists") << "borg/borg-1.2.4-create-archive-exists.log-json"
                                        << QByteArray("[Archive.AlreadyExists]");
        QTest::newRow("lock timeout") << "borg/borg-1.2.4-list-while-create-lock-timeout.log-json"
                                      << QByteArray("[LockTimeout]");
    }
    void borgErrors() {
        QFETCH(QString, fixture);
        QFETCH(QByteArray, error);
        BorgAdapter adapter(words("borg list --json --log-json"));
        Recorder r;
        feed(adapter, r, OutputStream::Stderr,
             readResource(QStringLiteral(":/fixtures/") + fixture), 9);
        adapter.finish(r);
        QVERIFY(r.logged(error, LogLevel::Error));
        ExitStatus two;
        two.exitCode = 2;
        QCOMPARE(BorgProfile::instance().outcome(two).state, SessionState::Failed);
        QVERIFY(!adapter.reportedStopSignal()); // an error, not a stop
    }

    void borgListResultIsKept() {
        BorgAdapter adapter(words("borg list --json"));
        Recorder r;
        feed(adapter, r, OutputStream::Stdout, fixture("borg/borg-1.2.4-list.json"), 50);
        adapter.finish(r);
        QVERIFY(r.logged("\"archives\":[", LogLevel::Info));
        QVERIFY(r.updates.isEmpty());
    }

    void borgTruncatedResult() {
        // A borg killed while printing its result: the text is kept, the
        // problem said, nothing invented.
        BorgAdapter adapter(words("borg create --json ::a data"));
        Recorder r;
        const QByteArray json = fixture("borg/borg-1.2.4-create.json");
        feed(adapter, r, OutputStream::Stdout, json.left(json.size() / 2), 50);
        adapter.finish(r);
        QVERIFY(r.updates.isEmpty());
        QVERIFY(r.logged("could not be read", LogLevel::Warning));
        QVERIFY(r.logged("\"archive\": {", LogLevel::Info));
    }

    void borgWithoutFlagsSaysHow() {
        BorgAdapter adapter(words("borg create /r::a /home"));
        Recorder r;
        adapter.start(r);
        QVERIFY(r.logged("add both to see its progress", LogLevel::Info));
    }

    void rsyncProgress2_data() { chunkings(); }
    void rsyncProgress2() {
        QFETCH(int, chunk);
        RsyncAdapter adapter(words("rsync -a --info=progress2 --bwlimit=40m src/data rsync-dst/"));
        Recorder r;
        adapter.start(r);
        QVERIFY(r.lines.isEmpty());
        feed(adapter, r, OutputStream::Stdout,
             fixture("rsync/rsync-3.5.0-progress2.stdout.trimmed"), chunk);
        adapter.finish(r);
        const ProgressPayload last = r.updates.last();
        QCOMPARE(*last.bytesDone, qint64(245042449));
        QCOMPARE(*last.filesDone, qint64(2430));
        QCOMPARE(*last.filesTotal, qint64(2596));
        QCOMPARE(*last.percent, 100.0);
        QVERIFY(qAbs(*last.rate - 40.16 * 1024 * 1024) < 1024);
        // ir-chk: the file list still grows, so no percent and no total yet.
        QVERIFY(!r.updates.first().percent);
        QVERIFY(!r.updates.first().filesTotal);
        // Progress records are not log lines.
        for (const LogLine &l : r.lines)
            QVERIFY2(!l.text.contains("xfr#"), l.text.constData());
    }

    void rsyncNoIncRecursive() {
        RsyncAdapter adapter(
            words("rsync -a --info=progress2 --no-inc-recursive src/data rsync-dst2/"));
        Recorder r;
        feed(adapter, r, OutputStream::Stdout,
             fixture("rsync/rsync-3.5.0-progress2-no-inc-recursive.stdout.trimmed"), 64);
        adapter.finish(r);
        // to-chk from the start: a known total early on.
        QCOMPARE(*r.updates[1].filesTotal, qint64(2596));
        QVERIFY(r.updates[1].percent);
        QVERIFY(r.updates[1].etaSeconds);
    }

    void rsyncPerFileProgress() {
        RsyncAdapter adapter(words("rsync -a --progress src/data/dir01/sub1 rsync-dst3/"));
        Recorder r;
        const QByteArray out = fixture("rsync/rsync-3.5.0-progress.stdout.trimmed");
        feed(adapter, r, OutputStream::Stdout, out, 17);
        adapter.finish(r);
        // Bytes are the sum of finished files, not the last file's size.
        qint64 sum = 0;
        for (const QByteArray &record : QByteArray(out).replace('\r', '\n').split('\n')) {
            if (record.contains("xfr#"))
                sum += record.trimmed().split(' ').first().replace(",", "").toLongLong();
        }
        QCOMPARE(*r.folded().bytesDone, sum);
        QVERIFY(r.logged("sub1/file00001.bin", LogLevel::Info));
    }

    void rsyncStatsAreTheFinalCounters() {
        RsyncAdapter adapter(
            words("rsync -a --out-format=%t_%i --stats src/data/dir00 rsync-dst3/"));
        Recorder r;
        adapter.start(r);
        QVERIFY(r.logged("add it to see the transfer's progress", LogLevel::Info));
        feed(adapter, r, OutputStream::Stdout,
             fixture("rsync/rsync-3.5.0-out-format-stats.stdout.trimmed"), 100);
        adapter.finish(r);
        QCOMPARE(*r.folded().bytesDone, qint64(9506246));
        QCOMPARE(*r.folded().filesDone, qint64(100));
        QVERIFY(r.logged(">f+++++++++ send dir00/sub6/file01980.bin", LogLevel::Info));
    }

    void rsyncMissingSource() {
        RsyncAdapter adapter(words("rsync -a src/nonexistent rsync-dst3/"));
        Recorder r;
        feed(adapter, r, OutputStream::Stderr,
             fixture("rsync/rsync-3.5.0-missing-source-rc23.stderr"), 10);
        adapter.finish(r);
        QVERIFY(r.logged("link_stat", LogLevel::Error));
        QVERIFY(r.logged("(code 23)", LogLevel::Error));
    }

    void outcomes_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<bool>("cancelRequested");
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<QString>("summary");
        using S = SessionState;
        QTest::newRow("restic 0") << "restic" << 0 << false << S::Succeeded << "exit code 0";
        QTest::newRow("restic 1") << "restic" << 1 << false << S::Failed << "fatal error";
        QTest::newRow("restic 3") << "restic" << 3 << false << S::Warning << "could not be read";
        QTest::newRow("restic 130 cancelled")
            << "restic" << 130 << true << S::Cancelled << "removed its lock";
        QTest::newRow("borg 0") << "borg" << 0 << false << S::Succeeded << "exit code 0";
        // One exit-code table: the summary has the details pane's words
        // (it said "rc 1: finished with warnings (...)", "rc 2: error (lock
        // timeout, ...)" before, the details pane the words below).
        QTest::newRow("borg 1") << "borg" << 1 << false << S::Warning
                                << "exit code 1: warning: finished, but something was skipped";
        QTest::newRow("borg 2") << "borg" << 2 << false << S::Failed
                                << "exit code 2: error: the operation did not complete";
        QTest::newRow("borg 143 cancelled")
            << "borg" << 143 << true << S::Cancelled << "cancel request";
        QTest::newRow("rsync 0") << "rsync" << 0 << false << S::Succeeded << "exit code 0";
        QTest::newRow("rsync 23") << "rsync" << 23 << false << S::Warning
                                  << "exit code 23: partial transfer due to error";
        QTest::newRow("rsync 24") << "rsync" << 24 << false << S::Warning
                                  << "vanished source files";
        QTest::newRow("rsync 20 cancelled") << "rsync" << 20 << true << S::Cancelled << "SIGINT";
        // rsync's exit on SIGINT/SIGTERM/SIGHUP sent from elsewhere: a stop,
        // not a failure (it was `failed` before).
        QTest::newRow("rsync 20 alone") << "rsync" << 20 << false << S::Cancelled << "SIGINT";
        QTest::newRow("rsync 30") << "rsync" << 30 << false << S::Failed
                                  << "timeout in data send/receive";
        QTest::newRow("rsync 12") << "rsync" << 12 << false << S::Failed << "protocol data stream";
    }
    void outcomes() {
        QFETCH(QString, tool);
        QFETCH(int, exitCode);
        QFETCH(bool, cancelRequested);
        QFETCH(SessionState, state);
        QFETCH(QString, summary);
        const auto adapter = AdapterRegistry::create(tool, {tool});
        QCOMPARE(adapter->name(), tool);
        const ToolProfile &profile = ToolRegistry::forCommand(tool, {tool});
        QCOMPARE(profile.name(), tool);
        ExitStatus status;
        status.exitCode = exitCode;
        status.cancelRequested = cancelRequested;
        const Outcome o = profile.outcome(status);
        QCOMPARE(o.state, state);
        QVERIFY2(o.summary.contains(summary), qPrintable(o.summary));
    }

    // How a run ends when it was stopped: through Keepwatch (cancelled, and
    // the summary says so first), by SIGINT/SIGTERM/SIGHUP sent to the tool
    // from elsewhere (cancelled by a signal), or by SIGKILL (a failure: the
    // OOM killer). Found with real runs killed from outside.
    void signalOutcomes_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<int>("exitCode"); // -1: none
        QTest::addColumn<int>("signal");   // 0: none
        QTest::addColumn<bool>("cancelRequested");
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<QString>("summary");
        using S = SessionState;
        const QString outside = QStringLiteral("cancelled by a signal from outside Keepwatch: ");
        const QString asked = QStringLiteral("cancelled after a cancel request: ");
        const QString staleLock =
            QStringLiteral("; restic leaves a stale lock then (restic unlock removes it)");
        // borg handles SIGINT, SIGTERM and SIGHUP and exits 128+N.
        QTest::newRow("borg 143: SIGTERM from elsewhere")
            << "borg" << 143 << 0 << false << S::Cancelled
            << outside + QStringLiteral("exit code 143: killed by SIGTERM");
        QTest::newRow("borg 130: SIGINT from elsewhere")
            << "borg" << 130 << 0 << false << S::Cancelled
            << outside + QStringLiteral("exit code 130: killed by SIGINT");
        QTest::newRow("borg 129: SIGHUP from elsewhere")
            << "borg" << 129 << 0 << false << S::Cancelled
            << outside + QStringLiteral("exit code 129: killed by SIGHUP");
        QTest::newRow("borg 143 through Keepwatch")
            << "borg" << 143 << 0 << true << S::Cancelled
            << asked + QStringLiteral("exit code 143: killed by SIGTERM");
        // A cancelled borg that ends with rc 2 (it was cancelled while it
        // waited for its lock): said to be cancelled first, not "error".
        QTest::newRow("borg rc 2 through Keepwatch")
            << "borg" << 2 << 0 << true << S::Cancelled
            << asked + QStringLiteral("exit code 2: error: the operation did not complete");
        QTest::newRow("borg SIGKILL") << "borg" << -1 << 9 << false << S::Failed
                                      << QStringLiteral("killed by SIGKILL (out of memory?)");
        QTest::newRow("borg 137") << "borg" << 137 << 0 << false << S::Failed
                                  << QStringLiteral("exit code 137: killed by SIGKILL (out of "
                                                    "memory?)");
        QTest::newRow("borg 1 after a cancel request: it finished")
            << "borg" << 1 << 0 << true << S::Warning
            << QStringLiteral("exit code 1: warning: finished, but something was skipped (see the "
                              "log) after a cancel request");
        // rsync exits 20 on SIGINT, SIGTERM and SIGHUP.
        QTest::newRow("rsync 20: SIGTERM from elsewhere")
            << "rsync" << 20 << 0 << false << S::Cancelled
            << outside + QStringLiteral("exit code 20: received SIGUSR1 or SIGINT");
        QTest::newRow("rsync 20 through Keepwatch")
            << "rsync" << 20 << 0 << true << S::Cancelled
            << asked + QStringLiteral("exit code 20: received SIGUSR1 or SIGINT");
        QTest::newRow("rsync SIGTERM (not caught)")
            << "rsync" << -1 << 15 << false << S::Cancelled
            << outside + QStringLiteral("killed by SIGTERM");
        QTest::newRow("rsync SIGKILL") << "rsync" << -1 << 9 << false << S::Failed
                                       << QStringLiteral("killed by SIGKILL (out of memory?)");
        QTest::newRow("rsync 23 stays a warning")
            << "rsync" << 23 << 0 << false << S::Warning
            << QStringLiteral("exit code 23: partial transfer due to error");
        // restic cleans up on SIGINT (exit 130); 0.14 dies of SIGTERM.
        QTest::newRow("restic 130: SIGINT from elsewhere")
            << "restic" << 130 << 0 << false << S::Cancelled
            << outside
                   + QStringLiteral("exit code 130: interrupted (SIGINT); restic removed its lock");
        QTest::newRow("restic 130 through Keepwatch")
            << "restic" << 130 << 0 << true << S::Cancelled
            << asked
                   + QStringLiteral("exit code 130: interrupted (SIGINT); restic removed its lock");
        QTest::newRow("restic SIGTERM from elsewhere")
            << "restic" << -1 << 15 << false << S::Cancelled
            << outside + QStringLiteral("killed by SIGTERM") + staleLock;
        QTest::newRow("restic SIGKILL")
            << "restic" << -1 << 9 << false << S::Failed
            << QStringLiteral("killed by SIGKILL (out of memory?)") + staleLock;
        QTest::newRow("restic 1 through Keepwatch")
            << "restic" << 1 << 0 << true << S::Cancelled
            << asked
                   + QStringLiteral("exit code 1: fatal error (wrong password, locked or missing "
                                    "repository, bad snapshot ID: see the log)");
        QTest::newRow("restic 143 from a shell: not restic's own")
            << "restic" << 143 << 0 << false << S::Failed
            << QStringLiteral("exit code 143: killed by SIGTERM (128+15)");
        // Any other command: a death by a signal is a failure (a script may
        // kill itself); only a cancel through Keepwatch is a cancel.
        QTest::newRow("generic SIGTERM")
            << "sh" << -1 << 15 << false << S::Failed << QStringLiteral("killed by SIGTERM");
        QTest::newRow("generic SIGKILL")
            << "sh" << -1 << 9 << false << S::Failed << QStringLiteral("killed by SIGKILL");
        QTest::newRow("generic 143")
            << "sh" << 143 << 0 << false << S::Failed << QStringLiteral("exit code 143");
        QTest::newRow("generic through Keepwatch") << "sh" << -1 << 15 << true << S::Cancelled
                                                   << asked + QStringLiteral("killed by SIGTERM");
        QTest::newRow("generic SIGKILL through Keepwatch (escalated)")
            << "sh" << -1 << 9 << true << S::Cancelled
            << asked + QStringLiteral("killed by SIGKILL");
        QTest::newRow("generic 0 after a cancel request")
            << "sh" << 0 << 0 << true << S::Succeeded
            << QStringLiteral("exit code 0 after a cancel request");
    }
    void signalOutcomes() {
        QFETCH(QString, tool);
        QFETCH(int, exitCode);
        QFETCH(int, signal);
        QFETCH(bool, cancelRequested);
        QFETCH(SessionState, state);
        QFETCH(QString, summary);
        ExitStatus status;
        if (exitCode >= 0)
            status.exitCode = exitCode;
        if (signal > 0)
            status.signal = signal;
        status.cancelRequested = cancelRequested;
        const Outcome o = ToolRegistry::forCommand({}, {tool}).outcome(status);
        QCOMPARE(o.state, state);
        QCOMPARE(o.summary, summary);
        // A known tool's summary has the details pane's words for the same
        // status (a generic command's keeps its plain "exit code 143").
        const ToolProfile &profile = ToolRegistry::forTool(tool);
        if (!profile.exitCodes().isEmpty()) {
            const QString meaning = profile.meaning(status.exitCode, status.signal);
            QVERIFY2(o.summary.contains(meaning), qPrintable(meaning));
        }
    }

    // The real capture of borg 1.2.4 create stopped by `kill -INT` from
    // another shell: it finishes the file, writes a checkpoint, logs this and
    // exits rc 2, which alone reads as any error.
    void borgStoppedBySigint_data() {
        QTest::addColumn<bool>("cancelRequested");
        QTest::addColumn<QString>("summary");
        QTest::newRow("from elsewhere")
            << false
            << QStringLiteral(
                   "cancelled by a signal from outside Keepwatch: exit code 2: error: the "
                   "operation did not complete; borg stopped on SIGINT");
        QTest::newRow("through Keepwatch")
            << true
            << QStringLiteral("cancelled after a cancel request: exit code 2: error: the operation "
                              "did not complete; borg stopped on SIGINT");
    }
    void borgStoppedBySigint() {
        QFETCH(bool, cancelRequested);
        QFETCH(QString, summary);
        BorgAdapter adapter(words("borg create --log-json ::a data"));
        Recorder r;
        feed(adapter, r, OutputStream::Stderr, fixture("borg/borg-1.2.4-create-sigint.log-json"),
             7);
        adapter.finish(r);
        QVERIFY(r.logged("Got Ctrl-C / SIGINT.", LogLevel::Error));
        QCOMPARE(adapter.reportedStopSignal(), std::optional<int>(SIGINT));
        ExitStatus status;
        status.exitCode = 2;
        status.cancelRequested = cancelRequested;
        status.reportedSignal = adapter.reportedStopSignal();
        const Outcome o = BorgProfile::instance().outcome(status);
        QCOMPARE(o.state, SessionState::Cancelled);
        QCOMPARE(o.summary, summary);
        // The same line in plain text (borg without --log-json).
        BorgAdapter text(words("borg create ::a data"));
        text.feed(OutputStream::Stderr, "Got Ctrl-C / SIGINT.\n", r);
        text.finish(r);
        QCOMPARE(text.reportedStopSignal(), std::optional<int>(SIGINT));
    }

    // The real capture of a restic backup stopped with `kill -INT` from
    // another shell (exit 130): cancelled by a signal, lock removed.
    void resticStoppedFromOutside() {
        ResticAdapter adapter(words("restic backup --json data"));
        Recorder r;
        feed(adapter, r, OutputStream::Stderr, fixture("restic/restic-0.14-backup-sigint.stderr"),
             5);
        adapter.finish(r);
        QVERIFY(!r.lines.isEmpty());
        ExitStatus status;
        status.exitCode = 130;
        const Outcome o = ResticProfile::instance().outcome(status);
        QCOMPARE(o.state, SessionState::Cancelled);
        QVERIFY2(o.summary.startsWith(QLatin1String("cancelled by a signal")),
                 qPrintable(o.summary));
    }

    // Tools by the names sessions, --tool and /proc give them.
    void registryFindsTools_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QString>("profile"); // empty: none
        QTest::newRow("restic") << "restic"
                                << "restic";
        QTest::newRow("path") << "/usr/bin/rsync"
                              << "rsync";
        QTest::newRow("upper case") << "Borg"
                                    << "borg";
        QTest::newRow("borgbackup (PyPI)") << "borgbackup"
                                           << "borg";
        QTest::newRow("borg standalone binary") << "/opt/borg-linux64"
                                                << "borg";
        // borg 2 has another command line and other exit codes: not borg 1's.
        QTest::newRow("borg2") << "borg2"
                               << "";
        QTest::newRow("rdiff-backup") << "/usr/bin/rdiff-backup"
                                      << "rdiff-backup";
        QTest::newRow("tar") << "tar"
                             << "tar";
        QTest::newRow("generic by name") << "generic"
                                         << "generic";
        QTest::newRow("a script") << "nightly.sh"
                                  << "";
        QTest::newRow("empty") << ""
                               << "";
    }
    void registryFindsTools() {
        QFETCH(QString, tool);
        QFETCH(QString, profile);
        const ToolProfile *p = ToolRegistry::find(tool);
        QCOMPARE(p ? p->name() : QString(), profile);
        QCOMPARE(ToolRegistry::forTool(tool).name(),
                 profile.isEmpty() ? QStringLiteral("generic") : profile);
    }

    void registryHasOneProfilePerTool() {
        const QStringList names = ToolRegistry::names();
        QCOMPARE(names, (QStringList{QStringLiteral("restic"), QStringLiteral("borg"),
                                     QStringLiteral("rsync"), QStringLiteral("rclone"),
                                     QStringLiteral("duplicity"), QStringLiteral("rdiff-backup"),
                                     QStringLiteral("kopia"), QStringLiteral("tar"),
                                     QStringLiteral("wbadmin")}));
        QCOMPARE(CommandLineInfo::knownTools(), names);
        QCOMPARE(AdapterRegistry::names(),
                 (QStringList{QStringLiteral("generic"), QStringLiteral("restic"),
                              QStringLiteral("borg"), QStringLiteral("rsync"),
                              QStringLiteral("wbadmin")}));
        for (const ToolProfile *p : ToolRegistry::profiles()) {
            QCOMPARE(ToolRegistry::find(p->name()), p);
            for (const QString &alias : p->aliases())
                QCOMPARE(ToolRegistry::find(alias), p);
            // An adapter of its own, or the generic one.
            const auto adapter = p->createAdapter({p->name()});
            QCOMPARE(adapter->name(), p->hasAdapter() ? p->name() : QStringLiteral("generic"));
            // Only the tools with a table count signals as a stop.
            QCOMPARE(p->exitCodes().isEmpty(), p->stopSignals().isEmpty());
        }
        // The clean stops, and what a launch replaces in the environment.
        QCOMPARE(ResticProfile::instance().cancelSignal(), int(SIGINT));
        QCOMPARE(BorgProfile::instance().cancelSignal(), int(SIGINT));
        QCOMPARE(RsyncProfile::instance().cancelSignal(), int(SIGTERM));
        QCOMPARE(ToolRegistry::generic().cancelSignal(), int(SIGTERM));
        QCOMPARE(
            ResticProfile::instance().passwordVariables(),
            (QStringList{QStringLiteral("RESTIC_PASSWORD"), QStringLiteral("RESTIC_PASSWORD_FILE"),
                         QStringLiteral("RESTIC_PASSWORD_COMMAND")}));
        QCOMPARE(BorgProfile::instance().repositoryVariable(), QStringLiteral("BORG_REPO"));
        QVERIFY(RsyncProfile::instance().passwordVariables().isEmpty());
    }

    // Each exit-code table: every code once, every meaning said.
    void exitCodeTablesAreWellFormed() {
        for (const ToolProfile *p : ToolRegistry::profiles()) {
            QList<int> seen;
            for (const ExitCodeEntry &e : p->exitCodes()) {
                QVERIFY2(!seen.contains(e.code), qPrintable(p->name()));
                seen << e.code;
                QVERIFY(QByteArray(e.meaning).size() > 3);
                QCOMPARE(p->documented(e.code), QString::fromUtf8(e.meaning));
                QCOMPARE(e.state == SessionState::Succeeded, e.code == 0);
            }
        }
    }

    void registryPicksByProgram_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<QString>("adapter");
        QTest::newRow("restic") << QString() << words("/usr/bin/restic backup x") << "restic";
        QTest::newRow("borg via python")
            << QString() << words("/usr/bin/python3 /usr/bin/borg create ::a x") << "borg";
        QTest::newRow("rsync behind nice")
            << QString() << words("nice -n 19 ionice -c3 rsync -a a b") << "rsync";
        QTest::newRow("--tool wins") << "restic" << words("/opt/restic-0.16 backup x") << "restic";
        QTest::newRow("unknown --tool is a label") << "pg_dump" << words("pg_dump db") << "generic";
        QTest::newRow("anything else") << QString() << words("tar czf /b/x.tgz /etc") << "generic";
    }
    void registryPicksByProgram() {
        QFETCH(QString, tool);
        QFETCH(QStringList, command);
        QFETCH(QString, adapter);
        QCOMPARE(AdapterRegistry::create(tool, command)->name(), adapter);
    }

    // rsync prints its rate with a binary unit, and with ',' as the decimal
    // point in some locales; what no rsync prints is unknown, not a number.
    void rsyncRates_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("bytesPerSecond"); // -1: unknown
        QTest::newRow("bytes") << QStringLiteral("512B/s") << 512.0;
        QTest::newRow("kB") << QStringLiteral("12.50kB/s") << 12.5 * 1024;
        QTest::newRow("MB, decimal comma") << QStringLiteral("1,25MB/s") << 1.25 * 1024 * 1024;
        QTest::newRow("GB") << QStringLiteral("3.00GB/s") << 3.0 * 1024 * 1024 * 1024;
        QTest::newRow("no unit suffix") << QStringLiteral("12.5kB") << -1.0;
        QTest::newRow("two points") << QStringLiteral("1.2.3MB/s") << -1.0;
        QTest::newRow("8 PiB/s and more")
            << QString(QStringLiteral("9") + QString(40, QLatin1Char('9')) + QStringLiteral("TB/s"))
            << -1.0;
    }
    void rsyncRates() {
        QFETCH(QString, text);
        QFETCH(double, bytesPerSecond);
        const std::optional<double> rate = RsyncAdapter::parseRate(text);
        if (bytesPerSecond < 0) {
            QVERIFY2(!rate, qPrintable(QString::number(rate.value_or(0))));
        } else {
            QVERIFY(rate);
            QCOMPARE(*rate, bytesPerSecond);
        }
    }

    void hostileInput_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QByteArray>("bytes");
        QByteArray garbage(65536, '\0');
        for (int i = 0; i < garbage.size(); ++i)
            garbage[i] = char((i * 7919 + 13) % 256);
        const QByteArray restic = fixture("restic/restic-0.14-backup.jsonl");
        for (const char *tool : {"restic", "borg", "rsync"}) {
            QTest::addRow("%s: binary garbage", tool) << QString::fromLatin1(tool) << garbage;
            QTest::addRow("%s: truncated json", tool)
                << QString::fromLatin1(tool) << restic.left(restic.size() / 3);
            QTest::addRow("%s: wrong types", tool)
                << QString::fromLatin1(tool)
                << QByteArray(
                       "{\"message_type\":\"status\",\"bytes_done\":\"many\",\"current_files\":7}"
                       "\n{\"type\":\"archive_progress\",\"nfiles\":null}\n{\"type\":\"progress_"
                       "percent\",\"current\":5,\"total\":0}\n   999,999,999,999,999,999,999 100%  "
                       " 1e9MB/s    0:00:00 (xfr#1, to-chk=5/2)\n");
            QTest::addRow("%s: endless line", tool)
                << QString::fromLatin1(tool) << QByteArray(3 * 1024 * 1024, '{');
        }
    }
    void hostileInput() {
        // Nothing a tool prints may crash, hang or blow up the adapter.
        QFETCH(QString, tool);
        QFETCH(QByteArray, bytes);
        const auto adapter = AdapterRegistry::create(
            tool, {tool, QStringLiteral("backup"), QStringLiteral("--json")});
        Recorder r;
        feed(*adapter, r, OutputStream::Stdout, bytes, 4096);
        feed(*adapter, r, OutputStream::Stderr, bytes, 4096);
        adapter->finish(r);
        for (const LogLine &l : r.lines)
            QVERIFY(l.text.size() <= 64 * 1024 + 1);
        for (const ProgressPayload &p : r.updates) {
            QVERIFY(!p.percent || (*p.percent >= 0 && *p.percent <= 100));
            QVERIFY(!p.bytesDone || *p.bytesDone >= 0);
        }
    }
};

KW_TEST_GUILESS_MAIN(TestToolAdapters)
#include "tst_tooladapters.moc"
