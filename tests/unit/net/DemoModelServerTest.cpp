// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// The offline demo endpoint end to end: OpenAiClient → QNetworkAccessManager → DemoModelServer,
// both protocols, streaming and not: a tool call, then the final answer quoting the tool output.

#include "net/DemoModelServer.h"

#include "NetTestSupport.h"
#include "net/DemoModel.h"
#include "net/EndpointProfiles.h"

#include <QNetworkReply>

#include <gtest/gtest.h>

namespace tb::net {
namespace {

using core::Json;
using core::ModelReply;

Json parse(const QString& text)
{
    auto r = Json::parse(text);
    EXPECT_TRUE(r.has_value());
    return r ? *r : Json();
}

Json userMessage(const QString& text)
{
    Json m = Json::object();
    m.insert(QStringLiteral("content"), text);
    m.insert(QStringLiteral("role"), QStringLiteral("user"));
    return m;
}

core::ModelRequest orderRequest(const QString& question, bool stream)
{
    core::ModelRequest r;
    r.instructions = QStringLiteral("You are a friendly support agent.");
    r.input = {userMessage(question)};
    core::ToolDefinition tool;
    tool.name = QStringLiteral("check_order_status");
    tool.description = QStringLiteral("Look up the status of an order by id");
    tool.parameters = parse(QStringLiteral(
        R"({"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]})"));
    r.tools = {tool};
    r.stream = stream;
    return r;
}

Json toolOutput(const QString& callId, const QString& output)
{
    Json o = Json::object();
    o.insert(QStringLiteral("call_id"), callId);
    o.insert(QStringLiteral("output"), output);
    o.insert(QStringLiteral("type"), QStringLiteral("function_call_output"));
    return o;
}

QString text(const ModelReply& r)
{
    QString t;
    for (const Json& item : r.output)
        for (const Json& part : item[u"content"].asArray())
            t += part[u"text"].toString();
    return t;
}

struct Param
{
    WireProtocol protocol;
    bool stream;
};

class DemoRoundTrip : public ::testing::TestWithParam<Param>
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(server.listen());
        profile = EndpointProfiles::demo(server.baseUrl(), GetParam().protocol);
    }

    test::Outcome run(const core::ModelRequest& r)
    {
        return test::runClient(profile, r, test::fastRetries(), QString());
    }

    DemoModelServer server;
    EndpointProfile profile;
};

TEST_P(DemoRoundTrip, ToolCallThenFinalAnswer)
{
    const bool stream = GetParam().stream;
    core::ModelRequest request = orderRequest(QStringLiteral("Hi, where is my order ORD-123?"), stream);
    auto first = run(request);
    ASSERT_TRUE(first.result) << first.result.error().message.toStdString();
    ASSERT_EQ(first.result->output.size(), 1);
    const Json& call = first.result->output[0];
    EXPECT_EQ(call[u"type"].toString(), u"function_call");
    EXPECT_EQ(call[u"name"].toString(), u"check_order_status");
    EXPECT_EQ(call[u"arguments"].toString(), uR"({"order_id": "ORD-123"})");
    EXPECT_EQ(first.result->finishReason, u"tool_calls");
    EXPECT_EQ(first.result->model, u"threadbench-demo");
    EXPECT_TRUE(first.result->usageKnown);
    EXPECT_GT(first.result->usage.inputTokens, 20);
    EXPECT_GT(first.result->usage.reasoningTokens, 0);
    EXPECT_EQ(first.result->usage.totalTokens, first.result->usage.inputTokens + first.result->usage.outputTokens);
    if (GetParam().protocol == WireProtocol::ChatCompletions)
        EXPECT_EQ(call[u"id"].toString(), u"__fake_id__");
    else
        EXPECT_TRUE(call[u"id"].toString().startsWith(u"fc_"));
    if (stream) {
        ASSERT_EQ(first.rec->started.size(), 1);
        EXPECT_EQ(first.rec->arguments.value(call[u"call_id"].toString()), call[u"arguments"].toString());
        EXPECT_GT(first.rec->argumentDeltas.value(call[u"call_id"].toString()), 1);
    }

    // The Runner appends the call and the tool's output and asks again.
    request.input.append(call);
    request.input.append(toolOutput(call[u"call_id"].toString(), QStringLiteral("ORD-123 shipped on 2 March")));
    auto second = run(request);
    ASSERT_TRUE(second.result) << second.result.error().message.toStdString();
    ASSERT_EQ(second.result->output.size(), 1);
    EXPECT_EQ(second.result->output[0][u"type"].toString(), u"message");
    EXPECT_TRUE(text(*second.result).contains(u"\"ORD-123 shipped on 2 March\"")) << text(*second.result).toStdString();
    EXPECT_EQ(second.result->finishReason, u"stop");
    EXPECT_TRUE(second.result->usageKnown);
    EXPECT_EQ(second.result->usage.outputTokens, (text(*second.result).size() + 3) / 4);
    if (stream) {
        EXPECT_EQ(second.rec->text, text(*second.result));
        EXPECT_GT(second.rec->textDeltas, 5); // word by word
    }
    EXPECT_EQ(server.requestCount(), 2);
}

TEST_P(DemoRoundTrip, ParallelToolCalls)
{
    auto out = run(orderRequest(QStringLiteral("Compare ORD-1 and ORD-22 please"), GetParam().stream));
    ASSERT_TRUE(out.result);
    ASSERT_EQ(out.result->output.size(), 2);
    EXPECT_EQ(out.result->output[0][u"arguments"].toString(), uR"({"order_id": "ORD-1"})");
    EXPECT_EQ(out.result->output[1][u"arguments"].toString(), uR"({"order_id": "ORD-22"})");
    EXPECT_NE(out.result->output[0][u"call_id"], out.result->output[1][u"call_id"]);
    if (GetParam().stream) {
        EXPECT_EQ(out.rec->started.size(), 2);
    }
}

TEST_P(DemoRoundTrip, GenericAnswerIsDeterministic)
{
    core::ModelRequest r = orderRequest(QStringLiteral("How do I reset my password?"), GetParam().stream);
    auto a = run(r);
    auto b = run(r);
    ASSERT_TRUE(a.result);
    ASSERT_TRUE(b.result);
    EXPECT_TRUE(text(*a.result).contains(u"how do I reset my password")) << text(*a.result).toStdString();
    EXPECT_EQ(text(*a.result), text(*b.result));
    EXPECT_EQ(a.result->output[0].dump(), b.result->output[0].dump());
    EXPECT_EQ(a.result->usage.inputTokens, b.result->usage.inputTokens);
}

TEST_P(DemoRoundTrip, CachedTokensOnLongPrompts)
{
    core::ModelRequest r = orderRequest(QStringLiteral("Summarise our refund policy."), GetParam().stream);
    r.instructions = QString(6000, u'x');
    auto out = run(r);
    ASSERT_TRUE(out.result);
    const auto& u = out.result->usage;
    EXPECT_GT(u.inputTokens, 1024);
    EXPECT_EQ(u.cachedTokens % 128, 0);
    EXPECT_GT(u.cachedTokens, 0);
    EXPECT_LE(u.cachedTokens, u.inputTokens * 8 / 10);
    EXPECT_TRUE(out.result->cachedTokensKnown);
}

INSTANTIATE_TEST_SUITE_P(Protocols, DemoRoundTrip,
                         ::testing::Values(Param{WireProtocol::Responses, true}, Param{WireProtocol::Responses, false},
                                           Param{WireProtocol::ChatCompletions, true},
                                           Param{WireProtocol::ChatCompletions, false}),
                         [](const ::testing::TestParamInfo<Param>& p) {
                             return std::string(p.param.protocol == WireProtocol::Responses ? "Responses" : "Chat")
                                    + (p.param.stream ? "Stream" : "Whole");
                         });

TEST(DemoServer, NoUsageChunkWithoutIncludeUsage)
{
    DemoModelServer server;
    ASSERT_TRUE(server.listen());
    EndpointProfile p = EndpointProfiles::demo(server.baseUrl(), WireProtocol::ChatCompletions);
    p.usageInStream = false; // as LM Studio
    auto out = test::runClient(p, orderRequest(QStringLiteral("hello"), true), test::fastRetries(), QString());
    ASSERT_TRUE(out.result);
    EXPECT_FALSE(out.result->usageKnown);
    EXPECT_EQ(out.result->usage.requests, 1);
    EXPECT_FALSE(server.lastRequestBody().contains("stream_options"));
}

TEST(DemoServer, FailNextRequestThenRecover)
{
    DemoModelServer server;
    ASSERT_TRUE(server.listen());
    server.failNextRequest(503, R"({"error": {"message": "warming up", "type": "server_error", "code": null}})");
    auto out = test::runClient(EndpointProfiles::demo(server.baseUrl()), orderRequest(QStringLiteral("hi"), true),
                               test::fastRetries(), QString());
    ASSERT_TRUE(out.result);
    EXPECT_EQ(server.requestCount(), 2);
    ASSERT_EQ(out.rec->retries.size(), 1);
    EXPECT_EQ(std::get<2>(out.rec->retries[0]), u"warming up");
}

TEST(DemoServer, SlowEventsAndTimeToFirstToken)
{
    DemoModelServer server;
    ASSERT_TRUE(server.listen());
    server.setEventDelay(std::chrono::milliseconds(5));
    auto out =
        test::runClient(EndpointProfiles::demo(server.baseUrl()),
                        orderRequest(QStringLiteral("Tell me about shipping"), true), test::fastRetries(), QString());
    ASSERT_TRUE(out.result);
    ASSERT_TRUE(out.result->timeToFirstTokenMs.has_value());
    EXPECT_LT(*out.result->timeToFirstTokenMs, out.result->latencyMs);
    EXPECT_GE(out.result->latencyMs, 5 * out.rec->textDeltas);
}

TEST(DemoServer, ModelsAndUnknownPaths)
{
    DemoModelServer server;
    ASSERT_TRUE(server.listen());
    EXPECT_EQ(server.baseUrl().toString(), QStringLiteral("http://127.0.0.1:%1/v1").arg(server.port()));
    auto nam = test::makeNam();
    auto get = [&](const QString& path) {
        QUrl url = server.baseUrl();
        url.setPath(path);
        std::unique_ptr<QNetworkReply> reply(nam->get(QNetworkRequest(url)));
        QSignalSpy done(reply.get(), &QNetworkReply::finished);
        EXPECT_TRUE(done.wait(3000));
        return std::make_pair(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll());
    };
    const auto [status, body] = get(QStringLiteral("/v1/models"));
    EXPECT_EQ(status, 200);
    EXPECT_TRUE(body.contains("threadbench-demo"));
    EXPECT_EQ(get(QStringLiteral("/v1/nothing")).first, 404);
}

TEST(DemoServer, ProfileIsLabelledDemo)
{
    const EndpointProfile p = EndpointProfiles::demo(QUrl(QStringLiteral("http://127.0.0.1:1/v1")));
    EXPECT_TRUE(p.isDemo);
    EXPECT_TRUE(p.displayName.contains(u"Demo", Qt::CaseInsensitive));
    EXPECT_TRUE(p.validate().has_value());
    auto nam = test::makeNam();
    EXPECT_EQ(OpenAiClient(nam.get(), p).endpointName(), u"demo");
}

TEST(DemoModelLogic, ToolOutputAlreadyAfterUserMeansNoNewCall)
{
    // user → call → output → assistant answer: the question is settled; a follow-up without ids
    // gets a plain answer, and the settled order id is not looked up again.
    const Json body = parse(QStringLiteral(
        R"({"input": [{"content": "Where is ORD-5?", "role": "user"},)"
        R"( {"arguments": "{}", "call_id": "c", "name": "check_order_status", "type": "function_call"},)"
        R"( {"call_id": "c", "output": "delivered", "type": "function_call_output"},)"
        R"( {"id": "m", "content": [{"type": "output_text", "text": "It was delivered."}], "role": "assistant", "type": "message"}],)"
        R"( "tools": [{"type": "function", "name": "check_order_status", "parameters": {}}]})"));
    const DemoModel::Answer a = DemoModel::answer(body, WireProtocol::Responses);
    EXPECT_TRUE(a.toolCalls.isEmpty());
    EXPECT_FALSE(a.text.isEmpty());

    // Without the tool on offer there is no call either.
    const Json noTool = parse(QStringLiteral(R"({"messages": [{"role": "user", "content": "ORD-9?"}]})"));
    EXPECT_TRUE(DemoModel::answer(noTool, WireProtocol::ChatCompletions).toolCalls.isEmpty());
}

} // namespace
} // namespace tb::net
