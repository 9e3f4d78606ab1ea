// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "historymonitor.h"

#include "export/sessionjson.h"
#include "history/historyspoolsource.h"
#include "protocol/jsonwriter.h"
#include "spool/spoolsnapshot.h"
#include "testsupport.h"

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

HistoryMonitor::HistoryMonitor(const QString &spool, const QString &db, qint64 maxPendingEvents)
    : loader(db) {
    QObject::connect(&collector, &Collector::batchReady, &store, [this](const EventBatch &b) {
        errors.append(b.errors);
        if (b.seed)
            ++seeds;
        store.apply(b);
    });
    QObject::connect(
        &loader, &HistoryLogLoader::loaded, &store,
        [this](const SessionKey &key, const std::shared_ptr<const HistoryLogLoader::Lines> &lines) {
            store.loadHistoryLog(key, *lines);
        });
    HistorySpoolSource::Options options;
    options.databasePath = db;
    options.spoolDirectory = spool;
    options.maxPendingEvents = maxPendingEvents;
    std::vector<std::unique_ptr<SessionSource>> sources;
    sources.push_back(std::make_unique<HistorySpoolSource>(options));
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
