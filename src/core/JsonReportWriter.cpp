// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "JsonReportWriter.h"

#include <QElapsedTimer>

namespace tb::core {

namespace {

Json cost(const std::optional<double>& c)
{
    return c ? Json(*c) : Json();
}

Json text(const QString& s)
{
    return Json(s);
}

Json turnJson(const TurnTokens& t)
{
    Json o = Json::object();
    o.insert(QStringLiteral("session"), text(t.sessionId));
    o.insert(QStringLiteral("branch"), text(t.branchId));
    o.insert(QStringLiteral("turn"), Json(t.turn));
    o.insert(QStringLiteral("day"), t.day.isValid() ? Json(t.day.toString(Qt::ISODate)) : Json());
    o.insert(QStringLiteral("requests"), Json(t.requests));
    o.insert(QStringLiteral("input"), Json(t.inputTokens));
    o.insert(QStringLiteral("cached"), Json(t.cachedTokens));
    o.insert(QStringLiteral("output"), Json(t.outputTokens));
    o.insert(QStringLiteral("reasoning"), Json(t.reasoningTokens));
    o.insert(QStringLiteral("total"), Json(t.totalTokens));
    o.insert(QStringLiteral("model"), t.model.isEmpty() ? Json() : text(t.model));
    o.insert(QStringLiteral("model_source"), t.modelSource.isEmpty() ? Json() : text(t.modelSource));
    o.insert(QStringLiteral("cost"), cost(t.cost));
    o.insert(QStringLiteral("whatif_cost"), cost(t.whatIfCost));
    return o;
}

Json branchJson(const BranchTokens& b)
{
    Json o = Json::object();
    o.insert(QStringLiteral("session"), text(b.sessionId));
    o.insert(QStringLiteral("branch"), text(b.branchId));
    o.insert(QStringLiteral("label"), text(b.label));
    o.insert(QStringLiteral("fork_turn"), Json(b.forkTurn));
    o.insert(QStringLiteral("turns"), Json(b.turns));
    o.insert(QStringLiteral("requests"), Json(b.requests));
    o.insert(QStringLiteral("input"), Json(b.inputTokens));
    o.insert(QStringLiteral("cached"), Json(b.cachedTokens));
    o.insert(QStringLiteral("output"), Json(b.outputTokens));
    o.insert(QStringLiteral("reasoning"), Json(b.reasoningTokens));
    o.insert(QStringLiteral("total"), Json(b.totalTokens));
    o.insert(QStringLiteral("cost"), cost(b.cost));
    o.insert(QStringLiteral("whatif_cost"), cost(b.whatIfCost));
    return o;
}

Json sessionJson(const SessionTokens& s)
{
    Json o = Json::object();
    o.insert(QStringLiteral("session"), text(s.sessionId));
    o.insert(QStringLiteral("title"), text(s.title));
    o.insert(QStringLiteral("customer"), text(s.customer));
    o.insert(QStringLiteral("review_status"), text(reviewStatusName(s.reviewStatus)));
    o.insert(QStringLiteral("branches"), Json(s.branches));
    o.insert(QStringLiteral("turns"), Json(s.turns));
    o.insert(QStringLiteral("requests"), Json(s.requests));
    o.insert(QStringLiteral("input"), Json(s.inputTokens));
    o.insert(QStringLiteral("cached"), Json(s.cachedTokens));
    o.insert(QStringLiteral("output"), Json(s.outputTokens));
    o.insert(QStringLiteral("reasoning"), Json(s.reasoningTokens));
    o.insert(QStringLiteral("total"), Json(s.totalTokens));
    o.insert(QStringLiteral("cost"), cost(s.cost));
    o.insert(QStringLiteral("whatif_cost"), cost(s.whatIfCost));
    return o;
}

Json toolJson(const ToolCalls& t)
{
    Json o = Json::object();
    if (!t.sessionId.isEmpty())
        o.insert(QStringLiteral("session"), text(t.sessionId));
    if (!t.branchId.isEmpty())
        o.insert(QStringLiteral("branch"), text(t.branchId));
    if (t.turn)
        o.insert(QStringLiteral("turn"), Json(*t.turn));
    o.insert(QStringLiteral("tool"), text(t.tool));
    o.insert(QStringLiteral("calls"), Json(t.count));
    return o;
}

Json modelJson(const ModelTotals& m)
{
    Json o = Json::object();
    o.insert(QStringLiteral("model"), m.model.isEmpty() ? Json() : text(m.model));
    o.insert(QStringLiteral("turns"), Json(m.turns));
    o.insert(QStringLiteral("requests"), Json(m.requests));
    o.insert(QStringLiteral("input"), Json(m.inputTokens));
    o.insert(QStringLiteral("cached"), Json(m.cachedTokens));
    o.insert(QStringLiteral("output"), Json(m.outputTokens));
    o.insert(QStringLiteral("reasoning"), Json(m.reasoningTokens));
    o.insert(QStringLiteral("total"), Json(m.totalTokens));
    o.insert(QStringLiteral("cost"), cost(m.cost));
    return o;
}

Json dayJson(const DayTotals& d)
{
    Json o = Json::object();
    o.insert(QStringLiteral("day"), d.day.isValid() ? Json(d.day.toString(Qt::ISODate)) : Json());
    o.insert(QStringLiteral("total"), Json(d.totalTokens));
    o.insert(QStringLiteral("cost"), cost(d.cost));
    o.insert(QStringLiteral("whatif_cost"), cost(d.whatIfCost));
    return o;
}

Json groupJson(const GroupTotals& g)
{
    Json o = Json::object();
    o.insert(QStringLiteral("key"), text(g.key));
    o.insert(QStringLiteral("label"), text(g.label));
    o.insert(QStringLiteral("sessions"), Json(g.sessions));
    o.insert(QStringLiteral("total"), Json(g.totalTokens));
    o.insert(QStringLiteral("cost"), cost(g.cost));
    o.insert(QStringLiteral("whatif_cost"), cost(g.whatIfCost));
    return o;
}

template <typename T, typename F>
Json list(const QList<T>& items, F f)
{
    Json::Array a;
    a.reserve(items.size());
    for (const T& x : items)
        a.push_back(f(x));
    return Json(std::move(a));
}

// Every key in document order; `turns` and `tool_turns` are left to the caller (they are long).
QList<std::pair<QString, Json>> head(const UsageReport& report)
{
    const UsageScope& s = report.scope;
    Json scope = Json::object();
    Json ids = Json::array();
    for (const QString& id : s.sessionIds)
        ids.append(Json(id));
    scope.insert(QStringLiteral("sessions"), s.sessionIds.isEmpty() ? Json() : ids);
    scope.insert(QStringLiteral("branch"), s.branchId ? Json(*s.branchId) : Json());
    scope.insert(QStringLiteral("from"), s.from.isValid() ? Json(s.from.toString(Qt::ISODate)) : Json());
    scope.insert(QStringLiteral("to"), s.to.isValid() ? Json(s.to.toString(Qt::ISODate)) : Json());
    const auto optText = [](const QString& t) { return t.isEmpty() ? Json() : Json(t); };
    scope.insert(QStringLiteral("default_model"), optText(s.pricing.defaultModel));
    scope.insert(QStringLiteral("override_model"), optText(s.pricing.overrideModel));
    scope.insert(QStringLiteral("whatif_model"), optText(s.pricing.whatIfModel));
    scope.insert(QStringLiteral("currency"), Json(QStringLiteral("USD")));

    const UsageTotals& t = report.totals;
    Json totals = Json::object();
    totals.insert(QStringLiteral("sessions"), Json(t.sessions));
    totals.insert(QStringLiteral("branches"), Json(t.branches));
    totals.insert(QStringLiteral("turns"), Json(t.turns));
    totals.insert(QStringLiteral("requests"), Json(t.requests));
    totals.insert(QStringLiteral("input"), Json(t.inputTokens));
    totals.insert(QStringLiteral("cached"), Json(t.cachedTokens));
    totals.insert(QStringLiteral("output"), Json(t.outputTokens));
    totals.insert(QStringLiteral("reasoning"), Json(t.reasoningTokens));
    totals.insert(QStringLiteral("total"), Json(t.totalTokens));
    totals.insert(QStringLiteral("cost"), Json(t.cost));
    totals.insert(QStringLiteral("whatif_cost"), cost(t.whatIfCost));
    totals.insert(QStringLiteral("unpriced_turns"), Json(t.unpricedTurns));

    auto prices = Json::parse(s.pricing.prices.toJson());
    Json unpriced = Json::array();
    for (const QString& m : report.unpricedModels)
        unpriced.append(Json(m));

    return {
        {QStringLiteral("format"), Json(QString::fromUtf16(UsageReport::kJsonFormat))},
        {QStringLiteral("generated_at"), Json(report.generatedAt.toString(Qt::ISODate))},
        {QStringLiteral("source"), Json(report.source)},
        {QStringLiteral("scope"), scope},
        {QStringLiteral("totals"), totals},
        {QStringLiteral("turns"), Json()},
        {QStringLiteral("branches"), list(report.branches, branchJson)},
        {QStringLiteral("sessions"), list(report.sessions, sessionJson)},
        {QStringLiteral("tools"), list(report.tools, toolJson)},
        {QStringLiteral("tool_turns"), Json()},
        {QStringLiteral("models"), list(report.models, modelJson)},
        {QStringLiteral("days"), list(report.days, dayJson)},
        {QStringLiteral("most_expensive"), report.mostExpensive ? turnJson(*report.mostExpensive) : Json()},
        {QStringLiteral("top_sessions"), list(report.topSessions, groupJson)},
        {QStringLiteral("customers"), list(report.customers, groupJson)},
        {QStringLiteral("review_statuses"), list(report.reviewStatuses, groupJson)},
        {QStringLiteral("unpriced_models"), unpriced},
        {QStringLiteral("prices"), prices ? (*prices)[u"prices"] : Json::array()},
    };
}

Error cancelledError()
{
    return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
}

} // namespace

Json JsonReportWriter::toJson(const UsageReport& report)
{
    Json doc = Json::object();
    for (auto& [key, value] : head(report)) {
        if (key == u"turns")
            doc.insert(key, list(report.turns, turnJson));
        else if (key == u"tool_turns")
            doc.insert(key, list(report.toolTurns, toolJson));
        else
            doc.insert(key, value);
    }
    return doc;
}

Result<void> JsonReportWriter::write(const UsageReport& report, QIODevice& out, const ReportProgress& progress)
{
    // Streamed: a Json tree of 264,000 turns would take far more memory than the report itself.
    // Top-level keys one per line, long lists one element per line.
    const Json::DumpOptions compactLine{false, false, -1};
    const qint64 total = report.turns.size() + report.toolTurns.size();
    qint64 done = 0;
    QElapsedTimer clock;
    clock.start();
    QByteArray buffer = "{\n";
    const auto flush = [&](bool force) -> Result<void> {
        if (!force && buffer.size() < (1 << 16))
            return {};
        if (out.write(buffer) < 0)
            return Error::make(Error::Code::Argument, QStringLiteral("cannot write the report: %1").arg(out.errorString()));
        buffer.clear();
        if (progress && (force || clock.elapsed() > 100)) {
            clock.restart();
            if (!progress(done, total))
                return cancelledError();
        }
        return {};
    };
    const auto streamList = [&](const auto& items, auto f) -> Result<void> {
        if (items.isEmpty()) {
            buffer += "[]";
            return {};
        }
        buffer += "[\n";
        for (qsizetype i = 0; i < items.size(); ++i) {
            buffer += "    " + f(items.at(i)).dump(compactLine) + (i + 1 < items.size() ? ",\n" : "\n");
            ++done;
            if (auto r = flush(false); !r)
                return r;
        }
        buffer += "  ]";
        return {};
    };
    const auto entries = head(report);
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const auto& [key, value] = entries.at(i);
        buffer += "  " + Json(key).dump() + ": ";
        if (key == u"turns") {
            if (auto r = streamList(report.turns, turnJson); !r)
                return r;
        } else if (key == u"tool_turns") {
            if (auto r = streamList(report.toolTurns, toolJson); !r)
                return r;
        } else if (value.isArray() && !value.asArray().empty()) {
            buffer += "[\n";
            const auto& a = value.asArray();
            for (qsizetype j = 0; j < qsizetype(a.size()); ++j)
                buffer += "    " + a[j].dump(compactLine) + (j + 1 < qsizetype(a.size()) ? ",\n" : "\n");
            buffer += "  ]";
        } else {
            buffer += value.dump(compactLine);
        }
        buffer += i + 1 < entries.size() ? ",\n" : "\n";
    }
    buffer += "}\n";
    return flush(true);
}

} // namespace tb::core
