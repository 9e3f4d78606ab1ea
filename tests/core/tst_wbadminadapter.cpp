// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapterrecorder.h"
#include "testmain.h"
#include "testsupport.h"
#include "tools/commandline.h"
#include "tools/toolregistry.h"
#include "tools/wbadmin/wbadminadapter.h"
#include "tools/wbadmin/wbadminprofile.h"

#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

QStringList words(const char *text) {
    return QString::fromUtf8(text).split(QLatin1Char(' '));
}

using Recorder = AdapterRecorder;
using LogLine = AdapterRecorder::Line;

// "98 C:|98 C:|..." and "@Scanning the file system|..." for steps.
QString progressTrace(const Recorder &r) {
    QStringList out;
    for (const ProgressPayload &p : r.updates) {
        if (p.percent)
            out << QStringLiteral("%1 %2").arg(*p.percent).arg(p.current);
        else
            out << QString(QLatin1Char('@') + p.current);
    }
    return out.join(QLatin1Char('|'));
}

Recorder feedInChunks(const QByteArray &bytes, qsizetype chunk,
                      OutputStream stream = OutputStream::Stdout) {
    WbadminAdapter adapter;
    Recorder r;
    feedInPieces(adapter, r, stream, bytes, chunk);
    adapter.finish(r);
    return r;
}

const ToolProfile *wbadmin() {
    return &WbadminProfile::instance();
}

QByteArray withLf(QByteArray bytes) {
    return bytes.replace("\r\n", "\n");
}

} // namespace

// The wbadmin adapter on real recorded output (tests/fixtures/wbadmin/README.md
// names the sources) and on lines written for the test where no recording
// was found (marked "written for the test").
class TestWbadminAdapter final : public QObject {
    Q_OBJECT

private slots:
    void realCaptures_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<bool>("crlf");
        QTest::addColumn<int>("lines");
        QTest::addColumn<QString>("progress");
        QTest::addColumn<QByteArray>("lastLine");
        for (const bool crlf : {true, false}) {
            const char *ends = crlf ? "CRLF" : "LF";
            QTest::addRow("poc guide, %s", ends)
                << QStringLiteral("start-backup-include-c-poc-guide.txt")
                << crlf
                // The repeated records (98 % twice, 99 % twice) are logged once each.
                << 7 << QStringLiteral("98 C:|98 C:|99 C:|99 C:|100 C:")
                << QByteArray("The backup of volume C(C:) successfully completed.");
            QTest::addRow("selected files to a share, %s", ends)
                << QStringLiteral("start-backup-selected-files-to-share.txt") << crlf << 30
                << QStringLiteral("@Retrieving volume information|"
                                  "@Creating a shadow copy of the volumes specified for backup|"
                                  "@Creating a shadow copy of the volumes specified for backup|"
                                  "@Scanning the file system|@Scanning the file system|100 C:")
                << QByteArray(
                       "C:\\Windows\\Logs\\WindowsServerBackup\\Backup-04-10-2020_17-48-38.log");
            QTest::addRow("updating an existing backup, %s", ends)
                << QStringLiteral("start-backup-update-existing-to-share.txt") << crlf << 40
                << QStringLiteral("@Retrieving volume information|"
                                  "@Creating a shadow copy of the volumes specified for backup|"
                                  "@Creating a shadow copy of the volumes specified for backup|"
                                  "@Creating a shadow copy of the volumes specified for backup|"
                                  "@Scanning the file system|@Scanning the file system|"
                                  "@Scanning the file system|@Scanning the file system|"
                                  "0 C:|100 C:|100 C:")
                << QByteArray(
                       "C:\\Windows\\Logs\\WindowsServerBackup\\Backup-12-06-2020_07-26-46.log");
        }
    }
    void realCaptures() {
        QFETCH(QString, fixture);
        QFETCH(bool, crlf);
        QFETCH(int, lines);
        QFETCH(QString, progress);
        QFETCH(QByteArray, lastLine);
        QByteArray bytes = readResource(QString(QStringLiteral(":/fixtures/wbadmin/") + fixture));
        QVERIFY(bytes.contains("\r\n")); // as recorded: CRLF
        if (!crlf)
            bytes = withLf(bytes);
        const Recorder whole = feedInChunks(bytes, bytes.size());
        QCOMPARE(whole.lines.size(), lines);
        QCOMPARE(whole.lines.last().text, lastLine);
        QCOMPARE(progressTrace(whole), progress);
        for (const LogLine &l : whole.lines) {
            QVERIFY2(!l.text.contains('\r') && !l.text.contains('\n'), l.text.constData());
            // Each of these backups succeeded: none of its lines is an error.
            QVERIFY2(l.level != LogLevel::Error, l.text.constData());
        }
        // The same in every chunking a pipe could produce: cut at every byte.
        for (qsizetype chunk = 1; chunk < 64; ++chunk) {
            const Recorder r = feedInChunks(bytes, chunk);
            QCOMPARE(progressTrace(r), progress);
            QCOMPARE(r.lines.size(), lines);
        }
        for (qsizetype cut = 1; cut < bytes.size(); ++cut) {
            WbadminAdapter adapter;
            Recorder r;
            adapter.feed(OutputStream::Stdout, QByteArrayView(bytes).first(cut), r);
            adapter.feed(OutputStream::Stdout, QByteArrayView(bytes).sliced(cut), r);
            adapter.finish(r);
            QCOMPARE(progressTrace(r), progress);
            QCOMPARE(r.lines.size(), lines);
        }
    }

    void summaryLines_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<LogLevel>("level");
        QTest::newRow("success (recorded)")
            << QByteArray("The backup operation successfully completed.") << LogLevel::Info;
        QTest::newRow("per volume (recorded)")
            << QByteArray("The backup of volume (C:) completed successfully.") << LogLevel::Info;
        QTest::newRow("note on shares (recorded)")
            << QByteArray("Note: The backed up data cannot be securely protected at this "
                          "destination.")
            << LogLevel::Warning;
        // Written for the test: the wording wbadmin prints on a stop.
        QTest::newRow("stopped") << QByteArray("The backup operation stopped before completing.")
                                 << LogLevel::Error;
        QTest::newRow("ERROR -") << QByteArray("ERROR - A Volume Shadow Copy Service operation "
                                               "error has occurred: (0x800423f3)")
                                 << LogLevel::Error;
    }
    void summaryLines() {
        QFETCH(QByteArray, line);
        QFETCH(LogLevel, level);
        const Recorder r = feedInChunks(QByteArray(line + "\r\n"), 5);
        QCOMPARE(r.lines.size(), 1);
        QCOMPARE(r.lines.first().level, level);
        QVERIFY(r.updates.isEmpty());
    }

    void records_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<double>("percent");
        QTest::addColumn<QString>("volume");
        QTest::newRow("recorded") << QStringLiteral(
            "Creating a backup of volume (C:), copied (35%).")
                                  << 35.0 << QStringLiteral("C:");
        QTest::newRow("recorded, labelled")
            << QStringLiteral("Creating a backup of volume C(C:), copied (98%).") << 98.0
            << QStringLiteral("C:");
        // Written for the test (the "Running backup of volume" wording, and a
        // German one; the layout is all that is read).
        QTest::newRow("running backup wording")
            << QStringLiteral("Running backup of volume Local Disk(C:), copied (12%).") << 12.0
            << QStringLiteral("C:");
        QTest::newRow("german, space before %")
            << QStringLiteral("Sicherung von Volume Lokaler Datentr\u00e4ger(D:) wird "
                              "ausgef\u00fchrt, kopiert (12 %).")
            << 12.0 << QStringLiteral("D:");
        QTest::newRow("french, no-break space")
            << QStringLiteral("Sauvegarde du volume (E:), copi\u00e9 (7\u00a0%).") << 7.0
            << QStringLiteral("E:");
        QTest::newRow("no dot, trailing spaces")
            << QStringLiteral("Creating a backup of volume (C:), copied (100%)  ") << 100.0
            << QStringLiteral("C:");
        QTest::newRow("no volume: recovery") << QStringLiteral(
            "Running the recovery operation for c:\\windows\\ntds\\ntds.dit, copied (48%).")
                                             << 48.0 << QString();
        QTest::newRow("over 100 is 100")
            << QStringLiteral("x (C:), y (999%).") << 100.0 << QStringLiteral("C:");
    }
    void records() {
        QFETCH(QString, line);
        QFETCH(double, percent);
        QFETCH(QString, volume);
        const std::optional<WbadminAdapter::Record> r = WbadminAdapter::parseRecord(line);
        QVERIFY(r);
        QCOMPARE(r->percent, percent);
        QCOMPARE(r->volume, volume);
    }

    void notRecords_data() {
        QTest::addColumn<QString>("line");
        QTest::newRow("found files") << QStringLiteral("Found (12) files.");
        QTest::newRow("percent in the middle")
            << QStringLiteral("copied (12%) of volume (C:) so far");
        QTest::newRow("four digits") << QStringLiteral("copied (1234%).");
        QTest::newRow("no number") << QStringLiteral("copied (%).");
        QTest::newRow("empty") << QString();
    }
    void notRecords() {
        QFETCH(QString, line);
        QVERIFY(!WbadminAdapter::parseRecord(line));
    }

    // Written for the test: records redrawn with '\r' alone, as a console
    // shows them, each one reported live; the repeats logged once.
    void carriageReturnRecords() {
        const QByteArray bytes = "Creating a backup of volume (C:), copied (1%).\r"
                                 "Creating a backup of volume (C:), copied (1%).\r"
                                 "Creating a backup of volume (C:), copied (2%).\r"
                                 "Creating a backup of volume (D:), copied (0%).\r\n"
                                 "The backup operation successfully completed.\r\n";
        for (qsizetype chunk : {1, 3, 1000}) {
            const Recorder r = feedInChunks(bytes, chunk);
            QCOMPARE(progressTrace(r), QStringLiteral("1 C:|1 C:|2 C:|0 D:"));
            QCOMPARE(r.lines.size(), 4);
            QCOMPARE(r.worst(), LogLevel::Info);
        }
    }

    void garbageAndHugeLinesAreHarmless() {
        // Random bytes, NULs, lone '\r's, broken UTF-8, unbalanced parentheses.
        QByteArray garbage;
        quint32 seed = 19;
        for (int i = 0; i < 200000; ++i) {
            seed = seed * 1103515245u + 12345u;
            garbage.append(char(seed >> 16));
        }
        garbage += "((((%)))) (C:), (\xff\xfe%). ((()(1%).\r\n)(";
        for (qsizetype chunk : {1, 7, 4096, 1 << 20}) {
            const Recorder r = feedInChunks(garbage, chunk);
            QVERIFY(!r.lines.isEmpty());
            for (const ProgressPayload &p : r.updates)
                QVERIFY(!p.percent || (*p.percent >= 0 && *p.percent <= 100));
        }
        // An endless line is delivered in bounded pieces, and an endless
        // record (a huge volume name) still parses.
        const QByteArray huge =
            "Creating a backup of volume (" + QByteArray(3 << 20, 'x') + "), copied (5%).\r\n";
        const Recorder r = feedInChunks(huge, 1 << 16);
        for (const LogLine &l : r.lines)
            QVERIFY(l.text.size() <= 64 * 1024);
        QVERIFY(r.lines.size() >= 48);
        // The same on stderr.
        const Recorder e = feedInChunks(garbage, 4096, OutputStream::Stderr);
        QVERIFY(!e.lines.isEmpty());
    }

    void profile() {
        // Found by the program's name, through launchers; kind and target.
        const QStringList argv =
            words(R"(wbadmin start backup -backupTarget:\\nas\wsb -include:C: -quiet)");
        QCOMPARE(&ToolRegistry::forCommand(QString(), argv), wbadmin());
        QCOMPARE(AdapterRegistry::create(QString(), argv)->name(), QStringLiteral("wbadmin"));
        QVERIFY(AdapterRegistry::has(QStringLiteral("wbadmin")));
        const CommandLineInfo info = CommandLineInfo::inspect(argv);
        QCOMPARE(info.tool, QStringLiteral("wbadmin"));
        QVERIFY(info.knownTool);
        QCOMPARE(info.kind, SessionKind::Backup);
        QCOMPARE(info.subcommand, QStringLiteral("start backup"));
        QCOMPARE(info.target, QStringLiteral(R"(\\nas\wsb)"));
        QCOMPARE(CommandLineInfo::inspect(words("wbadmin START RECOVERY -version:x")).kind,
                 SessionKind::Restore);
        QCOMPARE(CommandLineInfo::inspect(words("wbadmin get versions")).kind, SessionKind::Other);
        // The generic rule for exit codes: 0 succeeds, anything else fails.
        QCOMPARE(WbadminProfile::instance().outcome(ExitStatus{0, {}, false, {}}).state,
                 SessionState::Succeeded);
        const Outcome failed = WbadminProfile::instance().outcome(ExitStatus{5, {}, false, {}});
        QCOMPARE(failed.state, SessionState::Failed);
        QCOMPARE(failed.summary, QStringLiteral("exit code 5"));
#ifdef Q_OS_WIN
        // Windows: any case, with or without ".exe".
        for (const char *program :
             {"WBADMIN.EXE", "C:\\Windows\\System32\\wbadmin.exe", "WBAdmin"}) {
            const QStringList windows = QStringList{QString::fromUtf8(program)}
                                        + words("start backup -backupTarget:E: -quiet");
            QCOMPARE(&ToolRegistry::forCommand(QString(), windows), wbadmin());
            QCOMPARE(CommandLineInfo::inspect(windows).kind, SessionKind::Backup);
        }
#else
        // Elsewhere program names are case-sensitive, but the tool is still found.
        QCOMPARE(&ToolRegistry::forCommand(QString(), words("WBADMIN start backup")), wbadmin());
#endif
    }
};

KW_TEST_GUILESS_MAIN(TestWbadminAdapter)
#include "tst_wbadminadapter.moc"
