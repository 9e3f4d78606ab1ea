// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"
#include "spool/spoolgroupsource.h"
#include "spool/spoolsource.h"

#include <QHash>
#include <QList>
#include <QString>

namespace kw {

class HistoryDatabase;

// The own spool and the remote hosts' mirrors, read from where the
// history's last commit stands, for a recorder that fell behind the
// window's collector. Queueing what the collector read would grow without
// bound while SQLite is slower than the spool (at 200 sessions x 1,000
// lines/s on two cores it is); the files hold every line, so the recorder
// reads them itself instead, at the pace it writes: each line is recorded
// later than it is shown, none is lost, none is written twice.
class HistorySpoolReader final {
public:
    // Resumes from `db`'s committed positions, watching the producers of
    // the unfinished sessions it holds as the collector's reader does.
    HistorySpoolReader(HistoryDatabase &db, const QString &spoolDirectory,
                       const MakeSpoolGroups &makeMirrors);

    struct Batch {
        QList<Event> events;
        // Those that moved since the last batch: committed with the events.
        QHash<QString, SpoolTailer::Position> positions;
    };
    // Reads until about `maxEvents` events or the end of what is written.
    // Malformed lines are not said here: the collector's reader says them.
    Batch read(qsizetype maxEvents);
    // Whether the last read stopped before the end of what is written.
    bool hasPendingData() const;

private:
    QHash<QString, SpoolTailer::Position> positions() const;

    SpoolSource m_spool;
    SpoolGroups m_mirrors;
    CommittedSpoolPositions m_committed;
};

} // namespace kw
