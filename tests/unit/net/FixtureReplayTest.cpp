// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Every fixture of tests/data/openai/{chat,responses,errors} replayed by FakeModelServer through
// OpenAiClient and the real QNetworkAccessManager path, streams whole and in 7-byte (some in
// 1-byte) chunks; the expectations are the "Expected parse results" of tests/data/openai/README.md.

#include "FakeModelServer.h"
#include "NetTestSupport.h"

#include <gtest/gtest.h>

namespace tb::net {
namespace {

using core::Error;
using core::Json;
using core::ModelReply;
using test::FakeModelServer;
using test::FakeResponse;

struct Usage
{
    qint64 in, out, total, cached, reasoning;
    bool cachedKnown;
};

void expectUsage(const ModelReply& r, const Usage& u)
{
    EXPECT_TRUE(r.usageKnown);
    EXPECT_EQ(r.usage.requests, 1);
    EXPECT_EQ(r.usage.inputTokens, u.in);
    EXPECT_EQ(r.usage.outputTokens, u.out);
    EXPECT_EQ(r.usage.totalTokens, u.total);
    EXPECT_EQ(r.usage.cachedTokens, u.cached);
    EXPECT_EQ(r.usage.reasoningTokens, u.reasoning);
    EXPECT_EQ(r.cachedTokensKnown, u.cachedKnown);
}

QStringList types(const ModelReply& r)
{
    QStringList out;
    for (const Json& item : r.output)
        out.append(item[u"type"].toString());
    return out;
}

// Text of the (only) message item's output_text parts.
QString messageText(const ModelReply& r)
{
    QString text;
    for (const Json& item : r.output) {
        if (item[u"type"].toString() != u"message")
            continue;
        for (const Json& part : item[u"content"].asArray())
            text += part[u"text"].toString();
    }
    return text;
}

QString messageRefusal(const ModelReply& r)
{
    for (const Json& item : r.output) {
        for (const Json& part : item[u"content"].asArray()) {
            if (part[u"type"].toString() == u"refusal")
                return part[u"refusal"].toString();
        }
    }
    return {};
}

QList<const Json*> calls(const ModelReply& r)
{
    QList<const Json*> out;
    for (const Json& item : r.output) {
        if (item[u"type"].toString() == u"function_call")
            out.append(&item);
    }
    return out;
}

class FixtureReplay : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(server.listen()); }

    test::Outcome replay(const QString& fixture, WireProtocol protocol, qsizetype chunk = 0, int attempts = 3)
    {
        FakeResponse response = FakeResponse::fixture(fixture);
        response.chunkSize = chunk;
        server.setDefaultResponse(response);
        const bool stream = fixture.endsWith(u".sse");
        return test::runClient(test::testProfile(server.baseUrl(), protocol), test::simpleRequest(stream),
                               test::fastRetries(attempts));
    }

    test::Outcome ok(const QString& fixture, WireProtocol protocol, qsizetype chunk = 0)
    {
        auto out = replay(fixture, protocol, chunk);
        EXPECT_TRUE(out.result.has_value())
            << fixture.toStdString() << ": " << (out.result ? std::string() : out.result.error().message.toStdString());
        EXPECT_EQ(out.rec->finishedCount, 1);
        return out;
    }

    FakeModelServer server;
};

// ---- Chat Completions, whole bodies -------------------------------------------------------------

TEST_F(FixtureReplay, ChatCompletionExactItem)
{
    auto out = ok(QStringLiteral("chat/chat_completion.json"), WireProtocol::ChatCompletions);
    ASSERT_TRUE(out.result);
    const ModelReply& r = *out.result;
    ASSERT_EQ(r.output.size(), 1);
    // What the SDK's Runner stores: the converter's message with the fake id and provider_data.
    EXPECT_EQ(
        r.output[0].dump().toStdString(),
        R"({"id": "__fake_id__", "content": [{"annotations": [], "text": "Hello! How can I assist you today?", )"
        R"("type": "output_text", "logprobs": []}], "role": "assistant", "status": "completed", "type": "message", )"
        R"("provider_data": {"model": "gpt-4o-mini", "response_id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT"}})");
    EXPECT_EQ(r.finishReason, u"stop");
    EXPECT_EQ(r.model, u"gpt-5.4");
    expectUsage(r, {19, 10, 29, 0, 0, true});
    EXPECT_EQ(out.rec->usageSignals, 1);
    EXPECT_FALSE(r.timeToFirstTokenMs.has_value()); // nothing streamed
    // The key goes in the Authorization header, the body asks for no stream.
    ASSERT_EQ(server.requestCount(), 1);
    const test::RecordedRequest& req = server.requests().front();
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.path, "/v1/chat/completions");
    EXPECT_EQ(req.header("authorization"), "Bearer " + test::kTestKey.toUtf8());
    EXPECT_EQ(req.header("content-type"), "application/json");
    EXPECT_FALSE(req.body.contains("\"stream\""));
}

TEST_F(FixtureReplay, ChatCompletionUsageDetails)
{
    auto out = ok(QStringLiteral("chat/chat_completion_usage_details.DERIVED.json"), WireProtocol::ChatCompletions);
    ASSERT_TRUE(out.result);
    EXPECT_EQ(messageText(*out.result), u"Hello! How can I assist you today?");
    EXPECT_EQ(out.result->finishReason, u"stop");
    expectUsage(*out.result, {2006, 300, 2306, 1920, 192, true});
}

TEST_F(FixtureReplay, ChatCompletionLegacyUsage)
{
    auto out = ok(QStringLiteral("chat/chat_completion_legacy_usage.json"), WireProtocol::ChatCompletions);
    ASSERT_TRUE(out.result);
    const QString text = messageText(*out.result);
    EXPECT_EQ(text.size(), 198);
    EXPECT_TRUE(text.startsWith(u"I'm unable to provide real-time weather updates."));
    expectUsage(*out.result, {14, 37, 51, 0, 0, false});
}

TEST_F(FixtureReplay, ChatCompletionToolCallsExactItem)
{
    auto out = ok(QStringLiteral("chat/chat_completion_tool_calls.json"), WireProtocol::ChatCompletions);
    ASSERT_TRUE(out.result);
    const ModelReply& r = *out.result;
    ASSERT_EQ(types(r), QStringList{QStringLiteral("function_call")}); // content null → no message
    EXPECT_EQ(r.output[0].dump().toStdString(),
              R"({"arguments": "{\n\"location\": \"Boston, MA\"\n}", "call_id": "call_abc123", )"
              R"("name": "get_current_weather", "type": "function_call", "id": "__fake_id__", )"
              R"("provider_data": {"model": "gpt-4o-mini", "response_id": "chatcmpl-abc123"}})");
    const auto args = Json::parse(r.output[0][u"arguments"].toString());
    ASSERT_TRUE(args.has_value());
    EXPECT_EQ((*args)[u"location"].toString(), u"Boston, MA");
    EXPECT_EQ(r.finishReason, u"tool_calls");
    expectUsage(r, {82, 17, 99, 0, 0, false});
}

TEST_F(FixtureReplay, ChatCompletionParallelToolCalls)
{
    auto out = ok(QStringLiteral("chat/chat_completion_parallel_tool_calls.json"), WireProtocol::ChatCompletions);
    ASSERT_TRUE(out.result);
    const auto c = calls(*out.result);
    ASSERT_EQ(c.size(), 2);
    EXPECT_EQ(types(*out.result).size(), 2);
    EXPECT_EQ((*c[0])[u"call_id"].toString(), u"call_fdNz3vOBKYgOIpMdWotB9MjY");
    EXPECT_EQ((*c[0])[u"name"].toString(), u"GetWeatherArgs");
    EXPECT_EQ((*c[0])[u"arguments"].toString(), uR"({"city": "Edinburgh", "country": "GB", "units": "c"})");
    EXPECT_EQ((*c[1])[u"call_id"].toString(), u"call_h1DWI1POMJLb0KwIyQHWXD4p");
    EXPECT_EQ((*c[1])[u"name"].toString(), u"get_stock_price");
    EXPECT_EQ((*c[1])[u"arguments"].toString(), uR"({"ticker": "AAPL", "exchange": "NASDAQ"})");
    EXPECT_EQ(out.result->finishReason, u"tool_calls");
    expectUsage(*out.result, {149, 60, 209, 0, 0, false});
}

TEST_F(FixtureReplay, ChatCompletionRefusal)
{
    auto out = ok(QStringLiteral("chat/chat_completion_refusal.json"), WireProtocol::ChatCompletions);
    ASSERT_TRUE(out.result);
    EXPECT_EQ(messageRefusal(*out.result), u"I'm very sorry, but I can't assist with that.");
    EXPECT_EQ(messageRefusal(*out.result).size(), 45);
    EXPECT_EQ(out.result->output[0][u"content"].dump().toStdString(),
              R"([{"refusal": "I'm very sorry, but I can't assist with that.", "type": "refusal"}])");
    EXPECT_EQ(out.result->finishReason, u"stop");
    expectUsage(*out.result, {79, 12, 91, 0, 0, false});
}

TEST_F(FixtureReplay, ChatCompletionLength)
{
    auto out = ok(QStringLiteral("chat/chat_completion_length.json"), WireProtocol::ChatCompletions);
    ASSERT_TRUE(out.result);
    EXPECT_EQ(messageText(*out.result), uR"({")");
    EXPECT_EQ(out.result->finishReason, u"length");
    expectUsage(*out.result, {79, 1, 80, 0, 0, false});
}

// ---- Chat Completions, streams --------------------------------------------------------------

TEST_F(FixtureReplay, ChatStreamText)
{
    for (qsizetype chunk : {0, 7}) {
        SCOPED_TRACE(chunk);
        auto out = ok(QStringLiteral("chat/chat_stream_text.sse"), WireProtocol::ChatCompletions, chunk);
        ASSERT_TRUE(out.result);
        const QString text = messageText(*out.result);
        EXPECT_EQ(text.size(), 159);
        EXPECT_TRUE(text.startsWith(u"I'm unable to provide real-time weather updates."));
        EXPECT_TRUE(text.endsWith(u"or a weather app."));
        EXPECT_EQ(out.rec->text, text); // the deltas add up to the stored text
        EXPECT_EQ(out.result->finishReason, u"stop");
        expectUsage(*out.result, {14, 30, 44, 0, 0, false});
        ASSERT_TRUE(out.result->timeToFirstTokenMs.has_value());
        EXPECT_LE(*out.result->timeToFirstTokenMs, out.result->latencyMs);
        EXPECT_EQ(out.result->output[0][u"provider_data"][u"response_id"].toString(),
                  u"chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL");
    }
    const test::RecordedRequest& req = server.requests().back();
    EXPECT_TRUE(req.body.contains(R"("stream":true,"stream_options":{"include_usage":true})"));
    EXPECT_EQ(req.header("accept"), "text/event-stream");
}

TEST_F(FixtureReplay, ChatStreamToolCall)
{
    for (qsizetype chunk : {0, 7, 1}) {
        SCOPED_TRACE(chunk);
        auto out = ok(QStringLiteral("chat/chat_stream_tool_call.sse"), WireProtocol::ChatCompletions, chunk);
        ASSERT_TRUE(out.result);
        const auto c = calls(*out.result);
        ASSERT_EQ(c.size(), 1);
        EXPECT_EQ(
            c[0]->dump().toStdString(),
            R"({"arguments": "{\"city\":\"New York City\"}", "call_id": "call_4XzlGBLtUe9dy3GVNV4jhq7h", )"
            R"("name": "get_weather", "type": "function_call", "id": "__fake_id__", )"
            R"("provider_data": {"model": "gpt-4o-mini", "response_id": "chatcmpl-ABfwERreu9s99xXsVuOWtIB2UOx62"}})");
        ASSERT_EQ(out.rec->started.size(), 1);
        EXPECT_EQ(out.rec->started[0],
                  qMakePair(QStringLiteral("call_4XzlGBLtUe9dy3GVNV4jhq7h"), QStringLiteral("get_weather")));
        EXPECT_EQ(out.rec->arguments.value(QStringLiteral("call_4XzlGBLtUe9dy3GVNV4jhq7h")),
                  uR"({"city":"New York City"})");
        EXPECT_EQ(out.rec->argumentDeltas.value(QStringLiteral("call_4XzlGBLtUe9dy3GVNV4jhq7h")), 7);
        EXPECT_EQ(out.result->finishReason, u"tool_calls");
        expectUsage(*out.result, {44, 16, 60, 0, 0, false});
    }
}

TEST_F(FixtureReplay, ChatStreamParallelToolCalls)
{
    for (qsizetype chunk : {0, 7}) {
        SCOPED_TRACE(chunk);
        auto out = ok(QStringLiteral("chat/chat_stream_parallel_tool_calls.sse"), WireProtocol::ChatCompletions, chunk);
        ASSERT_TRUE(out.result);
        ASSERT_EQ(types(*out.result), (QStringList{QStringLiteral("function_call"), QStringLiteral("function_call")}));
        const auto c = calls(*out.result);
        EXPECT_EQ((*c[0])[u"call_id"].toString(), u"call_JMW1whyEaYG438VE1OIflxA2");
        EXPECT_EQ((*c[0])[u"name"].toString(), u"GetWeatherArgs");
        EXPECT_EQ((*c[0])[u"arguments"].toString(), uR"({"city": "Edinburgh", "country": "GB", "units": "c"})");
        EXPECT_EQ((*c[1])[u"call_id"].toString(), u"call_DNYTawLBoN8fj3KN6qU9N1Ou");
        EXPECT_EQ((*c[1])[u"name"].toString(), u"get_stock_price");
        EXPECT_EQ((*c[1])[u"arguments"].toString(), uR"({"ticker": "AAPL", "exchange": "NASDAQ"})");
        EXPECT_EQ(out.rec->argumentDeltas.value(QStringLiteral("call_JMW1whyEaYG438VE1OIflxA2")), 11);
        EXPECT_EQ(out.rec->argumentDeltas.value(QStringLiteral("call_DNYTawLBoN8fj3KN6qU9N1Ou")), 9);
        EXPECT_TRUE(out.rec->text.isEmpty());
        EXPECT_EQ(out.result->finishReason, u"tool_calls");
        expectUsage(*out.result, {149, 60, 209, 0, 0, false});
    }
}

TEST_F(FixtureReplay, ChatStreamRefusal)
{
    for (qsizetype chunk : {0, 7}) {
        SCOPED_TRACE(chunk);
        auto out = ok(QStringLiteral("chat/chat_stream_refusal.sse"), WireProtocol::ChatCompletions, chunk);
        ASSERT_TRUE(out.result);
        EXPECT_EQ(messageRefusal(*out.result), u"I'm sorry, I can't assist with that request.");
        EXPECT_EQ(out.rec->refusal.size(), 44);
        EXPECT_EQ(out.rec->refusalDeltas, 10);
        EXPECT_TRUE(messageText(*out.result).isEmpty());
        EXPECT_EQ(out.result->finishReason, u"stop");
        expectUsage(*out.result, {79, 11, 90, 0, 0, false});
    }
}

TEST_F(FixtureReplay, ChatStreamUsageDetails)
{
    for (qsizetype chunk : {0, 7}) {
        SCOPED_TRACE(chunk);
        auto out =
            ok(QStringLiteral("chat/chat_stream_text_usage_details.DERIVED.sse"), WireProtocol::ChatCompletions, chunk);
        ASSERT_TRUE(out.result);
        EXPECT_EQ(messageText(*out.result), u"Hello! How can I assist you today?");
        EXPECT_EQ(out.result->finishReason, u"stop");
        expectUsage(*out.result, {2006, 202, 2208, 1920, 192, true});
    }
}

// ---- Responses ----------------------------------------------------------------------------------

TEST_F(FixtureReplay, ResponsesTextExactItem)
{
    auto out = ok(QStringLiteral("responses/responses_text.json"), WireProtocol::Responses);
    ASSERT_TRUE(out.result);
    const ModelReply& r = *out.result;
    ASSERT_EQ(r.output.size(), 1);
    const QString text = messageText(r);
    EXPECT_EQ(text.size(), 245);
    EXPECT_TRUE(text.startsWith(u"I can't provide real-time updates,"));
    // openai field order (id, content, role, status, type), not the wire's.
    EXPECT_EQ(r.output[0].dump().toStdString(),
              "{\"id\": \"msg_689a0b2637b08193ac478e568f49e3f900b2e36c65a1fd4b\", \"content\": [{\"annotations\": [], "
              "\"text\": \""
                  + text.toStdString()
                  + "\", \"type\": \"output_text\", \"logprobs\": []}], "
                    "\"role\": \"assistant\", \"status\": \"completed\", \"type\": \"message\"}");
    EXPECT_EQ(r.responseId, u"resp_689a0b2545288193953c892439b42e2800b2e36c65a1fd4b");
    EXPECT_EQ(r.finishReason, u"stop");
    expectUsage(r, {14, 50, 64, 0, 0, true});
    EXPECT_EQ(server.requests().front().path, "/v1/responses");
}

TEST_F(FixtureReplay, ResponsesFunctionCallExactItem)
{
    auto out = ok(QStringLiteral("responses/responses_function_call.json"), WireProtocol::Responses);
    ASSERT_TRUE(out.result);
    ASSERT_EQ(out.result->output.size(), 1);
    EXPECT_EQ(out.result->output[0].dump().toStdString(),
              R"({"arguments": "{\"location\":\"Boston, MA\",\"unit\":\"celsius\"}", )"
              R"("call_id": "call_unLAR8MvFNptuiZK6K6HCy5k", "name": "get_current_weather", "type": "function_call", )"
              R"("id": "fc_67ca09c6bedc8190a7abfec07b1a1332096610f474011cc0", "status": "completed"})");
    EXPECT_TRUE(messageText(*out.result).isEmpty());
    EXPECT_EQ(out.result->finishReason, u"tool_calls");
    expectUsage(*out.result, {291, 23, 314, 0, 0, false});
}

TEST_F(FixtureReplay, ResponsesReasoning)
{
    auto out = ok(QStringLiteral("responses/responses_reasoning.json"), WireProtocol::Responses);
    ASSERT_TRUE(out.result);
    EXPECT_EQ(types(*out.result), QStringList{QStringLiteral("message")});
    EXPECT_TRUE(messageText(*out.result).startsWith(u"The classic tongue twister"));
    expectUsage(*out.result, {81, 1035, 1116, 0, 832, true});
}

TEST_F(FixtureReplay, ResponsesMessageAndFunctionCall)
{
    auto out =
        ok(QStringLiteral("responses/responses_message_and_function_call.DERIVED.json"), WireProtocol::Responses);
    ASSERT_TRUE(out.result);
    EXPECT_EQ(types(*out.result),
              (QStringList{QStringLiteral("reasoning"), QStringLiteral("message"), QStringLiteral("function_call")}));
    EXPECT_EQ(messageText(*out.result), u"Let me check the current weather in Boston.");
    const auto c = calls(*out.result);
    EXPECT_EQ((*c[0])[u"call_id"].toString(), u"call_unLAR8MvFNptuiZK6K6HCy5k");
    EXPECT_EQ((*c[0])[u"id"].toString(), u"fc_67ca09c6bedc8190a7abfec07b1a1332096610f474011cc0");
    expectUsage(*out.result, {2291, 87, 2378, 2048, 64, true});
}

TEST_F(FixtureReplay, ResponsesStreamFunctionCalls)
{
    for (qsizetype chunk : {0, 7}) {
        SCOPED_TRACE(chunk);
        auto out = ok(QStringLiteral("responses/responses_stream_function_calls.sse"), WireProtocol::Responses, chunk);
        ASSERT_TRUE(out.result);
        const auto c = calls(*out.result);
        ASSERT_EQ(c.size(), 2);
        EXPECT_EQ((*c[0])[u"name"].toString(), u"search");
        EXPECT_EQ((*c[0])[u"call_id"].toString(), u"call_GXd80NWdsX8ng3xdeNLeA42o");
        EXPECT_EQ((*c[0])[u"arguments"].toString(), uR"({"query":"Detroit Tigers game time October 6, 2023"})");
        EXPECT_EQ((*c[1])[u"name"].toString(), u"weather");
        EXPECT_EQ((*c[1])[u"call_id"].toString(), u"call_qfdHN9tTntv02109c9RNnGGe");
        EXPECT_EQ((*c[1])[u"arguments"].toString(), uR"({"city":"Detroit"})");
        // Deltas are keyed by item_id on the wire and reported by call_id.
        EXPECT_EQ(out.rec->arguments.value(QStringLiteral("call_GXd80NWdsX8ng3xdeNLeA42o")),
                  (*c[0])[u"arguments"].toString());
        EXPECT_EQ(out.rec->argumentDeltas.value(QStringLiteral("call_GXd80NWdsX8ng3xdeNLeA42o")), 15);
        EXPECT_EQ(out.rec->argumentDeltas.value(QStringLiteral("call_qfdHN9tTntv02109c9RNnGGe")), 5);
        EXPECT_EQ(out.rec->started.size(), 2);
        EXPECT_EQ(out.result->finishReason, u"tool_calls");
        expectUsage(*out.result, {92, 52, 144, 0, 0, true});
    }
}

TEST_F(FixtureReplay, ResponsesStreamReasoningFunctionCall)
{
    for (qsizetype chunk : {0, 7}) {
        SCOPED_TRACE(chunk);
        auto out = ok(QStringLiteral("responses/responses_stream_reasoning_function_call.sse"), WireProtocol::Responses,
                      chunk);
        ASSERT_TRUE(out.result);
        ASSERT_EQ(types(*out.result), (QStringList{QStringLiteral("reasoning"), QStringLiteral("function_call")}));
        EXPECT_EQ(out.result->output[0][u"summary"].dump(), "[]");
        const auto c = calls(*out.result);
        EXPECT_EQ((*c[0])[u"name"].toString(), u"search");
        EXPECT_EQ((*c[0])[u"call_id"].toString(), u"call_GLsIMps0vfGJeDhu3zAjy3wd");
        EXPECT_EQ((*c[0])[u"arguments"].toString(), uR"({"query": "Detroit Tigers game today start time"})");
        EXPECT_EQ(out.rec->argumentDeltas.value(QStringLiteral("call_GLsIMps0vfGJeDhu3zAjy3wd")), 11);
        expectUsage(*out.result, {78, 532, 610, 0, 512, true});
    }
}

TEST_F(FixtureReplay, ResponsesStreamTextReasoning)
{
    for (qsizetype chunk : {0, 7}) {
        SCOPED_TRACE(chunk);
        auto out = ok(QStringLiteral("responses/responses_stream_text_reasoning.sse"), WireProtocol::Responses, chunk);
        ASSERT_TRUE(out.result);
        ASSERT_EQ(types(*out.result), (QStringList{QStringLiteral("reasoning"), QStringLiteral("message")}));
        const QString text = messageText(*out.result);
        EXPECT_EQ(text.size(), 256);
        EXPECT_TRUE(text.startsWith(QStringLiteral("I\u2019m an AI assistant")));
        EXPECT_EQ(out.rec->text, text);
        EXPECT_EQ(out.rec->textDeltas, 57);
        EXPECT_EQ(out.result->finishReason, u"stop");
        expectUsage(*out.result, {10, 127, 137, 0, 64, true});
    }
}

// ---- errors/ ------------------------------------------------------------------------------------

void expectNoKey(const Error& e)
{
    EXPECT_FALSE(e.message.contains(test::kTestKey)) << e.message.toStdString();
}

TEST_F(FixtureReplay, Error401IsAuthAndNotRetried)
{
    auto out = replay(QStringLiteral("errors/401_invalid_api_key.json"), WireProtocol::ChatCompletions);
    ASSERT_FALSE(out.result);
    const Error& e = out.result.error();
    EXPECT_EQ(e.code, Error::Code::Auth);
    EXPECT_EQ(e.httpStatus, 401);
    EXPECT_EQ(e.requestId, u"req_0c7e1c5b2f3a4d6e8f9a0b1c2d3e4f50");
    EXPECT_TRUE(e.message.startsWith(u"Incorrect API key provided")) << e.message.toStdString();
    expectNoKey(e);
    EXPECT_EQ(server.requestCount(), 1);
    EXPECT_TRUE(out.rec->retries.isEmpty());
    EXPECT_EQ(out.rec->finishedCount, 1);
}

TEST_F(FixtureReplay, Error429RateLimitMapsWhenRetriesRunOut)
{
    auto out = replay(QStringLiteral("errors/429_rate_limit_exceeded.json"), WireProtocol::Responses, 0, 1);
    ASSERT_FALSE(out.result);
    const Error& e = out.result.error();
    EXPECT_EQ(e.code, Error::Code::RateLimited);
    EXPECT_EQ(e.httpStatus, 429);
    ASSERT_TRUE(e.retryAfter.has_value());
    EXPECT_EQ(e.retryAfter->count(), 84); // retry-after-ms: 84 beats retry-after: 1
    EXPECT_EQ(e.requestId, u"req_5a1f2e3d4c5b6a798877665544332211");
    EXPECT_TRUE(e.message.startsWith(u"Rate limit reached for gpt-4o-mini"));
}

TEST_F(FixtureReplay, Error429InsufficientQuotaNeverRetries)
{
    auto out = replay(QStringLiteral("errors/429_insufficient_quota.json"), WireProtocol::ChatCompletions);
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::QuotaExceeded);
    EXPECT_EQ(out.result.error().httpStatus, 429);
    EXPECT_EQ(server.requestCount(), 1);
    EXPECT_TRUE(out.rec->retries.isEmpty());
}

TEST_F(FixtureReplay, Error400ContextTooLong)
{
    auto out = replay(QStringLiteral("errors/400_context_length_exceeded.json"), WireProtocol::ChatCompletions);
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::ContextTooLong);
    EXPECT_EQ(out.result.error().httpStatus, 400);
    EXPECT_EQ(server.requestCount(), 1);
}

TEST_F(FixtureReplay, Error500RetriedUpToTheLimit)
{
    auto out = replay(QStringLiteral("errors/500_server_error.json"), WireProtocol::Responses, 0, 3);
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Server);
    EXPECT_EQ(out.result.error().httpStatus, 500);
    EXPECT_EQ(out.result.error().requestId, u"req_7f6e5d4c3b2a19080706050403020100");
    EXPECT_EQ(server.requestCount(), 3);
    ASSERT_EQ(out.rec->retries.size(), 2);
    // Exponential backoff without jitter: 10 ms, then 20 ms.
    EXPECT_EQ(std::get<0>(out.rec->retries[0]), 1);
    EXPECT_EQ(std::get<1>(out.rec->retries[0]), 10);
    EXPECT_EQ(std::get<1>(out.rec->retries[1]), 20);
    EXPECT_EQ(out.rec->finishedCount, 1);
}

TEST_F(FixtureReplay, StreamErrorChatAfterText)
{
    for (qsizetype chunk : {0, 1}) {
        SCOPED_TRACE(chunk);
        const int before = server.requestCount();
        auto out = replay(QStringLiteral("errors/stream_error_chat.sse"), WireProtocol::ChatCompletions, chunk);
        ASSERT_FALSE(out.result);
        EXPECT_EQ(out.result.error().code, Error::Code::Server);
        EXPECT_EQ(out.result.error().message,
                  u"The server had an error while processing your request. Sorry about that!");
        EXPECT_EQ(out.rec->text, u"I'm unable");
        EXPECT_EQ(server.requestCount(), before + 1); // bytes were delivered: no retry
    }
}

TEST_F(FixtureReplay, StreamErrorResponses)
{
    auto out = replay(QStringLiteral("errors/stream_error_responses.sse"), WireProtocol::Responses, 7);
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Server);
    EXPECT_EQ(out.result.error().message, u"The server had an error while processing your request. Sorry about that!");
    EXPECT_TRUE(out.rec->text.isEmpty());
    EXPECT_EQ(server.requestCount(), 1);
}

TEST_F(FixtureReplay, StreamResponseFailed)
{
    auto out = replay(QStringLiteral("errors/stream_response_failed.sse"), WireProtocol::Responses);
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Server);
    EXPECT_EQ(out.result.error().message, u"The model failed to generate a response.");
}

} // namespace
} // namespace tb::net
