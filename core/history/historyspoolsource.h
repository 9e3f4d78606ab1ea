// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"
#include "history/historydatabase.h"
#include "history/historyretention.h"
#include "spool/spoolgroupsource.h"
#include "store/storeseed.h"

#include <QHash>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace kw {

class HistoryRecorder;
class HistoryRecorderLock;
class SpoolSource;

// The spool, read through the history: what the collector reads is written
// to the database (with the spool positions, one transaction per poll)
// before the window sees it, and the window starts from what the database
// remembers instead of re-reading every spool file.
//
// - First polls: open the database on the collector's thread (a connection
//   belongs to the thread that opened it) and seed the store with every
//   known session (unfinished ones with the tail of their log), a chunk per
//   poll, read as it is given; then the spool is read on from where the last
//   run committed.
// - A database that cannot be opened is never fatal: one error, and the
//   spool is read from the start without recording, as without a history.
// - Recording runs on a thread of its own (HistoryRecorder): the window
//   gets events as fast as the spool is read. A recorder that falls too far
//   behind reads the spool files itself from its last commit, at its own
//   pace (HistorySpoolReader). A write that fails (disk full) stops the
//   recording for this run; the events still reach the window, and the
//   next run reads on from the last commit, so nothing is lost or doubled.
// - One recorder per database (a lock file beside it): a second window, or
//   one started while `keepwatch-cli reindex` runs, shows the history and
//   reads on from it without writing, and says so.
// - Retention rules, when set, run at the first poll and then every
//   `retentionIntervalMs`.
// - Sources whose sessions exist nowhere else for long (systemd's runs: the
//   journal is vacuumed) are read through it too (`recorded`): their events
//   are recorded in the same transactions, with where each source stands
//   (SessionSource::historyCursor), and at start each goes on from there,
//   given the sessions the history holds from it. They keep their own
//   identities: this one only carries them.
// - Spools other than the own one that are kept only here (`mirrors`: the
//   remote hosts' mirrors, which `keepwatch-cli reindex` reads as well) are
//   recorded like the own spool, with their file positions. They are given
//   as a maker: a recorder that fell behind makes readers of its own.
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
        qint64 maxPendingEvents = 100000; // the recorder's queue (~30 MB)
    };

    explicit HistorySpoolSource(Options options, SessionSources recorded = {},
                                MakeSpoolGroups makeMirrors = {});
    ~HistorySpoolSource() override;

    QString name() const override;
    void poll(EventBatch &out) override;
    QStringList watchPaths() const override;
    bool hasPendingData() const override;

private:
    // First poll: opens the database and starts reading the sessions.
    void start(EventBatch &out);
    // Gives the store the next kSeedChunk sessions; true once the last is
    // given and finishStart() ran.
    bool seedNextChunk(EventBatch &out);
    // Every session known: the spool, mirrors and recorded sources resume
    // from them, the reading connection closes, the recorder starts.
    void finishStart();
    // Says so when the reading stopped before the last session.
    void reportUnreadSessions(EventBatch &out) const;
    SourceError error(const QString &message) const;
    // The positions that moved since the last call (or the history's).
    QHash<QString, SpoolTailer::Position> movedPositions();

    Options m_options;
    std::unique_ptr<SpoolSource> m_source;
    SessionSources m_recorded;
    MakeSpoolGroups m_makeMirrors;
    SpoolGroups m_mirrors;
    QHash<QString, QString> m_cursors;   // as last given to the recorder
    CommittedSpoolPositions m_positions; // as last given to the recorder
    std::unique_ptr<HistoryRecorderLock> m_recorderLock;
    std::unique_ptr<HistoryRecorder> m_recorder; // none: not recording
    bool m_started = false;
    static constexpr qsizetype kSeedChunk = 2000;
    // While the sessions are read: the connection, where it stands, and
    // what it read so far.
    std::unique_ptr<HistoryDatabase> m_db;
    std::optional<HistoryDatabase::SessionCursor> m_cursor;
    std::vector<Session> m_known; // grows by moves, where a QList<Session> copies
};

} // namespace kw
