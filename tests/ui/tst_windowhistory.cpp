// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historydatabase.h"
#include "logpane.h"
#include "mainwindow.h"
#include "models/logmodel.h"
#include "protocol/timestamp.h"
#include "settings/appsettings.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

const QString kDone = QStringLiteral("done-1");
const QString kLive = QStringLiteral("live-2");

SessionKey keyOf(const QString &id) {
    return {QStringLiteral("spool"), id};
}

// Whether the history at `db` has committed every byte of these spool files:
// what a window's recorder has written for good, read back from the database.
bool committedWholeFiles(const QString &db, const QStringList &files) {
    HistoryDatabase history;
    if (!history.openForReading(db))
        return false;
    const auto positions = history.spoolPositions();
    for (const QString &file : files) {
        const auto it = positions.constFind(file);
        if (it == positions.cend() || it->offset != QFileInfo(file).size())
            return false;
    }
    return true;
}

} // namespace

// The window with a history: what an earlier run saw is listed again at
// start, finished sessions' logs come from the database when opened, and
// live sessions go on updating.
class TestWindowHistory final : public QObject {
    Q_OBJECT

private slots:
    void init() {
        // Layout and filters from another test must not hide rows here.
        QStandardPaths::setTestModeEnabled(true);
    }

    void restartListsEarlierSessionsAndOpensTheirLogs() {
        TempSpool spool;
        const qint64 t0 = Timestamp::nowMs() - 60000;
        constexpr int kLines = 150000; // a verbose restore
        QList<Event> done{startEvent(kDone, t0, SessionKind::Restore, QStringLiteral("restic"),
                                     QStringLiteral("Restore photos"))};
        for (int i = 0; i < kLines; ++i)
            done.append(logEvent(kDone, t0 + i,
                                 "restored /home/alice/Pictures/IMG_" + QByteArray::number(i)));
        done.append(endEvent(kDone, t0 + kLines, SessionState::Succeeded, 0));
        spool.append(kDone + QLatin1String(".jsonl"), encode(done));
        spool.append(kLive + QLatin1String(".jsonl"),
                     encode({startEvent(kLive, t0, SessionKind::Backup, QStringLiteral("rsync")),
                             logEvent(kLive, t0 + 1, "sending incremental file list")}));
        {
            MainWindow first(spool.path(), spool.historyPath());
            QVERIFY(waitFor([&] { return first.store()->count() == 2; }));
            const int row = first.store()->indexOf(keyOf(kDone));
            QVERIFY(
                waitFor([&] { return first.store()->at(row).state == SessionState::Succeeded; }));
            // The window shows the end before its recorder has committed the
            // 150,000 lines (a thread of its own, slower still under ASan):
            // closing it now would leave part of them to the next start.
            const QStringList files{spool.file(kDone), spool.file(kLive)};
            QVERIFY2(
                waitFor([&] { return committedWholeFiles(spool.historyPath(), files); }, 30000),
                "the first window's recorder did not commit the whole spool");
        }
        spool.append(kLive + QLatin1String(".jsonl"), encode({logEvent(kLive, t0 + 2, "a/b")}));

        MainWindow second(spool.path(), spool.historyPath());
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QCOMPARE(second.historyPath(), spool.historyPath());
        QVERIFY(waitFor([&] { return second.store()->count() == 2; }));
        const int doneRow = second.store()->indexOf(keyOf(kDone));
        const int liveRow = second.store()->indexOf(keyOf(kLive));
        QCOMPARE(second.store()->at(doneRow).state, SessionState::Succeeded);
        QCOMPARE(second.store()->at(doneRow).logLines, kLines);
        // The finished log stays in the database until asked for...
        QVERIFY(second.store()->needsHistoryLog(doneRow));
        // ...the live one's lines are there, the new one included.
        QVERIFY(waitFor([&] { return second.store()->log(liveRow).size() == 2; }));

        LogPane *pane = second.openLog(keyOf(kDone));
        QVERIFY(pane);
        QVERIFY2(waitFor([&] { return pane->model()->rowCount() == kLines; }),
                 qPrintable(QStringLiteral("%1 rows, %2 in the buffer")
                                .arg(pane->model()->rowCount())
                                .arg(second.store()->log(doneRow).size())));
        QCOMPARE(pane->model()->index(0).data(LogModel::MessageRole).toString(),
                 QStringLiteral("restored /home/alice/Pictures/IMG_0"));
        QCOMPARE(pane->model()->index(kLines - 1).data(LogModel::MessageRole).toString(),
                 QStringLiteral("restored /home/alice/Pictures/IMG_%1").arg(kLines - 1));

        // The live session goes on.
        spool.append(kLive + QLatin1String(".jsonl"),
                     encode({endEvent(kLive, t0 + 3, SessionState::Failed, 23)}));
        QVERIFY(waitFor([&] { return second.store()->at(liveRow).state == SessionState::Failed; }));
    }

    // Retention as set in Settings: the window's recorder forgets the oldest
    // finished sessions beyond the limit, in the database and the spool.
    void retentionFromTheSettings() {
        TempSpool spool;
        const qint64 day = 24 * 3600 * 1000;
        const qint64 t0 = Timestamp::nowMs() - 10 * day;
        const QStringList ids{QStringLiteral("old-1"), QStringLiteral("old-2"),
                              QStringLiteral("new-3")};
        for (int i = 0; i < ids.size(); ++i)
            spool.append(
                ids[i] + QLatin1String(".jsonl"),
                encode({startEvent(ids[i], t0 + i * day),
                        endEvent(ids[i], t0 + i * day + 1000, SessionState::Succeeded, 0)}));
        spool.append(kLive + QLatin1String(".jsonl"), encode({startEvent(kLive, t0)}));
        AppSettings settings = AppSettings::load();
        settings.historyMaxSessions = 1;
        settings.save();
        {
            MainWindow window(spool.path(), spool.historyPath());
            QVERIFY(waitFor([&] { return !QFile::exists(spool.file(ids[1])); }));
        }
        settings.historyMaxSessions = 0;
        settings.save();
        QVERIFY(!QFile::exists(spool.file(ids[0])));
        QVERIFY(QFile::exists(spool.file(ids[2])));
        QVERIFY(QFile::exists(spool.file(kLive))); // running: never removed
        HistoryDatabase db;
        QVERIFY(db.open(spool.historyPath()));
        QStringList kept;
        for (const Session &s : db.sessions())
            kept << s.id();
        kept.sort();
        QCOMPARE(kept, (QStringList{kLive, ids[2]})); // sorted
    }

    // Two windows on one history: the second reads it without recording, and
    // says why, instead of writing every line a second time.
    void aSecondWindowDoesNotRecordTwice() {
        TempSpool spool;
        spool.append(kLive + QLatin1String(".jsonl"),
                     encode({startEvent(kLive, 1000), logEvent(kLive, 1001, "one")}));
        MainWindow first(spool.path(), spool.historyPath());
        QVERIFY(waitFor([&] { return first.store()->count() == 1; }));
        MainWindow second(spool.path(), spool.historyPath());
        QVERIFY(waitFor([&] { return !second.store()->recentErrors().isEmpty(); }, 15000));
        QVERIFY2(second.store()->recentErrors().first().message.contains(
                     QLatin1String("without recording")),
                 qPrintable(second.store()->recentErrors().first().toString()));
        spool.append(kLive + QLatin1String(".jsonl"), encode({logEvent(kLive, 1002, "two")}));
        QVERIFY(waitFor(
            [&] { return second.store()->count() == 1 && second.store()->at(0).logLines == 2; }));
        QVERIFY(waitFor([&] { return first.store()->at(0).logLines == 2; }));
        QVERIFY(first.store()->recentErrors().isEmpty());
    }
};

KW_TEST_MAIN(TestWindowHistory)
#include "tst_windowhistory.moc"
