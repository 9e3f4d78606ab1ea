#include "history/historyingest.h"

#include "history/historydatabase.h"
#include "spool/spoollocation.h"

namespace kw {

HistoryIngest::HistoryIngest(HistoryDatabase &db, const QString &spoolDirectory)
    : m_db(db)
    , m_source(spoolDirectory,
               [] {
                   SpoolSource::Options options;
                   options.livenessIntervalMs = 0; // each sync checks the producers it can
                   return options;
               }())
    , m_writer(db) {}

void HistoryIngest::resumeOnce() {
    if (m_resumed)
        return;
    m_resumed = true;
    m_source.resume(m_db.spoolPositions());
    // Producers of unfinished sessions whose start was read in an earlier
    // run: without this, a wrapper killed while nobody watched would never
    // be found out.
    for (const Session &s : m_db.sessions()) {
        if (s.key.source == m_source.name() && isActive(s.state) && s.producerPid
            && s.producerStartTicks)
            m_source.watchProducer(s.key.id,
                                   SpoolLocation::fileForSession(m_source.directory(), s.key.id),
                                   *s.producerPid, *s.producerStartTicks, s.bootId);
    }
}

HistoryIngest::Result HistoryIngest::sync() {
    Result result;
    resumeOnce();
    do {
        EventBatch batch;
        m_source.poll(batch);
        result.problems.append(batch.errors);
        if (!m_db.begin())
            return result;
        bool ok = true;
        for (const Event &event : std::as_const(batch.events))
            ok = ok && m_writer.write(event);
        ok = ok && m_writer.flush();
        const auto positions = m_source.positions();
        for (auto it = positions.cbegin(); ok && it != positions.cend(); ++it)
            ok = m_db.saveSpoolPosition(it.key(), it.value());
        if (!ok || !m_db.commit()) {
            m_db.rollback();
            return result;
        }
        result.events += batch.events.size();
        m_writer.forgetFinished();
    } while (m_source.hasPendingData());
    result.ok = true;
    return result;
}

} // namespace kw
