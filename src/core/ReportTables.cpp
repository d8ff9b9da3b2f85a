// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ReportTables.h"

#include <QLocale>

#include <algorithm>

namespace tb::core {

namespace {

QString dateText(const QDate& d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QString();
}

QString turnModel(const TurnTokens& t)
{
    if (t.model.isEmpty())
        return QStringLiteral("(unknown)");
    return t.modelSource.isEmpty() ? t.model : t.model + QStringLiteral(" (") + t.modelSource + u')';
}

// The rows to show of a long list: all in their order, or the `max` most expensive.
template <typename T, typename Cost>
QList<const T*> pick(const QList<T>& all, qsizetype max, Cost cost, QString* note, const QString& noun)
{
    QList<const T*> out;
    out.reserve(std::min(all.size(), max));
    for (const T& x : all)
        out << &x;
    if (out.size() <= max)
        return out;
    std::stable_sort(out.begin(), out.end(), [&](const T* a, const T* b) {
        const auto [ca, ta] = cost(*a);
        const auto [cb, tb] = cost(*b);
        return ca != cb ? ca > cb : ta > tb;
    });
    out.resize(max);
    *note = QStringLiteral("The %1 most expensive of %2 %3 (the CSV and JSON reports have all).")
                .arg(ReportTables::number(max), ReportTables::number(all.size()), noun);
    return out;
}

} // namespace

QString ReportTables::cost(const std::optional<double>& dollars)
{
    if (!dollars)
        return QStringLiteral("–");
    return QStringLiteral("$") + QLocale(QLocale::English).toString(*dollars, 'f', std::abs(*dollars) < 1 ? 4 : 2);
}

QString ReportTables::number(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

QString ReportTables::title(const UsageReport& report)
{
    const UsageScope& s = report.scope;
    if (s.sessionIds.size() == 1)
        return QStringLiteral("Usage report: session %1").arg(s.sessionIds.constFirst());
    if (!s.sessionIds.isEmpty())
        return QStringLiteral("Usage report: %1 sessions").arg(number(s.sessionIds.size()));
    return QStringLiteral("Usage report: all sessions");
}

QList<QPair<QString, QString>> ReportTables::scope(const UsageReport& report)
{
    const UsageScope& s = report.scope;
    QList<QPair<QString, QString>> out;
    out << qMakePair(QStringLiteral("Source"), report.source);
    if (s.sessionIds.isEmpty())
        out << qMakePair(QStringLiteral("Sessions"), QStringLiteral("all"));
    else if (s.sessionIds.size() <= 10)
        out << qMakePair(QStringLiteral("Sessions"), s.sessionIds.join(QStringLiteral(", ")));
    else
        out << qMakePair(QStringLiteral("Sessions"), QStringLiteral("%1 selected").arg(number(s.sessionIds.size())));
    out << qMakePair(QStringLiteral("Branch"), s.branchId ? *s.branchId : QStringLiteral("all"));
    QString range;
    if (!s.from.isValid() && !s.to.isValid())
        range = QStringLiteral("all dates");
    else
        range = (s.from.isValid() ? dateText(s.from) : QStringLiteral("start")) + QStringLiteral(" to ")
            + (s.to.isValid() ? dateText(s.to) : QStringLiteral("end")) + QStringLiteral(" (UTC days, inclusive)");
    out << qMakePair(QStringLiteral("Dates"), range);
    QString pricing;
    if (!s.pricing.overrideModel.isEmpty())
        pricing = QStringLiteral("every turn priced as %1").arg(s.pricing.overrideModel);
    else
        pricing = QStringLiteral("model of the workbench's request rows, else the assigned model, else %1")
                      .arg(s.pricing.defaultModel.isEmpty() ? QStringLiteral("none (unpriced)") : s.pricing.defaultModel);
    out << qMakePair(QStringLiteral("Pricing"), pricing + QStringLiteral("; prices of each turn's day, USD"));
    if (!s.pricing.whatIfModel.isEmpty())
        out << qMakePair(QStringLiteral("What-if model"), s.pricing.whatIfModel);
    out << qMakePair(QStringLiteral("Generated"), report.generatedAt.toString(Qt::ISODate));
    return out;
}

QList<QPair<QString, QString>> ReportTables::summary(const UsageReport& report)
{
    const UsageTotals& t = report.totals;
    QList<QPair<QString, QString>> out;
    out << qMakePair(QStringLiteral("Sessions"), number(t.sessions)) << qMakePair(QStringLiteral("Branches"), number(t.branches))
        << qMakePair(QStringLiteral("Turns"), number(t.turns)) << qMakePair(QStringLiteral("Requests"), number(t.requests))
        << qMakePair(QStringLiteral("Input tokens"), number(t.inputTokens))
        << qMakePair(QStringLiteral("Cached input tokens"), number(t.cachedTokens))
        << qMakePair(QStringLiteral("Output tokens"), number(t.outputTokens))
        << qMakePair(QStringLiteral("Reasoning tokens"), number(t.reasoningTokens))
        << qMakePair(QStringLiteral("Total tokens"), number(t.totalTokens))
        << qMakePair(QStringLiteral("Estimated cost"), cost(t.cost));
    if (report.scope.pricing.whatIfModel.size())
        out << qMakePair(QStringLiteral("Cost on %1").arg(report.scope.pricing.whatIfModel), cost(t.whatIfCost));
    if (t.unpricedTurns > 0) {
        QStringList models = report.unpricedModels;
        for (QString& m : models) {
            if (m.isEmpty())
                m = QStringLiteral("(no model)");
        }
        out << qMakePair(QStringLiteral("Unpriced turns"),
                         QStringLiteral("%1 (no price for %2)").arg(number(t.unpricedTurns), models.join(QStringLiteral(", "))));
    }
    if (report.mostExpensive) {
        const TurnTokens& m = *report.mostExpensive;
        out << qMakePair(QStringLiteral("Most expensive interaction"),
                         QStringLiteral("%1, branch %2, turn %3: %4 tokens, %5 (%6)")
                             .arg(m.sessionId, m.branchId)
                             .arg(m.turn)
                             .arg(number(m.totalTokens), cost(m.cost), turnModel(m)));
    }
    return out;
}

QList<ReportTable> ReportTables::tables(const UsageReport& report, qsizetype maxRows)
{
    const bool whatIf = !report.scope.pricing.whatIfModel.isEmpty();
    const QString whatIfHeader = QStringLiteral("Cost on ") + report.scope.pricing.whatIfModel;
    QList<ReportTable> out;

    ReportTable models{QStringLiteral("models"), QStringLiteral("Cost by model"),
                       {QStringLiteral("Model"), QStringLiteral("Turns"), QStringLiteral("Requests"), QStringLiteral("Input"),
                        QStringLiteral("Cached"), QStringLiteral("Output"), QStringLiteral("Reasoning"), QStringLiteral("Total"),
                        QStringLiteral("Cost")},
                       {false, true, true, true, true, true, true, true, true}, {}, {}};
    for (const ModelTotals& m : report.models) {
        models.rows << QStringList{m.model.isEmpty() ? QStringLiteral("(unknown)") : m.model, number(m.turns), number(m.requests),
                                   number(m.inputTokens), number(m.cachedTokens), number(m.outputTokens), number(m.reasoningTokens),
                                   number(m.totalTokens), cost(m.cost)};
    }
    out << models;

    const auto groupTable = [&](const QString& id, const QString& title, const QString& keyHeader, const QList<GroupTotals>& groups) {
        ReportTable t{id, title, {keyHeader, QStringLiteral("Sessions"), QStringLiteral("Tokens"), QStringLiteral("Cost")},
                      {false, true, true, true}, {}, {}};
        if (whatIf) {
            t.headers << whatIfHeader;
            t.numeric << true;
        }
        for (const GroupTotals& g : groups) {
            QStringList row{g.label, number(g.sessions), number(g.totalTokens), cost(g.cost)};
            if (whatIf)
                row << cost(g.whatIfCost);
            t.rows << row;
        }
        return t;
    };
    out << groupTable(QStringLiteral("top-sessions"), QStringLiteral("Most expensive sessions"), QStringLiteral("Session"),
                      report.topSessions);
    out << groupTable(QStringLiteral("customers"), QStringLiteral("By customer"), QStringLiteral("Customer"), report.customers);
    out << groupTable(QStringLiteral("review-statuses"), QStringLiteral("By review status"), QStringLiteral("Review status"),
                      report.reviewStatuses);

    ReportTable sessions{QStringLiteral("sessions"), QStringLiteral("Sessions"),
                         {QStringLiteral("Session"), QStringLiteral("Title"), QStringLiteral("Customer"), QStringLiteral("Branches"),
                          QStringLiteral("Turns"), QStringLiteral("Input"), QStringLiteral("Cached"), QStringLiteral("Output"),
                          QStringLiteral("Reasoning"), QStringLiteral("Total"), QStringLiteral("Cost")},
                         {false, false, false, true, true, true, true, true, true, true, true}, {}, {}};
    if (whatIf) {
        sessions.headers << whatIfHeader;
        sessions.numeric << true;
    }
    for (const SessionTokens* s : pick(report.sessions, maxRows, [](const SessionTokens& x) { return std::pair(x.cost.value_or(-1), x.totalTokens); },
                                       &sessions.note, QStringLiteral("sessions"))) {
        QStringList row{s->sessionId, s->title, s->customer, number(s->branches), number(s->turns), number(s->inputTokens),
                        number(s->cachedTokens), number(s->outputTokens), number(s->reasoningTokens), number(s->totalTokens), cost(s->cost)};
        if (whatIf)
            row << cost(s->whatIfCost);
        sessions.rows << row;
    }
    out << sessions;

    ReportTable branches{QStringLiteral("branches"), QStringLiteral("Branches"),
                         {QStringLiteral("Session"), QStringLiteral("Branch"), QStringLiteral("From turn"), QStringLiteral("Turns"),
                          QStringLiteral("Requests"), QStringLiteral("Input"), QStringLiteral("Cached"), QStringLiteral("Output"),
                          QStringLiteral("Reasoning"), QStringLiteral("Total"), QStringLiteral("Cost")},
                         {false, false, true, true, true, true, true, true, true, true, true}, {}, {}};
    if (whatIf) {
        branches.headers << whatIfHeader;
        branches.numeric << true;
    }
    for (const BranchTokens* b : pick(report.branches, maxRows, [](const BranchTokens& x) { return std::pair(x.cost.value_or(-1), x.totalTokens); },
                                      &branches.note, QStringLiteral("branches"))) {
        QStringList row{b->sessionId, b->label, number(b->forkTurn), number(b->turns), number(b->requests), number(b->inputTokens),
                        number(b->cachedTokens), number(b->outputTokens), number(b->reasoningTokens), number(b->totalTokens), cost(b->cost)};
        if (whatIf)
            row << cost(b->whatIfCost);
        branches.rows << row;
    }
    out << branches;

    ReportTable tools{QStringLiteral("tools"), QStringLiteral("Tool usage"), {QStringLiteral("Tool"), QStringLiteral("Calls")},
                      {false, true}, {}, QStringLiteral("Tool calls of the turns in this report, counted as get_tool_usage counts them.")};
    for (const ToolCalls& t : report.tools)
        tools.rows << QStringList{t.tool.isEmpty() ? QStringLiteral("(unnamed)") : t.tool, number(t.count)};
    out << tools;

    ReportTable days{QStringLiteral("days"), QStringLiteral("Per day (UTC)"), {QStringLiteral("Day"), QStringLiteral("Tokens"), QStringLiteral("Cost")},
                     {false, true, true}, {}, {}};
    if (whatIf) {
        days.headers << whatIfHeader;
        days.numeric << true;
    }
    for (const DayTotals& d : report.days) {
        QStringList row{d.day.isValid() ? dateText(d.day) : QStringLiteral("(no date)"), number(d.totalTokens), cost(d.cost)};
        if (whatIf)
            row << cost(d.whatIfCost);
        days.rows << row;
    }
    out << days;

    ReportTable turns{QStringLiteral("turns"), QStringLiteral("Turns"),
                      {QStringLiteral("Session"), QStringLiteral("Branch"), QStringLiteral("Turn"), QStringLiteral("Day"),
                       QStringLiteral("Requests"), QStringLiteral("Input"), QStringLiteral("Cached"), QStringLiteral("Output"),
                       QStringLiteral("Reasoning"), QStringLiteral("Total"), QStringLiteral("Model"), QStringLiteral("Cost")},
                      {false, false, true, false, true, true, true, true, true, true, false, true}, {}, {}};
    if (whatIf) {
        turns.headers << whatIfHeader;
        turns.numeric << true;
    }
    for (const TurnTokens* t : pick(report.turns, maxRows, [](const TurnTokens& x) { return std::pair(x.cost.value_or(-1), x.totalTokens); },
                                    &turns.note, QStringLiteral("turns"))) {
        QStringList row{t->sessionId, t->branchId, QString::number(t->turn), dateText(t->day), number(t->requests), number(t->inputTokens),
                        number(t->cachedTokens), number(t->outputTokens), number(t->reasoningTokens), number(t->totalTokens),
                        turnModel(*t), cost(t->cost)};
        if (whatIf)
            row << cost(t->whatIfCost);
        turns.rows << row;
    }
    out << turns;

    // A text column empty in every row (no titles, no customers) only takes width from the others.
    for (ReportTable& t : out) {
        for (qsizetype c = t.headers.size() - 1; c > 0; --c) {
            if (t.numeric.value(c) || t.rows.isEmpty())
                continue;
            const bool empty = std::all_of(t.rows.cbegin(), t.rows.cend(), [c](const QStringList& row) { return row.value(c).isEmpty(); });
            if (!empty)
                continue;
            t.headers.removeAt(c);
            t.numeric.removeAt(c);
            for (QStringList& row : t.rows)
                row.removeAt(c);
        }
    }
    return out;
}

} // namespace tb::core
