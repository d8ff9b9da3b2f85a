// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Protocol codecs without sockets: shapes the fixtures lack (local servers' reasoning fields,
// Ollama's whole tool calls, content filter, response.incomplete) built the way the SDK's
// chatcmpl_stream_handler.py / chatcmpl_converter.py build them.

#include "net/ChatCompletionsCodec.h"
#include "net/ResponsesCodec.h"

#include <gtest/gtest.h>

namespace tb::net {
namespace {

using core::Error;

struct Recorder final : StreamListener
{
    QString text, reasoning;
    QStringList started;
    QString args;
    void onTextDelta(const QString&, const QString& d) override { text += d; }
    void onRefusalDelta(const QString&, const QString&) override {}
    void onReasoningDelta(const QString&, const QString& d) override { reasoning += d; }
    void onToolCallStarted(const QString& id, const QString& name) override { started.append(id + u':' + name); }
    void onToolCallArgumentsDelta(const QString&, const QString& d) override { args += d; }
};

SseEvent data(const char* json)
{
    SseEvent e;
    e.data = json;
    return e;
}

std::string dumpAll(const core::ModelReply& r)
{
    std::string out;
    for (const auto& item : r.output)
        out += item.dump().toStdString() + "\n";
    return out;
}

TEST(ChatCodec, ReasoningContentStreamsAsSummary)
{
    ChatCompletionsCodec codec;
    Recorder rec;
    codec.setListener(&rec);
    codec.setRequestedModel(QStringLiteral("qwen3"));
    for (const char* e :
         {R"({"id":"c1","model":"qwen3-8b","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})",
          R"({"id":"c1","choices":[{"index":0,"delta":{"reasoning_content":"Think "}}]})",
          R"({"id":"c1","choices":[{"index":0,"delta":{"reasoning_content":"hard."}}]})",
          R"({"id":"c1","choices":[{"index":0,"delta":{"content":"Hi"}}]})",
          R"({"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})", "[DONE]"})
        ASSERT_FALSE(codec.handleEvent(data(e)).has_value());
    ASSERT_TRUE(codec.isComplete());
    const auto reply = codec.finishStream();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(rec.reasoning, u"Think hard.");
    EXPECT_EQ(rec.text, u"Hi");
    EXPECT_FALSE(reply->usageKnown);
    EXPECT_EQ(
        dumpAll(*reply),
        R"({"id": "__fake_id__", "summary": [{"text": "Think hard.", "type": "summary_text"}], "type": "reasoning", )"
        R"("provider_data": {"model": "qwen3", "response_id": "c1"}})"
        "\n"
        R"({"id": "__fake_id__", "content": [{"annotations": [], "text": "Hi", "type": "output_text", "logprobs": []}], )"
        R"("role": "assistant", "status": "completed", "type": "message", "provider_data": {"model": "qwen3", "response_id": "c1"}})"
        "\n");
}

TEST(ChatCodec, OllamaReasoningAndWholeToolCall)
{
    ChatCompletionsCodec codec;
    Recorder rec;
    codec.setListener(&rec);
    codec.setRequestedModel(QStringLiteral("llama3.2"));
    for (
        const char* e :
        {R"({"id":"o1","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Need the tool."}}]})",
         R"({"id":"o1","choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_x","index":0,"type":"function","function":{"name":"check_order_status","arguments":"{\"order_id\":\"ORD-1\"}"}}]}}]})",
         R"({"id":"o1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"tool_calls"}]})",
         R"({"id":"o1","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}})", "[DONE]"})
        ASSERT_FALSE(codec.handleEvent(data(e)).has_value());
    const auto reply = codec.finishStream();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(rec.started, QStringList{QStringLiteral("call_x:check_order_status")});
    EXPECT_EQ(rec.args, uR"({"order_id":"ORD-1"})"); // a whole call still reaches listeners as one delta
    EXPECT_EQ(
        dumpAll(*reply),
        R"({"id": "__fake_id__", "summary": [], "type": "reasoning", "content": [{"text": "Need the tool.", )"
        R"("type": "reasoning_text"}], "provider_data": {"model": "llama3.2", "response_id": "o1", )"
        R"("_chat_completions_reasoning_field": "reasoning"}})"
        "\n"
        R"({"arguments": "{\"order_id\":\"ORD-1\"}", "call_id": "call_x", "name": "check_order_status", )"
        R"("type": "function_call", "id": "__fake_id__", "provider_data": {"model": "llama3.2", "response_id": "o1"}})"
        "\n");
    EXPECT_TRUE(reply->usageKnown);
    EXPECT_FALSE(reply->cachedTokensKnown);
    EXPECT_EQ(reply->usage.totalTokens, 15);
}

TEST(ChatCodec, ContentFilterBecomesRefusalAndEmptyLengthIsAnError)
{
    ChatCompletionsCodec filtered;
    ASSERT_FALSE(filtered.handleEvent(
        data(R"({"id":"f","choices":[{"index":0,"delta":{},"finish_reason":"content_filter"}]})")));
    const auto reply = filtered.finishStream();
    ASSERT_TRUE(reply.has_value());
    EXPECT_NE(dumpAll(*reply).find(R"("refusal": "Response withheld by the provider's content filter.")"),
              std::string::npos);

    ChatCompletionsCodec truncated;
    const auto error = truncated.parseBody(
        R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"length"}]})");
    ASSERT_FALSE(error.has_value());
    EXPECT_EQ(error.error().code, Error::Code::Protocol);
}

TEST(ChatCodec, StreamWithoutFinishOrDoneIsIncomplete)
{
    ChatCompletionsCodec codec;
    ASSERT_FALSE(codec.handleEvent(data(R"({"id":"c","choices":[{"index":0,"delta":{"content":"Hel"}}]})")));
    const auto reply = codec.finishStream();
    ASSERT_FALSE(reply.has_value());
    EXPECT_EQ(reply.error().code, Error::Code::Protocol);
    ChatCompletionsCodec garbage;
    EXPECT_EQ(garbage.handleEvent(data("{not json")).value().code, Error::Code::Protocol);
}

TEST(ChatCodec, NonStreamingReasoningAndAnnotations)
{
    ChatCompletionsCodec codec;
    codec.setRequestedModel(QStringLiteral("m"));
    const auto reply = codec.parseBody(
        R"({"id":"r","model":"m-1","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",)"
        R"("content":"See x.","reasoning_content":"because","annotations":[{"type":"url_citation","url_citation":)"
        R"({"url":"https://x","title":"X","start_index":4,"end_index":5}}]}}]})");
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(
        dumpAll(*reply),
        R"({"id": "__fake_id__", "summary": [{"text": "because", "type": "summary_text"}], "type": "reasoning", )"
        R"("provider_data": {"model": "m", "response_id": "r"}})"
        "\n"
        R"({"id": "__fake_id__", "content": [{"annotations": [{"end_index": 5, "start_index": 4, "title": "X", )"
        R"("type": "url_citation", "url": "https://x"}], "text": "See x.", "type": "output_text", "logprobs": []}], )"
        R"("role": "assistant", "status": "completed", "type": "message", "provider_data": {"model": "m", "response_id": "r"}})"
        "\n");
    ChatCompletionsCodec empty;
    EXPECT_EQ(empty.parseBody(R"({"id":"x","choices":[]})").error().code, Error::Code::Protocol);
}

TEST(ResponsesCodec, IncompleteAndEmptyCompletedOutput)
{
    ResponsesCodec codec;
    Recorder rec;
    codec.setListener(&rec);
    for (
        const char* e :
        {R"({"type":"response.output_item.added","output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","content":[],"role":"assistant"}})",
         R"({"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Part"})",
         R"({"type":"response.some_future_event","x":1})",
         R"({"type":"response.output_item.done","output_index":0,"item":{"id":"msg_1","type":"message","status":"incomplete","content":[{"type":"output_text","annotations":[],"text":"Part"}],"role":"assistant"}})",
         R"({"type":"response.incomplete","response":{"id":"resp_1","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[],"usage":null}})"})
        ASSERT_FALSE(codec.handleEvent(data(e)).has_value());
    ASSERT_TRUE(codec.isComplete());
    const auto reply = codec.finishStream();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->finishReason, u"length");
    EXPECT_FALSE(reply->usageKnown);
    EXPECT_EQ(dumpAll(*reply),
              R"({"id": "msg_1", "content": [{"annotations": [], "text": "Part", "type": "output_text"}], )"
              R"("role": "assistant", "status": "incomplete", "type": "message"})"
              "\n");
    EXPECT_EQ(rec.text, u"Part");
}

TEST(ResponsesCodec, ReasoningSummaryDeltasAndErrorShapes)
{
    ResponsesCodec codec;
    Recorder rec;
    codec.setListener(&rec);
    ASSERT_FALSE(
        codec.handleEvent(data(R"({"type":"response.reasoning_summary_text.delta","item_id":"rs","delta":"Hmm"})")));
    EXPECT_EQ(rec.reasoning, u"Hmm");
    ResponsesCodec nested;
    const auto e =
        nested.handleEvent(data(R"({"type":"error","error":{"code":"rate_limit_exceeded","message":"slow"}})"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code, Error::Code::RateLimited);
    ResponsesCodec cut;
    EXPECT_EQ(cut.finishStream().error().code, Error::Code::Protocol);
}

} // namespace
} // namespace tb::net
