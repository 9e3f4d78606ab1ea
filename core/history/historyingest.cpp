// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historyingest.h"

#include "history/historydatabase.h"
#include "spool/spoollocation.h"

namespace kw {

HistoryIngest::HistoryIngest(HistoryDatabase &db, const QString &spoolDirectory,
                             SpoolSource::Options options)
    : m_db(db)
    , m_source(spoolDirectory,
               [&options] {
                   options.livenessIntervalMs = 0; // each sync checks the producers it can
                   return options;
               }())
    , m_writer(db) {}

void HistoryIngest::resumeOnce() {
    if (!m_resumed)
        resume(m_db.sessions());
}

void HistoryIngest::resume(const QList<Session> &known) {
    m_resumed = true;
    resume(m_source, m_db, known);
}

void HistoryIngest::resume(SpoolSource &source, HistoryDatabase &db, const QList<Session> &known) {
    source.resume(db.spoolPositions());
    // Producers of unfinished sessions whose start was read in an earlier
    // run: without this, a wrapper killed while nobody watched would never
    // be found out.
    for (const Session &s : known) {
        if (s.key.source == source.name() && isActive(s.state) && s.producerPid
            && s.producerStartTicks)
            source.watchProducer(s.key.id,
                                 SpoolLocation::fileForSession(source.directory(), s.key.id),
                                 *s.producerPid, *s.producerStartTicks, s.bootId);
    }
}

HistoryIngest::Result HistoryIngest::pollOnce(EventBatch &out) {
    Result result;
    resumeOnce();
    EventBatch batch;
    m_source.poll(batch);
    result.problems = batch.errors;
    result.events = batch.events.size();
    out.errors.append(batch.errors);
    out.events.append(batch.events);
    // After a failed write, positions saved later would skip what was rolled
    // back: stop recording for this run; the next one reads on from the
    // last commit.
    if (m_failed)
        return result;
    if (!write(m_db, m_writer, batch.events, m_source.positions())) {
        m_failed = true;
        return result;
    }
    result.ok = true;
    return result;
}

bool HistoryIngest::write(HistoryDatabase &db, HistoryWriter &writer, const QList<Event> &events,
                          const QHash<QString, SpoolTailer::Position> &positions,
                          const QHash<QString, QString> &cursors) {
    if (!db.begin())
        return false;
    bool ok = true;
    for (const Event &event : events)
        ok = ok && writer.write(event);
    ok = ok && writer.flush();
    for (auto it = positions.cbegin(); ok && it != positions.cend(); ++it)
        ok = db.saveSpoolPosition(it.key(), it.value());
    for (auto it = cursors.cbegin(); ok && it != cursors.cend(); ++it)
        ok = db.saveSourceCursor(it.key(), it.value());
    if (!ok || !db.commit()) {
        db.rollback();
        // The writer's cached sessions hold what was rolled back.
        writer.forgetAll();
        return false;
    }
    writer.forgetFinished();
    return true;
}

HistoryIngest::Result HistoryIngest::sync() {
    Result result;
    do {
        EventBatch batch;
        const Result step = pollOnce(batch);
        result.problems.append(step.problems);
        if (!step.ok)
            return result;
        result.events += step.events;
    } while (m_source.hasPendingData());
    result.ok = true;
    return result;
}

} // namespace kw
