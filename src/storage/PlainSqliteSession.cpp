// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "PlainSqliteSession.h"

#include "SqliteConnection.h"

#include "MessageRows.h"

#include <QSqlQuery>

namespace tb::storage {

PlainSqliteSession::PlainSqliteSession() : m_connPtr(std::make_unique<SqliteConnection>()), m_conn(*m_connPtr) {}

PlainSqliteSession::~PlainSqliteSession() = default;

using core::Error;
using core::Json;
using core::Result;

Result<std::unique_ptr<PlainSqliteSession>> PlainSqliteSession::open(const QString& dbPath, const QString& sessionId,
                                                                     const Options& options)
{
    std::unique_ptr<PlainSqliteSession> s(new PlainSqliteSession);
    s->m_sessionId = sessionId;
    s->m_options = options;
    SqliteConnection::Options co;
    co.readOnly = options.readOnly;
    auto opened = s->m_conn.open(dbPath, co);
    if (!opened)
        return opened.error();
    if (!options.readOnly) {
        auto created = SdkSchema::createBaseTables(s->m_conn, options.tables);
        if (!created)
            return created.error();
    }
    return s;
}

Result<void> PlainSqliteSession::checkOpen() const
{
    if (m_closed)
        return Error::runtime(QStringLiteral("SQLiteSession is closed"));
    return {};
}

void PlainSqliteSession::close()
{
    m_closed = true;
    m_conn.close();
}

Result<QList<Json>> PlainSqliteSession::getItems(std::optional<qint64> limit)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    const auto effective = limit ? limit : m_options.limit;
    const QString& m = m_options.tables.messages;
    return MessageRows::read(
        m_conn, QStringLiteral("SELECT message_data FROM %1 WHERE session_id = ? ORDER BY id ASC").arg(m),
        QStringLiteral("SELECT message_data FROM %1 WHERE session_id = ? ORDER BY id DESC LIMIT ?").arg(m), {m_sessionId},
        effective);
}

Result<void> PlainSqliteSession::addItems(const QList<Json>& items)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    if (items.isEmpty())
        return {};
    SqliteTransaction tx(m_conn);
    if (auto b = tx.begin(); !b)
        return b.error();
    if (auto r = MessageRows::insert(m_conn, m_options.tables, m_sessionId, items); !r)
        return r.error();
    return tx.commit();
}

Result<std::optional<Json>> PlainSqliteSession::popItem()
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    const QString sql = QStringLiteral("DELETE FROM %1 WHERE id = (SELECT id FROM %1 WHERE session_id = ? ORDER BY id DESC LIMIT 1) "
                                       "RETURNING message_data")
                            .arg(m_options.tables.messages);
    // Each deletion commits on its own; corrupt rows are dropped and the next one is tried.
    while (true) {
        SqliteTransaction tx(m_conn);
        if (auto b = tx.begin(); !b)
            return b.error();
        auto q = m_conn.exec(sql, {m_sessionId});
        if (!q)
            return q.error();
        if (!q->next()) {
            q->finish();
            if (auto c = tx.commit(); !c)
                return c.error();
            return std::optional<Json>();
        }
        const QString text = q->value(0).toString();
        q->finish();
        if (auto c = tx.commit(); !c)
            return c.error();
        auto parsed = Json::parse(text);
        if (parsed)
            return std::optional<Json>(std::move(parsed).value());
    }
}

Result<void> PlainSqliteSession::clearSession()
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    SqliteTransaction tx(m_conn);
    if (auto b = tx.begin(); !b)
        return b.error();
    if (auto r = m_conn.write(QStringLiteral("DELETE FROM %1 WHERE session_id = ?").arg(m_options.tables.messages), {m_sessionId}); !r)
        return r.error();
    if (auto r = m_conn.write(QStringLiteral("DELETE FROM %1 WHERE session_id = ?").arg(m_options.tables.sessions), {m_sessionId}); !r)
        return r.error();
    return tx.commit();
}

} // namespace tb::storage
