// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Conformance: tests/data/sdk/multi.db was written by the Agents SDK, with every Runner step
// recorded in multi.transcript.json ("Runner: new user input" / "tool-call turn" / "final output
// turn" add_items calls, then store_run_usage). Here the Runner re-lives all 291 runs against a
// scripted model that answers with the recorded model output and tools that answer with the
// recorded tool outputs; the other session calls of the transcript (branching, pop, delete, clear)
// are made directly. The database the Runner writes must then hold the SDK's rows byte for byte
// and answer every query of multi.expected.json as the SDK did.

#include "AgentTestSupport.h"
#include "agent/ToolRegistry.h"
#include "storage/AdvancedSqliteSession.h"

#include <algorithm>
#include <map>

namespace tb::test::agent {
namespace {

using storage::AdvancedSqliteSession;
using tb::agent::Runner;
using tb::agent::Tool;
using tb::agent::ToolInvocation;
using tb::agent::ToolRun;

/// Answers a call with the output the SDK run recorded for the same call id.
class RecordedTool final : public Tool
{
public:
    RecordedTool(const QString& name, const QHash<QString, Json>& outputs)
        : Tool(definition(name))
        , m_outputs(outputs)
    {}

    ToolRun* start(const ToolInvocation& call, QObject* parent) override
    {
        EXPECT_TRUE(m_outputs.contains(call.callId)) << "no recorded output for " << S(call.callId);
        return ToolRun::completed(m_outputs.value(call.callId), parent);
    }

private:
    static core::ToolDefinition definition(const QString& name)
    {
        core::ToolDefinition d;
        d.name = name;
        return d;
    }

    const QHash<QString, Json>& m_outputs;
};

Json loadJson(const QString& path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << S(path);
    auto parsed = Json::parse(f.readAll());
    EXPECT_TRUE(parsed.has_value());
    return parsed ? std::move(parsed).value() : Json();
}

core::RunUsage usageOf(const Json& u)
{
    core::RunUsage r;
    r.requests = u[u"requests"].toInt();
    r.inputTokens = u[u"input_tokens"].toInt();
    r.outputTokens = u[u"output_tokens"].toInt();
    r.totalTokens = u[u"total_tokens"].toInt();
    r.cachedTokens = u[u"input_tokens_details"][u"cached_tokens"].toInt();
    r.cacheWriteTokens = u[u"input_tokens_details"][u"cache_write_tokens"].toInt();
    r.reasoningTokens = u[u"output_tokens_details"][u"reasoning_tokens"].toInt();
    return r;
}

Json optionalInt(const std::optional<qint64>& v)
{
    return v ? Json(*v) : Json();
}

// --- our answers in the shape of the expected file -------------------------------------------------

Json sessionUsageJson(const std::optional<core::SessionUsage>& u)
{
    if (!u)
        return Json();
    Json o = Json::object();
    o.insert(u"requests"_s, Json(u->requests));
    o.insert(u"input_tokens"_s, Json(u->inputTokens));
    o.insert(u"output_tokens"_s, Json(u->outputTokens));
    o.insert(u"total_tokens"_s, Json(u->totalTokens));
    o.insert(u"total_turns"_s, Json(u->totalTurns));
    return o;
}

Json byTurnsJson(const QList<core::TurnItems>& turns)
{
    Json o = Json::object();
    for (const core::TurnItems& t : turns) {
        Json::Array items;
        for (const core::TurnItemKind& k : t.items) {
            Json i = Json::object();
            i.insert(u"type"_s, Json(k.type));
            i.insert(u"tool_name"_s, k.toolName ? Json(*k.toolName) : Json());
            items.push_back(std::move(i));
        }
        o.insert(t.turn ? QString::number(*t.turn) : u"null"_s, Json(std::move(items)));
    }
    return o;
}

Json toolUsageJson(const QList<core::ToolUsage>& usage)
{
    Json::Array out;
    for (const core::ToolUsage& t : usage)
        out.push_back(
            Json(Json::Array{t.toolName ? Json(*t.toolName) : Json(), Json(t.count), optionalInt(t.userTurnNumber)}));
    return Json(std::move(out));
}

Json turnUsageJson(const QList<core::TurnUsage>& rows)
{
    Json::Array out;
    for (const core::TurnUsage& t : rows) {
        Json o = Json::object();
        o.insert(u"user_turn_number"_s, optionalInt(t.userTurnNumber));
        o.insert(u"requests"_s, t.requests);
        o.insert(u"input_tokens"_s, t.inputTokens);
        o.insert(u"output_tokens"_s, t.outputTokens);
        o.insert(u"total_tokens"_s, t.totalTokens);
        o.insert(u"input_tokens_details"_s, t.inputTokensDetails);
        o.insert(u"output_tokens_details"_s, t.outputTokensDetails);
        out.push_back(std::move(o));
    }
    return Json(std::move(out));
}

Json branchesJson(const QList<core::BranchInfo>& branches)
{
    Json::Array out;
    for (const core::BranchInfo& b : branches) {
        Json o = Json::object();
        o.insert(u"branch_id"_s, Json(b.branchId));
        o.insert(u"message_count"_s, Json(b.messageCount));
        o.insert(u"user_turns"_s, Json(b.userTurns));
        o.insert(u"is_current"_s, Json(b.isCurrent));
        out.push_back(std::move(o));
    }
    return Json(std::move(out));
}

Json byBranchId(Json branches)
{
    std::sort(branches.asArray().begin(), branches.asArray().end(),
              [](const Json& a, const Json& b) { return a[u"branch_id"].toString() < b[u"branch_id"].toString(); });
    return branches;
}

/// The run's input as the SDK got it: a bare `{"content": text, "role": "user"}` was a string.
bool isStringInput(const QList<Json>& items)
{
    if (items.size() != 1 || !items[0].isObject())
        return false;
    const Json::Object& o = items[0].asObject();
    return o.size() == 2 && o[0].first == u"content" && o[0].second.isString() && o[1].first == u"role"
           && o[1].second == Json(u"user"_s);
}

class SdkReplayTest : public ::testing::Test
{
protected:
    struct PendingRun
    {
        QString handle;
        QList<Json> input;
        QList<ScriptedReply> replies;
        QStringList toolNames;
    };

    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        path = dir.filePath(u"replayed.db"_s);
        reference = copySdkFixture(u"multi.db"_s, dir.path());
        ASSERT_FALSE(reference.isEmpty());
    }

    /// Checks a direct session call against the transcript's result or exception.
    template<typename R>
    void expectOutcome(const R& r, const Json& op)
    {
        const int seq = int(op[u"seq"].toInt());
        if (const Json* raised = op.find(u"raised")) {
            ASSERT_FALSE(r.has_value()) << "seq " << seq << " should raise";
            EXPECT_EQ(r.error().message, (*raised)[u"message"].toString()) << "seq " << seq;
        } else {
            EXPECT_TRUE(r.has_value()) << "seq " << seq << ": " << (r ? std::string() : S(r.error().message));
        }
    }

    void runPending(AdvancedSqliteSession& session, const Json& usageOp)
    {
        ASSERT_TRUE(pending.has_value());
        const core::RunUsage total = usageOf(usageOp);
        ASSERT_EQ(total.requests, pending->replies.size()) << "seq " << usageOp[u"seq"].toInt();
        // The first call carries all tokens: only the sum reaches turn_usage.
        for (qsizetype i = 0; i < pending->replies.size(); ++i) {
            core::RunUsage u;
            if (i == 0)
                u = total;
            u.requests = 1;
            pending->replies[i].usage = u;
        }
        ScriptedModelClient model;
        model.script = pending->replies;
        tb::agent::ToolRegistry tools;
        for (const QString& name : std::as_const(pending->toolNames)) {
            if (!tools.find(name))
                tools.add(std::make_unique<RecordedTool>(name, outputs));
        }
        tb::agent::RunOptions options;
        options.tools = &tools;
        // Every stored call has its output, so the first model call gets the whole branch + input.
        auto history = session.getItems(std::nullopt, std::nullopt);
        ASSERT_TRUE(history.has_value());
        const QByteArray expectedInput = dumpItems(*history + pending->input);
        Runner runner(model);
        QSignalSpy done(&runner, &Runner::finished);
        const core::AgentDefinition agent = agentWith({});
        if (isStringInput(pending->input))
            ASSERT_TRUE(runner.run(agent, pending->input[0][u"content"].toString(), session, options));
        else
            ASSERT_TRUE(runner.run(agent, pending->input, session, options));
        ASSERT_TRUE(done.wait(10000));
        ASSERT_TRUE(runner.result().has_value()) << S(runner.result().error().message);
        EXPECT_EQ(runner.result()->turns, pending->replies.size());
        EXPECT_TRUE(model.script.isEmpty());
        ASSERT_FALSE(model.requests.isEmpty());
        EXPECT_EQ(dumpItems(model.requests[0].input), expectedInput) << "seq " << usageOp[u"seq"].toInt();
        pending.reset();
        ++runs;
    }

    QStringList rows(const QString& db, const QString& sql)
    {
        ReadOnlyDb raw(db);
        return raw.lines(sql);
    }

    tb::test::TempDir dir;
    QString path;
    QString reference;
    std::optional<PendingRun> pending;
    QHash<QString, Json> outputs; // call_id → recorded function_call_output
    int runs = 0;
};

TEST_F(SdkReplayTest, RunnerReproducesTheSdkDatabase)
{
    const Json transcript = loadJson(sdkFixture(u"multi.transcript.json"_s));
    std::map<QString, std::unique_ptr<AdvancedSqliteSession>> sessions;
    qint64 clockSeconds = 0;

    for (const Json& op : transcript[u"ops"].asArray()) {
        const QString kind = op[u"op"].toString();
        const QString handle = op[u"handle"].toString();
        if (kind == u"open") {
            AdvancedSqliteSession::Options o;
            o.createTables = op[u"create_tables"].toBool();
            o.unixSeconds = [&clockSeconds] { return clockSeconds; };
            ASSERT_FALSE(op.contains(u"session_settings")) << "settings are not replayed";
            auto s = AdvancedSqliteSession::open(path, op[u"session_id"].toString(), o);
            ASSERT_TRUE(s.has_value()) << S(s.error().message);
            sessions[handle] = std::move(s).value();
            continue;
        }
        if (handle.isEmpty())
            continue; // note, sleep
        ASSERT_TRUE(sessions.count(handle)) << S(handle);
        AdvancedSqliteSession& session = *sessions[handle];
        const QString note = op[u"note"].toString();
        QList<Json> items;
        for (const Json& i : op[u"items"].asArray())
            items << i;

        if (kind == u"close") {
            ASSERT_FALSE(pending.has_value());
            session.close();
            sessions.erase(handle);
        } else if (kind == u"add_items" && note == u"Runner: new user input") {
            ASSERT_FALSE(pending.has_value());
            pending = PendingRun{handle, items, {}, {}};
        } else if (kind == u"add_items"
                   && (note == u"Runner: tool-call turn" || note == u"Runner: final output turn")) {
            ASSERT_TRUE(pending.has_value() && pending->handle == handle);
            QList<Json> modelOutput;
            for (const Json& i : std::as_const(items)) {
                if (i[u"type"].toString() == u"function_call_output") {
                    outputs.insert(i[u"call_id"].toString(), i[u"output"]);
                } else {
                    modelOutput << i;
                    if (i[u"type"].toString() == u"function_call")
                        pending->toolNames << i[u"name"].toString();
                }
            }
            pending->replies << reply(modelOutput);
        } else if (kind == u"store_run_usage") {
            ASSERT_TRUE(pending.has_value() && pending->handle == handle);
            runPending(session, op[u"usage"]);
            if (HasFatalFailure())
                return;
        } else if (kind == u"add_items") {
            expectOutcome(session.addItems(items), op);
        } else if (kind == u"create_branch_from_turn") {
            const Json& name = op[u"branch_name"];
            if (name.isNull() && op[u"result"].isString()) // generated id: replay its clock
                clockSeconds = op[u"result"].toString().section(u'_', 4, 4).toLongLong();
            auto r = session.createBranchFromTurn(op[u"turn_number"].toInt(),
                                                  name.isNull() ? std::nullopt : std::optional(name.toString()));
            expectOutcome(r, op);
            if (r && op[u"result"].isString()) {
                EXPECT_EQ(*r, op[u"result"].toString());
            }
        } else if (kind == u"switch_to_branch") {
            expectOutcome(session.switchToBranch(op[u"branch_id"].toString()), op);
        } else if (kind == u"delete_branch") {
            expectOutcome(session.deleteBranch(op[u"branch_id"].toString(), op[u"force"].toBool()), op);
        } else if (kind == u"pop_item") {
            expectOutcome(session.popItem(), op);
        } else if (kind == u"clear_session") {
            expectOutcome(session.clearSession(), op);
        }
        // Reads (get_items, sql, current_branch …) change nothing and are checked below.
    }
    sessions.clear();
    EXPECT_EQ(runs, 291);
    ASSERT_FALSE(pending.has_value());

    // 1. The rows: same ids, same JSON bytes, same structure, same usage as the SDK wrote.
    for (const QString& sql :
         {u"SELECT id, session_id, message_data FROM agent_messages ORDER BY id"_s,
          u"SELECT id, session_id, message_id, branch_id, message_type, sequence_number, user_turn_number, "
          "branch_turn_number, tool_name FROM message_structure ORDER BY id"_s,
          u"SELECT id, session_id, branch_id, user_turn_number, requests, input_tokens, output_tokens, "
          "total_tokens, input_tokens_details, output_tokens_details FROM turn_usage ORDER BY id"_s,
          u"SELECT session_id, branch_id FROM branch_reservations ORDER BY session_id, branch_id"_s,
          u"SELECT session_id, generation FROM session_clear_generations ORDER BY session_id"_s,
          u"SELECT session_id FROM agent_sessions ORDER BY session_id"_s,
          u"SELECT name, seq FROM sqlite_sequence ORDER BY name"_s}) {
        const QStringList ours = rows(path, sql);
        const QStringList sdk = rows(reference, sql);
        EXPECT_EQ(ours.size(), sdk.size()) << S(sql);
        // First difference only: one wrong row would otherwise report thousands.
        for (qsizetype i = 0; i < std::min(ours.size(), sdk.size()); ++i) {
            if (ours[i] == sdk[i])
                continue;
            ADD_FAILURE() << S(sql) << "\n ours: " << S(ours[i]) << "\n  sdk: " << S(sdk[i]);
            break;
        }
    }

    // 2. The SDK's answers for every session and branch (timestamps aside).
    const Json expected = loadJson(sdkFixture(u"multi.expected.json"_s));
    int checkedBranches = 0;
    for (const Json& s : expected[u"final_state"][u"sessions"].asArray()) {
        const QString id = s[u"session_id"].toString();
        auto session = AdvancedSqliteSession::open(path, id, {});
        ASSERT_TRUE(session.has_value()) << S(session.error().message);
        const Json& adv = s[u"advanced"];
        // list_branches orders by created_at: the SDK run waited >1 s between branch creations, the
        // replay did not, so compare in branch id order (timestamps are not the Runner's business).
        Json wantBranches = adv[u"list_branches"];
        for (Json& b : wantBranches.asArray())
            b.remove(u"created_at");
        EXPECT_EQ(byBranchId(branchesJson((*session)->listBranches().value())), byBranchId(wantBranches)) << S(id);
        EXPECT_EQ(sessionUsageJson((*session)->getSessionUsage(std::nullopt).value()), adv[u"get_session_usage"])
            << S(id);
        for (const Json::Member& branch : adv[u"branches"].asObject()) {
            const std::optional<QString> b = branch.first;
            const Json& want = branch.second;
            auto items = (*session)->getItems(-1, b);
            ASSERT_TRUE(items.has_value());
            EXPECT_EQ(dumpItems(*items), want[u"get_items"].dump()) << S(id) << " " << S(branch.first);
            EXPECT_EQ(byTurnsJson((*session)->getConversationByTurns(b).value()), want[u"get_conversation_by_turns"])
                << S(id) << " " << S(branch.first);
            EXPECT_EQ(toolUsageJson((*session)->getToolUsage(b).value()), want[u"get_tool_usage"])
                << S(id) << " " << S(branch.first);
            EXPECT_EQ(turnUsageJson((*session)->getTurnUsages(b).value()), want[u"get_turn_usage"])
                << S(id) << " " << S(branch.first);
            EXPECT_EQ(sessionUsageJson((*session)->getSessionUsage(b).value()), want[u"get_session_usage"])
                << S(id) << " " << S(branch.first);
            ++checkedBranches;
        }
    }
    EXPECT_GT(checkedBranches, 50); // main of every session plus the branches that survived
}

} // namespace
} // namespace tb::test::agent
