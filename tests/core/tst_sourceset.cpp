// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "collector/collector.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "settings/appsettings.h"
#include "sources/sourceset.h"
#include "spool/systemspool.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace kw;
using namespace kw::test;

// The one place that builds the sources, in both of its modes: the same
// spools give the same sessions to the window's collector and to the CLI.
class TestSourceSet final : public QObject {
    Q_OBJECT

    // Two spools, both holding a session "same-id"; the extra one also "extra-only".
    struct TwoSpools {
        TempSpool own; // $KEEPWATCH_SPOOL
        QTemporaryDir extraDir;
        QString extra;
        TwoSpools()
            : extra(QDir::cleanPath(extraDir.path() + QStringLiteral("/spool"))) {
            QDir().mkpath(extra);
            own.append(QStringLiteral("same-id.jsonl"),
                       encode({startEvent(QStringLiteral("same-id"), 1000, SessionKind::Backup,
                                          QStringLiteral("restic"), QStringLiteral("own"))}));
            appendTo(
                extra, QStringLiteral("same-id.jsonl"),
                encode({startEvent(QStringLiteral("same-id"), 2000, SessionKind::Restore,
                                   QStringLiteral("borg"), QStringLiteral("extra")),
                        endEvent(QStringLiteral("same-id"), 2500, SessionState::Succeeded, 0)}));
            appendTo(extra, QStringLiteral("extra-only.jsonl"),
                     encode({startEvent(QStringLiteral("extra-only"), 3000)}));
        }
        static void appendTo(const QString &dir, const QString &name, const QByteArray &bytes) {
            QFile f(dir + QLatin1Char('/') + name);
            QVERIFY(f.open(QIODevice::Append));
            f.write(bytes);
        }
        SourceSetConfig config() const {
            SourceSetConfig c;
            c.spoolDirectory = own.path();
            // Duplicates, the own spool again and untidy paths are dropped.
            c.extraSpoolDirectories = {extra, own.path(), extra + QStringLiteral("/"),
                                       QStringLiteral("  ")};
            c.discovery = false;
            return c;
        }
    };

    static QStringList describe(const SessionStore &store) {
        QStringList rows;
        for (int i = 0; i < store.count(); ++i) {
            const Session &s = store.at(i);
            rows << s.key.source + QLatin1Char('|') + s.key.id + QLatin1Char('|') + s.title
                        + QLatin1Char('|') + QString(wireName(s.state));
        }
        rows.sort();
        return rows;
    }

private slots:
    void identities_data() {
        QTest::addColumn<QString>("directory");
        QTest::addColumn<bool>("own");
        QTest::addColumn<QString>("identity");
#ifdef Q_OS_WIN
        const QString root = QStringLiteral("C:"); // a path without a drive is not absolute
#else
        const QString root;
#endif
        QTest::newRow("own spool")
            << QString(root + QStringLiteral("/home/a/spool")) << true << QStringLiteral("spool");
        QTest::newRow("extra") << QString(root + QStringLiteral("/var/spool/x")) << false
                               << QString(QStringLiteral("spool:") + root
                                          + QStringLiteral("/var/spool/x"));
        QTest::newRow("extra, untidy")
            << QString(root + QStringLiteral("/var//spool/./x/")) << false
            << QString(QStringLiteral("spool:") + root + QStringLiteral("/var/spool/x"));
    }
    void identities() {
        QFETCH(QString, directory);
        QFETCH(bool, own);
        QFETCH(QString, identity);
        QCOMPARE(SourceSet::spoolIdentity(directory, own), identity);
    }

    void theSameIdInTwoSpoolsIsTwoSessions_oneShot() {
        TwoSpools spools;
        const SourceSet set(spools.config());
        QCOMPARE(set.spoolDirectories(),
                 (QStringList{QDir::cleanPath(spools.own.path()), spools.extra}));
        SessionStore store;
        const SourceSet::Loaded loaded = set.loadInto(store);
        QVERIFY2(loaded.fatal.isEmpty(), qPrintable(loaded.fatal));
        QVERIFY(loaded.problems.isEmpty());
        const QString extraId = SourceSet::spoolIdentity(spools.extra, false);
        QCOMPARE(describe(store), (QStringList{QStringLiteral("spool:") + spools.extra
                                                   + QStringLiteral("|extra-only||running"),
                                               extraId + QStringLiteral("|same-id|extra|succeeded"),
                                               QStringLiteral("spool|same-id|own|running")}));
        QCOMPARE(set.spoolDirectoryOf(extraId), spools.extra);
        QCOMPARE(set.spoolDirectoryOf(QStringLiteral("spool")), QDir::cleanPath(spools.own.path()));
        QVERIFY(set.spoolDirectoryOf(QStringLiteral("proc")).isEmpty());

        // Leaving the own spool out (an export that reads it through the history).
        SessionStore others;
        set.loadInto(others, false);
        QCOMPARE(others.count(), 2);
        QVERIFY(others.rowsWithId(QStringLiteral("same-id")).size() == 1);
    }

    void theSameIdInTwoSpoolsIsTwoSessions_live() {
        // The window's path: the factory runs on the collector's thread.
        TwoSpools spools;
        SessionStore store;
        Collector collector;
        connect(&collector, &Collector::batchReady, &store, &SessionStore::apply);
        collector.start(SourceSet(spools.config()).factory());
        QVERIFY(waitFor([&] { return store.count() == 3; }, 10000));
        SessionStore oneShot;
        SourceSet(spools.config()).loadInto(oneShot);
        QCOMPARE(describe(store), describe(oneShot));
    }

    // Other hosts' mirrors (keepwatch-cli collect): one remote:<host> source
    // per host directory in both modes; the host is the directory's
    // (whatever the file claims) and a producer is never looked for here,
    // so a live remote session stays running though no such process runs
    // on this machine.
    void remoteMirrorsAreTheirHostsSessions() {
        TempSpool own;
        QTemporaryDir tmp;
        const QString root = tmp.path() + QStringLiteral("/remote");
        for (const char *host : {"web01", "db01", "Not_A_Host"}) {
            Event start = startEvent(QStringLiteral("r-") + QLatin1String(host), 1000);
            StartPayload &payload = *start.as<StartPayload>();
            // db01's claims to be web01; web01's says nothing, which a
            // local spool would take for this machine.
            payload.host = qstrcmp(host, "db01") == 0 ? QStringLiteral("web01") : QString();
            payload.producerPid = 999999999; // on no machine
            payload.producerStartTicks = 1;
            payload.bootId = ProcessProbe::bootId();
            QDir().mkpath(root + QLatin1Char('/') + QLatin1String(host));
            TwoSpools::appendTo(root + QLatin1Char('/') + QLatin1String(host),
                                start.session + QStringLiteral(".jsonl"), encode({start}));
        }
        SourceSetConfig config;
        config.spoolDirectory = own.path();
        config.discovery = false;
        config.systemSpool = false;
        config.systemd = false;
        config.remoteDirectory = root;
        SessionStore oneShot;
        SourceSet(config).loadInto(oneShot);
        const QStringList expected{QStringLiteral("remote:db01|r-db01||running"),
                                   QStringLiteral("remote:web01|r-web01||running")};
        QCOMPARE(describe(oneShot), expected);
        for (int i = 0; i < oneShot.count(); ++i)
            QCOMPARE(oneShot.at(i).host, oneShot.at(i).key.source.mid(7));

        SessionStore live;
        Collector collector;
        connect(&collector, &Collector::batchReady, &live, &SessionStore::apply);
        collector.start(SourceSet(config).factory());
        QVERIFY(waitFor([&] { return live.count() == 2; }, 10000));
        QTest::qWait(600); // past the spool source's liveness interval
        QCOMPARE(describe(live), expected);

        // A host mirrored for the first time while the collector runs (the
        // window open when `collect` first hears of it): read at once, not
        // from the next start.
        Event later = startEvent(QStringLiteral("r-new01"), 2000);
        later.as<StartPayload>()->producerPid = 999999999;
        later.as<StartPayload>()->producerStartTicks = 1;
        later.as<StartPayload>()->bootId = ProcessProbe::bootId();
        QDir().mkpath(root + QStringLiteral("/new01"));
        TwoSpools::appendTo(root + QStringLiteral("/new01"), QStringLiteral("r-new01.jsonl"),
                            encode({later}));
        QVERIFY(waitFor([&] { return live.count() == 3; }, 10000));
        QVERIFY2(describe(live).contains(QStringLiteral("remote:new01|r-new01||running")),
                 qPrintable(describe(live).join(QLatin1Char('\n'))));
    }

    // The system spool in both modes, keyed per user; cancel and `show`
    // find a system session's file through spoolDirectoryOf(). (Root's own
    // directory when run as root; the running user's otherwise.)
    void theSystemSpoolIsASourceLiveAndOneShot() {
#ifdef Q_OS_WIN
        QSKIP("the system spool is a Linux thing (setgid directories, other users' uids); "
              "Windows has none");
#endif
        QTemporaryDir tmp;
        const QString root = tmp.path() + QStringLiteral("/system");
        const QString me = UserAccounts::nameOf(UserAccounts::effectiveUid());
        const QString mine = root + QLatin1Char('/') + me;
        QVERIFY(QDir().mkpath(mine));
        QCOMPARE(::chmod(QFile::encodeName(mine).constData(), 02750), 0);
        TwoSpools spools;
        TwoSpools::appendTo(
            mine, QStringLiteral("same-id.jsonl"),
            encode({startEvent(QStringLiteral("same-id"), 4000, SessionKind::Backup,
                               QStringLiteral("restic"), QStringLiteral("system"))}));
        // Whatever the umask: only its owner may write it.
        QCOMPARE(
            ::chmod(QFile::encodeName(mine + QStringLiteral("/same-id.jsonl")).constData(), 0640),
            0);
        const QByteArray previous = qgetenv(SystemSpool::kEnvironmentVariable);
        qputenv(SystemSpool::kEnvironmentVariable, QFile::encodeName(root));
        const auto restore =
            qScopeGuard([&] { qputenv(SystemSpool::kEnvironmentVariable, previous); });

        const SourceSet set(spools.config());
        SessionStore oneShot;
        const SourceSet::Loaded loaded = set.loadInto(oneShot);
        QVERIFY(loaded.problems.isEmpty());
        const QString identity = SystemSpool::identityFor(me);
        QVERIFY(describe(oneShot).contains(identity + QStringLiteral("|same-id|system|running")));
        QCOMPARE(oneShot.count(), 4);
        QCOMPARE(oneShot.at(oneShot.indexOf({identity, QStringLiteral("same-id")})).user, me);
        QVERIFY(SourceSet::isSpool(identity));
        QCOMPARE(set.spoolDirectoryOf(identity), mine);
        QVERIFY(set.spoolDirectoryOf(QStringLiteral("system:no-such-user-kw")).isEmpty());

        SessionStore live;
        Collector collector;
        connect(&collector, &Collector::batchReady, &live, &SessionStore::apply);
        collector.start(set.factory());
        QVERIFY(waitFor([&] { return live.count() == 4; }, 10000));
        QCOMPARE(describe(live), describe(oneShot));
        collector.stop();

        SourceSetConfig without = spools.config();
        without.systemSpool = false;
        SessionStore none;
        SourceSet(without).loadInto(none);
        QCOMPARE(none.count(), 3);
    }

    void anUnreadableOwnSpoolIsFatalAnExtraOneIsAWarning() {
        // A file where a spool directory should be: unreadable as a spool
        // for root too.
        TwoSpools spools;
        QTemporaryDir dir;
        const QString notADirectory = dir.filePath(QStringLiteral("spool"));
        QFile file(notADirectory);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();

        SourceSetConfig extraBroken = spools.config();
        extraBroken.extraSpoolDirectories = {notADirectory};
        SessionStore store;
        const SourceSet::Loaded warned = SourceSet(extraBroken).loadInto(store);
        QVERIFY(warned.fatal.isEmpty());
        QCOMPARE(warned.problems.size(), 1);
        QCOMPARE(warned.problems.first().location, notADirectory);
        QCOMPARE(store.count(), 1); // the own spool's session still counts

        SourceSetConfig ownBroken = spools.config();
        ownBroken.spoolDirectory = notADirectory;
        SessionStore none;
        const SourceSet::Loaded failed = SourceSet(ownBroken).loadInto(none);
        QVERIFY2(failed.fatal.contains(notADirectory), qPrintable(failed.fatal));
    }

    void configFromSettings() {
        AppSettings settings = AppSettings::defaults();
        settings.spoolDirectories << QStringLiteral("/srv/backup/spool");
        settings.historyMaxAgeDays = 30;
        settings.maxLogLinesPerSession = 5000;
        const SourceSetConfig config = SourceSetConfig::fromSettings(settings);
        QCOMPARE(config.spoolDirectory, settings.spoolDirectories.first());
        QCOMPARE(config.extraSpoolDirectories, QStringList{QStringLiteral("/srv/backup/spool")});
        QCOMPARE(config.retention.maxAgeMs, std::optional<qint64>(30LL * 24 * 3600 * 1000));
        QVERIFY(!config.retention.maxSessions);
        QCOMPARE(config.maxSeedLogLines, 5000);
        QVERIFY(!config.discovery); // KEEPWATCH_DISCOVERY=0 in the tests' environment
        QVERIFY(config.systemSpool);
        QVERIFY(config.historyPath.isEmpty());
    }
};

KW_TEST_GUILESS_MAIN(TestSourceSet)
#include "tst_sourceset.moc"
