// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Result.h"
#include "SessionStore.h"
#include "UsageCollector.h"
#include "UsageSeries.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace tb::core {

/// Progress of long report work: `done` of `total` units; returning false cancels (the work then
/// fails with Error::Code::Cancelled). Called at least every few hundred milliseconds of work.
using ReportProgress = std::function<bool(qint64 done, qint64 total)>;

/// What a usage report covers.
struct UsageScope
{
    QStringList sessionIds;          // empty: every session of the store (a file or a workspace)
    std::optional<QString> branchId; // nullopt: every branch
    QDate from;                      // inclusive, compared with the turn's UTC day; invalid: open
    QDate to;                        // inclusive; invalid: open
    UsagePricing pricing;
    int topCount = 10;               // entries of UsageReport::topSessions
    bool tools = true;               // read tool usage (message_structure); the CSV has no tool columns
};

/// Sums over everything a report covers. `cost` sums the priced turns only; `unpricedTurns` says
/// how many were left out (their models are in UsageReport::unpricedModels).
struct UsageTotals
{
    qint64 sessions = 0;
    qint64 branches = 0;
    qint64 turns = 0;
    qint64 requests = 0;
    qint64 inputTokens = 0;
    qint64 cachedTokens = 0;
    qint64 outputTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 totalTokens = 0;
    double cost = 0;
    std::optional<double> whatIfCost;
    qint64 unpricedTurns = 0;
};

/// One session's totals over the turns a report covers.
struct SessionTokens
{
    QString sessionId;
    QString title;
    QString customer;
    ReviewStatus reviewStatus = ReviewStatus::New;
    qint64 branches = 0;
    qint64 turns = 0;
    qint64 requests = 0;
    qint64 inputTokens = 0;
    qint64 cachedTokens = 0;
    qint64 outputTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 totalTokens = 0;
    std::optional<double> cost;      // nullopt when none of its turns is priced
    std::optional<double> whatIfCost;
};

/// Cost by model: the turns priced on one model ("" = no model known).
struct ModelTotals
{
    QString model;
    qint64 turns = 0;
    qint64 requests = 0;
    qint64 inputTokens = 0;
    qint64 cachedTokens = 0;
    qint64 outputTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 totalTokens = 0;
    std::optional<double> cost;      // nullopt: no price known for the model
};

/// A chart picture for the HTML and PDF reports (core cannot render; the ui layer does).
struct ReportImage
{
    QString title;
    QByteArray png;
};

/// A usage report: totals, per-turn, per-branch and per-session tables, the most expensive
/// interaction, tool usage, cost by model, per day and per group. Tables are sorted as
/// documented so that every writer and every run give the same order.
struct UsageReport
{
    static constexpr const char16_t* kJsonFormat = u"threadbench-usage-report/1";

    QString source;                       // the store's path (file or folder)
    UsageScope scope;                     // as asked, pricing included
    QDateTime generatedAt;                // UTC
    UsageTotals totals;
    QList<TurnTokens> turns;              // in scan order: (member file,) session id, branch id, turn
    QList<BranchTokens> branches;         // same order; forkTurn = first turn with usage (usage rows
                                          // are never copied, so a branch's rows are its own turns)
    QList<SessionTokens> sessions;        // same order; sessions with usage in range only
    QList<ToolCalls> toolTurns;           // tool calls of the turns in `turns` (session, branch, turn, tool)
    QList<ToolCalls> tools;               // per tool over `toolTurns`, most calls first
    QList<ModelTotals> models;            // most expensive first, unpriced last
    QList<DayTotals> days;                // ascending
    std::optional<TurnTokens> mostExpensive; // highest cost, else most tokens
    QList<GroupTotals> topSessions;       // highest cost (then tokens) first, at most scope.topCount
    QList<GroupTotals> customers;         // key = customer ("" = none), by cost then tokens
    QList<GroupTotals> reviewStatuses;    // key = reviewStatusName(), in workflow order
    QStringList unpricedModels;           // sorted; "" when some turns have no model at all
};

/// Builds a UsageReport from a store (one file or a WorkspaceStore) in one pass over its usage
/// rows (SessionStore::scanUsage), without opening session objects.
class UsageReportBuilder final
{
public:
    static Result<UsageReport> build(SessionStore& store, const UsageScope& scope, const ReportProgress& progress = {});
};

} // namespace tb::core
