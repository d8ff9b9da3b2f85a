// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Result.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <QVariantList>

namespace tb::storage {

/// One named QtSql connection to an SQLite file, owned by exactly one object (a session object or
/// a store), as the SDK opens one connection per session object. All SQL goes through exec() with
/// bound values; a failure becomes a core::Error with the driver's text.
class SqliteConnection final
{
public:
    struct Options
    {
        bool readOnly = false;
        bool sdkPragmas = true;  // PRAGMA journal_mode=WAL on open, as every SDK connection does
        int busyTimeoutMs = 5000; // Python sqlite3's default timeout
    };

    SqliteConnection() = default;
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    /// Opens the file (creating it unless read-only, as sqlite3.connect does) and checks that it
    /// really is an SQLite database.
    core::Result<void> open(const QString& path, const Options& options);
    void close();
    [[nodiscard]] bool isOpen() const { return m_db.isOpen(); }
    [[nodiscard]] bool isReadOnly() const { return m_options.readOnly; }
    [[nodiscard]] const QString& path() const { return m_path; }

    /// Prepares, binds and runs one statement. The returned query is forward-only and positioned
    /// before the first row.
    core::Result<QSqlQuery> exec(const QString& sql, const QVariantList& binds = {});
    /// A prepared statement to bind and run many times (bulk writes).
    core::Result<QSqlQuery> prepare(const QString& sql);
    /// First column of the first row, or an invalid QVariant when there is no row.
    core::Result<QVariant> scalar(const QString& sql, const QVariantList& binds = {});
    /// Rows changed by a write statement.
    core::Result<qint64> write(const QString& sql, const QVariantList& binds = {});

    core::Result<void> begin(bool immediate = false);
    core::Result<void> commit();
    void rollback();
    [[nodiscard]] bool inTransaction() const { return m_inTransaction; }

    [[nodiscard]] bool tableExists(const QString& name);
    /// "?, ?, …" with `n` parameters, for `IN (…)` lists bound one value each.
    [[nodiscard]] static QString placeholders(qsizetype n);

private:
    core::Error errorFrom(const QSqlError& e, const QString& what) const;

    QSqlDatabase m_db;
    QString m_name;
    QString m_path;
    Options m_options;
    bool m_inTransaction = false;
};

/// Rolls back on scope exit unless commit() succeeded: a failed operation never leaves half a
/// write behind.
class SqliteTransaction final
{
public:
    explicit SqliteTransaction(SqliteConnection& c) : m_c(c) {}
    ~SqliteTransaction()
    {
        if (m_c.inTransaction())
            m_c.rollback();
    }
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    core::Result<void> begin(bool immediate = false) { return m_c.begin(immediate); }
    core::Result<void> commit() { return m_c.commit(); }

private:
    SqliteConnection& m_c;
};

} // namespace tb::storage
