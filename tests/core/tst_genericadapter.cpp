// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapterrecorder.h"
#include "adapters/linesplitter.h"
#include "testmain.h"
#include "testsupport.h"
#include "tools/commandredactor.h"
#include "tools/generic/genericadapter.h"

#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {
// A command line written as one string: words separated by single spaces.
QStringList words(const char *text) {
    return QString::fromUtf8(text).split(QLatin1Char(' '));
}

using Recorder = AdapterRecorder;
using Line = AdapterRecorder::Line;

QList<Line> feedInChunks(const QByteArray &bytes, OutputStream stream, int chunk) {
    GenericAdapter adapter;
    Recorder r;
    feedInPieces(adapter, r, stream, bytes, chunk);
    adapter.finish(r);
    return r.lines;
}
} // namespace

class TestGenericAdapter final : public QObject {
    Q_OBJECT

private slots:
    // Real captured output, fed in every chunking a pipe could produce.
    void realCaptures_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<bool>("onStderr");
        QTest::addColumn<int>("lines");
        QTest::addColumn<QByteArray>("firstLine");
        QTest::addColumn<LogLevel>("firstLevel");
        QTest::addColumn<LogLevel>("worstLevel");
        QTest::addColumn<int>("chunk");
        for (int chunk : {1, 7, 4096}) {
            const QByteArray tag = "/chunk " + QByteArray::number(chunk);
            QTest::addRow("restic sigint, ANSI stripped%s", tag.constData())
                << ":/fixtures/restic/restic-0.14-backup-sigint.stderr" << true << 1
                << QByteArray("signal interrupt received, cleaning up") << LogLevel::Warning
                << LogLevel::Warning << chunk;
            QTest::addRow("restic text backup%s", tag.constData())
                << ":/fixtures/restic/restic-0.14-backup-text-fps1.stdout" << false << 7
                << QByteArray("using parent snapshot bf7a6f84") << LogLevel::Info << LogLevel::Info
                << chunk;
            QTest::addRow("restic bad id%s", tag.constData())
                << ":/fixtures/restic/restic-0.14-restore-badid.stderr" << true << 1
                << QByteArray(
                       "invalid id \"deadbeef\": no matching ID found for prefix \"deadbeef\"")
                << LogLevel::Warning << LogLevel::Warning << chunk;
            QTest::addRow("restic check: no errors is not an error%s", tag.constData())
                << ":/fixtures/restic/restic-0.14-check.stdout" << false << 7
                << QByteArray("using temporary cache in <tmp>/restic-check-cache-NNNN")
                << LogLevel::Info << LogLevel::Info << chunk;
            QTest::addRow("rsync rc 23%s", tag.constData())
                << ":/fixtures/rsync/rsync-3.5.0-missing-source-rc23.stderr" << true << 2
                << QByteArray("rsync: [sender] link_stat \"<workdir>/src/nonexistent\" failed: No "
                              "such file or directory (2)")
                << LogLevel::Error << LogLevel::Error << chunk;
            // \r-redrawn progress collapses to what the terminal finally showed.
            QTest::addRow("borg text progress%s", tag.constData())
                << ":/fixtures/borg/borg-1.2.4-create-text-progress-stats.stderr" << true << 16
                << QByteArray("--------------------------------------------------------------------"
                              "----------")
                << LogLevel::Warning << LogLevel::Warning << chunk;
        }
    }
    void realCaptures() {
        QFETCH(QString, fixture);
        QFETCH(bool, onStderr);
        QFETCH(int, lines);
        QFETCH(QByteArray, firstLine);
        QFETCH(LogLevel, firstLevel);
        QFETCH(LogLevel, worstLevel);
        QFETCH(int, chunk);
        const QList<Line> out = feedInChunks(
            readResource(fixture), onStderr ? OutputStream::Stderr : OutputStream::Stdout, chunk);
        QCOMPARE(out.size(), lines);
        QCOMPARE(out.first().text, firstLine);
        QCOMPARE(out.first().level, firstLevel);
        LogLevel worst = LogLevel::Debug;
        for (const Line &l : out) {
            worst = qMax(worst, l.level);
            QVERIFY2(!l.text.contains('\x1b') && !l.text.contains('\r'), l.text.constData());
        }
        QCOMPARE(worst, worstLevel);
    }

    void classification_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("onStderr");
        QTest::addColumn<LogLevel>("level");
        QTest::newRow("plain stdout")
            << QByteArray("processed 2300 files") << false << LogLevel::Info;
        QTest::newRow("plain stderr") << QByteArray("reading config") << true << LogLevel::Warning;
        QTest::newRow("error word")
            << QByteArray("Error: repository not found") << false << LogLevel::Error;
        QTest::newRow("errors plural")
            << QByteArray("3 errors occurred") << false << LogLevel::Error;
        QTest::newRow("fatal") << QByteArray("Fatal: unable to open config file") << false
                               << LogLevel::Error;
        QTest::newRow("permission denied")
            << QByteArray("open /root/x: permission denied") << false << LogLevel::Error;
        QTest::newRow("warning") << QByteArray(
            "Warning: at least one source file could not be read")
                                 << false << LogLevel::Warning;
        QTest::newRow("no errors") << QByteArray("no errors were found") << false << LogLevel::Info;
        QTest::newRow("zero errors")
            << QByteArray("[0:00] 0 files 0 B, total 1 files 49.008 KiB, 0 errors") << false
            << LogLevel::Info;
        QTest::newRow("word inside a word")
            << QByteArray("terrorist errorless failedness") << false << LogLevel::Info;
    }
    void classification() {
        QFETCH(QByteArray, line);
        QFETCH(bool, onStderr);
        QFETCH(LogLevel, level);
        QCOMPARE(
            GenericAdapter::classify(line, onStderr ? OutputStream::Stderr : OutputStream::Stdout),
            level);
    }

    void endlessLineArrivesInBoundedPieces() {
        GenericAdapter adapter;
        Recorder r;
        const QByteArray chunk(1 << 20, 'z');
        for (int i = 0; i < 4; ++i)
            adapter.feed(OutputStream::Stdout, chunk, r);
        adapter.finish(r);
        QVERIFY(r.lines.size() >= 4);
        qsizetype total = 0;
        for (const Line &l : r.lines) {
            QVERIFY(l.text.size() <= 64 * 1024 + 1);
            total += l.text.size();
        }
        QCOMPARE(total, qsizetype(4) << 20); // nothing lost either
    }

    void stripControls_data() {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<QByteArray>("out");
        QTest::newRow("csi") << QByteArray("\x1b[2Kcleaning up") << QByteArray("cleaning up");
        QTest::newRow("colour") << QByteArray("\x1b[1;31mred\x1b[0m text")
                                << QByteArray("red text");
        QTest::newRow("osc title")
            << QByteArray("\x1b]0;title\x07visible") << QByteArray("visible");
        QTest::newRow("bell and nul") << QByteArray("a\x07"
                                                    "b\0c",
                                                    5)
                                      << QByteArray("abc");
        QTest::newRow("tab kept") << QByteArray("a\tb") << QByteArray("a\tb");
        QTest::newRow("utf-8 kept") << QByteArray("caf\xc3\xa9") << QByteArray("caf\xc3\xa9");
    }
    void stripControls() {
        QFETCH(QByteArray, in);
        QFETCH(QByteArray, out);
        QCOMPARE(LineSplitter::stripControls(in), out);
    }

    void redaction_data() {
        QTest::addColumn<QStringList>("argv");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("--password=")
            << words(R"(tool --password=hunter2 x)") << words(R"(tool --password=*** x)");
        QTest::newRow("--password VALUE")
            << words(R"(tool --password hunter2 x)") << words(R"(tool --password *** x)");
        QTest::newRow("--passphrase")
            << words(R"(tool --passphrase s3cret)") << words(R"(tool --passphrase ***)");
        QTest::newRow("token") << words(R"(rclone --drive-token={"a":1})")
                               << words(R"(rclone --drive-token=***)");
        QTest::newRow("password-file is a path")
            << words(R"(restic --password-file /etc/restic.pw)")
            << words(R"(restic --password-file /etc/restic.pw)");
        QTest::newRow("url credentials")
            << words(R"(restic -r rest:https://backup:hunter2@nas:8000/repo)")
            << words(R"(restic -r rest:https://backup:***@nas:8000/repo)");
        QTest::newRow("sftp url") << words(R"(borg create ssh://user:pw@host/./repo::a)")
                                  << words(R"(borg create ssh://user:***@host/./repo::a)");
        QTest::newRow("url without password")
            << words(R"(borg ssh://user@host/repo)") << words(R"(borg ssh://user@host/repo)");
        QTest::newRow("env assignment") << words(R"(env RESTIC_PASSWORD=hunter2 restic)")
                                        << words(R"(env RESTIC_PASSWORD=*** restic)");
        QTest::newRow("aws key") << words(R"(env AWS_SECRET_ACCESS_KEY=abc x)")
                                 << words(R"(env AWS_SECRET_ACCESS_KEY=*** x)");
        QTest::newRow("harmless assignment")
            << words(R"(make PREFIX=/usr)") << words(R"(make PREFIX=/usr)");
        QTest::newRow("nothing secret")
            << words(R"(rsync -a src/ dst/)") << words(R"(rsync -a src/ dst/)");
    }
    void redaction() {
        QFETCH(QStringList, argv);
        QFETCH(QStringList, expected);
        QCOMPARE(CommandRedactor::redact(argv), expected);
    }
};

KW_TEST_GUILESS_MAIN(TestGenericAdapter)
#include "tst_genericadapter.moc"
