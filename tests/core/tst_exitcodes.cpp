// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "testmain.h"
#include "tools/exitcodes.h"

#include <QTest>

using namespace kw;

// What the detail area says about a finished session's exit status: each
// tool's documented codes, signals, and codes no table knows.
class TestExitCodes final : public QObject {
    Q_OBJECT

private slots:
    void meaning_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<int>("code");   // -1: none
        QTest::addColumn<int>("signal"); // 0: none
        QTest::addColumn<QString>("expected");

        const auto row = [](const char *name, const char *tool, int code, int signal,
                            const char *expected) {
            QTest::newRow(name) << QString::fromUtf8(tool) << code << signal
                                << QString::fromUtf8(expected);
        };
        // restic's documented exit codes.
        row("restic 0", "restic", 0, 0, "success");
        // restic 0.14 (Debian 12) exits 1 on a wrong password, a locked or
        // missing repository and a bad snapshot ID too, for restore as for
        // backup: the words the state's tooltip had, now the only ones
        // ("no snapshot was created" was wrong for a restore).
        row("restic 1", "restic", 1, 0,
            "fatal error (wrong password, locked or missing repository, bad snapshot ID: see the "
            "log)");
        row("restic 3", "restic", 3, 0,
            "some source files could not be read: the snapshot is incomplete");
        row("restic 10", "restic", 10, 0, "the repository does not exist");
        row("restic 11", "restic", 11, 0, "the repository could not be locked");
        row("restic 12", "restic", 12, 0, "wrong password");
        row("restic 130", "restic", 130, 0, "interrupted (SIGINT)");
        row("restic undocumented", "restic", 2, 0, "failure (not a documented restic exit code)");
        row("restic by path", "/usr/bin/restic", 12, 0, "wrong password");
        // borg: 0/1/2 and 128+N for signal N.
        row("borg 0", "borg", 0, 0, "success");
        row("borg 1", "borg", 1, 0, "warning: finished, but something was skipped (see the log)");
        row("borg 2", "borg", 2, 0, "error: the operation did not complete");
        row("borg 130", "borg", 130, 0, "killed by SIGINT");
        row("borg 143", "borg", 143, 0, "killed by SIGTERM");
        row("borg upper case", "Borg", 2, 0, "error: the operation did not complete");
        row("borg undocumented", "borg", 3, 0, "failure (not a documented borg exit code)");
        // rsync(1), EXIT VALUES: every documented code.
        row("rsync 0", "rsync", 0, 0, "success");
        row("rsync 1", "rsync", 1, 0, "syntax or usage error");
        row("rsync 2", "rsync", 2, 0, "protocol incompatibility");
        row("rsync 3", "rsync", 3, 0, "errors selecting input/output files or directories");
        row("rsync 4", "rsync", 4, 0, "requested action not supported");
        row("rsync 5", "rsync", 5, 0, "error starting client-server protocol");
        row("rsync 6", "rsync", 6, 0, "daemon unable to append to log-file");
        row("rsync 10", "rsync", 10, 0, "error in socket I/O");
        row("rsync 11", "rsync", 11, 0, "error in file I/O");
        row("rsync 12", "rsync", 12, 0, "error in rsync protocol data stream");
        row("rsync 13", "rsync", 13, 0, "errors with program diagnostics");
        row("rsync 14", "rsync", 14, 0, "error in IPC code");
        row("rsync 20", "rsync", 20, 0, "received SIGUSR1 or SIGINT");
        row("rsync 21", "rsync", 21, 0, "some error returned by waitpid()");
        row("rsync 22", "rsync", 22, 0, "error allocating core memory buffers");
        row("rsync 23", "rsync", 23, 0, "partial transfer due to error");
        row("rsync 24", "rsync", 24, 0, "partial transfer due to vanished source files");
        row("rsync 25", "rsync", 25, 0, "the --max-delete limit stopped deletions");
        row("rsync 30", "rsync", 30, 0, "timeout in data send/receive");
        row("rsync 35", "rsync", 35, 0, "timeout waiting for daemon connection");
        row("rsync undocumented", "rsync", 7, 0, "failure (not a documented rsync exit code)");
        row("rsync killed as 128+9", "rsync", 137, 0, "killed by SIGKILL (128+9)");
        // A signal says more than any code.
        row("signal wins", "restic", 143, 15, "killed by SIGTERM");
        row("signal only", "rsync", -1, 9, "killed by SIGKILL");
        // Other tools: only success and failure are known.
        row("tar 0", "tar", 0, 0, "success");
        row("tar 2", "tar", 2, 0, "failure");
        row("script killed", "nightly.sh", 130, 0, "killed by SIGINT (128+2)");
        row("no tool", "", 1, 0, "failure");
        // Nothing to explain while a session runs.
        row("running", "restic", -1, 0, "");
    }
    void meaning() {
        QFETCH(QString, tool);
        QFETCH(int, code);
        QFETCH(int, signal);
        QFETCH(QString, expected);
        const std::optional<int> exitCode = code < 0 ? std::nullopt : std::optional<int>(code);
        const std::optional<int> sig = signal == 0 ? std::nullopt : std::optional<int>(signal);
        QCOMPARE(ExitCodes::meaning(tool, exitCode, sig), expected);
    }

    void documentedIsEmptyForUnknownCodes() {
        QVERIFY(ExitCodes::documented(QStringLiteral("rsync"), 7).isEmpty());
        QVERIFY(ExitCodes::documented(QStringLiteral("kopia"), 0).isEmpty());
        QCOMPARE(ExitCodes::documented(QStringLiteral("restic"), 12),
                 QStringLiteral("wrong password"));
    }
};

KW_TEST_GUILESS_MAIN(TestExitCodes)
#include "tst_exitcodes.moc"
