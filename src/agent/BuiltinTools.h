// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Tool.h"

#include <memory>

namespace tb::core {
struct ToolBinding;
class TaskList;
} // namespace tb::core

namespace tb::agent {

/// Makes the built-in demo tools (core::AgentDefinition::builtinToolNames()): check_order_status
/// and the task manager over `tasks`. The binding's definition is used as given, so an agent may
/// reword a built-in's description.
class BuiltinTools final
{
public:
    /// Null when `binding` does not name a built-in tool.
    static std::unique_ptr<Tool> create(const core::ToolBinding& binding, core::TaskList* tasks);
};

} // namespace tb::agent
