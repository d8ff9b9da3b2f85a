// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "UsageReport.h"

#include "ModelResolver.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QSet>
#include <QTimeZone>

#include <algorithm>

namespace tb::core {

namespace {

// Progress units: the scan of the store counts for kScanUnits, resolving and pricing the turns
// for kPriceUnits, so the bar moves evenly through both.
constexpr qint64 kScanUnits = 900;
constexpr qint64 kPriceUnits = 100;
constexpr qint64 kTotalUnits = kScanUnits + kPriceUnits;

void addCost(std::optional<double>& sum, const std::optional<double>& part)
{
    if (part)
        sum = sum.value_or(0.0) + *part;
}

// Adds one turn to a branch, session or model total: the same counters in each.
template <typename Totals>
void addTurn(Totals& totals, const TurnTokens& t)
{
    ++totals.turns;
    totals.requests += t.requests;
    totals.inputTokens += t.inputTokens;
    totals.cachedTokens += t.cachedTokens;
    totals.outputTokens += t.outputTokens;
    totals.reasoningTokens += t.reasoningTokens;
    totals.totalTokens += t.totalTokens;
    addCost(totals.cost, t.cost);
    if constexpr (requires { totals.whatIfCost; })
        addCost(totals.whatIfCost, t.whatIfCost);
}

// Highest cost first, then most tokens, then key: a stable order for every writer.
template <typename T>
bool costlier(const std::optional<double>& ca, qint64 ta, const T& ka, const std::optional<double>& cb, qint64 tb, const T& kb)
{
    const double a = ca.value_or(-1.0);
    const double b = cb.value_or(-1.0);
    if (a != b)
        return a > b;
    if (ta != tb)
        return ta > tb;
    return ka < kb;
}

Error cancelled()
{
    return Error::make(Error::Code::Cancelled, QStringLiteral("Usage report cancelled"));
}

} // namespace

Result<UsageReport> UsageReportBuilder::build(SessionStore& store, const UsageScope& scope, const ReportProgress& progress)
{
    UsageReport report;
    report.source = store.path();
    report.scope = scope;
    report.generatedAt = QDateTime::currentDateTimeUtc();

    ModelResolver resolver;
    resolver.setDefaultModel(scope.pricing.defaultModel);
    resolver.setOverrideModel(scope.pricing.overrideModel);
    auto assignments = store.modelAssignments();
    if (!assignments)
        return assignments.error();
    resolver.setAssignments(*assignments);

    if (progress && !progress(0, kTotalUnits))
        return cancelled();

    QHash<QString, SessionMeta> metas;
    // Tool rows count only for turns the report covers (a branch's copied turns have no usage
    // rows there; their calls count on the branch that made them). Turn and tool rows come sorted
    // by session and branch, so a key string is built once per branch, not once per row.
    QHash<QString, QSet<qint64>> usageTurns; // session \1 branch -> turns with usage in range
    QString turnKeyCache;
    QString turnSession;
    QString turnBranch;
    QString toolSession;
    QString toolBranch;
    const QSet<qint64>* toolTurnsOf = nullptr;
    QHash<QString, qint64> toolTotals;
    QStringList toolOrder;
    UsageSink sink;
    sink.session = [&](const QString& id, const SessionMeta& meta) {
        metas.insert(id, meta);
        return true;
    };
    sink.turn = [&](const UsageRow& row) {
        TurnTokens t = UsageCollector::fromRow(row);
        if ((scope.from.isValid() && (!t.day.isValid() || t.day < scope.from)) || (scope.to.isValid() && (!t.day.isValid() || t.day > scope.to)))
            return true;
        if (row.sessionId != turnSession || row.branchId != turnBranch || turnKeyCache.isNull()) {
            turnSession = row.sessionId;
            turnBranch = row.branchId;
            turnKeyCache = row.sessionId + QChar(1) + row.branchId;
            toolTurnsOf = nullptr; // the hash may grow now: forget pointers into it
            toolSession.clear();
        }
        usageTurns[turnKeyCache].insert(t.turn);
        report.turns.push_back(std::move(t));
        return true;
    };
    sink.tool = [&](const ToolCountRow& row) {
        if (!row.turn)
            return true;
        if (row.sessionId != toolSession || row.branchId != toolBranch || toolSession.isNull()) {
            toolSession = row.sessionId;
            toolBranch = row.branchId;
            const auto it = usageTurns.constFind(row.sessionId + QChar(1) + row.branchId);
            toolTurnsOf = it == usageTurns.cend() ? nullptr : &*it;
        }
        if (!toolTurnsOf || !toolTurnsOf->contains(*row.turn))
            return true;
        const QString tool = row.tool.value_or(QString());
        report.toolTurns << ToolCalls{tool, row.turn, row.count, toolSession, toolBranch};
        auto total = toolTotals.find(tool);
        if (total == toolTotals.end()) {
            toolOrder << tool;
            total = toolTotals.insert(tool, 0);
        }
        *total += row.count;
        return true;
    };
    sink.requestModel = [&](const RequestModelRow& row) {
        resolver.addRequestModel(row);
        return true;
    };
    sink.progress = [&](qint64 done, qint64 total) {
        return !progress || progress(total > 0 ? done * kScanUnits / total : kScanUnits, kTotalUnits);
    };
    UsageScan scan;
    scan.sessionIds = scope.sessionIds;
    scan.branchId = scope.branchId;
    scan.tools = scope.tools;
    if (auto r = store.scanUsage(scan, sink); !r)
        return r.error();

    // Resolve, price and total, turn by turn (turns come grouped by session and branch).
    QHash<QString, qsizetype> branchIndex;
    QHash<QString, qsizetype> sessionIndex;
    QHash<QString, qsizetype> modelIndex;
    QMap<QDate, DayTotals> days;
    QStringList unpriced;
    UsageTotals& totals = report.totals;
    if (!scope.pricing.whatIfModel.isEmpty())
        totals.whatIfCost = 0.0;
    UsageCollector::PriceCache prices(scope.pricing.prices);
    QString lastSession;
    QString lastBranch;
    QString lastModel;
    qsizetype branchAt = -1;
    qsizetype sessionAt = -1;
    qsizetype modelAt = -1;
    QElapsedTimer clock;
    clock.start();
    const qsizetype n = report.turns.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (progress && (i & 1023) == 0 && clock.elapsed() > 100) {
            clock.restart();
            if (!progress(kScanUnits + qint64(i) * kPriceUnits / std::max<qsizetype>(1, n), kTotalUnits))
                return cancelled();
        }
        TurnTokens& t = report.turns[i];
        const ResolvedModel m = resolver.resolve(t.sessionId, t.branchId, t.turn);
        t.model = m.model;
        t.modelSource = modelSourceName(m.source);
        UsageCollector::price(t, scope.pricing, prices);

        ++totals.turns;
        totals.requests += t.requests;
        totals.inputTokens += t.inputTokens;
        totals.cachedTokens += t.cachedTokens;
        totals.outputTokens += t.outputTokens;
        totals.reasoningTokens += t.reasoningTokens;
        totals.totalTokens += t.totalTokens;
        if (t.cost) {
            totals.cost += *t.cost;
        } else {
            ++totals.unpricedTurns;
            if (!unpriced.contains(t.model))
                unpriced << t.model;
        }
        addCost(totals.whatIfCost, t.whatIfCost);

        // Turns come grouped by session and branch: look the groups up only when they change.
        if (t.sessionId != lastSession || t.branchId != lastBranch || branchAt < 0) {
            lastSession = t.sessionId;
            lastBranch = t.branchId;
            const QString bKey = t.sessionId + QChar(1) + t.branchId;
            auto bi = branchIndex.constFind(bKey);
            if (bi == branchIndex.cend()) {
                BranchTokens nb;
                nb.sessionId = t.sessionId;
                nb.branchId = t.branchId;
                nb.label = t.branchId;
                nb.forkTurn = 0;
                report.branches << nb;
                bi = branchIndex.insert(bKey, report.branches.size() - 1);
            }
            branchAt = *bi;
            auto si = sessionIndex.constFind(t.sessionId);
            if (si == sessionIndex.cend()) {
                SessionTokens ns;
                ns.sessionId = t.sessionId;
                const SessionMeta meta = metas.value(t.sessionId);
                ns.title = meta.title;
                ns.customer = meta.customer;
                ns.reviewStatus = meta.reviewStatus;
                report.sessions << ns;
                si = sessionIndex.insert(t.sessionId, report.sessions.size() - 1);
            }
            sessionAt = *si;
        }
        BranchTokens& b = report.branches[branchAt];
        addTurn(b, t);
        if (t.turn >= 1 && (b.forkTurn == 0 || t.turn < b.forkTurn))
            b.forkTurn = t.turn;

        addTurn(report.sessions[sessionAt], t);

        if (t.model != lastModel || modelAt < 0) {
            lastModel = t.model;
            auto mi = modelIndex.constFind(t.model);
            if (mi == modelIndex.cend()) {
                ModelTotals nm;
                nm.model = t.model;
                report.models << nm;
                mi = modelIndex.insert(t.model, report.models.size() - 1);
            }
            modelAt = *mi;
        }
        addTurn(report.models[modelAt], t);

        DayTotals& d = days[t.day];
        d.day = t.day;
        d.totalTokens += t.totalTokens;
        addCost(d.cost, t.cost);
        addCost(d.whatIfCost, t.whatIfCost);

        if (!report.mostExpensive
            || costlier(t.cost, t.totalTokens, QString(), report.mostExpensive->cost, report.mostExpensive->totalTokens, QString()))
            report.mostExpensive = t;

    }
    if (!scope.pricing.whatIfModel.isEmpty() && !scope.pricing.prices.find(scope.pricing.whatIfModel, QDate()))
        unpriced << scope.pricing.whatIfModel;

    for (BranchTokens& b : report.branches) {
        if (b.forkTurn == 0 || b.branchId == u"main")
            b.forkTurn = 1;
    }
    QHash<QString, QSet<QString>> branchesOf;
    for (const BranchTokens& b : std::as_const(report.branches))
        branchesOf[b.sessionId].insert(b.branchId);
    for (SessionTokens& s : report.sessions)
        s.branches = branchesOf.value(s.sessionId).size();
    totals.sessions = report.sessions.size();
    totals.branches = report.branches.size();

    std::stable_sort(report.models.begin(), report.models.end(), [](const ModelTotals& a, const ModelTotals& b) {
        return costlier(a.cost, a.totalTokens, a.model, b.cost, b.totalTokens, b.model);
    });
    for (const DayTotals& d : std::as_const(days))
        report.days << d;
    for (const QString& tool : std::as_const(toolOrder))
        report.tools << ToolCalls{tool, std::nullopt, toolTotals.value(tool), QString(), QString()};
    std::stable_sort(report.tools.begin(), report.tools.end(), [](const ToolCalls& a, const ToolCalls& b) {
        return a.count != b.count ? a.count > b.count : a.tool < b.tool;
    });

    QList<const SessionTokens*> ranked;
    for (const SessionTokens& s : std::as_const(report.sessions))
        ranked << &s;
    std::stable_sort(ranked.begin(), ranked.end(), [](const SessionTokens* a, const SessionTokens* b) {
        return costlier(a->cost, a->totalTokens, a->sessionId, b->cost, b->totalTokens, b->sessionId);
    });
    for (qsizetype i = 0; i < ranked.size() && i < scope.topCount; ++i) {
        const SessionTokens& s = *ranked.at(i);
        report.topSessions << GroupTotals{s.sessionId, s.title.isEmpty() ? s.sessionId : s.title, 1, s.totalTokens, s.cost, s.whatIfCost};
    }

    QHash<QString, qsizetype> customerIndex;
    QMap<int, GroupTotals> statuses;
    for (const SessionTokens& s : std::as_const(report.sessions)) {
        auto ci = customerIndex.constFind(s.customer);
        if (ci == customerIndex.cend()) {
            report.customers << GroupTotals{s.customer, s.customer.isEmpty() ? QStringLiteral("(no customer)") : s.customer, 0, 0, {}, {}};
            ci = customerIndex.insert(s.customer, report.customers.size() - 1);
        }
        for (GroupTotals* g : {&report.customers[*ci], &statuses[int(s.reviewStatus)]}) {
            ++g->sessions;
            g->totalTokens += s.totalTokens;
            addCost(g->cost, s.cost);
            addCost(g->whatIfCost, s.whatIfCost);
        }
        GroupTotals& st = statuses[int(s.reviewStatus)];
        st.key = reviewStatusName(s.reviewStatus);
        st.label = st.key;
    }
    std::stable_sort(report.customers.begin(), report.customers.end(), [](const GroupTotals& a, const GroupTotals& b) {
        return costlier(a.cost, a.totalTokens, a.key, b.cost, b.totalTokens, b.key);
    });
    for (const GroupTotals& g : std::as_const(statuses))
        report.reviewStatuses << g;

    unpriced.sort();
    report.unpricedModels = unpriced;
    if (progress && !progress(kTotalUnits, kTotalUnits))
        return cancelled();
    return report;
}

} // namespace tb::core
