// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/remotespools.h"
#include "sources/remotehostssource.h"
#include "spool/spoollocation.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

// The remote hosts' mirrors read as one source (the window's and the
// history's reader of STATE/remote): however many hosts, one poll reads no
// more than its budget, so the window's batch stays as bounded as that of
// one spool directory, and no host starves another.
class TestRemoteHostsSource final : public QObject {
    Q_OBJECT

    static constexpr int kLines = 400;

    // HOST's mirror of session "big": a start and kLines lines of 200 bytes.
    static QByteArray writeMirror(const QString &root, const QString &host) {
        QList<Event> events{startEvent(QStringLiteral("big"), 1000)};
        for (int i = 0; i < kLines; ++i)
            events << logEvent(QStringLiteral("big"), 1001 + i, QByteArray(200, 'x'));
        const QByteArray bytes = encode(events);
        const QString dir = QDir(root).filePath(host);
        QDir().mkpath(dir);
        QFile f(SpoolLocation::fileForSession(dir, QStringLiteral("big")));
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(f.fileName()));
        return bytes;
    }

    static std::unique_ptr<SpoolSource> hostSource(const QString &root, const QString &host) {
        SpoolSource::Options options;
        options.identity = RemoteSpools::identityFor(host);
        options.remoteHost = host;
        return std::make_unique<SpoolSource>(QDir(root).filePath(host), options);
    }

    static qint64 linesOf(const SessionStore &store, const QString &host) {
        const int row = store.indexOf({RemoteSpools::identityFor(host), QStringLiteral("big")});
        return row < 0 ? -1 : store.log(row).endSeq();
    }

private Q_SLOTS:
    void onePollReadsTheBudgetOfAllHostsTogether() {
        QTemporaryDir root;
        const QStringList hosts{QStringLiteral("db01"), QStringLiteral("web01"),
                                QStringLiteral("web02")};
        qint64 fileBytes = 0;
        for (const QString &host : hosts)
            fileBytes = writeMirror(root.path(), host).size();
        const qint64 budget = fileBytes / 4;
        RemoteHostsSource source(
            root.path(), [&](const QString &host) { return hostSource(root.path(), host); },
            budget);
        SessionStore store;
        EventBatch first;
        source.poll(first);
        store.apply(first);
        // A line is about 250 bytes encoded: a quarter of one host's file,
        // where a poll of each host's own budget brought three quarters.
        QVERIFY2(first.events.size() <= budget / 200 + 1,
                 qPrintable(QString::number(first.events.size())));
        QVERIFY(source.hasPendingData());
        // Each host reads first in turn: within as many polls as hosts,
        // every host's session has begun.
        for (int i = 1; i < hosts.size(); ++i) {
            EventBatch batch;
            source.poll(batch);
            QVERIFY(batch.events.size() <= budget / 200 + 1);
            store.apply(batch);
        }
        for (const QString &host : hosts)
            QVERIFY2(linesOf(store, host) >= 0, qPrintable(host));
        for (int i = 0; i < 40 && source.hasPendingData(); ++i) {
            EventBatch batch;
            source.poll(batch);
            store.apply(batch);
        }
        QVERIFY(!source.hasPendingData());
        // Every line once: as one unbounded poll reads them.
        RemoteHostsSource whole(
            root.path(), [&](const QString &host) { return hostSource(root.path(), host); },
            fileBytes * 4);
        EventBatch all;
        whole.poll(all);
        QVERIFY(!whole.hasPendingData());
        SessionStore reference;
        reference.apply(all);
        for (const QString &host : hosts) {
            QVERIFY(linesOf(reference, host) >= kLines);
            QCOMPARE(linesOf(store, host), linesOf(reference, host));
        }
        QCOMPARE(store.count(), hosts.size());
    }
};

KW_TEST_GUILESS_MAIN(TestRemoteHostsSource)
#include "tst_remotehostssource.moc"
