// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "EndpointProfile.h"
#include "core/Json.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace tb::net {

/// The deterministic "Threadbench demo model" behind DemoModelServer: no network, no weights, the
/// same answer for the same conversation. It understands a request body of either wire protocol:
/// - the latest user message names order ids (ORD-123), a `check_order_status` tool is offered
///   and no tool output follows that message → one tool call per id (parallel calls for several);
/// - the input ends with tool outputs → a sentence quoting them;
/// - otherwise a short support answer that echoes the question's topic.
/// Usage numbers are realistic: ≈ chars/4 tokens, cached tokens above 1024, reasoning on tool calls.
class DemoModel final
{
public:
    struct ToolCall
    {
        QString itemId; // fc_… (Responses)
        QString callId; // call_…
        QString name;
        QString arguments; // JSON text, Python json.dumps style
    };

    struct Answer
    {
        QString responseId; // resp_… / chatcmpl-…
        QString messageId;  // msg_…
        QString text;       // empty when the answer is tool calls
        QList<ToolCall> toolCalls;
        qint64 inputTokens = 0;
        qint64 cachedTokens = 0;
        qint64 outputTokens = 0;
        qint64 reasoningTokens = 0;
        [[nodiscard]] qint64 totalTokens() const { return inputTokens + outputTokens; }
    };

    static constexpr auto kToolName = "check_order_status";

    /// Answers one request body (already parsed JSON) of `protocol`.
    static Answer answer(const core::Json& requestBody, WireProtocol protocol);

    /// Pieces a streamed answer is sent in: words with their leading space ("Hello", " world").
    static QStringList textDeltas(const QString& text);
    /// Pieces of a tool call's argument text (a few characters each, as real servers send).
    static QStringList argumentDeltas(const QString& arguments);
};

} // namespace tb::net
