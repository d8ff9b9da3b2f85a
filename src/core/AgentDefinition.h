// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Json.h"
#include "ModelTypes.h"
#include "Result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace tb::core {

/// How the workbench answers one function tool when the model calls it. The model only sees the
/// ToolDefinition; the implementation is the workbench's business.
struct ToolImplementation
{
    enum class Kind {
        Builtin,    // a built-in demo tool (check_order_status, add_task, list_tasks, complete_task)
        Canned,     // always the same output text
        Command,    // an external program: arguments JSON on stdin, output from stdout
        AskAnalyst, // the analyst types the output (GUI dialog / CLI terminal)
        Replay,     // the output recorded for the same call in another branch of the session
    };

    Kind kind = Kind::Builtin;
    QString builtin;          // Builtin: which built-in tool
    QString cannedOutput;     // Canned
    QString program;          // Command
    QStringList arguments;    // Command
    qint64 timeoutMs = 30000; // Command
    QString workingDirectory; // Command; empty = the workbench's current directory
    QString prompt;           // AskAnalyst: shown to the analyst above the call

    /// Stable names used in agent files: builtin, canned, command, ask_analyst, replay.
    static QString kindName(Kind kind);
    static std::optional<Kind> kindFromName(QStringView name);
};

/// A function tool of an agent: what the model sees plus how it is answered.
struct ToolBinding
{
    ToolDefinition definition;
    ToolImplementation implementation;
};

/// An agent as the workbench runs it: the SDK's Agent(name, instructions, model_settings, tools)
/// plus the endpoint profile to talk to (a profile name only: secrets never live here).
///
/// Serialised as a versioned JSON object ("format": "threadbench-agent/1") with a fixed key order,
/// so an exported file reads back into an equal definition and re-exports to the same bytes.
/// Reading is strict: unknown keys, wrong types or another format version are refused with a
/// message that names the offending key.
struct AgentDefinition
{
    QString name;
    QString instructions;
    ModelSettings modelSettings;
    QString endpointProfile;
    QList<ToolBinding> tools;

    static QString formatTag() { return QStringLiteral("threadbench-agent/1"); }

    /// The support agent of the lesson: check_order_status plus the task tools, answered by the
    /// demo model `threadbench-demo` on the "demo" endpoint profile.
    static AgentDefinition defaultSupportAgent();

    /// Names of the built-in tools, and the binding (schema, description) each one comes with.
    static QStringList builtinToolNames();
    static std::optional<ToolBinding> builtinTool(QStringView name);

    [[nodiscard]] Json toJson() const;
    static Result<AgentDefinition> fromJson(const Json& json);

    /// The file form: toJson() pretty-printed (2 spaces, raw UTF-8) with a final newline.
    [[nodiscard]] QByteArray toJsonText() const;
    static Result<AgentDefinition> fromJsonText(QByteArrayView utf8);
    Result<void> saveToFile(const QString& path) const;
    static Result<AgentDefinition> loadFromFile(const QString& path);

    /// Checks what fromJson checks on the values themselves (names, duplicates, command settings).
    [[nodiscard]] Result<void> validate() const;

    [[nodiscard]] const ToolBinding* findTool(QStringView toolName) const;

    friend bool operator==(const AgentDefinition& a, const AgentDefinition& b);
    friend bool operator!=(const AgentDefinition& a, const AgentDefinition& b) { return !(a == b); }
};

} // namespace tb::core
