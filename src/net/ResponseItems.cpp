// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "ResponseItems.h"

#include <initializer_list>

namespace tb::net {

using core::Json;

namespace {

// Declaration order of the openai-python models (the SDK pins openai >= 3; spec §4.1).
const std::initializer_list<const char16_t*> kMessageOrder = {u"id", u"content", u"role", u"status", u"type", u"phase"};
const std::initializer_list<const char16_t*> kOutputTextOrder = {u"annotations", u"text", u"type", u"logprobs"};
const std::initializer_list<const char16_t*> kRefusalOrder = {u"refusal", u"type"};
const std::initializer_list<const char16_t*> kFunctionCallOrder = {u"arguments", u"call_id", u"name",      u"type",
                                                                   u"id",        u"caller",  u"namespace", u"status"};
const std::initializer_list<const char16_t*> kReasoningOrder = {u"id",      u"summary",           u"type",
                                                                u"content", u"encrypted_content", u"status"};
const std::initializer_list<const char16_t*> kTextTypeOrder = {u"text", u"type"};
const std::initializer_list<const char16_t*> kLogprobOrder = {u"token", u"bytes", u"logprob", u"top_logprobs"};
const std::initializer_list<const char16_t*> kUrlCitationOrder = {u"end_index", u"start_index", u"title", u"type",
                                                                  u"url"};
const std::initializer_list<const char16_t*> kFileCitationOrder = {u"file_id", u"filename", u"index", u"type"};
const std::initializer_list<const char16_t*> kContainerCitationOrder = {u"container_id", u"end_index",   u"file_id",
                                                                        u"filename",     u"start_index", u"type"};
const std::initializer_list<const char16_t*> kFilePathOrder = {u"file_id", u"index", u"type"};

// Declared keys first (those present), then the rest in wire order, as pydantic dumps extras.
Json reorder(const Json& object, std::initializer_list<const char16_t*> order)
{
    if (!object.isObject())
        return object;
    Json out = Json::object();
    for (const char16_t* key : order) {
        const QStringView k(key);
        if (const Json* v = object.find(k))
            out.insert(k.toString(), *v);
    }
    for (const auto& [key, value] : object.asObject()) {
        if (!out.contains(key))
            out.insert(key, value);
    }
    return out;
}

Json mapArray(const Json& array, Json (*fn)(const Json&))
{
    if (!array.isArray())
        return array;
    Json out = Json::array();
    for (const Json& v : array.asArray())
        out.append(fn(v));
    return out;
}

Json annotation(const Json& a)
{
    const QString type = a[u"type"].toString();
    if (type == u"url_citation")
        return reorder(a, kUrlCitationOrder);
    if (type == u"file_citation")
        return reorder(a, kFileCitationOrder);
    if (type == u"container_file_citation")
        return reorder(a, kContainerCitationOrder);
    if (type == u"file_path")
        return reorder(a, kFilePathOrder);
    return a;
}

Json topLogprob(const Json& l)
{
    return reorder(l, kLogprobOrder);
}

Json logprob(const Json& l)
{
    Json out = reorder(l, kLogprobOrder);
    if (const Json* top = l.find(u"top_logprobs"))
        out.insert(QStringLiteral("top_logprobs"), mapArray(*top, topLogprob));
    return out;
}

Json contentPart(const Json& part)
{
    const QString type = part[u"type"].toString();
    if (type == u"output_text") {
        Json out = reorder(part, kOutputTextOrder);
        if (const Json* a = part.find(u"annotations"))
            out.insert(QStringLiteral("annotations"), mapArray(*a, annotation));
        if (const Json* l = part.find(u"logprobs"))
            out.insert(QStringLiteral("logprobs"), mapArray(*l, logprob));
        return out;
    }
    if (type == u"refusal")
        return reorder(part, kRefusalOrder);
    return part;
}

Json textTypePart(const Json& part)
{
    return reorder(part, kTextTypeOrder);
}

Json providerDataWith(const Json& providerData, const char16_t* key, const QString& value)
{
    Json out = providerData.isObject() ? providerData : Json::object();
    out.insert(QStringView(key).toString(), value);
    return out;
}

} // namespace

Json ResponseItems::fromWire(const Json& item)
{
    const QString type = item[u"type"].toString();
    if (type == u"message" && item[u"role"].toString() == u"assistant") {
        Json out = reorder(item, kMessageOrder);
        if (const Json* content = item.find(u"content"))
            out.insert(QStringLiteral("content"), mapArray(*content, contentPart));
        return out;
    }
    if (type == u"function_call") {
        Json out = reorder(item, kFunctionCallOrder);
        if (const Json* status = out.find(u"status"); status && status->isNull())
            out.remove(u"status");
        return out;
    }
    if (type == u"reasoning") {
        Json out = reorder(item, kReasoningOrder);
        if (const Json* summary = item.find(u"summary"))
            out.insert(QStringLiteral("summary"), mapArray(*summary, textTypePart));
        if (const Json* content = item.find(u"content"))
            out.insert(QStringLiteral("content"), mapArray(*content, textTypePart));
        return out;
    }
    return item;
}

Json ResponseItems::chatMessage(Json content, const Json& providerData)
{
    Json out = Json::object();
    out.insert(QStringLiteral("id"), QString::fromLatin1(kFakeId));
    out.insert(QStringLiteral("content"), std::move(content));
    out.insert(QStringLiteral("role"), QStringLiteral("assistant"));
    out.insert(QStringLiteral("status"), QStringLiteral("completed"));
    out.insert(QStringLiteral("type"), QStringLiteral("message"));
    if (providerData.isObject() && providerData.size() > 0)
        out.insert(QStringLiteral("provider_data"), providerData);
    return out;
}

Json ResponseItems::outputTextPart(const QString& text, Json annotations)
{
    Json out = Json::object();
    out.insert(QStringLiteral("annotations"), std::move(annotations));
    out.insert(QStringLiteral("text"), text);
    out.insert(QStringLiteral("type"), QStringLiteral("output_text"));
    out.insert(QStringLiteral("logprobs"), Json::array());
    return out;
}

Json ResponseItems::refusalPart(const QString& refusal)
{
    Json out = Json::object();
    out.insert(QStringLiteral("refusal"), refusal);
    out.insert(QStringLiteral("type"), QStringLiteral("refusal"));
    return out;
}

Json ResponseItems::chatFunctionCall(const QString& callId, const QString& name, const QString& arguments,
                                     const Json& providerData)
{
    Json out = Json::object();
    out.insert(QStringLiteral("arguments"), arguments);
    out.insert(QStringLiteral("call_id"), callId);
    out.insert(QStringLiteral("name"), name);
    out.insert(QStringLiteral("type"), QStringLiteral("function_call"));
    out.insert(QStringLiteral("id"), QString::fromLatin1(kFakeId));
    if (providerData.isObject() && providerData.size() > 0)
        out.insert(QStringLiteral("provider_data"), providerData);
    return out;
}

Json ResponseItems::chatReasoning(const QString& summaryText, const QString& contentText, const Json& providerData)
{
    Json out = Json::object();
    out.insert(QStringLiteral("id"), QString::fromLatin1(kFakeId));
    Json summary = Json::array();
    if (!summaryText.isEmpty()) {
        Json part = Json::object();
        part.insert(QStringLiteral("text"), summaryText);
        part.insert(QStringLiteral("type"), QStringLiteral("summary_text"));
        summary.append(std::move(part));
    }
    out.insert(QStringLiteral("summary"), std::move(summary));
    out.insert(QStringLiteral("type"), QStringLiteral("reasoning"));
    Json data = providerData;
    if (!contentText.isEmpty()) {
        Json part = Json::object();
        part.insert(QStringLiteral("text"), contentText);
        part.insert(QStringLiteral("type"), QStringLiteral("reasoning_text"));
        Json content = Json::array();
        content.append(std::move(part));
        out.insert(QStringLiteral("content"), std::move(content));
        // Only the plain `reasoning` field marks the item for replay (chatcmpl_converter.py); a
        // `reasoning_content` summary removes the marker again (chatcmpl_stream_handler.py).
        if (summaryText.isEmpty())
            data = providerDataWith(providerData, u"_chat_completions_reasoning_field", QStringLiteral("reasoning"));
    }
    if (data.isObject() && data.size() > 0)
        out.insert(QStringLiteral("provider_data"), std::move(data));
    return out;
}

Json ResponseItems::convertChatAnnotations(const Json& annotations)
{
    Json out = Json::array();
    if (!annotations.isArray())
        return out;
    for (const Json& a : annotations.asArray()) {
        if (a[u"type"].toString() != u"url_citation")
            continue;
        const Json& c = a[u"url_citation"];
        Json converted = Json::object();
        converted.insert(QStringLiteral("end_index"), c[u"end_index"]);
        converted.insert(QStringLiteral("start_index"), c[u"start_index"]);
        converted.insert(QStringLiteral("title"), c[u"title"]);
        converted.insert(QStringLiteral("type"), QStringLiteral("url_citation"));
        converted.insert(QStringLiteral("url"), c[u"url"]);
        out.append(std::move(converted));
    }
    return out;
}

Json ResponseItems::stripInternalKeys(const Json& item)
{
    if (!item.isObject())
        return item;
    Json out = item;
    out.remove(u"_agents_tool_description");
    out.remove(u"_agents_tool_title");
    return out;
}

QList<Json> ResponseItems::responsesInput(const QList<Json>& items)
{
    QList<Json> out;
    out.reserve(items.size());
    for (const Json& raw : items) {
        Json item = stripInternalKeys(raw);
        if (item.isObject()) {
            const Json* providerData = item.find(u"provider_data");
            if (item[u"type"].toString() == u"reasoning" && providerData && providerData->truthy())
                continue; // reasoning of another provider cannot be replayed to OpenAI
            if (item[u"id"].toString() == QLatin1String(kFakeId))
                item.remove(u"id");
            item.remove(u"provider_data");
        }
        out.append(std::move(item));
    }
    return out;
}

} // namespace tb::net
