// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Json.h"

#include <QList>
#include <QString>

namespace tb::net {

/// Item shapes as the Agents SDK stores them (spec sdk-sessions.md §4.1).
///
/// The SDK keeps what `model_dump(exclude_unset=True)` of the openai-python models gives: fields in
/// the models' *declaration* order (not wire order), only the fields the server sent, extra fields
/// after the declared ones. These helpers turn wire JSON into that shape and build the items the
/// SDK's Chat Completions converter makes (`chatcmpl_converter.py`, `chatcmpl_stream_handler.py`).
class ResponseItems final
{
public:
    /// The SDK's placeholder id for items of providers that assign none (models/fake_id.py).
    static constexpr auto kFakeId = "__fake_id__";

    /// A Responses output item (message, function_call, reasoning, ...) from the wire, reordered
    /// into openai field order. Unknown item types pass through unchanged; a function call's null
    /// or missing `status` is dropped as the Runner does (run_internal/items.py).
    static core::Json fromWire(const core::Json& wireItem);

    /// `{"id": "__fake_id__", "content": [], "role": "assistant", "status": "completed",
    /// "type": "message"}` plus provider_data; append parts with the part builders below.
    static core::Json chatMessage(core::Json content, const core::Json& providerData);
    static core::Json outputTextPart(const QString& text, core::Json annotations = core::Json::array());
    static core::Json refusalPart(const QString& refusal);
    /// `{"arguments", "call_id", "name", "type": "function_call", "id": "__fake_id__"}` + provider_data.
    static core::Json chatFunctionCall(const QString& callId, const QString& name, const QString& arguments,
                                       const core::Json& providerData);
    /// Reasoning from Chat Completions: `reasoning_content` → summary, `reasoning` → content
    /// (then provider_data carries `_chat_completions_reasoning_field: "reasoning"`).
    static core::Json chatReasoning(const QString& summaryText, const QString& contentText,
                                    const core::Json& providerData);

    /// Chat `message.annotations` url citations → Responses `url_citation` annotations.
    static core::Json convertChatAnnotations(const core::Json& annotations);

    /// Input items as the SDK sends them to the Responses API: SDK-internal keys removed
    /// (`_agents_tool_description`/`_agents_tool_title`), and what
    /// `_remove_openai_responses_api_incompatible_fields` removes: reasoning items that carry
    /// provider_data, `"id": "__fake_id__"`, and `provider_data`.
    static QList<core::Json> responsesInput(const QList<core::Json>& items);

    /// Copy of `item` without the SDK-internal session keys.
    static core::Json stripInternalKeys(const core::Json& item);
};

} // namespace tb::net
