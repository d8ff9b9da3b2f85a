// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "UsageCollector.h"

#include "BranchLineage.h"
#include "ModelResolver.h"

#include <QHash>

#include <algorithm>
#include <utility>

namespace tb::core {

namespace {

void addCost(std::optional<double>& sum, const std::optional<double>& part)
{
    if (part)
        sum = sum.value_or(0.0) + *part;
}

} // namespace

UsageCollector::UsageCollector(SessionStore& store, UsagePricing pricing)
    : m_store(store)
    , m_pricing(std::move(pricing))
{
}

TurnTokens UsageCollector::fromRow(const UsageRow& row)
{
    TurnTokens t;
    t.sessionId = row.sessionId;
    t.branchId = row.branchId;
    t.turn = row.turn;
    t.requests = row.requests;
    t.inputTokens = row.inputTokens;
    t.cachedTokens = row.cachedTokens;
    t.outputTokens = row.outputTokens;
    t.reasoningTokens = row.reasoningTokens;
    t.totalTokens = row.totalTokens;
    // "YYYY-MM-DD HH:MM:SS" (CURRENT_TIMESTAMP, UTC): the day is its first ten characters. Read
    // by hand: a report parses a quarter of a million of them.
    const QString& c = row.createdAt;
    const auto digits = [&c](qsizetype from, qsizetype count) {
        int v = 0;
        for (qsizetype i = from; i < from + count; ++i) {
            const char16_t d = c.at(i).unicode();
            if (d < u'0' || d > u'9')
                return -1;
            v = v * 10 + (d - u'0');
        }
        return v;
    };
    if (c.size() >= 10 && c.at(4) == u'-' && c.at(7) == u'-')
        t.day = QDate(digits(0, 4), digits(5, 2), digits(8, 2)); // invalid when a part is not digits
    else
        t.day = QDate::fromString(c.left(10), Qt::ISODate);
    return t;
}

const std::optional<ModelPrice>& UsageCollector::PriceCache::find(const QString& model, const QDate& day)
{
    if (m_last && model == m_lastModel && day == m_lastDay)
        return *m_last;
    const QString key = model + QChar(1) + QString::number(day.isValid() ? day.toJulianDay() : 0);
    auto it = m_found.find(key);
    if (it == m_found.end())
        it = m_found.insert(key, m_prices.find(model, day));
    m_lastModel = model;
    m_lastDay = day;
    m_last = &*it; // stays valid until the next insert, which replaces it first
    return *m_last;
}

void UsageCollector::price(TurnTokens& turn, const UsagePricing& pricing, PriceCache& cache)
{
    turn.cost.reset();
    turn.whatIfCost.reset();
    if (!turn.model.isEmpty()) {
        if (const auto& p = cache.find(turn.model, turn.day))
            turn.cost = PriceTable::cost(*p, turn.inputTokens, turn.cachedTokens, turn.outputTokens, turn.reasoningTokens);
    }
    if (!pricing.whatIfModel.isEmpty()) {
        if (const auto& p = cache.find(pricing.whatIfModel, turn.day))
            turn.whatIfCost = PriceTable::cost(*p, turn.inputTokens, turn.cachedTokens, turn.outputTokens, turn.reasoningTokens);
    }
}

void UsageCollector::price(TurnTokens& turn, const UsagePricing& pricing)
{
    turn.cost.reset();
    turn.whatIfCost.reset();
    if (!turn.model.isEmpty()) {
        if (auto p = pricing.prices.find(turn.model, turn.day))
            turn.cost = PriceTable::cost(*p, turn.inputTokens, turn.cachedTokens, turn.outputTokens, turn.reasoningTokens);
    }
    if (!pricing.whatIfModel.isEmpty()) {
        if (auto p = pricing.prices.find(pricing.whatIfModel, turn.day))
            turn.whatIfCost = PriceTable::cost(*p, turn.inputTokens, turn.cachedTokens, turn.outputTokens, turn.reasoningTokens);
    }
}

Result<SessionUsageSeries> UsageCollector::collect(const QString& sessionId, const QString& branchId)
{
    auto session = m_store.openSession(sessionId, {});
    if (!session)
        return session.error();
    return collect(**session, sessionId, branchId);
}

Result<SessionUsageSeries> UsageCollector::collect(BranchingSession& session, const QString& sessionId, const QString& branchId)
{
    SessionUsageSeries out;
    out.sessionId = sessionId;
    out.branchId = branchId.isEmpty() ? QStringLiteral("main") : branchId;

    ModelResolver resolver;
    resolver.setDefaultModel(m_pricing.defaultModel);
    resolver.setOverrideModel(m_pricing.overrideModel);
    auto assignments = m_store.modelAssignments();
    if (!assignments)
        return assignments.error();
    resolver.setAssignments(*assignments);
    auto requests = m_store.requestUsage(sessionId, std::nullopt);
    if (!requests)
        return requests.error();
    resolver.addRequestModels(*requests);

    // Every turn_usage row of the session, all branches: one indexed read.
    QHash<QString, QList<TurnTokens>> byBranch;
    QStringList usageBranches; // in first-seen order
    UsageSink sink;
    sink.turn = [&](const UsageRow& row) {
        TurnTokens t = fromRow(row);
        const ResolvedModel m = resolver.resolve(t.sessionId, t.branchId, t.turn);
        t.model = m.model;
        t.modelSource = modelSourceName(m.source);
        price(t, m_pricing);
        auto it = byBranch.find(t.branchId);
        if (it == byBranch.end()) {
            usageBranches << t.branchId;
            it = byBranch.insert(t.branchId, {});
        }
        it->push_back(std::move(t));
        return true;
    };
    if (auto r = m_store.scanUsage({{sessionId}, std::nullopt, false}, sink); !r)
        return r.error();

    auto branches = session.listBranches();
    if (!branches)
        return branches.error();
    QStringList order;
    qint64 rows = 0;
    for (const BranchInfo& b : *branches) {
        order << b.branchId;
        rows += b.messageCount;
    }
    // Usage of a branch without structure rows still counts in get_session_usage(None).
    for (const QString& b : std::as_const(usageBranches)) {
        if (!order.contains(b))
            order << b;
    }

    auto recorded = m_store.branchMeta(sessionId);
    const QList<BranchMeta> meta = recorded ? *recorded : QList<BranchMeta>{};
    QHash<QString, qint64> forkTurns;
    if (branches->size() > 1 && rows <= kMaxLineageRows) {
        QList<BranchRows> lineageRows;
        for (const BranchInfo& b : *branches) {
            BranchRows r;
            r.branchId = b.branchId;
            r.createdAt = b.createdAt;
            auto items = session.branchItems(b.branchId, 0, -1);
            if (!items)
                return items.error();
            for (const StoredItem& it : *items) {
                r.messageIds << it.messageId;
                r.turns << it.turn;
            }
            lineageRows << r;
        }
        for (const BranchNode& n : BranchLineage::compute(lineageRows, meta))
            forkTurns.insert(n.branchId, n.forkTurn);
    } else {
        for (const BranchMeta& m : meta) {
            if (m.forkTurn)
                forkTurns.insert(m.branchId, *m.forkTurn);
        }
    }

    for (const QString& b : std::as_const(order)) {
        BranchTokens bt;
        bt.sessionId = sessionId;
        bt.branchId = b;
        bt.label = b;
        for (const BranchMeta& m : meta) {
            if (m.branchId == b && !m.displayName.isEmpty())
                bt.label = m.displayName;
        }
        const QList<TurnTokens> turns = byBranch.value(b);
        qint64 firstOwn = 0;
        for (const TurnTokens& t : turns) {
            ++bt.turns;
            bt.requests += t.requests;
            bt.inputTokens += t.inputTokens;
            bt.cachedTokens += t.cachedTokens;
            bt.outputTokens += t.outputTokens;
            bt.reasoningTokens += t.reasoningTokens;
            bt.totalTokens += t.totalTokens;
            addCost(bt.cost, t.cost);
            addCost(bt.whatIfCost, t.whatIfCost);
            if (t.turn >= 1 && (firstOwn == 0 || t.turn < firstOwn))
                firstOwn = t.turn;
        }
        // Usage rows are never copied to a branch, so its first turn with usage is where it starts
        // when neither lineage nor the workbench recorded it.
        bt.forkTurn = forkTurns.value(b, b == u"main" ? 1 : std::max<qint64>(1, firstOwn));
        out.branches << bt;
    }

    out.turns = byBranch.value(out.branchId);
    auto tools = session.getToolUsage(out.branchId);
    if (!tools)
        return tools.error();
    QHash<QString, qint64> perTool;
    QStringList toolOrder;
    for (const ToolUsage& u : *tools) {
        ToolCalls c;
        c.tool = u.toolName.value_or(QString());
        c.turn = u.userTurnNumber;
        c.count = u.count;
        c.sessionId = sessionId;
        c.branchId = out.branchId;
        out.toolTurns << c;
        if (!perTool.contains(c.tool))
            toolOrder << c.tool;
        perTool[c.tool] += c.count;
    }
    for (const QString& t : std::as_const(toolOrder))
        out.toolTotals << ToolCalls{t, std::nullopt, perTool.value(t), sessionId, out.branchId};
    std::stable_sort(out.toolTotals.begin(), out.toolTotals.end(), [](const ToolCalls& a, const ToolCalls& b) {
        return a.count != b.count ? a.count > b.count : a.tool < b.tool;
    });

    qint64 index = 0;
    for (const RequestUsage& r : std::as_const(*requests)) {
        if (r.branchId == out.branchId)
            out.context << ContextPoint{++index, r.userTurnNumber, r.inputTokens, r.model};
    }
    if (out.context.isEmpty()) {
        for (const TurnTokens& t : std::as_const(out.turns))
            out.context << ContextPoint{++index, t.turn, t.inputTokens, t.model};
    }

    QStringList unpriced;
    for (const auto& list : std::as_const(byBranch)) {
        for (const TurnTokens& t : list) {
            if (!t.cost && !unpriced.contains(t.model))
                unpriced << t.model;
        }
    }
    unpriced.sort();
    out.unpricedModels = unpriced;
    return out;
}

} // namespace tb::core
