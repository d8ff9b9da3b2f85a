// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Tool.h"

#include <QList>

#include <memory>
#include <vector>

namespace tb::core {
struct AgentDefinition;
struct ToolBinding;
class TaskList;
} // namespace tb::core

namespace tb::agent {

class AnalystPrompter;

/// What tool implementations may need from the application: where tasks live, who answers
/// "ask the analyst" tools. Either may be null; the tools then answer with a failure text.
struct ToolServices
{
    core::TaskList* tasks = nullptr;
    AnalystPrompter* analyst = nullptr;
};

/// The function tools of one run, by name, in the agent's order (the order the model sees them).
class ToolRegistry final
{
public:
    ToolRegistry() = default;
    ToolRegistry(const ToolRegistry&) = delete;
    ToolRegistry& operator=(const ToolRegistry&) = delete;

    /// One tool per binding of the agent.
    static core::Result<std::unique_ptr<ToolRegistry>> fromAgent(const core::AgentDefinition& agent,
                                                                 const ToolServices& services);
    static core::Result<std::unique_ptr<Tool>> createTool(const core::ToolBinding& binding,
                                                          const ToolServices& services);

    /// Adds a tool; one with the same name is replaced in place.
    void add(std::unique_ptr<Tool> tool);
    [[nodiscard]] Tool* find(QStringView name) const;
    [[nodiscard]] QList<core::ToolDefinition> definitions() const;
    [[nodiscard]] qsizetype size() const { return qsizetype(m_tools.size()); }

private:
    std::vector<std::unique_ptr<Tool>> m_tools;
};

} // namespace tb::agent
