// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "historymonitor.h"

#include "export/sessionjson.h"
#include "fleet/remotespools.h"
#include "history/historydatabase.h"
#include "history/historyspoolsource.h"
#include "protocol/jsonwriter.h"
#include "sources/remotehostssource.h"
#include "sources/sourceset.h"
#include "spool/spoolsnapshot.h"
#include "spool/spoolsource.h"
#include "testsupport.h"

#include <QDir>
#include <QSignalSpy>
#include <algorithm>

namespace kw::test {

QStringList dumpStore(const SessionStore &store) {
    QStringList out;
    for (int row = 0; row < store.count(); ++row) {
        QByteArray json;
        JsonWriter w(json);
        SessionJson::writeWithLog(w, store.at(row), store.log(row), 0);
        out.append(QString::fromUtf8(json));
    }
    std::sort(out.begin(), out.end());
    return out;
}

QStringList dumpSpool(const QString &spoolDirectory) {
    SessionStore store;
    SpoolSnapshot::load(spoolDirectory, store);
    return dumpStore(store);
}

QStringList dumpSpoolAndMirrors(const QString &spoolDirectory, const QString &remoteRoot) {
    SourceSetConfig config;
    config.spoolDirectory = spoolDirectory;
    config.remoteDirectory = remoteRoot;
    config.discovery = false;
    config.systemSpool = false;
    config.systemd = false;
    SessionStore store;
    SourceSet(config).loadInto(store);
    return dumpStore(store);
}

QStringList dumpHistory(const QString &databasePath) {
    QStringList out;
    HistoryDatabase db;
    if (!db.openForReading(databasePath))
        return {QStringLiteral("cannot open ") + databasePath + QStringLiteral(": ")
                + db.errorString()};
    for (const HistoryDatabase::StoredSession &stored : db.storedSessions()) {
        QByteArray json;
        JsonWriter w(json);
        SessionJson::write(w, stored.session, 0);
        QString entry = QString::fromUtf8(json);
        for (const HistoryDatabase::LogLine &line : db.logLines(stored.pk))
            entry += QStringLiteral("\n%1 %2 %3")
                         .arg(line.timestampMs)
                         .arg(int(line.level))
                         .arg(QString::fromUtf8(line.message));
        out.append(entry);
    }
    std::sort(out.begin(), out.end());
    return out;
}

HistoryMonitor::HistoryMonitor(const QString &spool, const QString &db, qint64 maxPendingEvents,
                               const QString &remoteRoot)
    : loader(db) {
    QObject::connect(&collector, &Collector::batchReady, &store, [this](const EventBatch &b) {
        errors.append(b.errors);
        if (b.seed)
            ++seeds;
        store.apply(b);
    });
    QObject::connect(&loader, &HistoryLogLoader::loaded, &store,
                     [this](const SessionKey &key, const std::shared_ptr<LogBuffer> &log) {
                         store.loadHistoryLog(key, std::move(*log));
                     });
    HistorySpoolSource::Options options;
    options.databasePath = db;
    options.spoolDirectory = spool;
    options.maxPendingEvents = maxPendingEvents;
    MakeSpoolGroups mirrors;
    if (!remoteRoot.isEmpty()) {
        mirrors = [remoteRoot] {
            SpoolGroups groups;
            groups.push_back(
                std::make_unique<RemoteHostsSource>(remoteRoot, [remoteRoot](const QString &host) {
                    SpoolSource::Options remote;
                    remote.identity = RemoteSpools::identityFor(host);
                    remote.remoteHost = host;
                    return std::make_unique<SpoolSource>(QDir(remoteRoot).filePath(host), remote);
                }));
            return groups;
        };
    }
    std::vector<std::unique_ptr<SessionSource>> sources;
    sources.push_back(
        std::make_unique<HistorySpoolSource>(options, SessionSources{}, std::move(mirrors)));
    collector.start(std::move(sources));
}

HistoryMonitor::~HistoryMonitor() {
    collector.stop();
}

bool HistoryMonitor::settle() {
    QSignalSpy polled(&collector, &Collector::polled);
    return polled.wait(5000) && polled.wait(5000);
}

bool HistoryMonitor::loadAllLogs() {
    for (int row = 0; row < store.count(); ++row)
        if (store.needsHistoryLog(row))
            loader.load(store.at(row).key, SessionStore::kMaxHistoryLogLines);
    return waitFor(
        [this] {
            for (int row = 0; row < store.count(); ++row)
                if (store.needsHistoryLog(row))
                    return false;
            return true;
        },
        10000);
}

} // namespace kw::test
