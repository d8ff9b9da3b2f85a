// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Json.h"
#include "core/SessionStore.h"
#include "core/SessionTypes.h"

#include <QList>
#include <QString>

#include <optional>

namespace tb::agent {

class ToolRegistry;

/// How one Runner::run() goes (the SDK's Runner.run keyword arguments the workbench uses).
struct RunOptions
{
    /// Switch the session to this branch first (switch_to_branch) when it is not current.
    std::optional<QString> branch;
    /// Model calls allowed; the next one raises MaxTurnsExceeded (the SDK's DEFAULT_MAX_TURNS).
    int maxTurns = 10;
    /// RunConfig.session_settings.limit: overrides the session's own limit setting.
    std::optional<qint64> limit;
    /// Ask the endpoint to stream (SSE); false sends one request and waits for the whole reply.
    bool stream = true;
    /// Tools to use instead of the ones built from the agent's bindings (tests, custom tools).
    /// Must outlive the run.
    ToolRegistry* tools = nullptr;
};

/// What a run produced. After a failure, Runner::progress() holds the same fields as far as the
/// run got (items stored, usage of the model calls that finished).
struct RunResult
{
    QList<core::Json> inputItems;       // the new input as stored (before the first model call)
    QList<core::Json> newItems;         // every item the run generated and stored, in order
    core::RunUsage usage;               // summed over model calls (requests = model calls)
    QString finalText;                  // text of the last assistant message
    int turns = 0;                      // model calls made (the SDK's current_turn)
    QString branchId;                   // the branch the run wrote to
    qint64 userTurnNumber = 0;          // the turn the input started (usage is stored against it)
    QList<core::RequestUsage> requests; // one row per model call
};

/// Why a run failed, named like the SDK's exceptions where there is one. core::Error::Code has no
/// codes for the SDK's agent exceptions, so MaxTurnsExceeded, ModelBehavior and ModelRefusal all
/// come with Error::Code::Protocol; this kind tells them apart.
enum class RunErrorKind {
    None,
    Cancelled,        // cancel() or the model call was cancelled
    Model,            // the model call failed (error code from the ModelClient: Auth, Network …)
    MaxTurnsExceeded, // agents.exceptions.MaxTurnsExceeded "Max turns (N) exceeded"
    ModelBehavior,    // agents.exceptions.ModelBehaviorError (unknown tool, unsupported call)
    ModelRefusal,     // agents.exceptions.ModelRefusalError "Model refused to produce output: …"
    Session,          // the session refused a read or write (message as the SDK raises it)
    Setup,            // the agent's tools could not be built
};

/// "MaxTurnsExceeded", "ModelBehaviorError", "ModelRefusalError" … (empty for the others).
inline QString sdkExceptionName(RunErrorKind kind)
{
    switch (kind) {
    case RunErrorKind::MaxTurnsExceeded:
        return QStringLiteral("MaxTurnsExceeded");
    case RunErrorKind::ModelBehavior:
        return QStringLiteral("ModelBehaviorError");
    case RunErrorKind::ModelRefusal:
        return QStringLiteral("ModelRefusalError");
    default:
        return {};
    }
}

} // namespace tb::agent
