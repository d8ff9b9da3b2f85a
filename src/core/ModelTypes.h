// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Json.h"
#include "SessionTypes.h"

#include <QList>
#include <QString>

#include <optional>

namespace tb::core {

/// A function tool as the model sees it.
struct ToolDefinition
{
    QString name;
    QString description;
    Json parameters = Json::object(); // JSON schema of the arguments object
    bool strict = false;
};

/// Model settings of an agent (the SDK's ModelSettings subset the workbench exposes).
struct ModelSettings
{
    QString model;
    std::optional<double> temperature;
    std::optional<qint64> maxOutputTokens;
    QString toolChoice; // "", "auto", "required", "none" or a tool name
    bool parallelToolCalls = true;
};

/// One model request: instructions, the input items (Responses item shapes, as the SDK stores
/// them), tools and settings. Protocol clients translate it to their wire format.
struct ModelRequest
{
    QString instructions;
    QList<Json> input;
    QList<ToolDefinition> tools;
    ModelSettings settings;
    bool stream = true;
};

/// What one model call produced, mapped to the items the SDK's Runner would store (Responses item
/// shapes, openai field order: see spec §4.1), whichever wire protocol carried it.
struct ModelReply
{
    QList<Json> output;           // reasoning, message, function_call items in output order
    RunUsage usage;               // requests = 1
    bool usageKnown = false;      // false when the endpoint sent no usage (e.g. LM Studio streams)
    bool cachedTokensKnown = false;
    QString responseId;
    QString model;                // the model the endpoint says answered
    QString finishReason;         // stop, length, tool_calls, content_filter, incomplete ...
    qint64 latencyMs = 0;         // request sent → last byte
    std::optional<qint64> timeToFirstTokenMs;
};

} // namespace tb::core
