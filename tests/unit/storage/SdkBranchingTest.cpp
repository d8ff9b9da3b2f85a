// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Branching, usage and queries of AdvancedSQLiteSession (spec sdk-sessions.md §6.6–§6.8), the
// cross-instance clear generation (§6.8) and the constructor's ownership check (§3.3).

#include "StorageTestSupport.h"

namespace tb::test::storage {
namespace {

class SdkBranching : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        path = dir.filePath(u"branching.db"_s);
    }

    QStringList structure(const QString& branch)
    {
        RawDb raw(path);
        return raw.lines(u"SELECT message_id, message_type, tool_name, user_turn_number, branch_turn_number, sequence_number "
                         "FROM message_structure WHERE session_id = 's' AND branch_id = ? ORDER BY sequence_number"_s,
                         {branch});
    }

    tb::test::TempDir dir;
    QString path;
};

QStringList toolUsage(core::BranchingSession& s, const std::optional<QString>& branch = std::nullopt)
{
    QStringList out;
    auto r = s.getToolUsage(branch);
    EXPECT_TRUE(r.has_value());
    if (!r)
        return out;
    for (const core::ToolUsage& t : *r) {
        out << (t.toolName ? *t.toolName : u"None"_s) + u'|' + QString::number(t.count) + u'|'
                   + (t.userTurnNumber ? QString::number(*t.userTurnNumber) : u"None"_s);
    }
    return out;
}

QList<qint64> foundTurns(core::BranchingSession& s, const QString& term, const std::optional<QString>& branch = std::nullopt)
{
    QList<qint64> out;
    auto r = s.findTurnsByContent(term, branch);
    EXPECT_TRUE(r.has_value());
    if (r) {
        for (const core::ConversationTurn& t : *r)
            out << t.turn.value_or(-999);
    }
    return out;
}

// --- §6.6 branching -----------------------------------------------------------------------------

TEST_F(SdkBranching, CopyRules)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "system", "content": "sys"})"})));
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "u1"})",
                                    R"({"arguments": "{}", "call_id": "c1", "name": "check", "type": "function_call"})",
                                    R"({"call_id": "c1", "output": "x", "type": "function_call_output"})"})));
    addTurns(*s, 2, 3);
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 1, 1, 2)));
    {
        RawDb raw(path);
        raw.exec(u"UPDATE message_structure SET created_at = '2000-01-01 00:00:00'"_s);
    }
    const QStringList mainBefore = structure(u"main"_s);
    ASSERT_EQ(s->createBranchFromTurn(3, u"alt"_s).value(), u"alt"_s);
    EXPECT_EQ(s->currentBranch(), u"alt"_s);
    EXPECT_EQ(structure(u"main"_s), mainBefore);
    // Rows of turns < 3 (turn 0 included) in order: same message ids, types, turns and tool names;
    // sequence numbers continue after the session maximum (8).
    EXPECT_EQ(structure(u"alt"_s), QStringList({u"1|other|NULL|0|0|9"_s, u"2|user|NULL|1|1|10"_s, u"3|function_call|check|1|1|11"_s,
                                                u"4|function_call_output|NULL|1|1|12"_s, u"5|user|NULL|2|2|13"_s,
                                                u"6|assistant|NULL|2|2|14"_s}));
    RawDb raw(path);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 8); // shared, not duplicated
    EXPECT_EQ(raw.lines(u"SELECT branch_id, user_turn_number FROM turn_usage"_s), QStringList({u"main|3"_s})); // not copied
    // Copied rows carry the copy time (spec §10.9).
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM message_structure WHERE branch_id = 'alt' AND created_at = '2000-01-01 00:00:00'"_s), 0);
    auto turns = s->getConversationTurns(std::nullopt);
    TB_ASSERT_OK(turns);
    ASSERT_EQ(turns->size(), 2);
    EXPECT_NE(turns->at(0).timestamp, u"2000-01-01 00:00:00"_s);
    EXPECT_EQ(itemsText(*s), QByteArray(R"([{"role": "system", "content": "sys"}, {"role": "user", "content": "u1"}, )"
                                        R"({"arguments": "{}", "call_id": "c1", "name": "check", "type": "function_call"}, )"
                                        R"({"call_id": "c1", "output": "x", "type": "function_call_output"}, )"
                                        R"({"role": "user", "content": "u2"}, {"role": "assistant", "content": "a2"}])"));
    // A branch of a branch copies from the current branch.
    ASSERT_EQ(s->createBranchFromTurn(2, u"alt2"_s).value(), u"alt2"_s);
    EXPECT_EQ(structure(u"alt2"_s), QStringList({u"1|other|NULL|0|0|15"_s, u"2|user|NULL|1|1|16"_s, u"3|function_call|check|1|1|17"_s,
                                                 u"4|function_call_output|NULL|1|1|18"_s}));
}

TEST_F(SdkBranching, BranchFromTurnOneIsEmptyAndInvisible)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    ASSERT_EQ(s->createBranchFromTurn(1, u"fresh"_s).value(), u"fresh"_s);
    EXPECT_EQ(s->currentBranch(), u"fresh"_s);
    EXPECT_EQ(branchList(*s), QStringList({u"main"_s})); // no entry is current
    EXPECT_EQ(itemsText(*s), QByteArray("[]"));
    EXPECT_EQ(s->getConversationTurns(std::nullopt).value().size(), 0);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    TB_EXPECT_VALUE_ERROR(s->switchToBranch(u"fresh"_s), u"Branch 'fresh' does not exist"_s);
    // Adding while it is current makes it visible; its first user item is turn 1.
    s->setCurrentBranch(u"fresh"_s);
    addTurns(*s, 7, 7);
    EXPECT_EQ(structure(u"fresh"_s), QStringList({u"5|user|NULL|1|1|5"_s, u"6|assistant|NULL|1|1|6"_s}));
    QStringList listed = branchList(*s);
    listed.sort();
    EXPECT_EQ(listed, QStringList({u"fresh*"_s, u"main"_s}));
}

TEST_F(SdkBranching, GeneratedIdsUseTheInjectedClockAndSuffixes)
{
    qint64 now = 1700000000;
    auto s = openAdvanced(path, u"s"_s, true, std::nullopt, [&now] { return now; });
    ASSERT_TRUE(s);
    addTurns(*s, 1, 3);
    ASSERT_EQ(s->createBranchFromTurn(2, std::nullopt).value(), u"branch_from_turn_2_1700000000"_s);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_EQ(s->createBranchFromTurn(2, std::nullopt).value(), u"branch_from_turn_2_1700000000_2"_s);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_EQ(s->createBranchFromTurn(2, std::nullopt).value(), u"branch_from_turn_2_1700000000_3"_s);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    // Any reserved id counts, explicit ones too.
    ASSERT_TRUE(s->createBranchFromTurn(3, u"branch_from_turn_3_1700000000"_s).has_value());
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_EQ(s->createBranchFromTurn(3, std::nullopt).value(), u"branch_from_turn_3_1700000000_2"_s);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    now = 1700000001;
    ASSERT_EQ(s->createBranchFromTurn(2, std::nullopt).value(), u"branch_from_turn_2_1700000001"_s);
    // A generated id for an empty branch (turn 1) is reserved as well.
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_EQ(s->createBranchFromTurn(1, std::nullopt).value(), u"branch_from_turn_1_1700000001"_s);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_EQ(s->createBranchFromTurn(1, std::nullopt).value(), u"branch_from_turn_1_1700000001_2"_s);
    // create_branch_from_content uses the first matching turn's number.
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_EQ(s->createBranchFromContent(u"u"_s, std::nullopt).value(), u"branch_from_turn_1_1700000001_3"_s);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_EQ(s->createBranchFromContent(u"U3"_s, u"by-content"_s).value(), u"by-content"_s);
    EXPECT_EQ(itemsText(*s), QByteArray(R"([{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, )"
                                        R"({"role": "user", "content": "u2"}, {"role": "assistant", "content": "a2"}])"));
}

TEST_F(SdkBranching, ListBranchesOrderCountsAndCurrent)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    EXPECT_EQ(branchList(*s), QStringList());
    addTurns(*s, 1, 3);
    ASSERT_TRUE(s->createBranchFromTurn(3, u"zeta"_s).has_value());
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alpha"_s).has_value());
    addTurns(*s, 8, 9);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_TRUE(s->createBranchFromTurn(3, u"beta"_s).has_value());
    {
        RawDb raw(path);
        raw.exec(u"UPDATE message_structure SET created_at = '2030-01-01 00:00:05'"_s);
        raw.exec(u"UPDATE message_structure SET created_at = '2030-01-01 00:00:09' WHERE branch_id = 'beta'"_s);
        // One earlier row is enough to move a branch forward: MIN(created_at).
        raw.exec(u"UPDATE message_structure SET created_at = '2030-01-01 00:00:01' WHERE branch_id = 'zeta' AND sequence_number = "
                 "(SELECT MAX(sequence_number) FROM message_structure WHERE branch_id = 'zeta')"_s);
    }
    auto list = s->listBranches();
    TB_ASSERT_OK(list);
    QStringList got;
    for (const core::BranchInfo& b : *list) {
        got << u"%1|%2|%3|%4|%5"_s.arg(b.branchId).arg(b.messageCount).arg(b.userTurns).arg(b.isCurrent ? u"cur"_s : u"-"_s).arg(b.createdAt);
    }
    // Equal timestamps come out in branch_id order (alpha, main), so main is not first.
    EXPECT_EQ(got, QStringList({u"zeta|4|2|-|2030-01-01 00:00:01"_s, u"alpha|6|3|-|2030-01-01 00:00:05"_s, u"main|6|3|-|2030-01-01 00:00:05"_s,
                                u"beta|4|2|cur|2030-01-01 00:00:09"_s}));
}

// --- §6.7 usage ---------------------------------------------------------------------------------

TEST_F(SdkBranching, StoreRunUsageReplacesTheLatestTurnsRow)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 10, 2, 12, 0, 4, 1)));
    RawDb raw(path);
    const qint64 firstId = raw.count(u"SELECT id FROM turn_usage"_s);
    TB_ASSERT_OK(s->storeRunUsage(usage(3, 30, 6, 36, 2, 8, 5)));
    EXPECT_EQ(raw.lines(u"SELECT branch_id, user_turn_number, requests, input_tokens, output_tokens, total_tokens, input_tokens_details, "
                        "output_tokens_details FROM turn_usage"_s),
              QStringList({uR"(main|2|3|30|6|36|{"cache_write_tokens": 2, "cached_tokens": 8}|{"reasoning_tokens": 5})"_s}));
    EXPECT_GT(raw.count(u"SELECT id FROM turn_usage"_s), firstId); // REPLACE: a new row
    // Attributed to the latest turn of the current branch: a trailing non-user item changes nothing.
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "assistant", "content": "more"})"})));
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 1, 1, 2)));
    EXPECT_EQ(raw.lines(u"SELECT user_turn_number, total_tokens FROM turn_usage"_s), QStringList({u"2|2"_s}));
    // On a branch it goes to that branch.
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alt"_s).has_value());
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 5, 5, 10)));
    EXPECT_EQ(raw.lines(u"SELECT branch_id, user_turn_number, total_tokens FROM turn_usage ORDER BY id"_s),
              QStringList({u"main|2|2"_s, u"alt|1|10"_s}));
    // Nothing to store: no write.
    TB_ASSERT_OK(s->storeRunUsage(std::nullopt));
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM turn_usage"_s), 2);
}

TEST_F(SdkBranching, PhantomTurnZeroUsageOnEmptyBranches)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    // Spec §10.5: an empty branch gets a turn-0 row (the anchor is NULL, so the write happens).
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 2, 3, 5)));
    auto total = s->getSessionUsage(std::nullopt);
    TB_ASSERT_OK(total);
    ASSERT_TRUE(total->has_value());
    EXPECT_EQ((*total)->totalTurns, 1);
    EXPECT_EQ((*total)->totalTokens, 5);
    auto t0 = s->getTurnUsage(0, std::nullopt);
    TB_ASSERT_OK(t0);
    ASSERT_TRUE(t0->has_value());
    EXPECT_EQ((*t0)->requests, Json(1));
    // Rows with only turn-0 items get turn-0 usage legitimately.
    auto sys = openAdvanced(path, u"sys"_s, false);
    ASSERT_TRUE(sys);
    TB_ASSERT_OK(sys->addItems(Items({R"({"role": "system", "content": "x"})"})));
    TB_ASSERT_OK(sys->storeRunUsage(usage(1, 1, 1, 2)));
    // An empty branch made from turn 1.
    addTurns(*s, 1, 1);
    ASSERT_TRUE(s->createBranchFromTurn(1, u"e"_s).has_value());
    TB_ASSERT_OK(s->storeRunUsage(usage(4, 4, 4, 8)));
    RawDb raw(path);
    EXPECT_EQ(raw.lines(u"SELECT session_id, branch_id, user_turn_number, total_tokens FROM turn_usage ORDER BY id"_s),
              QStringList({u"s|main|0|5"_s, u"sys|main|0|2"_s, u"s|e|0|8"_s}));
    // A branch whose rows all have NULL turns also stores turn 0.
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    raw.exec(u"UPDATE message_structure SET user_turn_number = NULL WHERE session_id = 's'"_s);
    TB_ASSERT_OK(s->storeRunUsage(usage(6, 6, 6, 12)));
    EXPECT_EQ(raw.lines(u"SELECT branch_id, user_turn_number, total_tokens FROM turn_usage WHERE session_id = 's' ORDER BY id"_s),
              QStringList({u"e|0|8"_s, u"main|0|12"_s}));
}

TEST_F(SdkBranching, SessionUsageNoneAndEmptyMeanAllBranches)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    EXPECT_FALSE(s->getSessionUsage(std::nullopt).value().has_value());
    addTurns(*s, 1, 2);
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 10, 1, 11)));
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alt"_s).has_value());
    addTurns(*s, 5, 5);
    TB_ASSERT_OK(s->storeRunUsage(usage(2, 20, 2, 22)));
    const auto text = [&](const std::optional<QString>& b) -> QString {
        auto r = s->getSessionUsage(b);
        EXPECT_TRUE(r.has_value());
        if (!r || !r->has_value())
            return u"None"_s;
        const core::SessionUsage& u = **r;
        return u"%1|%2|%3|%4|%5"_s.arg(u.requests).arg(u.inputTokens).arg(u.outputTokens).arg(u.totalTokens).arg(u.totalTurns);
    };
    EXPECT_EQ(text(std::nullopt), u"3|30|3|33|2"_s);
    EXPECT_EQ(text(QString()), u"3|30|3|33|2"_s);
    EXPECT_EQ(text(u""_s), u"3|30|3|33|2"_s);
    EXPECT_EQ(text(u"main"_s), u"1|10|1|11|1"_s);
    EXPECT_EQ(text(u"alt"_s), u"2|20|2|22|1"_s);
    EXPECT_EQ(text(u"nope"_s), u"None"_s);
    EXPECT_EQ(text(u" main"_s), u"None"_s); // verbatim
    // The current branch does not matter.
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    EXPECT_EQ(text(std::nullopt), u"3|30|3|33|2"_s);
}

TEST_F(SdkBranching, TurnUsageDictAndListWithEveryDetailsFormat)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 1);
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 100, 10, 110, 3, 40, 7)));
    EXPECT_FALSE(s->getTurnUsage(2, std::nullopt).value().has_value()); // the SDK's {}
    EXPECT_FALSE(s->getTurnUsage(1, u"nope"_s).value().has_value());
    EXPECT_FALSE(s->getTurnUsage(1, QString()).value().has_value()); // "" is a branch name here
    EXPECT_TRUE(s->getTurnUsages(QString()).value().isEmpty());
    auto one = s->getTurnUsage(1, std::nullopt);
    TB_ASSERT_OK(one);
    ASSERT_TRUE(one->has_value());
    EXPECT_EQ((*one)->requests, Json(1));
    EXPECT_EQ((*one)->inputTokens, Json(100));
    EXPECT_EQ((*one)->outputTokens, Json(10));
    EXPECT_EQ((*one)->totalTokens, Json(110));
    EXPECT_EQ((*one)->inputTokensDetails.dump(), QByteArray(R"({"cache_write_tokens": 3, "cached_tokens": 40})"));
    EXPECT_EQ((*one)->outputTokensDetails.dump(), QByteArray(R"({"reasoning_tokens": 7})"));

    {
        // Rows as older SDKs / hand-built doubles left them.
        RawDb raw(path);
        const QString ins = u"INSERT INTO turn_usage (session_id, branch_id, user_turn_number, requests, input_tokens, output_tokens, "
                            "total_tokens, input_tokens_details, output_tokens_details) VALUES ('s', 'main', ?, ?, 5, 6, 11, ?, ?)"_s;
        const QVariant null(QMetaType(QMetaType::QString));
        raw.exec(ins, {5, 2, uR"({"cached_tokens": 7})"_s, uR"({"reasoning_tokens": 1})"_s}); // openai <= 2.44 input details
        raw.exec(ins, {3, 1, null, null});
        raw.exec(ins, {4, 1, u""_s, u"not json"_s});
        raw.exec(ins, {2, QVariant(QMetaType(QMetaType::LongLong)), u"{\"a\": [1, 2.5]}"_s, u"null"_s});
    }
    auto list = s->getTurnUsages(std::nullopt);
    TB_ASSERT_OK(list);
    QStringList got;
    for (const core::TurnUsage& u : *list) {
        got << u"%1|%2|%3|%4|%5|%6|%7"_s.arg(u.userTurnNumber.value_or(-1))
                   .arg(QString::fromUtf8(u.requests.dump()), QString::fromUtf8(u.inputTokens.dump()),
                        QString::fromUtf8(u.outputTokens.dump()), QString::fromUtf8(u.totalTokens.dump()),
                        QString::fromUtf8(u.inputTokensDetails.dump()), QString::fromUtf8(u.outputTokensDetails.dump()));
    }
    EXPECT_EQ(got, QStringList({uR"(1|1|100|10|110|{"cache_write_tokens": 3, "cached_tokens": 40}|{"reasoning_tokens": 7})"_s,
                                uR"(2|null|5|6|11|{"a": [1, 2.5]}|null)"_s, u"3|1|5|6|11|null|null"_s,
                                u"4|1|5|6|11|null|null"_s, uR"(5|2|5|6|11|{"cached_tokens": 7}|{"reasoning_tokens": 1})"_s}));
    auto five = s->getTurnUsage(5, u"main"_s);
    TB_ASSERT_OK(five);
    ASSERT_TRUE(five->has_value());
    EXPECT_EQ((*five)->inputTokensDetails.dump(), QByteArray(R"({"cached_tokens": 7})"));
    auto four = s->getTurnUsage(4, std::nullopt);
    TB_ASSERT_OK(four);
    ASSERT_TRUE(four->has_value());
    EXPECT_TRUE((*four)->inputTokensDetails.isNull());
    EXPECT_TRUE((*four)->outputTokensDetails.isNull());
}

TEST_F(SdkBranching, SessionUsageIsNoneWhenRequestsSumIsNull)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 1);
    {
        RawDb raw(path);
        raw.exec(u"INSERT INTO turn_usage (session_id, branch_id, user_turn_number, requests, input_tokens, output_tokens, total_tokens) "
                 "VALUES ('s', 'main', 1, NULL, 5, 5, 10)"_s);
    }
    // The SDK tests SUM(requests): a row without requests reports None.
    EXPECT_FALSE(s->getSessionUsage(std::nullopt).value().has_value());
    EXPECT_FALSE(s->getSessionUsage(u"main"_s).value().has_value());
    auto t = s->getTurnUsage(1, std::nullopt);
    TB_ASSERT_OK(t);
    ASSERT_TRUE(t->has_value());
    EXPECT_TRUE((*t)->requests.isNull());
    EXPECT_EQ((*t)->totalTokens, Json(10));
    EXPECT_TRUE((*t)->inputTokensDetails.isNull());
}

TEST_F(SdkBranching, BranchFromContentWhoseFirstMatchHasNoTurnNumber)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    {
        RawDb raw(path);
        raw.exec(u"UPDATE message_structure SET branch_turn_number = NULL WHERE sequence_number = 3"_s);
    }
    // NULL sorts first, so the first match is turn None, which no row equals.
    TB_EXPECT_VALUE_ERROR(s->createBranchFromContent(u"u"_s, u"x"_s), u"Turn None does not contain a user message in branch 'main'"_s);
    ASSERT_EQ(s->createBranchFromContent(u"u1"_s, u"y"_s).value(), u"y"_s);
}

// --- get_tool_usage -----------------------------------------------------------------------------

TEST_F(SdkBranching, ToolUsageCountingRules)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    TB_ASSERT_OK(s->addItems(Items({
        R"({"role": "user", "content": "u1"})", R"({"type": "function_call", "name": "b"})", R"({"type": "function_call", "name": "a"})",
        R"({"type": "function_call", "name": "b"})", R"({"type": "function_call_output", "call_id": "x"})",
        R"({"type": "function_call", "name": null})", R"({"type": "function_call", "name": ""})", R"({"type": "tool_call"})",
        R"({"type": "tool_search_output"})", R"({"type": "mcp_call", "server_label": "srv", "name": "t"})",
        R"({"type": "custom_tool_call", "name": "ct"})", R"({"type": "computer_call"})",
        R"({"role": "user", "content": "u2"})", R"({"type": "tool_search_call"})", R"({"type": "tool_search_output"})",
        R"({"type": "mcp_approval_request", "server_label": "srv", "name": "t"})", R"({"type": "web_search_call"})",
        R"({"type": "file_search_call"})", R"({"type": "code_interpreter_call"})", R"({"type": "local_shell_call", "name": "sh"})",
        R"({"type": "message", "role": "developer", "name": "dev"})",
    })));
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "u3"})", R"({"type": "function_call", "name": "z"})"})));
    const QStringList turns12 = {u"None|2|1"_s,          u"|1|1"_s,        u"a|1|1"_s,           u"b|2|1"_s,          u"computer_call|1|1"_s,
                                 u"ct|1|1"_s,            u"srv.t|1|1"_s,   u"tool_search|1|1"_s, u"code_interpreter_call|1|2"_s,
                                 u"file_search_call|1|2"_s, u"srv.t|1|2"_s, u"tool_search|1|2"_s, u"web_search_call|1|2"_s};
    EXPECT_EQ(toolUsage(*s), turns12 + QStringList({u"z|1|3"_s}));
    // Copied rows count on every branch holding them.
    ASSERT_TRUE(s->createBranchFromTurn(3, u"alt"_s).has_value());
    EXPECT_EQ(toolUsage(*s), turns12);
    EXPECT_EQ(toolUsage(*s, u"main"_s), turns12 + QStringList({u"z|1|3"_s}));
    EXPECT_EQ(toolUsage(*s, u"nope"_s), QStringList());
}

// --- find_turns_by_content and previews ---------------------------------------------------------

class SdkQueries : public SdkBranching
{
protected:
    void SetUp() override
    {
        SdkBranching::SetUp();
        s = openAdvanced(path, u"s"_s);
        ASSERT_TRUE(s);
        const QString a100(100, u'a');
        const QString x101(101, u'x');
        QString astral;
        for (int i = 0; i < 101; ++i)
            astral += u"\U0001F600"_s;
        QString e120;
        for (int i = 0; i < 120; ++i)
            e120 += u"\u00e9"_s;
        const auto user = [](const Json& content) {
            Json o = Json::object();
            o.insert(u"role"_s, Json(u"user"_s));
            o.insert(u"content"_s, content);
            return o;
        };
        Json obj = Json::object();
        obj.insert(u"k"_s, Json(e120));
        QList<Json> batch = {user(Json(a100)),
                             user(Json(x101)),
                             user(Json(astral)),
                             user(J("[{\"type\": \"input_text\", \"text\": \"caf\xc3\xa9 \\\"q\\\"\"}]")),
                             user(Json()),
                             user(Json(12)),
                             J(R"({"role": "user"})"),
                             user(obj),
                             user(Json(u"He said \"hello\""_s)),
                             user(Json(u"a\\b 50% off_now"_s)),
                             user(Json(u"HeLLo caf\u00e9"_s)),
                             J(R"({"role": "assistant", "content": "hello from assistant"})"),
                             J(R"("userish")"),
                             user(Json(1.0))};
        TB_ASSERT_OK(s->addItems(batch));
    }

    std::unique_ptr<AdvancedSqliteSession> s;
};

TEST_F(SdkQueries, FindTurnsByContentUsesLikeOnTheStoredText)
{
    const QList<qint64> all = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    EXPECT_EQ(foundTurns(*s, u"hello"_s), QList<qint64>({9, 11})); // user items only
    EXPECT_EQ(foundTurns(*s, u"HELLO"_s), QList<qint64>({9, 11})); // ASCII case-insensitive
    EXPECT_EQ(foundTurns(*s, u"%"_s), all);
    EXPECT_EQ(foundTurns(*s, QString()), all);
    EXPECT_EQ(foundTurns(*s, u"_"_s), all);
    EXPECT_EQ(foundTurns(*s, u"role"_s), all);
    EXPECT_EQ(foundTurns(*s, u"\"role\""_s), all);
    EXPECT_EQ(foundTurns(*s, u"\"content\": \""_s), QList<qint64>({1, 2, 3, 9, 10, 11}));
    EXPECT_EQ(foundTurns(*s, u"caf\u00e9"_s), QList<qint64>()); // stored as caf\u00e9
    EXPECT_EQ(foundTurns(*s, u"\u00e9"_s), QList<qint64>());
    EXPECT_EQ(foundTurns(*s, u"caf\\u00e9"_s), QList<qint64>({4, 11}));
    EXPECT_EQ(foundTurns(*s, u"\\u00e9\\u00e9"_s), QList<qint64>({8}));
    EXPECT_EQ(foundTurns(*s, u"\"hello\""_s), QList<qint64>());
    EXPECT_EQ(foundTurns(*s, u"\\\"hello"_s), QList<qint64>({9}));
    EXPECT_EQ(foundTurns(*s, u"a\\b"_s), QList<qint64>());
    EXPECT_EQ(foundTurns(*s, u"a\\\\b"_s), QList<qint64>({10}));
    EXPECT_EQ(foundTurns(*s, u"50%"_s), QList<qint64>({10}));
    EXPECT_EQ(foundTurns(*s, u"50\\%"_s), QList<qint64>()); // no ESCAPE clause
    EXPECT_EQ(foundTurns(*s, u"off_now"_s), QList<qint64>({10}));
    EXPECT_EQ(foundTurns(*s, u"off_n_w"_s), QList<qint64>({10}));
    EXPECT_EQ(foundTurns(*s, u"from assistant"_s), QList<qint64>());
    EXPECT_EQ(foundTurns(*s, u"input_text"_s), QList<qint64>({4}));
    EXPECT_EQ(foundTurns(*s, u"1.0"_s), QList<qint64>({12}));
    EXPECT_EQ(foundTurns(*s, QString(101, u'x')), QList<qint64>({2}));
    EXPECT_EQ(foundTurns(*s, u"hello"_s, u"main"_s), QList<qint64>({9, 11}));
    EXPECT_EQ(foundTurns(*s, u"hello"_s, u"other"_s), QList<qint64>());

    // Results are not truncated; non-string content is rendered with ensure_ascii=False.
    auto r = s->findTurnsByContent(u"x"_s, std::nullopt);
    TB_ASSERT_OK(r);
    ASSERT_FALSE(r->isEmpty());
    EXPECT_EQ(r->first().turn, 2);
    EXPECT_EQ(r->first().content, QString(101, u'x'));
    auto list = s->findTurnsByContent(u"input_text"_s, std::nullopt);
    TB_ASSERT_OK(list);
    ASSERT_EQ(list->size(), 1);
    EXPECT_EQ(list->first().content, u"[{\"type\": \"input_text\", \"text\": \"caf\u00e9 \\\"q\\\"\"}]"_s);
    auto obj = s->findTurnsByContent(u"k\""_s, std::nullopt);
    TB_ASSERT_OK(obj);
    ASSERT_EQ(obj->size(), 1);
    EXPECT_EQ(obj->first().content.size(), 9 + 120);
}

TEST_F(SdkQueries, ConversationTurnPreviews)
{
    auto turns = s->getConversationTurns(std::nullopt);
    TB_ASSERT_OK(turns);
    ASSERT_EQ(turns->size(), 12);
    QString astral100;
    for (int i = 0; i < 100; ++i)
        astral100 += u"\U0001F600"_s;
    QString e93; // `{"k": "` is 7 code points
    for (int i = 0; i < 93; ++i)
        e93 += u"\u00e9"_s;
    const QList<std::pair<QString, QByteArray>> expected = {
        {QString(100, u'a'), QByteArray()},
        {QString(100, u'x') + u"..."_s, QByteArray()},
        {astral100 + u"..."_s, QByteArray()}, // 103 code points, a surrogate pair counts once
        {u"[{\"type\": \"input_text\", \"text\": \"caf\u00e9 \\\"q\\\"\"}]"_s,
         QByteArray(R"([{"type": "input_text", "text": "caf\u00e9 \"q\""}])")},
        {u"null"_s, QByteArray("null")},
        {u"12"_s, QByteArray("12")},
        {QString(), QByteArray(R"("")")}, // no content key
        {u"{\"k\": \""_s + e93 + u"..."_s, QByteArray()},
        {u"He said \"hello\""_s, QByteArray(R"("He said \"hello\"")")},
        {u"a\\b 50% off_now"_s, QByteArray()},
        {u"HeLLo caf\u00e9"_s, QByteArray()},
        {u"1.0"_s, QByteArray("1.0")},
    };
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const core::ConversationTurn& t = turns->at(i);
        EXPECT_EQ(t.turn, i + 1);
        EXPECT_EQ(t.content, expected.at(i).first) << "turn " << i + 1;
        if (!expected.at(i).second.isEmpty()) {
            EXPECT_EQ(t.fullContent.dump(), expected.at(i).second) << "turn " << i + 1;
        }
        EXPECT_TRUE(t.canBranch);
        EXPECT_FALSE(t.timestamp.isEmpty());
    }
    EXPECT_EQ(turns->at(1).fullContent, Json(QString(101, u'x')));
    EXPECT_EQ(turns->at(2).content.size(), 203); // UTF-16 units
    EXPECT_EQ(turns->at(7).fullContent[u"k"].toString().size(), 120);

    auto byTurns = s->getConversationByTurns(std::nullopt);
    TB_ASSERT_OK(byTurns);
    ASSERT_EQ(byTurns->size(), 12);
    EXPECT_EQ(byTurns->at(10).turn, 11);
    ASSERT_EQ(byTurns->at(10).items.size(), 3); // user, assistant, the bare string (other)
    EXPECT_EQ(byTurns->at(10).items.at(2).type, u"other"_s);
    EXPECT_EQ(byTurns->at(10).items.at(2).toolName, std::nullopt);
}

TEST_F(SdkBranching, PreviewOfStructuredContentIsJsonDumpsWithoutAsciiEscapes)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    // Stored with ensure_ascii=True; previewed with ensure_ascii=False, which still escapes control
    // characters, quotes and backslashes but leaves DEL and non-ASCII characters raw.
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": [{"t": "a\nb\u0001\u007f\u00e9\ud83d\ude00\"\\/"}]})"})));
    RawDb raw(path);
    EXPECT_EQ(raw.strings(u"SELECT message_data FROM agent_messages"_s),
              QStringList({uR"({"role": "user", "content": [{"t": "a\nb\u0001\u007f\u00e9\ud83d\ude00\"\\/"}]})"_s}));
    const QString preview = u"[{\"t\": \"a\\nb\\u0001\u007f\u00e9\U0001F600\\\"\\\\/\"}]"_s;
    auto turns = s->getConversationTurns(std::nullopt);
    TB_ASSERT_OK(turns);
    ASSERT_EQ(turns->size(), 1);
    EXPECT_EQ(turns->first().content, preview);
    auto found = s->findTurnsByContent(u"\\u007f"_s, std::nullopt);
    TB_ASSERT_OK(found);
    ASSERT_EQ(found->size(), 1);
    EXPECT_EQ(found->first().content, preview);
}

// --- §6.8 cross-instance state ------------------------------------------------------------------

TEST_F(SdkBranching, ClearByAnotherInstanceResetsTheBranchOnRefreshingCalls)
{
    auto a = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(a);
    auto b = openAdvanced(path, u"s"_s, false);
    ASSERT_TRUE(b);
    TB_ASSERT_OK(a->addItems(Items({R"({"role": "user", "content": "u1"})", R"({"role": "assistant", "content": "a1"})",
                                    R"({"role": "user", "content": "u2"})"})));
    ASSERT_EQ(a->createBranchFromTurn(2, u"alt"_s).value(), u"alt"_s);
    TB_ASSERT_OK(a->storeRunUsage(usage(1, 0, 0, 5)));
    TB_ASSERT_OK(b->clearSession());
    EXPECT_EQ(b->currentBranch(), u"main"_s);

    // No refresh: the attribute, get_session_usage, delete_branch (stale pointer), explicit branches.
    EXPECT_EQ(a->currentBranch(), u"alt"_s);
    EXPECT_FALSE(a->getSessionUsage(std::nullopt).value().has_value());
    EXPECT_EQ(a->currentBranch(), u"alt"_s);
    TB_EXPECT_VALUE_ERROR(a->deleteBranch(u"alt"_s, false), u"Cannot delete current branch 'alt'. Use force=True or switch branches first"_s);
    TB_EXPECT_VALUE_ERROR(a->deleteBranch(u"alt"_s, true), u"Branch 'main' does not exist"_s);
    EXPECT_EQ(a->currentBranch(), u"alt"_s);
    EXPECT_EQ(itemsText(*a, std::nullopt, u"alt"_s), QByteArray("[]"));
    EXPECT_FALSE(a->getTurnUsage(1, u"alt"_s).value().has_value());
    TB_EXPECT_OK(a->getToolUsage(u"alt"_s));
    TB_EXPECT_OK(a->getConversationTurns(u"alt"_s));
    EXPECT_EQ(a->currentBranch(), u"alt"_s);
    // The next refreshing call notices the new generation.
    EXPECT_EQ(itemsText(*a), QByteArray("[]"));
    EXPECT_EQ(a->currentBranch(), u"main"_s);
}

TEST_F(SdkBranching, EveryRefreshingCallResetsTheBranch)
{
    auto a = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(a);
    addTurns(*a, 1, 2);
    TB_ASSERT_OK(a->clearSession()); // generation 1 from now on
    addTurns(*a, 1, 2);

    using Call = std::function<void(AdvancedSqliteSession&)>;
    const QList<std::pair<const char*, Call>> refreshing = {
        {"get_items", [](AdvancedSqliteSession& s) { (void)s.getItems(); }},
        {"get_conversation_turns", [](AdvancedSqliteSession& s) { (void)s.getConversationTurns(std::nullopt); }},
        {"find_turns_by_content", [](AdvancedSqliteSession& s) { (void)s.findTurnsByContent(u"u"_s, std::nullopt); }},
        {"get_conversation_by_turns", [](AdvancedSqliteSession& s) { (void)s.getConversationByTurns(std::nullopt); }},
        {"get_tool_usage", [](AdvancedSqliteSession& s) { (void)s.getToolUsage(std::nullopt); }},
        {"get_turn_usage(n)", [](AdvancedSqliteSession& s) { (void)s.getTurnUsage(1, std::nullopt); }},
        {"get_turn_usage()", [](AdvancedSqliteSession& s) { (void)s.getTurnUsages(std::nullopt); }},
        {"list_branches", [](AdvancedSqliteSession& s) { (void)s.listBranches(); }},
        {"store_run_usage", [](AdvancedSqliteSession& s) { (void)s.storeRunUsage(usage(1, 1, 1, 2)); }},
        {"add_items", [](AdvancedSqliteSession& s) { (void)s.addItems(Items({R"({"role": "assistant", "content": "x"})"})); }},
        {"pop_item", [](AdvancedSqliteSession& s) { (void)s.popItem(); }},
    };
    const QList<std::pair<const char*, Call>> notRefreshing = {
        {"get_session_usage", [](AdvancedSqliteSession& s) { (void)s.getSessionUsage(std::nullopt); }},
        {"get_items(branch)", [](AdvancedSqliteSession& s) { (void)s.getItems(std::nullopt, u"main"_s); }},
        {"get_turn_usage(branch)", [](AdvancedSqliteSession& s) { (void)s.getTurnUsages(u"main"_s); }},
        {"get_tool_usage(branch)", [](AdvancedSqliteSession& s) { (void)s.getToolUsage(u"main"_s); }},
        {"find_turns_by_content(branch)", [](AdvancedSqliteSession& s) { (void)s.findTurnsByContent(u"u"_s, u"main"_s); }},
        {"delete_branch", [](AdvancedSqliteSession& s) { (void)s.deleteBranch(u"nope"_s, false); }},
    };
    // A fresh object caches generation 0: after any earlier clear it mismatches, so its first
    // refreshing call goes back to main (the pointer set by hand simulates a remembered branch).
    for (const auto& [name, call] : refreshing) {
        auto c = openAdvanced(path, u"s"_s, false);
        ASSERT_TRUE(c);
        c->setCurrentBranch(u"ghost"_s);
        call(*c);
        EXPECT_EQ(c->currentBranch(), u"main"_s) << name;
    }
    for (const auto& [name, call] : notRefreshing) {
        auto c = openAdvanced(path, u"s"_s, false);
        ASSERT_TRUE(c);
        c->setCurrentBranch(u"ghost"_s);
        call(*c);
        EXPECT_EQ(c->currentBranch(), u"ghost"_s) << name;
    }
    // Without a clear there is nothing to notice: a session with no generation row keeps its pointer.
    auto other = openAdvanced(path, u"never-cleared"_s, false);
    ASSERT_TRUE(other);
    other->setCurrentBranch(u"ghost"_s);
    EXPECT_EQ(itemsText(*other), QByteArray("[]"));
    EXPECT_EQ(other->currentBranch(), u"ghost"_s);
    // switch_to_branch synchronises the cached generation.
    auto d = openAdvanced(path, u"s"_s, false);
    ASSERT_TRUE(d);
    TB_ASSERT_OK(d->switchToBranch(u"main"_s));
    d->setCurrentBranch(u"ghost"_s);
    (void)d->getItems();
    EXPECT_EQ(d->currentBranch(), u"ghost"_s);
}

TEST_F(SdkBranching, ClearWhileAnotherInstanceWorksOnABranch)
{
    auto a = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(a);
    auto b = openAdvanced(path, u"s"_s, false);
    ASSERT_TRUE(b);
    TB_ASSERT_OK(a->addItems(Items({R"({"role": "user", "content": "n1"})", R"({"role": "assistant", "content": "n2"})",
                                    R"({"role": "user", "content": "n3"})"})));
    ASSERT_EQ(a->createBranchFromTurn(2, u"alt2"_s).value(), u"alt2"_s);
    TB_ASSERT_OK(b->clearSession());
    TB_ASSERT_OK(b->addItems(Items({R"({"role": "user", "content": "m1"})"})));
    // store_run_usage refreshes first, so the usage lands on main's turn 1.
    TB_EXPECT_OK(a->storeRunUsage(usage(1, 0, 0, 7)));
    EXPECT_EQ(a->currentBranch(), u"main"_s);
    RawDb raw(path);
    EXPECT_EQ(raw.lines(u"SELECT branch_id, user_turn_number, total_tokens FROM turn_usage"_s), QStringList({u"main|1|7"_s}));
    // add_items after the refresh writes to main, not to the stale branch.
    auto f = openAdvanced(path, u"s"_s, false);
    ASSERT_TRUE(f);
    f->setCurrentBranch(u"alt2"_s);
    TB_ASSERT_OK(f->addItems(Items({R"({"role": "user", "content": "f"})"})));
    EXPECT_EQ(f->currentBranch(), u"main"_s);
    EXPECT_EQ(raw.lines(u"SELECT branch_id, COUNT(*) FROM message_structure GROUP BY 1"_s), QStringList({u"main|2"_s}));
    // pop on a stale pointer pops main.
    auto g = openAdvanced(path, u"s"_s, false);
    ASSERT_TRUE(g);
    g->setCurrentBranch(u"alt2"_s);
    auto popped = g->popItem();
    TB_ASSERT_OK(popped);
    EXPECT_EQ((*popped)->dump(), QByteArray(R"({"role": "user", "content": "f"})"));
    EXPECT_EQ(g->currentBranch(), u"main"_s);
}

// --- §3.3 ownership check -----------------------------------------------------------------------

const char* const kBase =
    "CREATE TABLE agent_sessions (session_id TEXT PRIMARY KEY, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP "
    "DEFAULT CURRENT_TIMESTAMP);"
    "CREATE TABLE agent_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, message_data TEXT NOT NULL, "
    "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (session_id) REFERENCES agent_sessions (session_id) ON DELETE CASCADE);";
const char* const kBareBase =
    "CREATE TABLE agent_sessions (session_id TEXT PRIMARY KEY, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP "
    "DEFAULT CURRENT_TIMESTAMP);"
    "CREATE TABLE agent_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, message_data TEXT NOT NULL, "
    "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (session_id) REFERENCES agent_sessions ON DELETE CASCADE);";
const char* const kStructure =
    "CREATE TABLE message_structure (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, message_id INTEGER NOT NULL, "
    "branch_id TEXT NOT NULL DEFAULT 'main', message_type TEXT NOT NULL, sequence_number INTEGER NOT NULL, user_turn_number INTEGER, "
    "branch_turn_number INTEGER, tool_name TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (session_id) REFERENCES "
    "agent_sessions(session_id) ON DELETE CASCADE, FOREIGN KEY (message_id) REFERENCES agent_messages(id) ON DELETE CASCADE);";
const char* const kBareStructure =
    "CREATE TABLE message_structure (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, message_id INTEGER NOT NULL, "
    "branch_id TEXT NOT NULL DEFAULT 'main', message_type TEXT NOT NULL, sequence_number INTEGER NOT NULL, user_turn_number INTEGER, "
    "branch_turn_number INTEGER, tool_name TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (session_id) REFERENCES "
    "agent_sessions ON DELETE CASCADE, FOREIGN KEY (message_id) REFERENCES agent_messages ON DELETE CASCADE);";
const char* const kUsage =
    "CREATE TABLE turn_usage (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, branch_id TEXT NOT NULL DEFAULT 'main', "
    "user_turn_number INTEGER NOT NULL, requests INTEGER DEFAULT 0, input_tokens INTEGER DEFAULT 0, output_tokens INTEGER DEFAULT 0, "
    "total_tokens INTEGER DEFAULT 0, input_tokens_details JSON, output_tokens_details JSON, created_at TIMESTAMP DEFAULT "
    "CURRENT_TIMESTAMP, FOREIGN KEY (session_id) REFERENCES agent_sessions(session_id) ON DELETE CASCADE, UNIQUE(session_id, branch_id, "
    "user_turn_number));";
const char* const kBareUsage =
    "CREATE TABLE turn_usage (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, branch_id TEXT NOT NULL DEFAULT 'main', "
    "user_turn_number INTEGER NOT NULL, requests INTEGER DEFAULT 0, input_tokens INTEGER DEFAULT 0, output_tokens INTEGER DEFAULT 0, "
    "total_tokens INTEGER DEFAULT 0, input_tokens_details JSON, output_tokens_details JSON, created_at TIMESTAMP DEFAULT "
    "CURRENT_TIMESTAMP, FOREIGN KEY (session_id) REFERENCES agent_sessions ON DELETE CASCADE, UNIQUE(session_id, branch_id, "
    "user_turn_number));";

QString msg1(const QString& table, const QString& p)
{
    return u"The `"_s + table + u"` table in "_s + p
           + u" does not record exactly one owner foreign key for each required base-table column. Construct an AdvancedSQLiteSession "
             "with create_tables=True to create and claim the structure tables before opening the database without them."_s;
}

QString msg2(const QString& p)
{
    return u"The configured base tables in "_s + p
           + u" are missing. Construct an AdvancedSQLiteSession with create_tables=True to initialize and claim the database before "
             "opening it without table creation."_s;
}

QString msg3(const QString& p, const QString& found)
{
    return u"The configured messages table 'agent_messages' in "_s + p + u" belongs to sessions table '"_s + found
           + u"', not to the configured 'agent_sessions'. Give each sessions_table/messages_table pair its own db_path."_s;
}

QString msg4(const QString& table, const QString& p, const QString& found, const QString& configured)
{
    return u"The `"_s + table + u"` table in "_s + p + u" already belongs to '"_s + found + u"', not to the configured '"_s + configured
           + u"'. Structure tables are shared per database file, so give each sessions_table/messages_table pair its own db_path."_s;
}

class Ownership : public ::testing::Test
{
protected:
    // A file with this DDL; the path is spelled with a doubled slash to check it is reported as given.
    QString makeFile(const QString& name, const char* ddl)
    {
        const QString p = dir.path() + u"//"_s + name;
        if (ddl) {
            RawDb raw(p);
            for (const QString& stmt : QString::fromUtf8(ddl).split(u';', Qt::SkipEmptyParts))
                raw.exec(stmt);
        }
        return p;
    }

    QStringList tables(const QString& p)
    {
        RawDb raw(p);
        return raw.strings(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s);
    }

    core::Result<std::unique_ptr<AdvancedSqliteSession>> open(const QString& p, bool createTables)
    {
        AdvancedSqliteSession::Options o;
        o.createTables = createTables;
        return AdvancedSqliteSession::open(p, u"s"_s, o);
    }

    tb::test::TempDir dir;
};

TEST_F(Ownership, FreshAndPlainFilesNeedCreateTables)
{
    const QString fresh = makeFile(u"fresh.db"_s, nullptr);
    TB_EXPECT_VALUE_ERROR(open(fresh, false), msg1(u"message_structure"_s, fresh));
    EXPECT_EQ(tables(fresh), QStringList());

    const QString plainFile = dir.path() + u"//plain.db"_s;
    {
        auto plain = openPlain(plainFile, u"p"_s);
        ASSERT_TRUE(plain);
        TB_ASSERT_OK(plain->addItems(Items({R"({"role": "user", "content": "hi"})"})));
    }
    TB_EXPECT_VALUE_ERROR(open(plainFile, false), msg1(u"message_structure"_s, plainFile));
    // create_tables=True claims it; afterwards create_tables=False opens it.
    TB_EXPECT_OK(open(plainFile, true));
    TB_EXPECT_OK(open(plainFile, false));
    RawDb raw(plainFile);
    EXPECT_EQ(raw.lines(u"SELECT * FROM session_clear_generations"_s), QStringList({u"s|0"_s}));

    const QString usageMissing = makeFile(u"msonly.db"_s, nullptr);
    {
        RawDb r(usageMissing);
        for (const QString& stmt : QString(QString::fromUtf8(kBase) + QString::fromUtf8(kStructure)).split(u';', Qt::SkipEmptyParts))
            r.exec(stmt);
    }
    TB_EXPECT_VALUE_ERROR(open(usageMissing, false), msg1(u"turn_usage"_s, usageMissing));
}

TEST_F(Ownership, BareReferencesAreRefusedEvenWithCreateTables)
{
    const QString ddl = QString::fromUtf8(kBase) + QString::fromUtf8(kBareStructure) + QString::fromUtf8(kUsage);
    const QString p = makeFile(u"bare.db"_s, ddl.toUtf8().constData());
    const QString m = msg4(u"message_structure"_s, p, u"agent_sessions(None)/agent_messages(None)"_s, u"agent_sessions/agent_messages"_s);
    TB_EXPECT_VALUE_ERROR(open(p, false), m);
    TB_EXPECT_VALUE_ERROR(open(p, true), m);
    // The failed create_tables=True transaction created nothing.
    EXPECT_EQ(tables(p), QStringList({u"agent_messages"_s, u"agent_sessions"_s, u"message_structure"_s, u"sqlite_sequence"_s, u"turn_usage"_s}));

    const QString ddl2 = QString::fromUtf8(kBase) + QString::fromUtf8(kStructure) + QString::fromUtf8(kBareUsage);
    const QString p2 = makeFile(u"bareusage.db"_s, ddl2.toUtf8().constData());
    const QString m2 = msg4(u"turn_usage"_s, p2, u"agent_sessions(None)"_s, u"agent_sessions"_s);
    TB_EXPECT_VALUE_ERROR(open(p2, false), m2);
    TB_EXPECT_VALUE_ERROR(open(p2, true), m2);
}

TEST_F(Ownership, MessagesTableOwnershipAndMissingBaseTables)
{
    const QString ddl = QString::fromUtf8(kBareBase) + QString::fromUtf8(kStructure) + QString::fromUtf8(kUsage);
    const QString p = makeFile(u"barebase.db"_s, ddl.toUtf8().constData());
    TB_EXPECT_VALUE_ERROR(open(p, false), msg3(p, u"ambiguous ownership"_s));
    TB_EXPECT_VALUE_ERROR(open(p, true), msg3(p, u"ambiguous ownership"_s));

    const QString ddl2 = QString::fromUtf8(kStructure) + QString::fromUtf8(kUsage);
    const QString p2 = makeFile(u"nobase.db"_s, ddl2.toUtf8().constData());
    TB_EXPECT_VALUE_ERROR(open(p2, false), msg2(p2));
    EXPECT_EQ(tables(p2), QStringList({u"message_structure"_s, u"sqlite_sequence"_s, u"turn_usage"_s}));
    TB_EXPECT_OK(open(p2, true)); // creates the base tables in the same transaction

    // Parents that name another table, or the wrong column.
    QString ddl3 = QString::fromUtf8(kBase) + u"CREATE TABLE other_sessions (session_id TEXT PRIMARY KEY);"_s
                   + QString::fromUtf8(kStructure).replace(u"REFERENCES agent_sessions(session_id)"_s, u"REFERENCES other_sessions(session_id)"_s)
                   + QString::fromUtf8(kUsage);
    const QString p3 = makeFile(u"wrongparent.db"_s, ddl3.toUtf8().constData());
    TB_EXPECT_VALUE_ERROR(open(p3, false), msg4(u"message_structure"_s, p3, u"other_sessions(session_id)/agent_messages(id)"_s,
                                                u"agent_sessions/agent_messages"_s));
    QString ddl4 = QString::fromUtf8(kBase) + QString::fromUtf8(kStructure).replace(u"agent_messages(id)"_s, u"agent_messages(session_id)"_s)
                   + QString::fromUtf8(kUsage);
    const QString p4 = makeFile(u"wrongcol.db"_s, ddl4.toUtf8().constData());
    TB_EXPECT_VALUE_ERROR(open(p4, false), msg4(u"message_structure"_s, p4, u"agent_sessions(session_id)/agent_messages(session_id)"_s,
                                                u"agent_sessions/agent_messages"_s));
    // Two FKs from the same column: not exactly one.
    QString ddl5 = QString::fromUtf8(kBase)
                   + QString::fromUtf8(kStructure).replace(u"ON DELETE CASCADE);"_s,
                                                           u"ON DELETE CASCADE, FOREIGN KEY (session_id) REFERENCES agent_sessions(session_id));"_s)
                   + QString::fromUtf8(kUsage);
    const QString p5 = makeFile(u"twofk.db"_s, ddl5.toUtf8().constData());
    TB_EXPECT_VALUE_ERROR(open(p5, true), msg1(u"message_structure"_s, p5));
    // Identifiers compare with NOCASE.
    QString ddl6 = QString::fromUtf8(kBase).replace(u"REFERENCES agent_sessions (session_id)"_s, u"REFERENCES AGENT_SESSIONS (SESSION_ID)"_s)
                   + QString::fromUtf8(kStructure).replace(u"agent_messages(id)"_s, u"Agent_Messages(ID)"_s) + QString::fromUtf8(kUsage);
    const QString p6 = makeFile(u"upper.db"_s, ddl6.toUtf8().constData());
    TB_EXPECT_OK(open(p6, false));
}

TEST_F(Ownership, OneTablePairPerFile)
{
    const QString p = dir.filePath(u"pair.db"_s);
    const auto openPair = [&](bool createTables, const QString& sessions, const QString& messages) {
        AdvancedSqliteSession::Options o;
        o.createTables = createTables;
        o.tables.sessions = sessions;
        o.tables.messages = messages;
        return AdvancedSqliteSession::open(p, u"s"_s, o);
    };
    {
        auto s = openPair(true, u"My_Sessions"_s, u"my_messages"_s);
        TB_ASSERT_OK(s);
        TB_ASSERT_OK((*s)->addItems(Items({R"({"role": "user", "content": "u1"})"})));
    }
    // Identifiers compare like SQLite's NOCASE.
    auto again = openPair(false, u"my_sessions"_s, u"MY_MESSAGES"_s);
    TB_ASSERT_OK(again);
    EXPECT_EQ(itemsText(**again), QByteArray(R"([{"role": "user", "content": "u1"}])"));
    // The default pair cannot share the file: the failing create_tables=True rolls its base tables back…
    TB_EXPECT_VALUE_ERROR(openPair(true, u"agent_sessions"_s, u"agent_messages"_s),
                          msg4(u"message_structure"_s, p, u"My_Sessions(session_id)/my_messages(id)"_s, u"agent_sessions/agent_messages"_s));
    // …so without create_tables they are missing.
    TB_EXPECT_VALUE_ERROR(openPair(false, u"agent_sessions"_s, u"agent_messages"_s), msg2(p));
    {
        RawDb raw(p);
        raw.exec(u"CREATE TABLE s2 (session_id TEXT PRIMARY KEY)"_s);
    }
    TB_EXPECT_VALUE_ERROR(openPair(false, u"s2"_s, u"my_messages"_s),
                          u"The configured messages table 'my_messages' in "_s + p
                              + u" belongs to sessions table 'My_Sessions', not to the configured 's2'. Give each "
                                "sessions_table/messages_table pair its own db_path."_s);
    TB_EXPECT_VALUE_ERROR(openPair(false, u"nosuch"_s, u"my_messages"_s), msg2(p));
    RawDb raw(p);
    EXPECT_EQ(raw.strings(u"SELECT name FROM sqlite_master WHERE name LIKE 'idx%messages%'"_s), QStringList({u"idx_my_messages_session_id"_s}));
    EXPECT_FALSE(raw.tableExists(u"agent_sessions"_s));
}

Json loadJsonFile(const QString& file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    auto r = Json::parse(f.readAll());
    return r ? std::move(r).value() : Json();
}

TEST_F(Ownership, CreatedFilesHaveTheSdkDdlAndPassTheCheck)
{
    const Json expected = loadJsonFile(tb::test::sdkFixture(u"multi.expected.json"_s));
    const Json::Array& schema = expected[u"final_state"][u"schema"].asArray();
    ASSERT_EQ(schema.size(), 13u);
    const QString p = dir.filePath(u"created.db"_s);
    {
        auto s = open(p, true);
        TB_ASSERT_OK(s);
        addTurns(**s, 1, 2);
        ASSERT_TRUE((*s)->createBranchFromTurn(2, u"b"_s).has_value());
        TB_ASSERT_OK((*s)->clearSession());
        addTurns(**s, 1, 1);
    }
    RawDb raw(p);
    QStringList got;
    for (const QVariantList& r : raw.rows(u"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"_s))
        got << r.at(0).toString() + u'|' + r.at(1).toString() + u'|' + r.at(2).toString() + u'|' + r.at(3).toString();
    QStringList want;
    for (const Json& e : schema)
        want << e[u"type"].toString() + u'|' + e[u"name"].toString() + u'|' + e[u"tbl_name"].toString() + u'|' + e[u"sql"].toString();
    EXPECT_EQ(got, want);
    // Every FK spells its parent column, so the SDK's check passes on our file.
    EXPECT_EQ(raw.lines(u"SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('message_structure') ORDER BY \"from\""_s),
              QStringList({u"agent_messages|message_id|id"_s, u"agent_sessions|session_id|session_id"_s}));
    EXPECT_EQ(raw.lines(u"SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('turn_usage')"_s),
              QStringList({u"agent_sessions|session_id|session_id"_s}));
    EXPECT_EQ(raw.lines(u"SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('agent_messages')"_s),
              QStringList({u"agent_sessions|session_id|session_id"_s}));
    EXPECT_EQ(raw.scalar(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    TB_EXPECT_OK(open(p, false));
    // The fixture itself passes too.
    const QString fixture = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(fixture.isEmpty());
    auto f = AdvancedSqliteSession::open(fixture, u"customer-1000"_s, {});
    TB_EXPECT_OK(f);
}

} // namespace
} // namespace tb::test::storage
