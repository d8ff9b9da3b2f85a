// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Transport behaviour of OpenAiClient against FakeModelServer: retries and retry-after, slow and
// broken streams, idle and total timeouts, cancel at every stage, refused URLs and API key hygiene.

#include "FakeModelServer.h"
#include "NetTestSupport.h"

#include <QElapsedTimer>

#include <gtest/gtest.h>

namespace tb::net {
namespace {

using core::Error;
using test::FakeModelServer;
using test::FakeResponse;
using namespace std::chrono_literals;

class ClientTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(server.listen()); }

    EndpointProfile chat() const { return test::testProfile(server.baseUrl(), WireProtocol::ChatCompletions); }
    EndpointProfile responses() const { return test::testProfile(server.baseUrl(), WireProtocol::Responses); }

    FakeModelServer server;
};

TEST_F(ClientTest, RetryAfterMsHonouredThenSuccess)
{
    server.enqueue(FakeResponse::fixture(QStringLiteral("errors/429_rate_limit_exceeded.json")));
    server.setDefaultResponse(FakeResponse::fixture(QStringLiteral("chat/chat_stream_text.sse")));
    QElapsedTimer clock;
    clock.start();
    auto out = test::runClient(chat(), test::simpleRequest(true));
    ASSERT_TRUE(out.result) << out.result.error().message.toStdString();
    EXPECT_GE(clock.elapsed(), 84);
    EXPECT_EQ(server.requestCount(), 2);
    ASSERT_EQ(out.rec->retries.size(), 1);
    EXPECT_EQ(std::get<0>(out.rec->retries[0]), 1);
    EXPECT_EQ(std::get<1>(out.rec->retries[0]), 84); // the server's delay, not the 10 ms backoff
    EXPECT_TRUE(std::get<2>(out.rec->retries[0]).startsWith(u"Rate limit reached"));
    EXPECT_EQ(out.rec->finishedCount, 1);
    // Retried requests are identical.
    EXPECT_EQ(server.requests()[0].body, server.requests()[1].body);
}

TEST_F(ClientTest, ShouldRetryHeaderAndTooLongRetryAfter)
{
    server.setDefaultResponse(FakeResponse::json(503, R"({"error": {"message": "busy", "type": "server_error"}})",
                                                 {{"x-should-retry", "false"}}));
    auto out = test::runClient(chat(), test::simpleRequest(false));
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Server);
    EXPECT_EQ(server.requestCount(), 1);

    // A server delay over 120 s is not waited for: the error says when to come back instead.
    FakeModelServer slow;
    ASSERT_TRUE(slow.listen());
    slow.setDefaultResponse(FakeResponse::json(429, R"({"error": {"message": "slow down", "type": "requests"}})",
                                               {{"retry-after", "3600"}}));
    auto late =
        test::runClient(test::testProfile(slow.baseUrl(), WireProtocol::ChatCompletions), test::simpleRequest(false));
    ASSERT_FALSE(late.result);
    EXPECT_EQ(late.result.error().code, Error::Code::RateLimited);
    EXPECT_EQ(late.result.error().retryAfter, std::chrono::milliseconds(3600000));
    EXPECT_EQ(slow.requestCount(), 1);
}

TEST_F(ClientTest, SlowChunksStillDecode)
{
    FakeResponse slow = FakeResponse::fixture(QStringLiteral("responses/responses_stream_function_calls.sse"));
    slow.chunkSize = 512;
    slow.chunkDelay = 15ms;
    server.setDefaultResponse(slow);
    auto out = test::runClient(responses(), test::simpleRequest(true));
    ASSERT_TRUE(out.result) << out.result.error().message.toStdString();
    EXPECT_EQ(out.result->output.size(), 2);
    ASSERT_TRUE(out.result->timeToFirstTokenMs.has_value());
    EXPECT_LT(*out.result->timeToFirstTokenMs, out.result->latencyMs);
    EXPECT_GE(out.result->latencyMs, 15 * (10305 / 512) - 20);
}

TEST_F(ClientTest, DroppedConnectionMidStreamIsNetworkErrorWithoutRetry)
{
    FakeResponse broken = FakeResponse::fixture(QStringLiteral("chat/chat_stream_text.sse"));
    broken.chunkSize = 300;
    broken.dropAfterBytes = 3000; // several text deltas delivered, then the server hangs up
    server.setDefaultResponse(broken);
    auto out = test::runClient(chat(), test::simpleRequest(true));
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Network) << out.result.error().message.toStdString();
    EXPECT_FALSE(out.rec->text.isEmpty());
    EXPECT_EQ(server.requestCount(), 1);
    EXPECT_TRUE(out.rec->retries.isEmpty());
    EXPECT_EQ(out.rec->finishedCount, 1);
}

TEST_F(ClientTest, StreamCutWithoutContentLengthIsProtocolError)
{
    FakeResponse broken = FakeResponse::fixture(QStringLiteral("responses/responses_stream_function_calls.sse"));
    broken.contentLength = false; // the body ends at close, so only the missing terminal event tells
    broken.dropAfterBytes = 4000;
    server.setDefaultResponse(broken);
    auto out = test::runClient(responses(), test::simpleRequest(true));
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Protocol);
    EXPECT_EQ(server.requestCount(), 1);
}

TEST_F(ClientTest, DropBeforeAnythingDeliveredIsRetried)
{
    FakeResponse broken = FakeResponse::fixture(QStringLiteral("chat/chat_stream_text.sse"));
    broken.dropAfterBytes = 40; // inside the first event: nothing reached the caller
    server.enqueue(broken);
    server.setDefaultResponse(FakeResponse::fixture(QStringLiteral("chat/chat_stream_text.sse")));
    auto out = test::runClient(chat(), test::simpleRequest(true));
    ASSERT_TRUE(out.result) << out.result.error().message.toStdString();
    EXPECT_EQ(server.requestCount(), 2);
    EXPECT_EQ(out.rec->retries.size(), 1);
    EXPECT_EQ(out.rec->text.size(), 159); // no duplicated text from the broken attempt
}

TEST_F(ClientTest, IdleTimeoutWaitingForHeaders)
{
    FakeResponse late = FakeResponse::fixture(QStringLiteral("chat/chat_completion.json"));
    late.headDelay = 3000ms;
    server.setDefaultResponse(late);
    EndpointProfile p = chat();
    p.idleTimeoutMs = 300;
    auto out = test::runClient(p, test::simpleRequest(false));
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Timeout);
    EXPECT_LT(out.rec->elapsedMs, 2000);
    EXPECT_EQ(server.requestCount(), 1); // timeouts are not retried
}

TEST_F(ClientTest, IdleTimeoutMidStream)
{
    FakeResponse stall = FakeResponse::fixture(QStringLiteral("chat/chat_stream_text.sse"));
    stall.chunkSize = 2000;
    stall.chunkDelay = 2000ms;
    server.setDefaultResponse(stall);
    EndpointProfile p = chat();
    p.idleTimeoutMs = 400;
    auto out = test::runClient(p, test::simpleRequest(true));
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Timeout) << out.result.error().message.toStdString();
    EXPECT_LT(out.rec->elapsedMs, 1800);
}

TEST_F(ClientTest, TotalTimeout)
{
    FakeResponse trickle = FakeResponse::fixture(QStringLiteral("chat/chat_stream_text.sse"));
    trickle.chunkSize = 20;
    trickle.chunkDelay = 20ms; // always some data, so only the total timeout can end it
    server.setDefaultResponse(trickle);
    EndpointProfile p = chat();
    p.idleTimeoutMs = 1000;
    p.totalTimeoutMs = 300;
    auto out = test::runClient(p, test::simpleRequest(true));
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Timeout);
    EXPECT_LT(out.rec->elapsedMs, 1500);
}

TEST_F(ClientTest, CancelBeforeStart)
{
    auto nam = test::makeNam();
    OpenAiClient client(nam.get(), chat());
    std::unique_ptr<core::ModelCall> call(client.start(test::simpleRequest(true), nullptr));
    auto rec = test::record(call.get());
    call->cancel();
    EXPECT_TRUE(call->isFinished()); // at once, not on a later event-loop turn
    call->cancel();                  // a second cancel is harmless
    QTest::qWait(100);
    EXPECT_EQ(rec->finishedCount, 1);
    ASSERT_FALSE(call->result());
    EXPECT_EQ(call->result().error().code, Error::Code::Cancelled);
    EXPECT_EQ(server.requestCount(), 0);
}

TEST_F(ClientTest, CancelBeforeHeaders)
{
    FakeResponse late = FakeResponse::fixture(QStringLiteral("chat/chat_stream_text.sse"));
    late.headDelay = 500ms;
    server.setDefaultResponse(late);
    auto nam = test::makeNam();
    OpenAiClient client(nam.get(), chat());
    std::unique_ptr<core::ModelCall> call(client.start(test::simpleRequest(true), nullptr));
    auto rec = test::record(call.get());
    QSignalSpy received(&server, &FakeModelServer::requestReceived);
    ASSERT_TRUE(received.wait(3000));
    call->cancel();
    EXPECT_TRUE(call->isFinished());
    QTest::qWait(700); // the server answers into a closed connection; nothing may reach the call
    EXPECT_EQ(rec->finishedCount, 1);
    EXPECT_TRUE(rec->text.isEmpty());
    EXPECT_EQ(call->result().error().code, Error::Code::Cancelled);
}

TEST_F(ClientTest, CancelMidStreamFromADeltaSlot)
{
    FakeResponse slow = FakeResponse::fixture(QStringLiteral("chat/chat_stream_text.sse"));
    slow.chunkSize = 400;
    slow.chunkDelay = 20ms;
    server.setDefaultResponse(slow);
    auto nam = test::makeNam();
    OpenAiClient client(nam.get(), chat());
    std::unique_ptr<core::ModelCall> call(client.start(test::simpleRequest(true), nullptr));
    core::ModelCall* raw = call.get();
    auto rec = test::record(raw, [raw] { raw->cancel(); });
    test::waitFinished(raw, *rec, 5000);
    QTest::qWait(300);
    EXPECT_EQ(rec->finishedCount, 1);
    EXPECT_EQ(rec->textDeltas, 1); // cancelled inside the first delta: no more after it
    EXPECT_FALSE(rec->deltaAfterFinish);
    EXPECT_EQ(raw->result().error().code, Error::Code::Cancelled);
    EXPECT_EQ(server.abortedByClient(), 1);
}

TEST_F(ClientTest, DeletingACallInFlightIsSafe)
{
    FakeResponse slow = FakeResponse::fixture(QStringLiteral("chat/chat_stream_text.sse"));
    slow.chunkSize = 100;
    slow.chunkDelay = 10ms;
    server.setDefaultResponse(slow);
    auto nam = test::makeNam();
    OpenAiClient client(nam.get(), chat());
    auto* call = client.start(test::simpleRequest(true), nullptr);
    QSignalSpy delta(call, &core::ModelCall::textDelta);
    ASSERT_TRUE(delta.wait(3000));
    delete call;
    QTest::qWait(200);
    SUCCEED();
}

TEST_F(ClientTest, PlainHttpToRemoteHostRefused)
{
    EndpointProfile p = test::testProfile(QUrl(QStringLiteral("http://example.com/v1")), WireProtocol::ChatCompletions);
    auto out = test::runClient(p, test::simpleRequest(true));
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Argument);
    EXPECT_TRUE(out.result.error().message.contains(u"plain http"));
    EXPECT_EQ(out.rec->finishedCount, 1);

    p.allowInsecureHttp = true;
    EXPECT_TRUE(p.validate().has_value());
    p.baseUrl = QUrl(QStringLiteral("http://localhost:11434/v1"));
    p.allowInsecureHttp = false;
    EXPECT_TRUE(p.validate().has_value());
    p.baseUrl = QUrl(QStringLiteral("ftp://127.0.0.1/v1"));
    EXPECT_FALSE(p.validate().has_value());
}

TEST_F(ClientTest, MissingRequiredKeyFailsWithoutNetwork)
{
    EndpointProfile p = chat();
    p.apiKeyRequired = true;
    p.apiKeyEnv = QStringLiteral("OPENAI_API_KEY");
    auto out = test::runClient(p, test::simpleRequest(true), test::fastRetries(), QString());
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Auth);
    EXPECT_TRUE(out.result.error().message.contains(u"OPENAI_API_KEY"));
    EXPECT_EQ(server.requestCount(), 0);
}

TEST_F(ClientTest, KeyNeverInErrorTexts)
{
    // A server that echoes the key back (as some proxies and local servers do).
    const QByteArray echo = R"({"error": {"message": "Incorrect API key provided: )" + test::kTestKey.toUtf8()
                            + R"(. You can find your API key at https://platform.openai.com/account/api-keys.", )"
                              R"("type": "invalid_request_error", "param": null, "code": "invalid_api_key"}})";
    server.setDefaultResponse(FakeResponse::json(401, echo));
    auto out = test::runClient(chat(), test::simpleRequest(true));
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Auth);
    EXPECT_FALSE(out.result.error().message.contains(test::kTestKey));
    EXPECT_TRUE(out.result.error().message.contains(u"[redacted]"));
    EXPECT_EQ(server.requests().front().header("authorization"), "Bearer " + test::kTestKey.toUtf8());

    // Plain-text bodies too.
    server.setDefaultResponse(FakeResponse::json(502, "bad gateway for key " + test::kTestKey.toUtf8()));
    auto plain = test::runClient(chat(), test::simpleRequest(false), test::fastRetries(1));
    ASSERT_FALSE(plain.result);
    EXPECT_EQ(plain.result.error().code, Error::Code::Server);
    EXPECT_FALSE(plain.result.error().message.contains(test::kTestKey));
}

TEST_F(ClientTest, NoKeyNoAuthorizationHeaderAndExtraHeaders)
{
    server.setDefaultResponse(FakeResponse::fixture(QStringLiteral("chat/chat_completion.json")));
    EndpointProfile p = chat();
    p.extraHeaders = {{QStringLiteral("X-Team"), QStringLiteral("support")}};
    auto out = test::runClient(p, test::simpleRequest(false), test::fastRetries(), QString());
    ASSERT_TRUE(out.result);
    EXPECT_TRUE(server.requests().front().header("authorization").isEmpty());
    EXPECT_EQ(server.requests().front().header("x-team"), "support");
}

TEST_F(ClientTest, JsonAnswerToAStreamRequestIsAccepted)
{
    // Some servers ignore `stream: true`; the content type tells.
    server.setDefaultResponse(FakeResponse::fixture(QStringLiteral("chat/chat_completion.json")));
    auto out = test::runClient(chat(), test::simpleRequest(true));
    ASSERT_TRUE(out.result) << out.result.error().message.toStdString();
    EXPECT_EQ(out.result->output.size(), 1);
}

TEST_F(ClientTest, ConnectionRefusedIsNetworkErrorAfterRetries)
{
    quint16 port = 0;
    {
        FakeModelServer gone;
        ASSERT_TRUE(gone.listen());
        port = gone.port();
    }
    QUrl url = server.baseUrl();
    url.setPort(port);
    auto out = test::runClient(test::testProfile(url, WireProtocol::ChatCompletions), test::simpleRequest(true));
    ASSERT_FALSE(out.result);
    EXPECT_EQ(out.result.error().code, Error::Code::Network);
    EXPECT_EQ(out.rec->retries.size(), 2);
}

} // namespace
} // namespace tb::net
