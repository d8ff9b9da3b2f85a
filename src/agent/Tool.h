// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Json.h"
#include "core/ModelTypes.h"
#include "core/Result.h"

#include <QObject>
#include <QString>

namespace tb::core {
class BranchingSession;
}

namespace tb::agent {

/// One call of a function tool, as the model made it. The arguments were already checked to be a
/// JSON object (the Runner answers malformed arguments itself, as the SDK does).
struct ToolInvocation
{
    QString callId;
    QString name;
    QString argumentsText; // the model's text, as stored in the function_call item
    core::Json arguments = core::Json::object();
    QString sessionId;
    QString branchId;
    /// The session the run works on, for tools that read it (replay). Null outside a run.
    core::BranchingSession* session = nullptr;
};

/// One tool call in flight. It ends with exactly one finished(); result() then holds the output
/// the model gets (a string, or a list of input_text/input_image parts) or, only after cancel(),
/// Error::Code::Cancelled. A tool that fails answers with an error text as its output, as the SDK's
/// default failure_error_function does: failures are for the model to read, not run errors.
class ToolRun : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~ToolRun() override = default;

    /// Stops the work; finished() follows at once with Error::Code::Cancelled.
    virtual void cancel();
    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] const core::Result<core::Json>& result() const { return m_result; }

    /// A run that finishes with `output` on the next event-loop pass, so callers can always
    /// connect to finished() after start() returned.
    static ToolRun* completed(core::Json output, QObject* parent);

Q_SIGNALS:
    void finished();

protected:
    /// Implementations call this once; later calls are ignored.
    void finish(core::Result<core::Json> result);

private:
    bool m_finished = false;
    core::Result<core::Json> m_result = core::Error::make(core::Error::Code::Cancelled, QStringLiteral("not finished"));
};

/// A function tool: its definition for the model and a way to answer calls. Calls may overlap
/// (the model asks for several in parallel), so every call gets its own ToolRun.
class Tool
{
public:
    explicit Tool(core::ToolDefinition definition)
        : m_definition(std::move(definition))
    {}
    virtual ~Tool() = default;
    Tool(const Tool&) = delete;
    Tool& operator=(const Tool&) = delete;

    [[nodiscard]] const core::ToolDefinition& definition() const { return m_definition; }
    [[nodiscard]] const QString& name() const { return m_definition.name; }

    /// Starts one call; the returned run is parented to `parent`.
    virtual ToolRun* start(const ToolInvocation& call, QObject* parent) = 0;

    /// The SDK's default_tool_error_function text for a tool that failed with `error`.
    static QString failureOutput(const QString& error);
    /// The SDK's default_tool_timeout_error_message.
    static QString timeoutOutput(const QString& toolName, double seconds);

private:
    core::ToolDefinition m_definition;
};

} // namespace tb::agent
