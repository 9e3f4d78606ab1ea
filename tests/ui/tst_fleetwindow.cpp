// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/fleetlink.h"
#include "fleet/remotespools.h"
#include "historymonitor.h"
#include "hostsview.h"
#include "mainwindow.h"
#include "models/hostmodel.h"
#include "models/sessiontablemodel.h"
#include "mosquittobroker.h"
#include "settings/appsettings.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <csignal>
#include <memory>

using namespace kw;
using namespace kw::test;

namespace {

QString password(const QString &user) {
    return QStringLiteral("secret-of-") + user;
}

void stop(QProcess &process) {
    if (process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(process.processId()), SIGTERM);
    if (!process.waitForFinished(5000)) {
        process.kill();
        process.waitForFinished();
    }
}

} // namespace

// The window's own broker connection (Settings, docs/fleet.md): it mirrors
// every host like `keepwatch-cli collect` and cancels another host's
// session through its agent, or says why it cannot. A real Mosquitto on
// loopback, a real agent and a real `keepwatch-cli run` behind it.
class TestFleetWindow final : public QObject {
    Q_OBJECT

    std::unique_ptr<MosquittoBroker> m_broker;
    std::unique_ptr<QTemporaryDir> m_work;
    std::vector<std::unique_ptr<QProcess>> m_processes;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QByteArray m_stateBefore;

    QString path(const QString &name) const {
        const QString p = m_work->filePath(name);
        QDir().mkpath(p);
        return p;
    }
    QString spool(const QString &host) const { return path(host + QStringLiteral("-spool")); }

    QProcess *startCli(const QStringList &args, const QString &host = QStringLiteral("web01")) {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), spool(host));
        process->setProcessEnvironment(env);
        process->start(cliPath(), args);
        m_processes.push_back(std::move(process));
        return m_processes.back().get();
    }

    // `host`'s agent.
    QProcess *startAgent(const QString &host, bool allowRemoteCancel) {
        QStringList args{QStringLiteral("agent"),
                         QStringLiteral("--host"),
                         host,
                         QStringLiteral("--state-dir"),
                         path(host + QStringLiteral("-agent")),
                         QStringLiteral("--broker"),
                         m_broker->url(),
                         QStringLiteral("--username"),
                         host,
                         QStringLiteral("--password-file"),
                         m_broker->passwordFile(host, password(host))};
        if (allowRemoteCancel)
            args << QStringLiteral("--allow-remote-cancel");
        return startCli(args, host);
    }
    // A wrapped `sleep` on `host`.
    QProcess *startSleeper(const QString &host, const QString &sessionId) {
        return startCli({QStringLiteral("run"), QStringLiteral("--session-id"), sessionId,
                         QStringLiteral("--"), QStringLiteral("sleep"), QStringLiteral("60")},
                        host);
    }
    // web01's agent, and a wrapped `sleep` on web01.
    QProcess *startHost(bool allowRemoteCancel) {
        startAgent(QStringLiteral("web01"), allowRemoteCancel);
        return startSleeper(QStringLiteral("web01"), QStringLiteral("sleeper"));
    }

    // The window, its Settings naming the broker as `user` (none: no broker).
    void startWindow(const QString &user, const QString &historyPath = {}) {
        AppSettings settings = AppSettings::load();
        if (!user.isEmpty()) {
            settings.broker.url = m_broker->url();
            settings.broker.username = user;
            settings.broker.passwordFile = m_broker->passwordFile(user, password(user));
        }
        settings.save();
        m_window = std::make_unique<MainWindow>(path(QStringLiteral("desk-spool")), historyPath);
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_window->sessionTable()->model(),
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    // Selects web01's sleeper once the window lists it.
    void selectSleeper() {
        QTableView *table = m_window->sessionTable();
        int found = -1;
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (int r = 0; r < table->model()->rowCount(); ++r) {
                    if (table->model()->index(r, SessionTableModel::Id).data().toString()
                        == QLatin1String("sleeper"))
                        found = r;
                }
                return found >= 0;
            },
            20000));
        QCOMPARE(table->model()->index(found, SessionTableModel::Host).data().toString(),
                 QStringLiteral("web01"));
        table->setFocus();
        table->selectRow(found);
    }

    QString sleeperState() const {
        const QAbstractItemModel *model = m_window->sessionTable()->model();
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->index(r, SessionTableModel::Id).data().toString()
                == QLatin1String("sleeper"))
                return model->index(r, SessionTableModel::State).data().toString();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase() {
        const QString reason = MosquittoBroker::unavailableReason();
        if (!reason.isEmpty())
            QSKIP(qPrintable(reason));
        QStandardPaths::setTestModeEnabled(true);
        m_stateBefore = qgetenv("XDG_STATE_HOME");
    }

    void init() {
        userSettings().clear();
        m_work = std::make_unique<QTemporaryDir>();
        QVERIFY(m_work->isValid());
        // The window mirrors into this state directory, not the user's.
        qputenv("XDG_STATE_HOME", QFile::encodeName(path(QStringLiteral("desk-state"))));
        m_broker = std::make_unique<MosquittoBroker>();
        QString error;
        for (const char *user : {"web01", "db01", "desk-admin", "desk-viewer"}) {
            const QString name = QString::fromLatin1(user);
            QVERIFY2(m_broker->addUser(name, password(name), &error), qPrintable(error));
        }
        QVERIFY2(m_broker->start(&error), qPrintable(error));
    }

    void cleanup() {
        m_tester.reset();
        m_window.reset();
        for (auto &process : m_processes)
            stop(*process);
        m_processes.clear();
        m_broker.reset();
        m_work.reset();
        userSettings().clear();
        qputenv("XDG_STATE_HOME", m_stateBefore);
    }

    // The admins' desktop: web01's session mirrored by the window itself
    // (the lock keeps `collect` out of the same mirrors), and cancelled
    // through web01's agent after a confirmation.
    void theWindowMirrorsAndCancelsThroughTheBroker() {
        QProcess *sleeper = startHost(true);
        startWindow(QStringLiteral("desk-admin"));
        QVERIFY(m_window->fleetLink());
        auto *brokerState = m_window->findChild<QLabel *>(QStringLiteral("brokerState"));
        QTRY_VERIFY_WITH_TIMEOUT(
            brokerState->text().contains(QLatin1String("connected, "
                                                       "mirroring every host")),
            10000);
        selectSleeper();
        QTRY_COMPARE_WITH_TIMEOUT(m_window->hosts()->model()->rowCount(), 1, 10000);

        // One writer per mirror.
        QProcess collect;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), path(QStringLiteral("desk-state")));
        collect.setProcessEnvironment(env);
        collect.start(cliPath(),
                      {QStringLiteral("collect"), QStringLiteral("--broker"), m_broker->url()});
        QVERIFY(collect.waitForFinished(10000));
        QCOMPARE(collect.exitCode(), 1);
        QVERIFY2(collect.readAllStandardError().contains("already mirrors into"), "");

        QAction *cancel = m_window->cancelSessionAction();
        QTRY_VERIFY(cancel->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(cancel->toolTip(),
                                  QStringLiteral("Ask the session's host to stop it, through the "
                                                 "broker"),
                                  10000);
        cancel->trigger();
        auto *box = m_window->findChild<QMessageBox *>(QStringLiteral("cancelConfirmation"));
        QVERIFY(box);
        box->button(QMessageBox::Yes)->click();
        QVERIFY(sleeper->waitForFinished(15000));
        QTRY_COMPARE_WITH_TIMEOUT(sleeperState(), QStringLiteral("cancelled"), 15000);
    }

    // Two hosts' live sessions are in the window within a second of their
    // start, each under its host (the window already connected, mirroring).
    void bothHostsAppearWithinASecond() {
        startWindow(QStringLiteral("desk-admin"));
        auto *brokerState = m_window->findChild<QLabel *>(QStringLiteral("brokerState"));
        QTRY_VERIFY_WITH_TIMEOUT(brokerState->text().contains(QLatin1String("mirroring")), 10000);
        QProcess *web = startAgent(QStringLiteral("web01"), false);
        QProcess *db = startAgent(QStringLiteral("db01"), false);
        for (QProcess *agent : {web, db}) {
            QByteArray said;
            QVERIFY(QTest::qWaitFor(
                [&] {
                    said += agent->readAllStandardError();
                    return said.contains("connected");
                },
                10000));
        }
        QElapsedTimer timer;
        timer.start();
        startSleeper(QStringLiteral("web01"), QStringLiteral("web-live"));
        startSleeper(QStringLiteral("db01"), QStringLiteral("db-live"));
        const QAbstractItemModel *model = m_window->sessionTable()->model();
        const auto hostOf = [&](const QString &id) {
            for (int r = 0; r < model->rowCount(); ++r) {
                if (model->index(r, SessionTableModel::Id).data().toString() == id)
                    return model->index(r, SessionTableModel::Host).data().toString();
            }
            return QString();
        };
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !hostOf(QStringLiteral("web-live")).isEmpty()
                       && !hostOf(QStringLiteral("db-live")).isEmpty();
            },
            10000));
        const qint64 elapsed = timer.elapsed();
        qInfo("both hosts' sessions in the window %lld ms after they were started", elapsed);
        QCOMPARE(hostOf(QStringLiteral("web-live")), QStringLiteral("web01"));
        QCOMPARE(hostOf(QStringLiteral("db-live")), QStringLiteral("db01"));
        QVERIFY2(elapsed < 1000 * timeoutScale(), qPrintable(QString::number(elapsed)));
        QTRY_COMPARE(m_window->hosts()->model()->rowCount(), 2);
    }

    // The happy path's last word: two hosts' finished runs, recorded by the
    // window into its history while it mirrored them, are what
    // `keepwatch-cli reindex` rebuilds from the mirrors, and every mirror
    // is byte-identical to its host's spool file.
    void theHistoryEqualsARebuildFromTheMirrors() {
        const QString state = path(QStringLiteral("desk-state"));
        const QString history = state + QStringLiteral("/history.db");
        startWindow(QStringLiteral("desk-admin"), history);
        auto *brokerState = m_window->findChild<QLabel *>(QStringLiteral("brokerState"));
        QTRY_VERIFY_WITH_TIMEOUT(brokerState->text().contains(QLatin1String("mirroring")), 10000);
        struct Run {
            QString host;
            QString id;
            int exitCode;
            QString endState;
        };
        const QList<Run> runs{
            {QStringLiteral("web01"), QStringLiteral("web-nightly"), 3, QStringLiteral("failed")},
            {QStringLiteral("db01"), QStringLiteral("db-nightly"), 0, QStringLiteral("succeeded")}};
        for (const Run &run : runs) {
            startAgent(run.host, false);
            startCli({QStringLiteral("run"), QStringLiteral("--session-id"), run.id,
                      QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                      QStringLiteral("for i in $(seq 1 500); do echo \"%1 line $i\"; "
                                     "[ $((i % 100)) -eq 0 ] && sleep 0.05; done; exit %2")
                          .arg(run.host)
                          .arg(run.exitCode)},
                     run.host);
        }
        const QAbstractItemModel *model = m_window->sessionTable()->model();
        const auto stateOf = [&](const QString &id) {
            for (int r = 0; r < model->rowCount(); ++r) {
                if (model->index(r, SessionTableModel::Id).data().toString() == id)
                    return model->index(r, SessionTableModel::State).data().toString();
            }
            return QString();
        };
        for (const Run &run : runs)
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(run.id), run.endState, 20000);
        // Closed: the recorder commits what it has.
        m_tester.reset();
        m_window.reset();

        const QString remote = RemoteSpools::root(state + QStringLiteral("/keepwatch"));
        for (const Run &run : runs) {
            QFile mirror(QStringLiteral("%1/%2/%3.jsonl").arg(remote, run.host, run.id));
            QFile original(QStringLiteral("%1/%2.jsonl").arg(spool(run.host), run.id));
            QVERIFY2(mirror.open(QIODevice::ReadOnly), qPrintable(mirror.fileName()));
            QVERIFY(original.open(QIODevice::ReadOnly));
            QCOMPARE(mirror.readAll(), original.readAll());
        }

        const QString rebuilt = m_work->filePath(QStringLiteral("rebuilt.db"));
        QProcess reindex;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), state);
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), path(QStringLiteral("desk-spool")));
        reindex.setProcessEnvironment(env);
        reindex.start(cliPath(),
                      {QStringLiteral("reindex"), QStringLiteral("--database"), rebuilt});
        QVERIFY(reindex.waitForFinished(30000));
        const QByteArray said = reindex.readAllStandardOutput() + reindex.readAllStandardError();
        QVERIFY2(reindex.exitCode() == 0, said.constData());
        QVERIFY2(said.contains("the mirrors of 2 hosts"), said.constData());

        const QStringList recorded = dumpHistory(history);
        QCOMPARE(recorded.size(), 2);
        for (const Run &run : runs) {
            QVERIFY2(std::any_of(recorded.cbegin(), recorded.cend(),
                                 [&](const QString &entry) {
                                     return entry.contains(QStringLiteral("\"source\":\"remote:")
                                                           + run.host)
                                            && entry.contains(run.host
                                                              + QStringLiteral(" line 500"));
                                 }),
                     qPrintable(run.id));
        }
        QCOMPARE(recorded, dumpHistory(rebuilt));
    }

    // Whoever cannot cancel is told why before pressing (the action's tip)
    // and when pressing (a box), and nothing is stopped.
    void aWindowThatCannotCancelSaysWhy_data() {
        QTest::addColumn<QString>("user");
        QTest::addColumn<bool>("agentAllows");
        QTest::addColumn<QString>("why");
        QTest::newRow("viewer") << QStringLiteral("desk-viewer") << true
                                << QStringLiteral("Not authorized (0x87)");
        QTest::newRow("agent without the option")
            << QStringLiteral("desk-admin") << false
            << QStringLiteral("agent of web01 does not take remote cancels");
        QTest::newRow("no broker")
            << QString() << true << QStringLiteral("set a broker in Settings");
    }
    void aWindowThatCannotCancelSaysWhy() {
        QFETCH(QString, user);
        QFETCH(bool, agentAllows);
        QFETCH(QString, why);
        QProcess *sleeper = startHost(agentAllows);
        if (user.isEmpty()) {
            // Mirrored by `collect` then, the window only reads.
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("XDG_STATE_HOME"), path(QStringLiteral("desk-state")));
            auto collect = std::make_unique<QProcess>();
            collect->setProcessEnvironment(env);
            collect->start(cliPath(),
                           {QStringLiteral("collect"), QStringLiteral("--broker"), m_broker->url(),
                            QStringLiteral("--username"), QStringLiteral("desk-admin"),
                            QStringLiteral("--password-file"),
                            m_broker->passwordFile(QStringLiteral("desk-admin"),
                                                   password(QStringLiteral("desk-admin")))});
            m_processes.push_back(std::move(collect));
        }
        startWindow(user);
        selectSleeper();
        QAction *cancel = m_window->cancelSessionAction();
        QTRY_VERIFY(cancel->isEnabled());
        QTRY_VERIFY2_WITH_TIMEOUT(cancel->toolTip().contains(why), qPrintable(cancel->toolTip()),
                                  10000);
        cancel->trigger();
        QVERIFY(!m_window->findChild<QMessageBox *>(QStringLiteral("cancelConfirmation")));
        auto *refused = m_window->findChild<QMessageBox *>(QStringLiteral("cancelRefused"));
        QVERIFY(refused);
        QVERIFY2(refused->informativeText().contains(why), qPrintable(refused->informativeText()));
        QTest::qWait(500);
        QCOMPARE(sleeper->state(), QProcess::Running);
    }
};

KW_TEST_MAIN(TestFleetWindow)
#include "tst_fleetwindow.moc"
