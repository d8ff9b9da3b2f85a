// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SqliteAgentRepository.h"

#include "SqliteConnection.h"

#include <QFileInfo>

namespace tb::storage {

using core::AgentDefinition;
using core::Error;
using core::Result;

namespace {

const QString kTable = QStringLiteral("tb_agents");

} // namespace

SqliteAgentRepository::SqliteAgentRepository()
    : m_conn(std::make_unique<SqliteConnection>())
{}

SqliteAgentRepository::~SqliteAgentRepository() = default;

Result<std::unique_ptr<SqliteAgentRepository>> SqliteAgentRepository::open(const QString& path, const Options& options)
{
    if (!options.create && path != u":memory:" && !QFileInfo::exists(path))
        return Error::storage(QStringLiteral("%1: no such file").arg(path));
    std::unique_ptr<SqliteAgentRepository> repo(new SqliteAgentRepository());
    SqliteConnection::Options o;
    o.readOnly = options.readOnly;
    o.sdkPragmas = false; // the journal-mode pragma would write to a file we may only be reading
    if (auto r = repo->m_conn->open(path, o); !r)
        return r.error();
    return repo;
}

Result<QStringList> SqliteAgentRepository::list()
{
    QStringList names;
    if (!m_conn->tableExists(kTable))
        return names;
    auto q = m_conn->exec(QStringLiteral("SELECT name FROM tb_agents ORDER BY name"));
    if (!q)
        return q.error();
    while (q->next())
        names << q->value(0).toString();
    return names;
}

Result<std::optional<AgentDefinition>> SqliteAgentRepository::load(const QString& name)
{
    if (!m_conn->tableExists(kTable))
        return std::optional<AgentDefinition>();
    auto v = m_conn->scalar(QStringLiteral("SELECT definition FROM tb_agents WHERE name = ?"), {name});
    if (!v)
        return v.error();
    if (!v->isValid())
        return std::optional<AgentDefinition>();
    auto agent = AgentDefinition::fromJsonText(v->toString().toUtf8());
    if (!agent) {
        return Error::make(Error::Code::Format,
                           QStringLiteral("Stored agent \"%1\" cannot be read: %2").arg(name, agent.error().message));
    }
    return std::optional<AgentDefinition>(std::move(agent).value());
}

Result<void> SqliteAgentRepository::save(const AgentDefinition& agent)
{
    if (m_conn->isReadOnly())
        return Error::make(Error::Code::ReadOnly, QStringLiteral("%1 is open read-only").arg(m_conn->path()));
    if (auto v = agent.validate(); !v)
        return v;
    // Table creation and the row go in one transaction: a failed save leaves no empty table.
    SqliteTransaction tx(*m_conn);
    if (auto b = tx.begin(); !b)
        return b;
    if (auto r =
            m_conn->write(QStringLiteral("CREATE TABLE IF NOT EXISTS tb_agents (name TEXT PRIMARY KEY, "
                                         "definition TEXT NOT NULL, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)"));
        !r)
        return r.error();
    if (auto r = m_conn->write(QStringLiteral("INSERT INTO tb_agents (name, definition) VALUES (?, ?) "
                                              "ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, "
                                              "updated_at = CURRENT_TIMESTAMP"),
                               {agent.name, QString::fromUtf8(agent.toJson().dump())});
        !r)
        return r.error();
    return tx.commit();
}

Result<bool> SqliteAgentRepository::remove(const QString& name)
{
    if (m_conn->isReadOnly())
        return Error::make(Error::Code::ReadOnly, QStringLiteral("%1 is open read-only").arg(m_conn->path()));
    if (!m_conn->tableExists(kTable))
        return false;
    auto n = m_conn->write(QStringLiteral("DELETE FROM tb_agents WHERE name = ?"), {name});
    if (!n)
        return n.error();
    return *n > 0;
}

} // namespace tb::storage
