// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "logpane.h"
#include "mainwindow.h"
#include "models/logmodel.h"
#include "models/sessiontablemodel.h"
#include "spool/spoollocation.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QApplication>
#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace kw;
using namespace kw::test;

// The window on Windows (run under wine by scripts/windows.sh): a session
// recorded by the real keepwatch-cli.exe around a real cmd.exe is listed with
// its state, and its log pane shows the command's line; the state and
// history live under %LOCALAPPDATA%\Keepwatch.
class TestWindowsWindow final : public QObject {
    Q_OBJECT

private slots:
    void init() { QStandardPaths::setTestModeEnabled(true); }

    void stateLivesInLocalAppData() {
        const QString local = qEnvironmentVariable("LOCALAPPDATA");
        QVERIFY2(!local.isEmpty(), "no %LOCALAPPDATA%");
        QCOMPARE(QDir::cleanPath(SpoolLocation::stateDirectory()),
                 QDir::cleanPath(local + QStringLiteral("/Keepwatch")));
    }

    void showsAFailedCmdSessionAndItsLine() {
        TempSpool spool;
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), spool.path());
        cli.setProcessEnvironment(env);
        cli.start(cliPath(),
                  {QStringLiteral("run"), QStringLiteral("--title"),
                   QStringLiteral("Echo and fail"), QStringLiteral("--"), QStringLiteral("cmd"),
                   QStringLiteral("/c"), QStringLiteral("echo hi & exit 3")});
        QVERIFY2(cli.waitForFinished(60000), qPrintable(cli.errorString()));
        QCOMPARE(cli.exitCode(), 3);
        QVERIFY(cli.readAllStandardOutput().contains("hi"));

        MainWindow window(spool.path(), spool.historyPath());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(waitFor([&] { return window.store()->count() == 1; }));
        const Session &s = window.store()->at(0);
        QVERIFY(waitFor([&] { return window.store()->at(0).state == SessionState::Failed; }));
        QCOMPARE(s.title, QStringLiteral("Echo and fail"));
        QCOMPARE(s.exitCode, std::optional<int>(3));

        auto *table = window.findChild<QTableView *>();
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(table->model()->index(0, SessionTableModel::Title).data().toString(),
                 QStringLiteral("Echo and fail"));
        QCOMPARE(table->model()->index(0, 0).data(SessionTableModel::StateRole).toInt(),
                 int(SessionState::Failed));

        LogPane *pane = window.openLog(s.key);
        QVERIFY(pane);
        QVERIFY(waitFor([&] { return pane->model()->rowCount() >= 1; }));
        bool found = false;
        for (int row = 0; row < pane->model()->rowCount(); ++row)
            found = found
                    || pane->model()->index(row).data(LogModel::MessageRole).toString().trimmed()
                           == QLatin1String("hi"); // cmd echoes "hi " (the space before &)
        QVERIFY2(found, "the log pane does not show the line hi");
    }
};

KW_TEST_MAIN(TestWindowsWindow)
#include "tst_windowswindow.moc"
