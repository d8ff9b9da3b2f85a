// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "ChatCompletionsCodec.h"

#include "OpenAiErrors.h"
#include "ResponseItems.h"

#include <QStringList>

namespace tb::net {

using core::Error;
using core::Json;
using core::ModelReply;
using core::Result;

namespace {

const QString kFilterRefusal = QStringLiteral("Response withheld by the provider's content filter.");
const QString kOmittedToolOutput = QStringLiteral("[tool output omitted]");

Error userError(const QString& message)
{
    return Error::make(Error::Code::Argument, message);
}

Json obj(std::initializer_list<std::pair<const char*, Json>> members)
{
    Json out = Json::object();
    for (const auto& [k, v] : members)
        out.insert(QString::fromLatin1(k), v);
    return out;
}

// chatcmpl_converter.py `extract_all_content`: Responses input parts → Chat content parts.
Result<Json> extractAllContent(const Json& content)
{
    if (content.isString())
        return content;
    if (!content.isArray())
        return userError(QStringLiteral("Unknown content: %1").arg(content.dumpUnicode()));
    Json out = Json::array();
    for (const Json& raw : content.asArray()) {
        QString type = raw[u"type"].toString();
        // Raw Chat parts are accepted as aliases (`_normalize_input_content_part_alias`).
        if (type == u"text")
            type = QStringLiteral("input_text");
        if (type == u"input_text") {
            out.append(obj({{"type", "text"}, {"text", raw[u"text"]}}));
        } else if (type == u"input_image" || type == u"image_url") {
            const Json url = type == u"image_url" ? raw[u"image_url"][u"url"] : raw[u"image_url"];
            if (!url.truthy())
                return userError(
                    QStringLiteral("Only image URLs are supported for input_image %1").arg(raw.dumpUnicode()));
            QString detail =
                (type == u"image_url" ? raw[u"image_url"][u"detail"] : raw[u"detail"]).toString(QStringLiteral("auto"));
            if (detail == u"original")
                detail = QStringLiteral("high"); // Chat knows only auto/low/high
            out.append(obj({{"type", "image_url"}, {"image_url", obj({{"url", url}, {"detail", detail}})}}));
        } else if (type == u"input_audio") {
            const Json& audio = raw[u"input_audio"];
            if (!audio[u"data"].truthy() || !audio[u"format"].truthy())
                return userError(QStringLiteral("input_audio requires both data and format %1").arg(raw.dumpUnicode()));
            out.append(obj({{"type", "input_audio"},
                            {"input_audio", obj({{"data", audio[u"data"]}, {"format", audio[u"format"]}})}}));
        } else if (type == u"input_file") {
            Json file = Json::object();
            if (raw[u"file_data"].truthy())
                file.insert(QStringLiteral("file_data"), raw[u"file_data"]);
            else if (raw[u"file_id"].truthy())
                file.insert(QStringLiteral("file_id"), raw[u"file_id"]);
            else
                return userError(
                    QStringLiteral("Only file_data or file_id is supported for input_file %1").arg(raw.dumpUnicode()));
            if (raw[u"filename"].truthy())
                file.insert(QStringLiteral("filename"), raw[u"filename"]);
            out.append(obj({{"type", "file"}, {"file", file}}));
        } else {
            return userError(QStringLiteral("Unknown content: %1").arg(raw.dumpUnicode()));
        }
    }
    return out;
}

// `extract_text_content`: like extractAllContent but keeps only text parts.
Result<Json> extractTextContent(const Json& content)
{
    auto all = extractAllContent(content);
    if (!all || all->isString())
        return all;
    Json out = Json::array();
    for (const Json& part : all->asArray()) {
        if (part[u"type"].toString() == u"text")
            out.append(part);
    }
    return out;
}

bool isEasyInputMessage(const Json& item)
{
    if (!item.contains(u"content") || !item.contains(u"role"))
        return false;
    for (const auto& member : item.asObject()) {
        const QString& key = member.first;
        if (key != u"content" && key != u"role" && key != u"type" && key != u"phase")
            return false;
    }
    if (const Json* type = item.find(u"type"); type && type->toString() != u"message")
        return false;
    const Json& phase = item[u"phase"];
    if (!phase.isNull() && phase.toString() != u"commentary" && phase.toString() != u"final_answer")
        return false;
    const QString role = item[u"role"].toString();
    return role == u"user" || role == u"assistant" || role == u"system" || role == u"developer";
}

} // namespace

Result<Json> ChatCompletionsCodec::itemsToMessages(const QList<Json>& items)
{
    Json result = Json::array();
    Json current;
    bool hasCurrent = false;

    auto flush = [&] {
        if (!hasCurrent)
            return;
        // The API rejects an empty tool_calls array.
        if (current[u"tool_calls"].size() == 0)
            current.remove(u"tool_calls");
        result.append(std::move(current));
        current = Json();
        hasCurrent = false;
    };
    auto ensureAssistant = [&]() -> Json& {
        if (!hasCurrent) {
            current = obj({{"role", "assistant"}, {"content", nullptr}, {"tool_calls", Json::array()}});
            hasCurrent = true;
        }
        return current;
    };
    auto appendToolCall = [&](Json call) {
        Json& assistant = ensureAssistant();
        Json calls = assistant[u"tool_calls"].isArray() ? assistant[u"tool_calls"] : Json::array();
        calls.append(std::move(call));
        assistant.insert(QStringLiteral("tool_calls"), std::move(calls));
    };

    for (const Json& raw : items) {
        const Json item = ResponseItems::stripInternalKeys(raw);
        if (!item.isObject())
            return userError(QStringLiteral("Unhandled item type or structure: %1").arg(item.dumpUnicode()));
        const QString type = item[u"type"].toString();
        const QString role = item[u"role"].toString();
        const bool inputMessage = type == u"message" && (role == u"user" || role == u"system" || role == u"developer");

        if (isEasyInputMessage(item) || inputMessage) {
            flush();
            Result<Json> content =
                role == u"user" ? extractAllContent(item[u"content"]) : extractTextContent(item[u"content"]);
            if (!content)
                return content.error();
            result.append(obj({{"role", role}, {"content", std::move(*content)}}));
        } else if (type == u"message" && role == u"assistant" && item.contains(u"id") && item.contains(u"content")) {
            flush();
            Json assistant = obj({{"role", "assistant"}});
            QStringList segments;
            for (const Json& part : item[u"content"].asArray()) {
                const QString partType = part[u"type"].toString();
                if (partType == u"output_text")
                    segments.append(part[u"text"].toString());
                else if (partType == u"refusal")
                    assistant.insert(QStringLiteral("refusal"), part[u"refusal"]);
                else
                    return userError(
                        QStringLiteral("Unknown content type in ResponseOutputMessage: %1").arg(part.dumpUnicode()));
            }
            if (!segments.isEmpty())
                assistant.insert(QStringLiteral("content"), segments.join(u'\n'));
            assistant.insert(QStringLiteral("tool_calls"), Json::array());
            current = std::move(assistant);
            hasCurrent = true;
        } else if (type == u"file_search_call") {
            const Json args = obj({{"queries", item.contains(u"queries") ? item[u"queries"] : Json::array()},
                                   {"status", item[u"status"]}});
            appendToolCall(obj(
                {{"id", item[u"id"]},
                 {"type", "function"},
                 {"function", obj({{"name", "file_search_call"}, {"arguments", QString::fromUtf8(args.dump())}})}}));
        } else if (type == u"function_call") {
            const QString arguments =
                item[u"arguments"].truthy() ? item[u"arguments"].toString() : QStringLiteral("{}");
            appendToolCall(obj({{"id", item[u"call_id"]},
                                {"type", "function"},
                                {"function", obj({{"name", item[u"name"]}, {"arguments", arguments}})}}));
        } else if (type == u"function_call_output") {
            flush();
            auto content = extractAllContent(item[u"output"]);
            if (!content)
                return content.error();
            Json toolContent = std::move(*content);
            if (toolContent.isArray()) {
                // Chat tool messages take text only (preserve_tool_output_all_content=False).
                Json texts = Json::array();
                for (const Json& part : toolContent.asArray()) {
                    if (part[u"type"].toString() == u"text")
                        texts.append(part);
                }
                toolContent = texts.size() > 0 ? std::move(texts) : Json(kOmittedToolOutput);
            }
            result.append(obj({{"role", "tool"}, {"tool_call_id", item[u"call_id"]}, {"content", toolContent}}));
        } else if (type == u"item_reference") {
            return userError(
                QStringLiteral("Encountered an item_reference, which is not supported: %1").arg(item.dumpUnicode()));
        } else if (type == u"reasoning") {
            // Not replayed to Chat endpoints by default (reasoning_content_replay.py); it also
            // ends nothing, so a following function_call still joins the open assistant message.
        } else if (type == u"compaction") {
            return userError(QStringLiteral("Compaction items are not supported for chat completions. "
                                            "Please use the Responses API to handle compaction."));
        } else {
            return userError(QStringLiteral("Unhandled item type or structure: %1").arg(item.dumpUnicode()));
        }
    }
    flush();
    return result;
}

Result<QByteArray> ChatCompletionsCodec::requestBody(const core::ModelRequest& request,
                                                     const RequestOptions& options) const
{
    auto converted = itemsToMessages(request.input);
    if (!converted)
        return converted.error();
    Json messages = Json::array();
    if (!request.instructions.isEmpty()) // note the key order: content first (openai_chatcompletions.py)
        messages.append(obj({{"content", request.instructions}, {"role", "system"}}));
    for (Json& m : converted->asArray())
        messages.append(std::move(m));

    // Key order follows the SDK's create_kwargs (openai_chatcompletions.py `_fetch_response`).
    Json body = Json::object();
    body.insert(QStringLiteral("model"), options.model);
    body.insert(QStringLiteral("messages"), std::move(messages));
    if (!request.tools.isEmpty()) {
        Json tools = Json::array();
        for (const core::ToolDefinition& tool : request.tools) {
            tools.append(obj({{"type", "function"},
                              {"function", obj({{"name", tool.name},
                                                {"description", tool.description},
                                                {"parameters", tool.parameters},
                                                {"strict", tool.strict}})}}));
        }
        body.insert(QStringLiteral("tools"), std::move(tools));
    }
    const core::ModelSettings& s = request.settings;
    if (s.temperature)
        body.insert(QStringLiteral("temperature"), *s.temperature);
    if (s.maxOutputTokens)
        body.insert(QStringLiteral("max_tokens"), *s.maxOutputTokens);
    if (!s.toolChoice.isEmpty()) {
        if (s.toolChoice == u"auto" || s.toolChoice == u"required" || s.toolChoice == u"none")
            body.insert(QStringLiteral("tool_choice"), s.toolChoice);
        else
            body.insert(QStringLiteral("tool_choice"),
                        obj({{"type", "function"}, {"function", obj({{"name", s.toolChoice}})}}));
    }
    // true is the API default; sending it would only trouble servers that lack the parameter.
    if (!request.tools.isEmpty() && !s.parallelToolCalls)
        body.insert(QStringLiteral("parallel_tool_calls"), false);
    if (options.stream) {
        body.insert(QStringLiteral("stream"), true);
        if (options.includeUsage)
            body.insert(QStringLiteral("stream_options"), obj({{"include_usage", true}}));
    }
    return body.dump(Json::DumpOptions{.ensureAscii = false, .compact = true, .indent = -1});
}

void ChatCompletionsCodec::applyUsage(const Json& usage, ModelReply& reply)
{
    reply.usage = core::RunUsage{};
    reply.usage.requests = 1;
    reply.usageKnown = usage.isObject();
    reply.cachedTokensKnown = false;
    if (!usage.isObject())
        return;
    // Chat names (prompt/completion) or Responses names (input/output): one parser for both.
    const bool chat = usage.contains(u"prompt_tokens") || usage.contains(u"completion_tokens");
    const Json& in = chat ? usage[u"prompt_tokens"] : usage[u"input_tokens"];
    const Json& out = chat ? usage[u"completion_tokens"] : usage[u"output_tokens"];
    const Json& inDetails = chat ? usage[u"prompt_tokens_details"] : usage[u"input_tokens_details"];
    const Json& outDetails = chat ? usage[u"completion_tokens_details"] : usage[u"output_tokens_details"];
    reply.usage.inputTokens = in.toInt();
    reply.usage.outputTokens = out.toInt();
    reply.usage.totalTokens = usage[u"total_tokens"].toInt(reply.usage.inputTokens + reply.usage.outputTokens);
    reply.usage.cachedTokens = inDetails[u"cached_tokens"].toInt();
    reply.usage.cacheWriteTokens = inDetails[u"cache_write_tokens"].toInt();
    reply.usage.reasoningTokens = outDetails[u"reasoning_tokens"].toInt();
    reply.cachedTokensKnown = inDetails.isObject() && inDetails[u"cached_tokens"].isNumber();
}

Json ChatCompletionsCodec::providerData() const
{
    Json data = Json::object();
    data.insert(QStringLiteral("model"), m_requestedModel.isEmpty() ? m_model : m_requestedModel);
    if (!m_responseId.isEmpty())
        data.insert(QStringLiteral("response_id"), m_responseId);
    return data;
}

std::optional<Error> ChatCompletionsCodec::handleEvent(const SseEvent& event)
{
    if (m_done)
        return std::nullopt; // README: ignore anything after [DONE]
    if (event.data == "[DONE]") {
        m_done = true;
        return std::nullopt;
    }
    auto parsed = Json::parse(event.data);
    if (!parsed || !parsed->isObject())
        return Error::make(Error::Code::Protocol, QStringLiteral("Malformed Chat Completions stream chunk"));
    const Json& chunk = *parsed;
    // errors/stream_error_chat.sse: an error object inside a 200 stream.
    if (const Json& error = chunk[u"error"]; error.isObject())
        return OpenAiErrors::fromErrorObject(error, Error::Code::Server, {});

    if (const Json& usage = chunk[u"usage"]; usage.isObject()) {
        m_usage = usage;
        m_sawUsage = true;
    }
    // The usage chunk has `choices: []` (chat_stream_text.sse): never assume choices[0].
    const Json* choice = nullptr;
    for (const Json& c : chunk[u"choices"].asArray()) {
        if (c[u"index"].toInt(0) == 0) {
            choice = &c;
            break;
        }
    }
    if (!choice)
        return std::nullopt;
    if (const Json& finish = (*choice)[u"finish_reason"]; finish.isString())
        m_finishReason = finish.toString();
    const Json& delta = (*choice)[u"delta"];
    if (!delta.isObject())
        return std::nullopt;
    if (m_model.isEmpty())
        m_model = chunk[u"model"].toString();
    if (const QString id = chunk[u"id"].toString(); !id.isEmpty())
        m_responseId = id;

    // Non-standard reasoning fields: `reasoning_content` (LM Studio, DeepSeek, vLLM) and
    // `reasoning` (Ollama), as in chatcmpl_stream_handler.py.
    if (const QString r = delta[u"reasoning_content"].toString(); !r.isEmpty()) {
        m_hasReasoning = true;
        m_reasoningSummary += r;
        if (m_listener)
            m_listener->onReasoningDelta({}, r);
    }
    if (const QString r = delta[u"reasoning"].toString(); !r.isEmpty()) {
        m_hasReasoning = true;
        m_reasoningContent += r;
        if (m_listener)
            m_listener->onReasoningDelta({}, r);
    }

    // A leading "" content delta (the role chunk) opens nothing.
    if (const Json& content = delta[u"content"];
        content.isString() && !(m_textIndex < 0 && content.toString().isEmpty())) {
        if (m_textIndex < 0) {
            m_textIndex = m_refusalIndex >= 0 ? 1 : 0;
            if (m_callsBeforeMessage < 0)
                m_callsBeforeMessage = m_anyCallStarted ? m_calls.size() : 0;
        }
        m_text += content.toString();
        if (m_listener && !content.toString().isEmpty())
            m_listener->onTextDelta({}, content.toString());
    }
    if (const QString refusal = delta[u"refusal"].toString(); !refusal.isEmpty()) {
        if (m_refusalIndex < 0) {
            m_refusalIndex = m_textIndex >= 0 ? 1 : 0;
            if (m_callsBeforeMessage < 0)
                m_callsBeforeMessage = m_anyCallStarted ? m_calls.size() : 0;
        }
        m_refusal += refusal;
        if (m_listener)
            m_listener->onRefusalDelta({}, refusal);
    }

    // Tool calls are keyed by `index`; id and name come once, arguments are concatenated
    // (chat_stream_parallel_tool_calls.sse). Ollama sends each call whole in one delta.
    for (const Json& tc : delta[u"tool_calls"].asArray()) {
        if (tc[u"type"].toString() == u"custom")
            continue; // not representable; the SDK ignores these too
        const int index = static_cast<int>(tc[u"index"].toInt(m_callOrder.size()));
        if (!m_calls.contains(index))
            m_callOrder.append(index);
        ToolCall& call = m_calls[index];
        const Json& function = tc[u"function"];
        const QString fragment = function[u"arguments"].toString();
        call.arguments += fragment;
        if (const QString name = function[u"name"].toString(); !name.isEmpty())
            call.name = name;
        if (const QString id = tc[u"id"].toString(); !id.isEmpty())
            call.callId = id;
        if (!call.started && !call.name.isEmpty() && !call.callId.isEmpty()) {
            call.started = true;
            m_anyCallStarted = true;
            if (m_listener) {
                m_listener->onToolCallStarted(call.callId, call.name);
                // Fragments that came before the id/name are not lost to listeners.
                if (!call.arguments.isEmpty())
                    m_listener->onToolCallArgumentsDelta(call.callId, call.arguments);
            }
        } else if (call.started && !fragment.isEmpty() && m_listener) {
            m_listener->onToolCallArgumentsDelta(call.callId, fragment);
        }
    }
    return std::nullopt;
}

Result<ModelReply> ChatCompletionsCodec::buildReply(const Json& usage)
{
    ModelReply reply;
    reply.responseId = m_responseId;
    reply.model = m_model;
    reply.finishReason = m_finishReason;
    applyUsage(usage, reply);

    const bool nothing = m_text.isEmpty() && m_refusal.isEmpty() && m_calls.isEmpty();
    if (nothing && m_finishReason == u"content_filter") {
        // The SDK preserves a silent filter as a refusal rather than an empty turn.
        m_refusal = kFilterRefusal;
        m_refusalIndex = 0;
    } else if (nothing && m_finishReason == u"length") {
        return Error::make(Error::Code::Protocol,
                           QStringLiteral("Chat Completions response terminated with finish_reason='length' but "
                                          "produced no assistant text, tool call, or refusal."));
    }

    const Json data = providerData();
    if (m_hasReasoning)
        reply.output.append(ResponseItems::chatReasoning(m_reasoningSummary, m_reasoningContent, data));

    QList<Json> calls;
    for (int index : std::as_const(m_callOrder)) {
        const ToolCall& c = m_calls[index];
        calls.append(ResponseItems::chatFunctionCall(c.callId, c.name, c.arguments, data));
    }
    const qsizetype before = m_callsBeforeMessage < 0 ? 0 : std::min(m_callsBeforeMessage, calls.size());
    if (m_textIndex >= 0 || m_refusalIndex >= 0) {
        for (qsizetype i = 0; i < before; ++i)
            reply.output.append(calls[i]);
        Json parts = Json::array();
        const bool refusalFirst = m_refusalIndex == 0;
        if (refusalFirst)
            parts.append(ResponseItems::refusalPart(m_refusal));
        if (m_textIndex >= 0)
            parts.append(ResponseItems::outputTextPart(m_text));
        if (m_refusalIndex >= 0 && !refusalFirst)
            parts.append(ResponseItems::refusalPart(m_refusal));
        reply.output.append(ResponseItems::chatMessage(std::move(parts), data));
        for (qsizetype i = before; i < calls.size(); ++i)
            reply.output.append(calls[i]);
    } else {
        reply.output.append(calls);
    }
    return reply;
}

Result<ModelReply> ChatCompletionsCodec::finishStream()
{
    if (!m_done && m_finishReason.isEmpty())
        return Error::make(Error::Code::Protocol,
                           QStringLiteral("The Chat Completions stream ended before the response was complete"));
    return buildReply(m_sawUsage ? m_usage : Json());
}

Result<ModelReply> ChatCompletionsCodec::parseBody(const QByteArray& body)
{
    auto parsed = Json::parse(body);
    if (!parsed || !parsed->isObject())
        return Error::make(Error::Code::Protocol, QStringLiteral("The Chat Completions response is not JSON"));
    const Json& response = *parsed;
    if (const Json& error = response[u"error"]; error.isObject())
        return OpenAiErrors::fromErrorObject(error, Error::Code::Server, {});
    const Json& choices = response[u"choices"];
    if (!choices.isArray() || choices.size() == 0)
        return Error::make(Error::Code::Protocol,
                           QStringLiteral("ChatCompletion response has no choices (possible provider error payload)"));
    const Json& choice = choices.asArray().front();
    const Json& message = choice[u"message"];

    m_responseId = response[u"id"].toString();
    m_model = response[u"model"].toString();
    m_finishReason = choice[u"finish_reason"].toString();

    ModelReply reply;
    reply.responseId = m_responseId;
    reply.model = m_model;
    reply.finishReason = m_finishReason;
    applyUsage(response[u"usage"], reply);

    QString content = message[u"content"].toString();
    QString refusal = message[u"refusal"].toString();
    const Json& toolCalls = message[u"tool_calls"];
    const bool noCalls = !toolCalls.isArray() || toolCalls.size() == 0;
    if (content.isEmpty() && refusal.isEmpty() && noCalls) {
        if (m_finishReason == u"content_filter")
            refusal = kFilterRefusal;
        else if (m_finishReason == u"length")
            return Error::make(Error::Code::Protocol,
                               QStringLiteral("Chat Completions response terminated with finish_reason='length' "
                                              "but produced no assistant text, tool call, or refusal."));
    }

    // provider_data as `OpenAIChatCompletionsModel.get_response` builds it: {"model", "response_id"}.
    Json data = Json::object();
    data.insert(QStringLiteral("model"), m_requestedModel.isEmpty() ? m_model : m_requestedModel);
    if (response.contains(u"id"))
        data.insert(QStringLiteral("response_id"), response[u"id"]);

    const QString reasoningContent = message[u"reasoning_content"].toString();
    const QString reasoning = reasoningContent.isEmpty() ? message[u"reasoning"].toString() : QString();
    if (!reasoningContent.isEmpty() || !reasoning.isEmpty())
        reply.output.append(ResponseItems::chatReasoning(reasoningContent, reasoning, data));

    Json parts = Json::array();
    if (!content.isEmpty())
        parts.append(
            ResponseItems::outputTextPart(content, ResponseItems::convertChatAnnotations(message[u"annotations"])));
    if (!refusal.isEmpty())
        parts.append(ResponseItems::refusalPart(refusal));
    if (parts.size() > 0)
        reply.output.append(ResponseItems::chatMessage(std::move(parts), data));

    for (const Json& tc : toolCalls.asArray()) {
        if (tc[u"type"].toString(QStringLiteral("function")) != u"function")
            continue;
        const Json& function = tc[u"function"];
        reply.output.append(ResponseItems::chatFunctionCall(tc[u"id"].toString(), function[u"name"].toString(),
                                                            function[u"arguments"].toString(), data));
    }
    return reply;
}

} // namespace tb::net
