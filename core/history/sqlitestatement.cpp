// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/sqlitestatement.h"

#include <sqlite3.h>

namespace kw {

SqliteStatement::~SqliteStatement() {
    finalize();
}

bool SqliteStatement::prepare(sqlite3 *db, const char *sql) {
    finalize();
    m_error.clear();
    m_db = db;
    return db
           && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr)
                  == SQLITE_OK;
}

void SqliteStatement::finalize() {
    sqlite3_finalize(m_statement);
    m_statement = nullptr;
}

void SqliteStatement::bind(int index, qint64 value) {
    sqlite3_bind_int64(m_statement, index, value);
}

void SqliteStatement::bindText(int index, const QByteArray &utf8) {
    sqlite3_bind_text(m_statement, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
}

bool SqliteStatement::run() {
    int rc = sqlite3_step(m_statement);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(m_statement);
    if (rc != SQLITE_DONE)
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db)); // before the reset clears it
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    return rc == SQLITE_DONE;
}

SqliteStatement::Step SqliteStatement::step() {
    if (!m_statement)
        return Step::Error;
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return Step::Row;
    if (rc != SQLITE_DONE)
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db)); // before the reset clears it
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    return rc == SQLITE_DONE ? Step::Done : Step::Error;
}

int SqliteStatement::columnIndex(const char *name) const {
    const int count = sqlite3_column_count(m_statement);
    for (int c = 0; c < count; ++c) {
        if (qstrcmp(sqlite3_column_name(m_statement, c), name) == 0)
            return c;
    }
    return -1;
}

bool SqliteStatement::isNull(int column) const {
    return column < 0 || sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

qint64 SqliteStatement::int64(int column) const {
    return column < 0 ? 0 : sqlite3_column_int64(m_statement, column);
}

double SqliteStatement::real(int column) const {
    return column < 0 ? 0.0 : sqlite3_column_double(m_statement, column);
}

QString SqliteStatement::text(int column) const {
    if (column < 0)
        return {};
    // The pointer first, then the size: the documented order.
    const auto *utf8 = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
    return utf8 ? QString::fromUtf8(utf8, sqlite3_column_bytes(m_statement, column)) : QString();
}

QString SqliteStatement::errorString() const {
    if (!m_error.isEmpty())
        return m_error;
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("no database");
}

} // namespace kw
