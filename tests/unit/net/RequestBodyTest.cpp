// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Request bodies of both protocols as golden strings (key order included), and the SDK's
// items → Chat messages conversion (chatcmpl_converter.py `Converter.items_to_messages`).

#include "NetTestSupport.h"
#include "net/ChatCompletionsCodec.h"
#include "net/EndpointProfiles.h"
#include "net/OpenAiClient.h"
#include "net/ResponseItems.h"

#include <gtest/gtest.h>

namespace tb::net {
namespace {

using core::Json;

Json parse(const char* text)
{
    auto r = Json::parse(text);
    EXPECT_TRUE(r.has_value()) << text;
    return r ? *r : Json();
}

std::string compact(const Json& j)
{
    return j.dump(Json::DumpOptions{.ensureAscii = false, .compact = true, .indent = -1}).toStdString();
}

core::ModelRequest supportRequest()
{
    core::ModelRequest r;
    r.instructions = QStringLiteral("You are a support agent.");
    r.input = {
        parse(R"({"content": "Where is ORD-1?", "role": "user"})"),
        parse(R"({"arguments": "{\"order_id\": \"ORD-1\"}", "call_id": "call_1", "name": "check_order_status",)"
              R"( "type": "function_call", "id": "__fake_id__", "provider_data": {"model": "m", "response_id": "x"},)"
              R"( "_agents_tool_description": "internal"})"),
        parse(R"({"call_id": "call_1", "output": "shipped", "type": "function_call_output"})"),
        parse(R"({"id": "rs_1", "summary": [], "type": "reasoning"})"),
        parse(R"({"id": "msg_1", "content": [{"annotations": [], "text": "It shipped.", "type": "output_text",)"
              R"( "logprobs": []}], "role": "assistant", "status": "completed", "type": "message"})"),
    };
    core::ToolDefinition tool;
    tool.name = QStringLiteral("check_order_status");
    tool.description = QStringLiteral("Look up an order");
    tool.parameters =
        parse(R"({"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]})");
    r.tools = {tool};
    r.settings.model = QStringLiteral("gpt-4o-mini");
    return r;
}

class RequestBody : public ::testing::Test
{
protected:
    std::unique_ptr<QNetworkAccessManager> nam = test::makeNam();
};

TEST_F(RequestBody, ChatGolden)
{
    OpenAiClient client(nam.get(), *EndpointProfiles::builtin(u"vllm"));
    const auto body = client.requestBody(supportRequest());
    ASSERT_TRUE(body.has_value());
    EXPECT_EQ(body->toStdString(),
              R"({"model":"gpt-4o-mini","messages":[{"content":"You are a support agent.","role":"system"},)"
              R"({"role":"user","content":"Where is ORD-1?"},)"
              R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":)"
              R"({"name":"check_order_status","arguments":"{\"order_id\": \"ORD-1\"}"}}]},)"
              R"({"role":"tool","tool_call_id":"call_1","content":"shipped"},)"
              R"({"role":"assistant","content":"It shipped."}],)"
              R"("tools":[{"type":"function","function":{"name":"check_order_status","description":"Look up an order",)"
              R"("parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]},)"
              R"("strict":false}}],"stream":true,"stream_options":{"include_usage":true}})");
}

TEST_F(RequestBody, ResponsesGolden)
{
    OpenAiClient client(nam.get(), *EndpointProfiles::builtin(u"openai"), QStringLiteral("sk-test"));
    const auto body = client.requestBody(supportRequest());
    ASSERT_TRUE(body.has_value());
    // Fake ids, provider_data and SDK-internal keys are not sent (openai_responses.py
    // `_remove_openai_responses_api_incompatible_fields`); tools in `_convert_function_tool` order.
    EXPECT_EQ(
        body->toStdString(),
        R"({"instructions":"You are a support agent.","model":"gpt-4o-mini","input":[)"
        R"({"content":"Where is ORD-1?","role":"user"},)"
        R"({"arguments":"{\"order_id\": \"ORD-1\"}","call_id":"call_1","name":"check_order_status","type":"function_call"},)"
        R"({"call_id":"call_1","output":"shipped","type":"function_call_output"},)"
        R"({"id":"rs_1","summary":[],"type":"reasoning"},)"
        R"({"id":"msg_1","content":[{"annotations":[],"text":"It shipped.","type":"output_text","logprobs":[]}],)"
        R"("role":"assistant","status":"completed","type":"message"}],)"
        R"("tools":[{"name":"check_order_status","parameters":{"type":"object","properties":{"order_id":)"
        R"({"type":"string"}},"required":["order_id"]},"strict":false,"type":"function",)"
        R"("description":"Look up an order"}],"stream":true})");
}

TEST_F(RequestBody, StreamOptionsOnlyWhenStreamingAndSupported)
{
    core::ModelRequest r;
    r.input = {parse(R"({"content": "hi", "role": "user"})")};
    OpenAiClient lmstudio(nam.get(), *EndpointProfiles::builtin(u"lmstudio"));
    EXPECT_EQ(lmstudio.requestBody(r)->toStdString(),
              R"({"model":"","messages":[{"role":"user","content":"hi"}],"stream":true})");
    OpenAiClient ollama(nam.get(), *EndpointProfiles::builtin(u"ollama"));
    r.stream = false;
    r.settings.model = QStringLiteral("llama3.2");
    EXPECT_EQ(ollama.requestBody(r)->toStdString(),
              R"({"model":"llama3.2","messages":[{"role":"user","content":"hi"}]})");
}

TEST_F(RequestBody, SettingsBothProtocols)
{
    core::ModelRequest r = supportRequest();
    r.instructions.clear();
    r.input = {parse(R"({"content": "hi", "role": "user"})")};
    r.settings.temperature = 0.5;
    r.settings.maxOutputTokens = 200;
    r.settings.toolChoice = QStringLiteral("check_order_status");
    r.settings.parallelToolCalls = false;
    r.stream = false;
    OpenAiClient chat(nam.get(), *EndpointProfiles::builtin(u"llamacpp"));
    const std::string c = chat.requestBody(r)->toStdString();
    EXPECT_NE(
        c.find(
            R"("temperature":0.5,"max_tokens":200,"tool_choice":{"type":"function","function":{"name":"check_order_status"}},"parallel_tool_calls":false})"),
        std::string::npos)
        << c;
    OpenAiClient responses(nam.get(), *EndpointProfiles::builtin(u"openai"), QStringLiteral("k"));
    const std::string s = responses.requestBody(r)->toStdString();
    EXPECT_NE(
        s.find(
            R"("temperature":0.5,"max_output_tokens":200,"tool_choice":{"type":"function","name":"check_order_status"},"parallel_tool_calls":false})"),
        std::string::npos)
        << s;
}

TEST(ItemsToMessages, ContentPartsAndToolOutputs)
{
    const auto messages = ChatCompletionsCodec::itemsToMessages({
        parse(R"({"role": "user", "content": [{"type": "input_text", "text": "look"},)"
              R"( {"type": "input_image", "image_url": "https://x/y.png", "detail": "original"}]})"),
        parse(R"({"type": "message", "role": "system", "content": [{"type": "input_text", "text": "be brief"}]})"),
        parse(R"({"role": "developer", "content": "dev note"})"),
        parse(R"({"type": "function_call", "call_id": "c1", "name": "a", "arguments": ""})"),
        parse(R"({"type": "function_call", "call_id": "c2", "name": "b", "arguments": "{}"})"),
        parse(R"({"type": "function_call_output", "call_id": "c1", "output": [{"type": "input_text", "text": "one"},)"
              R"( {"type": "input_image", "image_url": "https://x/z.png"}]})"),
        parse(
            R"({"type": "function_call_output", "call_id": "c2", "output": [{"type": "input_image", "image_url": "https://x"}]})"),
        parse(R"({"id": "m", "type": "message", "role": "assistant", "status": "completed",)"
              R"( "content": [{"type": "refusal", "refusal": "no"}]})"),
    });
    ASSERT_TRUE(messages.has_value()) << messages.error().message.toStdString();
    EXPECT_EQ(compact(*messages),
              R"([{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":)"
              R"({"url":"https://x/y.png","detail":"high"}}]},)"
              R"({"role":"system","content":[{"type":"text","text":"be brief"}]},)"
              R"({"role":"developer","content":"dev note"},)"
              R"({"role":"assistant","content":null,"tool_calls":[)"
              R"({"id":"c1","type":"function","function":{"name":"a","arguments":"{}"}},)"
              R"({"id":"c2","type":"function","function":{"name":"b","arguments":"{}"}}]},)"
              R"({"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"one"}]},)"
              R"({"role":"tool","tool_call_id":"c2","content":"[tool output omitted]"},)"
              R"({"role":"assistant","refusal":"no"}])");
}

TEST(ItemsToMessages, AssistantMessageThenToolCallsShareOneMessage)
{
    const auto messages = ChatCompletionsCodec::itemsToMessages({
        parse(R"({"id": "__fake_id__", "content": [{"annotations": [], "text": "Checking.", "type": "output_text",)"
              R"( "logprobs": []}], "role": "assistant", "status": "completed", "type": "message"})"),
        parse(R"({"arguments": "{}", "call_id": "c1", "name": "t", "type": "function_call", "id": "__fake_id__"})"),
    });
    ASSERT_TRUE(messages.has_value());
    EXPECT_EQ(compact(*messages), R"([{"role":"assistant","content":"Checking.","tool_calls":[)"
                                  R"({"id":"c1","type":"function","function":{"name":"t","arguments":"{}"}}]}])");
}

TEST(ItemsToMessages, UnsupportedItemsAreErrors)
{
    EXPECT_FALSE(
        ChatCompletionsCodec::itemsToMessages({parse(R"({"type": "item_reference", "id": "x"})")}).has_value());
    EXPECT_FALSE(ChatCompletionsCodec::itemsToMessages({parse(R"({"type": "compaction"})")}).has_value());
    EXPECT_FALSE(ChatCompletionsCodec::itemsToMessages({parse(R"({"type": "mystery"})")}).has_value());
    EXPECT_FALSE(ChatCompletionsCodec::itemsToMessages({parse(R"({"role": "user", "content": [{"type": "video"}]})")})
                     .has_value());
}

TEST(ResponsesInput, DropsForeignReasoningAndFakeIds)
{
    const QList<Json> out = ResponseItems::responsesInput({
        parse(R"({"id": "__fake_id__", "summary": [], "type": "reasoning", "provider_data": {"model": "llama"}})"),
        parse(R"({"id": "__fake_id__", "content": [], "role": "assistant", "status": "completed", "type": "message",)"
              R"( "provider_data": {"model": "llama"}})"),
        parse(R"({"content": "hi", "role": "user", "_agents_tool_title": "t"})"),
    });
    ASSERT_EQ(out.size(), 2);
    EXPECT_EQ(compact(out[0]), R"({"content":[],"role":"assistant","status":"completed","type":"message"})");
    EXPECT_EQ(compact(out[1]), R"({"content":"hi","role":"user"})");
}

TEST(ResponseItemsOrder, WireItemsTakeOpenAiFieldOrder)
{
    const Json call = ResponseItems::fromWire(parse(
        R"({"type": "function_call", "id": "fc_1", "status": null, "arguments": "{}", "call_id": "c", "name": "n", "extra": 1})"));
    EXPECT_EQ(call.dump().toStdString(),
              R"({"arguments": "{}", "call_id": "c", "name": "n", "type": "function_call", "id": "fc_1", "extra": 1})");
    const Json reasoning = ResponseItems::fromWire(parse(
        R"({"type": "reasoning", "encrypted_content": "e", "summary": [{"type": "summary_text", "text": "s"}], "id": "rs"})"));
    EXPECT_EQ(
        reasoning.dump().toStdString(),
        R"({"id": "rs", "summary": [{"text": "s", "type": "summary_text"}], "type": "reasoning", "encrypted_content": "e"})");
    const Json message = ResponseItems::fromWire(parse(
        R"({"type": "message", "id": "m", "status": "completed", "role": "assistant", "content": [{"type": "output_text",)"
        R"( "annotations": [{"type": "url_citation", "url": "u", "title": "t", "start_index": 0, "end_index": 3}],)"
        R"( "logprobs": [], "text": "abc"}, {"type": "refusal", "refusal": "no"}]})"));
    EXPECT_EQ(
        message.dump().toStdString(),
        R"({"id": "m", "content": [{"annotations": [{"end_index": 3, "start_index": 0, "title": "t", )"
        R"("type": "url_citation", "url": "u"}], "text": "abc", "type": "output_text", "logprobs": []}, )"
        R"({"refusal": "no", "type": "refusal"}], "role": "assistant", "status": "completed", "type": "message"})");
}

} // namespace
} // namespace tb::net
