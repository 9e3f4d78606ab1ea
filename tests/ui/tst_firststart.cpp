// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "firststart.h"
#include "logpane.h"
#include "mainwindow.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

// Sets an environment variable for one scope, and puts the old value back.
class ScopedEnv final {
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name)) {
        qputenv(name, value);
    }
    ~ScopedEnv() {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    Q_DISABLE_COPY_MOVE(ScopedEnv)

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

// A small real directory, so the sample runs in seconds on a busy machine.
const QString kSmallSource = QStringLiteral("/usr/share/common-licenses");

} // namespace

class TestFirstStart final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TempSpool> m_spool;
    std::unique_ptr<QTemporaryDir> m_state;
    std::unique_ptr<ScopedEnv> m_stateEnv;
    std::unique_ptr<ScopedEnv> m_cacheEnv;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QStringLiteral("Keepwatch"), QStringLiteral("keepwatch")).clear();
    }
    void init() {
        m_spool = std::make_unique<TempSpool>();
        m_state = std::make_unique<QTemporaryDir>();
        // The sample lives under the state directory: this test's own.
        m_stateEnv =
            std::make_unique<ScopedEnv>("XDG_STATE_HOME", QFile::encodeName(m_state->path()));
        m_cacheEnv = std::make_unique<ScopedEnv>(
            "XDG_CACHE_HOME", QFile::encodeName(m_state->filePath(QStringLiteral("cache"))));
    }
    void cleanup() {
        m_cacheEnv.reset();
        m_stateEnv.reset();
        m_state.reset();
        m_spool.reset();
    }

    // The page says what to do: the wrapper, launching from the window, and
    // which spool is watched.
    void explainsWhatToDo() {
        FirstStart page(m_spool->path());
        const auto *hint = page.findChild<QLabel *>(QStringLiteral("emptyHint"));
        QVERIFY(hint);
        QVERIFY(hint->text().contains(QLatin1String("keepwatch-cli run -- restic")));
        QVERIFY(hint->text().contains(QString::fromUtf8("New Session…")));
        QVERIFY(hint->text().contains(m_spool->path()));
        QSignalSpy wantsNew(&page, &FirstStart::newSessionRequested);
        QTest::mouseClick(page.newSessionButton(), Qt::LeftButton);
        QCOMPARE(wantsNew.size(), 1);
        QCOMPARE(page.sampleDirectory(), m_state->path() + QLatin1String("/keepwatch/sample"));
    }

    // Without restic, the sample is offered disabled, with the reason.
    void withoutResticTheSampleIsDisabled() {
        QTemporaryDir emptyBin;
        const ScopedEnv path("PATH", QFile::encodeName(emptyBin.path()));
        FirstStart page(m_spool->path());
        QVERIFY(page.resticProgram().isEmpty());
        QVERIFY(!page.sampleButton()->isEnabled());
        QVERIFY2(page.statusText().contains(QLatin1String("restic, which is not installed")),
                 qPrintable(page.statusText()));
        QVERIFY(page.statusText().contains(QLatin1String("apt install restic")));
    }

    // The real thing, through the window: an empty window shows the page;
    // the sample creates a private scratch repository with restic, and runs
    // a real backup through keepwatch-cli, which appears live with its log
    // open and ends succeeded. A second sample reuses the repository.
    void sampleBackupRunsForReal() {
        if (QStandardPaths::findExecutable(QStringLiteral("restic")).isEmpty())
            QSKIP("restic is not installed (scripts/install-deps.sh installs it)");
        MainWindow window(m_spool->path());
        window.setCliProgram(cliPath());
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        FirstStart *page = window.firstStart();
        QVERIFY(page->isVisible());
        QVERIFY(!window.sessionTable()->isVisible());
        QVERIFY(page->sampleButton()->isEnabled());
        page->setSampleSource(kSmallSource);

        QSignalSpy launched(page, &FirstStart::sampleLaunched);
        QTest::mouseClick(page->sampleButton(), Qt::LeftButton);
        QVERIFY2(launched.wait(60000), qPrintable(page->statusText()));
        const QString id = launched.first().first().toString();

        // The password: generated, private, never on a command line.
        const QString dir = page->sampleDirectory();
        QFile password(dir + QLatin1String("/password"));
        // 0600: the owner reads and writes, nobody else anything (the
        // "User" flags repeat the owner's for the user running the test).
        const auto userFlags = QFile::ReadUser | QFile::WriteUser | QFile::ExeUser;
        QCOMPARE(password.permissions() & ~userFlags, QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY(password.open(QIODevice::ReadOnly));
        const QByteArray secret = password.readAll().trimmed();
        QVERIFY(secret.size() >= 24);
        QVERIFY(QFile::exists(dir + QLatin1String("/repository/config")));

        // The session appears live, its log opens, and it succeeds.
        QTRY_VERIFY_WITH_TIMEOUT(window.sessionTable()->isVisible(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(window.logPane({QStringLiteral("spool"), id}) != nullptr, 30000);
        const SessionStore *store = window.store();
        const auto session = [&] {
            return store->at(store->rowsWithId(id).first());
        };
        QTRY_VERIFY_WITH_TIMEOUT(!isActive(session().state), 120000);
        QCOMPARE(session().state, SessionState::Succeeded);
        QCOMPARE(session().tool, QStringLiteral("restic"));
        QCOMPARE(session().kind, SessionKind::Backup);
        QCOMPARE(session().title, QStringLiteral("Sample backup of %1").arg(kSmallSource));
        QVERIFY(session().progress.filesDone.value_or(0) > 0);
        QVERIFY(!session().command.join(QLatin1Char(' ')).contains(QString::fromLatin1(secret)));

        // restic itself: one snapshot of the sample source in the repository.
        QProcess restic;
        restic.start(QStringLiteral("restic"),
                     {QStringLiteral("--repo"), dir + QLatin1String("/repository"),
                      QStringLiteral("--password-file"), password.fileName(),
                      QStringLiteral("snapshots"), QStringLiteral("--json")});
        QVERIFY(restic.waitForFinished(60000));
        QCOMPARE(restic.exitCode(), 0);
        const QJsonArray snapshots =
            QJsonDocument::fromJson(restic.readAllStandardOutput()).array();
        QCOMPARE(snapshots.size(), 1);
        QCOMPARE(
            snapshots.first().toObject().value(QLatin1String("paths")).toArray().first().toString(),
            kSmallSource);

        // Again: the same repository and password, a second session.
        launched.clear();
        QTest::mouseClick(page->sampleButton(), Qt::LeftButton);
        // No init this time: it starts at once.
        QTRY_COMPARE_WITH_TIMEOUT(launched.size(), 1, 30000);
        const QString second = launched.first().first().toString();
        QVERIFY(second != id);
        QTRY_VERIFY_WITH_TIMEOUT(!store->rowsWithId(second).isEmpty()
                                     && store->at(store->rowsWithId(second).first()).state
                                            == SessionState::Succeeded,
                                 120000);
        password.seek(0);
        QCOMPARE(password.readAll().trimmed(), secret);
    }

    // restic refusing (here: the repository path is a file) is shown, not hidden.
    void initFailureIsShown() {
        if (QStandardPaths::findExecutable(QStringLiteral("restic")).isEmpty())
            QSKIP("restic is not installed");
        FirstStart page(m_spool->path());
        page.setCliProgram(cliPath());
        const QString dir = page.sampleDirectory();
        QVERIFY(QDir().mkpath(dir));
        QFile blocker(dir + QLatin1String("/repository"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.write("not a repository");
        blocker.close();
        QSignalSpy launched(&page, &FirstStart::sampleLaunched);
        QTest::mouseClick(page.sampleButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            page.statusText().startsWith(QLatin1String("restic could not create")), 60000);
        QVERIFY(page.sampleButton()->isEnabled());
        QCOMPARE(launched.size(), 0);
    }
};

KW_TEST_MAIN(TestFirstStart)
#include "tst_firststart.moc"
