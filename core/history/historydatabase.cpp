// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historydatabase.h"

#include "platform/nativefile.h"
#include "spool/spoollocation.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <algorithm>
#include <sqlite3.h>

namespace kw {

namespace {

// Each step takes the schema from version N-1 to N. Never edit a step that
// has shipped: add one.
const char *const kMigrations[] = {
    // 1: sessions, their timeline events and log lines, and spool positions.
    "CREATE TABLE sessions ("
    " pk INTEGER PRIMARY KEY,"
    " source TEXT NOT NULL, id TEXT NOT NULL,"
    " kind TEXT NOT NULL, state TEXT NOT NULL, state_reason TEXT,"
    " tool TEXT, host TEXT, user TEXT, target TEXT, title TEXT, cwd TEXT, command TEXT,"
    " pid INTEGER, producer_pid INTEGER, producer_start INTEGER, boot_id TEXT,"
    " started_ms INTEGER, ended_ms INTEGER, first_event_ms INTEGER NOT NULL,"
    " last_event_ms INTEGER NOT NULL, last_progress_ms INTEGER, last_progress_change_ms INTEGER,"
    " exit_code INTEGER, signal INTEGER, summary TEXT,"
    " percent REAL, bytes_done INTEGER, bytes_total INTEGER, files_done INTEGER,"
    " files_total INTEGER, rate REAL, eta INTEGER, current TEXT,"
    " log_lines INTEGER NOT NULL DEFAULT 0, warnings INTEGER NOT NULL DEFAULT 0,"
    " errors INTEGER NOT NULL DEFAULT 0, has_start INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (source, id));"
    "CREATE INDEX sessions_by_time ON sessions(first_event_ms);"
    "CREATE INDEX sessions_by_state ON sessions(state, first_event_ms);"
    "CREATE INDEX sessions_by_tool ON sessions(tool, first_event_ms);"
    "CREATE INDEX sessions_by_host ON sessions(host, first_event_ms);"
    "CREATE TABLE log_lines ("
    " id INTEGER PRIMARY KEY,"
    " session INTEGER NOT NULL REFERENCES sessions(pk) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, ts INTEGER NOT NULL, level INTEGER NOT NULL, msg TEXT NOT NULL);"
    "CREATE UNIQUE INDEX log_lines_by_session ON log_lines(session, seq);"
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY,"
    " session INTEGER NOT NULL REFERENCES sessions(pk) ON DELETE CASCADE,"
    " ts INTEGER NOT NULL, type TEXT NOT NULL, line TEXT NOT NULL);"
    "CREATE INDEX events_by_session ON events(session, ts);"
    "CREATE TABLE spool_positions ("
    " path TEXT PRIMARY KEY, dev INTEGER NOT NULL, ino INTEGER NOT NULL,"
    " offset INTEGER NOT NULL, line INTEGER NOT NULL);",
    // 2: full-text search in log lines (FTS5, kept in step by triggers).
    "CREATE VIRTUAL TABLE log_search USING fts5(msg, content='log_lines', content_rowid='id');"
    "CREATE TRIGGER log_lines_ai AFTER INSERT ON log_lines BEGIN"
    " INSERT INTO log_search(rowid, msg) VALUES (new.id, new.msg); END;"
    "CREATE TRIGGER log_lines_ad AFTER DELETE ON log_lines BEGIN"
    " INSERT INTO log_search(log_search, rowid, msg) VALUES ('delete', old.id, old.msg); END;"
    "INSERT INTO log_search(log_search) VALUES ('rebuild');",
    // 3: index new log lines in bulk, once per transaction, instead of one
    // FTS insert per line (measured: 4.2 s instead of 22.9 s for 900k lines).
    "DROP TRIGGER log_lines_ai;",
    // 4: the systemd unit and invocation ID a session ran under.
    "ALTER TABLE sessions ADD COLUMN unit TEXT;"
    "ALTER TABLE sessions ADD COLUMN invocation_id TEXT;",
    // 5: where a source other than the spool (systemd's journal) was read
    // up to, committed with what was read from it.
    "CREATE TABLE source_cursors (source TEXT PRIMARY KEY, cursor TEXT NOT NULL);",
    // 6: the full-text index follows the lines in large batches, a little
    // later (indexPendingLogLines): how far it has got, every line before
    // being indexed (schema 5 indexed each transaction's lines). A line
    // removed before it was indexed has nothing to remove from the index.
    "CREATE TABLE search_progress (indexed_to INTEGER NOT NULL);"
    "INSERT INTO search_progress SELECT COALESCE(max(id), 0) FROM log_lines;"
    "DROP TRIGGER log_lines_ad;"
    "CREATE TRIGGER log_lines_ad AFTER DELETE ON log_lines"
    " WHEN old.id <= (SELECT indexed_to FROM search_progress) BEGIN"
    " INSERT INTO log_search(log_search, rowid, msg) VALUES ('delete', old.id, old.msg); END;",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == HistoryDatabase::kSchemaVersion);

// Private from the first byte: SQLite gives its -wal and -shm files the
// database file's permissions.
void createPrivateFile(const QString &path) {
    NativeFile::createPrivate(path); // fails when it exists; SQLite then says the rest
}

// SQLite's own codes, as QtSql reports them.
bool isCorruption(const QSqlError &error) {
    const QString code = error.nativeErrorCode();
    return code == QLatin1String("26") || code == QLatin1String("11"); // NOTADB, CORRUPT
}

template<typename T>
QVariant orNull(const std::optional<T> &value) {
    return value ? QVariant::fromValue(*value) : QVariant();
}

QVariant textOrNull(const QString &text) {
    return text.isEmpty() ? QVariant() : QVariant(text);
}

constexpr char kSessionColumns[] =
    "source, id, kind, state, state_reason, tool, host, user, target, title, cwd, command,"
    " pid, producer_pid, producer_start, boot_id, started_ms, ended_ms, first_event_ms,"
    " last_event_ms, last_progress_ms, last_progress_change_ms, exit_code, signal, summary,"
    " percent, bytes_done, bytes_total, files_done, files_total, rate, eta, current,"
    " log_lines, warnings, errors, has_start, unit, invocation_id";

constexpr int columnCount(const char *columns) {
    int n = 1;
    for (; *columns; ++columns)
        n += *columns == ',' ? 1 : 0;
    return n;
}
constexpr int kSessionColumnCount = columnCount(kSessionColumns);

void bindSession(QSqlQuery &q, const Session &s) {
    int i = 0;
    auto bind = [&](const QVariant &v) {
        q.bindValue(i++, v);
    };
    bind(s.key.source);
    bind(s.key.id);
    bind(QString(wireName(s.kind)));
    bind(QString(wireName(s.state)));
    bind(textOrNull(s.stateReason));
    bind(textOrNull(s.tool));
    bind(textOrNull(s.host));
    bind(textOrNull(s.user));
    bind(textOrNull(s.target));
    bind(textOrNull(s.title));
    bind(textOrNull(s.cwd));
    bind(QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(s.command)).toJson(QJsonDocument::Compact)));
    bind(orNull(s.pid));
    bind(orNull(s.producerPid));
    bind(orNull(s.producerStartTicks));
    bind(textOrNull(s.bootId));
    bind(orNull(s.startedMs));
    bind(orNull(s.endedMs));
    bind(s.firstEventMs);
    bind(s.lastEventMs);
    bind(s.lastProgressMs);
    bind(s.lastProgressChangeMs);
    bind(orNull(s.exitCode));
    bind(orNull(s.signal));
    bind(textOrNull(s.summary));
    bind(orNull(s.progress.percent));
    bind(orNull(s.progress.bytesDone));
    bind(orNull(s.progress.bytesTotal));
    bind(orNull(s.progress.filesDone));
    bind(orNull(s.progress.filesTotal));
    bind(orNull(s.progress.rate));
    bind(orNull(s.progress.etaSeconds));
    bind(textOrNull(s.progress.current));
    bind(s.logLines);
    bind(s.warnings);
    bind(s.errors);
    bind(s.hasStart ? 1 : 0);
    bind(textOrNull(s.unit));
    bind(textOrNull(s.invocationId));
}

} // namespace

HistoryDatabase::HistoryDatabase()
    : m_connection(QStringLiteral("keepwatch-history-")
                   + QUuid::createUuid().toString(QUuid::Id128)) {}

HistoryDatabase::~HistoryDatabase() {
    close();
}

QString HistoryDatabase::defaultPath() {
    const QString fromEnv = qEnvironmentVariable("KEEPWATCH_HISTORY");
    if (!fromEnv.isEmpty())
        return QDir::cleanPath(fromEnv);
    return SpoolLocation::stateDirectory() + QLatin1String("/history.db");
}

bool HistoryDatabase::isOpen() const {
    return m_db.isValid() && m_db.isOpen();
}

void HistoryDatabase::close() {
    m_insertLog.finalize(); // before the connection closes under it
    for (const auto &cursor : m_cursorQueries) {
        if (const auto query = cursor.lock())
            query->finalize();
    }
    m_cursorQueries.clear();
    m_updateSession.reset();
    m_saveSpoolPosition.reset();
    m_handle = nullptr;
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool HistoryDatabase::fail(const QString &what, const QSqlError &error) {
    return fail(what, error.text());
}

bool HistoryDatabase::fail(const QString &what, const QString &error) {
    m_error = QStringLiteral("%1 (%2): %3").arg(what, m_path, error);
    return false;
}

bool HistoryDatabase::exec(const QString &sql) {
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        return fail(QStringLiteral("cannot run \"%1\"").arg(sql.left(60)), q.lastError());
    return true;
}

int HistoryDatabase::schemaVersion() {
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

std::optional<HistoryDatabase::OpenResult> HistoryDatabase::open(const QString &path) {
    close();
    m_path = path;
    m_error.clear();
    m_movedAside.clear();
    const QFileInfo info(path);
    if (const QString why = SpoolLocation::ensureDirectory(info.absolutePath()); !why.isEmpty()) {
        m_error = why;
        return std::nullopt;
    }
    bool created = !info.exists();
    if (created) {
        createPrivateFile(path);
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        m_db.setDatabaseName(path);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!m_db.open()) {
            fail(QStringLiteral("cannot open the history database"), m_db.lastError());
            close();
            return std::nullopt;
        }
        QSqlQuery probe(m_db);
        if (probe.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")))
            break;
        if (!isCorruption(probe.lastError()) || attempt > 0) {
            fail(QStringLiteral("cannot read the history database"), probe.lastError());
            close();
            return std::nullopt;
        }
        // Unreadable: never fatal. Keep the file for a post-mortem and start
        // afresh; the spool has everything.
        probe = QSqlQuery();
        close();
        m_movedAside =
            path + QStringLiteral(".corrupt-")
            + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmss"));
        QFile::rename(path, m_movedAside);
        QFile::remove(path + QLatin1String("-wal"));
        QFile::remove(path + QLatin1String("-shm"));
        createPrivateFile(path);
        created = true;
    }
    if (!exec(QStringLiteral("PRAGMA journal_mode=WAL"))
        || !exec(QStringLiteral("PRAGMA synchronous=NORMAL"))
        || !exec(QStringLiteral("PRAGMA foreign_keys=ON"))
        // 64 MiB of page cache, not 2: each batch's lines go to 200
        // sessions' places in the (session, seq) index, and the index
        // merges read back what the last batches wrote.
        || !exec(QStringLiteral("PRAGMA cache_size=-65536"))) {
        close();
        return std::nullopt;
    }
    const int version = schemaVersion();
    if (version > kSchemaVersion) {
        m_error =
            QStringLiteral("%1 was written by a newer Keepwatch (schema %2, this one knows %3); "
                           "it is left untouched")
                .arg(path)
                .arg(version)
                .arg(kSchemaVersion);
        close();
        return std::nullopt;
    }
    if (version < kSchemaVersion && !migrate(version)) {
        close();
        return std::nullopt;
    }
    if (!prepareStatements()) {
        close();
        return std::nullopt;
    }
    if (!m_movedAside.isEmpty())
        return OpenResult::Recovered;
    return created || version == 0 ? OpenResult::Created : OpenResult::Opened;
}

bool HistoryDatabase::openForReading(const QString &path, Access access) {
    close();
    m_path = path;
    m_error.clear();
    m_movedAside.clear();
    if (!QFileInfo::exists(path)) {
        m_error = QStringLiteral("%1 does not exist").arg(path);
        return false;
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(access == Access::ReadOnly
                               ? QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000")
                               : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open()) {
        fail(QStringLiteral("cannot open the history database"), m_db.lastError());
        close();
        return false;
    }
    const int version = schemaVersion();
    if (version != kSchemaVersion) {
        m_error =
            QStringLiteral("%1 has schema %2, not %3").arg(path).arg(version).arg(kSchemaVersion);
        close();
        return false;
    }
    if (!findHandle()) {
        close();
        return false;
    }
    return true;
}

bool HistoryDatabase::findHandle() {
    // QSQLITE's connection, to use SQLite's C API on it (the same
    // transactions); Debian's driver uses the system's libsqlite3, as we do.
    const QVariant handle = m_db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0
        || !(m_handle = *static_cast<sqlite3 *const *>(handle.constData())))
        return fail(QStringLiteral("cannot reach SQLite under QtSql"), QStringLiteral("no handle"));
    return true;
}

bool HistoryDatabase::prepareStatements() {
    if (!findHandle())
        return false;
    // The id is given: a new line must come after every indexed one, even
    // when the newest lines were removed (SQLite would reuse their ids).
    if (!m_insertLog.prepare(m_handle, "INSERT INTO log_lines (id, session, seq, ts, level, msg)"
                                       " VALUES (?, ?, ?, ?, ?, ?)"))
        return fail(QStringLiteral("cannot prepare"), m_insertLog.errorString());
    QStringList assignments;
    for (const QString &column : QString::fromLatin1(kSessionColumns).split(QLatin1Char(',')))
        assignments << column.trimmed() + QLatin1String(" = ?");
    m_updateSession.emplace(m_db);
    if (!m_updateSession->prepare(QStringLiteral("UPDATE sessions SET %1 WHERE pk = ?")
                                      .arg(assignments.join(QLatin1Char(',')))))
        return fail(QStringLiteral("cannot prepare"), m_updateSession->lastError());
    m_saveSpoolPosition.emplace(m_db);
    if (!m_saveSpoolPosition->prepare(QStringLiteral(
            "INSERT INTO spool_positions (path, dev, ino, offset, line) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino,"
            " offset = excluded.offset, line = excluded.line")))
        return fail(QStringLiteral("cannot prepare"), m_saveSpoolPosition->lastError());
    return true;
}

bool HistoryDatabase::migrate(int from) {
    for (int version = from + 1; version <= kSchemaVersion; ++version) {
        if (!begin())
            return false;
        const QStringList statements = QString::fromLatin1(kMigrations[version - 1])
                                           .split(QLatin1Char(';'), Qt::SkipEmptyParts);
        // Trigger bodies contain ';': glue "BEGIN ... END" back together.
        QStringList glued;
        for (const QString &part : statements) {
            if (!glued.isEmpty() && glued.last().contains(QLatin1String(" BEGIN"))
                && !glued.last().endsWith(QLatin1String(" END")))
                glued.last() += QLatin1Char(';') + part;
            else
                glued << part;
        }
        for (const QString &sql : std::as_const(glued)) {
            if (!sql.trimmed().isEmpty() && !exec(sql)) {
                m_error = QStringLiteral("cannot migrate the history to schema %1: %2")
                              .arg(version)
                              .arg(m_error);
                rollback();
                return false;
            }
        }
        if (!exec(QStringLiteral("PRAGMA user_version = %1").arg(version)) || !commit())
            return false;
    }
    return true;
}

bool HistoryDatabase::begin() {
    m_nextLogId = -1;
    // Taking the write lock at once: a search indexes pending lines from
    // another connection while the recorder writes, and a transaction that
    // read first could not wait for it (SQLITE_BUSY_SNAPSHOT, at once).
    return exec(QStringLiteral("BEGIN IMMEDIATE"));
}

bool HistoryDatabase::commit() {
    m_nextLogId = -1;
    return m_db.commit() || fail(QStringLiteral("cannot commit"), m_db.lastError());
}

void HistoryDatabase::rollback() {
    m_db.rollback();
    m_nextLogId = -1; // those lines are gone with the transaction
}

std::optional<qint64> HistoryDatabase::findSession(const SessionKey &key) {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT pk FROM sessions WHERE source = ? AND id = ?"));
    q.addBindValue(key.source);
    q.addBindValue(key.id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

namespace {

// The columns sessionFromRow reads, in the order of kSessionColumnNames.
enum SessionColumn {
    Source,
    Id,
    Kind,
    State,
    StateReason,
    Tool,
    Host,
    User,
    Target,
    Title,
    Cwd,
    Command,
    Pid,
    ProducerPid,
    ProducerStart,
    BootId,
    StartedMs,
    EndedMs,
    FirstEventMs,
    LastEventMs,
    LastProgressMs,
    LastProgressChangeMs,
    ExitCode,
    Signal,
    Summary,
    Percent,
    BytesDone,
    BytesTotal,
    FilesDone,
    FilesTotal,
    Rate,
    Eta,
    Current,
    LogLines,
    Warnings,
    Errors,
    HasStart,
    Unit,
    InvocationId,
    Pk,
    SessionColumnCount
};

constexpr const char *kSessionColumnNames[] = {"source",
                                               "id",
                                               "kind",
                                               "state",
                                               "state_reason",
                                               "tool",
                                               "host",
                                               "user",
                                               "target",
                                               "title",
                                               "cwd",
                                               "command",
                                               "pid",
                                               "producer_pid",
                                               "producer_start",
                                               "boot_id",
                                               "started_ms",
                                               "ended_ms",
                                               "first_event_ms",
                                               "last_event_ms",
                                               "last_progress_ms",
                                               "last_progress_change_ms",
                                               "exit_code",
                                               "signal",
                                               "summary",
                                               "percent",
                                               "bytes_done",
                                               "bytes_total",
                                               "files_done",
                                               "files_total",
                                               "rate",
                                               "eta",
                                               "current",
                                               "log_lines",
                                               "warnings",
                                               "errors",
                                               "has_start",
                                               "unit",
                                               "invocation_id",
                                               "pk"};
static_assert(std::size(kSessionColumnNames) == SessionColumnCount);

} // namespace

// Columns by name, looked up once per query (SELECT * follows the schema's
// order, which migrations may change).
std::vector<int> HistoryDatabase::sessionColumns(const SqliteStatement &q) {
    std::vector<int> columns(SessionColumnCount);
    for (int c = 0; c < SessionColumnCount; ++c)
        columns[size_t(c)] = q.columnIndex(kSessionColumnNames[c]);
    return columns;
}

Session HistoryDatabase::sessionFromRow(const SqliteStatement &q, const std::vector<int> &columns) {
    const auto column = [&](SessionColumn c) {
        return columns[size_t(c)];
    };
    const auto text = [&](SessionColumn c) {
        return q.text(column(c));
    };
    const auto integer = [&](SessionColumn c) {
        return q.int64(column(c));
    };
    const auto optionalInteger = [&](SessionColumn c) -> std::optional<qint64> {
        if (q.isNull(column(c)))
            return std::nullopt;
        return q.int64(column(c));
    };
    const auto optionalInt = [&](SessionColumn c) -> std::optional<int> {
        if (const auto value = optionalInteger(c))
            return int(*value);
        return std::nullopt;
    };
    const auto optionalReal = [&](SessionColumn c) -> std::optional<double> {
        if (q.isNull(column(c)))
            return std::nullopt;
        return q.real(column(c));
    };
    Session s;
    s.key = SessionKey{text(Source), text(Id)};
    s.kind = sessionKindFromString(text(Kind)).value_or(SessionKind::Other);
    s.state = sessionStateFromString(text(State)).value_or(SessionState::Exited);
    s.stateReason = text(StateReason);
    s.tool = text(Tool);
    s.host = text(Host);
    s.user = text(User);
    s.target = text(Target);
    s.title = text(Title);
    s.cwd = text(Cwd);
    // Most sessions of the history were found, not wrapped: "[]", no parse.
    if (const QString command = text(Command);
        !command.isEmpty() && command != QLatin1String("[]")) {
        for (const auto &v : QJsonDocument::fromJson(command.toUtf8()).array())
            s.command << v.toString();
    }
    s.pid = optionalInteger(Pid);
    s.producerPid = optionalInteger(ProducerPid);
    if (const auto start = optionalInteger(ProducerStart))
        s.producerStartTicks = quint64(*start);
    s.bootId = text(BootId);
    s.startedMs = optionalInteger(StartedMs);
    s.endedMs = optionalInteger(EndedMs);
    s.firstEventMs = integer(FirstEventMs);
    s.lastEventMs = integer(LastEventMs);
    s.lastProgressMs = integer(LastProgressMs);
    s.lastProgressChangeMs = integer(LastProgressChangeMs);
    s.exitCode = optionalInt(ExitCode);
    s.signal = optionalInt(Signal);
    s.summary = text(Summary);
    s.progress.percent = optionalReal(Percent);
    s.progress.bytesDone = optionalInteger(BytesDone);
    s.progress.bytesTotal = optionalInteger(BytesTotal);
    s.progress.filesDone = optionalInteger(FilesDone);
    s.progress.filesTotal = optionalInteger(FilesTotal);
    s.progress.rate = optionalReal(Rate);
    s.progress.etaSeconds = optionalInteger(Eta);
    s.progress.current = text(Current);
    s.logLines = integer(LogLines);
    s.warnings = integer(Warnings);
    s.errors = integer(Errors);
    s.hasStart = integer(HasStart) != 0;
    s.unit = text(Unit);
    s.invocationId = text(InvocationId);
    return s;
}

std::shared_ptr<SqliteStatement> HistoryDatabase::sessionQuery(const char *sql) {
    auto query = std::make_shared<SqliteStatement>();
    if (!m_handle && isOpen())
        findHandle();
    if (!query->prepare(m_handle, sql)) {
        fail(QStringLiteral("cannot read the sessions"), query->errorString());
        query->finalize();
        return query;
    }
    m_cursorQueries.erase(std::remove_if(m_cursorQueries.begin(), m_cursorQueries.end(),
                                         [](const auto &q) { return q.expired(); }),
                          m_cursorQueries.end());
    m_cursorQueries.push_back(query);
    return query;
}

std::optional<Session> HistoryDatabase::loadSession(qint64 pk) {
    const auto q = sessionQuery("SELECT * FROM sessions WHERE pk = ?");
    if (!q->isPrepared())
        return std::nullopt;
    q->bind(1, pk);
    if (q->step() != SqliteStatement::Step::Row)
        return std::nullopt;
    Session session = sessionFromRow(*q, sessionColumns(*q));
    q->finalize();
    return session;
}

std::optional<qint64> HistoryDatabase::insertSession(const Session &s) {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO sessions (%1) VALUES (%2)")
                  .arg(QLatin1String(kSessionColumns),
                       QStringList(QString::fromLatin1(kSessionColumns).count(QLatin1Char(',')) + 1,
                                   QStringLiteral("?"))
                           .join(QLatin1Char(','))));
    bindSession(q, s);
    if (!q.exec()) {
        fail(QStringLiteral("cannot add session %1").arg(s.key.id), q.lastError());
        return std::nullopt;
    }
    return q.lastInsertId().toLongLong();
}

bool HistoryDatabase::updateSession(qint64 pk, const Session &s) {
    QSqlQuery &q = *m_updateSession;
    bindSession(q, s);
    q.bindValue(kSessionColumnCount, pk); // after the columns
    return q.exec()
           || fail(QStringLiteral("cannot update session %1").arg(s.key.id), q.lastError());
}

std::optional<qint64> HistoryDatabase::nextLogId() {
    // Known once per transaction: nothing else writes lines meanwhile.
    if (m_nextLogId < 0 || sqlite3_get_autocommit(m_handle)) {
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("SELECT max(COALESCE((SELECT max(id) FROM log_lines), 0),"
                                   " (SELECT indexed_to FROM search_progress)) + 1"))
            || !q.next()) {
            fail(QStringLiteral("cannot number a log line"), q.lastError());
            return std::nullopt;
        }
        m_nextLogId = q.value(0).toLongLong();
    }
    return m_nextLogId++;
}

bool HistoryDatabase::insertLogLine(qint64 pk, qint64 seq, qint64 ts, LogLevel level,
                                    const QByteArray &message) {
    if (!m_insertLog.isPrepared())
        return fail(QStringLiteral("cannot add a log line"), QStringLiteral("opened for reading"));
    const std::optional<qint64> id = nextLogId();
    if (!id)
        return false;
    m_insertLog.bind(1, *id);
    m_insertLog.bind(2, pk);
    m_insertLog.bind(3, seq);
    m_insertLog.bind(4, ts);
    m_insertLog.bind(5, int(level));
    m_insertLog.bindText(6, message);
    if (!m_insertLog.run()) {
        m_nextLogId = -1; // asked again: the statement may have failed for any reason
        return fail(QStringLiteral("cannot add a log line"), m_insertLog.errorString());
    }
    return true;
}

std::optional<qint64> HistoryDatabase::indexPendingLogLines(qint64 maxLines) {
    // In a transaction of its own unless one is open: another connection
    // (the window's recorder, a CLI search) may index at the same time.
    const bool own = sqlite3_get_autocommit(m_handle) != 0;
    QSqlQuery q(m_db);
    // Nothing to do, nothing written (a reader may search then).
    if (own
        && q.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM log_lines"
                                 " WHERE id > (SELECT indexed_to FROM search_progress))"))
        && q.next() && !q.value(0).toBool())
        return 0;
    q.finish();
    if (own && !begin())
        return std::nullopt;
    qint64 indexed = 0;
    bool ok = q.exec(QStringLiteral("SELECT indexed_to FROM search_progress")) && q.next();
    const qint64 from = ok ? q.value(0).toLongLong() : 0;
    ok =
        ok
        && q.prepare(QStringLiteral("SELECT count(*), max(id) FROM"
                                    " (SELECT id FROM log_lines WHERE id > ? ORDER BY id LIMIT ?)"))
        && (q.addBindValue(from), q.addBindValue(maxLines), q.exec()) && q.next();
    if (ok && q.value(0).toLongLong() > 0) {
        indexed = q.value(0).toLongLong();
        const qint64 to = q.value(1).toLongLong();
        ok = q.prepare(QStringLiteral("INSERT INTO log_search(rowid, msg)"
                                      " SELECT id, msg FROM log_lines WHERE id > ? AND id <= ?"))
             && (q.addBindValue(from), q.addBindValue(to), q.exec())
             && q.prepare(QStringLiteral("UPDATE search_progress SET indexed_to = ?"))
             && (q.addBindValue(to), q.exec());
    }
    if (!ok)
        fail(QStringLiteral("cannot index log lines for search"), q.lastError());
    q.finish();
    if (own) {
        ok = ok && commit();
        if (!ok)
            rollback(); // keeps m_error
    }
    if (!ok)
        return std::nullopt;
    return indexed;
}

qint64 HistoryDatabase::pendingLogLines() {
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM log_lines"
                               " WHERE id > (SELECT indexed_to FROM search_progress)"))
        || !q.next())
        return -1; // unknown: a caller indexes (and hears why that fails)
    return q.value(0).toLongLong();
}

bool HistoryDatabase::insertEvent(qint64 pk, qint64 ts, const QString &type,
                                  const QByteArray &line) {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO events (session, ts, type, line) VALUES (?, ?, ?, ?)"));
    q.addBindValue(pk);
    q.addBindValue(ts);
    q.addBindValue(type);
    q.addBindValue(QString::fromUtf8(line));
    return q.exec() || fail(QStringLiteral("cannot add an event"), q.lastError());
}

QHash<QString, SpoolTailer::Position> HistoryDatabase::spoolPositions() {
    QHash<QString, SpoolTailer::Position> out;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT path, dev, ino, offset, line FROM spool_positions")))
        return out;
    while (q.next())
        out.insert(q.value(0).toString(),
                   SpoolTailer::Position{q.value(1).toULongLong(), q.value(2).toULongLong(),
                                         q.value(3).toLongLong(), q.value(4).toLongLong()});
    return out;
}

bool HistoryDatabase::saveSpoolPosition(const QString &path, const SpoolTailer::Position &p) {
    QSqlQuery &q = *m_saveSpoolPosition;
    q.bindValue(0, path);
    q.bindValue(1, qint64(p.dev));
    q.bindValue(2, qint64(p.ino));
    q.bindValue(3, p.offset);
    q.bindValue(4, p.line);
    return q.exec() || fail(QStringLiteral("cannot save the spool position"), q.lastError());
}

QHash<QString, QString> HistoryDatabase::sourceCursors() {
    QHash<QString, QString> out;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT source, cursor FROM source_cursors")))
        return out;
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toString());
    return out;
}

bool HistoryDatabase::saveSourceCursor(const QString &source, const QString &cursor) {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO source_cursors (source, cursor) VALUES (?, ?)"
                             " ON CONFLICT(source) DO UPDATE SET cursor = excluded.cursor"));
    q.addBindValue(source);
    q.addBindValue(cursor);
    return q.exec()
           || fail(QStringLiteral("cannot save where %1 was read up to").arg(source),
                   q.lastError());
}

bool HistoryDatabase::copyRecordedSources(const QString &fromPath) {
    QSqlQuery attach(m_db);
    attach.prepare(QStringLiteral("ATTACH DATABASE ? AS old"));
    attach.addBindValue(fromPath);
    if (!attach.exec())
        return fail(QStringLiteral("cannot open %1").arg(fromPath), attach.lastError());
    QSqlQuery version(m_db);
    // Before schema 5 nothing but the spool was recorded.
    const bool hasRecorded = version.exec(QStringLiteral("PRAGMA old.user_version"))
                             && version.next() && version.value(0).toInt() >= 5;
    version.finish();
    bool ok = true;
    if (hasRecorded) {
        const QString columns = QString::fromLatin1(kSessionColumns);
        // What a reindex rebuilds from files is not copied: the own spool's
        // sessions and the remote hosts' mirrored ones ("remote:<host>",
        // RemoteSpools::identityFor).
        const auto notFromFiles = [](const char *table) {
            return QStringLiteral(" WHERE %1.source <> 'spool' AND %1.source NOT LIKE 'remote:%'")
                .arg(QLatin1String(table));
        };
        const QString sameSession =
            QStringLiteral(" FROM old.%1 x JOIN old.sessions o ON x.session = o.pk"
                           " JOIN sessions n ON n.source = o.source AND n.id = o.id")
            + notFromFiles("o");
        // The index first caught up: the copied lines are indexed here, and
        // what was pending must not be skipped when the mark moves past it.
        ok = begin() && indexPendingLogLines();
        QSqlQuery last(m_db);
        ok = ok && last.exec(QStringLiteral("SELECT COALESCE(max(id), 0) FROM log_lines"))
             && last.next();
        const qint64 lastLogId = ok ? last.value(0).toLongLong() : 0;
        last.finish();
        ok = ok
             && exec(QStringLiteral("INSERT INTO sessions (%1) SELECT %1 FROM old.sessions s")
                         .arg(columns)
                     + notFromFiles("s"))
             && exec(QStringLiteral("INSERT INTO log_lines (session, seq, ts, level, msg)"
                                    " SELECT n.pk, x.seq, x.ts, x.level, x.msg")
                     + sameSession.arg(QStringLiteral("log_lines")))
             && exec(QStringLiteral("INSERT INTO events (session, ts, type, line)"
                                    " SELECT n.pk, x.ts, x.type, x.line")
                     + sameSession.arg(QStringLiteral("events")))
             && exec(QStringLiteral("INSERT INTO log_search(rowid, msg) SELECT id, msg"
                                    " FROM log_lines WHERE id > %1")
                         .arg(lastLogId))
             && exec(QStringLiteral("UPDATE search_progress SET indexed_to = max(indexed_to,"
                                    " (SELECT COALESCE(max(id), 0) FROM log_lines))"))
             && exec(QStringLiteral("INSERT OR REPLACE INTO source_cursors (source, cursor)"
                                    " SELECT source, cursor FROM old.source_cursors"));
        if (ok)
            ok = commit();
        else
            rollback();
    }
    const QString error = m_error;
    QSqlQuery detach(m_db);
    detach.exec(QStringLiteral("DETACH DATABASE old"));
    m_error = error;
    return ok;
}

QList<Session> HistoryDatabase::sessions() {
    std::vector<Session> read;
    SessionCursor cursor = sessionCursor();
    while (cursor.read(read, 10000)) {
    }
    return QList<Session>(std::make_move_iterator(read.begin()),
                          std::make_move_iterator(read.end()));
}

HistoryDatabase::SessionCursor HistoryDatabase::sessionCursor() {
    SessionCursor cursor(sessionQuery("SELECT * FROM sessions ORDER BY first_event_ms, pk"));
    if (cursor.atEnd())
        cursor.m_error = errorString();
    return cursor;
}

qint64 HistoryDatabase::sessionCount() {
    QSqlQuery q(m_db);
    return q.exec(QStringLiteral("SELECT count(*) FROM sessions")) && q.next()
               ? q.value(0).toLongLong()
               : 0;
}

HistoryDatabase::SessionCursor::SessionCursor(std::shared_ptr<SqliteStatement> query)
    : m_query(std::move(query))
    , m_columns(sessionColumns(*m_query))
    , m_atEnd(!m_query->isPrepared()) {}

bool HistoryDatabase::SessionCursor::read(std::vector<Session> &out, qsizetype max) {
    for (qsizetype n = 0; n < max && !m_atEnd; ++n) {
        // Finalized when the database closed under it: nothing more to read.
        const auto step = m_query->isPrepared() ? m_query->step() : SqliteStatement::Step::Done;
        if (step == SqliteStatement::Step::Row) {
            out.push_back(sessionFromRow(*m_query, m_columns));
            continue;
        }
        if (step == SqliteStatement::Step::Error) // a damaged page, say
            m_error = m_query->errorString();
        m_atEnd = true;
        m_query->finalize(); // ends the read transaction
    }
    return !m_atEnd;
}

QList<HistoryDatabase::StoredSession> HistoryDatabase::storedSessions() {
    QList<StoredSession> out;
    const auto q = sessionQuery("SELECT * FROM sessions ORDER BY first_event_ms, pk");
    if (!q->isPrepared())
        return out;
    const std::vector<int> columns = sessionColumns(*q);
    SqliteStatement::Step step;
    while ((step = q->step()) == SqliteStatement::Step::Row)
        out.append({q->int64(columns[Pk]), sessionFromRow(*q, columns)});
    if (step == SqliteStatement::Step::Error)
        fail(QStringLiteral("cannot read the sessions"), q->errorString());
    q->finalize();
    return out;
}

QList<HistoryDatabase::LogLine> HistoryDatabase::logLines(qint64 pk, qint64 fromSeq, qint64 limit) {
    QList<LogLine> out;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    // As a blob: the UTF-8 bytes as stored, without a round trip through UTF-16.
    q.prepare(QStringLiteral("SELECT ts, level, CAST(msg AS BLOB) FROM log_lines "
                             "WHERE session = ? AND seq >= ? ORDER BY seq LIMIT ?"));
    q.addBindValue(pk);
    q.addBindValue(fromSeq);
    q.addBindValue(limit);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(LogLine{q.value(0).toLongLong(), LogLevel(q.value(1).toInt()),
                           q.value(2).toByteArray()});
    return out;
}

QList<HistoryDatabase::LogLine> HistoryDatabase::logTail(qint64 pk, qint64 limit) {
    QList<LogLine> out;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    // Newest first through the (session, seq) index, then put back in order.
    q.prepare(QStringLiteral("SELECT ts, level, CAST(msg AS BLOB) FROM log_lines "
                             "WHERE session = ? ORDER BY seq DESC LIMIT ?"));
    q.addBindValue(pk);
    q.addBindValue(limit);
    if (!q.exec()) {
        fail(QStringLiteral("cannot read the log"), q.lastError());
        return out;
    }
    while (q.next())
        out.append(LogLine{q.value(0).toLongLong(), LogLevel(q.value(1).toInt()),
                           q.value(2).toByteArray()});
    std::reverse(out.begin(), out.end());
    return out;
}

QList<qint64> HistoryDatabase::sessionsWithLogText(const QString &ftsQuery) {
    QList<qint64> out;
    if (!indexPendingLogLines())
        return out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "SELECT DISTINCT l.session FROM log_search s JOIN log_lines l ON l.id = s.rowid"
        " WHERE log_search MATCH ? ORDER BY l.session"));
    q.addBindValue(ftsQuery);
    if (!q.exec()) {
        fail(QStringLiteral("cannot search the logs"), q.lastError());
        return out;
    }
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}

} // namespace kw
