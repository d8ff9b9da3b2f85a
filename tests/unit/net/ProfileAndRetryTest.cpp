// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Endpoint profiles as data, the retry rules of tests/data/openai/README.md, error mapping and
// the small HTTP parser of the demo server.

#include "TestData.h"
#include "net/EndpointProfiles.h"
#include "net/HttpRequestParser.h"
#include "net/OpenAiErrors.h"
#include "net/RetryPolicy.h"

#include <QFile>
#include <QTimeZone>

#include <gtest/gtest.h>

namespace tb::net {
namespace {

using core::Error;
using ms = std::chrono::milliseconds;

TEST(EndpointProfiles, Builtins)
{
    const QList<EndpointProfile> list = EndpointProfiles::builtins();
    QStringList names;
    for (const auto& p : list)
        names.append(p.name);
    EXPECT_EQ(names, (QStringList{QStringLiteral("openai"), QStringLiteral("ollama"), QStringLiteral("llamacpp"),
                                  QStringLiteral("vllm"), QStringLiteral("lmstudio"), QStringLiteral("custom")}));
    const auto openai = *EndpointProfiles::builtin(u"openai");
    EXPECT_EQ(openai.baseUrl.toString(), u"https://api.openai.com/v1");
    EXPECT_EQ(openai.protocol, WireProtocol::Responses);
    EXPECT_EQ(openai.apiKeyEnv, u"OPENAI_API_KEY");
    EXPECT_TRUE(openai.apiKeyRequired);
    const auto ollama = *EndpointProfiles::builtin(u"ollama");
    EXPECT_EQ(ollama.baseUrl.toString(), u"http://127.0.0.1:11434/v1");
    EXPECT_EQ(ollama.protocol, WireProtocol::ChatCompletions);
    EXPECT_FALSE(ollama.toolCallsStreamedAsDeltas);
    EXPECT_EQ(EndpointProfiles::builtin(u"llamacpp")->baseUrl.port(), 8080);
    EXPECT_EQ(EndpointProfiles::builtin(u"vllm")->baseUrl.port(), 8000);
    const auto lmstudio = *EndpointProfiles::builtin(u"lmstudio");
    EXPECT_EQ(lmstudio.baseUrl.port(), 1234);
    EXPECT_FALSE(lmstudio.usageInStream);
    for (const auto& p : list)
        EXPECT_TRUE(p.validate().has_value()) << p.name.toStdString();
    EXPECT_FALSE(EndpointProfiles::builtin(u"nope").has_value());
}

TEST(EndpointProfiles, JsonRoundTripHoldsNoSecret)
{
    EndpointProfile p = *EndpointProfiles::builtin(u"openai");
    p.extraHeaders = {{QStringLiteral("OpenAI-Organization"), QStringLiteral("org-1")}};
    p.idleTimeoutMs = 1234;
    const core::Json json = p.toJson();
    const auto back = EndpointProfile::fromJson(json);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, p);
    const QByteArray text = json.dump();
    EXPECT_TRUE(
        text.startsWith(R"({"name": "openai", "display_name": "OpenAI", "base_url": "https://api.openai.com/v1", )"
                        R"("protocol": "responses")"));
    EXPECT_TRUE(text.contains(R"("api_key_env": "OPENAI_API_KEY", "api_key_in_keychain": true)"));
    EXPECT_FALSE(text.contains("sk-"));
    EXPECT_FALSE(EndpointProfile::fromJson(*core::Json::parse(R"({"protocol": "carrier-pigeon"})")).has_value());
}

TEST(EndpointProfiles, LoopbackHosts)
{
    EXPECT_TRUE(isLoopbackHost(QStringLiteral("127.0.0.1")));
    EXPECT_TRUE(isLoopbackHost(QStringLiteral("127.1.2.3")));
    EXPECT_TRUE(isLoopbackHost(QStringLiteral("::1")));
    EXPECT_TRUE(isLoopbackHost(QStringLiteral("LOCALHOST")));
    EXPECT_FALSE(isLoopbackHost(QStringLiteral("192.168.1.10")));
    EXPECT_FALSE(isLoopbackHost(QStringLiteral("localhost.example.com")));
}

TEST(RetryPolicy, ServerDelayHeaders)
{
    EXPECT_EQ(RetryPolicy::serverDelay("84", "1"), ms(84));
    EXPECT_EQ(RetryPolicy::serverDelay("", "1.5"), ms(1500));
    EXPECT_EQ(RetryPolicy::serverDelay("", ""), std::nullopt);
    EXPECT_EQ(RetryPolicy::serverDelay("soon", "later"), std::nullopt);
    const QDateTime now = QDateTime(QDate(2015, 10, 21), QTime(7, 27, 50), QTimeZone::utc());
    EXPECT_EQ(RetryPolicy::serverDelay("", "Wed, 21 Oct 2015 07:28:00 GMT", now), ms(10000));
}

TEST(RetryPolicy, WhatRetries)
{
    const RetryPolicy p;
    EXPECT_TRUE(p.isRetryableStatus(429, QStringLiteral("rate_limit_exceeded"), {}));
    EXPECT_FALSE(p.isRetryableStatus(429, QStringLiteral("insufficient_quota"), {}));
    EXPECT_FALSE(p.isRetryableStatus(429, QStringLiteral("insufficient_quota"), "true"));
    EXPECT_TRUE(p.isRetryableStatus(500, {}, {}));
    EXPECT_TRUE(p.isRetryableStatus(503, {}, {}));
    EXPECT_TRUE(p.isRetryableStatus(408, {}, {}));
    EXPECT_TRUE(p.isRetryableStatus(409, {}, {}));
    EXPECT_FALSE(p.isRetryableStatus(400, {}, {}));
    EXPECT_FALSE(p.isRetryableStatus(401, {}, {}));
    EXPECT_FALSE(p.isRetryableStatus(404, {}, {}));
    EXPECT_FALSE(p.isRetryableStatus(500, {}, "false"));
    EXPECT_TRUE(p.isRetryableStatus(400, {}, "true"));
}

TEST(RetryPolicy, Backoff)
{
    const RetryPolicy p;
    EXPECT_EQ(p.delayFor(1, std::nullopt, 0.0), ms(500));
    EXPECT_EQ(p.delayFor(2, std::nullopt, 0.0), ms(1000));
    EXPECT_EQ(p.delayFor(3, std::nullopt, 0.0), ms(2000));
    EXPECT_EQ(p.delayFor(10, std::nullopt, 0.0), ms(8000));
    EXPECT_EQ(p.delayFor(1, std::nullopt, 1.0), ms(375)); // up to 25 % shorter
    EXPECT_EQ(p.delayFor(1, ms(84), 0.5), ms(84));
    EXPECT_EQ(p.delayFor(1, ms(0), 0.0), ms(500)); // 0 is not a delay
    EXPECT_EQ(p.delayFor(1, ms(200000), 0.0), ms(500));
    EXPECT_TRUE(p.serverDelayAcceptable(ms(120000)));
    EXPECT_FALSE(p.serverDelayAcceptable(ms(120001)));
}

TEST(OpenAiErrors, ClassifyFixtureBodies)
{
    auto body = [](const char* name) {
        QFile f(test::testDataDir() + QStringLiteral("/openai/errors/") + QString::fromLatin1(name));
        EXPECT_TRUE(f.open(QIODevice::ReadOnly));
        return f.readAll();
    };
    EXPECT_EQ(OpenAiErrors::fromHttp(401, body("401_invalid_api_key.json"), {}, {}).code, Error::Code::Auth);
    EXPECT_EQ(OpenAiErrors::fromHttp(429, body("429_rate_limit_exceeded.json"), {}, {}).code, Error::Code::RateLimited);
    EXPECT_EQ(OpenAiErrors::fromHttp(429, body("429_insufficient_quota.json"), {}, {}).code,
              Error::Code::QuotaExceeded);
    EXPECT_EQ(OpenAiErrors::fromHttp(400, body("400_context_length_exceeded.json"), {}, {}).code,
              Error::Code::ContextTooLong);
    EXPECT_EQ(OpenAiErrors::fromHttp(500, body("500_server_error.json"), {}, {}).code, Error::Code::Server);
    EXPECT_EQ(OpenAiErrors::errorCode(body("429_insufficient_quota.json")), u"insufficient_quota");
    // Local servers: non-standard bodies map by status.
    const Error notFound = OpenAiErrors::fromHttp(404, R"({"error": "model 'x' not found"})", {}, {});
    EXPECT_EQ(notFound.code, Error::Code::Http);
    EXPECT_EQ(notFound.message, u"model 'x' not found");
    EXPECT_EQ(OpenAiErrors::fromHttp(502, "", {}, {}).message, u"Bad gateway (HTTP 502)");
    EXPECT_EQ(OpenAiErrors::redact(QStringLiteral("key sk-abcdefgh1 leaked"), QStringLiteral("sk-abcdefgh1")),
              u"key [redacted] leaked");
}

TEST(HttpRequestParser, SplitAndPipelinedRequests)
{
    const QByteArray two = "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                           "GET /v1/models?a=1 HTTP/1.1\r\nHost: x\r\n\r\n";
    HttpRequestParser parser;
    for (char c : two)
        parser.feed(QByteArrayView(&c, 1));
    ASSERT_TRUE(parser.hasRequest());
    const HttpRequest a = parser.take();
    EXPECT_EQ(a.method, "POST");
    EXPECT_EQ(a.path(), "/v1/responses");
    EXPECT_EQ(a.header("host"), "x");
    EXPECT_EQ(a.body, "hello");
    const HttpRequest b = parser.take();
    EXPECT_EQ(b.method, "GET");
    EXPECT_EQ(b.path(), "/v1/models");
    EXPECT_FALSE(parser.hasRequest());

    HttpRequestParser bad;
    bad.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    EXPECT_TRUE(bad.hasError());
    EXPECT_EQ(bad.errorStatus(), 411);
    HttpRequestParser garbage;
    garbage.feed("hello\r\n\r\n");
    EXPECT_EQ(garbage.errorStatus(), 400);
}

} // namespace
} // namespace tb::net
