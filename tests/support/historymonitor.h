// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/collector.h"
#include "history/historylogloader.h"
#include "store/sessionstore.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace kw::test {

// Every field of every session with its whole log, sorted by ID: two stores
// that dump alike show the user the same thing. "Now" is fixed, so running
// sessions' durations do not differ by the clock.
QStringList dumpStore(const SessionStore &store);
// What reading the whole spool afresh gives: the truth a history must match.
QStringList dumpSpool(const QString &spoolDirectory);
// The same with the mirrors of every host under `remoteRoot` (RemoteSpools).
QStringList dumpSpoolAndMirrors(const QString &spoolDirectory, const QString &remoteRoot);
// Every session a history database holds, each with its whole log, sorted:
// two histories that dump alike hold the same sessions and lines.
QStringList dumpHistory(const QString &databasePath);

// A window's worth of collector and store recording into a history, as the
// window runs them (HistorySpoolSource, HistoryLogLoader), for restart tests.
struct HistoryMonitor {
    SessionStore store;
    Collector collector{Collector::Options{200, 20}};
    HistoryLogLoader loader;
    QList<SourceError> errors;
    int seeds = 0; // batches that carried a seed

    // `remoteRoot`: the remote hosts' mirrors are recorded too, as the
    // window records them (RemoteHostsSource).
    HistoryMonitor(const QString &spool, const QString &db, qint64 maxPendingEvents = 500000,
                   const QString &remoteRoot = {});
    ~HistoryMonitor();
    HistoryMonitor(const HistoryMonitor &) = delete;
    HistoryMonitor &operator=(const HistoryMonitor &) = delete;

    // Two polls done.
    bool settle();
    // Reads the logs that stayed in the database, as opening every pane would.
    bool loadAllLogs();
};

} // namespace kw::test
