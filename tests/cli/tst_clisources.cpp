// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "protocol/sessionid.h"
#include "settings/appsettings.h"
#include "sources/sourceset.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace kw;
using namespace kw::test;

// keepwatch-cli reads the same sources as the window: the spools added in
// the Settings dialog show in list, show, export and cancel, and the same
// session ID in two spools is two sessions.
class TestCliSources final : public QObject {
    Q_OBJECT

    TempSpool *m_own = nullptr;
    QTemporaryDir *m_extraDir = nullptr;
    QString m_extra;

    static QString settingsFile() {
        // QSettings("Keepwatch", "keepwatch") on Linux, as the window writes it.
        return QDir::homePath() + QStringLiteral("/.config/Keepwatch/keepwatch.conf");
    }

    // What the Settings dialog saves when the user adds `directory`.
    static void addSpoolInSettings(const QString &directory) {
        AppSettings settings = AppSettings::defaults();
        settings.spoolDirectories << directory;
        QSettings file(settingsFile(), QSettings::IniFormat);
        settings.save(file);
        file.sync();
        QCOMPARE(file.status(), QSettings::NoError);
    }

    void appendToExtra(const QString &name, const QList<Event> &events) const {
        QFile f(m_extra + QLatin1Char('/') + name);
        QVERIFY(f.open(QIODevice::Append));
        f.write(encode(events));
    }

    static QJsonArray list() {
        const CliResult r = runCli({QStringLiteral("list"), QStringLiteral("--json")});
        if (r.exitCode != 0)
            qWarning("list failed: %s", r.err.constData());
        return QJsonDocument::fromJson(r.out).array();
    }

    QString extraSource() const { return SourceSet::spoolIdentity(m_extra, false); }

private slots:
    void init() {
        m_own = new TempSpool;
        m_extraDir = new QTemporaryDir;
        m_extra = QDir::cleanPath(m_extraDir->path() + QStringLiteral("/system-spool"));
        QVERIFY(QDir().mkpath(m_extra));
        addSpoolInSettings(m_extra);
        m_own->append(
            QStringLiteral("nightly.jsonl"),
            encode({startEvent(QStringLiteral("nightly"), 1000, SessionKind::Backup,
                               QStringLiteral("restic"), QStringLiteral("own nightly"))}));
        appendToExtra(QStringLiteral("nightly.jsonl"),
                      {startEvent(QStringLiteral("nightly"), 2000, SessionKind::Backup,
                                  QStringLiteral("borg"), QStringLiteral("service nightly")),
                       endEvent(QStringLiteral("nightly"), 3000, SessionState::Failed, 2)});
        appendToExtra(QStringLiteral("db-dump.jsonl"),
                      {startEvent(QStringLiteral("db-dump"), 4000, SessionKind::Backup,
                                  QStringLiteral("rsync"), QStringLiteral("database dump")),
                       logEvent(QStringLiteral("db-dump"), 4100, "copied 12 files"),
                       endEvent(QStringLiteral("db-dump"), 5000, SessionState::Succeeded, 0)});
    }
    void cleanup() {
        QFile::remove(settingsFile());
        delete m_extraDir;
        delete m_own;
    }

    void listShowsTheSettingsSpool() {
        const QJsonArray sessions = list();
        QStringList seen;
        for (const QJsonValue &v : sessions) {
            const QJsonObject s = v.toObject();
            seen << s.value(QLatin1String("source")).toString() + QLatin1Char('|')
                        + s.value(QLatin1String("id")).toString() + QLatin1Char('|')
                        + s.value(QLatin1String("state")).toString();
        }
        seen.sort();
        QCOMPARE(seen, (QStringList{extraSource() + QStringLiteral("|db-dump|succeeded"),
                                    extraSource() + QStringLiteral("|nightly|failed"),
                                    QStringLiteral("spool|nightly|running")}));
        // The table too.
        const CliResult table = runCli({QStringLiteral("list")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains("database dump"), table.out.constData());
    }

    void showFindsItAndAsksWhichWhenAmbiguous() {
        const CliResult dump = runCli({QStringLiteral("show"), QStringLiteral("db-dump")});
        QCOMPARE(dump.exitCode, 0);
        QVERIFY(dump.out.contains("copied 12 files"));
        QVERIFY(dump.out.contains(extraSource().toUtf8()));

        const CliResult ambiguous = runCli({QStringLiteral("show"), QStringLiteral("nightly")});
        QCOMPARE(ambiguous.exitCode, 1);
        QVERIFY2(ambiguous.err.contains("is in 2 sources"), ambiguous.err.constData());
        QVERIFY(ambiguous.err.contains("--source"));

        const CliResult chosen =
            runCli({QStringLiteral("show"), QStringLiteral("nightly"), QStringLiteral("--source"),
                    extraSource(), QStringLiteral("--json")});
        QCOMPARE(chosen.exitCode, 0);
        const QJsonObject s = QJsonDocument::fromJson(chosen.out).object();
        QCOMPARE(s.value(QLatin1String("title")).toString(), QStringLiteral("service nightly"));
        QCOMPARE(s.value(QLatin1String("state")).toString(), QStringLiteral("failed"));
    }

    void exportIncludesIt_data() {
        QTest::addColumn<bool>("history");
        QTest::newRow("from the history") << true;
        QTest::newRow("--no-history") << false;
    }
    void exportIncludesIt() {
        QFETCH(bool, history);
        QStringList args{QStringLiteral("export"), QStringLiteral("--format"),
                         QStringLiteral("json")};
        if (!history)
            args << QStringLiteral("--no-history");
        const CliResult r = runCli(args);
        QCOMPARE(r.exitCode, 3); // the service's nightly failed
        const QJsonDocument report = QJsonDocument::fromJson(r.out);
        QStringList titles;
        const QJsonArray sessions = report.object().value(QLatin1String("sessions")).toArray();
        for (const QJsonValue &v : sessions)
            titles << v.toObject().value(QLatin1String("title")).toString();
        titles.sort();
        QCOMPARE(titles,
                 (QStringList{QStringLiteral("database dump"), QStringLiteral("own nightly"),
                              QStringLiteral("service nightly")}));
        // A session of the extra spool can be asked for by ID.
        const CliResult one =
            runCli(args + QStringList{QStringLiteral("--session"), QStringLiteral("db-dump")});
        QCOMPARE(one.exitCode, 0);
        QVERIFY(one.out.contains("copied 12 files"));
    }

    void cancelReachesAWrapperOfTheSettingsSpool() {
        // A service's wrapper writes to the extra spool; the user cancels it
        // from their own environment, which names only their own spool.
        const QString id = SessionId::generate();
        QProcess wrapper;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), m_extra);
        wrapper.setProcessEnvironment(env);
        wrapper.start(cliPath(),
                      {QStringLiteral("run"), QStringLiteral("--session-id"), id,
                       QStringLiteral("--"), QStringLiteral("sleep"), QStringLiteral("30")});
        QVERIFY(wrapper.waitForStarted());
        QVERIFY(waitFor(
            [&] {
                return runCli({QStringLiteral("show"), id}).out.contains("running");
            },
            10000));
        const CliResult cancel =
            runCli({QStringLiteral("cancel"), id, QStringLiteral("--wait"), QStringLiteral("10")});
        QVERIFY2(cancel.exitCode == 0, cancel.err.constData());
        QCOMPARE(cancel.out, QByteArray("cancelled\n"));
        QVERIFY(wrapper.state() == QProcess::NotRunning || wrapper.waitForFinished(5000));
        QCOMPARE(wrapper.exitCode(), 128 + SIGTERM);
    }
};

KW_TEST_GUILESS_MAIN(TestCliSources)
#include "tst_clisources.moc"
