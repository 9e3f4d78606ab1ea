// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace kw {

// One statement prepared once on an SQLite connection and run many times,
// through SQLite's C API: the history's hot paths (recording lines, reading
// the sessions at start-up). QSqlQuery costs a QVariant
// per value and a round trip of every message through UTF-16 (measured:
// most of the recorder's time before the C API).
class SqliteStatement final {
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool prepare(sqlite3 *db, const char *sql);
    void finalize();
    bool isPrepared() const { return m_statement != nullptr; }

    // Parameters are numbered from 1, as in SQLite.
    void bind(int index, qint64 value);
    // The bytes must live until run() returns (they are not copied).
    void bindText(int index, const QByteArray &utf8);
    // Runs the statement to completion and resets it for the next run.
    bool run();
    QString errorString() const;

    // Row by row, for a query: Row while there is one, then Done (or Error,
    // with errorString()) and the statement is reset for the next run.
    enum class Step { Row, Done, Error };
    Step step();
    // A result column by name (-1 when there is none): SELECT * follows the
    // schema's order, which migrations may change.
    int columnIndex(const char *name) const;
    // The current row's values; a column of -1 reads as NULL.
    bool isNull(int column) const;
    qint64 int64(int column) const;
    double real(int column) const;
    QString text(int column) const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    QString m_error; // of the last run that failed
};

} // namespace kw
