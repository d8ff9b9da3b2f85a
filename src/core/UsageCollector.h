// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "PriceTable.h"
#include "Result.h"
#include "Session.h"
#include "SessionStore.h"
#include "UsageSeries.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace tb::core {

/// How usage is priced: the price table and where models come from (see ModelResolver).
struct UsagePricing
{
    PriceTable prices = PriceTable::defaults();
    QString defaultModel;  // turns with no recorded or assigned model (empty: they stay unpriced)
    QString overrideModel; // replaces every model: `report --model M` (empty: none)
    QString whatIfModel;   // also priced side by side into the whatIfCost fields (empty: none)
};

/// The usage of one session for the charts: one branch's turns, tools and context growth, and
/// every branch's totals.
struct SessionUsageSeries
{
    QString sessionId;
    QString branchId;               // the branch of turns, toolTurns, toolTotals and context
    QList<TurnTokens> turns;        // its turn_usage rows in turn order, priced (get_turn_usage)
    QList<BranchTokens> branches;   // every branch in list_branches order (get_session_usage each)
    QList<ToolCalls> toolTurns;     // get_tool_usage of the branch: (tool, turn, count) in its order
    QList<ToolCalls> toolTotals;    // per tool over the branch (turn absent), most calls first
    QList<ContextPoint> context;    // input tokens per model request (request rows), else per turn
    QStringList unpricedModels;     // models of `turns` or `branches` without a price
};

/// Collects SessionUsageSeries for one session: the turn rows come from turn_usage (with their
/// day, for dated prices), branch lineage from BranchLineage (fork turns), tools from
/// get_tool_usage, context growth from the workbench's request rows. Fast enough to run whenever
/// the selected session or branch changes; only lineage reads item rows, and only for sessions
/// with several branches and at most kMaxLineageRows rows (else recorded lineage or the first
/// turn with usage gives the fork turn).
class UsageCollector final
{
public:
    static constexpr qint64 kMaxLineageRows = 60000;

    UsageCollector(SessionStore& store, UsagePricing pricing);

    /// Opens the session and collects `branchId` (empty: main).
    Result<SessionUsageSeries> collect(const QString& sessionId, const QString& branchId);
    /// The same on a session object the caller holds; `sessionId` is the store's id of it (the
    /// composite id in a workspace, unlike session.sessionId()).
    Result<SessionUsageSeries> collect(BranchingSession& session, const QString& sessionId, const QString& branchId);

    /// Remembers PriceTable::find() answers: a report prices a quarter of a million turns on a
    /// handful of (model, day) pairs.
    class PriceCache final
    {
    public:
        explicit PriceCache(const PriceTable& prices) : m_prices(prices) {}
        const std::optional<ModelPrice>& find(const QString& model, const QDate& day);

    private:
        const PriceTable& m_prices;
        QHash<QString, std::optional<ModelPrice>> m_found; // model \1 julian day
        QString m_lastModel;
        QDate m_lastDay;
        const std::optional<ModelPrice>* m_last = nullptr;
    };

    /// Sets turn.cost (on turn.model at the price of turn.day) and turn.whatIfCost (on the what-if
    /// model, if any); a model without a price leaves cost empty.
    static void price(TurnTokens& turn, const UsagePricing& pricing);
    static void price(TurnTokens& turn, const UsagePricing& pricing, PriceCache& cache);
    /// TurnTokens from a turn_usage row (model not yet resolved, not priced).
    static TurnTokens fromRow(const UsageRow& row);

private:
    SessionStore& m_store;
    UsagePricing m_pricing;
};

} // namespace tb::core
