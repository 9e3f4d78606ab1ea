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

QString SqliteStatement::errorString() const {
    if (!m_error.isEmpty())
        return m_error;
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("no database");
}

} // namespace kw
