// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// `threadbench sdk` end to end: a whole AdvancedSQLiteSession life driven through separate CLI
// processes (so nothing but the file carries state, as with separate Python processes), the plain
// SQLiteSession class against the SDK-written basic.db, and the constructor's ownership error.
#include "CliTestSupport.h"
#include "TempDir.h"
#include "TestData.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <gtest/gtest.h>

#include <map>
#include <optional>

namespace {

using namespace Qt::StringLiterals;
using namespace tb::test::cli;
using tb::core::Json;
using tb::test::copySdkFixture;
using tb::test::sdkFixture;
using tb::test::TempDir;

const QString kSession = u"life-1"_s;

// The ownership error of spec §3.3, message 1, for the structure table.
QString ownershipMessage(const QString& dbPath)
{
    return u"The `message_structure` table in %1 does not record exactly one owner foreign key for each required "
           u"base-table column. Construct an AdvancedSQLiteSession with create_tables=True to create and claim the "
           u"structure tables before opening the database without them."_s
        .arg(dbPath);
}

bool isTimestamp(const Json& v)
{
    static const QRegularExpression re(u"^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$"_s);
    return v.isString() && re.match(v.toString()).hasMatch();
}

// The same value with every "timestamp"/"created_at" replaced, after checking that it is one.
Json withoutTimes(const Json& v)
{
    if (v.isArray()) {
        Json::Array out;
        for (const Json& e : v.asArray())
            out.push_back(withoutTimes(e));
        return Json(std::move(out));
    }
    if (v.isObject()) {
        Json out = Json::object();
        for (const auto& [k, e] : v.asObject()) {
            if (k == u"timestamp" || k == u"created_at") {
                EXPECT_TRUE(isTimestamp(e)) << k.toStdString() << ": " << show(e);
                out.insert(k, Json("<time>"));
            } else {
                out.insert(k, withoutTimes(e));
            }
        }
        return out;
    }
    return v;
}

class SdkLifecycle : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_db = m_dir.filePath(u"life.db"_s);
    }

    CliRun sdk(const QString& method, const QString& kwargs = {}, const QStringList& options = {}) const
    {
        return runSdk(m_db, kSession, method, kwargs, options);
    }
    // Result of a successful call, after checking current_branch.
    Json ok(const QString& method, const QString& kwargs = {}, const QStringList& options = {},
            const QString& expectedBranch = u"main"_s) const
    {
        const Json doc = sdkOk(sdk(method, kwargs, options));
        EXPECT_EQ(doc[u"current_branch"].toString(), expectedBranch) << method.toStdString() << ": " << show(doc);
        return doc[u"result"];
    }
    QList<QVariantList> sql(const QString& query) const { return sqlRows(m_db, query, {kSession}); }

    TempDir m_dir;
    QString m_db;
};

// Items as the Runner would write them; the first is the one with non-ASCII and astral text.
const char* const kTurn1 = R"([
    {"content": "café 😀", "role": "user"},
    {"id": "msg_1", "content": [{"annotations": [], "text": "Bonjour — ça va? \"quoted\" back\\slash\ttab", "type": "output_text", "logprobs": []}],
     "role": "assistant", "status": "completed", "type": "message"}])";
const char* const kTurn2 = R"([
    {"content": "Where is order 42?", "role": "user"},
    {"arguments": "{\"order_id\": \"42\"}", "call_id": "call_1", "name": "check_order_status", "type": "function_call", "id": "fc_1", "status": "completed"},
    {"call_id": "call_1", "output": "{\"status\": \"shipped\"}", "type": "function_call_output"},
    {"id": "msg_2", "content": [{"annotations": [], "text": "It has shipped.", "type": "output_text", "logprobs": []}],
     "role": "assistant", "status": "completed", "type": "message"}])";
const char* const kTurn3 = R"([
    {"content": "Thanks a lot", "role": "user"},
    {"id": "msg_3", "content": [{"annotations": [], "text": "You're welcome.", "type": "output_text", "logprobs": []}],
     "role": "assistant", "status": "completed", "type": "message"}])";

QString addItems(const char* items)
{
    return u"{\"items\": "_s + QString::fromUtf8(items) + u'}';
}

Json concat(std::initializer_list<const char*> lists)
{
    Json::Array all;
    for (const char* l : lists) {
        const Json list = js(l);
        for (const Json& item : list.asArray())
            all.push_back(item);
    }
    return Json(std::move(all));
}

QString usageArg(int requests, int input, int output, int cached, int reasoning)
{
    return uR"({"usage": {"requests": %1, "input_tokens": %2, "output_tokens": %3, "total_tokens": %4, )"
           uR"("input_tokens_details": {"cached_tokens": %5, "cache_write_tokens": 0}, "output_tokens_details": {"reasoning_tokens": %6}}})"_s
        .arg(requests)
        .arg(input)
        .arg(output)
        .arg(input + output)
        .arg(cached)
        .arg(reasoning);
}

TEST_F(SdkLifecycle, AWholeSessionLifeThroughSeparateProcesses)
{
    // --- create the file -------------------------------------------------------------------------
    ASSERT_FALSE(QFileInfo::exists(m_db));
    EXPECT_EQ(dumped(sdkOk(sdk(u"open"_s, {}, {u"--create-tables"_s}))), R"({"result": null, "current_branch": "main"})");
    ASSERT_TRUE(QFileInfo::exists(m_db));
    // A later process may now open it without --create-tables.
    EXPECT_TRUE(ok(u"open"_s).isNull());
    EXPECT_EQ(dumped(ok(u"get_items"_s)), "[]");
    EXPECT_TRUE(ok(u"get_session_usage"_s).isNull());
    EXPECT_EQ(dumped(ok(u"list_branches"_s)), "[]");

    // --- turn 1, with non-ASCII and astral text ----------------------------------------------------
    EXPECT_TRUE(ok(u"add_items"_s, addItems(kTurn1)).isNull());
    const auto stored = sql(u"SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id"_s);
    ASSERT_EQ(stored.size(), 2);
    // Byte for byte what Python's json.dumps writes.
    EXPECT_EQ(stored[0][0].toString().toStdString(), R"({"content": "caf\u00e9 \ud83d\ude00", "role": "user"})");
    EXPECT_EQ(stored[1][0].toString().toStdString(),
              R"({"id": "msg_1", "content": [{"annotations": [], "text": "Bonjour \u2014 \u00e7a va? \"quoted\" back\\slash\ttab", )"
              R"("type": "output_text", "logprobs": []}], "role": "assistant", "status": "completed", "type": "message"})");
    const auto structure = sql(u"SELECT message_type, user_turn_number, branch_turn_number, sequence_number, branch_id "
                               u"FROM message_structure WHERE session_id = ? ORDER BY sequence_number"_s);
    ASSERT_EQ(structure.size(), 2);
    EXPECT_EQ(structure[0], (QVariantList{u"user"_s, 1, 1, 1, u"main"_s}));
    EXPECT_EQ(structure[1], (QVariantList{u"assistant"_s, 1, 1, 2, u"main"_s}));
    // The round trip gives back the same text, astral character included.
    const Json items1 = ok(u"get_items"_s);
    EXPECT_EQ(items1, js(kTurn1)) << show(items1);
    EXPECT_EQ(items1.asArray().at(0)[u"content"].toString(), u"caf\u00e9 \U0001F600"_s);
    EXPECT_TRUE(ok(u"store_run_usage"_s, usageArg(2, 100, 20, 10, 5)).isNull());
    // Details as the SDK writes them: declared field order, whatever order we passed.
    const auto usageRows = sql(u"SELECT user_turn_number, input_tokens_details, output_tokens_details, branch_id "
                               u"FROM turn_usage WHERE session_id = ?"_s);
    ASSERT_EQ(usageRows.size(), 1);
    EXPECT_EQ(usageRows[0], (QVariantList{1, uR"({"cache_write_tokens": 0, "cached_tokens": 10})"_s,
                                          uR"({"reasoning_tokens": 5})"_s, u"main"_s}));

    // --- turns 2 and 3 ------------------------------------------------------------------------------
    EXPECT_TRUE(ok(u"add_items"_s, addItems(kTurn2)).isNull());
    EXPECT_TRUE(ok(u"store_run_usage"_s, usageArg(3, 400, 40, 0, 0)).isNull());
    EXPECT_TRUE(ok(u"add_items"_s, addItems(kTurn3)).isNull());
    // Usage without details: the SDK's Usage normalises them to zeros.
    EXPECT_TRUE(ok(u"store_run_usage"_s, uR"({"usage": {"requests": 1, "input_tokens": 600, "output_tokens": 6, "total_tokens": 606}})"_s).isNull());
    // usage None stores nothing.
    EXPECT_TRUE(ok(u"store_run_usage"_s, uR"({"usage": null})"_s).isNull());

    const Json all = concat({kTurn1, kTurn2, kTurn3});
    EXPECT_EQ(ok(u"get_items"_s), all);
    EXPECT_EQ(ok(u"get_items"_s, uR"({"limit": 2})"_s), concat({kTurn3}));
    EXPECT_EQ(ok(u"get_items"_s, {}, {u"--limit-setting"_s, u"1"_s}), Json(Json::Array{all.asArray().back()}));
    EXPECT_EQ(ok(u"get_items"_s, uR"({"limit": 3})"_s, {u"--limit-setting"_s, u"1"_s}).size(), 3);
    EXPECT_EQ(dumped(ok(u"get_items"_s, uR"({"limit": 0})"_s)), "[]");
    EXPECT_EQ(ok(u"get_items"_s, uR"({"limit": -1})"_s), all);
    EXPECT_EQ(ok(u"get_items"_s, uR"({"branch_id": "main"})"_s), all);
    EXPECT_EQ(dumped(ok(u"get_items"_s, uR"({"branch_id": "nowhere"})"_s)), "[]");

    // --- usage queries ------------------------------------------------------------------------------
    EXPECT_EQ(dumped(ok(u"get_session_usage"_s)),
              R"({"requests": 6, "input_tokens": 1100, "output_tokens": 66, "total_tokens": 1166, "total_turns": 3})");
    EXPECT_EQ(dumped(ok(u"get_session_usage"_s, uR"({"branch_id": "main"})"_s)),
              R"({"requests": 6, "input_tokens": 1100, "output_tokens": 66, "total_tokens": 1166, "total_turns": 3})");
    EXPECT_EQ(dumped(ok(u"get_turn_usage"_s)),
              R"([{"user_turn_number": 1, "requests": 2, "input_tokens": 100, "output_tokens": 20, "total_tokens": 120, )"
              R"("input_tokens_details": {"cache_write_tokens": 0, "cached_tokens": 10}, "output_tokens_details": {"reasoning_tokens": 5}}, )"
              R"({"user_turn_number": 2, "requests": 3, "input_tokens": 400, "output_tokens": 40, "total_tokens": 440, )"
              R"("input_tokens_details": {"cache_write_tokens": 0, "cached_tokens": 0}, "output_tokens_details": {"reasoning_tokens": 0}}, )"
              R"({"user_turn_number": 3, "requests": 1, "input_tokens": 600, "output_tokens": 6, "total_tokens": 606, )"
              R"("input_tokens_details": {"cache_write_tokens": 0, "cached_tokens": 0}, "output_tokens_details": {"reasoning_tokens": 0}}])");
    EXPECT_EQ(dumped(ok(u"get_turn_usage"_s, uR"({"user_turn_number": 2})"_s)),
              R"({"requests": 3, "input_tokens": 400, "output_tokens": 40, "total_tokens": 440, )"
              R"("input_tokens_details": {"cache_write_tokens": 0, "cached_tokens": 0}, "output_tokens_details": {"reasoning_tokens": 0}})");
    EXPECT_EQ(dumped(ok(u"get_turn_usage"_s, uR"({"user_turn_number": 9})"_s)), "{}");
    EXPECT_EQ(dumped(ok(u"get_tool_usage"_s)), R"([["check_order_status", 1, 2]])");

    // --- turn queries -------------------------------------------------------------------------------
    EXPECT_EQ(dumped(withoutTimes(ok(u"get_conversation_turns"_s))),
              R"([{"turn": 1, "content": "caf\u00e9 \ud83d\ude00", "full_content": "caf\u00e9 \ud83d\ude00", "timestamp": "<time>", "can_branch": true}, )"
              R"({"turn": 2, "content": "Where is order 42?", "full_content": "Where is order 42?", "timestamp": "<time>", "can_branch": true}, )"
              R"({"turn": 3, "content": "Thanks a lot", "full_content": "Thanks a lot", "timestamp": "<time>", "can_branch": true}])");
    // Integer keys come out as strings, as json.dumps writes them.
    EXPECT_EQ(dumped(ok(u"get_conversation_by_turns"_s)),
              R"({"1": [{"type": "user", "tool_name": null}, {"type": "assistant", "tool_name": null}], )"
              R"("2": [{"type": "user", "tool_name": null}, {"type": "function_call", "tool_name": "check_order_status"}, )"
              R"({"type": "function_call_output", "tool_name": null}, {"type": "assistant", "tool_name": null}], )"
              R"("3": [{"type": "user", "tool_name": null}, {"type": "assistant", "tool_name": null}]})");
    const Json found = ok(u"find_turns_by_content"_s, uR"({"search_term": "ORDER"})"_s);
    ASSERT_EQ(found.size(), 1) << show(found);
    EXPECT_EQ(found.asArray()[0][u"turn"].toInt(), 2);
    // LIKE on the stored text: the escaped spelling finds non-ASCII, the character itself does not.
    const Json escaped = ok(u"find_turns_by_content"_s, uR"({"search_term": "caf\\u00e9"})"_s);
    ASSERT_EQ(escaped.size(), 1) << show(escaped);
    EXPECT_EQ(escaped.asArray()[0][u"turn"].toInt(), 1);
    EXPECT_EQ(dumped(ok(u"find_turns_by_content"_s, uR"({"search_term": "café"})"_s)), "[]");
    EXPECT_EQ(ok(u"find_turns_by_content"_s, uR"({"search_term": "%"})"_s).size(), 3);

    // --- branching ----------------------------------------------------------------------------------
    // The new branch becomes the object's current branch, and the output says so.
    EXPECT_EQ(dumped(sdkOk(sdk(u"create_branch_from_turn"_s, uR"({"turn_number": 2, "branch_name": "retry"})"_s))),
              R"({"result": "retry", "current_branch": "retry"})");
    // A new process starts on main again: the current branch is not stored.
    EXPECT_EQ(ok(u"get_items"_s), all);
    // The branch holds turn 1 only (the user item of turn 2 is not copied).
    EXPECT_EQ(ok(u"get_items"_s, {}, {u"--branch"_s, u"retry"_s}, u"retry"_s), concat({kTurn1}));
    EXPECT_EQ(ok(u"get_items"_s, uR"({"branch_id": "retry"})"_s), concat({kTurn1}));
    // --branch carries the choice into the next process.
    EXPECT_TRUE(ok(u"add_items"_s, addItems(R"([{"content": "Where is order 43?", "role": "user"}])"), {u"--branch"_s, u"retry"_s},
                   u"retry"_s)
                    .isNull());
    EXPECT_EQ(dumped(withoutTimes(ok(u"get_conversation_turns"_s, {}, {u"--branch"_s, u"retry"_s}, u"retry"_s))),
              R"([{"turn": 1, "content": "caf\u00e9 \ud83d\ude00", "full_content": "caf\u00e9 \ud83d\ude00", "timestamp": "<time>", "can_branch": true}, )"
              R"({"turn": 2, "content": "Where is order 43?", "full_content": "Where is order 43?", "timestamp": "<time>", "can_branch": true}])");
    // Main is unchanged.
    EXPECT_EQ(ok(u"get_items"_s), all);
    // Usage is not copied to the branch.
    EXPECT_TRUE(ok(u"get_session_usage"_s, uR"({"branch_id": "retry"})"_s).isNull());

    // switch_to_branch changes this object's current branch only.
    EXPECT_EQ(dumped(sdkOk(sdk(u"switch_to_branch"_s, uR"({"branch_id": "retry"})"_s))), R"({"result": null, "current_branch": "retry"})");
    EXPECT_EQ(dumped(sdkRaised(sdk(u"switch_to_branch"_s, uR"({"branch_id": "nope"})"_s))),
              R"({"raised": {"type": "ValueError", "message": "Branch 'nope' does not exist"}, "current_branch": "main"})");
    // A failed switch leaves the object where it was.
    EXPECT_EQ(dumped(sdkRaised(sdk(u"switch_to_branch"_s, uR"({"branch_id": "nope"})"_s, {u"--branch"_s, u"retry"_s}))),
              R"({"raised": {"type": "ValueError", "message": "Branch 'nope' does not exist"}, "current_branch": "retry"})");

    EXPECT_EQ(dumped(withoutTimes(ok(u"list_branches"_s))),
              R"([{"branch_id": "main", "message_count": 8, "user_turns": 3, "is_current": true, "created_at": "<time>"}, )"
              R"({"branch_id": "retry", "message_count": 3, "user_turns": 2, "is_current": false, "created_at": "<time>"}])");
    EXPECT_EQ(dumped(withoutTimes(ok(u"list_branches"_s, {}, {u"--branch"_s, u"retry"_s}, u"retry"_s))),
              R"([{"branch_id": "main", "message_count": 8, "user_turns": 3, "is_current": false, "created_at": "<time>"}, )"
              R"({"branch_id": "retry", "message_count": 3, "user_turns": 2, "is_current": true, "created_at": "<time>"}])");

    // Branch creation errors, with the SDK's messages.
    EXPECT_EQ(dumped(sdkRaised(sdk(u"create_branch_from_content"_s, uR"({"search_term": "Thanks", "branch_name": "retry"})"_s))),
              R"({"raised": {"type": "ValueError", "message": "Branch ID 'retry' has already been used. Choose a new branch ID."}, "current_branch": "main"})");
    EXPECT_EQ(dumped(sdkRaised(sdk(u"create_branch_from_turn"_s, uR"({"turn_number": 7})"_s))),
              R"({"raised": {"type": "ValueError", "message": "Turn 7 does not contain a user message in branch 'main'"}, "current_branch": "main"})");
    EXPECT_EQ(dumped(sdkRaised(sdk(u"create_branch_from_content"_s, uR"({"search_term": "zebra"})"_s))),
              R"({"raised": {"type": "ValueError", "message": "No user turns found containing 'zebra'"}, "current_branch": "main"})");
    // From content, auto-named: branch_from_turn_<turn>_<unix seconds>.
    const Json autoDoc = sdkOk(sdk(u"create_branch_from_content"_s, uR"({"search_term": "Thanks"})"_s));
    const QString autoId = autoDoc[u"result"].toString();
    EXPECT_TRUE(QRegularExpression(u"^branch_from_turn_3_\\d{10}$"_s).match(autoId).hasMatch()) << show(autoDoc);
    EXPECT_EQ(autoDoc[u"current_branch"].toString(), autoId);

    // --- deleting branches --------------------------------------------------------------------------
    EXPECT_EQ(dumped(sdkRaised(sdk(u"delete_branch"_s, uR"({"branch_id": "main"})"_s))),
              R"({"raised": {"type": "ValueError", "message": "Cannot delete the 'main' branch"}, "current_branch": "main"})");
    EXPECT_EQ(dumped(sdkRaised(sdk(u"delete_branch"_s, uR"({"branch_id": " main "})"_s, {u"--branch"_s, u"retry"_s}))),
              R"({"raised": {"type": "ValueError", "message": "Cannot delete the 'main' branch"}, "current_branch": "retry"})");
    EXPECT_EQ(dumped(sdkRaised(sdk(u"delete_branch"_s, uR"({"branch_id": "retry"})"_s, {u"--branch"_s, u"retry"_s}))),
              R"({"raised": {"type": "ValueError", "message": "Cannot delete current branch 'retry'. Use force=True or switch branches first"}, "current_branch": "retry"})");
    EXPECT_EQ(dumped(sdkRaised(sdk(u"delete_branch"_s, uR"({"branch_id": "  "})"_s))),
              R"({"raised": {"type": "ValueError", "message": "Branch ID cannot be empty"}, "current_branch": "main"})");
    EXPECT_EQ(dumped(sdkRaised(sdk(u"delete_branch"_s, uR"({"branch_id": "ghost"})"_s))),
              R"({"raised": {"type": "ValueError", "message": "Branch 'ghost' does not exist"}, "current_branch": "main"})");
    // force=True first switches to main, then deletes.
    EXPECT_EQ(dumped(sdkOk(sdk(u"delete_branch"_s, uR"({"branch_id": "retry", "force": true})"_s, {u"--branch"_s, u"retry"_s}))),
              R"({"result": null, "current_branch": "main"})");
    // From main, no force needed.
    EXPECT_TRUE(ok(u"delete_branch"_s, u"{\"branch_id\": \"%1\"}"_s.arg(autoId)).isNull());
    const Json branches = withoutTimes(ok(u"list_branches"_s));
    EXPECT_EQ(dumped(branches), R"([{"branch_id": "main", "message_count": 8, "user_turns": 3, "is_current": true, "created_at": "<time>"}])");
    // The deleted id stays reserved.
    EXPECT_EQ(dumped(sdkRaised(sdk(u"create_branch_from_turn"_s, uR"({"turn_number": 2, "branch_name": "retry"})"_s))),
              R"({"raised": {"type": "ValueError", "message": "Branch ID 'retry' has already been used. Choose a new branch ID."}, "current_branch": "main"})");
    // The branch-only message row went with the branch (orphan cleanup); main's 8 remain.
    EXPECT_EQ(sql(u"SELECT COUNT(*) FROM agent_messages WHERE session_id = ?"_s).value(0).value(0).toInt(), 8);

    // --- pop and clear ------------------------------------------------------------------------------
    EXPECT_EQ(ok(u"pop_item"_s), js(kTurn3).asArray().back());
    EXPECT_EQ(ok(u"pop_item"_s), js(kTurn3).asArray().front());
    EXPECT_EQ(ok(u"get_items"_s), concat({kTurn1, kTurn2}));
    // The popped turn's usage went with its last row.
    EXPECT_EQ(dumped(ok(u"get_session_usage"_s)),
              R"({"requests": 5, "input_tokens": 500, "output_tokens": 60, "total_tokens": 560, "total_turns": 2})");

    EXPECT_TRUE(ok(u"clear_session"_s).isNull());
    EXPECT_EQ(dumped(ok(u"get_items"_s)), "[]");
    EXPECT_EQ(dumped(ok(u"list_branches"_s)), "[]");
    EXPECT_TRUE(ok(u"get_session_usage"_s).isNull());
    EXPECT_TRUE(ok(u"pop_item"_s).isNull());
    EXPECT_EQ(sql(u"SELECT generation FROM session_clear_generations WHERE session_id = ?"_s).value(0).value(0).toInt(), 1);
    // After a clear the session starts again at turn 1.
    EXPECT_TRUE(ok(u"add_items"_s, addItems(kTurn3)).isNull());
    EXPECT_EQ(dumped(ok(u"get_conversation_by_turns"_s)), R"({"1": [{"type": "user", "tool_name": null}, {"type": "assistant", "tool_name": null}]})");
}

TEST_F(SdkLifecycle, OpenWithoutCreateTablesRaisesTheOwnershipError)
{
    // A file that does not exist yet, named relative to the working directory: the message shows
    // the DB argument exactly as given.
    CliRun r = runSdk(u"fresh.db"_s, kSession, u"open"_s, {}, {}, m_dir.path());
    Json doc = sdkRaised(r);
    EXPECT_EQ(doc[u"raised"][u"type"].toString(), u"ValueError");
    EXPECT_EQ(doc[u"raised"][u"message"].toString(), ownershipMessage(u"fresh.db"_s));
    EXPECT_EQ(doc[u"current_branch"].toString(), u"main");

    // The same with an absolute path, and for a method call instead of open.
    r = runSdk(m_db, kSession, u"get_items"_s);
    doc = sdkRaised(r);
    EXPECT_EQ(dumped(doc[u"raised"]),
              dumped(Json(Json::Object{{u"type"_s, Json("ValueError")}, {u"message"_s, Json(ownershipMessage(m_db))}})));

    // A plain SQLiteSession file is refused the same way until some instance claims it.
    const QString plain = copySdkFixture(u"basic.db"_s, m_dir.path());
    ASSERT_FALSE(plain.isEmpty());
    doc = sdkRaised(runSdk(plain, u"customer-789"_s, u"open"_s));
    EXPECT_EQ(doc[u"raised"][u"message"].toString(), ownershipMessage(plain));
    // create_tables=True claims it; afterwards the plain history is still readable with --class sqlite.
    EXPECT_EQ(dumped(sdkOk(runSdk(plain, u"customer-789"_s, u"open"_s, {}, {u"--create-tables"_s}))),
              R"({"result": null, "current_branch": "main"})");
    EXPECT_TRUE(sdkOk(runSdk(plain, u"customer-789"_s, u"open"_s))[u"result"].isNull());
    EXPECT_EQ(sdkOk(runSdk(plain, u"customer-789"_s, u"get_items"_s, {}, {u"--class"_s, u"sqlite"_s}))[u"result"].size(), 6);
}

// --- SQLiteSession on the SDK-written basic.db -----------------------------------------------------

TEST(CliSqliteClassTest, GetItemsEqualsTheSdkForEverySession)
{
    TempDir dir;
    const QString db = copySdkFixture(u"basic.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    const Json expected = loadJsonFile(sdkFixture(u"basic.expected.json"_s));
    const Json& sessions = expected[u"final_state"][u"sessions"];
    ASSERT_EQ(sessions.size(), 2);
    for (const Json& s : sessions.asArray()) {
        const QString id = s[u"session_id"].toString();
        const Json doc = sdkOk(runSdk(db, id, u"get_items"_s, {}, {u"--class"_s, u"sqlite"_s}));
        EXPECT_EQ(doc[u"result"], s[u"sqlite_session_get_items"]) << id.toStdString() << '\n' << show(doc);
        // SQLiteSession has no branches.
        EXPECT_TRUE(doc[u"current_branch"].isNull()) << show(doc);
    }
    // An unknown session is simply empty.
    EXPECT_EQ(dumped(sdkOk(runSdk(db, u"nobody"_s, u"get_items"_s, {}, {u"--class"_s, u"sqlite"_s}))),
              R"({"result": [], "current_branch": null})");
}

// Every limit the SDK transcript recorded for user-alice-123, replayed through the CLI.
TEST(CliSqliteClassTest, LimitsFromKwargsAndSettingsMatchTheTranscript)
{
    TempDir dir;
    const QString db = copySdkFixture(u"basic.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    const Json transcript = loadJsonFile(sdkFixture(u"basic.transcript.json"_s));
    std::map<QString, std::optional<qint64>> settings; // handle -> session_settings.limit
    std::map<QString, QString> sessionOf;
    int replayed = 0;
    for (const Json& op : transcript[u"ops"].asArray()) {
        const QString kind = op[u"op"].toString();
        const QString handle = op[u"handle"].toString();
        if (kind == u"open") {
            const Json* limit = op[u"session_settings"].find(u"limit");
            settings[handle] = limit && !limit->isNull() ? std::optional(limit->toInt()) : std::nullopt;
            sessionOf[handle] = op[u"session_id"].toString();
        }
        // Only user-alice-123's items never change after they are first read with a limit.
        if (kind != u"get_items" || sessionOf[handle] != u"user-alice-123")
            continue;
        QStringList options{u"--class"_s, u"sqlite"_s};
        if (settings[handle])
            options << u"--limit-setting"_s << QString::number(*settings[handle]);
        const Json* limit = op.find(u"limit");
        const QString kwargs = limit ? u"{\"limit\": %1}"_s.arg(limit->toInt()) : QString();
        const Json doc = sdkOk(runSdk(db, u"user-alice-123"_s, u"get_items"_s, kwargs, options));
        EXPECT_EQ(doc[u"result"], op[u"result"]) << "seq " << op[u"seq"].toInt() << ' ' << options.join(u' ').toStdString() << ' '
                                                 << kwargs.toStdString() << '\n' << show(doc);
        ++replayed;
    }
    EXPECT_EQ(replayed, 6);

    // And the remaining combinations: limit None falls back to the setting, a 0 setting gives nothing.
    const Json all = sdkOk(runSdk(db, u"customer-789"_s, u"get_items"_s, {}, {u"--class"_s, u"sqlite"_s}))[u"result"];
    ASSERT_EQ(all.size(), 6);
    const Json two = sdkOk(runSdk(db, u"customer-789"_s, u"get_items"_s, uR"({"limit": null})"_s,
                                  {u"--class"_s, u"sqlite"_s, u"--limit-setting"_s, u"2"_s}))[u"result"];
    EXPECT_EQ(two, Json(Json::Array(all.asArray().end() - 2, all.asArray().end())));
    EXPECT_EQ(dumped(sdkOk(runSdk(db, u"customer-789"_s, u"get_items"_s, {}, {u"--class"_s, u"sqlite"_s, u"--limit-setting"_s, u"0"_s}))[u"result"]),
              "[]");
    EXPECT_EQ(sdkOk(runSdk(db, u"customer-789"_s, u"get_items"_s, {}, {u"--class"_s, u"sqlite"_s, u"--limit-setting"_s, u"-1"_s}))[u"result"],
              all);
    EXPECT_EQ(sdkOk(runSdk(db, u"customer-789"_s, u"get_items"_s, uR"({"limit": 100})"_s,
                           {u"--class"_s, u"sqlite"_s, u"--limit-setting"_s, u"1"_s}))[u"result"],
              all);
}

TEST(CliSqliteClassTest, WritesLikeTheSdkAndReadsAdvancedFilesInterleaved)
{
    TempDir dir;
    const QString db = copySdkFixture(u"basic.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    const QStringList sqlite{u"--class"_s, u"sqlite"_s};
    EXPECT_TRUE(sdkOk(runSdk(db, u"customer-789"_s, u"add_items"_s, uR"({"items": [{"content": "Ol\u00e1 \ud83d\udc4b", "role": "user"}]})"_s,
                             sqlite))[u"result"]
                    .isNull());
    const auto rows = sqlRows(db, u"SELECT message_data FROM agent_messages WHERE session_id = 'customer-789' ORDER BY id DESC LIMIT 1"_s);
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0][0].toString().toStdString(), R"({"content": "Ol\u00e1 \ud83d\udc4b", "role": "user"})");
    EXPECT_EQ(dumped(sdkOk(runSdk(db, u"customer-789"_s, u"pop_item"_s, {}, sqlite))),
              R"({"result": {"content": "Ol\u00e1 \ud83d\udc4b", "role": "user"}, "current_branch": null})");
    EXPECT_TRUE(sdkOk(runSdk(db, u"user-alice-123"_s, u"clear_session"_s, {}, sqlite))[u"result"].isNull());
    EXPECT_EQ(dumped(sdkOk(runSdk(db, u"user-alice-123"_s, u"get_items"_s, {}, sqlite))[u"result"]), "[]");
    EXPECT_EQ(sdkOk(runSdk(db, u"customer-789"_s, u"get_items"_s, {}, sqlite))[u"result"].size(), 6);

    // On an AdvancedSQLiteSession file the plain class sees every branch's rows, interleaved.
    const QString multi = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(multi.isEmpty());
    const Json expected = loadJsonFile(sdkFixture(u"multi.expected.json"_s));
    for (const Json& s : expected[u"final_state"][u"sessions"].asArray()) {
        const QString id = s[u"session_id"].toString();
        if (id != u"customer-1001" && id != u"customer-1002" && id != u"customer-1018")
            continue;
        EXPECT_EQ(sdkOk(runSdk(multi, id, u"get_items"_s, {}, sqlite))[u"result"], s[u"sqlite_session_get_items"]) << id.toStdString();
    }
}

// --- AdvancedSQLiteSession on the SDK-written multi.db --------------------------------------------

TEST(CliAdvancedFixtureTest, FreshObjectsReportWhatTheSdkReported)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    const Json expected = loadJsonFile(sdkFixture(u"multi.expected.json"_s));
    for (const Json& s : expected[u"final_state"][u"sessions"].asArray()) {
        const QString id = s[u"session_id"].toString();
        // The sessions with a branch, a deleted branch, an auto-named branch, a redo and a clear.
        if (id != u"customer-1001" && id != u"customer-1002" && id != u"customer-1005" && id != u"customer-1007"
            && id != u"customer-1018")
            continue;
        const Json& adv = s[u"advanced"];
        EXPECT_EQ(sdkOk(runSdk(db, id, u"list_branches"_s))[u"result"], adv[u"list_branches"]) << id.toStdString();
        EXPECT_EQ(sdkOk(runSdk(db, id, u"get_session_usage"_s))[u"result"], adv[u"get_session_usage"]) << id.toStdString();
        EXPECT_EQ(sdkOk(runSdk(db, id, u"get_items"_s))[u"result"], adv[u"get_items_default"]) << id.toStdString();
        for (const auto& [branch, b] : adv[u"branches"].asObject()) {
            const QStringList options{u"--branch"_s, branch};
            const std::string where = QString(id + u' ' + branch).toStdString();
            for (const char* method : {"get_items", "get_conversation_turns", "get_conversation_by_turns", "get_tool_usage", "get_turn_usage"}) {
                const Json doc = sdkOk(runSdk(db, id, QString::fromLatin1(method), {}, options));
                EXPECT_EQ(doc[u"current_branch"].toString(), branch) << where;
                EXPECT_EQ(doc[u"result"], b[QString::fromLatin1(method)]) << where << ' ' << method << '\n' << show(doc);
            }
            const Json usage = sdkOk(runSdk(db, id, u"get_session_usage"_s, u"{\"branch_id\": \"%1\"}"_s.arg(branch)))[u"result"];
            EXPECT_EQ(usage, b[u"get_session_usage"]) << where;
        }
    }
}

} // namespace
