// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Every row of spec sdk-sessions.md §7 (error summary): the exception type (Error::Code) and the
// SDK's exact message, plus what a failing call must leave untouched in the file.

#include "StorageTestSupport.h"

namespace tb::test::storage {
namespace {

class SdkErrors : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        path = dir.filePath(u"errors.db"_s);
    }

    tb::test::TempDir dir;
    QString path;
};

const QString kClosed = u"SQLiteSession is closed"_s;

// --- closed sessions ----------------------------------------------------------------------------

TEST_F(SdkErrors, ClosedAdvancedSessionRaisesForEveryMethod)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    TB_ASSERT_OK(s->storeRunUsage(usage(1, 10, 5, 15)));
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alt"_s).has_value());
    ASSERT_EQ(s->currentBranch(), u"alt"_s);

    s->close();
    s->close(); // a second close() is a no-op

    TB_EXPECT_RUNTIME_ERROR(s->getItems(), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->getItems(2, u"main"_s), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->addItems({}), kClosed); // even an empty batch
    TB_EXPECT_RUNTIME_ERROR(s->addItems(Items({R"({"role": "user", "content": "x"})"})), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->popItem(), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->clearSession(), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->createBranchFromTurn(1, u"q"_s), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->createBranchFromTurn(1, std::nullopt), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->createBranchFromContent(u"u1"_s, u"q"_s), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->createBranchFromContent(u"no such text"_s, std::nullopt), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->switchToBranch(u"main"_s), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->switchToBranch(u"nope"_s), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->deleteBranch(u"zz"_s, false), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->deleteBranch(u"zz"_s, true), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->listBranches(), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->getSessionUsage(std::nullopt), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->getSessionUsage(u"main"_s), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->getTurnUsage(1, std::nullopt), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->getTurnUsages(std::nullopt), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->getToolUsage(std::nullopt), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->getConversationTurns(std::nullopt), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->getConversationByTurns(u"main"_s), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->findTurnsByContent(u"u"_s, std::nullopt), kClosed);

    // store_run_usage swallows the error: no crash, nothing written.
    (void)s->storeRunUsage(usage(9, 99, 99, 198));
    {
        RawDb raw(path);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM turn_usage"_s), 1);
        EXPECT_EQ(raw.count(u"SELECT total_tokens FROM turn_usage"_s), 15);
    }

    // delete_branch validates its argument before touching the (closed) database.
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(QString(), false), u"Branch ID cannot be empty"_s);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"  "_s, true), u"Branch ID cannot be empty"_s);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u" main "_s, true), u"Cannot delete the 'main' branch"_s);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"alt"_s, false),
                          u"Cannot delete current branch 'alt'. Use force=True or switch branches first"_s);
    // With force it first switches to main, which needs the database.
    TB_EXPECT_RUNTIME_ERROR(s->deleteBranch(u"alt"_s, true), kClosed);
    EXPECT_EQ(s->currentBranch(), u"alt"_s); // the attribute is still readable
}

TEST_F(SdkErrors, ClosedPlainSessionRaisesForEveryMethod)
{
    auto s = openPlain(path, u"p"_s);
    ASSERT_TRUE(s);
    TB_ASSERT_OK(s->addItems(Items({R"({"role": "user", "content": "x"})"})));
    s->close();
    s->close();
    TB_EXPECT_RUNTIME_ERROR(s->getItems(), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->getItems(1), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->addItems({}), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->addItems(Items({R"({"a": 1})"})), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->popItem(), kClosed);
    TB_EXPECT_RUNTIME_ERROR(s->clearSession(), kClosed);
    RawDb raw(path);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 1);
}

TEST_F(SdkErrors, EmptyBatchIsANoOpOnAnOpenSession)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    TB_EXPECT_OK(s->addItems({}));
    RawDb raw(path);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_sessions"_s), 0);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 0);
}

// --- create_branch_from_turn / _from_content ----------------------------------------------------

TEST_F(SdkErrors, TurnWithoutUserMessage)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(1, std::nullopt), u"Turn 1 does not contain a user message in branch 'main'"_s);
    addTurns(*s, 1, 3);
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(99, u"x"_s), u"Turn 99 does not contain a user message in branch 'main'"_s);
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(0, u"x"_s), u"Turn 0 does not contain a user message in branch 'main'"_s);
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(-1, u"x"_s), u"Turn -1 does not contain a user message in branch 'main'"_s);

    // The message is about the current (source) branch.
    ASSERT_EQ(s->createBranchFromTurn(3, u"alt"_s).value(), u"alt"_s);
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(3, u"y"_s), u"Turn 3 does not contain a user message in branch 'alt'"_s);

    // A user structure row whose message row is gone does not count (inner join).
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    {
        RawDb raw(path);
        raw.exec(u"DELETE FROM agent_messages WHERE id = (SELECT message_id FROM message_structure "
                 "WHERE branch_id = 'main' AND message_type = 'user' AND branch_turn_number = 3)"_s);
    }
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(3, u"z"_s), u"Turn 3 does not contain a user message in branch 'main'"_s);

    // Failing calls reserve nothing.
    RawDb raw(path);
    EXPECT_EQ(raw.strings(u"SELECT branch_id FROM branch_reservations WHERE session_id = 's' ORDER BY branch_id"_s),
              QStringList({u"alt"_s, u"main"_s}));
}

TEST_F(SdkErrors, TurnErrorComesBeforeNameError)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alt"_s).has_value());
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    // Both the turn and the name are bad: the turn is reported.
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(7, u"alt"_s), u"Turn 7 does not contain a user message in branch 'main'"_s);
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(7, u"main"_s), u"Turn 7 does not contain a user message in branch 'main'"_s);
    // No match for the content comes before the name check too.
    TB_EXPECT_VALUE_ERROR(s->createBranchFromContent(u"zzz"_s, u"main"_s), u"No user turns found containing 'zzz'"_s);
    TB_EXPECT_VALUE_ERROR(s->createBranchFromContent(u"zzz"_s, std::nullopt), u"No user turns found containing 'zzz'"_s);
    // The search runs on the current branch only.
    ASSERT_TRUE(s->createBranchFromTurn(2, u"b2"_s).has_value()); // b2 holds turn 1 only
    TB_EXPECT_VALUE_ERROR(s->createBranchFromContent(u"u2"_s, u"x"_s), u"No user turns found containing 'u2'"_s);
    EXPECT_EQ(s->currentBranch(), u"b2"_s);
}

TEST_F(SdkErrors, ReservedBranchIds)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 3);
    const auto used = [](const QString& id) -> QString {
        return u"Branch ID '"_s + id + u"' has already been used. Choose a new branch ID."_s;
    };

    // Only appended so far: no reservation rows at all, but branch creation back-fills 'main'
    // before it checks the name, so 'main' is refused, and the failing transaction rolls the
    // back-fill back.
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(2, u"main"_s), used(u"main"_s));
    {
        RawDb raw(path);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM branch_reservations"_s), 0);
    }

    ASSERT_EQ(s->createBranchFromTurn(2, u"alt"_s).value(), u"alt"_s);
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(1, u"main"_s), used(u"main"_s));
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(1, u"alt"_s), used(u"alt"_s));

    // Deleted ids stay reserved.
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_TRUE(s->createBranchFromTurn(3, u"gone"_s).has_value());
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    TB_ASSERT_OK(s->deleteBranch(u"gone"_s, false));
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(2, u"gone"_s), used(u"gone"_s));

    // Ids of empty (invisible) branches are reserved too.
    ASSERT_EQ(s->createBranchFromTurn(1, u"empty"_s).value(), u"empty"_s);
    EXPECT_EQ(s->currentBranch(), u"empty"_s);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(1, u"empty"_s), used(u"empty"_s));

    // Names are used verbatim: no stripping, case-sensitive, empty accepted.
    ASSERT_EQ(s->createBranchFromTurn(2, u" alt "_s).value(), u" alt "_s);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_EQ(s->createBranchFromTurn(2, u"ALT"_s).value(), u"ALT"_s);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    // An empty C++ string is Python's "" whether or not it is null; it is never SQL NULL.
    ASSERT_EQ(s->createBranchFromTurn(2, QString()).value(), u""_s);
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(2, u""_s), used(QString()));
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(2, QString()), used(QString()));

    // Cleared ids stay reserved.
    TB_ASSERT_OK(s->clearSession());
    addTurns(*s, 1, 2);
    for (const QString& id : {u"main"_s, u"alt"_s, u"gone"_s, u"empty"_s, u" alt "_s})
        TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(2, id), used(id));

    RawDb raw(path);
    EXPECT_EQ(raw.strings(u"SELECT branch_id FROM branch_reservations WHERE session_id = 's' ORDER BY branch_id"_s),
              QStringList({QString(), u" alt "_s, u"ALT"_s, u"alt"_s, u"empty"_s, u"gone"_s, u"main"_s}));
}

// --- switch_to_branch / delete_branch -----------------------------------------------------------

TEST_F(SdkErrors, SwitchToMissingBranch)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    // Even main does not exist while the session is empty.
    TB_EXPECT_VALUE_ERROR(s->switchToBranch(u"main"_s), u"Branch 'main' does not exist"_s);
    addTurns(*s, 1, 2);
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alt"_s).has_value());
    TB_EXPECT_VALUE_ERROR(s->switchToBranch(u"nope"_s), u"Branch 'nope' does not exist"_s);
    TB_EXPECT_VALUE_ERROR(s->switchToBranch(QString()), u"Branch '' does not exist"_s);
    TB_EXPECT_VALUE_ERROR(s->switchToBranch(u" main"_s), u"Branch ' main' does not exist"_s); // no stripping
    TB_EXPECT_VALUE_ERROR(s->switchToBranch(u"ALT"_s), u"Branch 'ALT' does not exist"_s);
    EXPECT_EQ(s->currentBranch(), u"alt"_s); // a failed switch leaves the pointer alone
    // A branch made from turn 1 has no rows: it cannot be switched to.
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    ASSERT_TRUE(s->createBranchFromTurn(1, u"empty"_s).has_value());
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    TB_EXPECT_VALUE_ERROR(s->switchToBranch(u"empty"_s), u"Branch 'empty' does not exist"_s);
    EXPECT_EQ(s->currentBranch(), u"main"_s);
}

TEST_F(SdkErrors, FailedSwitchRollsBackTheGenerationRow)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 1);
    {
        RawDb raw(path);
        raw.exec(u"DELETE FROM session_clear_generations"_s);
    }
    TB_EXPECT_VALUE_ERROR(s->switchToBranch(u"nope"_s), u"Branch 'nope' does not exist"_s);
    {
        RawDb raw(path);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM session_clear_generations"_s), 0);
    }
    TB_EXPECT_OK(s->switchToBranch(u"main"_s));
    RawDb raw(path);
    EXPECT_EQ(raw.rows(u"SELECT session_id, generation FROM session_clear_generations"_s),
              QList<QVariantList>({{u"s"_s, 0}}));
}

TEST_F(SdkErrors, DeleteMissingBranch)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"nope"_s, false), u"Branch 'nope' does not exist"_s);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"nope"_s, true), u"Branch 'nope' does not exist"_s);
    // The message shows the stripped id.
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"  nope\t"_s, false), u"Branch 'nope' does not exist"_s);
    // The back-fill ran inside the failed transaction and was rolled back with it.
    {
        RawDb raw(path);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM branch_reservations"_s), 0);
    }
    // An empty branch made from turn 1 cannot be deleted either.
    ASSERT_TRUE(s->createBranchFromTurn(1, u"empty"_s).has_value());
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"empty"_s, false), u"Branch 'empty' does not exist"_s);
}

TEST_F(SdkErrors, EmptyOrWhitespaceBranchIds)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 1);
    // Python's str.isspace(): ASCII whitespace, U+001C..U+001F, U+0085, U+00A0, U+1680,
    // U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
    const QList<QString> blanks = {QString(),          u" "_s,          u"\t\n\r\v\f"_s,       u"\u00a0"_s,
                                   u"\u3000"_s,        u"\u001c"_s,     u"\u001d\u001e\u001f"_s, u"\u0085"_s,
                                   u"\u2028\u2029"_s,  u"\u2003\u202f"_s, u" \u00a0\u3000 "_s};
    for (const QString& b : blanks) {
        TB_EXPECT_VALUE_ERROR(s->deleteBranch(b, false), u"Branch ID cannot be empty"_s) << "id " << S(b);
        TB_EXPECT_VALUE_ERROR(s->deleteBranch(b, true), u"Branch ID cannot be empty"_s) << "id " << S(b);
    }
    // Not whitespace for Python: zero-width space, word joiner.
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"\u200b"_s, false), u"Branch '\u200b' does not exist"_s);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"\u00a0x\u3000"_s, false), u"Branch 'x' does not exist"_s);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"\u001cx\u001f"_s, false), u"Branch 'x' does not exist"_s);
}

TEST_F(SdkErrors, MainCannotBeDeleted)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alt"_s).has_value());
    for (const QString& id : {u"main"_s, u" main "_s, u"\u00a0main\u3000"_s, u"\nmain\u001c"_s}) {
        TB_EXPECT_VALUE_ERROR(s->deleteBranch(id, false), u"Cannot delete the 'main' branch"_s);
        TB_EXPECT_VALUE_ERROR(s->deleteBranch(id, true), u"Cannot delete the 'main' branch"_s);
    }
    // Case-sensitive: 'MAIN' is just a missing branch.
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"MAIN"_s, false), u"Branch 'MAIN' does not exist"_s);
    EXPECT_EQ(s->currentBranch(), u"alt"_s);
}

TEST_F(SdkErrors, CurrentBranchNeedsForce)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 3);
    ASSERT_TRUE(s->createBranchFromTurn(3, u"alt"_s).has_value());
    addTurns(*s, 3, 3);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"alt"_s, false),
                          u"Cannot delete current branch 'alt'. Use force=True or switch branches first"_s);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u" alt\u00a0"_s, false),
                          u"Cannot delete current branch 'alt'. Use force=True or switch branches first"_s);
    // (list order on equal timestamps is by branch id, so compare sorted)
    QStringList listed = branchList(*s);
    listed.sort();
    EXPECT_EQ(listed, QStringList({u"alt*"_s, u"main"_s}));

    // force: switch to main first, then delete.
    TB_ASSERT_OK(s->deleteBranch(u" alt "_s, true));
    EXPECT_EQ(s->currentBranch(), u"main"_s);
    EXPECT_EQ(branchList(*s), QStringList({u"main*"_s}));
    RawDb raw(path);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM message_structure WHERE branch_id = 'alt'"_s), 0);
    // The branch's own messages (turn 3 on alt) are gone, shared ones stay.
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 6);
    EXPECT_EQ(raw.strings(u"SELECT branch_id FROM branch_reservations ORDER BY branch_id"_s), QStringList({u"alt"_s, u"main"_s}));
}

TEST_F(SdkErrors, ForceDeleteFailsWhenMainIsEmpty)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    ASSERT_TRUE(s->createBranchFromTurn(2, u"alt"_s).has_value());
    TB_ASSERT_OK(s->switchToBranch(u"main"_s));
    for (int i = 0; i < 4; ++i)
        ASSERT_TRUE(s->popItem().value().has_value());
    ASSERT_FALSE(s->popItem().value().has_value());
    TB_ASSERT_OK(s->switchToBranch(u"alt"_s));
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"alt"_s, true), u"Branch 'main' does not exist"_s);
    EXPECT_EQ(s->currentBranch(), u"alt"_s);
    EXPECT_EQ(branchList(*s), QStringList({u"alt*"_s}));
    RawDb raw(path);
    // alt still references turn 1's messages, so they survived the pops on main.
    EXPECT_EQ(raw.strings(u"SELECT message_data FROM agent_messages ORDER BY id"_s),
              QStringList({uR"({"role": "user", "content": "u1"})"_s, uR"({"role": "assistant", "content": "a1"})"_s}));
}

TEST_F(SdkErrors, ForceDeleteOfEmptyCurrentBranchMovesToMainThenRaises)
{
    // Spec §10.4: a branch from turn 1 is current but has no rows.
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 2);
    ASSERT_EQ(s->createBranchFromTurn(1, u"e"_s).value(), u"e"_s);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"e"_s, false), u"Cannot delete current branch 'e'. Use force=True or switch branches first"_s);
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"e"_s, true), u"Branch 'e' does not exist"_s);
    EXPECT_EQ(s->currentBranch(), u"main"_s);
}

TEST_F(SdkErrors, ReadBackMismatchRaisesAndRollsBack)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    {
        // A foreign trigger makes the inserted row disappear before the ids are read back.
        RawDb raw(path);
        raw.exec(u"CREATE TRIGGER vanish AFTER INSERT ON agent_messages WHEN NEW.message_data LIKE '%vanish%' "
                 "BEGIN DELETE FROM agent_messages WHERE id = NEW.id; END"_s);
    }
    const QString msg = u"Failed to resolve inserted message IDs while writing structure metadata"_s;
    TB_EXPECT_RUNTIME_ERROR(s->addItems(Items({R"({"role": "user", "content": "vanish"})"})), msg);
    TB_EXPECT_RUNTIME_ERROR(s->addItems(Items({R"({"role": "user", "content": "ok"})", R"({"role": "user", "content": "vanish"})"})), msg);
    RawDb raw(path);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_sessions"_s), 0);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 0);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM message_structure"_s), 0);
}

TEST_F(SdkErrors, FailedCallsKeepTablesTheSdkCreatesInAutocommitMode)
{
    // Python's sqlite3 runs CREATE TABLE outside its implicit transactions, so on a file without
    // the lazily created tables a failing delete_branch / switch_to_branch / add_items leaves the
    // (empty) table behind, while branch creation (explicit BEGIN IMMEDIATE) rolls it back.
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 1);
    const auto dropBoth = [&] {
        RawDb raw(path);
        raw.exec(u"DROP TABLE IF EXISTS branch_reservations"_s);
        raw.exec(u"DROP TABLE IF EXISTS session_clear_generations"_s);
    };
    const auto lazyTables = [&] {
        RawDb raw(path);
        return raw.strings(u"SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('branch_reservations', "
                           "'session_clear_generations') ORDER BY 1"_s);
    };
    dropBoth();
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(9, u"x"_s), u"Turn 9 does not contain a user message in branch 'main'"_s);
    EXPECT_EQ(lazyTables(), QStringList());
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(1, u"main"_s), u"Branch ID 'main' has already been used. Choose a new branch ID."_s);
    EXPECT_EQ(lazyTables(), QStringList());
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u" "_s, false), u"Branch ID cannot be empty"_s);
    EXPECT_EQ(lazyTables(), QStringList());
    TB_EXPECT_VALUE_ERROR(s->deleteBranch(u"nope"_s, false), u"Branch 'nope' does not exist"_s);
    EXPECT_EQ(lazyTables(), QStringList({u"branch_reservations"_s}));
    {
        RawDb raw(path);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM branch_reservations"_s), 0); // back-fill rolled back
    }
    dropBoth();
    TB_EXPECT_VALUE_ERROR(s->switchToBranch(u"nope"_s), u"Branch 'nope' does not exist"_s);
    EXPECT_EQ(lazyTables(), QStringList({u"session_clear_generations"_s}));
    {
        RawDb raw(path);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM session_clear_generations"_s), 0); // row rolled back
    }
    dropBoth();
    TB_EXPECT_TYPE_ERROR(s->addItems(Items({R"({"type": {}})"})), u"unhashable type: 'dict'"_s);
    EXPECT_EQ(lazyTables(), QStringList({u"session_clear_generations"_s}));
    RawDb raw(path);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM session_clear_generations"_s), 0);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 2);
}

// --- add_items TypeError ------------------------------------------------------------------------

TEST_F(SdkErrors, UnhashableTypeRollsBackTheWholeBatch)
{
    auto s = openAdvanced(path, u"s"_s);
    ASSERT_TRUE(s);
    // A fresh session: a failing first batch must not even create the session row.
    TB_EXPECT_TYPE_ERROR(s->addItems(Items({R"({"role": "user", "content": "hi"})", R"({"type": ["a"], "x": 1})"})),
                         u"unhashable type: 'list'"_s);
    {
        RawDb raw(path);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_sessions"_s), 0);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 0);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM message_structure"_s), 0);
    }
    addTurns(*s, 1, 1);
    {
        RawDb raw(path);
        raw.exec(u"UPDATE agent_sessions SET updated_at = '2000-01-01 00:00:00'"_s);
    }
    // Empty containers are falsy for the classification but still unhashable.
    TB_EXPECT_TYPE_ERROR(s->addItems(Items({R"({"type": {}})"})), u"unhashable type: 'dict'"_s);
    TB_EXPECT_TYPE_ERROR(s->addItems(Items({R"({"type": []})"})), u"unhashable type: 'list'"_s);
    TB_EXPECT_TYPE_ERROR(s->addItems(Items({R"({"type": {"k": 1}, "name": "n"})"})), u"unhashable type: 'dict'"_s);
    // Role wins for message_type, but the tool-name rule still hashes the type.
    TB_EXPECT_TYPE_ERROR(s->addItems(Items({R"({"role": "user", "content": "q"})", R"({"role": "assistant", "type": [1]})"})),
                         u"unhashable type: 'list'"_s);
    {
        RawDb raw(path);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 2);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM message_structure"_s), 2);
        EXPECT_EQ(raw.scalar(u"SELECT updated_at FROM agent_sessions"_s).toString(), u"2000-01-01 00:00:00"_s);
    }
    EXPECT_EQ(itemsText(*s), QByteArray(R"([{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}])"));
    // The next good batch continues normally.
    addTurns(*s, 2, 2);
    RawDb raw(path);
    EXPECT_EQ(raw.rows(u"SELECT sequence_number, user_turn_number FROM message_structure ORDER BY id"_s),
              QList<QVariantList>({{1, 1}, {2, 1}, {3, 2}, {4, 2}}));

    // A plain SQLiteSession does not classify: the same item is stored.
    auto plain = openPlain(path, u"p"_s);
    ASSERT_TRUE(plain);
    TB_EXPECT_OK(plain->addItems(Items({R"({"type": ["a"]})"})));
}

} // namespace
} // namespace tb::test::storage
