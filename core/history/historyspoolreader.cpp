// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historyspoolreader.h"

#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "store/eventbatch.h"

#include <algorithm>
#include <vector>

namespace kw {

HistorySpoolReader::HistorySpoolReader(HistoryDatabase &db, const QString &spoolDirectory,
                                       const MakeSpoolGroups &makeMirrors)
    : m_spool(spoolDirectory) {
    if (makeMirrors)
        m_mirrors = makeMirrors();
    // Only the unfinished sessions matter to the readers (whose producers
    // to watch): a history of 100,000 is read a chunk at a time, not kept.
    QList<Session> unfinished;
    HistoryDatabase::SessionCursor cursor = db.sessionCursor();
    std::vector<Session> chunk;
    for (bool more = true; more;) {
        chunk.clear();
        more = cursor.read(chunk, 10000);
        for (Session &session : chunk) {
            if (isActive(session.state))
                unfinished.append(std::move(session));
        }
    }
    const QHash<QString, SpoolTailer::Position> committed = db.spoolPositions();
    HistoryIngest::resume(m_spool, db, unfinished);
    for (const auto &mirror : m_mirrors)
        mirror->resume(committed, unfinished);
    m_committed.reset(committed);
}

HistorySpoolReader::Batch HistorySpoolReader::read(qsizetype maxEvents) {
    EventBatch polled;
    do {
        m_spool.poll(polled);
        for (const auto &mirror : m_mirrors)
            mirror->poll(polled);
    } while (polled.events.size() < maxEvents && hasPendingData());
    return {std::move(polled.events), m_committed.takeMoved(positions())};
}

bool HistorySpoolReader::hasPendingData() const {
    return m_spool.hasPendingData()
           || std::any_of(m_mirrors.cbegin(), m_mirrors.cend(),
                          [](const auto &mirror) { return mirror->hasPendingData(); });
}

QHash<QString, SpoolTailer::Position> HistorySpoolReader::positions() const {
    QHash<QString, SpoolTailer::Position> all = m_spool.positions();
    for (const auto &mirror : m_mirrors)
        all.insert(mirror->positions());
    return all;
}

} // namespace kw
