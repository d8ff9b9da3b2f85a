// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Tool.h"

#include <optional>

namespace tb::core {
class BranchingSession;
}

namespace tb::agent {

/// A tool that answers with what the same call returned before: it looks in the other branches
/// of the session for a function_call with the same name and the same arguments (compared as
/// parsed JSON, so key order and spacing do not matter) and returns that call's recorded
/// function_call_output. Re-asking a turn on a new branch thus gets the original tool results,
/// and only the model's behaviour varies. Without a recording it answers "No recorded output …".
class ReplayTool final : public Tool
{
public:
    explicit ReplayTool(core::ToolDefinition definition)
        : Tool(std::move(definition))
    {}

    ToolRun* start(const ToolInvocation& call, QObject* parent) override;

    struct Recording
    {
        QString branchId;
        QString callId;
        core::Json output; // the recorded output value (a string or a list of parts)
    };

    /// The first recording in list_branches() order, then sequence order; the current branch is
    /// skipped. Only workbench reads are used (branchItems), so nothing is written.
    static core::Result<std::optional<Recording>> findRecording(core::BranchingSession& session,
                                                                const QString& toolName, const core::Json& arguments);
};

} // namespace tb::agent
