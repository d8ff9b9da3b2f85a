// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// The Runner against a scripted model and a real AdvancedSqliteSession file: what it sends to the
// model, what it stores and when (spec sdk-sessions.md §8), and what a failed or cancelled run
// leaves behind. Expected rows are what the SDK's Runner + AdvancedSQLiteSession write for the same
// model responses (message_data as Python's json.dumps, usage details as store_run_usage writes).

#include "AgentTestSupport.h"
#include "agent/ModelInput.h"

namespace tb::test::agent {
namespace {

using tb::agent::RunErrorKind;
using tb::agent::Runner;
using tb::agent::RunOptions;

class RunnerTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(db.session);
        runner.setSessionStore(db.store.get());
        runner.setToolServices({db.tasks.get(), &prompter});
        runner.setClock([] { return QDateTime(QDate(2026, 3, 1), QTime(9, 30, 0, 250), Qt::UTC); });
    }

    QStringList structure(const QString& branch = u"main"_s)
    {
        ReadOnlyDb raw(db.path);
        return raw.lines(u"SELECT message_type, tool_name, user_turn_number, sequence_number FROM message_structure "
                         "WHERE session_id = ? AND branch_id = ? ORDER BY sequence_number"_s,
                         {db.session->sessionId(), branch});
    }

    QStringList turnUsageRows()
    {
        ReadOnlyDb raw(db.path);
        return raw.lines(u"SELECT branch_id, user_turn_number, requests, input_tokens, output_tokens, total_tokens, "
                         "input_tokens_details, output_tokens_details FROM turn_usage ORDER BY id"_s);
    }

    SessionFixture db;
    ScriptedModelClient model;
    ScriptedPrompter prompter;
    Runner runner{model};
    core::AgentDefinition support = core::AgentDefinition::defaultSupportAgent();
};

// --- successful runs --------------------------------------------------------------------------------

TEST_F(RunnerTest, SingleAnswerStoresInputThenAnswerAndUsage)
{
    ScriptedReply r = reply({assistantMessage(u"msg_1"_s, u"Hello! How can I help?"_s)}, usage(50, 10));
    r.textDeltas = QStringList{u"Hello! "_s, u"How can I help?"_s};
    model.script << r;
    QString streamed;
    QList<QList<Json>> stored;
    int usageSignals = 0;
    QObject::connect(&runner, &Runner::textDelta, [&](const QString&, const QString& d) { streamed += d; });
    QObject::connect(&runner, &Runner::itemsStored, [&](const QList<Json>& items) { stored << items; });
    QObject::connect(&runner, &Runner::usageUpdated, [&](const core::RunUsage&) { ++usageSignals; });

    ASSERT_TRUE(runToEnd(runner, support, u"Hi, café ☕"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value()) << S(runner.result().error().message);
    const tb::agent::RunResult& res = runner.result().value();
    EXPECT_EQ(res.finalText, u"Hello! How can I help?"_s);
    EXPECT_EQ(res.turns, 1);
    EXPECT_EQ(res.userTurnNumber, 1);
    EXPECT_EQ(res.usage.requests, 1);
    EXPECT_EQ(res.usage.totalTokens, 60);
    EXPECT_EQ(streamed, u"Hello! How can I help?"_s);
    EXPECT_EQ(usageSignals, 1);
    ASSERT_EQ(stored.size(), 2); // the input, then the final turn: two add_items calls
    EXPECT_EQ(stored[0].size(), 1);
    EXPECT_EQ(stored[1].size(), 1);

    // Byte-exact rows as Python's json.dumps writes them (non-ASCII escaped, openai field order).
    EXPECT_EQ(
        db.messageData(),
        QStringList(
            {uR"({"content": "Hi, caf\u00e9 \u2615", "role": "user"})"_s,
             uR"({"id": "msg_1", "content": [{"annotations": [], "text": "Hello! How can I help?", "type": "output_text", "logprobs": []}], "role": "assistant", "status": "completed", "type": "message"})"_s}));
    EXPECT_EQ(structure(), QStringList({u"user|NULL|1|1"_s, u"assistant|NULL|1|2"_s}));
    EXPECT_EQ(
        turnUsageRows(),
        QStringList({uR"(main|1|1|50|10|60|{"cache_write_tokens": 0, "cached_tokens": 0}|{"reasoning_tokens": 0})"_s}));

    // The model got the agent's instructions, tools and settings, and the input item.
    ASSERT_EQ(model.requests.size(), 1);
    const core::ModelRequest& req = model.requests[0];
    EXPECT_EQ(req.instructions, support.instructions);
    EXPECT_EQ(dumpItems(req.input), QByteArray(R"([{"content": "Hi, caf\u00e9 \u2615", "role": "user"}])"));
    ASSERT_EQ(req.tools.size(), 4);
    EXPECT_EQ(req.tools[0].name, u"check_order_status"_s);
    EXPECT_EQ(req.settings.model, u"threadbench-demo"_s);

    // One request row, against the run's turn.
    auto rows = db.store->requestUsage(db.session->sessionId(), std::nullopt);
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 1);
    const core::RequestUsage& row = rows->first();
    EXPECT_EQ(row.branchId, u"main"_s);
    EXPECT_EQ(row.userTurnNumber, 1);
    EXPECT_EQ(row.model, u"threadbench-demo"_s);
    EXPECT_EQ(row.endpoint, u"scripted"_s);
    EXPECT_EQ(row.startedAt, u"2026-03-01 09:30:00.250"_s);
    EXPECT_EQ(row.latencyMs, 40);
    EXPECT_EQ(row.timeToFirstTokenMs, std::optional<qint64>(12));
    EXPECT_EQ(row.inputTokens, 50);
    EXPECT_EQ(row.outputTokens, 10);
    EXPECT_EQ(row.totalTokens, 60);
}

TEST_F(RunnerTest, OneToolRoundTrip)
{
    support.modelSettings.toolChoice = u"required"_s;
    model.script << reply({functionCall(u"call_1"_s, u"check_order_status"_s, uR"({"order_id": "ORD-123"})"_s)},
                          usage(120, 15))
                 << reply({assistantMessage(u"msg_2"_s, u"Your order shipped on Dec 15 and arrives Dec 20."_s)},
                          usage(160, 14, 64));
    QStringList events;
    QObject::connect(&runner, &Runner::toolCallStarted,
                     [&](const QString& id, const QString& name, const QString& args) {
                         events << u"start %1 %2 %3"_s.arg(id, name, args);
                     });
    QObject::connect(&runner, &Runner::toolCallFinished,
                     [&](const QString& id, const QString& name, const QString& out) {
                         events << u"done %1 %2 %3"_s.arg(id, name, out);
                     });

    ASSERT_TRUE(runToEnd(runner, support, u"Where is my order ORD-123?"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value()) << S(runner.result().error().message);
    EXPECT_EQ(runner.result()->turns, 2);
    EXPECT_EQ(runner.result()->finalText, u"Your order shipped on Dec 15 and arrives Dec 20."_s);
    EXPECT_EQ(events, QStringList({uR"(start call_1 check_order_status {"order_id": "ORD-123"})"_s,
                                   u"done call_1 check_order_status Order shipped on Dec 15, arriving Dec 20"_s}));

    EXPECT_EQ(
        db.messageData(),
        QStringList(
            {uR"({"content": "Where is my order ORD-123?", "role": "user"})"_s,
             uR"({"arguments": "{\"order_id\": \"ORD-123\"}", "call_id": "call_1", "name": "check_order_status", "type": "function_call", "id": "fc_call_1", "status": "completed"})"_s,
             uR"({"call_id": "call_1", "output": "Order shipped on Dec 15, arriving Dec 20", "type": "function_call_output"})"_s,
             uR"({"id": "msg_2", "content": [{"annotations": [], "text": "Your order shipped on Dec 15 and arrives Dec 20.", "type": "output_text", "logprobs": []}], "role": "assistant", "status": "completed", "type": "message"})"_s}));
    EXPECT_EQ(structure(), QStringList({u"user|NULL|1|1"_s, u"function_call|check_order_status|1|2"_s,
                                        u"function_call_output|NULL|1|3"_s, u"assistant|NULL|1|4"_s}));

    // The second call sees the tool turn; tool_choice was reset after the tool ran.
    ASSERT_EQ(model.requests.size(), 2);
    EXPECT_EQ(model.requests[0].settings.toolChoice, u"required"_s);
    EXPECT_EQ(model.requests[1].settings.toolChoice, QString());
    EXPECT_EQ(dumpItems(model.requests[1].input),
              dumpItems({J(R"({"content": "Where is my order ORD-123?", "role": "user"})"),
                         functionCall(u"call_1"_s, u"check_order_status"_s, uR"({"order_id": "ORD-123"})"_s),
                         functionOutput(u"call_1"_s, u"Order shipped on Dec 15, arriving Dec 20"_s)}));

    // SDK answers over the stored rows.
    auto tools = db.session->getToolUsage(std::nullopt);
    ASSERT_TRUE(tools.has_value());
    ASSERT_EQ(tools->size(), 1);
    EXPECT_EQ(tools->first().toolName, std::optional<QString>(u"check_order_status"_s));
    EXPECT_EQ(tools->first().count, 1);
    EXPECT_EQ(tools->first().userTurnNumber, std::optional<qint64>(1));
    EXPECT_EQ(
        turnUsageRows(),
        QStringList(
            {uR"(main|1|2|280|29|309|{"cache_write_tokens": 0, "cached_tokens": 64}|{"reasoning_tokens": 0})"_s}));
    auto turn = db.session->getTurnUsage(1, std::nullopt);
    ASSERT_TRUE(turn.has_value() && turn->has_value());
    EXPECT_EQ((*turn)->requests, Json(2));
    EXPECT_EQ((*turn)->inputTokensDetails, J(R"({"cache_write_tokens": 0, "cached_tokens": 64})"));
    auto rows = db.store->requestUsage(db.session->sessionId(), u"main"_s);
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 2);
    EXPECT_EQ(rows->at(1).cachedTokens, 64);
    EXPECT_EQ(rows->at(1).userTurnNumber, 1);
}

TEST_F(RunnerTest, ParallelToolCallsRunTogetherAndStoreOutputsInCallOrder)
{
    // The first call is slow, the second fast: they finish in reverse order.
    const QString script = uR"(read -r x; case "$x" in *slow*) sleep 0.4;; esac; printf 'got %s' "$x")"_s;
    auto agent = agentWith({binding(u"echo"_s, commandImpl(u"sh"_s, {u"-c"_s, script}))});
    model.script << reply({reasoning(u"rs_1"_s, u"Two lookups."_s),
                           functionCall(u"call_a"_s, u"echo"_s, uR"({"speed": "slow"})"_s),
                           functionCall(u"call_b"_s, u"echo"_s, uR"({"speed": "fast"})"_s)})
                 << reply({assistantMessage(u"msg_1"_s, u"Both done."_s)});
    QStringList events;
    QObject::connect(&runner, &Runner::toolCallStarted,
                     [&](const QString& id, const QString&, const QString&) { events << u"start "_s + id; });
    QObject::connect(&runner, &Runner::toolCallFinished,
                     [&](const QString& id, const QString&, const QString&) { events << u"done "_s + id; });

    ASSERT_TRUE(runToEnd(runner, agent, u"Check both"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value()) << S(runner.result().error().message);
    EXPECT_EQ(events, QStringList({u"start call_a"_s, u"start call_b"_s, u"done call_b"_s, u"done call_a"_s}));
    EXPECT_EQ(structure(), QStringList({u"user|NULL|1|1"_s, u"reasoning|NULL|1|2"_s, u"function_call|echo|1|3"_s,
                                        u"function_call|echo|1|4"_s, u"function_call_output|NULL|1|5"_s,
                                        u"function_call_output|NULL|1|6"_s, u"assistant|NULL|1|7"_s}));
    const QStringList data = db.messageData();
    ASSERT_EQ(data.size(), 7);
    EXPECT_EQ(data[4],
              uR"({"call_id": "call_a", "output": "got {\"speed\": \"slow\"}", "type": "function_call_output"})"_s);
    EXPECT_EQ(data[5],
              uR"({"call_id": "call_b", "output": "got {\"speed\": \"fast\"}", "type": "function_call_output"})"_s);
    auto tools = db.session->getToolUsage(std::nullopt);
    ASSERT_TRUE(tools.has_value());
    ASSERT_EQ(tools->size(), 1);
    EXPECT_EQ(tools->first().count, 2);
}

TEST_F(RunnerTest, MultiStepTaskManagerPersistsTasksAcrossRuns)
{
    model.script << reply({functionCall(u"call_1"_s, u"add_task"_s, uR"({"title": "Call the customer back"})"_s)})
                 << reply({functionCall(u"call_2"_s, u"add_task"_s, uR"({"title": "Refund ORD-123"})"_s),
                           functionCall(u"call_3"_s, u"list_tasks"_s, u"{}"_s)})
                 << reply({functionCall(u"call_4"_s, u"complete_task"_s, uR"({"task_id": 1})"_s)})
                 << reply({assistantMessage(u"msg_1"_s, u"Noted two tasks and closed the first."_s)});
    ASSERT_TRUE(runToEnd(runner, support, u"Please track my follow-ups"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value()) << S(runner.result().error().message);
    EXPECT_EQ(runner.result()->turns, 4);

    const QStringList data = db.messageData();
    ASSERT_EQ(data.size(), 10);
    EXPECT_EQ(
        data[2],
        uR"({"call_id": "call_1", "output": "Added task #1: Call the customer back", "type": "function_call_output"})"_s);
    EXPECT_EQ(
        data[6],
        uR"({"call_id": "call_3", "output": "#1 [ ] Call the customer back\n#2 [ ] Refund ORD-123", "type": "function_call_output"})"_s);
    EXPECT_EQ(
        data[8],
        uR"({"call_id": "call_4", "output": "Completed task #1: Call the customer back", "type": "function_call_output"})"_s);

    auto byTurns = db.session->getConversationByTurns(std::nullopt);
    ASSERT_TRUE(byTurns.has_value());
    ASSERT_EQ(byTurns->size(), 1);
    QStringList kinds;
    for (const core::TurnItemKind& k : byTurns->first().items)
        kinds << k.type + u'/' + k.toolName.value_or(u"-"_s);
    EXPECT_EQ(kinds, QStringList({u"user/-"_s, u"function_call/add_task"_s, u"function_call_output/-"_s,
                                  u"function_call/add_task"_s, u"function_call/list_tasks"_s,
                                  u"function_call_output/-"_s, u"function_call_output/-"_s,
                                  u"function_call/complete_task"_s, u"function_call_output/-"_s, u"assistant/-"_s}));
    auto tools = db.session->getToolUsage(std::nullopt);
    ASSERT_TRUE(tools.has_value());
    QStringList usageLines;
    for (const core::ToolUsage& t : *tools)
        usageLines << u"%1 %2 %3"_s.arg(t.toolName.value_or(u"-"_s)).arg(t.count).arg(t.userTurnNumber.value_or(-1));
    EXPECT_EQ(usageLines, QStringList({u"add_task 2 1"_s, u"complete_task 1 1"_s, u"list_tasks 1 1"_s}));
    EXPECT_EQ(turnUsageRows().size(), 1);
    EXPECT_TRUE(turnUsageRows().first().startsWith(u"main|1|4|400|80|480|"_s));

    // A new run (new tool objects) sees the stored tasks: they live in the database.
    model.script << reply({functionCall(u"call_5"_s, u"list_tasks"_s, u"{}"_s)})
                 << reply({assistantMessage(u"msg_2"_s, u"One task left."_s)});
    ASSERT_TRUE(runToEnd(runner, support, u"What is left?"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value()) << S(runner.result().error().message);
    EXPECT_EQ(
        db.messageData().at(12),
        uR"({"call_id": "call_5", "output": "#1 [x] Call the customer back\n#2 [ ] Refund ORD-123", "type": "function_call_output"})"_s);
    auto tasks = db.tasks->list(db.session->sessionId());
    ASSERT_TRUE(tasks.has_value());
    ASSERT_EQ(tasks->size(), 2);
    EXPECT_TRUE(tasks->at(0).done);
    EXPECT_FALSE(tasks->at(1).done);
    auto rows = db.store->requestUsage(db.session->sessionId(), std::nullopt);
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 6);
    EXPECT_EQ(rows->at(3).userTurnNumber, 1);
    EXPECT_EQ(rows->at(4).userTurnNumber, 2);
    EXPECT_EQ(turnUsageRows().size(), 2);
}

TEST_F(RunnerTest, ListInputIsStoredAsGivenWithoutInternalKeys)
{
    model.script << reply({assistantMessage(u"msg_1"_s, u"Seen."_s)});
    QSignalSpy done(&runner, &Runner::finished);
    const QList<Json> input{J(
        R"({"role": "user", "content": [{"type": "input_text", "text": "Where is my order?"}], "_agents_tool_title": "x"})")};
    ASSERT_TRUE(runner.run(support, input, *db.session));
    ASSERT_TRUE(done.wait(5000));
    ASSERT_TRUE(runner.result().has_value());
    EXPECT_EQ(db.messageData().first(),
              uR"({"role": "user", "content": [{"type": "input_text", "text": "Where is my order?"}]})"_s);
}

TEST_F(RunnerTest, HistoryIsLoadedAndOrphanCallsAreLeftOutOfTheModelInputOnly)
{
    // A call without output (an earlier crashed run) with its reasoning: the model never sees them.
    ASSERT_TRUE(db.session->addItems({J(R"({"content": "Earlier question", "role": "user"})"),
                                      reasoning(u"rs_0"_s, u"Look up."_s),
                                      functionCall(u"call_0"_s, u"check_order_status"_s, uR"({"order_id": "X"})"_s)}));
    model.script << reply({assistantMessage(u"msg_1"_s, u"Hello again."_s)});
    ASSERT_TRUE(runToEnd(runner, support, u"Are you there?"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value());
    ASSERT_EQ(model.requests.size(), 1);
    EXPECT_EQ(
        dumpItems(model.requests[0].input),
        QByteArray(
            R"([{"content": "Earlier question", "role": "user"}, {"content": "Are you there?", "role": "user"}])"));
    EXPECT_EQ(db.messageData().size(), 5); // the database keeps them
    EXPECT_EQ(runner.result()->userTurnNumber, 2);
}

TEST_F(RunnerTest, SessionLimitAndRunLimitWindowTheHistory)
{
    model.script << reply({functionCall(u"call_1"_s, u"check_order_status"_s, uR"({"order_id": "ORD-1"})"_s)})
                 << reply({assistantMessage(u"msg_1"_s, u"Not found."_s)});
    ASSERT_TRUE(runToEnd(runner, support, u"first"_s, *db.session));

    // limit 2: [output, answer]; the output's call fell out of the window, so it goes too.
    model.script << reply({assistantMessage(u"msg_2"_s, u"ok"_s)});
    RunOptions options;
    options.limit = 2;
    ASSERT_TRUE(runToEnd(runner, support, u"second"_s, *db.session, options));
    ASSERT_EQ(model.requests.size(), 3);
    EXPECT_EQ(dumpItems(model.requests[2].input), dumpItems({assistantMessage(u"msg_1"_s, u"Not found."_s),
                                                             J(R"({"content": "second", "role": "user"})")}));

    // limit 5 starts at the call, which keeps its output.
    model.script << reply({assistantMessage(u"msg_3"_s, u"ok"_s)});
    options.limit = 5;
    ASSERT_TRUE(runToEnd(runner, support, u"third"_s, *db.session, options));
    const QList<Json>& input = model.requests[3].input;
    ASSERT_EQ(input.size(), 6);
    EXPECT_EQ(input[0][u"type"], Json(u"function_call"_s));
}

TEST_F(RunnerTest, RunsOnTheRequestedBranch)
{
    model.script << reply({assistantMessage(u"msg_1"_s, u"a1"_s)}) << reply({assistantMessage(u"msg_2"_s, u"a2"_s)});
    ASSERT_TRUE(runToEnd(runner, support, u"q1"_s, *db.session));
    ASSERT_TRUE(runToEnd(runner, support, u"q2"_s, *db.session));
    ASSERT_EQ(db.session->createBranchFromTurn(2, u"alt"_s).value(), u"alt"_s);
    ASSERT_TRUE(db.session->switchToBranch(u"main"_s));

    model.script << reply({assistantMessage(u"msg_3"_s, u"a2 on alt"_s)});
    RunOptions options;
    options.branch = u"alt"_s;
    ASSERT_TRUE(runToEnd(runner, support, u"q2 again"_s, *db.session, options));
    ASSERT_TRUE(runner.result().has_value()) << S(runner.result().error().message);
    EXPECT_EQ(db.session->currentBranch(), u"alt"_s);
    EXPECT_EQ(runner.result()->branchId, u"alt"_s);
    EXPECT_EQ(runner.result()->userTurnNumber, 2);
    EXPECT_EQ(structure(u"alt"_s),
              QStringList({u"user|NULL|1|5"_s, u"assistant|NULL|1|6"_s, u"user|NULL|2|7"_s, u"assistant|NULL|2|8"_s}));
    EXPECT_EQ(structure().size(), 4); // main untouched
    ReadOnlyDb raw(db.path);
    EXPECT_EQ(raw.lines(u"SELECT branch_id, user_turn_number, requests FROM turn_usage ORDER BY id"_s),
              QStringList({u"main|1|1"_s, u"main|2|1"_s, u"alt|2|1"_s}));
    auto rows = db.store->requestUsage(db.session->sessionId(), u"alt"_s);
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 1);
    EXPECT_EQ(rows->first().userTurnNumber, 2);
}

// --- failures: the store is left as the SDK leaves it -------------------------------------------------

TEST_F(RunnerTest, MaxTurnsExceededKeepsInputAndFinishedToolTurnsButNoUsage)
{
    for (int i = 1; i <= 3; ++i)
        model.script << reply(
            {functionCall(u"call_%1"_s.arg(i), u"check_order_status"_s, uR"({"order_id": "ORD-123"})"_s)});
    RunOptions options;
    options.maxTurns = 2;
    ASSERT_TRUE(runToEnd(runner, support, u"Loop please"_s, *db.session, options));
    ASSERT_FALSE(runner.result().has_value());
    EXPECT_EQ(runner.errorKind(), RunErrorKind::MaxTurnsExceeded);
    EXPECT_EQ(runner.result().error().message, u"Max turns (2) exceeded"_s);
    EXPECT_EQ(tb::agent::sdkExceptionName(runner.errorKind()), u"MaxTurnsExceeded"_s);
    EXPECT_EQ(model.requests.size(), 2);
    EXPECT_EQ(structure(), QStringList({u"user|NULL|1|1"_s, u"function_call|check_order_status|1|2"_s,
                                        u"function_call_output|NULL|1|3"_s, u"function_call|check_order_status|1|4"_s,
                                        u"function_call_output|NULL|1|5"_s}));
    EXPECT_TRUE(turnUsageRows().isEmpty());
    ReadOnlyDb raw(db.path);
    EXPECT_FALSE(raw.tableExists(u"tb_request_usage"_s));
    EXPECT_EQ(runner.progress().usage.requests, 2);
    EXPECT_EQ(runner.progress().newItems.size(), 4);
}

TEST_F(RunnerTest, ModelErrorOnSecondCallKeepsUserItemAndFirstToolTurnOnly)
{
    Error limited = Error::make(Error::Code::RateLimited, u"Rate limit reached for requests"_s);
    limited.httpStatus = 429;
    model.script << reply({functionCall(u"call_1"_s, u"check_order_status"_s, uR"({"order_id": "ORD-7"})"_s)})
                 << failing(limited);
    ASSERT_TRUE(runToEnd(runner, support, u"Order ORD-7?"_s, *db.session));
    ASSERT_FALSE(runner.result().has_value());
    EXPECT_EQ(runner.errorKind(), RunErrorKind::Model);
    EXPECT_EQ(runner.result().error().code, Error::Code::RateLimited);
    EXPECT_EQ(runner.result().error().httpStatus, std::optional<int>(429));
    EXPECT_EQ(db.itemsText(),
              dumpItems({J(R"({"content": "Order ORD-7?", "role": "user"})"),
                         functionCall(u"call_1"_s, u"check_order_status"_s, uR"({"order_id": "ORD-7"})"_s),
                         functionOutput(u"call_1"_s, u"Order not found"_s)}));
    EXPECT_TRUE(turnUsageRows().isEmpty());
    auto rows = db.store->requestUsage(db.session->sessionId(), std::nullopt);
    ASSERT_TRUE(rows.has_value());
    EXPECT_TRUE(rows->isEmpty());
}

TEST_F(RunnerTest, ModelErrorOnFirstCallKeepsTheInput)
{
    model.script << failing(Error::make(Error::Code::Auth, u"Incorrect API key provided"_s));
    ASSERT_TRUE(runToEnd(runner, support, u"Hello"_s, *db.session));
    EXPECT_EQ(runner.errorKind(), RunErrorKind::Model);
    EXPECT_EQ(runner.result().error().code, Error::Code::Auth);
    EXPECT_EQ(db.messageData(), QStringList({uR"({"content": "Hello", "role": "user"})"_s}));
}

TEST_F(RunnerTest, UnknownToolIsAModelBehaviorErrorAndTheTurnIsNotStored)
{
    auto agent = agentWith({});
    model.script << reply({functionCall(u"call_1"_s, u"refund_everything"_s, u"{}"_s)});
    ASSERT_TRUE(runToEnd(runner, agent, u"Refund"_s, *db.session));
    EXPECT_EQ(runner.errorKind(), RunErrorKind::ModelBehavior);
    EXPECT_EQ(runner.result().error().message, u"Tool refund_everything not found in agent Test agent"_s);
    EXPECT_EQ(tb::agent::sdkExceptionName(runner.errorKind()), u"ModelBehaviorError"_s);
    EXPECT_EQ(db.messageData().size(), 1);
}

TEST_F(RunnerTest, RefusalIsAModelRefusalErrorAndTheTurnIsNotStored)
{
    model.script << reply({J(
        R"({"id": "msg_1", "content": [{"refusal": "I can't help with that.", "type": "refusal"}], "role": "assistant", "status": "completed", "type": "message"})")});
    ASSERT_TRUE(runToEnd(runner, support, u"Something bad"_s, *db.session));
    EXPECT_EQ(runner.errorKind(), RunErrorKind::ModelRefusal);
    EXPECT_EQ(runner.result().error().message, u"Model refused to produce output: I can't help with that."_s);
    EXPECT_EQ(db.messageData().size(), 1);
    EXPECT_TRUE(turnUsageRows().isEmpty());
}

TEST_F(RunnerTest, MalformedArgumentsAreAnsweredAsTheSdkDoes)
{
    model.script << reply({functionCall(u"call_1"_s, u"check_order_status"_s, u"{not json"_s),
                           functionCall(u"call_2"_s, u"check_order_status"_s, u"[1]"_s)})
                 << reply({assistantMessage(u"msg_1"_s, u"Sorry."_s)});
    ASSERT_TRUE(runToEnd(runner, support, u"Go"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value()) << S(runner.result().error().message);
    const QStringList data = db.messageData();
    ASSERT_EQ(data.size(), 6);
    EXPECT_EQ(
        data[3],
        uR"x({"call_id": "call_1", "output": "An error occurred while parsing tool arguments. Please try again with valid JSON. Error: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)", "type": "function_call_output"})x"_s);
    EXPECT_EQ(
        data[4],
        uR"({"call_id": "call_2", "output": "An error occurred while running the tool. Please try again. Error: Invalid JSON input for tool check_order_status: expected a JSON object", "type": "function_call_output"})"_s);
}

TEST_F(RunnerTest, UnknownBranchFailsBeforeAnythingIsStored)
{
    RunOptions options;
    options.branch = u"ghost"_s;
    ASSERT_TRUE(runToEnd(runner, support, u"Hello"_s, *db.session, options));
    EXPECT_EQ(runner.errorKind(), RunErrorKind::Session);
    EXPECT_EQ(runner.result().error().code, Error::Code::Value);
    EXPECT_EQ(runner.result().error().message, u"Branch 'ghost' does not exist"_s);
    EXPECT_TRUE(model.requests.isEmpty());
    EXPECT_TRUE(db.messageData().isEmpty());
}

TEST_F(RunnerTest, ClosedSessionIsASessionError)
{
    db.session->close();
    ASSERT_TRUE(runToEnd(runner, support, u"Hello"_s, *db.session));
    EXPECT_EQ(runner.errorKind(), RunErrorKind::Session);
    EXPECT_EQ(runner.result().error().message, u"SQLiteSession is closed"_s);
}

TEST_F(RunnerTest, BadToolBindingIsASetupError)
{
    auto agent = agentWith({binding(u"x"_s, core::ToolImplementation{})}); // built-in with no name
    ASSERT_TRUE(runToEnd(runner, agent, u"Hello"_s, *db.session));
    EXPECT_EQ(runner.errorKind(), RunErrorKind::Setup);
    EXPECT_TRUE(db.messageData().isEmpty());
}

TEST_F(RunnerTest, SecondRunWhileRunningIsRefused)
{
    model.script << reply({assistantMessage(u"msg_1"_s, u"a"_s)});
    QSignalSpy done(&runner, &Runner::finished);
    ASSERT_TRUE(runner.run(support, u"one"_s, *db.session));
    EXPECT_TRUE(runner.isRunning());
    EXPECT_FALSE(runner.run(support, u"two"_s, *db.session));
    ASSERT_TRUE(done.wait(5000));
    EXPECT_EQ(db.messageData().size(), 2);
}

// --- cancellation ---------------------------------------------------------------------------------

TEST_F(RunnerTest, CancelDuringTheModelCall)
{
    ScriptedReply hanging;
    hanging.hang = true;
    hanging.textDeltas = QStringList{u"Partial"_s};
    model.script << hanging;
    QSignalSpy done(&runner, &Runner::finished);
    QSignalSpy delta(&runner, &Runner::textDelta);
    ASSERT_TRUE(runner.run(support, u"Hello"_s, *db.session));
    ASSERT_TRUE(delta.wait(5000));
    runner.cancel();
    ASSERT_EQ(done.count(), 1);
    EXPECT_EQ(runner.errorKind(), RunErrorKind::Cancelled);
    EXPECT_EQ(runner.result().error().code, Error::Code::Cancelled);
    ASSERT_EQ(model.calls.size(), 1);
    EXPECT_TRUE(model.calls[0] == nullptr || model.calls[0]->cancelled);
    QTest::qWait(20);
    EXPECT_EQ(done.count(), 1);
    EXPECT_EQ(db.messageData(), QStringList({uR"({"content": "Hello", "role": "user"})"_s}));
    EXPECT_TRUE(turnUsageRows().isEmpty());
}

TEST_F(RunnerTest, CancelWhileAToolWaitsForTheAnalyst)
{
    prompter.hold = true;
    core::ToolImplementation ask;
    ask.kind = core::ToolImplementation::Kind::AskAnalyst;
    core::ToolImplementation builtin;
    builtin.builtin = u"check_order_status"_s;
    auto agent = agentWith({binding(u"ask_supervisor"_s, ask), binding(u"check_order_status"_s, builtin)});
    model.script << reply({functionCall(u"call_1"_s, u"check_order_status"_s, uR"({"order_id": "ORD-123"})"_s),
                           functionCall(u"call_2"_s, u"ask_supervisor"_s, uR"({"question": "refund?"})"_s)});
    QSignalSpy done(&runner, &Runner::finished);
    QSignalSpy finishedTools(&runner, &Runner::toolCallFinished);
    ASSERT_TRUE(runner.run(agent, u"Can I get a refund?"_s, *db.session));
    ASSERT_TRUE(finishedTools.wait(5000)); // the built-in answered; the analyst has not
    ASSERT_EQ(prompter.questions.size(), 1);
    EXPECT_EQ(prompter.questions[0].toolName, u"ask_supervisor"_s);
    runner.cancel();
    ASSERT_EQ(done.count(), 1);
    EXPECT_EQ(runner.errorKind(), RunErrorKind::Cancelled);
    ASSERT_TRUE(prompter.answers[0]);
    EXPECT_TRUE(prompter.answers[0]->isFinished()); // the question was withdrawn
    QTest::qWait(20);
    EXPECT_EQ(model.requests.size(), 1);
    EXPECT_EQ(db.messageData().size(), 1); // the half-done tool turn is not stored
}

TEST_F(RunnerTest, CancelWhileACommandRunsKillsIt)
{
    auto agent = agentWith({binding(u"slow"_s, commandImpl(u"sleep"_s, {u"30"_s}))});
    model.script << reply({functionCall(u"call_1"_s, u"slow"_s, u"{}"_s)});
    QSignalSpy started(&runner, &Runner::toolCallStarted);
    QSignalSpy done(&runner, &Runner::finished);
    ASSERT_TRUE(runner.run(agent, u"Wait"_s, *db.session));
    ASSERT_TRUE(started.wait(5000));
    QTest::qWait(100);
    QElapsedTimer t;
    t.start();
    runner.cancel();
    QTest::qWait(50); // deleteLater of the run kills and reaps the process
    EXPECT_LT(t.elapsed(), 5000);
    EXPECT_EQ(done.count(), 1);
    EXPECT_EQ(runner.errorKind(), RunErrorKind::Cancelled);
    EXPECT_EQ(db.messageData().size(), 1);
}

TEST_F(RunnerTest, RunnerCanBeReusedAfterACancel)
{
    ScriptedReply hanging;
    hanging.hang = true;
    model.script << hanging << reply({assistantMessage(u"msg_1"_s, u"Back."_s)});
    QSignalSpy turn(&runner, &Runner::turnStarted);
    ASSERT_TRUE(runner.run(support, u"first"_s, *db.session));
    ASSERT_TRUE(turn.wait(5000));
    runner.cancel();
    ASSERT_TRUE(runToEnd(runner, support, u"second"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value());
    EXPECT_EQ(db.messageData().size(), 3);
    EXPECT_EQ(runner.result()->userTurnNumber, 2);
}

} // namespace
} // namespace tb::test::agent
