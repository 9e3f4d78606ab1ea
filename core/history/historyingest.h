#pragma once

#include "history/historywriter.h"
#include "spool/spoolsource.h"

#include <QList>

namespace kw {

class HistoryDatabase;

// Keeps the history in step with a spool: reads what was appended since the
// last time and writes it, together with the new spool positions, in one
// transaction per read. A restart (or a crash) therefore neither loses nor
// repeats a line: what was committed was read, what was not is read again.
class HistoryIngest final {
public:
    HistoryIngest(HistoryDatabase &db, const QString &spoolDirectory);

    struct Result {
        bool ok = false;
        qint64 events = 0;
        QList<SourceError> problems; // malformed lines, unreadable files
    };
    // Reads and writes everything that is new, in transactions of one spool
    // poll each (bounded in bytes), until the spool has nothing more.
    Result sync();

private:
    void resumeOnce();

    HistoryDatabase &m_db;
    SpoolSource m_source;
    HistoryWriter m_writer;
    bool m_resumed = false;
};

} // namespace kw
