// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/hostpresence.h"
#include "fleet/remotespools.h"
#include "models/hostmodel.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

// What a collecting machine knows of each host (docs/fleet.md, "Hosts"):
// the presence file beside a host's mirrors, the collector's book of it,
// and the Hosts view's model.
class TestHostPresence final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString root() const { return m_dir.filePath(QStringLiteral("remote")); }
    void writeRaw(const QString &host, const QByteArray &bytes) {
        QVERIFY(QDir().mkpath(QDir(root()).filePath(host)));
        QFile f(HostPresenceFile::path(root(), host));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
    }
    // A session of `host`'s mirrors (source remote:<host>) in `state`.
    static EventBatch remoteSession(const QString &host, const QString &id, SessionState state) {
        return sessionFrom(RemoteSpools::identityFor(host), id,
                           state == SessionState::Running ? std::nullopt : std::optional(state));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void writtenIsRead() {
        QVERIFY(QDir().mkpath(QDir(root()).filePath(QStringLiteral("web01"))));
        const HostPresence p{QStringLiteral("web01"), true, 1'800'000'000'000, 1'800'000'060'000,
                             QStringLiteral("0.9.0")};
        QCOMPARE(HostPresenceFile::write(root(), p), QString());
        QString error;
        const auto read = HostPresenceFile::read(root(), QStringLiteral("web01"), &error);
        QVERIFY2(read, qPrintable(error));
        QVERIFY(*read == p);
    }

    // Whatever is in the file (it is on disk, written by a collector, but
    // a disk fills and people edit files): a clear error with the file's
    // name, and the host is still listed, as unknown.
    void badFilesAreNamed_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("says");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not JSON");
        QTest::newRow("truncated") << QByteArray("{\"status\":\"onl") << QStringLiteral("not JSON");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("not a JSON object");
        QTest::newRow("no status") << QByteArray("{\"since_ms\":5}") << QStringLiteral("no status");
        QTest::newRow("other status")
            << QByteArray("{\"status\":\"busy\"}") << QStringLiteral("no status");
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe garbage", 11)
                                << QStringLiteral("not JSON");
        QTest::newRow("huge") << QByteArray(100000, ' ') << QStringLiteral("larger than 4096");
    }
    void badFilesAreNamed() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, says);
        writeRaw(QStringLiteral("bad01"), bytes);
        QString error;
        QVERIFY(!HostPresenceFile::read(root(), QStringLiteral("bad01"), &error));
        QVERIFY2(error.contains(says), qPrintable(error));
        QVERIFY2(error.contains(HostPresenceFile::path(root(), QStringLiteral("bad01"))),
                 qPrintable(error));
        QStringList problems;
        const QList<HostPresence> all = HostPresenceFile::readAll(root(), &problems);
        const auto it = std::find_if(all.cbegin(), all.cend(), [](const HostPresence &p) {
            return p.host == QLatin1String("bad01");
        });
        QVERIFY(it != all.cend());
        QCOMPARE(it->sinceMs, 0); // unknown
        QVERIFY(problems.join(QLatin1Char('\n')).contains(says));
        QDir(QDir(root()).filePath(QStringLiteral("bad01"))).removeRecursively();
    }

    // The agent's version is its word: shown short and printable only.
    void versionIsCleaned() {
        QCOMPARE(HostPresenceFile::cleanVersion(QStringLiteral("1.2\n\x1b[31mred")),
                 QStringLiteral("1.2[31mred"));
        QCOMPARE(HostPresenceFile::cleanVersion(QString(100, QLatin1Char('9'))).size(), 40);
    }

    // The book: "since" is when this status began, also across a restart of
    // the collector; an offline status (the broker's last will) does not
    // count as hearing from the host; "last seen" alone is written at most
    // every ten seconds.
    void theBookKeepsSinceAndLastSeen() {
        const QString host = QStringLiteral("book01");
        QVERIFY(QDir().mkpath(QDir(root()).filePath(host)));
        const qint64 t0 = 1'800'000'000'000;
        {
            HostPresenceBook book(root());
            QCOMPARE(book.status(host, true, QStringLiteral("1.0"), true, t0), QString());
            QCOMPARE(book.seen(host, t0 + 1000), QString());
        }
        auto read = [&] {
            return *HostPresenceFile::read(root(), host, nullptr);
        };
        QCOMPARE(read().sinceMs, t0);
        QCOMPARE(read().lastSeenMs, t0); // 1 s later: not written yet
        QVERIFY(read().remoteCancel);
        HostPresenceBook restarted(root());
        // The agent restarted without --allow-remote-cancel: said at once,
        // and still online since the first time.
        QCOMPARE(restarted.status(host, true, QStringLiteral("1.0"), false, t0 + 60'000),
                 QString());
        QVERIFY(!read().remoteCancel);
        QCOMPARE(read().sinceMs, t0); // still online: since the first time
        QCOMPARE(read().lastSeenMs, t0 + 60'000);
        QCOMPARE(restarted.seen(host, t0 + 65'000), QString());
        QCOMPARE(read().lastSeenMs, t0 + 60'000);
        QCOMPARE(restarted.seen(host, t0 + 71'000), QString());
        QCOMPARE(read().lastSeenMs, t0 + 71'000);
        QCOMPARE(restarted.status(host, false, QStringLiteral("1.0"), false, t0 + 90'000),
                 QString());
        QCOMPARE(read().online, false);
        QCOMPARE(read().sinceMs, t0 + 90'000);
        QCOMPARE(read().lastSeenMs, t0 + 71'000);
        QCOMPARE(read().agentVersion, QStringLiteral("1.0"));
    }

    // The Hosts view's rows: each host with its sessions counted, an offline
    // host's running sessions as unknown since it went away, and one
    // announcement when a host goes away while sessions run on it.
    void theModelCountsAndAnnounces() {
        SessionStore store;
        store.apply(
            remoteSession(QStringLiteral("web01"), QStringLiteral("a"), SessionState::Running));
        store.apply(
            remoteSession(QStringLiteral("web01"), QStringLiteral("b"), SessionState::Running));
        store.apply(
            remoteSession(QStringLiteral("web01"), QStringLiteral("c"), SessionState::Failed));
        store.apply(
            remoteSession(QStringLiteral("db01"), QStringLiteral("d"), SessionState::Interrupted));
        EventBatch local = spoolBatch({startEvent(QStringLiteral("e"), 1000)});
        store.apply(local); // this machine's own: no host's
        HostModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy offline(&model, &HostModel::wentOfflineWhileRunning);
        const qint64 t0 = 1'800'000'000'000;
        QList<HostPresence> presences{{QStringLiteral("db01"), true, t0, t0, QStringLiteral("1.0")},
                                      {QStringLiteral("web01"), true, t0, t0, {}},
                                      {QStringLiteral("new01"), false, 0, 0, {}}};
        model.setRows(HostRow::count(presences, store));
        QCOMPARE(model.rowCount(), 3);
        auto cell = [&](int row, int column) {
            return model.index(row, column).data().toString();
        };
        QCOMPARE(cell(0, HostModel::Running), QStringLiteral("0"));
        QCOMPARE(cell(0, HostModel::Failed), QStringLiteral("1"));
        QCOMPARE(cell(0, HostModel::Agent), QStringLiteral("1.0"));
        QCOMPARE(cell(1, HostModel::Running), QStringLiteral("2"));
        QCOMPARE(cell(1, HostModel::Failed), QStringLiteral("1"));
        QVERIFY(cell(1, HostModel::Status).startsWith(QLatin1String("online since ")));
        QCOMPARE(cell(2, HostModel::Status), QStringLiteral("unknown"));
        QCOMPARE(cell(2, HostModel::LastSeen), QStringLiteral("-"));
        QCOMPARE(model.onlineCount(), 2);
        QCOMPARE(offline.count(), 0);

        presences[0].online = false; // db01: nothing running
        presences[1].online = false; // web01: two running
        presences[1].sinceMs = t0 + 5000;
        model.setRows(HostRow::count(presences, store));
        QCOMPARE(offline.count(), 1);
        QCOMPARE(offline.at(0).at(0).value<HostRow>().presence.host, QStringLiteral("web01"));
        QVERIFY2(cell(1, HostModel::Running).startsWith(QLatin1String("2 unknown since ")),
                 qPrintable(cell(1, HostModel::Running)));
        QVERIFY(cell(1, HostModel::Status).startsWith(QLatin1String("offline since ")));
        model.setRows(HostRow::count(presences, store)); // still offline: said once
        QCOMPARE(offline.count(), 1);
        presences.removeLast();
        model.setRows(HostRow::count(presences, store)); // a host less: rows reset
        QCOMPARE(model.rowCount(), 2);
    }
};

KW_TEST_GUILESS_MAIN(TestHostPresence)
#include "tst_hostpresence.moc"
