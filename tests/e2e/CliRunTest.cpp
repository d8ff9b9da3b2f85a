// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// `threadbench run` and `threadbench agents` through the real binary, against the built-in demo
// model and against a model server this test runs on 127.0.0.1.
#include "CliTestSupport.h"
#include "TempDir.h"
#include "TestData.h"

#include "net/DemoModelServer.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>

using namespace tb::test::cli;
using namespace Qt::StringLiterals;
using tb::test::TempDir;

namespace {

// Runs the binary while this process's event loop keeps serving the in-process model server.
CliRun runAsync(const QStringList& args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LANG"_s, u"C.UTF-8"_s);
    env.remove(u"OPENAI_API_KEY"_s);
    p.setProcessEnvironment(env);
    QSignalSpy done(&p, &QProcess::finished);
    p.start(binary(), args);
    p.closeWriteChannel();
    CliRun r;
    if (!done.wait(30000)) {
        p.kill();
        p.waitForFinished(3000);
        r.crashed = true;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.exitCode = r.crashed ? -1 : p.exitCode();
    return r;
}

int count(const QString& db, const QString& sql)
{
    return sqlRows(db, sql).value(0).value(0).toInt();
}

TEST(CliRun, DemoModelAnswersWithAToolCallAndEverythingIsStored)
{
    TempDir dir;
    const QString db = dir.filePath(u"new.db"_s); // created with the SDK's schema on first use
    const CliRun r = runCli({u"run"_s, db, u"cust-1"_s, u"Where is my order ORD-123?"_s});
    ASSERT_EQ(r.exitCode, 0) << r.errText().toStdString();
    EXPECT_TRUE(r.outText().contains(u"→ check_order_status({\"order_id\": \"ORD-123\"})"_s)) << r.outText().toStdString();
    EXPECT_TRUE(r.outText().contains(u"← Order shipped on Dec 15, arriving Dec 20"_s)) << r.outText().toStdString();
    EXPECT_TRUE(r.errText().contains(u"demo"_s));
    EXPECT_TRUE(r.errText().contains(u"Usage: 2 request(s)"_s)) << r.errText().toStdString();

    // What the SDK would see: the user item, the call, its output, the answer; usage on turn 1.
    Json items;
    ASSERT_TRUE(sdkDocument(runSdk(db, u"cust-1"_s, u"get_items"_s), &items));
    ASSERT_EQ(items[u"result"].size(), 4) << show(items);
    EXPECT_EQ(dumped(items[u"result"].asArray().at(0)), R"({"content": "Where is my order ORD-123?", "role": "user"})");
    EXPECT_EQ(items[u"result"].asArray().at(1)[u"type"].toString(), u"function_call"_s);
    EXPECT_EQ(items[u"result"].asArray().at(2)[u"output"].toString(), u"Order shipped on Dec 15, arriving Dec 20"_s);
    Json usage;
    ASSERT_TRUE(sdkDocument(runSdk(db, u"cust-1"_s, u"get_turn_usage"_s, uR"({"user_turn_number": 1})"_s), &usage));
    EXPECT_EQ(usage[u"result"][u"requests"].toInt(), 2);
    Json tools;
    ASSERT_TRUE(sdkDocument(runSdk(db, u"cust-1"_s, u"get_tool_usage"_s), &tools));
    EXPECT_EQ(dumped(tools[u"result"]), R"([["check_order_status", 1, 1]])");
    EXPECT_EQ(count(db, u"SELECT COUNT(*) FROM tb_request_usage WHERE session_id = 'cust-1'"_s), 2);

    // A second run over Chat Completions without streaming continues the same session at turn 2.
    const CliRun second = runCli({u"run"_s, db, u"cust-1"_s, u"Thanks a lot"_s, u"--protocol"_s, u"chat"_s, u"--no-stream"_s});
    ASSERT_EQ(second.exitCode, 0) << second.errText().toStdString();
    EXPECT_FALSE(second.outText().trimmed().isEmpty());
    Json turns;
    ASSERT_TRUE(sdkDocument(runSdk(db, u"cust-1"_s, u"get_conversation_turns"_s), &turns));
    EXPECT_EQ(turns[u"result"].size(), 2);
}

TEST(CliRun, ContinuesABranchAndUsesAnEndpointGivenByUrl)
{
    TempDir dir;
    const QString db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    tb::net::DemoModelServer server; // stands in for a real OpenAI-compatible server
    ASSERT_TRUE(server.listen());
    const CliRun r = runAsync({u"run"_s, db, u"customer-1002"_s, u"What about ORD-777?"_s, u"--branch"_s, u"try-b-2"_s,
                               u"--endpoint"_s, server.baseUrl().toString(), u"--model"_s, u"threadbench-demo"_s,
                               u"--protocol"_s, u"chat"_s});
    ASSERT_EQ(r.exitCode, 0) << r.errText().toStdString();
    EXPECT_GE(server.requestCount(), 2);
    // Stored on the branch only; main is untouched.
    Json branches;
    ASSERT_TRUE(sdkDocument(runSdk(db, u"customer-1002"_s, u"list_branches"_s), &branches));
    for (const Json& b : branches[u"result"].asArray()) {
        if (b[u"branch_id"].toString() == u"main"_s)
            EXPECT_EQ(b[u"user_turns"].toInt(), 3);
        else
            EXPECT_EQ(b[u"user_turns"].toInt(), 4);
    }
}

TEST(CliRun, AnEndpointUrlDefaultsToChatCompletions)
{
    TempDir dir;
    const QString db = dir.filePath(u"chat.db"_s);
    tb::net::DemoModelServer server;
    ASSERT_TRUE(server.listen());
    const CliRun r = runAsync({u"run"_s, db, u"s"_s, u"hello"_s, u"--endpoint"_s, server.baseUrl().toString(), u"--model"_s,
                               u"threadbench-demo"_s});
    ASSERT_EQ(r.exitCode, 0) << r.errText().toStdString();
    EXPECT_TRUE(server.lastRequestBody().contains("\"messages\"")) << server.lastRequestBody().left(300).toStdString();
    EXPECT_TRUE(r.errText().contains(u"chat_completions"_s)) << r.errText().toStdString();
}

TEST(CliRun, ADeadEndpointFailsWithOneLineAndKeepsTheInput)
{
    TempDir dir;
    const QString db = dir.filePath(u"dead.db"_s);
    const CliRun r = runCli({u"run"_s, db, u"s"_s, u"hello"_s, u"--endpoint"_s, u"http://127.0.0.1:9/v1"_s, u"--model"_s, u"m"_s});
    EXPECT_EQ(r.exitCode, 4);
    EXPECT_TRUE(r.errText().contains(u"threadbench run:"_s)) << r.errText().toStdString();
    // As with the SDK's Runner, the user input was stored before the model call failed.
    EXPECT_EQ(count(db, u"SELECT COUNT(*) FROM agent_messages"_s), 1);
    EXPECT_EQ(count(db, u"SELECT COUNT(*) FROM turn_usage"_s), 0);

    const CliRun badUrl = runCli({u"run"_s, db, u"s"_s, u"hello"_s, u"--endpoint"_s, u"not a url"_s});
    EXPECT_EQ(badUrl.exitCode, 2);
    const CliRun insecure = runCli({u"run"_s, db, u"s"_s, u"hello"_s, u"--endpoint"_s, u"http://example.com/v1"_s, u"--model"_s, u"m"_s});
    EXPECT_EQ(insecure.exitCode, 2);
    EXPECT_TRUE(insecure.errText().contains(u"http"_s)) << insecure.errText().toStdString();
}

TEST(CliRun, TheDemoModelFilesFollowUpsWithTheTaskTools)
{
    TempDir dir;
    const QString db = dir.filePath(u"tasks.db"_s);
    const CliRun add = runCli({u"run"_s, db, u"s"_s, u"Please add a task to call me back tomorrow"_s});
    ASSERT_EQ(add.exitCode, 0) << add.errText().toStdString();
    EXPECT_TRUE(add.outText().contains(u"→ add_task("_s)) << add.outText().toStdString();
    EXPECT_EQ(count(db, u"SELECT COUNT(*) FROM tb_tasks WHERE session_id = 's' AND done = 0"_s), 1);
    const CliRun list = runCli({u"run"_s, db, u"s"_s, u"What are my tasks?"_s});
    ASSERT_EQ(list.exitCode, 0);
    EXPECT_TRUE(list.outText().contains(u"call me back tomorrow"_s)) << list.outText().toStdString();
}

TEST(CliAgents, ImportListShowExportRemoveAndRunByName)
{
    TempDir dir;
    const QString db = dir.filePath(u"agents.db"_s);
    const QString file = dir.filePath(u"agent.json"_s);
    ASSERT_EQ(runCli({u"agents"_s, u"default"_s, u"-o"_s, file}).exitCode, 0);
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    QByteArray text = f.readAll();
    f.close();
    ASSERT_TRUE(text.contains("threadbench-agent/1"));
    auto agent = Json::parse(text);
    ASSERT_TRUE(agent.has_value());
    agent->insert(u"name"_s, Json(u"Refund desk"_s));
    QFile w(file);
    ASSERT_TRUE(w.open(QIODevice::WriteOnly));
    w.write(agent->dump());
    w.close();

    ASSERT_EQ(runCli({u"agents"_s, u"import"_s, db, file}).exitCode, 0);
    const CliRun list = runCli({u"agents"_s, u"list"_s, db});
    EXPECT_EQ(list.outText().trimmed(), u"Refund desk"_s);
    const CliRun shown = runCli({u"agents"_s, u"show"_s, db, u"Refund desk"_s});
    EXPECT_TRUE(shown.outText().contains(u"check_order_status"_s));
    EXPECT_EQ(runCli({u"run"_s, db, u"s1"_s, u"Is ORD-123 shipped?"_s, u"--agent"_s, u"Refund desk"_s}).exitCode, 0);
    EXPECT_EQ(runCli({u"run"_s, db, u"s1"_s, u"hi"_s, u"--agent"_s, u"Nobody"_s}).exitCode, 2);
    EXPECT_EQ(runCli({u"agents"_s, u"remove"_s, db, u"Refund desk"_s}).exitCode, 0);
    EXPECT_TRUE(runCli({u"agents"_s, u"list"_s, db}).outText().trimmed().isEmpty());
    // Agent files carry no secrets: nothing that looks like a key is in the stored definition.
    EXPECT_EQ(count(db, u"SELECT COUNT(*) FROM tb_agents WHERE definition LIKE '%sk-%'"_s), 0);
}

} // namespace
