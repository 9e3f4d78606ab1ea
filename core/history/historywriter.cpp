// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historywriter.h"

#include "history/historydatabase.h"
#include "protocol/eventcodec.h"
#include "store/sessionfolder.h"

namespace kw {

HistoryWriter::HistoryWriter(HistoryDatabase &db)
    : m_db(db) {}

HistoryWriter::Entry *HistoryWriter::entryFor(const Event &event) {
    const SessionKey key{event.source, event.session};
    auto it = m_entries.find(key);
    if (it != m_entries.end())
        return &it.value();
    Entry entry;
    if (const auto found = m_db.findSession(key)) {
        const auto session = m_db.loadSession(*found);
        if (!session)
            return nullptr;
        entry.pk = *found;
        entry.session = *session;
    } else {
        entry.session.key = key;
        entry.session.firstEventMs = event.timestampMs;
        const auto inserted = m_db.insertSession(entry.session);
        if (!inserted)
            return nullptr;
        entry.pk = *inserted;
    }
    return &m_entries.insert(key, entry).value();
}

bool HistoryWriter::write(const Event &event) {
    Entry *entry = entryFor(event);
    if (!entry)
        return false;
    SessionFolder::fold(entry->session, event);
    entry->dirty = true;
    if (const auto *line = event.as<LogPayload>())
        return m_db.insertLogLine(entry->pk, entry->session.logLines - 1, event.timestampMs,
                                  line->level, line->message);
    if (event.type() == EventType::Progress) {
        if (event.timestampMs - entry->lastProgressEventMs < kProgressEveryMs)
            return true;
        entry->lastProgressEventMs = event.timestampMs;
    }
    m_line.clear();
    EventEncoder::encodeInto(m_line, event);
    m_line.chop(1); // the newline
    return m_db.insertEvent(entry->pk, event.timestampMs, QString(wireName(event.type())), m_line);
}

bool HistoryWriter::flush() {
    for (Entry &entry : m_entries) {
        if (!entry.dirty)
            continue;
        if (!m_db.updateSession(entry.pk, entry.session))
            return false;
        entry.dirty = false;
    }
    // Lines are indexed for search later, in bulk (indexPendingLogLines).
    return true;
}

void HistoryWriter::forgetFinished() {
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (!it->dirty && isTerminal(it->session.state))
            it = m_entries.erase(it);
        else
            ++it;
    }
}

} // namespace kw
