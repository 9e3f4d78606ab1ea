// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "filterbar.h"
#include "mainwindow.h"
#include "models/sessiontablemodel.h"
#include "spool/systemspool.h"
#include "testsupport.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <grp.h>
#include <memory>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace kw;
using namespace kw::test;

namespace {
// Set in the windows run as another user: who they run as.
constexpr const char *kWindowAsVariable = "KEEPWATCH_TEST_WINDOW_AS";
} // namespace

// The issue's "done when", end to end with real users: the system spool set
// up by `keepwatch-cli system-spool init`, root's cron-style
// `keepwatch-cli run -- restic … backup` (no options), and the window of a
// member of group keepwatch showing it live, as root's, locked against
// cancelling; an outsider's window shows a note instead.
//
// The window must run as those users, so this program runs itself again
// under setpriv, as WindowAsUser (KEEPWATCH_TEST_WINDOW_AS says who it is),
// one of its test functions per run. Needs root to make users and
// run as them; CI runs the tests as root.
class TestSystemWindow final : public QObject {
    Q_OBJECT

    static constexpr int kChildTimeoutMs = 180000;

    QTemporaryDir m_work; // 0755: every user passes through
    QString m_root;       // the system spool
    QString m_member;
    QString m_outsider;
    ThrowawayUsers m_users{QStringLiteral("kwwin")};

    QString path(const QString &name) const { return m_work.filePath(name); }

    // The environment root's cron gives a job: no KEEPWATCH_SPOOL, so the
    // wrapper chooses the system spool by itself.
    QProcessEnvironment rootEnvironment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("KEEPWATCH_SPOOL"));
        env.insert(QString::fromLatin1(SystemSpool::kEnvironmentVariable), m_root);
        env.insert(QStringLiteral("RESTIC_PASSWORD"), QStringLiteral("keepwatch-test"));
        env.insert(QStringLiteral("RESTIC_CACHE_DIR"), path(QStringLiteral("restic-cache")));
        return env;
    }

    // A home of its own for `user` (the window keeps settings there) and an
    // empty spool of its own.
    QProcessEnvironment environmentOf(const QString &user) const {
        const QString home = path(QStringLiteral("home-") + user);
        QDir().mkpath(home + QStringLiteral("/spool"));
        QDir().mkpath(home + QStringLiteral("/runtime"));
        ::chmod(QFile::encodeName(home + QStringLiteral("/runtime")).constData(), 0700);
        runProgram(QStringLiteral("chown"), {QStringLiteral("-R"), user, home});
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_STATE_HOME"), home + QStringLiteral("/state"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home + QStringLiteral("/runtime"));
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), home + QStringLiteral("/spool"));
        env.insert(QString::fromLatin1(SystemSpool::kEnvironmentVariable), m_root);
        env.insert(QString::fromLatin1(kWindowAsVariable), user);
        env.remove(QStringLiteral("KEEPWATCH_DISCOVERY")); // /proc is read, as by default
        env.insert(QStringLiteral("KEEPWATCH_TEST_REPOSITORY"), path(QStringLiteral("repo")));
        return env;
    }

    // This program as `user`, running one test function: its output (QTest's
    // report) and whether it passed.
    struct Child {
        std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
        QByteArray output() { return process->readAll(); }
    };
    Child startWindowAs(const QString &user, const char *function) const {
        Child child;
        child.process->setProcessEnvironment(environmentOf(user));
        child.process->setProcessChannelMode(QProcess::MergedChannels);
        const QStringList command =
            asUser(user, {QCoreApplication::applicationFilePath(), QString::fromLatin1(function)});
        child.process->start(command.first(), command.mid(1));
        return child;
    }
    static bool passed(Child &child, QByteArray &output) {
        const bool ended = child.process->waitForFinished(kChildTimeoutMs);
        if (!ended)
            child.process->kill();
        child.process->waitForFinished();
        output = child.output();
        return ended && child.process->exitStatus() == QProcess::NormalExit
               && child.process->exitCode() == 0 && output.contains("Totals: ")
               && !output.contains("SKIP");
    }

    void makeTree(const QString &root, int files, int bytesEach) {
        QRandomGenerator rng(14);
        QDir().mkpath(root);
        for (int i = 0; i < files; ++i) {
            QFile f(root + QStringLiteral("/file%1.bin").arg(i));
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray data(bytesEach, '\0');
            rng.fillRange(reinterpret_cast<quint32 *>(data.data()), bytesEach / 4);
            f.write(data);
        }
    }

private slots:
    void initTestCase() {
        if (::geteuid() != 0)
            QSKIP("needs root: sets up the system spool, makes throwaway users and runs the "
                  "window as them (CI runs the tests as root)");
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("restic")).isEmpty(),
                 "restic is not installed (scripts/install-deps.sh test)");
        QVERIFY(m_work.isValid());
        QCOMPARE(::chmod(QFile::encodeName(m_work.path()).constData(), 0755), 0);
        m_root = path(QStringLiteral("system-spool"));

        // What an admin runs: the set-up command, which makes the group too.
        QByteArray out;
        QVERIFY2(runProgram(cliPath(), {QStringLiteral("system-spool"), QStringLiteral("init")},
                            rootEnvironment(), &out),
                 out.constData());
        m_member = m_users.add(QStringLiteral("in"), {QString::fromLatin1(SystemSpool::kGroup)});
        m_outsider = m_users.add(QStringLiteral("out"));
        QVERIFY(!m_member.isEmpty() && !m_outsider.isEmpty());

        makeTree(path(QStringLiteral("src")), 12, 64 * 1024);
        QVERIFY2(
            runProgram(QStringLiteral("restic"),
                       {QStringLiteral("-r"), path(QStringLiteral("repo")), QStringLiteral("init")},
                       rootEnvironment(), &out),
            out.constData());
    }

    // Root's backup, started as cron would, while the member's window is open.
    void rootsBackupIsLiveInAMembersWindow() {
        Child window = startWindowAs(m_member, "memberWatchesRootsBackup");
        QVERIFY(window.process->waitForStarted());

        // 768 KiB at 48 KiB/s: some 16 s of a running backup to watch.
        QProcess wrapper;
        wrapper.setProcessEnvironment(rootEnvironment());
        wrapper.start(cliPath(), {QStringLiteral("run"), QStringLiteral("--session-id"),
                                  QStringLiteral("root-nightly"), QStringLiteral("--"),
                                  QStringLiteral("restic"), QStringLiteral("-r"),
                                  path(QStringLiteral("repo")), QStringLiteral("backup"),
                                  QStringLiteral("--json"), QStringLiteral("--limit-upload"),
                                  QStringLiteral("48"), path(QStringLiteral("src"))});
        QVERIFY(wrapper.waitForStarted());

        // keepwatch-cli list as the member, while it runs: root's, with bytes.
        QJsonObject listed;
        QVERIFY(waitFor(
            [&] {
                QByteArray json;
                const QStringList command =
                    asUser(m_member, {cliPath(), QStringLiteral("list"), QStringLiteral("--json")});
                runProgram(command.first(), command.mid(1), environmentOf(m_member), &json);
                const QJsonArray sessions = QJsonDocument::fromJson(json).array();
                listed = sessions.isEmpty() ? QJsonObject() : sessions.first().toObject();
                return listed.value(QLatin1String("bytes_done")).toInteger() > 0;
            },
            30000));
        QCOMPARE(listed.value(QLatin1String("id")).toString(), QStringLiteral("root-nightly"));
        QCOMPARE(listed.value(QLatin1String("user")).toString(), QStringLiteral("root"));
        QCOMPARE(listed.value(QLatin1String("source")).toString(), QStringLiteral("system:root"));
        QCOMPARE(listed.value(QLatin1String("state")).toString(), QStringLiteral("running"));

        QVERIFY(wrapper.waitForFinished(120000));
        QCOMPARE(wrapper.exitCode(), 0);
        QByteArray output;
        QVERIFY2(passed(window, output), output.constData());
    }

    void outsiderSeesANoteInstead() {
        QByteArray out;
        QVERIFY2(
            runProgram(cliPath(),
                       {QStringLiteral("run"), QStringLiteral("--session-id"),
                        QStringLiteral("root-quick"), QStringLiteral("--"), QStringLiteral("true")},
                       rootEnvironment(), &out),
            out.constData());
        Child window = startWindowAs(m_outsider, "outsiderIsToldWhy");
        QByteArray output;
        QVERIFY2(passed(window, output), output.constData());
    }
};

// What the member's and the outsider's windows must show: run by
// TestSystemWindow as those users, one function per run.
class WindowAsUser final : public QObject {
    Q_OBJECT

    struct Window {
        std::unique_ptr<MainWindow> window;
        std::unique_ptr<QAbstractItemModelTester> tester;
        QAbstractItemModel *model() const { return window->sessionTable()->model(); }
        int rowOf(const QString &id) const {
            for (int r = 0; r < model()->rowCount(); ++r) {
                if (model()->index(r, SessionTableModel::Id).data().toString() == id)
                    return r;
            }
            return -1;
        }
        QString text(int row, int column) const {
            return model()->index(row, column).data().toString();
        }
    };
    static void openWindow(Window &w) {
        QStandardPaths::setTestModeEnabled(true);
        w.window = std::make_unique<MainWindow>(qEnvironmentVariable("KEEPWATCH_SPOOL"));
        w.tester = std::make_unique<QAbstractItemModelTester>(
            w.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        w.window->resize(1200, 700);
        w.window->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window.get()));
    }

private slots:
    void memberWatchesRootsBackup() {
        Window w;
        openWindow(w);
        const QString id = QStringLiteral("root-nightly");
        QTRY_VERIFY_WITH_TIMEOUT(w.rowOf(id) >= 0, 30000);
        int row = w.rowOf(id);
        QCOMPARE(w.text(row, SessionTableModel::User), QStringLiteral("root"));
        QCOMPARE(w.text(row, SessionTableModel::Source), QStringLiteral("system spool"));
        // Live: running, with restic's own progress.
        QTRY_VERIFY_WITH_TIMEOUT(!w.text(w.rowOf(id), SessionTableModel::Bytes).isEmpty(), 30000);
        row = w.rowOf(id);
        QCOMPARE(w.text(row, SessionTableModel::State), QStringLiteral("running"));
        // One row: root's restic, seen in /proc too, is known as wrapped (other
        // tests' tools may run beside it, so its repository tells it apart).
        const QString repository = w.text(row, SessionTableModel::Target);
        QCOMPARE(repository, qEnvironmentVariable("KEEPWATCH_TEST_REPOSITORY"));
        int rowsOfIt = 0;
        for (int r = 0; r < w.model()->rowCount(); ++r)
            rowsOfIt += w.text(r, SessionTableModel::Target) == repository;
        QCOMPARE(rowsOfIt, 1);

        // Locked: another user's, and the tooltip says what works.
        const QModelIndex user = w.model()->index(row, SessionTableModel::User);
        QVERIFY(!user.data(Qt::DecorationRole).value<QIcon>().isNull());
        QCOMPARE(user.data(Qt::ToolTipRole).toString(),
                 QStringLiteral("session 'root-nightly' is root's: only root can cancel it (sudo "
                                "keepwatch-cli cancel root-nightly --source system:root)"));

        // Cancel explains instead of trying; the backup goes on.
        QTableView *table = w.window->sessionTable();
        table->selectionModel()->select(w.model()->index(row, 0),
                                        QItemSelectionModel::ClearAndSelect
                                            | QItemSelectionModel::Rows);
        auto *cancel = w.window->findChild<QAction *>(QStringLiteral("cancelSession"));
        QVERIFY(cancel->isEnabled());
        cancel->trigger();
        auto *refused = w.window->findChild<QMessageBox *>(QStringLiteral("cancelRefused"));
        QVERIFY(refused);
        QVERIFY2(refused->informativeText().contains(
                     QStringLiteral("sudo keepwatch-cli cancel root-nightly --source system:root")),
                 qPrintable(refused->informativeText()));
        QVERIFY(!w.window->findChild<QMessageBox *>(QStringLiteral("cancelConfirmation")));
        refused->close();

        // Mine hides it, System shows it.
        w.window->filterBar()->setOwners(SessionFilter::Owners::Mine);
        QCOMPARE(w.rowOf(id), -1);
        w.window->filterBar()->setOwners(SessionFilter::Owners::Others);
        QVERIFY(w.rowOf(id) >= 0);

        // Its real outcome, once root's backup ends.
        QTRY_COMPARE_WITH_TIMEOUT(w.text(w.rowOf(id), SessionTableModel::State),
                                  QStringLiteral("succeeded"), 120000);
        // Ended: nothing left to cancel, no lock.
        QVERIFY(w.model()
                    ->index(w.rowOf(id), SessionTableModel::User)
                    .data(Qt::DecorationRole)
                    .value<QIcon>()
                    .isNull());
    }

    void outsiderIsToldWhy() {
        Window w;
        openWindow(w);
        auto *notice = w.window->findChild<QLabel *>(QStringLiteral("sourceNotice"));
        QTRY_VERIFY_WITH_TIMEOUT(notice->isVisible(), 10000);
        QCOMPARE(notice->text(),
                 QStringLiteral("not in group keepwatch: root's and service users' backups are "
                                "hidden (sudo adduser %1 keepwatch, then log in again)")
                     .arg(qEnvironmentVariable(kWindowAsVariable)));
        // A note, not an error, and none of root's sessions (processes of
        // other tests running beside this one may be listed as discovered).
        auto *errors = w.window->findChild<QAbstractButton *>(QStringLiteral("sourceErrors"));
        QVERIFY(!errors->isVisible());
        QCOMPARE(w.rowOf(QStringLiteral("root-quick")), -1);
        for (int r = 0; r < w.model()->rowCount(); ++r)
            QCOMPARE(w.text(r, SessionTableModel::Source), QStringLiteral("discovered"));
    }
};

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QTEST_SET_MAIN_SOURCE_PATH
    if (qEnvironmentVariableIsSet(kWindowAsVariable)) {
        WindowAsUser checks;
        return QTest::qExec(&checks, argc, argv);
    }
    TestSystemWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_systemwindow.moc"
