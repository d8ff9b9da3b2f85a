// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ToolRegistry.h"

#include "AskAnalystTool.h"
#include "BuiltinTools.h"
#include "CommandTool.h"
#include "FunctionTool.h"
#include "ReplayTool.h"
#include "core/AgentDefinition.h"

namespace tb::agent {

using core::Error;
using core::ToolImplementation;

core::Result<std::unique_ptr<Tool>> ToolRegistry::createTool(const core::ToolBinding& binding,
                                                             const ToolServices& services)
{
    const ToolImplementation& impl = binding.implementation;
    switch (impl.kind) {
    case ToolImplementation::Kind::Builtin:
        if (auto tool = BuiltinTools::create(binding, services.tasks))
            return tool;
        return Error::make(
            Error::Code::Format,
            QStringLiteral("Tool \"%1\" names an unknown built-in \"%2\"").arg(binding.definition.name, impl.builtin));
    case ToolImplementation::Kind::Canned: {
        const core::Json output(impl.cannedOutput);
        return std::unique_ptr<Tool>(
            std::make_unique<FunctionTool>(binding.definition, [output](const ToolInvocation&) { return output; }));
    }
    case ToolImplementation::Kind::Command:
        return std::unique_ptr<Tool>(std::make_unique<CommandTool>(binding.definition, impl.program, impl.arguments,
                                                                   impl.timeoutMs, impl.workingDirectory));
    case ToolImplementation::Kind::AskAnalyst:
        return std::unique_ptr<Tool>(
            std::make_unique<AskAnalystTool>(binding.definition, impl.prompt, services.analyst));
    case ToolImplementation::Kind::Replay:
        return std::unique_ptr<Tool>(std::make_unique<ReplayTool>(binding.definition));
    }
    return Error::make(Error::Code::Format,
                       QStringLiteral("Tool \"%1\" has no implementation").arg(binding.definition.name));
}

core::Result<std::unique_ptr<ToolRegistry>> ToolRegistry::fromAgent(const core::AgentDefinition& agent,
                                                                    const ToolServices& services)
{
    auto registry = std::make_unique<ToolRegistry>();
    for (const core::ToolBinding& binding : agent.tools) {
        auto tool = createTool(binding, services);
        if (!tool)
            return tool.error();
        registry->add(std::move(tool).value());
    }
    return registry;
}

void ToolRegistry::add(std::unique_ptr<Tool> tool)
{
    for (auto& existing : m_tools) {
        if (existing->name() == tool->name()) {
            existing = std::move(tool);
            return;
        }
    }
    m_tools.push_back(std::move(tool));
}

Tool* ToolRegistry::find(QStringView name) const
{
    for (const auto& t : m_tools) {
        if (t->name() == name)
            return t.get();
    }
    return nullptr;
}

QList<core::ToolDefinition> ToolRegistry::definitions() const
{
    QList<core::ToolDefinition> out;
    for (const auto& t : m_tools)
        out << t->definition();
    return out;
}

} // namespace tb::agent
