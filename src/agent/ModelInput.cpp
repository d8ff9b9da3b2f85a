// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ModelInput.h"

#include <QHash>

namespace tb::agent {

using core::Json;

namespace {

/// _TOOL_CALL_TO_OUTPUT_TYPE
const QHash<QString, QString>& callToOutputType()
{
    static const QHash<QString, QString> map{
        {QStringLiteral("program"), QStringLiteral("program_output")},
        {QStringLiteral("function_call"), QStringLiteral("function_call_output")},
        {QStringLiteral("custom_tool_call"), QStringLiteral("custom_tool_call_output")},
        {QStringLiteral("shell_call"), QStringLiteral("shell_call_output")},
        {QStringLiteral("apply_patch_call"), QStringLiteral("apply_patch_call_output")},
        {QStringLiteral("computer_call"), QStringLiteral("computer_call_output")},
        {QStringLiteral("local_shell_call"), QStringLiteral("local_shell_call_output")},
        {QStringLiteral("tool_search_call"), QStringLiteral("tool_search_output")},
    };
    return map;
}

bool isOutputType(const QString& type)
{
    for (const QString& v : callToOutputType())
        if (v == type)
            return true;
    return false;
}

/// _PROGRAM_OWNED_HOSTED_ITEM_TYPES
bool isProgramOwnedHostedType(const QString& type)
{
    static const QSet<QString> types{
        QStringLiteral("hosted_tool_call"),
        QStringLiteral("file_search_call"),
        QStringLiteral("web_search_call"),
        QStringLiteral("code_interpreter_call"),
        QStringLiteral("image_generation_call"),
        QStringLiteral("mcp_list_tools"),
        QStringLiteral("mcp_call"),
        QStringLiteral("mcp_approval_request"),
        QStringLiteral("mcp_approval_response"),
    };
    return types.contains(type);
}

/// The FAKE_RESPONSES_ID placeholder the SDK puts into items of non-Responses providers.
const QString& fakeResponsesId()
{
    static const QString id = QStringLiteral("__fake_id__");
    return id;
}

std::optional<QString> stringMember(const Json& item, QStringView key)
{
    const Json* v = item.find(key);
    if (v && v->isString())
        return v->toString();
    return std::nullopt;
}

std::optional<QString> programCallerId(const Json& entry)
{
    if (!entry.isObject())
        return std::nullopt;
    const Json& caller = entry[u"caller"];
    if (!caller.isObject() || caller[u"type"] != Json(QStringLiteral("program")))
        return std::nullopt;
    return stringMember(caller, u"caller_id");
}

bool isPendingHostedShellCall(const Json& entry)
{
    if (!entry.isObject() || entry[u"type"] != Json(QStringLiteral("shell_call")))
        return false;
    const Json& status = entry[u"status"];
    return status.isNull() || status == Json(QStringLiteral("in_progress"));
}

bool isRetainedProgramOwnedItem(const Json& entry, qsizetype index, const std::optional<ModelInput::IndexSet>& pruning)
{
    if (pruning)
        return !pruning->contains(index);
    if (isPendingHostedShellCall(entry))
        return true;
    if (!entry.isObject())
        return false;
    const QString type = entry[u"type"].toString();
    return isProgramOwnedHostedType(type) || isOutputType(type);
}

/// Output type → call ids of the outputs present.
QHash<QString, QSet<QString>> completedCallIds(const QList<Json>& items)
{
    QHash<QString, QSet<QString>> completed;
    for (const Json& entry : items) {
        const auto type = stringMember(entry, u"type");
        if (!type || !isOutputType(*type))
            continue;
        if (const auto callId = stringMember(entry, u"call_id"))
            completed[*type].insert(*callId);
    }
    return completed;
}

/// Anonymous tool_search_calls (no call_id) answered by a later anonymous tool_search_output.
ModelInput::IndexSet matchedAnonymousToolSearchCalls(const QList<Json>& items)
{
    ModelInput::IndexSet matched;
    int pendingOutputs = 0;
    for (qsizetype i = items.size() - 1; i >= 0; --i) {
        const Json& entry = items.at(i);
        if (!entry.isObject())
            continue;
        const QString type = entry[u"type"].toString();
        const bool anonymous = !entry[u"call_id"].isString();
        if (type == u"tool_search_output" && anonymous) {
            ++pendingOutputs;
        } else if (type == u"tool_search_call" && anonymous && pendingOutputs > 0) {
            matched.insert(i);
            --pendingOutputs;
        }
    }
    return matched;
}

/// _drop_reasoning_items_preceding_dropped_calls: a reasoning item belongs to the next
/// non-reasoning item; the Responses API rejects it without that item.
QList<Json> dropWithPrecedingReasoning(const QList<Json>& items, const ModelInput::IndexSet& dropped,
                                       const ModelInput::IndexSet& triggers)
{
    ModelInput::IndexSet dropReasoning;
    for (qsizetype i = items.size() - 1; i >= 0; --i) {
        const Json& entry = items.at(i);
        if (!entry.isObject() || entry[u"type"] != Json(QStringLiteral("reasoning")) || dropped.contains(i))
            continue;
        for (qsizetype next = i + 1; next < items.size(); ++next) {
            if (dropReasoning.contains(next))
                continue;
            const Json& n = items.at(next);
            if (n.isObject() && n[u"type"] == Json(QStringLiteral("reasoning")))
                continue;
            if (triggers.contains(next))
                dropReasoning.insert(i);
            break;
        }
    }
    QList<Json> out;
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!dropped.contains(i) && !dropReasoning.contains(i))
            out << items.at(i);
    }
    return out;
}

} // namespace

Json ModelInput::userMessage(const QString& text)
{
    Json item = Json::object();
    item.insert(QStringLiteral("content"), Json(text));
    item.insert(QStringLiteral("role"), Json(QStringLiteral("user")));
    return item;
}

QList<Json> ModelInput::normalize(const QList<Json>& items)
{
    QList<Json> out;
    out.reserve(items.size());
    for (Json item : items) {
        if (item.isObject()) {
            item.remove(u"_agents_tool_description");
            item.remove(u"_agents_tool_title");
        }
        out << std::move(item);
    }
    return out;
}

QList<Json> ModelInput::dropOrphanCalls(const QList<Json>& items, const std::optional<IndexSet>& pruning,
                                        const std::optional<IndexSet>& outputPruning)
{
    const auto completed = completedCallIds(items);
    const IndexSet matchedAnonymous = matchedAnonymousToolSearchCalls(items);
    auto candidate = [&](qsizetype i) { return !pruning || pruning->contains(i); };

    // Programs without output stay when a retained item still belongs to them.
    QSet<QString> activePrograms;
    QSet<QString> orphanPrograms;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const Json& entry = items.at(i);
        if (!candidate(i) || !entry.isObject() || entry[u"type"] != Json(QStringLiteral("program")))
            continue;
        const auto callId = stringMember(entry, u"call_id");
        if (!callId || completed.value(QStringLiteral("program_output")).contains(*callId))
            continue;
        bool active = false;
        for (qsizetype c = 0; c < items.size() && !active; ++c)
            active = programCallerId(items.at(c)) == callId && isRetainedProgramOwnedItem(items.at(c), c, pruning);
        (active ? activePrograms : orphanPrograms).insert(*callId);
    }

    IndexSet dropped;
    IndexSet triggers;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const Json& entry = items.at(i);
        const auto type = stringMember(entry, u"type");
        if (!type || !candidate(i))
            continue;
        const auto caller = programCallerId(entry);
        if (caller && orphanPrograms.contains(*caller)) {
            dropped.insert(i);
            triggers.insert(i);
            continue;
        }
        const auto outputType = callToOutputType().constFind(*type);
        if (outputType == callToOutputType().constEnd())
            continue;
        if (caller && isPendingHostedShellCall(entry))
            continue;
        const auto callId = stringMember(entry, u"call_id");
        if (*type == u"program" && callId && activePrograms.contains(*callId))
            continue;
        if (callId && completed.value(*outputType).contains(*callId))
            continue;
        if (*type == u"tool_search_call" && !callId && matchedAnonymous.contains(i))
            continue;
        dropped.insert(i);
        triggers.insert(i);
    }

    if (outputPruning) {
        // Call ids still present, by the output type that answers them.
        QHash<QString, QSet<QString>> available;
        for (qsizetype i = 0; i < items.size(); ++i) {
            const auto type = stringMember(items.at(i), u"type");
            if (dropped.contains(i) || !type)
                continue;
            const auto outputType = callToOutputType().constFind(*type);
            if (outputType == callToOutputType().constEnd())
                continue;
            if (const auto callId = stringMember(items.at(i), u"call_id"))
                available[*outputType].insert(*callId);
        }
        for (qsizetype i : *outputPruning) {
            if (dropped.contains(i) || i < 0 || i >= items.size())
                continue;
            const auto type = stringMember(items.at(i), u"type");
            if (!type || !isOutputType(*type))
                continue;
            const auto callId = stringMember(items.at(i), u"call_id");
            if (callId && !available.value(*type).contains(*callId))
                dropped.insert(i);
        }
    }

    if (dropped.isEmpty())
        return items;
    return dropWithPrecedingReasoning(items, dropped, triggers);
}

std::optional<QString> ModelInput::dedupeKey(const Json& item)
{
    if (!item.isObject())
        return std::nullopt;
    const Json& role = item[u"role"];
    // Python: `payload.get("type") or role`
    const Json& type = item[u"type"].truthy() ? item[u"type"] : role;
    if (!role.isNull() || type == Json(QStringLiteral("message")))
        return std::nullopt;
    const QString typeText = type.pythonStr();
    const auto callId = stringMember(item, u"call_id");
    if (callId && type.isString() && (callToOutputType().contains(typeText) || isOutputType(typeText)))
        return QStringLiteral("call_id:%1:%2").arg(typeText, *callId);
    auto id = stringMember(item, u"id");
    if (id && *id == fakeResponsesId())
        id.reset(); // a placeholder, not an identity: call_id may still dedupe
    if (id)
        return QStringLiteral("id:%1:%2").arg(typeText, *id);
    if (callId)
        return QStringLiteral("call_id:%1:%2").arg(typeText, *callId);
    if (const auto approval = stringMember(item, u"approval_request_id"))
        return QStringLiteral("approval_request_id:%1:%2").arg(typeText, *approval);
    return std::nullopt;
}

QList<Json> ModelInput::deduplicatePreferringLatest(const QList<Json>& items)
{
    QHash<QString, qsizetype> latest; // key → index of the latest value
    QHash<QString, qsizetype> anchor; // key → index where the item is placed
    QList<std::optional<QString>> keys;
    keys.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        keys << dedupeKey(items.at(i));
        const auto& key = keys.last();
        if (!key)
            continue;
        latest.insert(*key, i);
        const QString type = items.at(i)[u"type"].toString();
        // Causal precursors (calls, reasoning) keep their earliest position.
        const bool earliest =
            callToOutputType().contains(type) || type == u"mcp_approval_request" || type == u"reasoning";
        if (!anchor.contains(*key) || !earliest)
            anchor.insert(*key, i);
    }
    QList<Json> out;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const auto& key = keys.at(i);
        if (!key)
            out << items.at(i);
        else if (anchor.value(*key) == i)
            out << items.at(latest.value(*key));
    }
    return out;
}

Json ModelInput::withoutNullStatus(Json item)
{
    if (item.isObject()) {
        if (const Json* status = item.find(u"status"); status && status->isNull())
            item.remove(u"status");
    }
    return item;
}

QList<Json> ModelInput::fromSession(const QList<Json>& history, const QList<Json>& newInput, bool limitInEffect)
{
    QList<Json> combined = normalize(history);
    combined << newInput;
    IndexSet historyIndexes;
    for (qsizetype i = 0; i < history.size(); ++i)
        historyIndexes.insert(i);
    const auto filtered =
        dropOrphanCalls(combined, historyIndexes, limitInEffect ? std::optional(historyIndexes) : std::nullopt);
    return deduplicatePreferringLatest(normalize(filtered));
}

QList<Json> ModelInput::inputToPersist(const QList<Json>& newInput)
{
    return deduplicatePreferringLatest(normalize(newInput));
}

QList<Json> ModelInput::turnToPersist(const QList<Json>& turnItems)
{
    QList<Json> items;
    items.reserve(turnItems.size());
    for (const Json& item : turnItems)
        items << withoutNullStatus(item);
    return deduplicatePreferringLatest(items);
}

QList<Json> ModelInput::forTurn(const QList<Json>& prepared, const QList<Json>& generated)
{
    QList<Json> out = normalize(prepared);
    if (!generated.isEmpty())
        out << dropOrphanCalls(normalize(generated));
    return out;
}

} // namespace tb::agent
