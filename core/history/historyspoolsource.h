#pragma once

#include "collector/sessionsource.h"
#include "history/historyretention.h"

#include <QLockFile>
#include <QString>
#include <memory>

namespace kw {

class HistoryDatabase;
class HistoryIngest;
class SpoolSource;

// The spool, read through the history: what the collector reads is written
// to the database (with the spool positions, one transaction per poll)
// before the window sees it, and the window starts from what the database
// remembers instead of re-reading every spool file.
//
// - First poll: opens the database on the collector's thread (a connection
//   belongs to the thread that opened it), seeds the store with every known
//   session (unfinished ones with the tail of their log), and goes on
//   reading the spool where the last run committed.
// - A database that cannot be opened is never fatal: one error, and the
//   spool is read from the start without recording, as without a history.
// - A write that fails (disk full) stops the recording for this run, and
//   the events still reach the window; the next run reads on from the last
//   commit, so nothing is lost or doubled.
// - One recorder per database (a lock file beside it): a second window, or
//   one started while `keepwatch-cli reindex` runs, shows the history and
//   reads on from it without writing, and says so.
// - Retention rules, when set, run at the first poll and then every
//   `retentionIntervalMs`.
class HistorySpoolSource final : public SessionSource {
public:
    struct Options {
        QString databasePath;
        QString spoolDirectory;
        bool seedStore = true;           // one source per database seeds
        qint64 maxSeedLogLines = 100000; // per unfinished session
        HistoryRetention::Rules retention;
        qint64 retentionIntervalMs = 60 * 60 * 1000;
        // How long to wait for another recorder (a CLI export catching up)
        // before reading on without recording.
        int recorderLockWaitMs = 3000;
    };

    explicit HistorySpoolSource(Options options);
    ~HistorySpoolSource() override;

    QString name() const override;
    void poll(EventBatch &out) override;
    QStringList watchPaths() const override;
    bool hasPendingData() const override;

private:
    void start(EventBatch &out);
    void applyRetention(EventBatch &out, qint64 nowMs);
    SourceError error(const QString &message) const;

    Options m_options;
    std::unique_ptr<HistoryDatabase> m_db;
    std::unique_ptr<HistoryIngest> m_ingest;
    std::unique_ptr<SpoolSource> m_unrecorded; // when the database cannot be used
    std::unique_ptr<QLockFile> m_recorderLock;
    bool m_started = false;
    bool m_reportedWriteFailure = false;
    qint64 m_nextRetentionMs = 0;
};

} // namespace kw
