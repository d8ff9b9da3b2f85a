// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// The SDK Runner's item rules (agents/run_internal/items.py at the pinned commit): orphan tool
// calls, output pruning under a limit, de-duplication, internal keys. Expected lists follow the SDK
// functions' behaviour for the same inputs.

#include "agent/ModelInput.h"

#include "AgentTestSupport.h"

namespace tb::test::agent {
namespace {

using tb::agent::ModelInput;

QList<Json> L(std::initializer_list<const char*> texts)
{
    QList<Json> out;
    for (const char* t : texts)
        out << J(t);
    return out;
}

TEST(ModelInputTest, UserMessageKeyOrder)
{
    EXPECT_EQ(ModelInput::userMessage(u"hi"_s).dump(), QByteArray(R"({"content": "hi", "role": "user"})"));
}

TEST(ModelInputTest, OrphanCallsDropWithTheirReasoning)
{
    const auto items =
        L({R"({"role": "user", "content": "q"})", R"({"type": "reasoning", "id": "rs_1", "summary": []})",
           R"({"type": "reasoning", "id": "rs_2", "summary": []})",
           R"({"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"})",
           R"({"type": "reasoning", "id": "rs_3", "summary": []})",
           R"({"type": "function_call", "call_id": "c2", "name": "f", "arguments": "{}"})",
           R"({"type": "function_call_output", "call_id": "c2", "output": "ok"})",
           R"({"type": "custom_tool_call", "call_id": "c3", "name": "g", "input": "x"})"});
    EXPECT_EQ(
        dumpItems(ModelInput::dropOrphanCalls(items)),
        dumpItems(L({R"({"role": "user", "content": "q"})", R"({"type": "reasoning", "id": "rs_3", "summary": []})",
                     R"({"type": "function_call", "call_id": "c2", "name": "f", "arguments": "{}"})",
                     R"({"type": "function_call_output", "call_id": "c2", "output": "ok"})"})));
}

TEST(ModelInputTest, OnlyPruningIndexesAreCandidates)
{
    const auto items = L({R"({"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"})",
                          R"({"type": "function_call", "call_id": "c2", "name": "f", "arguments": "{}"})"});
    EXPECT_EQ(ModelInput::dropOrphanCalls(items, ModelInput::IndexSet{0}).size(), 1);
    EXPECT_EQ(ModelInput::dropOrphanCalls(items, ModelInput::IndexSet{0})[0][u"call_id"], Json(u"c2"_s));
}

TEST(ModelInputTest, OutputsWithoutTheirCallArePrunedOnlyUnderALimit)
{
    const auto history = L({R"({"type": "function_call_output", "call_id": "c0", "output": "old"})",
                            R"({"role": "assistant", "content": "a"})"});
    const auto input = L({R"({"content": "next", "role": "user"})"});
    EXPECT_EQ(ModelInput::fromSession(history, input, false).size(), 3);
    EXPECT_EQ(dumpItems(ModelInput::fromSession(history, input, true)),
              QByteArray(R"([{"role": "assistant", "content": "a"}, {"content": "next", "role": "user"}])"));
}

TEST(ModelInputTest, AnonymousToolSearchCallsMatchLaterAnonymousOutputs)
{
    const auto items =
        L({R"({"type": "tool_search_call", "arguments": {}})", R"({"type": "tool_search_output", "tools": []})",
           R"({"type": "tool_search_call", "arguments": {}})"});
    const auto kept = ModelInput::dropOrphanCalls(items);
    ASSERT_EQ(kept.size(), 2);
    EXPECT_EQ(kept[1][u"type"], Json(u"tool_search_output"_s));
}

TEST(ModelInputTest, ProgramsWithRetainedItemsStayOrphanProgramsTakeTheirItems)
{
    const auto items = L(
        {R"({"type": "program", "call_id": "p1"})",
         R"({"type": "function_call_output", "call_id": "x1", "output": "o", "caller": {"type": "program", "caller_id": "p1"}})",
         R"({"type": "program", "call_id": "p2"})",
         R"({"type": "function_call", "call_id": "x2", "name": "f", "arguments": "{}", "caller": {"type": "program", "caller_id": "p2"}})"});
    const auto kept = ModelInput::dropOrphanCalls(items);
    ASSERT_EQ(kept.size(), 2);
    EXPECT_EQ(kept[0][u"call_id"], Json(u"p1"_s));
    EXPECT_EQ(kept[1][u"call_id"], Json(u"x1"_s));
}

TEST(ModelInputTest, DedupeKeys)
{
    EXPECT_FALSE(ModelInput::dedupeKey(J(R"({"role": "user", "content": "x", "id": "a"})")));
    EXPECT_FALSE(ModelInput::dedupeKey(J(R"({"type": "message", "id": "a"})")));
    EXPECT_EQ(*ModelInput::dedupeKey(J(R"({"type": "function_call", "call_id": "c", "id": "fc"})")),
              u"call_id:function_call:c"_s);
    EXPECT_EQ(*ModelInput::dedupeKey(J(R"({"type": "reasoning", "id": "rs"})")), u"id:reasoning:rs"_s);
    EXPECT_EQ(*ModelInput::dedupeKey(J(R"({"type": "web_search_call", "id": "__fake_id__", "call_id": "w"})")),
              u"call_id:web_search_call:w"_s);
    EXPECT_EQ(*ModelInput::dedupeKey(J(R"({"type": "mcp_approval_response", "approval_request_id": "r"})")),
              u"approval_request_id:mcp_approval_response:r"_s);
    EXPECT_FALSE(ModelInput::dedupeKey(J(R"({"type": "web_search_call", "id": "__fake_id__"})")));
}

TEST(ModelInputTest, DeduplicationKeepsTheLatestValue)
{
    const auto items =
        L({R"({"type": "function_call", "call_id": "c", "arguments": "old"})", R"({"role": "user", "content": "u"})",
           R"({"type": "function_call_output", "call_id": "c", "output": "1"})",
           R"({"type": "function_call", "call_id": "c", "arguments": "new"})",
           R"({"type": "function_call_output", "call_id": "c", "output": "2"})"});
    // The call keeps its first position with the latest value; the output moves to its last one.
    EXPECT_EQ(
        dumpItems(ModelInput::deduplicatePreferringLatest(items)),
        QByteArray(
            R"([{"type": "function_call", "call_id": "c", "arguments": "new"}, {"role": "user", "content": "u"}, )"
            R"({"type": "function_call_output", "call_id": "c", "output": "2"}])"));
}

TEST(ModelInputTest, InternalKeysAndNullStatus)
{
    const auto items = L(
        {R"({"type": "function_call", "call_id": "c", "_agents_tool_description": "d", "_agents_tool_title": "t", "status": null})"});
    EXPECT_EQ(dumpItems(ModelInput::inputToPersist(items)),
              QByteArray(R"([{"type": "function_call", "call_id": "c", "status": null}])"));
    EXPECT_EQ(
        dumpItems(ModelInput::turnToPersist(items)),
        QByteArray(
            R"([{"type": "function_call", "call_id": "c", "_agents_tool_description": "d", "_agents_tool_title": "t"}])"));
}

TEST(ModelInputTest, LaterTurnsAppendGeneratedItemsWithoutOrphans)
{
    const auto prepared = L({R"({"content": "q", "role": "user"})"});
    const auto generated = L({R"({"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"})",
                              R"({"type": "function_call_output", "call_id": "c1", "output": "o"})",
                              R"({"type": "function_call", "call_id": "c2", "name": "f", "arguments": "{}"})"});
    EXPECT_EQ(ModelInput::forTurn(prepared, generated).size(), 3);
}

} // namespace
} // namespace tb::test::agent
