// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/AgentRepository.h"

#include <memory>

namespace tb::storage {

class SqliteConnection;

/// Agent definitions in the `tb_agents` side table of a session database, one row per name with
/// the definition's JSON text. The table has no foreign keys (the SDK's ownership check never sees
/// it) and is created by the first save: listing or loading leaves the file byte-for-byte as it was.
class SqliteAgentRepository final : public core::AgentRepository
{
public:
    struct Options
    {
        bool readOnly = false;
        bool create = false; // create the database file if it does not exist
    };

    static core::Result<std::unique_ptr<SqliteAgentRepository>> open(const QString& path, const Options& options);
    ~SqliteAgentRepository() override;
    SqliteAgentRepository(const SqliteAgentRepository&) = delete;
    SqliteAgentRepository& operator=(const SqliteAgentRepository&) = delete;

    core::Result<QStringList> list() override;
    core::Result<std::optional<core::AgentDefinition>> load(const QString& name) override;
    core::Result<void> save(const core::AgentDefinition& agent) override;
    core::Result<bool> remove(const QString& name) override;

private:
    SqliteAgentRepository();

    std::unique_ptr<SqliteConnection> m_conn;
};

} // namespace tb::storage
