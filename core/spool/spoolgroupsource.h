// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"
#include "spool/spooltailer.h"

#include <QHash>
#include <QList>
#include <QString>
#include <functional>
#include <memory>
#include <vector>

namespace kw {

// Spool files read behind one source (the remote hosts' mirrors, one spool
// per host) whose sessions a history records as it records the own
// spool's: where it stands in every file is committed with the events it
// read, and given back before its first poll, so a restart neither reads a
// line twice nor skips one.
class SpoolGroupSource : public SessionSource {
public:
    // Where it stands in every file it reads (by path).
    virtual QHash<QString, SpoolTailer::Position> positions() const = 0;
    // Before the first poll: where to go on, and the sessions the history
    // holds (those of its own that are unfinished are watched on, as if
    // their start had been read in this run). Positions of files and
    // sessions that are none of its own are ignored.
    virtual void resume(const QHash<QString, SpoolTailer::Position> &positions,
                        const QList<Session> &known) = 0;
};

using SpoolGroups = std::vector<std::unique_ptr<SpoolGroupSource>>;
// Makes the same groups again: a recorder that fell behind reads the files
// with readers of its own (HistorySpoolReader).
using MakeSpoolGroups = std::function<SpoolGroups()>;

// Where a reader stands in every file, as last committed: a commit carries
// only the positions that moved (a thousand mirrored files, most of them
// finished, would otherwise be written again with every batch).
class CommittedSpoolPositions {
public:
    using Positions = QHash<QString, SpoolTailer::Position>;
    // Those of `now` that differ from the last ones; they become the last.
    Positions takeMoved(const Positions &now);
    void reset(Positions positions) { m_last = std::move(positions); }

private:
    Positions m_last;
};

} // namespace kw
