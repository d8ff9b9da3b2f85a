// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Items, turns and the rows behind them (spec sdk-sessions.md §2, §4, §5, §6.1–§6.5): numbering,
// classification, get_items limits, pop_item, clear_session, byte-exact JSON and reading files of
// every SDK generation (missing tables, dangling rows, NULL turns, corrupt JSON).

#include "StorageTestSupport.h"

#include <QRegularExpression>

namespace tb::test::storage {
namespace {

class SdkItems : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        path = dir.filePath(u"items.db"_s);
    }

    // "type|tool|user_turn|branch_turn|seq" per structure row of the session, in insert order.
    QStringList structure(const QString& session = u"s"_s, const QString& branch = u"main"_s)
    {
        RawDb raw(path);
        return raw.lines(u"SELECT message_type, tool_name, user_turn_number, branch_turn_number, sequence_number "
                         "FROM message_structure WHERE session_id = ? AND branch_id = ? ORDER BY id"_s,
                         {session, branch});
    }

    tb::test::TempDir dir;
    QString path;
};

// --- §6.2 numbering -----------------------------------------------------------------------------

TEST_F(SdkItems, TwoUsersInOneBatchAndTurnZero)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "system", "content": "be nice"})"})));
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "q1"})", R"({"role": "assistant", "content": "r1"})",
                                    R"({"type": "message", "role": "user", "content": "q2"})",
                                    R"({"arguments": "{}", "call_id": "c1", "name": "lookup", "type": "function_call"})",
                                    R"({"call_id": "c1", "output": "ok", "type": "function_call_output"})"})));
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "assistant", "content": "r2"})"})));
    TB_ASSERT_OK(s->addItems(Items({R"({"content": "q3", "role": "user"})"})));
    EXPECT_EQ(structure(), QStringList({u"other|NULL|0|0|1"_s, u"user|NULL|1|1|2"_s, u"assistant|NULL|1|1|3"_s, u"user|NULL|2|2|4"_s,
                                        u"function_call|lookup|2|2|5"_s, u"function_call_output|NULL|2|2|6"_s,
                                        u"assistant|NULL|2|2|7"_s, u"user|NULL|3|3|8"_s}));
    // Message ids follow the batch order.
    RawDb raw(path);
    EXPECT_EQ(raw.lines(u"SELECT ms.sequence_number, am.id FROM message_structure ms JOIN agent_messages am ON am.id = ms.message_id "
                        "ORDER BY ms.sequence_number"_s),
              QStringList({u"1|1"_s, u"2|2"_s, u"3|3"_s, u"4|4"_s, u"5|5"_s, u"6|6"_s, u"7|7"_s, u"8|8"_s}));
}

TEST_F(SdkItems, TurnsArePerBranchSequenceIsSessionWide)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 3);
    ASSERT_EQ(s->createBranchFromTurn(3, u"alt"_s).value(), u"alt"_s);
    // The copies keep their turn numbers and get new sequence numbers after the session maximum.
    EXPECT_EQ(structure(u"s"_s, u"alt"_s),
              QStringList({u"user|NULL|1|1|7"_s, u"assistant|NULL|1|1|8"_s, u"user|NULL|2|2|9"_s, u"assistant|NULL|2|2|10"_s}));
    // The next user item on a branch made from turn N gets turn N.
    addTurns(*s, 30, 30);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    addTurns(*s, 4, 4);
    EXPECT_EQ(structure(u"s"_s, u"alt"_s).mid(4), QStringList({u"user|NULL|3|3|11"_s, u"assistant|NULL|3|3|12"_s}));
    EXPECT_EQ(structure().mid(6), QStringList({u"user|NULL|4|4|13"_s, u"assistant|NULL|4|4|14"_s}));
    EXPECT_EQ(itemsText(*s, std::nullopt, u"alt"_s),
              QByteArray(R"([{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, )"
                         R"({"role": "user", "content": "u2"}, {"role": "assistant", "content": "a2"}, )"
                         R"({"role": "user", "content": "u30"}, {"role": "assistant", "content": "a30"}])"));
}

TEST_F(SdkItems, TurnNumbersAreMaximaAndComputedPerColumn)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    {
        // A foreign writer left a gap in user_turn_number and a NULL row.
        RawDb raw(path);
        raw.exec(u"UPDATE message_structure SET user_turn_number = 7 WHERE sequence_number = 4"_s);
        raw.exec(u"UPDATE message_structure SET user_turn_number = NULL, branch_turn_number = NULL WHERE sequence_number = 3"_s);
    }
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "u3"})", R"({"role": "tool", "content": "t"})"})));
    EXPECT_EQ(structure().mid(4), QStringList({u"user|NULL|8|3|5"_s, u"other|NULL|8|3|6"_s}));
}

TEST_F(SdkItems, TurnAndSequenceAreReusedAfterPop)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 3);
    ASSERT_TRUE(s->popItem().value().has_value());
    ASSERT_TRUE(s->popItem().value().has_value());
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "again"})"})));
    EXPECT_EQ(structure().mid(4), QStringList({u"user|NULL|3|3|5"_s}));
    RawDb raw(path);
    // Message ids are AUTOINCREMENT: never reused.
    EXPECT_EQ(raw.lines(u"SELECT id FROM agent_messages ORDER BY id"_s),
              QStringList({u"1"_s, u"2"_s, u"3"_s, u"4"_s, u"7"_s}));
}

TEST_F(SdkItems, NumberingRestartsAfterClear)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 3);
    TB_ASSERT_OK(s->clearSession());
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "developer", "content": "d"})", R"({"role": "user", "content": "new"})"})));
    EXPECT_EQ(structure(), QStringList({u"other|NULL|0|0|1"_s, u"user|NULL|1|1|2"_s}));
    RawDb raw(path);
    EXPECT_EQ(raw.lines(u"SELECT id FROM agent_messages ORDER BY id"_s), QStringList({u"7"_s, u"8"_s}));
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_sessions WHERE session_id = 's'"_s), 1);
}

// --- §4.2 / §4.3 classification -----------------------------------------------------------------

TEST_F(SdkItems, ClassificationAndToolNames)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    struct Case
    {
        const char* item;
        QString row; // message_type|tool_name
    };
    const QList<Case> cases = {
        {R"({"role": "user", "type": "message", "content": "x"})", u"user|NULL"_s}, // role wins
        {R"({"role": "assistant", "content": "y"})", u"assistant|NULL"_s},
        {R"({"role": "system", "content": "x"})", u"other|NULL"_s},
        {R"({"type": "message", "role": "developer"})", u"message|NULL"_s},
        {R"({"type": ""})", u"other|NULL"_s},
        {R"({"type": 0})", u"other|NULL"_s},
        {R"({"type": 0.0})", u"other|NULL"_s},
        {R"({"type": false})", u"other|NULL"_s},
        {R"({"type": null})", u"other|NULL"_s},
        {R"({"type": 5})", u"5|NULL"_s},
        {R"({"type": true})", u"True|NULL"_s},
        {R"({"type": 1.5})", u"1.5|NULL"_s},
        {R"({"type": 2.0})", u"2.0|NULL"_s},
        {R"({"role": "system", "name": "x"})", u"other|x"_s},
        {R"({"type": "function_call", "name": "f"})", u"function_call|f"_s},
        {R"({"type": "function_call", "name": "f", "namespace": "ns"})", u"function_call|ns.f"_s},
        {R"({"type": "function_call", "name": "f", "namespace": "f"})", u"function_call|f"_s}, // reserved shape
        {R"({"type": "function_call", "name": "f", "namespace": ""})", u"function_call|f"_s},
        {R"({"type": "function_call", "name": "f", "namespace": null})", u"function_call|f"_s},
        {R"({"type": "function_call", "name": "", "namespace": "ns"})", u"function_call|"_s}, // "" not NULL
        {R"({"type": "function_call", "name": ""})", u"function_call|"_s},
        {R"({"type": "function_call", "name": null, "namespace": "ns"})", u"function_call|NULL"_s},
        {R"({"type": "function_call", "name": 5})", u"function_call|5"_s},
        {R"({"type": "function_call", "name": false})", u"function_call|False"_s},
        {R"({"type": "function_call", "name": "f", "namespace": 0})", u"function_call|0.f"_s},
        {R"({"type": "mcp_call", "server_label": "srv", "name": "t"})", u"mcp_call|srv.t"_s},
        {R"({"type": "mcp_call", "server_label": "", "name": "t"})", u"mcp_call|t"_s},
        {R"({"type": "mcp_call", "server_label": "srv", "name": ""})", u"mcp_call|srv"_s},
        {R"({"type": "mcp_call", "server_label": "srv"})", u"mcp_call|srv"_s},
        {R"({"type": "mcp_call", "server_label": "", "name": "", "namespace": "n"})", u"mcp_call|NULL"_s},
        {R"({"type": "mcp_call", "server_label": null, "name": "t"})", u"mcp_call|t"_s},
        {R"({"type": "mcp_call", "server_label": 7, "name": true})", u"mcp_call|7.True"_s},
        {R"({"type": "mcp_call", "name": "t", "namespace": "n"})", u"mcp_call|n.t"_s}, // no label: rule 3
        {R"({"type": "mcp_call", "name": "t"})", u"mcp_call|t"_s},
        {R"({"type": "mcp_approval_request", "server_label": "s2", "name": "t2"})", u"mcp_approval_request|s2.t2"_s},
        {R"({"type": "mcp_approval_request", "name": "t2", "namespace": "n2"})", u"mcp_approval_request|n2.t2"_s},
        {R"({"type": "computer_call"})", u"computer_call|computer_call"_s},
        {R"({"type": "web_search_call", "name": "ignored"})", u"web_search_call|web_search_call"_s},
        {R"({"type": "file_search_call"})", u"file_search_call|file_search_call"_s},
        {R"({"type": "code_interpreter_call"})", u"code_interpreter_call|code_interpreter_call"_s},
        {R"({"type": "tool_search_call", "name": "q"})", u"tool_search_call|tool_search"_s},
        {R"({"type": "tool_search_output"})", u"tool_search_output|tool_search"_s},
        {R"({"type": "function_call_output", "call_id": "c"})", u"function_call_output|NULL"_s},
        {R"({"type": "custom_tool_call", "name": "ct"})", u"custom_tool_call|ct"_s},
        {R"({"type": "reasoning", "summary": []})", u"reasoning|NULL"_s},
        {R"("hello")", u"other|NULL"_s},
        {R"([1, 2])", u"other|NULL"_s},
        {R"(42)", u"other|NULL"_s},
        {R"({"role": 1, "type": "t"})", u"t|NULL"_s},
        {R"({"role": "User", "content": "x"})", u"other|NULL"_s},
        {R"({"role": "user", "name": "u"})", u"user|u"_s},
        // Python's str() of other truthy scalars and of non-string names.
        {R"({"type": NaN})", u"nan|NULL"_s},
        {R"({"type": Infinity})", u"inf|NULL"_s},
        {R"({"type": 1e16})", u"1e+16|NULL"_s},
        {R"({"type": -0.0})", u"other|NULL"_s},
        {R"({"type": 10000000000000000000000000})", u"10000000000000000000000000|NULL"_s},
        {R"({"type": "x", "name": 1.0})", u"x|1.0"_s},
        {R"({"type": "x", "name": "n", "namespace": true})", u"x|True.n"_s},
        {R"({"type": "x", "name": []})", u"x|[]"_s},
        {R"({"type": "x", "name": {}})", u"x|{}"_s},
        {R"({"type": "x", "name": ["a", 1, null, true]})", u"x|['a', 1, None, True]"_s},
        {R"({"type": "x", "name": {"k": "v"}})", u"x|{'k': 'v'}"_s},
    };
    QList<Json> batch;
    QStringList expected;
    for (const Case& c : cases) {
        batch << J(c.item);
        expected << c.row;
    }
    TB_ASSERT_OK(s->addItems(batch));
    RawDb raw(path);
    EXPECT_EQ(raw.lines(u"SELECT message_type, tool_name FROM message_structure ORDER BY sequence_number"_s), expected);
    // Only the two role=user items open turns.
    EXPECT_EQ(raw.lines(u"SELECT DISTINCT user_turn_number FROM message_structure ORDER BY 1"_s), QStringList({u"1"_s, u"2"_s}));
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM message_structure WHERE typeof(tool_name) = 'text' AND tool_name = ''"_s), 2);
    // Non-object items round-trip through get_items.
    auto items = s->getItems(17);
    ASSERT_TRUE(items.has_value());
    ASSERT_EQ(items->size(), 17);
    EXPECT_EQ(dumpItems(items->mid(0, 6)), QByteArray(R"(["hello", [1, 2], 42, {"role": 1, "type": "t"}, {"role": "User", "content": "x"}, )"
                                            R"({"role": "user", "name": "u"}])"));
}

// --- get_items limits ---------------------------------------------------------------------------

TEST_F(SdkItems, GetItemsLimitRules)
{
    auto s = openAdvanced(path, u"s"_s, true, 3);
    ASSERT_TRUE(s);
    TB_ASSERT_OK(s->addItems(Items({R"({"n": 1})", R"({"n": 2})", R"({"n": 3})", R"({"n": 4})", R"({"n": 5})"})));
    EXPECT_EQ(itemsText(*s), QByteArray(R"([{"n": 3}, {"n": 4}, {"n": 5}])")); // session_settings.limit
    EXPECT_EQ(itemsText(*s, 2), QByteArray(R"([{"n": 4}, {"n": 5}])"));
    EXPECT_EQ(itemsText(*s, 1), QByteArray(R"([{"n": 5}])"));
    EXPECT_EQ(itemsText(*s, 0), QByteArray("[]"));
    EXPECT_EQ(itemsText(*s, -1), QByteArray(R"([{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}])"));
    EXPECT_EQ(itemsText(*s, -7), QByteArray(R"([{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}])"));
    EXPECT_EQ(itemsText(*s, 100), QByteArray(R"([{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}])"));
    EXPECT_EQ(itemsText(*s, 2, u"main"_s), QByteArray(R"([{"n": 4}, {"n": 5}])"));
    EXPECT_EQ(itemsText(*s, std::nullopt, QString()), QByteArray("[]")); // "" is a branch name
    EXPECT_EQ(itemsText(*s, std::nullopt, u"nope"_s), QByteArray("[]"));

    auto noLimit = openAdvanced(path, u"s"_s, false, 0);
    ASSERT_TRUE(noLimit);
    EXPECT_EQ(itemsText(*noLimit), QByteArray("[]")); // limit 0 from the settings
    EXPECT_EQ(itemsText(*noLimit, 2), QByteArray(R"([{"n": 4}, {"n": 5}])"));
}

TEST_F(SdkItems, GetItemsWidensTheWindowPastCorruptRows)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    TB_ASSERT_OK(s->addItems(Items({R"({"n": 1})", R"({"n": 2})", R"({"n": 3})", R"({"n": 4})", R"({"n": 5})", R"({"n": 6})"})));
    {
        RawDb raw(path);
        for (int seq : {7, 8, 9}) {
            raw.exec(u"INSERT INTO agent_messages (session_id, message_data) VALUES ('s', ?)"_s,
                     {seq == 8 ? u"{\"n\": "_s : u"not json"_s});
            raw.exec(u"INSERT INTO message_structure (session_id, message_id, branch_id, message_type, sequence_number, "
                     "user_turn_number, branch_turn_number) VALUES ('s', last_insert_rowid(), 'main', 'other', ?, 0, 0)"_s,
                     {seq});
        }
    }
    TB_ASSERT_OK(s->addItems(Items({R"({"n": 10})"})));
    EXPECT_EQ(itemsText(*s, 1), QByteArray(R"([{"n": 10}])"));
    EXPECT_EQ(itemsText(*s, 2), QByteArray(R"([{"n": 6}, {"n": 10}])"));
    EXPECT_EQ(itemsText(*s, 3), QByteArray(R"([{"n": 5}, {"n": 6}, {"n": 10}])"));
    EXPECT_EQ(itemsText(*s, 7), QByteArray(R"([{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}, {"n": 6}, {"n": 10}])"));
    EXPECT_EQ(itemsText(*s, 50), QByteArray(R"([{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}, {"n": 6}, {"n": 10}])"));
    EXPECT_EQ(itemsText(*s), QByteArray(R"([{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}, {"n": 6}, {"n": 10}])"));
    EXPECT_EQ(itemsText(*s, -1), QByteArray(R"([{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}, {"n": 6}, {"n": 10}])"));
    EXPECT_EQ(itemsText(*s, 0), QByteArray("[]"));

    // The plain session reads the same message rows by id, with the same rules.
    auto plain = openPlain(path, u"s"_s, 2);
    ASSERT_TRUE(plain);
    EXPECT_EQ(itemsText(*plain), QByteArray(R"([{"n": 6}, {"n": 10}])"));
    EXPECT_EQ(itemsText(*plain, 4), QByteArray(R"([{"n": 4}, {"n": 5}, {"n": 6}, {"n": 10}])"));
    EXPECT_EQ(itemsText(*plain, 0), QByteArray("[]"));
    EXPECT_EQ(itemsText(*plain, -3), QByteArray(R"([{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}, {"n": 6}, {"n": 10}])"));
}

// --- §6.4 pop_item ------------------------------------------------------------------------------

TEST_F(SdkItems, PopSkipsCorruptAndDanglingRows)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "u1"})", R"({"role": "assistant", "content": "a1"})"})));
    {
        RawDb raw(path);
        raw.exec(u"INSERT INTO agent_messages (session_id, message_data) VALUES ('s', '{broken')"_s);
        raw.exec(u"INSERT INTO message_structure (session_id, message_id, branch_id, message_type, sequence_number, "
                 "user_turn_number, branch_turn_number) VALUES ('s', last_insert_rowid(), 'main', 'assistant', 3, 1, 1)"_s);
        // A structure row whose message row is gone (written by an older SDK or a plain pop).
        raw.exec(u"INSERT INTO message_structure (session_id, message_id, branch_id, message_type, sequence_number, "
                 "user_turn_number, branch_turn_number) VALUES ('s', 9999, 'main', 'assistant', 4, 1, 1)"_s);
    }
    auto popped = s->popItem();
    TB_ASSERT_OK(popped);
    ASSERT_TRUE(popped->has_value());
    EXPECT_EQ((*popped)->dump(), QByteArray(R"({"role": "assistant", "content": "a1"})"));
    RawDb raw(path);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM message_structure"_s), 1);
    EXPECT_EQ(raw.strings(u"SELECT message_data FROM agent_messages"_s), QStringList({uR"({"role": "user", "content": "u1"})"_s}));
}

TEST_F(SdkItems, PopOrphanCleanupDeletesRowsOfAPlainWriter)
{
    // Spec §10.8: rows without structure rows (here written by SQLiteSession into the same
    // session id) are invisible to the advanced session and deleted by its next pop.
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 1);
    auto plain = openPlain(path, u"s"_s);
    ASSERT_TRUE(plain);
    TB_ASSERT_OK(plain->addItems(Items({R"({"role": "user", "content": "from plain"})"})));
    auto other = openPlain(path, u"other"_s);
    ASSERT_TRUE(other);
    TB_ASSERT_OK(other->addItems(Items({R"({"role": "user", "content": "other session"})"})));

    EXPECT_EQ(itemsText(*s), QByteArray(R"([{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}])"));
    EXPECT_EQ(itemsText(*plain), QByteArray(R"([{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, )"
                                            R"({"role": "user", "content": "from plain"}])"));
    auto popped = s->popItem();
    TB_ASSERT_OK(popped);
    EXPECT_EQ((*popped)->dump(), QByteArray(R"({"role": "assistant", "content": "a1"})"));
    EXPECT_EQ(itemsText(*plain), QByteArray(R"([{"role": "user", "content": "u1"}])"));
    EXPECT_EQ(itemsText(*other), QByteArray(R"([{"role": "user", "content": "other session"}])"));
}

TEST_F(SdkItems, PopRemovesTurnUsageWhenTheTurnEmpties)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 1);
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 10, 1, 11)));
    addTurns(*s, 2, 2);
    TB_ASSERT_OK(s->storeRunUsage(usage(2, 20, 2, 22)));
    RawDb raw(path);
    const QString turns = u"SELECT user_turn_number FROM turn_usage ORDER BY 1"_s;
    EXPECT_EQ(raw.lines(turns), QStringList({u"1"_s, u"2"_s}));
    ASSERT_TRUE(s->popItem().value().has_value()); // a2: turn 2 still has u2
    EXPECT_EQ(raw.lines(turns), QStringList({u"1"_s, u"2"_s}));
    ASSERT_TRUE(s->popItem().value().has_value()); // u2: turn 2 is gone
    EXPECT_EQ(raw.lines(turns), QStringList({u"1"_s}));
    EXPECT_FALSE(s->getTurnUsage(2, std::nullopt).value().has_value());
    EXPECT_TRUE(s->getTurnUsage(1, std::nullopt).value().has_value());
}

TEST_F(SdkItems, PopOnABranchKeepsSharedMessageRows)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alt"_s).has_value()); // alt = turn 1 (shared rows)
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 1, 1, 2)));
    auto popped = s->popItem();
    TB_ASSERT_OK(popped);
    EXPECT_EQ((*popped)->dump(), QByteArray(R"({"role": "assistant", "content": "a1"})"));
    RawDb raw(path);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 4); // still referenced by main
    EXPECT_EQ(itemsText(*s, std::nullopt, u"main"_s).count("content"), 4);
    EXPECT_EQ(itemsText(*s), QByteArray(R"([{"role": "user", "content": "u1"}])"));
    // Turn 1 still has u1 on alt: its usage row stays; main's usage is untouched anyway.
    EXPECT_EQ(raw.lines(u"SELECT branch_id, user_turn_number FROM turn_usage"_s), QStringList({u"alt|1"_s}));
    ASSERT_TRUE(s->popItem().value().has_value()); // u1 on alt: the turn empties
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM turn_usage"_s), 0);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 4);
    EXPECT_FALSE(s->popItem().value().has_value());

    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_TRUE(s->popItem().value().has_value()); // a2 only on main: its row goes
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 3);
}

TEST_F(SdkItems, PopOnEmptyBranchReturnsNoneAndEnsuresGenerationRow)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    {
        RawDb raw(path);
        raw.exec(u"DROP TABLE session_clear_generations"_s);
    }
    auto popped = s->popItem();
    TB_ASSERT_OK(popped);
    EXPECT_FALSE(popped->has_value());
    RawDb raw(path);
    EXPECT_EQ(raw.lines(u"SELECT session_id, generation FROM session_clear_generations"_s), QStringList({u"s|0"_s}));
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_sessions"_s), 0);
}

TEST_F(SdkItems, PopDoesNotBumpUpdatedAtButAddDoes)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    RawDb raw(path);
    raw.exec(u"UPDATE agent_sessions SET created_at = '2001-01-01 00:00:00', updated_at = '2001-01-01 00:00:00'"_s);
    ASSERT_TRUE(s->popItem().value().has_value());
    EXPECT_EQ(raw.lines(u"SELECT created_at, updated_at FROM agent_sessions"_s), QStringList({u"2001-01-01 00:00:00|2001-01-01 00:00:00"_s}));
    addTurns(*s, 3, 3);
    const QStringList after = raw.lines(u"SELECT created_at, updated_at FROM agent_sessions"_s);
    ASSERT_EQ(after.size(), 1);
    EXPECT_TRUE(after.first().startsWith(u"2001-01-01 00:00:00|20"_s));
    EXPECT_NE(after.first(), u"2001-01-01 00:00:00|2001-01-01 00:00:00"_s);
    // UTC text, 1 s resolution.
    EXPECT_TRUE(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$"_s).match(after.first().section(u'|', 1)).hasMatch());
}

TEST_F(SdkItems, PlainPopSkipsCorruptRows)
{
    auto plain = openPlain(path, u"p"_s);
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->popItem().value().has_value());
    TB_ASSERT_OK(plain->addItems(Items({R"({"n": 1})", R"({"n": 2})"})));
    {
        RawDb raw(path);
        raw.exec(u"INSERT INTO agent_messages (session_id, message_data) VALUES ('p', 'nope')"_s);
    }
    auto popped = plain->popItem();
    TB_ASSERT_OK(popped);
    EXPECT_EQ((*popped)->dump(), QByteArray(R"({"n": 2})"));
    RawDb raw(path);
    EXPECT_EQ(raw.strings(u"SELECT message_data FROM agent_messages"_s), QStringList({uR"({"n": 1})"_s}));
    TB_ASSERT_OK(plain->clearSession());
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_sessions"_s), 0);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 0);
}

// --- §6.5 clear_session -------------------------------------------------------------------------

TEST_F(SdkItems, ClearRemovesEveryBranchKeepsReservationsAndCountsGenerations)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    auto bystander = openAdvanced(path, u"other"_s, false);
    ASSERT_TRUE(bystander);
    addTurns(*bystander, 1, 1);
    TB_ASSERT_OK(bystander->storeRunUsage(usage(1, 1, 1, 2)));

    addTurns(*s, 1, 3);
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 1, 1, 2)));
    ASSERT_TRUE(s->createBranchFromTurn(3, u"alt"_s).has_value());
    addTurns(*s, 9, 9);
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 1, 1, 2)));
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_TRUE(s->createBranchFromTurn(1, u"empty"_s).has_value());
    ASSERT_EQ(s->currentBranch(), u"empty"_s);

    TB_ASSERT_OK(s->clearSession());
    EXPECT_EQ(s->currentBranch(), u"main"_s);
    RawDb raw(path);
    for (const char* table : {"agent_sessions", "agent_messages", "message_structure", "turn_usage"}) {
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM "_s + QString::fromLatin1(table) + u" WHERE session_id = 's'"_s), 0) << table;
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM "_s + QString::fromLatin1(table) + u" WHERE session_id = 'other'"_s),
                  QByteArrayView(table) == "agent_sessions" || QByteArrayView(table) == "turn_usage" ? 1 : 2)
            << table;
    }
    EXPECT_EQ(raw.strings(u"SELECT branch_id FROM branch_reservations WHERE session_id = 's' ORDER BY 1"_s),
              QStringList({u"alt"_s, u"empty"_s, u"main"_s}));
    EXPECT_EQ(raw.lines(u"SELECT session_id, generation FROM session_clear_generations ORDER BY 1"_s),
              QStringList({u"other|0"_s, u"s|1"_s}));
    EXPECT_EQ(branchList(*s), QStringList());
    EXPECT_FALSE(s->getSessionUsage(std::nullopt).value().has_value());

    TB_ASSERT_OK(s->clearSession()); // clearing an empty session still counts
    EXPECT_EQ(raw.lines(u"SELECT generation FROM session_clear_generations WHERE session_id = 's'"_s), QStringList({u"2"_s}));
    addTurns(*s, 1, 1);
    EXPECT_EQ(raw.lines(u"SELECT sequence_number, user_turn_number, branch_id FROM message_structure WHERE session_id = 's' ORDER BY id"_s),
              QStringList({u"1|1|main"_s, u"2|1|main"_s}));
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_sessions WHERE session_id = 's'"_s), 1);
}

TEST_F(SdkItems, WhenGenerationAndReservationRowsAreWritten)
{
    // Spec §3.2: which operations ensure the generation row and back-fill reservations.
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "u1"})", R"({"role": "assistant", "content": "a1"})",
                                    R"({"role": "user", "content": "u2"})"})));
    RawDb raw(path);
    // Reads the generation row and forgets it, so every step starts without one.
    const auto takeGeneration = [&raw] {
        const QStringList g = raw.lines(u"SELECT generation FROM session_clear_generations WHERE session_id = 's'"_s);
        raw.exec(u"DELETE FROM session_clear_generations"_s);
        return g;
    };
    EXPECT_EQ(takeGeneration(), QStringList({u"0"_s}));
    (void)s->getItems();
    (void)s->listBranches();
    (void)s->getConversationTurns(std::nullopt);
    (void)s->getSessionUsage(std::nullopt);
    (void)s->getTurnUsages(std::nullopt);
    TB_EXPECT_OK(s->storeRunUsage(usage(1, 1, 1, 2)));
    EXPECT_EQ(takeGeneration(), QStringList()) << "reads and store_run_usage";
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM branch_reservations"_s), 0);
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alt"_s).has_value());
    EXPECT_EQ(takeGeneration(), QStringList({u"0"_s})) << "branch creation";
    EXPECT_EQ(raw.lines(u"SELECT branch_id FROM branch_reservations ORDER BY 1"_s), QStringList({u"alt"_s, u"main"_s}));
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    EXPECT_EQ(takeGeneration(), QStringList({u"0"_s})) << "switch_to_branch";
    TB_ASSERT_OK(s->deleteBranch(u"alt"_s, false));
    EXPECT_EQ(takeGeneration(), QStringList()) << "delete_branch without force";
    addTurns(*s, 3, 3);
    EXPECT_EQ(takeGeneration(), QStringList({u"0"_s})) << "add_items";
    ASSERT_TRUE(s->popItem().value().has_value());
    EXPECT_EQ(takeGeneration(), QStringList({u"0"_s})) << "pop_item";
    TB_ASSERT_OK(s->clearSession());
    EXPECT_EQ(takeGeneration(), QStringList({u"1"_s})) << "clear_session";

    // Appending and switching never reserve anything; a pop back-fills main.
    auto r = openAdvanced(path, u"r"_s, false);
    ASSERT_TRUE(r);
    addTurns(*r, 1, 1);
    TB_ASSERT_OK(r->switchToBranch(u"main"_s));
    (void)r->listBranches();
    TB_EXPECT_OK(r->storeRunUsage(usage(1, 1, 1, 2)));
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM branch_reservations WHERE session_id = 'r'"_s), 0);
    ASSERT_TRUE(r->popItem().value().has_value());
    EXPECT_EQ(raw.lines(u"SELECT branch_id FROM branch_reservations WHERE session_id = 'r'"_s), QStringList({u"main"_s}));
}

TEST_F(SdkItems, EmptySessionIdIsAnOrdinaryString)
{
    // session_id="" is valid in Python; an empty QString (null or not) must not become SQL NULL.
    auto s = openAdvanced(path, QString());
    ASSERT_TRUE(s);
    addTurns(*s, 1, 1);
    ASSERT_EQ(s->createBranchFromTurn(1, QString()).value(), u""_s);
    auto plain = openPlain(path, QString());
    ASSERT_TRUE(plain);
    TB_ASSERT_OK(plain->addItems(Items({R"({"n": 1})"})));
    RawDb raw(path);
    EXPECT_EQ(raw.lines(u"SELECT typeof(session_id), session_id FROM agent_sessions"_s), QStringList({u"text|"_s}));
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages WHERE session_id = ''"_s), 3);
    EXPECT_EQ(raw.lines(u"SELECT session_id, branch_id FROM branch_reservations ORDER BY 2"_s), QStringList({u"|"_s, u"|main"_s}));
    EXPECT_EQ(itemsText(*s, std::nullopt, u"main"_s), QByteArray(R"([{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}])"));
}

// --- §2 byte-exact JSON -------------------------------------------------------------------------

TEST_F(SdkItems, StoredTextIsPythonJsonDumps)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    // Each pair: the item as given (raw UTF-8 where it matters), the text json.dumps writes.
    const QList<std::pair<const char*, const char*>> cases = {
        {R"({"content": "text", "role": "user"})", R"({"content": "text", "role": "user"})"},
        {"{\"role\":\"user\",\"content\":\"caf\xc3\xa9\"}", R"({"role": "user", "content": "caf\u00e9"})"},
        {"{\"content\": \"\xf0\x9f\x98\x80 \xe6\xb3\xa8\xe6\x96\x87 \xe2\x80\xa8\"}", R"({"content": "\ud83d\ude00 \u6ce8\u6587 \u2028"})"},
        {R"({"c": "\u0001\b\f\n\r\t\u001f\u007f\"\\/"})", R"({"c": "\u0001\b\f\n\r\t\u001f\u007f\"\\/"})"},
        {R"({"z": 1, "a": 2, "m": {"y": [], "b": {}}})", R"({"z": 1, "a": 2, "m": {"y": [], "b": {}}})"},
        {R"({"f": [1.0, 1e-07, 1e16, 0.1, -0.0, 2.5e-5, 1E+2, 123456789012345678901234567890, true, false, null]})",
         R"({"f": [1.0, 1e-07, 1e+16, 0.1, -0.0, 2.5e-05, 100.0, 123456789012345678901234567890, true, false, null]})"},
        {R"({"nan": NaN, "inf": Infinity, "ninf": -Infinity})", R"({"nan": NaN, "inf": Infinity, "ninf": -Infinity})"},
        {R"({"k\u00e9y": "v"})", R"({"k\u00e9y": "v"})"},
        {R"("just a string")", R"("just a string")"},
    };
    QList<Json> batch;
    for (const auto& c : cases)
        batch << J(c.first);
    TB_ASSERT_OK(s->addItems(batch));
    RawDb raw(path);
    const QStringList stored = raw.strings(u"SELECT message_data FROM agent_messages ORDER BY id"_s);
    ASSERT_EQ(stored.size(), cases.size());
    for (qsizetype i = 0; i < cases.size(); ++i)
        EXPECT_EQ(stored.at(i).toUtf8(), QByteArray(cases.at(i).second)) << "case " << i;
    // Stored as TEXT, and the plain class writes the same bytes.
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages WHERE typeof(message_data) <> 'text'"_s), 0);
    auto plain = openPlain(path, u"p"_s);
    ASSERT_TRUE(plain);
    TB_ASSERT_OK(plain->addItems(batch));
    EXPECT_EQ(raw.strings(u"SELECT message_data FROM agent_messages WHERE session_id = 'p' ORDER BY id"_s), stored);
    // Reading gives the same values back, key order included.
    auto items = s->getItems();
    TB_ASSERT_OK(items);
    ASSERT_EQ(items->size(), cases.size());
    for (qsizetype i = 0; i < cases.size(); ++i)
        EXPECT_EQ(items->at(i).dump(), QByteArray(cases.at(i).second)) << "case " << i;
}

TEST_F(SdkItems, UsageDetailsText)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 1);
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 100, 10, 110, 0, 5, 3)));
    RawDb raw(path);
    EXPECT_EQ(raw.lines(u"SELECT requests, input_tokens, output_tokens, total_tokens, input_tokens_details, output_tokens_details, "
                        "typeof(input_tokens_details) FROM turn_usage"_s),
              QStringList({uR"(1|100|10|110|{"cache_write_tokens": 0, "cached_tokens": 5}|{"reasoning_tokens": 3}|text)"_s}));
    core::RunUsage noDetails = usage(2, 3, 4, 7, 1, 1, 1);
    noDetails.hasDetails = false;
    TB_ASSERT_OK(s->storeRunUsage(noDetails));
    EXPECT_EQ(raw.lines(u"SELECT requests, input_tokens_details, output_tokens_details FROM turn_usage"_s), QStringList({u"2|NULL|NULL"_s}));
}

// --- reading every generation -------------------------------------------------------------------

Json loadExpected()
{
    QFile f(tb::test::sdkFixture(u"multi.expected.json"_s));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    auto r = Json::parse(f.readAll());
    return r ? std::move(r).value() : Json();
}

const Json* expectedSession(const Json& expected, const QString& id)
{
    for (const Json& s : expected[u"final_state"][u"sessions"].asArray()) {
        if (s[u"session_id"].toString() == id)
            return &s;
    }
    return nullptr;
}

TEST_F(SdkItems, ReadsAFileWithoutTheNewerTables)
{
    const QString db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    {
        RawDb raw(db);
        raw.exec(u"DROP TABLE branch_reservations"_s);
        raw.exec(u"DROP TABLE session_clear_generations"_s);
    }
    const Json expected = loadExpected();
    const Json* e = expectedSession(expected, u"customer-1001"_s);
    ASSERT_NE(e, nullptr);
    auto s = openAdvanced(db, u"customer-1001"_s, false);
    ASSERT_TRUE(s);
    auto items = s->getItems();
    TB_ASSERT_OK(items);
    EXPECT_EQ(Json(Json::Array(items->cbegin(), items->cend())), (*e)[u"advanced"][u"get_items_default"]);
    auto alt = s->getItems(std::nullopt, u"alt-1"_s);
    TB_ASSERT_OK(alt);
    EXPECT_EQ(Json(Json::Array(alt->cbegin(), alt->cend())), (*e)[u"advanced"][u"branches"][u"alt-1"][u"get_items"]);
    EXPECT_EQ(branchList(*s), QStringList({u"main*"_s, u"alt-1"_s}));
    TB_EXPECT_OK(s->getConversationTurns(std::nullopt));
    TB_EXPECT_OK(s->findTurnsByContent(u"order"_s, std::nullopt));
    TB_EXPECT_OK(s->getToolUsage(std::nullopt));
    TB_EXPECT_OK(s->getTurnUsages(std::nullopt));
    TB_EXPECT_OK(s->getConversationByTurns(std::nullopt));
    auto usageAll = s->getSessionUsage(std::nullopt);
    TB_ASSERT_OK(usageAll);
    ASSERT_TRUE(usageAll->has_value());
    EXPECT_EQ((*usageAll)->totalTokens, (*e)[u"advanced"][u"get_session_usage"][u"total_tokens"].toInt());
    TB_EXPECT_OK(s->storeRunUsage(usage(1, 2, 3, 5)));
    {
        // Reads (and store_run_usage's read-only refresh) create nothing.
        RawDb raw(db);
        EXPECT_FALSE(raw.tableExists(u"branch_reservations"_s));
        EXPECT_FALSE(raw.tableExists(u"session_clear_generations"_s));
    }
    // Writes create them lazily.
    addTurns(*s, 50, 50);
    {
        RawDb raw(db);
        EXPECT_FALSE(raw.tableExists(u"branch_reservations"_s));
        EXPECT_EQ(raw.lines(u"SELECT * FROM session_clear_generations"_s), QStringList({u"customer-1001|0"_s}));
    }
    ASSERT_TRUE(s->popItem().value().has_value());
    RawDb raw(db);
    EXPECT_EQ(raw.strings(u"SELECT branch_id FROM branch_reservations ORDER BY 1"_s), QStringList({u"alt-1"_s, u"main"_s}));
}

TEST_F(SdkItems, DanglingStructureRowsAreSkipped)
{
    const QString db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    const Json expected = loadExpected();
    const Json* e = expectedSession(expected, u"customer-1003"_s);
    ASSERT_NE(e, nullptr);
    {
        // Delete the message rows of main's first user item and its last item, leaving structure rows.
        RawDb raw(db);
        raw.exec(u"DELETE FROM agent_messages WHERE id IN (SELECT message_id FROM message_structure WHERE session_id = 'customer-1003' "
                 "AND sequence_number IN (SELECT MIN(sequence_number) FROM message_structure WHERE session_id = 'customer-1003' UNION "
                 "SELECT MAX(sequence_number) FROM message_structure WHERE session_id = 'customer-1003'))"_s);
    }
    auto s = openAdvanced(db, u"customer-1003"_s, false);
    ASSERT_TRUE(s);
    const Json::Array& all = (*e)[u"advanced"][u"get_items_default"].asArray();
    auto items = s->getItems();
    TB_ASSERT_OK(items);
    EXPECT_EQ(Json(Json::Array(items->cbegin(), items->cend())), Json(Json::Array(all.begin() + 1, all.end() - 1)));
    auto last2 = s->getItems(2);
    TB_ASSERT_OK(last2);
    EXPECT_EQ(Json(Json::Array(last2->cbegin(), last2->cend())), Json(Json::Array(all.end() - 3, all.end() - 1)));
    // Turn 1's user row is dangling: not a conversation turn, not branchable.
    auto turns = s->getConversationTurns(std::nullopt);
    TB_ASSERT_OK(turns);
    ASSERT_FALSE(turns->isEmpty());
    EXPECT_EQ(turns->first().turn, 2);
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(1, u"x"_s), u"Turn 1 does not contain a user message in branch 'main'"_s);
    // list_branches counts structure rows, dangling ones included.
    auto branches = s->listBranches();
    TB_ASSERT_OK(branches);
    EXPECT_EQ(branches->first().messageCount, (*e)[u"advanced"][u"list_branches"].asArray().at(0)[u"message_count"].toInt());
    // pop skips the dangling newest row and returns the one before it.
    auto popped = s->popItem();
    TB_ASSERT_OK(popped);
    ASSERT_TRUE(popped->has_value());
    EXPECT_EQ(**popped, all.at(all.size() - 2));
}

TEST_F(SdkItems, NullTurnNumbersAndCorruptJsonAreTolerated)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 3);
    {
        RawDb raw(path);
        raw.exec(u"UPDATE message_structure SET user_turn_number = NULL, branch_turn_number = NULL WHERE sequence_number IN (3, 4)"_s);
        raw.exec(u"UPDATE agent_messages SET message_data = '{\"role\": \"user\", \"content\": ' WHERE id = 5"_s);
    }
    auto byTurns = s->getConversationByTurns(std::nullopt);
    TB_ASSERT_OK(byTurns);
    ASSERT_EQ(byTurns->size(), 3);
    EXPECT_EQ(byTurns->at(0).turn, 1);
    EXPECT_EQ(byTurns->at(1).turn, std::nullopt); // the None key, in order of first appearance
    EXPECT_EQ(byTurns->at(1).items.size(), 2);
    EXPECT_EQ(byTurns->at(2).turn, 3);
    auto turns = s->getConversationTurns(std::nullopt);
    TB_ASSERT_OK(turns);
    // NULL sorts first; turn 3's user item is corrupt and skipped.
    ASSERT_EQ(turns->size(), 2);
    EXPECT_EQ(turns->at(0).turn, std::nullopt);
    EXPECT_EQ(turns->at(0).content, u"u2"_s);
    EXPECT_EQ(turns->at(1).turn, 1);
    EXPECT_EQ(itemsText(*s), QByteArray(R"([{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, )"
                                        R"({"role": "user", "content": "u2"}, {"role": "assistant", "content": "a2"}, )"
                                        R"({"role": "assistant", "content": "a3"}])"));
    auto stored = s->branchItems(u"main"_s, 0, -1);
    TB_ASSERT_OK(stored);
    ASSERT_EQ(stored->size(), 6);
    EXPECT_TRUE(stored->at(4).corrupt);
    EXPECT_EQ(stored->at(2).turn, std::nullopt);
    // A NULL-turn row is never copied into a branch.
    ASSERT_TRUE(s->createBranchFromTurn(3, u"b"_s).has_value());
    EXPECT_EQ(structure(u"s"_s, u"b"_s), QStringList({u"user|NULL|1|1|7"_s, u"assistant|NULL|1|1|8"_s}));
    // The next user item on main still numbers from the maximum.
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    addTurns(*s, 4, 4);
    EXPECT_EQ(structure().mid(6), QStringList({u"user|NULL|4|4|9"_s, u"assistant|NULL|4|4|10"_s}));
}

TEST_F(SdkItems, StoredTextIsReadLikeJsonLoads)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "u1"})"})));
    // Rows a foreign writer might leave; what json.loads makes of each (None = skipped).
    const QStringList rows = {u" {\"a\": 1} \n"_s, u"\ufeff{\"a\": 2}"_s, u"{\"a\": 3} x"_s, QString(), u"NaN"_s,
                              u"{\"a\": 4, \"b\": 0, \"a\": 5}"_s, u"null"_s, u"{\"a\": \"x\ny\"}"_s, u"{\"a\": \"\\ud83d\"}"_s,
                              u"1e400"_s, u"-0"_s, u"[]"_s, u"\"s\""_s, u"{\"a\": 1.5E3}"_s, u"{\"a\": 10000000000000000000000}"_s};
    {
        RawDb raw(path);
        int seq = 2;
        for (const QString& r : rows) {
            // Bound text loses a leading U+FEFF on the way in; spell that row as UTF-8 bytes.
            if (r.startsWith(QChar(0xfeff)))
                raw.exec(u"INSERT INTO agent_messages (session_id, message_data) VALUES ('s', CAST(X'"_s
                         + QString::fromLatin1(r.toUtf8().toHex()) + u"' AS TEXT))"_s);
            else
                raw.exec(u"INSERT INTO agent_messages (session_id, message_data) VALUES ('s', ?)"_s, {r.isNull() ? u""_s : r});
            raw.exec(u"INSERT INTO message_structure (session_id, message_id, branch_id, message_type, sequence_number, "
                     "user_turn_number, branch_turn_number) VALUES ('s', last_insert_rowid(), 'main', 'other', ?, 1, 1)"_s,
                     {seq++});
        }
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages WHERE hex(message_data) LIKE 'EFBBBF%'"_s), 1);
    }
    EXPECT_EQ(itemsText(*s), QByteArray(R"([{"role": "user", "content": "u1"}, {"a": 1}, NaN, {"a": 5, "b": 0}, null, {"a": "\ud83d"}, )"
                                        R"(Infinity, 0, [], "s", {"a": 1500.0}, {"a": 10000000000000000000000}])"));
    EXPECT_EQ(itemsText(*s, 3), QByteArray(R"(["s", {"a": 1500.0}, {"a": 10000000000000000000000}])"));
}

TEST_F(SdkItems, PlainSessionOnAnAdvancedFileLeavesDanglingRows)
{
    // Spec §10.12: SQLiteSession sees every message row (branches interleaved); its pop/clear
    // leave structure rows dangling, which the advanced reads then skip.
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "u1"})", R"({"role": "assistant", "content": "a1"})",
                                    R"({"role": "user", "content": "u2"})"})));
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alt"_s).has_value());
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "alt2"})"})));
    auto plain = openPlain(path, u"s"_s);
    ASSERT_TRUE(plain);
    EXPECT_EQ(itemsText(*plain), QByteArray(R"([{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, )"
                                            R"({"role": "user", "content": "u2"}, {"role": "user", "content": "alt2"}])"));
    auto popped = plain->popItem();
    TB_ASSERT_OK(popped);
    EXPECT_EQ((*popped)->dump(), QByteArray(R"({"role": "user", "content": "alt2"})"));
    EXPECT_EQ(itemsText(*s), QByteArray(R"([{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}])"));
    TB_ASSERT_OK(plain->clearSession());
    EXPECT_EQ(itemsText(*s), QByteArray("[]"));
    EXPECT_EQ(s->getConversationTurns(std::nullopt).value().size(), 0);
    auto branches = s->listBranches();
    TB_ASSERT_OK(branches);
    ASSERT_EQ(branches->size(), 2); // structure rows are still there
    for (const core::BranchInfo& b : *branches)
        EXPECT_EQ(b.messageCount, 3) << S(b.branchId);
    // The advanced pop walks over the dangling rows of its branch and finds nothing.
    auto none = s->popItem();
    TB_ASSERT_OK(none);
    EXPECT_FALSE(none->has_value());
    RawDb raw(path);
    EXPECT_EQ(raw.lines(u"SELECT branch_id, COUNT(*) FROM message_structure GROUP BY 1"_s), QStringList({u"main|3"_s}));
}

TEST_F(SdkItems, CreateTablesOnALegacyFileClaimsOnlyItsOwnSession)
{
    const QString db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    {
        RawDb raw(db);
        raw.exec(u"DROP TABLE branch_reservations"_s);
        raw.exec(u"DROP TABLE session_clear_generations"_s);
    }
    auto s = openAdvanced(db, u"customer-1001"_s, true);
    ASSERT_TRUE(s);
    RawDb raw(db);
    EXPECT_EQ(raw.lines(u"SELECT session_id, branch_id FROM branch_reservations ORDER BY 1, 2"_s),
              QStringList({u"customer-1001|alt-1"_s, u"customer-1001|main"_s}));
    EXPECT_EQ(raw.lines(u"SELECT session_id, generation FROM session_clear_generations"_s), QStringList({u"customer-1001|0"_s}));
    EXPECT_EQ(s->getItems().value().size(), 26);
}

TEST_F(SdkItems, PlainSessionReadsThePlainFixture)
{
    const QString db = tb::test::copySdkFixture(u"basic.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    auto plain = openPlain(db, u"customer-789"_s);
    ASSERT_TRUE(plain);
    auto items = plain->getItems();
    TB_ASSERT_OK(items);
    EXPECT_FALSE(items->isEmpty());
    // An AdvancedSQLiteSession refuses it until create_tables=True claims it (§3.3).
    auto adv = AdvancedSqliteSession::open(db, u"customer-789"_s, {});
    ASSERT_FALSE(adv.has_value());
    EXPECT_EQ(adv.error().code, Error::Code::Value);
}

} // namespace
} // namespace tb::test::storage
