// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "ResponsesCodec.h"

#include "ChatCompletionsCodec.h"
#include "OpenAiErrors.h"
#include "ResponseItems.h"

namespace tb::net {

using core::Error;
using core::Json;
using core::ModelReply;
using core::Result;

Result<QByteArray> ResponsesCodec::requestBody(const core::ModelRequest& request, const RequestOptions& options) const
{
    Json input = Json::array();
    for (Json& item : ResponseItems::responsesInput(request.input))
        input.append(std::move(item));

    // Key order follows the SDK's create_kwargs (openai_responses.py `_build_response_create_kwargs`).
    Json body = Json::object();
    if (!request.instructions.isEmpty())
        body.insert(QStringLiteral("instructions"), request.instructions);
    body.insert(QStringLiteral("model"), options.model);
    body.insert(QStringLiteral("input"), std::move(input));
    if (!request.tools.isEmpty()) {
        Json tools = Json::array();
        for (const core::ToolDefinition& tool : request.tools) {
            // `_convert_function_tool` order: name, parameters, strict, type, description.
            Json t = Json::object();
            t.insert(QStringLiteral("name"), tool.name);
            t.insert(QStringLiteral("parameters"), tool.parameters);
            t.insert(QStringLiteral("strict"), tool.strict);
            t.insert(QStringLiteral("type"), QStringLiteral("function"));
            t.insert(QStringLiteral("description"), tool.description);
            tools.append(std::move(t));
        }
        body.insert(QStringLiteral("tools"), std::move(tools));
    }
    const core::ModelSettings& s = request.settings;
    if (s.temperature)
        body.insert(QStringLiteral("temperature"), *s.temperature);
    if (s.maxOutputTokens)
        body.insert(QStringLiteral("max_output_tokens"), *s.maxOutputTokens);
    if (!s.toolChoice.isEmpty()) {
        if (s.toolChoice == u"auto" || s.toolChoice == u"required" || s.toolChoice == u"none") {
            body.insert(QStringLiteral("tool_choice"), s.toolChoice);
        } else {
            Json choice = Json::object();
            choice.insert(QStringLiteral("type"), QStringLiteral("function"));
            choice.insert(QStringLiteral("name"), s.toolChoice);
            body.insert(QStringLiteral("tool_choice"), std::move(choice));
        }
    }
    if (!request.tools.isEmpty() && !s.parallelToolCalls)
        body.insert(QStringLiteral("parallel_tool_calls"), false);
    if (options.stream)
        body.insert(QStringLiteral("stream"), true);
    return body.dump(Json::DumpOptions{.ensureAscii = false, .compact = true, .indent = -1});
}

std::optional<Error> ResponsesCodec::handleEvent(const SseEvent& event)
{
    if (m_done)
        return std::nullopt;
    auto parsed = Json::parse(event.data);
    if (!parsed || !parsed->isObject())
        return Error::make(Error::Code::Protocol, QStringLiteral("Malformed Responses stream event"));
    const Json& e = *parsed;
    const QString type = e[u"type"].toString(event.event);

    if (type == u"response.output_text.delta") {
        if (m_listener)
            m_listener->onTextDelta(e[u"item_id"].toString(), e[u"delta"].toString());
    } else if (type == u"response.function_call_arguments.delta") {
        const QString itemId = e[u"item_id"].toString();
        if (m_listener)
            m_listener->onToolCallArgumentsDelta(m_callIdByItem.value(itemId, itemId), e[u"delta"].toString());
    } else if (type == u"response.output_item.added") {
        const Json& item = e[u"item"];
        if (item[u"type"].toString() == u"function_call") {
            const QString callId = item[u"call_id"].toString();
            m_callIdByItem.insert(item[u"id"].toString(), callId);
            if (m_listener) {
                m_listener->onToolCallStarted(callId, item[u"name"].toString());
                if (const QString args = item[u"arguments"].toString(); !args.isEmpty())
                    m_listener->onToolCallArgumentsDelta(callId, args);
            }
        }
    } else if (type == u"response.refusal.delta") {
        if (m_listener)
            m_listener->onRefusalDelta(e[u"item_id"].toString(), e[u"delta"].toString());
    } else if (type == u"response.reasoning_summary_text.delta" || type == u"response.reasoning_text.delta") {
        if (m_listener)
            m_listener->onReasoningDelta(e[u"item_id"].toString(), e[u"delta"].toString());
    } else if (type == u"response.output_item.done") {
        m_doneItems.insert(e[u"output_index"].toInt(m_doneItems.size()), e[u"item"]);
    } else if (type == u"response.completed" || type == u"response.incomplete") {
        m_final = e[u"response"];
        m_done = true;
    } else if (type == u"response.failed") {
        m_done = true;
        // errors/stream_response_failed.sse: the reason is in response.error.
        const Json& response = e[u"response"];
        Error err = OpenAiErrors::fromErrorObject(response[u"error"], Error::Code::Server, {});
        if (response[u"error"].isNull())
            err.message = QStringLiteral("The response failed");
        return err;
    } else if (type == u"error") {
        m_done = true;
        // errors/stream_error_responses.sse: code/message at top level; some servers nest them.
        return OpenAiErrors::fromErrorObject(e[u"error"].isObject() ? e[u"error"] : e, Error::Code::Server, {});
    } else if (e[u"error"].isObject() && !e.contains(u"type")) {
        m_done = true;
        return OpenAiErrors::fromErrorObject(e[u"error"], Error::Code::Server, {});
    }
    // Everything else (created, in_progress, content_part.*, *.done, obfuscation, web search ...)
    // carries nothing the reply needs: the terminal event holds the full output.
    return std::nullopt;
}

Result<ModelReply> ResponsesCodec::replyFrom(const Json& response)
{
    if (!response.isObject())
        return Error::make(Error::Code::Protocol, QStringLiteral("The Responses answer has no response object"));
    ModelReply reply;
    reply.responseId = response[u"id"].toString();
    reply.model = response[u"model"].toString();
    ChatCompletionsCodec::applyUsage(response[u"usage"], reply);

    const Json& output = response[u"output"];
    if (output.isArray() && output.size() > 0) {
        for (const Json& item : output.asArray())
            reply.output.append(ResponseItems::fromWire(item));
    } else {
        // Some compatible servers finish with an empty `output`; the streamed items are the answer.
        for (const Json& item : std::as_const(m_doneItems))
            reply.output.append(ResponseItems::fromWire(item));
    }

    bool anyCall = false;
    for (const Json& item : std::as_const(reply.output))
        anyCall = anyCall || item[u"type"].toString() == u"function_call";
    if (response[u"status"].toString() == u"incomplete") {
        const QString reason = response[u"incomplete_details"][u"reason"].toString();
        reply.finishReason = reason == u"max_output_tokens" ? QStringLiteral("length")
                             : reason == u"content_filter"  ? QStringLiteral("content_filter")
                                                            : QStringLiteral("incomplete");
    } else {
        reply.finishReason = anyCall ? QStringLiteral("tool_calls") : QStringLiteral("stop");
    }
    return reply;
}

Result<ModelReply> ResponsesCodec::finishStream()
{
    if (!m_done)
        return Error::make(Error::Code::Protocol,
                           QStringLiteral("The Responses stream ended before response.completed"));
    return replyFrom(m_final);
}

Result<ModelReply> ResponsesCodec::parseBody(const QByteArray& body)
{
    auto parsed = Json::parse(body);
    if (!parsed || !parsed->isObject())
        return Error::make(Error::Code::Protocol, QStringLiteral("The Responses answer is not JSON"));
    const Json& response = *parsed;
    if (const Json& error = response[u"error"]; error.isObject())
        return OpenAiErrors::fromErrorObject(error, Error::Code::Server, {});
    if (response[u"status"].toString() == u"failed")
        return Error::make(Error::Code::Server, QStringLiteral("The response failed"));
    return replyFrom(response);
}

} // namespace tb::net
