// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "history/sqlitestatement.h"
#include "spool/spooltailer.h"
#include "store/session.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace kw {

// The history: sessions, their timeline events and their log lines in
// SQLite (QtSql), WAL mode, private to the user. The spool stays the source
// of truth: the database is rebuilt from it by `keepwatch-cli reindex`.
//
// One HistoryDatabase is one connection, used from one thread.
// The schema is versioned (PRAGMA user_version) and migrated forward step
// by step on open; a database from a newer Keepwatch is left untouched; a
// corrupt or foreign file is moved aside and a fresh database created.
class HistoryDatabase final {
public:
    static constexpr int kSchemaVersion = 6;

    enum class OpenResult {
        Opened,   // ready, possibly after migrating
        Created,  // new and empty: fill it from the spool
        Recovered // the file was unreadable: moved aside, new and empty
    };

    HistoryDatabase();
    ~HistoryDatabase();
    HistoryDatabase(const HistoryDatabase &) = delete;
    HistoryDatabase &operator=(const HistoryDatabase &) = delete;

    // $KEEPWATCH_HISTORY, else $XDG_STATE_HOME/keepwatch/history.db.
    static QString defaultPath();

    std::optional<OpenResult> open(const QString &path);
    // A second connection to a database another connection opened (a reader
    // thread): never creates, migrates or moves anything aside. Read-only,
    // unless `indexing`: a search on it then indexes the lines the recorder
    // has not indexed yet (indexPendingLogLines), as it must to find them.
    enum class Access { ReadOnly, Indexing };
    bool openForReading(const QString &path, Access access = Access::ReadOnly);
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString errorString() const { return m_error; }
    // Where a recovered file was moved to.
    QString movedAsidePath() const { return m_movedAside; }
    int schemaVersion();

    QSqlDatabase &connection() { return m_db; }

    bool begin();
    bool commit();
    void rollback();

    // Session rows, identified by their primary key.
    std::optional<qint64> findSession(const SessionKey &key);
    std::optional<Session> loadSession(qint64 pk);
    std::optional<qint64> insertSession(const Session &session);
    bool updateSession(qint64 pk, const Session &session);
    bool insertLogLine(qint64 pk, qint64 seq, qint64 timestampMs, LogLevel level,
                       const QByteArray &message);
    // The full-text index follows the lines a little later, in bulk: FTS5
    // indexes a large batch much faster than many small ones, and recording
    // must keep up with the spool. Every line whose id is at most
    // search_progress.indexed_to is in the index, every later one is not
    // (new lines always get later ids; a removed line leaves the index only
    // if it was in it). Indexes at most `maxLines` pending lines (all when
    // negative), in a transaction of its own unless one is open. A search
    // calls it first, so that no recorded line is unfindable, even one that
    // a crash left unindexed.
    // How many were indexed; nothing when that failed.
    std::optional<qint64> indexPendingLogLines(qint64 maxLines = -1);
    // How many recorded lines are not in the index yet (-1: unknown).
    qint64 pendingLogLines();
    bool insertEvent(qint64 pk, qint64 timestampMs, const QString &type, const QByteArray &line);

    // Where the spool was read up to, committed with what was read.
    QHash<QString, SpoolTailer::Position> spoolPositions();
    bool saveSpoolPosition(const QString &path, const SpoolTailer::Position &position);
    // The same for a source that is not a spool (SessionSource::historyCursor),
    // by source identity.
    QHash<QString, QString> sourceCursors();
    bool saveSourceCursor(const QString &source, const QString &cursor);
    // Copies what another history recorded from sources other than the
    // own spool and the remote hosts' mirrors (sessions, logs, events,
    // cursors): a rebuild from those files cannot bring them back.
    bool copyRecordedSources(const QString &fromPath);

    // Every session, ordered by first event (a store is filled from it).
    QList<Session> sessions();
    // The same sessions, read a batch at a time: the window lists the first
    // ones while the rest are read. Valid while this connection is open.
    class SessionCursor {
    public:
        // Appends up to `max` more sessions; false once none is left.
        bool read(std::vector<Session> &out, qsizetype max);
        bool atEnd() const { return m_atEnd; }
        // Why the reading stopped before the last session (SQLite's words),
        // empty when it did not.
        QString errorString() const { return m_error; }

    private:
        friend class HistoryDatabase;
        explicit SessionCursor(std::shared_ptr<SqliteStatement> query);
        // Shared with the database, which finalizes it if it closes first.
        std::shared_ptr<SqliteStatement> m_query;
        std::vector<int> m_columns; // see SessionColumn in the .cpp
        bool m_atEnd = false;
        QString m_error;
    };
    SessionCursor sessionCursor();
    // How many sessions there are (0 when that cannot be read).
    qint64 sessionCount();
    struct StoredSession {
        qint64 pk = 0;
        Session session;
    };
    QList<StoredSession> storedSessions();

    // The file whose lock marks the one process recording into the database
    // at `path` (the window's collector, or a CLI command while it runs):
    // two recorders would read the same spool lines and write them twice.
    static QString recorderLockPath(const QString &path) { return path + QStringLiteral(".lock"); }
    // Log lines of one session: (timestamp, level, message), in order.
    struct LogLine {
        qint64 timestampMs;
        LogLevel level;
        QByteArray message;
    };
    QList<LogLine> logLines(qint64 pk, qint64 fromSeq = 0, qint64 limit = -1);
    // The newest `limit` lines of one session, oldest first.
    QList<LogLine> logTail(qint64 pk, qint64 limit);
    // Sessions whose log has a line matching an FTS5 query (words, "phrases", prefix*).
    QList<qint64> sessionsWithLogText(const QString &ftsQuery);

private:
    bool exec(const QString &sql);
    bool fail(const QString &what, const QSqlError &error);
    bool fail(const QString &what, const QString &error);
    bool migrate(int from);
    // The sessions table's columns in a query's result, by SessionColumn.
    static std::vector<int> sessionColumns(const SqliteStatement &query);
    static Session sessionFromRow(const SqliteStatement &query, const std::vector<int> &columns);
    // A query on the sessions table through SQLite's C API (QtSql made a
    // QVariant of every field: most of the start-up's reading time).
    std::shared_ptr<SqliteStatement> sessionQuery(const char *sql);

    bool findHandle();
    bool prepareStatements();
    std::optional<qint64> nextLogId();

    QSqlDatabase m_db;
    // The hot statements, prepared once: a log line through SQLite's C API,
    // the session rows and spool positions of each batch through QtSql.
    SqliteStatement m_insertLog;
    std::optional<QSqlQuery> m_updateSession;
    std::optional<QSqlQuery> m_saveSpoolPosition;
    QString m_connection;
    QString m_path;
    QString m_error;
    QString m_movedAside;
    sqlite3 *m_handle = nullptr; // QtSql's connection, for the C API
    // Cursors' statements, finalized by close() if still open.
    std::vector<std::weak_ptr<SqliteStatement>> m_cursorQueries;
    qint64 m_nextLogId = -1; // the id of the next line, known in a transaction
};

} // namespace kw
