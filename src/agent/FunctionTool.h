// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Tool.h"

#include <functional>

namespace tb::agent {

/// A tool answered by a synchronous function (built-in demo tools, canned output, replay). The
/// answer is computed in start() and delivered on the next event-loop pass.
class FunctionTool final : public Tool
{
public:
    using Function = std::function<core::Json(const ToolInvocation&)>;

    FunctionTool(core::ToolDefinition definition, Function function)
        : Tool(std::move(definition))
        , m_function(std::move(function))
    {}

    ToolRun* start(const ToolInvocation& call, QObject* parent) override
    {
        return ToolRun::completed(m_function(call), parent);
    }

private:
    Function m_function;
};

} // namespace tb::agent
