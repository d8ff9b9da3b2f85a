// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QDate>
#include <QList>
#include <QString>

#include <optional>

namespace tb::core {

// Plain value types of usage analytics, shared by the report builder (core), the report writers
// and the charts (ui): charts and reports draw the same numbers from the same rows.

/// Tokens and cost of one user turn of one branch (turn_usage row plus the priced model).
struct TurnTokens
{
    QString sessionId;
    QString branchId;
    qint64 turn = 0;
    qint64 requests = 0;
    qint64 inputTokens = 0;     // including cached
    qint64 cachedTokens = 0;    // part of inputTokens served from the prompt cache
    qint64 outputTokens = 0;    // including reasoning
    qint64 reasoningTokens = 0; // part of outputTokens
    qint64 totalTokens = 0;
    QString model;              // the model the cost was priced on (empty: unknown)
    QString modelSource;        // "request", "branch", "session", "file", "default" or "override"
    std::optional<double> cost; // US dollars; nullopt when the model has no price
    QDate day;                  // when the turn was stored (turn_usage.created_at, UTC)
    std::optional<double> whatIfCost = std::nullopt; // the same tokens priced on the what-if model, if any
};

/// The totals of one branch of a session from its fork point on (turns it owns).
struct BranchTokens
{
    QString sessionId;
    QString branchId;
    QString label;              // display name where the workbench has one
    qint64 forkTurn = 1;
    qint64 turns = 0;
    qint64 requests = 0;
    qint64 inputTokens = 0;
    qint64 cachedTokens = 0;
    qint64 outputTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 totalTokens = 0;
    std::optional<double> cost;
    std::optional<double> whatIfCost = std::nullopt;
};

/// Calls of one tool (get_tool_usage); `turn` absent for totals.
struct ToolCalls
{
    QString tool;
    std::optional<qint64> turn;
    qint64 count = 0;
    QString sessionId = {};     // empty in totals over sessions
    QString branchId = {};      // empty in totals over branches
};

/// Input tokens of one model request, in conversation order: how the context grows.
struct ContextPoint
{
    qint64 index = 0;           // 1-based request number on the branch
    qint64 turn = 0;
    qint64 inputTokens = 0;
    QString model;
};

/// Tokens and cost of one calendar day (UTC) across sessions.
struct DayTotals
{
    QDate day;
    qint64 totalTokens = 0;
    std::optional<double> cost;
    std::optional<double> whatIfCost = std::nullopt;
};

/// A group of sessions (a customer, a review status, one session) with its totals.
struct GroupTotals
{
    QString key;                // session id, customer name or review status name
    QString label;
    qint64 sessions = 0;
    qint64 totalTokens = 0;
    std::optional<double> cost;
    std::optional<double> whatIfCost = std::nullopt;
};

} // namespace tb::core
