// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "collector/collector.h"
#include "store/sessionstore.h"
#include "testsupport.h"
#include "vss/vsssource.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;

// VssSource's portable part: it runs its helper, decodes the events the
// helper prints, drops a poll that says nothing new, reports a helper that
// prints garbage, hangs or is missing. The helper here is a stand-in shell
// script replaying what the real keepwatch-vss.exe printed under wine
// (tests/fixtures/vss/helper-wine-writers.jsonl); the real one runs in the
// MinGW build's wine tests.
class TestVssSource final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // A helper script printing `output` (and then doing `then`).
    QString helper(const QString &name, const QByteArray &output,
                   const QByteArray &then = QByteArray()) {
        const QString data = m_dir.filePath(name + QStringLiteral(".out"));
        QFile out(data);
        if (!out.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(data));
        out.write(output);
        out.close();
        const QString path = m_dir.filePath(name);
        QFile script(path);
        if (!script.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        script.write("#!/bin/sh\ncat '" + data.toLocal8Bit() + "'\n" + then + "\n");
        script.close();
        script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                              | QFileDevice::ExeOwner);
        return path;
    }

    // Polls the source (on this thread) until the helper's run is collected.
    static EventBatch pollUntilCollected(VssSource &source, int timeoutMs = 10000) {
        EventBatch all;
        QElapsedTimer timer;
        timer.start();
        source.poll(all); // starts the helper
        while (timer.elapsed() < timeoutMs) {
            QTest::qWait(20);
            EventBatch batch;
            source.poll(batch);
            all.events.append(batch.events);
            all.errors.append(batch.errors);
            if (!batch.isEmpty())
                break;
        }
        return all;
    }

private slots:
    void deliversTheHelpersSessionAndDropsRepeats() {
        VssSource::Options options;
        options.program =
            helper(QStringLiteral("writers"),
                   readResource(QStringLiteral(":/fixtures/vss/helper-wine-writers.jsonl")));
        options.intervalMs = 0;
        VssSource source(options);
        const EventBatch first = pollUntilCollected(source);
        QVERIFY(first.errors.isEmpty());
        QCOMPARE(first.events.size(), 5);
        SessionStore store;
        store.apply(first);
        QCOMPARE(store.count(), 1);
        const Session &s = store.at(0);
        QCOMPARE(s.key.source, QStringLiteral("vss"));
        QCOMPARE(s.id(), QStringLiteral("{6e8fb7f4-a178-4109-940a-96eacaf35cdc}"));
        QCOMPARE(s.state, SessionState::Failed);
        QVERIFY(s.summary.contains(QLatin1String("E_NOTIMPL")));

        // The same writers again and again (a new run at every poll): nothing
        // new, so nothing delivered, no new session.
        EventBatch repeats;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 1500) {
            source.poll(repeats);
            QTest::qWait(20);
        }
        QVERIFY(repeats.events.isEmpty());
        QVERIFY(repeats.errors.isEmpty());

        // A writer changes: delivered at the next run.
        QSaveFile data(options.program
                       + QStringLiteral(".out")); // a run reads all or nothing of it
        QVERIFY(data.open(QIODevice::WriteOnly));
        data.write(readResource(QStringLiteral(":/fixtures/vss/helper-wine-writers.jsonl"))
                       .replace("E_NOTIMPL", "E_ACCESSDENIED"));
        QVERIFY(data.commit());
        EventBatch changed;
        QVERIFY(waitFor([&] {
            source.poll(changed);
            return !changed.events.isEmpty();
        }));
        QCOMPARE(changed.events.size(), 5);
    }

    void aFinishedHelperWakesTheCollector() {
        // The slow poll is 30 s away: only the helper's end, pushed through
        // requestPoll(), can bring its session this soon.
        const QString program =
            helper(QStringLiteral("pushed"),
                   readResource(QStringLiteral(":/fixtures/vss/helper-wine-writers.jsonl")));
        Collector collector(Collector::Options{30000, 50});
        SessionStore store;
        connect(&collector, &Collector::batchReady, &store, &SessionStore::apply);
        QElapsedTimer timer;
        timer.start();
        collector.start([program] {
            VssSource::Options options;
            options.program = program;
            SessionSources sources;
            sources.push_back(std::make_unique<VssSource>(options));
            return sources;
        });
        QVERIFY(waitFor([&] { return store.count() == 1; }, 10000));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(store.at(0).state, SessionState::Failed);
        collector.stop();
    }

    void problemsAreReportedWithWhere_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("message");
        QTest::newRow("garbage") << QStringLiteral("garbage") << QStringLiteral("no events");
        QTest::newRow("missing") << QStringLiteral("missing") << QStringLiteral("cannot start");
        QTest::newRow("hangs") << QStringLiteral("hangs")
                               << QStringLiteral("killed after 1 s without finishing");
    }
    void problemsAreReportedWithWhere() {
        QFETCH(QString, what);
        QFETCH(QString, message);
        VssSource::Options options;
        options.timeoutMs = 1000;
        if (what == QLatin1String("garbage"))
            options.program = helper(what, "not json\n\x01\x02binary\n");
        else if (what == QLatin1String("missing"))
            options.program = m_dir.filePath(QStringLiteral("no-such-helper"));
        else
            options.program = helper(what, QByteArray(), "exec sleep 30");
        VssSource source(options);
        const EventBatch batch = pollUntilCollected(source, 10000);
        QVERIFY(batch.events.isEmpty());
        QVERIFY(!batch.errors.isEmpty());
        bool found = false;
        for (const SourceError &e : batch.errors) {
            QCOMPARE(e.source, QStringLiteral("vss"));
            QCOMPARE(e.location, options.program);
            found = found || e.message.contains(message);
        }
        QVERIFY2(found, qPrintable(batch.errors.last().message));
        if (what == QLatin1String("garbage")) // each bad line named by its number
            QCOMPARE(batch.errors.first().line, 1);
    }
};

QTEST_GUILESS_MAIN(TestVssSource)
#include "tst_vsssource.moc"
