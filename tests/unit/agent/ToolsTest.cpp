// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Tool implementations one by one (external command, canned, replay, ask the analyst, built-ins)
// and through the Runner where the stored item is what matters. Failures are answers for the model
// in the SDK's default failure_error_function wording, never run errors.

#include "AgentTestSupport.h"
#include "agent/CommandTool.h"
#include "agent/DemoTools.h"
#include "agent/ReplayTool.h"
#include "agent/TaskTools.h"
#include "agent/TerminalAnalystPrompter.h"
#include "agent/ToolRegistry.h"

#include <QBuffer>

namespace tb::test::agent {
namespace {

using tb::agent::Runner;
using tb::agent::Tool;
using tb::agent::ToolInvocation;
using tb::agent::ToolRegistry;
using tb::agent::ToolRun;

const QString kFailure = u"An error occurred while running the tool. Please try again. Error: "_s;

ToolInvocation invocation(const QString& name, const QString& arguments, core::BranchingSession* session = nullptr)
{
    ToolInvocation call;
    call.callId = u"call_t"_s;
    call.name = name;
    call.argumentsText = arguments;
    auto parsed = Json::parse(arguments);
    call.arguments = parsed ? std::move(parsed).value() : Json::object();
    call.sessionId = session ? session->sessionId() : u"s"_s;
    call.branchId = session ? session->currentBranch() : u"main"_s;
    call.session = session;
    return call;
}

/// Starts one call and waits for its output (empty Json if it never finished).
Json runTool(Tool& tool, const ToolInvocation& call, int timeoutMs = 10000)
{
    QObject parent;
    ToolRun* run = tool.start(call, &parent);
    EXPECT_FALSE(run->isFinished()) << "finished inside start()";
    QSignalSpy done(run, &ToolRun::finished);
    if (!done.wait(timeoutMs)) {
        ADD_FAILURE() << "tool did not finish";
        return {};
    }
    EXPECT_EQ(done.count(), 1);
    EXPECT_TRUE(run->result().has_value());
    return run->result() ? run->result().value() : Json();
}

std::unique_ptr<Tool> makeTool(const core::ToolBinding& b, const tb::agent::ToolServices& services = {})
{
    auto t = ToolRegistry::createTool(b, services);
    EXPECT_TRUE(t.has_value()) << (t ? std::string() : S(t.error().message));
    return t ? std::move(t).value() : nullptr;
}

// --- external command ---------------------------------------------------------------------------------

TEST(CommandToolTest, ArgumentsOnStdinOutputFromStdout)
{
    auto tool = makeTool(binding(u"echo"_s, commandImpl(u"sh"_s, {u"-c"_s, u"printf 'in: '; cat; echo; echo"_s})));
    ASSERT_TRUE(tool);
    EXPECT_EQ(runTool(*tool, invocation(u"echo"_s, uR"({"order_id": "ORD-1", "note": "café"})"_s)),
              Json(uR"(in: {"order_id": "ORD-1", "note": "café"})"_s)); // trailing line breaks removed
}

TEST(CommandToolTest, RunsInItsWorkingDirectory)
{
    tb::test::TempDir dir;
    auto impl = commandImpl(u"sh"_s, {u"-c"_s, u"pwd"_s});
    impl.workingDirectory = dir.path();
    auto tool = makeTool(binding(u"where"_s, impl));
    ASSERT_TRUE(tool);
    const QString out = runTool(*tool, invocation(u"where"_s, u"{}"_s)).toString();
    EXPECT_TRUE(out.endsWith(QFileInfo(dir.path()).fileName())) << S(out);
}

TEST(CommandToolTest, NonZeroExitIsAFailureOutputWithStderr)
{
    auto tool = makeTool(
        binding(u"fails"_s, commandImpl(u"sh"_s, {u"-c"_s, u"echo partial; echo 'database locked' >&2; exit 3"_s})));
    ASSERT_TRUE(tool);
    EXPECT_EQ(runTool(*tool, invocation(u"fails"_s, u"{}"_s)),
              Json(kFailure + u"command 'sh' exited with code 3: database locked"_s));
}

TEST(CommandToolTest, TimeoutKillsTheProgramAndAnswersLikeTheSdk)
{
    auto tool = makeTool(binding(u"slow_lookup"_s, commandImpl(u"sleep"_s, {u"20"_s}, 200)));
    ASSERT_TRUE(tool);
    QElapsedTimer t;
    t.start();
    EXPECT_EQ(runTool(*tool, invocation(u"slow_lookup"_s, u"{}"_s)),
              Json(u"Tool 'slow_lookup' timed out after 0.2 seconds."_s));
    EXPECT_LT(t.elapsed(), 5000);
}

TEST(CommandToolTest, ProgramThatCannotStart)
{
    auto tool = makeTool(binding(u"missing"_s, commandImpl(u"/nonexistent/threadbench-tool"_s, {})));
    ASSERT_TRUE(tool);
    const QString out = runTool(*tool, invocation(u"missing"_s, u"{}"_s)).toString();
    EXPECT_TRUE(out.startsWith(kFailure + u"command '/nonexistent/threadbench-tool' could not be started: "_s))
        << S(out);
}

TEST(CommandToolTest, CrashIsAFailureOutput)
{
    auto tool = makeTool(binding(u"crash"_s, commandImpl(u"sh"_s, {u"-c"_s, u"kill -9 $$"_s})));
    ASSERT_TRUE(tool);
    EXPECT_EQ(runTool(*tool, invocation(u"crash"_s, u"{}"_s)), Json(kFailure + u"command 'sh' crashed"_s));
}

TEST(CommandToolTest, EmptyArgumentsSendAnEmptyObject)
{
    auto tool = makeTool(binding(u"echo"_s, commandImpl(u"cat"_s, {})));
    ASSERT_TRUE(tool);
    EXPECT_EQ(runTool(*tool, invocation(u"echo"_s, QString())), Json(u"{}"_s));
}

// --- canned and built-in ------------------------------------------------------------------------------

TEST(BuiltinToolTest, CheckOrderStatusAnswersAsInTheLesson)
{
    EXPECT_EQ(tb::agent::DemoTools::checkOrderStatus(uR"({"order_id": "ORD-123"})"_s),
              u"Order shipped on Dec 15, arriving Dec 20"_s);
    EXPECT_EQ(tb::agent::DemoTools::checkOrderStatus(uR"({"order_id": "ORD-999"})"_s), u"Order not found"_s);
    auto tool = makeTool(*core::AgentDefinition::builtinTool(u"check_order_status"));
    ASSERT_TRUE(tool);
    EXPECT_EQ(runTool(*tool, invocation(u"check_order_status"_s, uR"({"order_id": "ORD-123"})"_s)),
              Json(u"Order shipped on Dec 15, arriving Dec 20"_s));
    EXPECT_EQ(tb::agent::DemoTools::checkOrderStatusSchema(),
              core::AgentDefinition::builtinTool(u"check_order_status")->definition.parameters);
}

TEST(BuiltinToolTest, TaskToolsWithoutATaskListAnswerWithAFailure)
{
    const QString out = tb::agent::TaskTools::addTask(nullptr, u"s"_s, J(R"({"title": "x"})"));
    EXPECT_TRUE(out.startsWith(kFailure)) << S(out);
}

TEST(BuiltinToolTest, TaskToolsOverASqliteTaskList)
{
    SessionFixture db;
    core::TaskList* tasks = db.tasks.get();
    using tb::agent::TaskTools;
    EXPECT_EQ(TaskTools::listTasks(tasks, u"a"_s), u"No tasks yet."_s);
    EXPECT_EQ(TaskTools::addTask(tasks, u"a"_s, J(R"({"title": "  Call back  "})")), u"Added task #1: Call back"_s);
    EXPECT_EQ(TaskTools::addTask(tasks, u"b"_s, J(R"({"title": "Other session"})")), u"Added task #2: Other session"_s);
    EXPECT_EQ(TaskTools::addTask(tasks, u"a"_s, J(R"({"title": "Ship 100% of it"})")),
              u"Added task #3: Ship 100% of it"_s);
    EXPECT_TRUE(TaskTools::addTask(tasks, u"a"_s, J(R"({"title": ""})")).startsWith(kFailure));
    EXPECT_EQ(TaskTools::completeTask(tasks, u"a"_s, J(R"({"task_id": "#1"})")), u"Completed task #1: Call back"_s);
    EXPECT_EQ(TaskTools::completeTask(tasks, u"a"_s, J(R"({"task_id": 1})")),
              u"Task #1 was already completed: Call back"_s);
    EXPECT_EQ(TaskTools::completeTask(tasks, u"a"_s, J(R"({"task_id": 2})")), u"Task #2 not found"_s); // b's task
    EXPECT_TRUE(TaskTools::completeTask(tasks, u"a"_s, J(R"({"task_id": "two"})")).startsWith(kFailure));
    EXPECT_EQ(TaskTools::listTasks(tasks, u"a"_s), u"#1 [x] Call back\n#3 [ ] Ship 100% of it"_s);
    EXPECT_EQ(TaskTools::listTasks(tasks, u"b"_s), u"#2 [ ] Other session"_s);
}

TEST(CannedToolTest, StoredAsTheToolOutput)
{
    SessionFixture db;
    ScriptedModelClient model;
    Runner runner(model);
    core::ToolImplementation canned;
    canned.kind = core::ToolImplementation::Kind::Canned;
    canned.cannedOutput = u"Refunds are possible within 30 days — keep the receipt."_s;
    auto agent = agentWith({binding(u"refund_policy"_s, canned)});
    model.script << reply({functionCall(u"call_1"_s, u"refund_policy"_s, u"{}"_s)})
                 << reply({assistantMessage(u"msg_1"_s, u"30 days."_s)});
    ASSERT_TRUE(runToEnd(runner, agent, u"Refund?"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value());
    EXPECT_EQ(
        db.messageData().at(2),
        uR"({"call_id": "call_1", "output": "Refunds are possible within 30 days \u2014 keep the receipt.", "type": "function_call_output"})"_s);
}

// --- replay ---------------------------------------------------------------------------------------

class ReplayToolTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(db.session);
        // main: turn 1 asks without tools; turn 2 checks ORD-55 (recorded output), turn 3 more.
        model.script << reply({assistantMessage(u"msg_1"_s, u"Hi."_s)})
                     << reply({functionCall(u"call_rec"_s, u"check_order_status"_s,
                                            uR"({"order_id": "ORD-55", "verbose": true})"_s)})
                     << reply({assistantMessage(u"msg_2"_s, u"Delayed."_s)});
        Runner live(model);
        live.setToolServices({});
        auto recording = agentWith({binding(u"check_order_status"_s, canned(u"Delayed: arrives Jan 3"_s))});
        ASSERT_TRUE(runToEnd(live, recording, u"Hello"_s, *db.session));
        ASSERT_TRUE(runToEnd(live, recording, u"Where is ORD-55?"_s, *db.session));
        // Re-ask turn 2 on a branch, with the tool replaying instead of running.
        ASSERT_EQ(db.session->createBranchFromTurn(2, u"what-if"_s).value(), u"what-if"_s);
    }

    static core::ToolImplementation canned(const QString& text)
    {
        core::ToolImplementation i;
        i.kind = core::ToolImplementation::Kind::Canned;
        i.cannedOutput = text;
        return i;
    }

    SessionFixture db;
    ScriptedModelClient model;
};

TEST_F(ReplayToolTest, FindsTheRecordedOutputOfTheSameCallInAnotherBranch)
{
    core::ToolImplementation replay;
    replay.kind = core::ToolImplementation::Kind::Replay;
    auto agent = agentWith({binding(u"check_order_status"_s, replay)});
    // Same arguments, other key order and spacing.
    model.script << reply(
        {functionCall(u"call_new"_s, u"check_order_status"_s, uR"({"verbose":true,"order_id":"ORD-55"})"_s)})
                 << reply({assistantMessage(u"msg_3"_s, u"Still delayed."_s)});
    Runner runner(model);
    ASSERT_TRUE(runToEnd(runner, agent, u"Where is ORD-55 now?"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value()) << S(runner.result().error().message);
    auto items = db.session->getItems(-1, u"what-if"_s);
    ASSERT_TRUE(items.has_value());
    ASSERT_EQ(items->size(), 6);
    EXPECT_EQ(items->at(4), functionOutput(u"call_new"_s, u"Delayed: arrives Jan 3"_s));

    auto found = tb::agent::ReplayTool::findRecording(*db.session, u"check_order_status"_s,
                                                      J(R"({"order_id": "ORD-55", "verbose": true})"));
    ASSERT_TRUE(found.has_value());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->branchId, u"main"_s);
    EXPECT_EQ((*found)->callId, u"call_rec"_s);
}

TEST_F(ReplayToolTest, NoRecordingForOtherArguments)
{
    core::ToolImplementation replay;
    replay.kind = core::ToolImplementation::Kind::Replay;
    auto tool = makeTool(binding(u"check_order_status"_s, replay));
    ASSERT_TRUE(tool);
    EXPECT_EQ(
        runTool(*tool, invocation(u"check_order_status"_s, uR"({"order_id": "ORD-56"})"_s, db.session.get())),
        Json(
            uR"(No recorded output: no other branch of this session has a check_order_status call with arguments {"order_id": "ORD-56"})"_s));
    // The current branch does not count: on main, the recording is its own.
    ASSERT_TRUE(db.session->switchToBranch(u"main"_s));
    const Json out = runTool(
        *tool, invocation(u"check_order_status"_s, uR"({"order_id": "ORD-55", "verbose": true})"_s, db.session.get()));
    EXPECT_TRUE(out.toString().startsWith(u"No recorded output"_s)) << S(out.toString());
}

TEST_F(ReplayToolTest, NeedsASession)
{
    core::ToolImplementation replay;
    replay.kind = core::ToolImplementation::Kind::Replay;
    auto tool = makeTool(binding(u"check_order_status"_s, replay));
    ASSERT_TRUE(tool);
    EXPECT_TRUE(runTool(*tool, invocation(u"check_order_status"_s, u"{}"_s)).toString().startsWith(kFailure));
}

// --- ask the analyst ------------------------------------------------------------------------------

core::ToolBinding askBinding(const QString& prompt)
{
    core::ToolImplementation i;
    i.kind = core::ToolImplementation::Kind::AskAnalyst;
    i.prompt = prompt;
    return binding(u"ask_supervisor"_s, i);
}

TEST(AskAnalystToolTest, TheAnalystsAnswerIsTheOutput)
{
    SessionFixture db;
    ScriptedModelClient model;
    ScriptedPrompter prompter;
    prompter.replies << core::Result<QString>(u"Approved, refund ORD-123 in full."_s);
    Runner runner(model);
    runner.setToolServices({nullptr, &prompter});
    model.script << reply({functionCall(u"call_1"_s, u"ask_supervisor"_s, uR"({"question": "Refund ORD-123?"})"_s)})
                 << reply({assistantMessage(u"msg_1"_s, u"Your refund is approved."_s)});
    ASSERT_TRUE(
        runToEnd(runner, agentWith({askBinding(u"Decide on refunds over $50."_s)}), u"Refund please"_s, *db.session));
    ASSERT_TRUE(runner.result().has_value());
    ASSERT_EQ(prompter.questions.size(), 1);
    const tb::agent::AnalystQuestion& q = prompter.questions[0];
    EXPECT_EQ(q.toolName, u"ask_supervisor"_s);
    EXPECT_EQ(q.callId, u"call_1"_s);
    EXPECT_EQ(q.argumentsText, uR"({"question": "Refund ORD-123?"})"_s);
    EXPECT_EQ(q.prompt, u"Decide on refunds over $50."_s);
    EXPECT_EQ(q.sessionId, db.session->sessionId());
    EXPECT_EQ(
        db.messageData().at(2),
        uR"({"call_id": "call_1", "output": "Approved, refund ORD-123 in full.", "type": "function_call_output"})"_s);
}

TEST(AskAnalystToolTest, DeclinedOrNoPrompterAnswersWithAFailure)
{
    ScriptedPrompter prompter; // no replies: declines
    tb::agent::ToolServices services;
    services.analyst = &prompter;
    auto tool = makeTool(askBinding(QString()), services);
    ASSERT_TRUE(tool);
    EXPECT_EQ(runTool(*tool, invocation(u"ask_supervisor"_s, u"{}"_s)),
              Json(kFailure + u"The analyst declined to answer"_s));
    auto orphan = makeTool(askBinding(QString()));
    ASSERT_TRUE(orphan);
    EXPECT_EQ(runTool(*orphan, invocation(u"ask_supervisor"_s, u"{}"_s)),
              Json(kFailure + u"no analyst is available to answer this tool"_s));
}

TEST(AskAnalystToolTest, TerminalPrompterReadsOneLine)
{
    QByteArray in = "Yes, go ahead\r\nsecond line\n";
    QBuffer input(&in);
    ASSERT_TRUE(input.open(QIODevice::ReadOnly));
    QBuffer output;
    ASSERT_TRUE(output.open(QIODevice::WriteOnly));
    tb::agent::TerminalAnalystPrompter prompter(input, output);
    tb::agent::ToolServices services;
    services.analyst = &prompter;
    auto tool = makeTool(askBinding(u"Approve?"_s), services);
    ASSERT_TRUE(tool);
    EXPECT_EQ(runTool(*tool, invocation(u"ask_supervisor"_s, uR"({"amount": 70})"_s)), Json(u"Yes, go ahead"_s));
    const QString shown = QString::fromUtf8(output.data());
    EXPECT_TRUE(shown.contains(uR"(ask_supervisor (call call_t) with arguments {"amount": 70})"_s)) << S(shown);
    EXPECT_TRUE(shown.contains(u"Approve?\n"_s));
    EXPECT_EQ(runTool(*tool, invocation(u"ask_supervisor"_s, u"{}"_s)), Json(u"second line"_s));
    EXPECT_EQ(runTool(*tool, invocation(u"ask_supervisor"_s, u"{}"_s)), Json(kFailure + u"No answer: end of input"_s));
}

TEST(AskAnalystToolTest, TerminalPrompterEmptyLineDeclines)
{
    QByteArray in = "\n";
    QBuffer input(&in);
    ASSERT_TRUE(input.open(QIODevice::ReadOnly));
    QBuffer output;
    ASSERT_TRUE(output.open(QIODevice::WriteOnly));
    tb::agent::TerminalAnalystPrompter prompter(input, output);
    tb::agent::ToolServices services;
    services.analyst = &prompter;
    auto tool = makeTool(askBinding(QString()), services);
    ASSERT_TRUE(tool);
    EXPECT_EQ(runTool(*tool, invocation(u"ask_supervisor"_s, u"{}"_s)),
              Json(kFailure + u"The analyst declined to answer"_s));
}

// --- registry -------------------------------------------------------------------------------------

TEST(ToolRegistryTest, BuildsEveryKindInTheAgentsOrder)
{
    core::AgentDefinition agent = core::AgentDefinition::defaultSupportAgent();
    core::ToolImplementation canned;
    canned.kind = core::ToolImplementation::Kind::Canned;
    agent.tools << binding(u"policy"_s, canned) << askBinding(QString())
                << binding(u"run"_s, commandImpl(u"true"_s, {}));
    auto registry = ToolRegistry::fromAgent(agent, {});
    ASSERT_TRUE(registry.has_value());
    QStringList names;
    for (const core::ToolDefinition& d : (*registry)->definitions())
        names << d.name;
    EXPECT_EQ(names, QStringList({u"check_order_status"_s, u"add_task"_s, u"list_tasks"_s, u"complete_task"_s,
                                  u"policy"_s, u"ask_supervisor"_s, u"run"_s}));
    EXPECT_TRUE((*registry)->find(u"policy"));
    EXPECT_FALSE((*registry)->find(u"nope"));
}

TEST(ToolRegistryTest, UnknownBuiltinIsRefused)
{
    core::ToolImplementation impl;
    impl.builtin = u"launch_rockets"_s;
    auto agent = agentWith({binding(u"launch"_s, impl)});
    auto registry = ToolRegistry::fromAgent(agent, {});
    ASSERT_FALSE(registry.has_value());
    EXPECT_EQ(registry.error().message, u"Tool \"launch\" names an unknown built-in \"launch_rockets\""_s);
}

} // namespace
} // namespace tb::test::agent
