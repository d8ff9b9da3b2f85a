// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Json.h"

#include <QList>
#include <QString>

#include <optional>

namespace tb::core {

/// Token usage of one run as the SDK's `agents.usage.Usage` holds it (spec §8). The details are
/// what `store_run_usage` serialises: `{"cache_write_tokens": a, "cached_tokens": b}` and
/// `{"reasoning_tokens": c}`.
struct RunUsage
{
    qint64 requests = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 totalTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 cachedTokens = 0;
    qint64 reasoningTokens = 0;
    /// False when the details were set to None (a test double); then both columns stay NULL.
    bool hasDetails = true;

    RunUsage& operator+=(const RunUsage& o)
    {
        requests += o.requests;
        inputTokens += o.inputTokens;
        outputTokens += o.outputTokens;
        totalTokens += o.totalTokens;
        cacheWriteTokens += o.cacheWriteTokens;
        cachedTokens += o.cachedTokens;
        reasoningTokens += o.reasoningTokens;
        return *this;
    }
};

/// One entry of `list_branches()`.
struct BranchInfo
{
    QString branchId;
    qint64 messageCount = 0;
    qint64 userTurns = 0;
    bool isCurrent = false;
    QString createdAt;
};

/// `get_session_usage()` totals.
struct SessionUsage
{
    qint64 requests = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 totalTokens = 0;
    qint64 totalTurns = 0;
};

/// One `turn_usage` row as `get_turn_usage()` reports it. Details are the parsed JSON text, or
/// null when the column is NULL, empty or not valid JSON.
struct TurnUsage
{
    std::optional<qint64> userTurnNumber; // NULL only in files of foreign writers
    Json requests;                        // counters "as stored" (may be NULL)
    Json inputTokens;
    Json outputTokens;
    Json totalTokens;
    Json inputTokensDetails;
    Json outputTokensDetails;
};

/// One `(tool_name, count, user_turn_number)` tuple of `get_tool_usage()`.
struct ToolUsage
{
    std::optional<QString> toolName;
    qint64 count = 0;
    std::optional<qint64> userTurnNumber;
};

/// One dict of `get_conversation_turns()` / `find_turns_by_content()`.
struct ConversationTurn
{
    std::optional<qint64> turn;
    QString content;    // preview (or the whole text for find_turns_by_content)
    Json fullContent;   // the item's decoded "content" value
    QString timestamp;
    bool canBranch = true;
};

/// One entry of `get_conversation_by_turns()`: item type and tool name in sequence order.
struct TurnItemKind
{
    QString type;
    std::optional<QString> toolName;
};

/// The items of one turn key of `get_conversation_by_turns()` (key is NULL for NULL turn numbers).
struct TurnItems
{
    std::optional<qint64> turn;
    QList<TurnItemKind> items;
};

/// One row of a branch as the workbench reads it (not an SDK call): the item with the
/// structure metadata the SDK keeps beside it. Corrupt rows are reported, not hidden.
struct StoredItem
{
    qint64 messageId = 0;
    qint64 sequenceNumber = 0;
    std::optional<qint64> turn;   // user_turn_number
    QString messageType;
    std::optional<QString> toolName;
    QString createdAt;            // message row's created_at (the original write time)
    Json item;                    // decoded item; null when `corrupt`
    QString rawText;              // set only when the stored text is not valid JSON
    bool corrupt = false;
};

} // namespace tb::core
