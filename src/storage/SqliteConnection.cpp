// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SqliteConnection.h"

#include <QFileInfo>
#include <QSqlError>
#include <QUrl>
#include <QUuid>

namespace tb::storage {

using core::Error;
using core::Result;

SqliteConnection::~SqliteConnection()
{
    close();
}

Result<void> SqliteConnection::open(const QString& path, const Options& options)
{
    close();
    m_options = options;
    m_path = path;
    if (path.isEmpty())
        return Error::make(Error::Code::Argument, QStringLiteral("No database path given"));
    if (options.readOnly && path != u":memory:" && !QFileInfo::exists(path))
        return Error::storage(QStringLiteral("%1: no such file").arg(path));

    auto attempt = [&](bool immutable) -> Result<void> {
        m_name = QStringLiteral("tb-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        QString connectOptions = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs);
        if (options.readOnly)
            connectOptions += QStringLiteral(";QSQLITE_OPEN_READONLY");
        if (immutable) {
            // A WAL file on read-only media cannot get its -shm side file; immutable=1 reads the
            // main file as it is (pages still in an old -wal file are not seen).
            connectOptions += QStringLiteral(";QSQLITE_OPEN_URI");
            m_db.setDatabaseName(QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toString(QUrl::FullyEncoded)
                                 + QStringLiteral("?immutable=1"));
        } else {
            m_db.setDatabaseName(path);
        }
        m_db.setConnectOptions(connectOptions);
        if (!m_db.open()) {
            const Error e = errorFrom(m_db.lastError(), QStringLiteral("open"));
            close();
            return e;
        }
        // A non-SQLite file opens fine and fails on the first read; find out now.
        auto probe = scalar(QStringLiteral("SELECT count(*) FROM sqlite_master"));
        if (!probe) {
            const Error e = probe.error();
            close();
            return Error::make(Error::Code::Format,
                               QStringLiteral("%1 is not a readable SQLite database (%2)").arg(path, e.message));
        }
        return {};
    };
    if (auto first = attempt(false); !first) {
        const bool cannotOpenSideFiles = options.readOnly && path != u":memory:"
            && (first.error().message.contains(u"unable to open") || first.error().message.contains(u"readonly"));
        if (!cannotOpenSideFiles) {
            if (!options.readOnly && QFileInfo::exists(path) && first.error().message.contains(u"unable to open")) {
                return Error::make(Error::Code::ReadOnly,
                                   QStringLiteral("%1 cannot be opened for writing: the file or its folder is read-only "
                                                  "(SQLite in WAL mode needs to create %1-wal and %1-shm); open it read-only")
                                       .arg(path));
            }
            return first;
        }
        if (auto second = attempt(true); !second)
            return first;
    }
    if (options.sdkPragmas && !options.readOnly) {
        auto wal = exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        if (!wal) {
            const Error e = wal.error();
            close();
            return e;
        }
    }
    return {};
}

void SqliteConnection::close()
{
    if (m_name.isEmpty())
        return;
    if (m_inTransaction)
        rollback();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
    m_name.clear();
}

Error SqliteConnection::errorFrom(const QSqlError& e, const QString& what) const
{
    QString text = e.databaseText();
    if (text.isEmpty())
        text = e.text();
    Error err = Error::storage(QStringLiteral("%1: %2").arg(what, text));
    if (text.contains(u"readonly", Qt::CaseInsensitive) || text.contains(u"read-only", Qt::CaseInsensitive))
        err.code = Error::Code::ReadOnly;
    return err;
}

Result<QSqlQuery> SqliteConnection::exec(const QString& sql, const QVariantList& binds)
{
    if (!m_db.isOpen())
        return Error::storage(QStringLiteral("database is not open"));
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return errorFrom(q.lastError(), QStringLiteral("SQL error"));
    for (const QVariant& v : binds) {
        // QtSql binds a null QString as SQL NULL, but a null QString is just an empty string to
        // every caller here (Python has no null strings: `branch_name=""` is a valid, reservable
        // id, spec §6.6). NULL is requested explicitly with a null QVariant (QVariant(QMetaType)).
        if (!v.isNull() && v.typeId() == QMetaType::QString && v.toString().isNull())
            q.addBindValue(QString(QLatin1String("")));
        else
            q.addBindValue(v);
    }
    if (!q.exec())
        return errorFrom(q.lastError(), QStringLiteral("SQL error"));
    return q;
}

Result<QSqlQuery> SqliteConnection::prepare(const QString& sql)
{
    if (!m_db.isOpen())
        return Error::storage(QStringLiteral("database is not open"));
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return errorFrom(q.lastError(), QStringLiteral("SQL error"));
    return q;
}

Result<QVariant> SqliteConnection::scalar(const QString& sql, const QVariantList& binds)
{
    auto q = exec(sql, binds);
    if (!q)
        return q.error();
    QVariant v;
    if (q->next())
        v = q->value(0);
    q->finish();
    return v;
}

Result<qint64> SqliteConnection::write(const QString& sql, const QVariantList& binds)
{
    auto q = exec(sql, binds);
    if (!q)
        return q.error();
    const qint64 n = q->numRowsAffected();
    q->finish();
    return n;
}

Result<void> SqliteConnection::begin(bool immediate)
{
    auto r = write(immediate ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    if (!r)
        return r.error();
    m_inTransaction = true;
    return {};
}

Result<void> SqliteConnection::commit()
{
    auto r = write(QStringLiteral("COMMIT"));
    if (!r) {
        rollback();
        return r.error();
    }
    m_inTransaction = false;
    return {};
}

void SqliteConnection::rollback()
{
    m_inTransaction = false;
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("ROLLBACK"));
}

QString SqliteConnection::placeholders(qsizetype n)
{
    QString s;
    s.reserve(n * 3);
    for (qsizetype i = 0; i < n; ++i)
        s += i ? QStringLiteral(", ?") : QStringLiteral("?");
    return s;
}

bool SqliteConnection::tableExists(const QString& name)
{
    auto v = scalar(QStringLiteral("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE"), {name});
    return v && v->isValid();
}

} // namespace tb::storage
