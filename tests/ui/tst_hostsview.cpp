// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/hostpresence.h"
#include "fleet/remotespools.h"
#include "format/format.h"
#include "hostsview.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

// The window's Hosts view over presence files as `keepwatch-cli collect`
// writes them (tst_fleet checks that it does): what a user sees per host,
// a host that appears while the window runs, and the announcement when a
// host goes away while its backups run.
class TestHostsView final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString root() const { return m_dir.filePath(QStringLiteral("remote")); }

    void put(const HostPresence &p) {
        QVERIFY(QDir().mkpath(QDir(root()).filePath(p.host)));
        QCOMPARE(HostPresenceFile::write(root(), p), QString());
    }
    static QString cell(const HostsView &view, int row, int column) {
        return view.model()->index(row, column).data().toString();
    }

private slots:
    void showsHostsAndFollowsThem() {
        QVERIFY(m_dir.isValid());
        const qint64 t0 = 1'800'000'000'000;
        put({QStringLiteral("web01"), true, t0, t0 + 1000, QStringLiteral("0.9.0")});
        put({QStringLiteral("db01"), false, t0, t0, QStringLiteral("0.9.0")});
        SessionStore store;
        store.apply(sessionFrom(RemoteSpools::identityFor(QStringLiteral("web01")),
                                QStringLiteral("nightly")));

        HostsView view(&store, root());
        view.setRefreshIntervalMs(100);
        view.resize(800, 300);
        view.show();
        QSignalSpy offline(&view, &HostsView::hostWentOffline);
        QSignalSpy offlineSources(&view, &HostsView::offlineSourcesChanged);
        QTRY_COMPARE(view.model()->rowCount(), 2);
        QVERIFY(!offlineSources.isEmpty());
        const auto sources = offlineSources.last().at(0).value<QHash<QString, qint64>>();
        QCOMPARE(sources, (QHash<QString, qint64>{{QStringLiteral("remote:db01"), t0}}));
        QCOMPARE(cell(view, 0, HostModel::Host), QStringLiteral("db01")); // host order
        QVERIFY(cell(view, 0, HostModel::Status).startsWith(QLatin1String("offline since ")));
        QCOMPARE(cell(view, 1, HostModel::Running), QStringLiteral("1"));
        QCOMPARE(cell(view, 1, HostModel::Agent), QStringLiteral("0.9.0"));
        const auto *summary = view.findChild<QLabel *>(QStringLiteral("hostsSummary"));
        QVERIFY(summary);
        QCOMPARE(summary->text(), QStringLiteral("2 host(s), 1 online"));

        // A host mirrored for the first time while the window runs.
        put({QStringLiteral("new01"), true, t0 + 2000, t0 + 2000, {}});
        QTRY_COMPARE(view.model()->rowCount(), 3);
        QCOMPARE(summary->text(), QStringLiteral("3 host(s), 2 online"));

        // web01 goes away while its backup runs: said once; its run is unknown.
        put({QStringLiteral("web01"), false, t0 + 3000, t0 + 1000, QStringLiteral("0.9.0")});
        QTRY_COMPARE(offline.count(), 1);
        QCOMPARE(offline.at(0).at(0).value<HostRow>().presence.host, QStringLiteral("web01"));
        QVERIFY(cell(view, 2, HostModel::Running).startsWith(QLatin1String("1 unknown since ")));
        // Read again (db01 heard from later): web01 is still offline, not news.
        put({QStringLiteral("db01"), false, t0, t0 + 4000, QStringLiteral("0.9.0")});
        QTRY_COMPARE(view.model()->index(0, HostModel::LastSeen).data().toString(),
                     Format::dateTime(t0 + 4000));
        QCOMPARE(offline.count(), 1);

        // A broken presence file: named under the table, the host still listed.
        QFile broken(HostPresenceFile::path(root(), QStringLiteral("new01")));
        QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
        broken.write("{not json");
        broken.close();
        QTRY_VERIFY(summary->text().contains(QLatin1String("new01/presence.json: not JSON")));
        QCOMPARE(view.model()->rowCount(), 3);
        QCOMPARE(cell(view, 1, HostModel::Status), QStringLiteral("unknown"));
    }
};

KW_TEST_MAIN(TestHostsView)
#include "tst_hostsview.moc"
