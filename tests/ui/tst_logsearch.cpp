// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "filterbar.h"
#include "history/historysearchrunner.h"
#include "loglineview.h"
#include "logpane.h"
#include "logsearchdialog.h"
#include "mainwindow.h"
#include "models/logmodel.h"
#include "models/searchhitmodel.h"
#include "protocol/timestamp.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

// A verbose restore of 60,000 chunks in the spool, with one line to find
// in its middle.
constexpr int kRestoreLines = 60000;
constexpr int kNeedleLine = 31234;

} // namespace

// Search All Logs (issue 18) in the window, over the history of real
// restic, borg and rsync runs wrapped by keepwatch-cli and a failing
// command: the lines are found by path, prefix and phrase with their
// session and host and the match marked, the list fills off the GUI thread,
// Enter opens the log at the line with the match selected (also in the
// middle of a 60,000-line log read from the history), the filter bar
// applies, a malformed or hostile query is said in words, and a search can
// be stopped.
class TestLogSearch final : public QObject {
    Q_OBJECT

    QTemporaryDir m_work;
    TempSpool *m_spool = nullptr;

    QString path(const char *name) const { return m_work.filePath(QString::fromLatin1(name)); }

    void wrapped(const QString &id, const QStringList &command, int exitCode = 0) {
        const CliResult r =
            runCli(QStringList{QStringLiteral("run"), QStringLiteral("--session-id"), id,
                               QStringLiteral("--")}
                       + command,
                   120000);
        QVERIFY2(r.exitCode == exitCode, r.err.constData());
    }

    // The dialog's results once its search ended.
    static bool searchFor(LogSearchDialog *dialog, const QString &text) {
        QSignalSpy finished(dialog->runner(), &HistorySearchRunner::finished);
        dialog->queryField()->setText(text);
        QTest::keyClick(dialog->queryField(), Qt::Key_Return);
        return finished.size() > 0 || finished.wait(30000);
    }

    // The sessions of the lines found, in time order, each once: restic
    // may print a file's name twice (its status line names the file it is
    // on when the machine is slow).
    static QStringList sessionsOf(const SearchHitModel *model) {
        QStringList ids;
        for (int r = 0; r < model->rowCount(); ++r)
            if (!ids.contains(model->hit(r).key.id))
                ids << model->hit(r).key.id;
        return ids;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_work.isValid());
        for (const char *tool : {"restic", "borg", "rsync"})
            QVERIFY2(!QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty(),
                     "install the real tools: scripts/install-deps.sh");
        m_spool = new TempSpool;
        const QString photos = path("tree/srv/data/photos/2024");
        QVERIFY(QDir().mkpath(photos));
        for (const char *name : {"IMG_2231.jpg", "IMG_2232.jpg", "notes.txt"}) {
            QFile file(photos + QLatin1Char('/') + QLatin1String(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("photo ");
            file.write(name);
        }
        qputenv("RESTIC_PASSWORD", "keepwatch-test");
        qputenv("RESTIC_CACHE_DIR", QFile::encodeName(path("restic-cache")));
        qputenv("BORG_PASSPHRASE", "keepwatch-test");
        qputenv("BORG_BASE_DIR", QFile::encodeName(path("borg-base")));
        QByteArray out;
        QVERIFY2(runProgram(QStringLiteral("restic"),
                            {QStringLiteral("-r"), path("restic-repo"), QStringLiteral("init")},
                            QProcessEnvironment::systemEnvironment(), &out),
                 out.constData());
        QVERIFY2(runProgram(QStringLiteral("borg"),
                            {QStringLiteral("init"), QStringLiteral("--encryption=repokey"),
                             path("borg-repo")},
                            QProcessEnvironment::systemEnvironment(), &out),
                 out.constData());
        // Each prints the name of every file it handles: restic with -vv
        // ("new  /…/IMG_2231.jpg, saved in …"), borg with --list
        // ("A /…/IMG_2231.jpg"), rsync with -v ("srv/data/…/IMG_2231.jpg").
        wrapped(QStringLiteral("restic-photos"),
                {QStringLiteral("restic"), QStringLiteral("-r"), path("restic-repo"),
                 QStringLiteral("backup"), QStringLiteral("-vv"), path("tree/srv")});
        wrapped(QStringLiteral("borg-photos"),
                {QStringLiteral("borg"), QStringLiteral("create"), QStringLiteral("--list"),
                 path("borg-repo") + QStringLiteral("::photos"), path("tree/srv")});
        wrapped(QStringLiteral("rsync-photos"),
                {QStringLiteral("rsync"), QStringLiteral("-av"), path("tree/srv"), path("copy")});
        wrapped(QStringLiteral("dump"),
                {QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("echo 'error: No space left on device' >&2; exit 28")},
                28);
        const qint64 t0 = Timestamp::nowMs() - 3600000;
        QList<Event> restore{startEvent(QStringLiteral("vm-restore"), t0, SessionKind::Restore,
                                        QStringLiteral("restic"), QStringLiteral("Restore vm"))};
        for (int i = 0; i < kRestoreLines; ++i)
            restore.append(logEvent(QStringLiteral("vm-restore"), t0 + i,
                                    i == kNeedleLine ? QByteArray("checksum mismatch at sector 77")
                                                     : "restored chunk " + QByteArray::number(i)
                                                           + " of /srv/vm/disk.img"));
        restore.append(
            endEvent(QStringLiteral("vm-restore"), t0 + kRestoreLines, SessionState::Succeeded, 0));
        m_spool->append(QStringLiteral("vm-restore.jsonl"), encode(restore));
        // Into the history before the window starts, as an earlier run of it
        // would have recorded them: the window reads their logs from there.
        const CliResult sync = runCli({QStringLiteral("search"), QStringLiteral("photos")}, 120000);
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
    }
    void cleanupTestCase() { delete m_spool; }

    void findsLinesOfRealRuns_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("sessions"); // of the lines found, in time order
        QTest::addColumn<QString>("marked");       // in each line found
        QTest::newRow("a path") << QStringLiteral("srv/data/photos/2024/IMG_2231.jpg")
                                << QStringList{QStringLiteral("restic-photos"),
                                               QStringLiteral("borg-photos"),
                                               QStringLiteral("rsync-photos")}
                                << QStringLiteral("srv/data/photos/2024/IMG_2231.jpg");
        QTest::newRow("a prefix") << QStringLiteral("IMG_2232*")
                                  << QStringList{QStringLiteral("restic-photos"),
                                                 QStringLiteral("borg-photos"),
                                                 QStringLiteral("rsync-photos")}
                                  << QStringLiteral("IMG_2232");
        QTest::newRow("a phrase") << QStringLiteral("\"no space left\"")
                                  << QStringList{QStringLiteral("dump")}
                                  << QStringLiteral("No space left");
        QTest::newRow("a word deep in a long log")
            << QStringLiteral("mismatch") << QStringList{QStringLiteral("vm-restore")}
            << QStringLiteral("mismatch");
        QTest::newRow("hostile") << QStringLiteral("'); DROP TABLE sessions; --") << QStringList{}
                                 << QString();
        QTest::newRow("fts syntax")
            << QStringLiteral("NEAR(photos data) OR col:x ^start") << QStringList{} << QString();
    }
    void findsLinesOfRealRuns() {
        QFETCH(QString, query);
        QFETCH(QStringList, sessions);
        QFETCH(QString, marked);
        MainWindow window(m_spool->path(), m_spool->historyPath());
        window.show();
        QVERIFY(waitFor([&] { return window.store()->count() == 5; }, 30000));
        window.searchLogsAction()->trigger();
        LogSearchDialog *dialog = window.findChild<LogSearchDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QAbstractItemModelTester tester(dialog->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(searchFor(dialog, query));
        QCOMPARE(sessionsOf(dialog->model()), sessions);
        for (int r = 0; r < dialog->model()->rowCount(); ++r) {
            const SearchHit &hit = dialog->model()->hit(r);
            QVERIFY2(!hit.matches.isEmpty(), qPrintable(hit.line));
            QCOMPARE(hit.line.mid(hit.matches.first().first, hit.matches.first().second), marked);
            // The wrapped runs carry this machine's name; the generated
            // restore the one testsupport's events give.
            QCOMPARE(hit.host, hit.key.id == QLatin1String("vm-restore")
                                   ? QStringLiteral("testhost")
                                   : QSysInfo::machineHostName());
        }
        QVERIFY(!dialog->statusIsError());
        // Lines, not sessions: a session may have more than one (a restic
        // slowed down by a loaded machine prints a status line naming the
        // file it is at, beside its "new" line).
        const int found = dialog->model()->rowCount();
        QVERIFY(found >= sessions.size());
        QVERIFY2(dialog->statusText().startsWith(found == 0 ? QStringLiteral("No line")
                                                 : found == 1
                                                     ? QStringLiteral("1 line")
                                                     : QStringLiteral("%1 lines").arg(found)),
                 qPrintable(dialog->statusText()));
        // Nothing typed harmed the history.
        QVERIFY(searchFor(dialog, QStringLiteral("IMG_2231*")));
        QCOMPARE(sessionsOf(dialog->model()),
                 (QStringList{QStringLiteral("restic-photos"), QStringLiteral("borg-photos"),
                              QStringLiteral("rsync-photos")}));
    }

    // Enter on a line found opens its session's log there: the line is the
    // current, selected row, in view, its match marked by the pane's search.
    void enterOpensTheLogAtTheLine_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("match");
        QTest::newRow("borg's list of files")
            << QStringLiteral("IMG_2232*") << QStringLiteral("borg-photos")
            << QStringLiteral("IMG_2232");
        QTest::newRow("the middle of 60,000 lines")
            << QStringLiteral("\"sector 77\"") << QStringLiteral("vm-restore")
            << QStringLiteral("sector 77");
    }
    void enterOpensTheLogAtTheLine() {
        QFETCH(QString, query);
        QFETCH(QString, session);
        QFETCH(QString, match);
        MainWindow window(m_spool->path(), m_spool->historyPath());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(waitFor([&] { return window.store()->count() == 5; }, 30000));
        const int storeRow = window.store()->indexOf({QStringLiteral("spool"), session});
        QVERIFY(storeRow >= 0);
        // An earlier run's session: its log is still in the database.
        QVERIFY(window.store()->needsHistoryLog(storeRow));
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        LogSearchDialog *dialog = window.findChild<LogSearchDialog *>();
        QVERIFY(dialog);
        QVERIFY(searchFor(dialog, query));
        const int row = int(sessionsOf(dialog->model()).indexOf(session));
        QVERIFY(row >= 0);
        const SearchHit hit = dialog->model()->hit(row);
        dialog->results()->setFocus();
        dialog->results()->setCurrentIndex(dialog->model()->index(row, SearchHitModel::Line));
        QTest::keyClick(dialog->results(), Qt::Key_Return);

        LogPane *pane = window.logPane(hit.key);
        QVERIFY(pane);
        QVERIFY(waitFor([&] { return !pane->isRevealPending(); }, 30000));
        const QModelIndex current = pane->view()->currentIndex();
        QVERIFY(current.isValid());
        QCOMPARE(current.data(LogModel::MessageRole).toString(), hit.line);
        QCOMPARE(current.data(LogModel::SequenceRole).toLongLong(), hit.seq);
        QVERIFY(pane->view()->selectionModel()->isSelected(current));
        QVERIFY(pane->view()->viewport()->rect().intersects(pane->view()->visualRect(current)));
        QCOMPARE(pane->findChild<QLineEdit *>(QStringLiteral("logSearch"))->text(), match);
        QVERIFY2(pane->matchCounterText().startsWith(QLatin1String("1 of ")),
                 qPrintable(pane->matchCounterText()));
        const auto ranges = current.data(LogModel::MatchRangesRole).value<QList<TextRange>>();
        QVERIFY(!ranges.isEmpty());
        QCOMPARE(hit.line.mid(ranges.first().start, ranges.first().length).toLower(),
                 match.toLower());
        if (session == QLatin1String("vm-restore"))
            QCOMPARE(current.row(), kNeedleLine);
    }

    // The filter bar applies: only the sessions the table shows are searched.
    void theFilterBarApplies() {
        MainWindow window(m_spool->path(), m_spool->historyPath());
        window.show();
        QVERIFY(waitFor([&] { return window.store()->count() == 5; }, 30000));
        window.filterBar()->textField()->setText(QStringLiteral("rsync"));
        window.filterBar()->apply();
        QCOMPARE(window.sessionTable()->model()->rowCount(), 1);
        LogSearchDialog *dialog = window.showLogSearch();
        QVERIFY(searchFor(dialog, QStringLiteral("IMG_2231*")));
        QCOMPARE(sessionsOf(dialog->model()), QStringList{QStringLiteral("rsync-photos")});
        QVERIFY2(dialog->scopeText().contains(QLatin1String("1 session the filter bar shows")),
                 qPrintable(dialog->scopeText()));
        window.filterBar()->clear();
        QVERIFY(searchFor(dialog, QStringLiteral("IMG_2231*")));
        QCOMPARE(sessionsOf(dialog->model()).size(), 3);
        QVERIFY(dialog->scopeText().isEmpty());
    }

    void aMalformedQueryIsSaidInWords() {
        MainWindow window(m_spool->path(), m_spool->historyPath());
        LogSearchDialog *dialog = window.showLogSearch();
        dialog->queryField()->setText(QStringLiteral("\"no space"));
        QTest::keyClick(dialog->queryField(), Qt::Key_Return);
        QVERIFY(dialog->statusIsError());
        QCOMPARE(dialog->statusText(),
                 QStringLiteral("Cannot search: the quote at column 1 is not closed."));
        QCOMPARE(dialog->model()->rowCount(), 0);
        QVERIFY(!dialog->runner()->isRunning());
    }

    // 60,000 lines match: the list stops at its limit and says to narrow the
    // search; Stop ends a search, and says how far it got.
    void theLimitAndStop() {
        MainWindow window(m_spool->path(), m_spool->historyPath());
        LogSearchDialog *dialog = window.showLogSearch();
        QVERIFY(searchFor(dialog, QStringLiteral("chunk")));
        QCOMPARE(dialog->model()->rowCount(), LogSearchDialog::kMaxHits);
        QVERIFY2(dialog->statusText().contains(QLatin1String("narrow the search")),
                 qPrintable(dialog->statusText()));
        dialog->queryField()->setText(QStringLiteral("disk.img"));
        QTest::keyClick(dialog->queryField(), Qt::Key_Return);
        QVERIFY(dialog->stopButton()->isEnabled());
        QTest::mouseClick(dialog->stopButton(), Qt::LeftButton);
        QVERIFY(!dialog->stopButton()->isEnabled());
        QVERIFY2(dialog->statusText().startsWith(QLatin1String("Stopped: ")),
                 qPrintable(dialog->statusText()));
        const int rows = dialog->model()->rowCount();
        QTest::qWait(300);
        QCOMPARE(dialog->model()->rowCount(), rows);
    }

    void withoutAHistoryThereIsNothingToSearch() {
        MainWindow window(m_spool->path(), QString());
        QVERIFY(!window.searchLogsAction()->isEnabled());
        QVERIFY(window.searchLogsAction()->statusTip().contains(QLatin1String("history")));
        QVERIFY(!window.showLogSearch());
    }
};

KW_TEST_MAIN(TestLogSearch)
#include "tst_logsearch.moc"
