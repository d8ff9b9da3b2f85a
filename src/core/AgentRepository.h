// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "AgentDefinition.h"
#include "Result.h"

#include <QStringList>

#include <optional>

namespace tb::core {

/// Where agent definitions are kept (a database's `tb_agents` side table), by name. Holds no
/// secrets: an agent names its endpoint profile, never an API key. Reading never writes.
class AgentRepository
{
public:
    virtual ~AgentRepository() = default;

    /// Names of the stored agents, sorted.
    virtual Result<QStringList> list() = 0;
    /// The agent of that name, or nullopt if there is none.
    virtual Result<std::optional<AgentDefinition>> load(const QString& name) = 0;
    /// Inserts or replaces the agent with the same name (after validate()).
    virtual Result<void> save(const AgentDefinition& agent) = 0;
    /// True if an agent was removed.
    virtual Result<bool> remove(const QString& name) = 0;
};

} // namespace tb::core
