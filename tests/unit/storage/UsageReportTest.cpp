// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// The usage report builder and the per-session collector against the SDK's own answers: for every
// session and branch of multi.db, totals, per-turn rows and tool counts equal get_session_usage,
// get_turn_usage and get_tool_usage in multi.expected.json (written by fresh SDK objects). Then
// pricing from request rows and assignments, date ranges, workspaces, progress and cancel.

#include "core/UsageCollector.h"
#include "core/UsageReport.h"
#include "core/WorkspaceStore.h"

#include "StorageTestSupport.h"
#include "storage/SqliteSessionStore.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QSet>

namespace tb::test::storage {
namespace {

using core::PriceTable;
using core::SessionStore;
using core::TurnTokens;
using core::UsageCollector;
using core::UsageReport;
using core::UsageReportBuilder;
using core::UsageScope;
using tb::storage::SqliteSessionStore;

Json expected(const QString& name)
{
    QFile f(tb::test::sdkFixture(name));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    auto doc = Json::parse(f.readAll());
    EXPECT_TRUE(doc.has_value());
    return doc ? (*doc)[u"final_state"] : Json();
}

std::unique_ptr<SqliteSessionStore> openStore(const QString& path, bool readOnly = true)
{
    auto s = SqliteSessionStore::open(path, {readOnly, false});
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message.toStdString());
    return s ? std::move(s).value() : nullptr;
}

const Json& at(const Json& array, size_t i)
{
    return array.asArray().at(i);
}

QString key(const QString& session, const QString& branch, qint64 turn = -1)
{
    return session + u'|' + branch + u'|' + QString::number(turn);
}

// Hand-computed cost of gpt-4.1 at the defaults ($2 input, $0.50 cached, $8 output per million).
double gpt41(qint64 input, qint64 cached, qint64 output)
{
    return (double(input - cached) * 2.0 + double(cached) * 0.5 + double(output) * 8.0) / 1e6;
}

class UsageReportTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_db = tb::test::copySdkFixture(u"multi.db"_s, m_dir.path());
        ASSERT_FALSE(m_db.isEmpty());
        m_expected = expected(u"multi.expected.json"_s);
    }
    TempDir m_dir;
    QString m_db;
    Json m_expected;
};

TEST_F(UsageReportTest, TotalsPerSessionBranchAndTurnEqualTheSdkAnswers)
{
    auto store = openStore(m_db);
    ASSERT_TRUE(store);
    UsageScope scope;
    scope.pricing.defaultModel = u"gpt-4.1"_s;
    auto report = UsageReportBuilder::build(*store, scope);
    ASSERT_TRUE(report.has_value()) << report.error().message.toStdString();

    QHash<QString, const TurnTokens*> turns;
    for (const TurnTokens& t : report->turns)
        turns.insert(key(t.sessionId, t.branchId, t.turn), &t);
    QHash<QString, const core::BranchTokens*> branches;
    for (const auto& b : report->branches)
        branches.insert(key(b.sessionId, b.branchId), &b);
    QHash<QString, const core::SessionTokens*> sessions;
    for (const auto& s : report->sessions)
        sessions.insert(s.sessionId, &s);
    QHash<QString, qint64> tools; // session|branch|turn|tool -> count
    for (const auto& t : report->toolTurns)
        tools.insert(key(t.sessionId, t.branchId, t.turn.value_or(-1)) + u'|' + t.tool, t.count);

    qint64 allTurns = 0, allTokens = 0, checkedTools = 0;
    const Json::Array& expectedSessions = m_expected[u"sessions"].asArray();
    ASSERT_EQ(expectedSessions.size(), 50u);
    for (const Json& s : expectedSessions) {
        const QString id = s[u"session_id"].toString();
        SCOPED_TRACE(id.toStdString());
        const Json& adv = s[u"advanced"];
        const Json& all = adv[u"get_session_usage"];
        if (all.isNull()) {
            EXPECT_FALSE(sessions.contains(id));
            continue;
        }
        ASSERT_TRUE(sessions.contains(id));
        const core::SessionTokens& st = *sessions.value(id);
        EXPECT_EQ(st.requests, all[u"requests"].toInt());
        EXPECT_EQ(st.inputTokens, all[u"input_tokens"].toInt());
        EXPECT_EQ(st.outputTokens, all[u"output_tokens"].toInt());
        EXPECT_EQ(st.totalTokens, all[u"total_tokens"].toInt());
        EXPECT_EQ(st.turns, all[u"total_turns"].toInt());
        allTurns += st.turns;
        allTokens += st.totalTokens;

        for (const auto& [branch, b] : adv[u"branches"].asObject()) {
            SCOPED_TRACE(branch.toStdString());
            const Json& usage = b[u"get_session_usage"];
            if (usage.isNull()) {
                EXPECT_FALSE(branches.contains(key(id, branch)));
            } else {
                ASSERT_TRUE(branches.contains(key(id, branch)));
                const core::BranchTokens& bt = *branches.value(key(id, branch));
                EXPECT_EQ(bt.requests, usage[u"requests"].toInt());
                EXPECT_EQ(bt.inputTokens, usage[u"input_tokens"].toInt());
                EXPECT_EQ(bt.outputTokens, usage[u"output_tokens"].toInt());
                EXPECT_EQ(bt.totalTokens, usage[u"total_tokens"].toInt());
                EXPECT_EQ(bt.turns, usage[u"total_turns"].toInt());
            }
            QSet<qint64> usageTurns;
            for (const Json& u : b[u"get_turn_usage"].asArray()) {
                const qint64 turn = u[u"user_turn_number"].toInt();
                usageTurns.insert(turn);
                ASSERT_TRUE(turns.contains(key(id, branch, turn))) << turn;
                const TurnTokens& t = *turns.value(key(id, branch, turn));
                EXPECT_EQ(t.requests, u[u"requests"].toInt());
                EXPECT_EQ(t.inputTokens, u[u"input_tokens"].toInt());
                EXPECT_EQ(t.outputTokens, u[u"output_tokens"].toInt());
                EXPECT_EQ(t.totalTokens, u[u"total_tokens"].toInt());
                EXPECT_EQ(t.cachedTokens, u[u"input_tokens_details"][u"cached_tokens"].toInt());
                EXPECT_EQ(t.reasoningTokens, u[u"output_tokens_details"][u"reasoning_tokens"].toInt());
                EXPECT_EQ(t.model, u"gpt-4.1"_s);
                EXPECT_EQ(t.modelSource, u"default"_s);
                ASSERT_TRUE(t.cost.has_value());
                EXPECT_NEAR(*t.cost, gpt41(t.inputTokens, t.cachedTokens, t.outputTokens), 1e-12);
            }
            // Tool calls of the turns with usage: exactly get_tool_usage's entries for those turns.
            for (const Json& tu : b[u"get_tool_usage"].asArray()) {
                const qint64 turn = at(tu, 2).toInt();
                const QString k = key(id, branch, turn) + u'|' + at(tu, 0).toString();
                if (usageTurns.contains(turn)) {
                    EXPECT_EQ(tools.value(k, -1), at(tu, 1).toInt()) << k.toStdString();
                    ++checkedTools;
                } else {
                    EXPECT_FALSE(tools.contains(k)) << k.toStdString(); // a copied turn: counted on its source
                }
            }
        }
    }
    EXPECT_EQ(report->totals.turns, allTurns);
    EXPECT_EQ(report->totals.totalTokens, allTokens);
    EXPECT_EQ(report->totals.turns, report->turns.size());
    EXPECT_EQ(report->totals.sessions, report->sessions.size());
    EXPECT_GT(checkedTools, 50);
    EXPECT_EQ(qint64(report->toolTurns.size()), checkedTools);
    EXPECT_EQ(report->totals.unpricedTurns, 0);
    EXPECT_TRUE(report->unpricedModels.isEmpty());
    ASSERT_EQ(report->models.size(), 1);
    EXPECT_NEAR(*report->models.front().cost, report->totals.cost, 1e-9);
    ASSERT_EQ(report->days.size(), 1);
    EXPECT_EQ(report->days.front().totalTokens, allTokens);
    ASSERT_TRUE(report->mostExpensive.has_value());
    for (const TurnTokens& t : report->turns)
        EXPECT_LE(*t.cost, *report->mostExpensive->cost);
    ASSERT_EQ(report->topSessions.size(), 10);
    EXPECT_GE(*report->topSessions.at(0).cost, *report->topSessions.at(1).cost);
    // multi.db has no workbench metadata: one customer group (none), every session "new".
    ASSERT_EQ(report->customers.size(), 1);
    EXPECT_EQ(report->customers.front().sessions, report->totals.sessions);
    ASSERT_EQ(report->reviewStatuses.size(), 1);
    EXPECT_EQ(report->reviewStatuses.front().key, u"new"_s);
}

TEST_F(UsageReportTest, CollectorMatchesTheSdkForEverySessionAndBranch)
{
    auto store = openStore(m_db);
    ASSERT_TRUE(store);
    core::UsagePricing pricing;
    pricing.defaultModel = u"gpt-4.1"_s;
    UsageCollector collector(*store, pricing);
    int branchesChecked = 0;
    for (const Json& s : m_expected[u"sessions"].asArray()) {
        const QString id = s[u"session_id"].toString();
        SCOPED_TRACE(id.toStdString());
        const Json& adv = s[u"advanced"];
        for (const auto& [branch, b] : adv[u"branches"].asObject()) {
            SCOPED_TRACE(branch.toStdString());
            auto series = collector.collect(id, branch);
            ASSERT_TRUE(series.has_value()) << series.error().message.toStdString();
            EXPECT_EQ(series->branchId, branch);
            const Json::Array& expectedTurns = b[u"get_turn_usage"].asArray();
            ASSERT_EQ(series->turns.size(), qsizetype(expectedTurns.size()));
            for (qsizetype i = 0; i < series->turns.size(); ++i) {
                const Json& u = expectedTurns.at(size_t(i));
                const TurnTokens& t = series->turns.at(i);
                EXPECT_EQ(t.turn, u[u"user_turn_number"].toInt());
                EXPECT_EQ(t.totalTokens, u[u"total_tokens"].toInt());
                EXPECT_EQ(t.cachedTokens, u[u"input_tokens_details"][u"cached_tokens"].toInt());
                EXPECT_EQ(t.reasoningTokens, u[u"output_tokens_details"][u"reasoning_tokens"].toInt());
                EXPECT_TRUE(t.day.isValid());
            }
            const Json::Array& expectedTools = b[u"get_tool_usage"].asArray();
            ASSERT_EQ(series->toolTurns.size(), qsizetype(expectedTools.size()));
            qint64 calls = 0;
            for (qsizetype i = 0; i < series->toolTurns.size(); ++i) {
                const Json& e = expectedTools.at(size_t(i));
                EXPECT_EQ(series->toolTurns.at(i).tool, at(e, 0).toString());
                EXPECT_EQ(series->toolTurns.at(i).count, at(e, 1).toInt());
                EXPECT_EQ(series->toolTurns.at(i).turn.value_or(-1), at(e, 2).toInt());
                calls += at(e, 1).toInt();
            }
            qint64 totalCalls = 0;
            for (const auto& c : series->toolTotals)
                totalCalls += c.count;
            EXPECT_EQ(totalCalls, calls);
            // No request rows in an SDK-written file: context growth is the input of each turn.
            ASSERT_EQ(series->context.size(), series->turns.size());
            for (qsizetype i = 0; i < series->context.size(); ++i)
                EXPECT_EQ(series->context.at(i).inputTokens, series->turns.at(i).inputTokens);
            // Every branch of list_branches, each with get_session_usage(branch).
            const Json::Array& listed = adv[u"list_branches"].asArray();
            ASSERT_EQ(series->branches.size(), qsizetype(listed.size()));
            for (qsizetype i = 0; i < series->branches.size(); ++i) {
                const core::BranchTokens& bt = series->branches.at(i);
                EXPECT_EQ(bt.branchId, listed.at(size_t(i))[u"branch_id"].toString());
                const Json& usage = adv[u"branches"][bt.branchId][u"get_session_usage"];
                EXPECT_EQ(bt.totalTokens, usage.isNull() ? 0 : usage[u"total_tokens"].toInt());
                EXPECT_EQ(bt.turns, usage.isNull() ? 0 : usage[u"total_turns"].toInt());
                if (bt.branchId == u"main") {
                    EXPECT_EQ(bt.forkTurn, 1);
                } else if (!usage.isNull()) {
                    EXPECT_EQ(bt.forkTurn, adv[u"branches"][bt.branchId][u"get_turn_usage"].asArray().at(0)[u"user_turn_number"].toInt());
                }
            }
            ++branchesChecked;
        }
    }
    EXPECT_GT(branchesChecked, 60);
}

TEST_F(UsageReportTest, RequestRowsThenBranchSessionAndFileAssignmentsPriceTheTurns)
{
    {
        auto writable = openStore(m_db, false);
        ASSERT_TRUE(writable);
        core::RequestUsage r;
        r.sessionId = u"customer-1001"_s;
        r.branchId = u"main"_s;
        r.userTurnNumber = 1;
        r.model = u"gpt-4o-mini-2024-07-18"_s;
        r.totalTokens = 880;
        ASSERT_TRUE(writable->recordRequestUsage(r));
        ASSERT_TRUE(writable->setModelAssignment({{}, {}, u"gpt-4.1-mini"_s}));
        ASSERT_TRUE(writable->setModelAssignment({u"customer-1001"_s, {}, u"o3"_s}));
        ASSERT_TRUE(writable->setModelAssignment({u"customer-1001"_s, u"alt-1"_s, u"gpt-5"_s}));
        ASSERT_TRUE(writable->setModelAssignment({u"customer-1002"_s, {}, u"no-such-model"_s}));
    }
    auto store = openStore(m_db);
    UsageScope scope;
    scope.sessionIds = {u"customer-1001"_s, u"customer-1002"_s, u"customer-1003"_s};
    scope.pricing.defaultModel = u"gpt-4.1"_s;
    auto report = UsageReportBuilder::build(*store, scope);
    ASSERT_TRUE(report.has_value()) << report.error().message.toStdString();
    int seen = 0;
    for (const TurnTokens& t : report->turns) {
        SCOPED_TRACE(key(t.sessionId, t.branchId, t.turn).toStdString());
        if (t.sessionId == u"customer-1001" && t.branchId == u"main" && t.turn == 1) {
            // 617 input (0 cached), 263 output at gpt-4o-mini's $0.15 / $0.60: computed by hand.
            EXPECT_EQ(t.model, u"gpt-4o-mini-2024-07-18"_s);
            EXPECT_EQ(t.modelSource, u"request"_s);
            EXPECT_NEAR(*t.cost, (617 * 0.15 + 263 * 0.60) / 1e6, 1e-12);
            ++seen;
        } else if (t.sessionId == u"customer-1001" && t.branchId == u"alt-1") {
            EXPECT_EQ(t.model, u"gpt-5"_s);
            EXPECT_EQ(t.modelSource, u"branch"_s);
        } else if (t.sessionId == u"customer-1001") {
            EXPECT_EQ(t.model, u"o3"_s);
            EXPECT_EQ(t.modelSource, u"session"_s);
        } else if (t.sessionId == u"customer-1002") {
            EXPECT_EQ(t.modelSource, u"session"_s);
            EXPECT_FALSE(t.cost.has_value());
        } else {
            EXPECT_EQ(t.model, u"gpt-4.1-mini"_s);
            EXPECT_EQ(t.modelSource, u"file"_s);
        }
    }
    EXPECT_EQ(seen, 1);
    EXPECT_EQ(report->unpricedModels, QStringList{u"no-such-model"_s});
    EXPECT_GT(report->totals.unpricedTurns, 0);
    EXPECT_EQ(report->sessions.size(), 3);
    const auto unpricedSession = std::find_if(report->sessions.cbegin(), report->sessions.cend(),
                                              [](const core::SessionTokens& s) { return s.sessionId == u"customer-1002"; });
    ASSERT_NE(unpricedSession, report->sessions.cend());
    EXPECT_FALSE(unpricedSession->cost.has_value());

    // An override replaces every source; a what-if model prices the same rows side by side.
    scope.pricing.overrideModel = u"gpt-4.1"_s;
    scope.pricing.whatIfModel = u"gpt-4.1-nano"_s;
    auto what = UsageReportBuilder::build(*store, scope);
    ASSERT_TRUE(what.has_value());
    double whatIf = 0;
    for (const TurnTokens& t : what->turns) {
        EXPECT_EQ(t.modelSource, u"override"_s);
        EXPECT_NEAR(*t.cost, gpt41(t.inputTokens, t.cachedTokens, t.outputTokens), 1e-12);
        const double nano = (double(t.inputTokens - t.cachedTokens) * 0.10 + double(t.cachedTokens) * 0.025 + double(t.outputTokens) * 0.40) / 1e6;
        EXPECT_NEAR(*t.whatIfCost, nano, 1e-12);
        whatIf += nano;
    }
    EXPECT_NEAR(*what->totals.whatIfCost, whatIf, 1e-9);
    EXPECT_TRUE(what->unpricedModels.isEmpty());
}

TEST_F(UsageReportTest, DateRangeBranchAndPricesOfTheTurnsDay)
{
    auto store = openStore(m_db);
    UsageScope scope;
    scope.pricing.defaultModel = u"gpt-4.1"_s;
    scope.from = QDate(2026, 11, 27);
    auto none = UsageReportBuilder::build(*store, scope);
    ASSERT_TRUE(none.has_value());
    EXPECT_EQ(none->totals.turns, 0);
    EXPECT_TRUE(none->sessions.isEmpty());
    EXPECT_FALSE(none->mostExpensive.has_value());

    scope.from = QDate(2026, 11, 26);
    scope.to = QDate(2026, 11, 26);
    scope.branchId = u"main"_s;
    // A second price version from the fixture's day on: these turns use it, not the older one.
    scope.pricing.prices.add({u"gpt-4.1"_s, 1.0, 0.25, 4.0, QDate(2026, 11, 26), std::nullopt});
    auto main = UsageReportBuilder::build(*store, scope);
    ASSERT_TRUE(main.has_value());
    EXPECT_GT(main->totals.turns, 0);
    double half = 0;
    for (const TurnTokens& t : main->turns) {
        EXPECT_EQ(t.branchId, u"main"_s);
        half += gpt41(t.inputTokens, t.cachedTokens, t.outputTokens) / 2;
    }
    EXPECT_NEAR(main->totals.cost, half, 1e-9);
    scope.pricing.prices = PriceTable::defaults();
    scope.pricing.prices.add({u"gpt-4.1"_s, 1.0, 0.25, 4.0, QDate(2026, 11, 27), std::nullopt});
    auto before = UsageReportBuilder::build(*store, scope);
    ASSERT_TRUE(before.has_value());
    EXPECT_NEAR(before->totals.cost, 2 * half, 1e-9);
}

TEST_F(UsageReportTest, WorkspaceReportsComposeIdsAndAddUp)
{
    const QString folder = m_dir.path() + u"/ws"_s;
    ASSERT_TRUE(QDir().mkpath(folder));
    ASSERT_TRUE(QFile::copy(m_db, folder + u"/a.db"_s));
    ASSERT_TRUE(QFile::copy(m_db, folder + u"/b.db"_s));
    {
        auto b = openStore(folder + u"/b.db"_s, false);
        ASSERT_TRUE(b->setModelAssignment({{}, {}, u"gpt-4.1-mini"_s}));
    }
    auto single = openStore(m_db);
    UsageScope scope;
    scope.pricing.defaultModel = u"gpt-4.1"_s;
    auto one = UsageReportBuilder::build(*single, scope);
    ASSERT_TRUE(one.has_value());

    core::WorkspaceStore ws(folder);
    ws.addStore(u"a.db"_s, openStore(folder + u"/a.db"_s));
    ws.addStore(u"b.db"_s, openStore(folder + u"/b.db"_s));
    QList<std::pair<qint64, qint64>> calls;
    auto both = UsageReportBuilder::build(ws, scope, [&](qint64 done, qint64 total) {
        calls << std::pair(done, total);
        return true;
    });
    ASSERT_TRUE(both.has_value()) << both.error().message.toStdString();
    EXPECT_EQ(both->totals.turns, 2 * one->totals.turns);
    EXPECT_EQ(both->totals.totalTokens, 2 * one->totals.totalTokens);
    EXPECT_EQ(both->sessions.size(), 2 * one->sessions.size());
    for (const TurnTokens& t : both->turns) {
        ASSERT_TRUE(t.sessionId.startsWith(u"a.db/"_s) || t.sessionId.startsWith(u"b.db/"_s)) << t.sessionId.toStdString();
        EXPECT_EQ(t.modelSource, t.sessionId.startsWith(u"b.db/"_s) ? u"file"_s : u"default"_s);
    }
    EXPECT_EQ(both->toolTurns.size(), 2 * one->toolTurns.size());
    // Progress rises to its total and never goes back.
    ASSERT_GE(calls.size(), 3);
    for (qsizetype i = 1; i < calls.size(); ++i)
        EXPECT_GE(calls.at(i).first, calls.at(i - 1).first);
    EXPECT_EQ(calls.back().first, calls.back().second);

    // A selection of workspace sessions.
    scope.sessionIds = {u"b.db/customer-1001"_s, u"a.db/customer-1001"_s};
    auto picked = UsageReportBuilder::build(ws, scope);
    ASSERT_TRUE(picked.has_value());
    ASSERT_EQ(picked->sessions.size(), 2);
    EXPECT_EQ(picked->sessions.at(0).sessionId, u"a.db/customer-1001"_s);
    EXPECT_EQ(picked->sessions.at(0).totalTokens, picked->sessions.at(1).totalTokens);
}

TEST_F(UsageReportTest, ProgressCanCancel)
{
    auto store = openStore(m_db);
    int calls = 0;
    auto r = UsageReportBuilder::build(*store, {}, [&](qint64, qint64) { return ++calls < 2; });
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Error::Code::Cancelled);
    EXPECT_EQ(calls, 2);
}

TEST_F(UsageReportTest, PlainFilesHaveSessionsButNoUsage)
{
    const QString basic = tb::test::copySdkFixture(u"basic.db"_s, m_dir.path());
    auto store = openStore(basic);
    auto r = UsageReportBuilder::build(*store, {});
    ASSERT_TRUE(r.has_value()) << r.error().message.toStdString();
    EXPECT_EQ(r->totals.turns, 0);
    EXPECT_TRUE(r->turns.isEmpty());
}

TEST_F(UsageReportTest, ScanUsageReadsDetailsAsTheSdkDoesAndToleratesBadRows)
{
    {
        RawDb raw(m_db);
        // Details that are not JSON read as None in the SDK: 0 cached, 0 reasoning here.
        raw.exec(u"UPDATE turn_usage SET input_tokens_details = 'not json', output_tokens_details = NULL "
                 "WHERE session_id = 'customer-1000' AND user_turn_number = 1"_s);
    }
    auto store = openStore(m_db);
    core::UsageSink sink;
    QList<core::UsageRow> rows;
    sink.turn = [&](const core::UsageRow& r) {
        rows << r;
        return true;
    };
    ASSERT_TRUE(store->scanUsage({{u"customer-1000"_s}, u"main"_s, false}, sink));
    ASSERT_FALSE(rows.isEmpty());
    EXPECT_EQ(rows.front().turn, 1);
    EXPECT_EQ(rows.front().cachedTokens, 0);
    EXPECT_EQ(rows.front().reasoningTokens, 0);
    EXPECT_GT(rows.front().totalTokens, 0);
    EXPECT_EQ(rows.front().createdAt.left(10), u"2026-11-26"_s);
}

} // namespace
} // namespace tb::test::storage
