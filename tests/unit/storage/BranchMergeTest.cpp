// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Promote a branch to main and carry a finding back (issue 7), on copies of the SDK's own files.
// The replay: fresh AdvancedSqliteSession objects (verified SDK-exact by the transcript tests)
// answer list_branches, get_items, turns, by-turns, tool and turn usage for every branch; after a
// promote those answers must be the old ones with the two names swapped. Undo is checked against
// a dump of every row of every table, with storage classes and exact bytes.
#include "core/BranchMerge.h"

#include "StorageTestSupport.h"
#include "storage/SqliteBranchMerge.h"
#include "storage/SqliteSessionStore.h"

#include <QFile>
#include <QMap>

#include <algorithm>

namespace tb::test::storage {
namespace {

using core::BranchMerge;
using core::MergeUndo;
using tb::storage::SqliteBranchMerge;
using tb::storage::SqliteSessionStore;

const QString kDay = u"main-before-2026-11-26"_s;

SqliteBranchMerge::Options fixedClock()
{
    SqliteBranchMerge::Options o;
    o.now = [] { return QDateTime(QDate(2026, 11, 26), QTime(23, 59, 59), Qt::UTC); };
    return o;
}

std::unique_ptr<SqliteBranchMerge> openMerge(const QString& path, SqliteBranchMerge::Options o = fixedClock())
{
    auto m = SqliteBranchMerge::open(path, o);
    EXPECT_TRUE(m.has_value()) << (m ? std::string() : S(m.error().message));
    return m ? std::move(m).value() : nullptr;
}

/// Every row of every table (sqlite_sequence and the schema included), values with their storage
/// class and exact bytes, in rowid order: two equal dumps are byte-identical databases as far as
/// any reader can tell.
QStringList dumpFile(const QString& path)
{
    RawDb raw(path);
    QStringList out;
    for (const QVariantList& r : raw.rows(u"SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"_s))
        out << u"schema|"_s + r.at(0).toString() + u'|' + r.at(1).toString() + u'|' + r.at(2).toString() + u'|'
                   + r.at(3).toString();
    for (const QString& table : raw.strings(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s)) {
        QStringList cols;
        for (const QString& c : raw.strings(u"SELECT name FROM pragma_table_info(?) ORDER BY cid"_s, {table}))
            cols
                << u"typeof(\"%1\") || ':' || CASE typeof(\"%1\") WHEN 'real' THEN printf('%!.20e', \"%1\") ELSE hex(\"%1\") END"_s
                       .arg(c);
        const QStringList rows = raw.strings(u"SELECT rowid || '|' || "_s + cols.join(u" || '|' || "_s) + u" FROM \""_s
                                             + table + u"\" ORDER BY rowid"_s);
        for (const QString& line : rows)
            out << table + u'|' + line;
    }
    return out;
}

/// What fresh SDK objects report for a session: list_branches, the all-branch usage, the default
/// get_items, and per branch everything that takes a branch id.
struct Answers
{
    QList<core::BranchInfo> branches;
    QString sessionUsage;
    QByteArray defaultItems;
    QMap<QString, QByteArray> items;  // get_items(branch_id=…)
    QMap<QString, QString> perBranch; // everything else per branch
};

QString usageText(const std::optional<core::SessionUsage>& u)
{
    if (!u)
        return u"None"_s;
    return u"%1/%2/%3/%4/%5"_s.arg(u->requests)
        .arg(u->inputTokens)
        .arg(u->outputTokens)
        .arg(u->totalTokens)
        .arg(u->totalTurns);
}

QString optText(const std::optional<qint64>& v)
{
    return v ? QString::number(*v) : u"None"_s;
}

QString branchAnswers(AdvancedSqliteSession& s, const QString& b)
{
    QString out;
    auto turns = s.getConversationTurns(b);
    EXPECT_TRUE(turns.has_value());
    for (const core::ConversationTurn& t : *turns)
        out += u"turn %1|%2|%3|%4|%5\n"_s
                   .arg(optText(t.turn), t.content, QString::fromUtf8(t.fullContent.dump()), t.timestamp)
                   .arg(t.canBranch);
    auto byTurns = s.getConversationByTurns(b);
    EXPECT_TRUE(byTurns.has_value());
    for (const core::TurnItems& t : *byTurns) {
        out += u"by-turn "_s + optText(t.turn) + u':';
        for (const core::TurnItemKind& k : t.items)
            out += u' ' + k.type + u'/' + k.toolName.value_or(u"None"_s);
        out += u'\n';
    }
    auto tools = s.getToolUsage(b);
    EXPECT_TRUE(tools.has_value());
    for (const core::ToolUsage& t : *tools)
        out += u"tool %1|%2|%3\n"_s.arg(t.toolName.value_or(u"None"_s)).arg(t.count).arg(optText(t.userTurnNumber));
    auto usages = s.getTurnUsages(b);
    EXPECT_TRUE(usages.has_value());
    for (const core::TurnUsage& u : *usages) {
        out += u"usage %1|%2|%3|%4|%5|%6|%7\n"_s.arg(
            optText(u.userTurnNumber), QString::fromUtf8(u.requests.dump()), QString::fromUtf8(u.inputTokens.dump()),
            QString::fromUtf8(u.outputTokens.dump()), QString::fromUtf8(u.totalTokens.dump()),
            QString::fromUtf8(u.inputTokensDetails.dump()), QString::fromUtf8(u.outputTokensDetails.dump()));
    }
    auto su = s.getSessionUsage(b);
    EXPECT_TRUE(su.has_value());
    out += u"session-usage "_s + usageText(*su) + u'\n';
    return out;
}

Answers answers(const QString& path, const QString& sessionId)
{
    Answers a;
    auto s = openAdvanced(path, sessionId, false);
    if (!s)
        return a;
    auto list = s->listBranches();
    EXPECT_TRUE(list.has_value());
    a.branches = *list;
    auto su = s->getSessionUsage(std::nullopt);
    EXPECT_TRUE(su.has_value());
    a.sessionUsage = usageText(*su);
    a.defaultItems = itemsText(*s);
    for (const core::BranchInfo& b : a.branches) {
        a.items.insert(b.branchId, itemsText(*s, std::nullopt, b.branchId));
        a.perBranch.insert(b.branchId, branchAnswers(*s, b.branchId));
    }
    return a;
}

QStringList listText(const QList<core::BranchInfo>& list)
{
    QStringList out;
    for (const core::BranchInfo& b : list)
        out << u"%1|%2|%3|%4|%5"_s.arg(b.branchId)
                   .arg(b.messageCount)
                   .arg(b.userTurns)
                   .arg(b.isCurrent)
                   .arg(b.createdAt);
    return out;
}

/// The answers a file must give after promoting `branch`: the same, with main and the branch
/// renamed, list_branches in created_at order (ties by id, as SQLite 3.40 returns them) and the
/// default branch main.
Answers renamed(const Answers& before, const QString& branch, const QString& oldMain)
{
    const auto rename = [&](const QString& id) { return id == u"main"_s ? oldMain : id == branch ? u"main"_s : id; };
    Answers a;
    a.sessionUsage = before.sessionUsage;
    for (core::BranchInfo b : before.branches) {
        b.branchId = rename(b.branchId);
        b.isCurrent = b.branchId == u"main"_s;
        a.branches << b;
    }
    std::stable_sort(a.branches.begin(), a.branches.end(), [](const core::BranchInfo& x, const core::BranchInfo& y) {
        return x.createdAt != y.createdAt ? x.createdAt < y.createdAt : x.branchId < y.branchId;
    });
    for (auto it = before.perBranch.cbegin(); it != before.perBranch.cend(); ++it)
        a.perBranch.insert(rename(it.key()), it.value());
    for (auto it = before.items.cbegin(); it != before.items.cend(); ++it)
        a.items.insert(rename(it.key()), it.value());
    // A fresh object (what a production agent constructs) reads the promoted line by default.
    a.defaultItems = before.items.value(branch);
    return a;
}

void expectSameAnswers(const Answers& got, const Answers& want, const QString& what)
{
    EXPECT_EQ(listText(got.branches), listText(want.branches)) << S(what);
    EXPECT_EQ(got.sessionUsage, want.sessionUsage) << S(what);
    EXPECT_EQ(got.defaultItems, want.defaultItems) << S(what);
    EXPECT_EQ(got.perBranch.keys(), want.perBranch.keys()) << S(what);
    for (auto it = want.perBranch.cbegin(); it != want.perBranch.cend(); ++it) {
        EXPECT_EQ(got.perBranch.value(it.key()), it.value()) << S(what) << " branch " << S(it.key());
        EXPECT_EQ(got.items.value(it.key()), want.items.value(it.key())) << S(what) << " branch " << S(it.key());
    }
}

/// Sessions of multi.db with their non-main branches.
QList<QPair<QString, QString>> fixtureBranches(const QString& path)
{
    QList<QPair<QString, QString>> out;
    RawDb raw(path);
    for (const QVariantList& r :
         raw.rows(u"SELECT DISTINCT session_id, branch_id FROM message_structure WHERE branch_id <> 'main' "
                  "ORDER BY session_id, branch_id"_s))
        out << qMakePair(r.at(0).toString(), r.at(1).toString());
    return out;
}

class BranchMergeTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        db = copySdkFixture(u"multi.db"_s, dir.path());
        ASSERT_FALSE(db.isEmpty());
    }

    TempDir dir;
    QString db;
};

// --- Promote ------------------------------------------------------------------------------------

TEST_F(BranchMergeTest, PromoteEveryFixtureBranchThenUndo)
{
    const QList<QPair<QString, QString>> cases = fixtureBranches(db);
    ASSERT_EQ(cases.size(), 20); // alt-N, branch_from_turn_…, try-b-N (try-a-N were deleted)
    const QStringList original = dumpFile(db);
    auto merge = openMerge(db);
    ASSERT_TRUE(merge);
    for (const auto& [session, branch] : cases) {
        SCOPED_TRACE(S(session + u' ' + branch));
        const Answers before = answers(db, session);
        ASSERT_TRUE(before.perBranch.contains(branch));
        RawDb raw(db);
        const QString structureSql =
            u"SELECT id, session_id, message_id, message_type, sequence_number, user_turn_number, branch_turn_number, "
            "tool_name, created_at FROM message_structure ORDER BY id"_s;
        const QStringList structureBefore = raw.lines(structureSql);
        const qint64 generation = raw.count(
            u"SELECT COALESCE(MAX(generation), 0) FROM session_clear_generations WHERE session_id = ?"_s, {session});

        auto plan = merge->planPromote(session, branch);
        TB_ASSERT_OK(plan);
        EXPECT_EQ(plan->oldMainName, kDay);
        EXPECT_EQ(dumpFile(db), original) << "planning writes nothing";

        auto out = merge->promote(session, branch);
        TB_ASSERT_OK(out);
        EXPECT_EQ(out->plan.oldMainName, kDay);
        for (const core::BranchInfo& b : before.branches) {
            if (b.branchId == branch) {
                EXPECT_EQ(out->plan.branchItems, b.messageCount);
                EXPECT_EQ(out->plan.branchTurns, b.userTurns);
            }
        }
        expectSameAnswers(answers(db, session), renamed(before, branch, kDay), u"after promote"_s);

        // Only branch ids moved: every structure row keeps its id, message, sequence and turns.
        EXPECT_EQ(raw.lines(structureSql), structureBefore);
        EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM branch_reservations WHERE session_id = ? AND branch_id = ?"_s,
                            {session, kDay}),
                  1);
        EXPECT_EQ(raw.count(u"SELECT generation FROM session_clear_generations WHERE session_id = ?"_s, {session}),
                  generation + 1);

        TB_ASSERT_OK(merge->undo(out->undo));
        EXPECT_EQ(dumpFile(db), original);
        expectSameAnswers(answers(db, session), before, u"after undo"_s);
    }
}

TEST_F(BranchMergeTest, PromotedMainContinuesWithTheSdksNumbering)
{
    const QString session = u"customer-1001"_s;
    RawDb raw(db);
    const qint64 branchTurns =
        raw.count(u"SELECT MAX(user_turn_number) FROM message_structure WHERE session_id = ? AND branch_id = 'alt-1'"_s,
                  {session});
    const qint64 mainTurns =
        raw.count(u"SELECT MAX(user_turn_number) FROM message_structure WHERE session_id = ? AND branch_id = 'main'"_s,
                  {session});
    const qint64 maxSeq =
        raw.count(u"SELECT MAX(sequence_number) FROM message_structure WHERE session_id = ?"_s, {session});
    ASSERT_NE(branchTurns, mainTurns);

    auto merge = openMerge(db);
    auto out = merge->promote(session, u"alt-1"_s);
    TB_ASSERT_OK(out);

    // A new SDK object on the file, as a production agent would construct it.
    auto agent = openAdvanced(db, session, false);
    ASSERT_TRUE(agent);
    addTurns(*agent, 1, 1);
    EXPECT_EQ(
        raw.lines(u"SELECT branch_id, user_turn_number, branch_turn_number, sequence_number FROM message_structure "
                  "WHERE session_id = ? ORDER BY sequence_number DESC LIMIT 2"_s,
                  {session}),
        QStringList({u"main|%1|%1|%2"_s.arg(branchTurns + 1).arg(maxSeq + 2),
                     u"main|%1|%1|%2"_s.arg(branchTurns + 1).arg(maxSeq + 1)}));
    EXPECT_EQ(agent->getConversationTurns(std::nullopt)->size(), branchTurns + 1);
    EXPECT_EQ(agent->getConversationTurns(kDay)->size(), mainTurns);

    // The session changed after the promote: undo must not throw that turn away.
    auto refused = merge->undo(out->undo);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().message,
              u"Session 'customer-1001' changed after \"Promote 'alt-1' to main (old main kept as "
              "'main-before-2026-11-26')\"; undoing it now would lose those changes"_s);
    EXPECT_EQ(
        raw.count(u"SELECT COUNT(*) FROM message_structure WHERE session_id = ? AND branch_id = 'main'"_s, {session}),
        agent->branchItemCount(u"main"_s).value());
}

TEST_F(BranchMergeTest, LiveSdkObjectOnThePromotedBranchMovesToMain)
{
    const QString session = u"customer-1004"_s;
    auto live = openAdvanced(db, session, false);
    ASSERT_TRUE(live);
    TB_ASSERT_OK(live->switchToBranch(u"alt-4"_s));
    const qint64 altTurns = RawDb(db).count(
        u"SELECT MAX(user_turn_number) FROM message_structure WHERE session_id = ? AND branch_id = 'alt-4'"_s,
        {session});

    auto merge = openMerge(db);
    TB_ASSERT_OK(merge->promote(session, u"alt-4"_s));
    // The bumped clear generation sends it to main (spec §6.8) instead of into a new, empty 'alt-4'.
    addTurns(*live, 9, 9);
    EXPECT_EQ(live->currentBranch(), u"main"_s);
    EXPECT_EQ(branchList(*live), QStringList({kDay, u"main*"_s}));
    RawDb raw(db);
    EXPECT_EQ(
        raw.count(u"SELECT COUNT(*) FROM message_structure WHERE session_id = ? AND branch_id = 'alt-4'"_s, {session}),
        0);
    EXPECT_EQ(
        raw.count(u"SELECT MAX(user_turn_number) FROM message_structure WHERE session_id = ? AND branch_id = 'main'"_s,
                  {session}),
        altTurns + 1);
}

TEST_F(BranchMergeTest, SideTablesMoveWithTheirBranches)
{
    const QString session = u"customer-1011"_s;
    {
        auto store = SqliteSessionStore::open(db, {});
        ASSERT_TRUE(store);
        core::BranchMeta alt;
        alt.branchId = u"alt-11"_s;
        alt.displayName = u"refund first"_s;
        alt.parentBranch = u"main"_s;
        alt.forkTurn = 3;
        TB_ASSERT_OK((*store)->setBranchMeta(session, alt));
        TB_ASSERT_OK((*store)->setLastViewedBranch(session, u"alt-11"_s));
        core::RequestUsage u;
        u.sessionId = session;
        u.branchId = u"alt-11"_s;
        u.userTurnNumber = 3;
        u.model = u"gpt-4.1-mini"_s;
        TB_ASSERT_OK((*store)->recordRequestUsage(u));
        u.branchId = u"main"_s;
        TB_ASSERT_OK((*store)->recordRequestUsage(u));
        TB_ASSERT_OK((*store)->setModelAssignment({session, u"main"_s, u"gpt-4o"_s}));
    }
    const QStringList original = dumpFile(db);
    auto merge = openMerge(db);
    auto out = merge->promote(session, u"alt-11"_s);
    TB_ASSERT_OK(out);
    RawDb raw(db);
    EXPECT_EQ(
        raw.lines(
            u"SELECT branch_id, display_name, parent_branch, fork_turn FROM tb_branch_meta WHERE session_id = ?"_s,
            {session}),
        QStringList({u"main|refund first|%1|3"_s.arg(kDay)}));
    EXPECT_EQ(raw.strings(u"SELECT last_branch FROM tb_session_view WHERE session_id = ?"_s, {session}),
              QStringList({u"main"_s}));
    EXPECT_EQ(raw.strings(u"SELECT branch_id FROM tb_request_usage WHERE session_id = ? ORDER BY id"_s, {session}),
              QStringList({u"main"_s, kDay}));
    EXPECT_EQ(raw.lines(u"SELECT branch_id, model FROM tb_model_assignment WHERE session_id = ?"_s, {session}),
              QStringList({kDay + u"|gpt-4o"_s}));

    // Looking at another branch afterwards (view state) does not block the undo.
    {
        auto store = SqliteSessionStore::open(db, {});
        TB_ASSERT_OK((*store)->setLastViewedBranch(session, kDay));
    }
    TB_ASSERT_OK(merge->undo(out->undo));
    EXPECT_EQ(dumpFile(db), original);
}

TEST_F(BranchMergeTest, OldMainNamesNeverCollide)
{
    const QString session = u"customer-1002"_s; // try-a-2 was deleted: reserved, no rows
    {
        RawDb raw(db);
        raw.exec(u"INSERT INTO branch_reservations (session_id, branch_id) VALUES (?, ?)"_s, {session, kDay});
        // A phantom usage row (store_run_usage on an empty branch, spec §10.5) also holds a name.
        raw.exec(u"INSERT INTO turn_usage (session_id, branch_id, user_turn_number) VALUES (?, ?, 0)"_s,
                 {session, QString(kDay + u"-2"_s)});
    }
    auto merge = openMerge(db);
    auto plan = merge->planPromote(session, u"try-b-2"_s);
    TB_ASSERT_OK(plan);
    EXPECT_EQ(plan->oldMainName, kDay + u"-3"_s);

    const auto refusedName = [&](const QString& name, const QString& message) {
        auto r = merge->planPromote(session, u"try-b-2"_s, name);
        ASSERT_FALSE(r.has_value()) << S(name);
        EXPECT_EQ(r.error().code, core::Error::Code::Argument);
        EXPECT_EQ(r.error().message, message);
    };
    refusedName(u"try-a-2"_s, u"Branch ID 'try-a-2' has already been used. Choose a new branch ID."_s);
    refusedName(u"try-b-2"_s, u"Branch ID 'try-b-2' has already been used. Choose a new branch ID."_s);
    refusedName(u"main"_s, u"The old main cannot keep the name 'main'"_s);
    refusedName(u"  "_s, u"The old main needs a branch name that is not empty"_s);

    auto out = merge->promote(session, u"try-b-2"_s, u"before-refund"_s);
    TB_ASSERT_OK(out);
    auto s = openAdvanced(db, session, false);
    EXPECT_EQ(branchList(*s), QStringList({u"before-refund"_s, u"main*"_s}));
    // The SDK itself now refuses the name for a new branch.
    TB_EXPECT_VALUE_ERROR(s->createBranchFromTurn(1, u"before-refund"_s),
                          u"Branch ID 'before-refund' has already been used. Choose a new branch ID."_s);
}

TEST_F(BranchMergeTest, PromoteTwiceSwitchesBackExactly)
{
    const QString session = u"customer-1017"_s;
    const Answers original = answers(db, session);
    const QString branch = u"branch_from_turn_5_1795705902"_s;
    auto merge = openMerge(db);
    TB_ASSERT_OK(merge->promote(session, branch));
    // "If they prefer the original, you switch back": promote the old main again.
    TB_ASSERT_OK(merge->promote(session, kDay, branch + u"-promoted"_s));
    Answers want = original;
    want.perBranch.insert(branch + u"-promoted"_s, want.perBranch.take(branch));
    want.items.insert(branch + u"-promoted"_s, want.items.take(branch));
    for (core::BranchInfo& b : want.branches) {
        if (b.branchId == branch)
            b.branchId = branch + u"-promoted"_s;
    }
    expectSameAnswers(answers(db, session), want, u"switched back"_s);
}

// --- Refusals -----------------------------------------------------------------------------------

TEST_F(BranchMergeTest, RefusesWhatItMustNotTouch)
{
    const QStringList original = dumpFile(db);
    auto merge = openMerge(db);
    const auto fails = [](const auto& r, core::Error::Code code, const QString& message) {
        ASSERT_FALSE(r.has_value()) << S(message);
        EXPECT_EQ(r.error().code, code);
        EXPECT_EQ(r.error().message, message);
    };
    fails(merge->promote(u"customer-1001"_s, u"main"_s), core::Error::Code::Argument,
          u"'main' is already the main line of session 'customer-1001'"_s);
    fails(merge->promote(u"customer-1001"_s, u"nope"_s), core::Error::Code::Argument,
          u"Branch 'nope' does not exist in session 'customer-1001'"_s);
    fails(merge->promote(u"customer-1001"_s, u"try-a-2"_s), core::Error::Code::Argument,
          u"Branch 'try-a-2' does not exist in session 'customer-1001'"_s);
    fails(merge->promote(u"nobody"_s, u"alt-1"_s), core::Error::Code::Argument, u"Session 'nobody' is not in "_s + db);
    fails(merge->carry(u"customer-1001"_s, u"main"_s, u"x"_s), core::Error::Code::Argument,
          u"A finding is carried to main from another branch, not from main itself"_s);
    fails(merge->carry(u"customer-1001"_s, u"alt-1"_s, u" \n "_s), core::Error::Code::Argument,
          u"A finding needs some text"_s);
    EXPECT_FALSE(merge->undo(MergeUndo{}).has_value());
    EXPECT_EQ(dumpFile(db), original);

    // Read-only: both refused with the reason.
    SqliteBranchMerge::Options ro = fixedClock();
    ro.readOnly = true;
    auto reader = openMerge(db, ro);
    ASSERT_TRUE(reader);
    EXPECT_TRUE(reader->isReadOnly());
    fails(reader->promote(u"customer-1001"_s, u"alt-1"_s), core::Error::Code::ReadOnly,
          db + u" is read-only; promoting a branch writes to it"_s);
    fails(reader->carry(u"customer-1001"_s, u"alt-1"_s, u"x"_s), core::Error::Code::ReadOnly,
          db + u" is read-only; carrying a finding writes to it"_s);
    TB_EXPECT_OK(reader->carriedFindings(u"customer-1001"_s));

    // A session a plain SQLiteSession also writes.
    {
        auto plain = openPlain(db, u"customer-1001"_s);
        TB_ASSERT_OK(plain->addItems(Items({R"({"role": "user", "content": "still there?"})"})));
    }
    const QString plainMessage =
        u"Session 'customer-1001' has 1 items without message_structure rows: a plain SQLiteSession reads "
        "and writes it, and would take every branch's items as one conversation, so it is left as it is"_s;
    fails(merge->promote(u"customer-1001"_s, u"alt-1"_s), core::Error::Code::Argument, plainMessage);
    fails(merge->carry(u"customer-1001"_s, u"alt-1"_s, u"x"_s), core::Error::Code::Argument, plainMessage);

    // A file without the advanced tables.
    const QString basic = copySdkFixture(u"basic.db"_s, dir.path());
    auto onBasic = openMerge(basic);
    fails(onBasic->promote(u"customer-789"_s, u"alt"_s), core::Error::Code::Argument,
          basic
              + u" has no AdvancedSQLiteSession tables (message_structure): its sessions are plain SQLiteSession "
                "conversations without branches"_s);
}

TEST_F(BranchMergeTest, ProductionFilesRefusePromoteButTakeFindings)
{
    {
        auto store = SqliteSessionStore::open(db, {});
        TB_ASSERT_OK((*store)->setProductionFile(true));
    }
    const QStringList original = dumpFile(db);
    auto merge = openMerge(db);
    auto r = merge->promote(u"customer-1001"_s, u"alt-1"_s);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Error::Code::ReadOnly);
    EXPECT_EQ(r.error().message,
              db
                  + u" is flagged as a production file: promoting a branch would change the line live agents "
                    "continue, so it is refused here; promote in a copy of the file"_s);
    EXPECT_FALSE(merge->planPromote(u"customer-1001"_s, u"alt-1"_s).has_value());
    EXPECT_EQ(dumpFile(db), original);
    TB_EXPECT_OK(merge->checkCarry(u"customer-1001"_s, u"alt-1"_s));
}

// --- Carry --------------------------------------------------------------------------------------

TEST_F(BranchMergeTest, CarryAppendsOneDeveloperItemToMainOnly)
{
    const QString session = u"customer-1001"_s;
    const QStringList original = dumpFile(db);
    const Answers before = answers(db, session);
    RawDb raw(db);
    const qint64 maxId = raw.count(u"SELECT MAX(id) FROM agent_messages"_s);
    const qint64 maxSeq =
        raw.count(u"SELECT MAX(sequence_number) FROM message_structure WHERE session_id = ?"_s, {session});
    const qint64 mainTurn =
        raw.count(u"SELECT MAX(user_turn_number) FROM message_structure WHERE session_id = ? AND branch_id = 'main'"_s,
                  {session});
    ASSERT_FALSE(raw.tableExists(u"tb_carried_finding"_s));

    auto merge = openMerge(db);
    auto out = merge->carry(session, u"alt-1"_s, u"Offer the refund first: the customer accepted at once."_s);
    TB_ASSERT_OK(out);
    EXPECT_EQ(out->messageId, maxId + 1);
    EXPECT_EQ(out->sequenceNumber, maxSeq + 1);
    EXPECT_EQ(out->turn, mainTurn);
    EXPECT_EQ(out->item,
              BranchMerge::findingItem(u"alt-1"_s, u"Offer the refund first: the customer accepted at once."_s));
    EXPECT_EQ(
        raw.lines(
            u"SELECT message_type, user_turn_number, branch_turn_number, tool_name FROM message_structure WHERE message_id = ?"_s,
            {out->messageId}),
        QStringList({u"message|%1|%1|NULL"_s.arg(mainTurn)}));
    EXPECT_EQ(raw.strings(u"SELECT message_data FROM agent_messages WHERE id = ?"_s, {out->messageId}),
              QStringList({QString::fromUtf8(out->item.dump())}));
    EXPECT_EQ(raw.lines(u"SELECT session_id, message_id, source_branch FROM tb_carried_finding"_s),
              QStringList({u"%1|%2|alt-1"_s.arg(session).arg(out->messageId)}));

    // SDK answers: main gained the item at the end of its last turn, nothing else moved.
    const Answers after = answers(db, session);
    EXPECT_EQ(after.perBranch.value(u"alt-1"_s), before.perBranch.value(u"alt-1"_s));
    auto s = openAdvanced(db, session, false);
    auto items = s->getItems(std::nullopt, u"main"_s);
    ASSERT_TRUE(items);
    EXPECT_EQ(items->last(), out->item);
    EXPECT_EQ(s->getConversationTurns(u"main"_s)->size(), mainTurn); // no new customer turn
    EXPECT_EQ(s->getConversationByTurns(u"main"_s)->last().items.last().type, u"message"_s);

    auto found = merge->carriedFindings(session);
    TB_ASSERT_OK(found);
    ASSERT_EQ(found->size(), 1);
    EXPECT_EQ(found->first().messageId, out->messageId);
    EXPECT_EQ(found->first().sourceBranch, u"alt-1"_s);
    EXPECT_EQ(found->first().text, u"Offer the refund first: the customer accepted at once."_s);
    EXPECT_EQ(found->first().branches, QStringList({u"main"_s}));
    EXPECT_FALSE(found->first().createdAt.isEmpty());
    EXPECT_TRUE(merge->carriedFindings(u"customer-1004"_s)->isEmpty());

    // Undo: the row, its structure row, the session's updated_at, the link, the side table and the
    // AUTOINCREMENT counters are as they were.
    TB_ASSERT_OK(merge->undo(out->undo));
    EXPECT_EQ(dumpFile(db), original);
    expectSameAnswers(answers(db, session), before, u"after undo"_s);
}

TEST_F(BranchMergeTest, CarryOnAFileWithoutGenerationTableUndoesItsCreation)
{
    const QString session = u"customer-1001"_s;
    {
        RawDb raw(db);
        raw.exec(u"DROP TABLE session_clear_generations"_s); // written by an SDK before v0.20.0
    }
    const QStringList original = dumpFile(db);
    auto merge = openMerge(db);
    RawDb raw(db);
    auto carried = merge->carry(session, u"alt-1"_s, u"Ask for the order number first."_s);
    TB_ASSERT_OK(carried);
    EXPECT_TRUE(raw.tableExists(u"session_clear_generations"_s)); // add_items creates it, as the SDK does
    TB_ASSERT_OK(merge->undo(carried->undo));
    EXPECT_EQ(dumpFile(db), original);
}

TEST_F(BranchMergeTest, UndoStackOfCarryAndPromote)
{
    const QString session = u"customer-1021"_s;
    const QStringList original = dumpFile(db);
    auto merge = openMerge(db);
    auto carried = merge->carry(session, u"alt-21"_s, u"The replacement was faster than the refund."_s);
    TB_ASSERT_OK(carried);
    auto promoted = merge->promote(session, u"alt-21"_s);
    TB_ASSERT_OK(promoted);
    // The finding now sits on the old main, and the tree still knows where it came from.
    auto found = merge->carriedFindings(session);
    ASSERT_EQ(found->size(), 1);
    EXPECT_EQ(found->first().sourceBranch, u"main"_s);
    EXPECT_EQ(found->first().branches, QStringList({kDay}));

    // Out of order: the carry's undo sees a changed session.
    EXPECT_FALSE(merge->undo(carried->undo).has_value());
    TB_ASSERT_OK(merge->undo(promoted->undo));
    TB_ASSERT_OK(merge->undo(carried->undo));
    EXPECT_EQ(dumpFile(db), original);

    // Redo after undo gives the same ids (the counters were given back).
    auto again = merge->carry(session, u"alt-21"_s, u"The replacement was faster than the refund."_s);
    TB_ASSERT_OK(again);
    EXPECT_EQ(again->messageId, carried->messageId);
}

TEST_F(BranchMergeTest, CarryUndoRefusedAfterTheAgentContinued)
{
    const QString session = u"customer-1031"_s;
    auto merge = openMerge(db);
    auto carried = merge->carry(session, u"alt-31"_s, u"Use the courier's tracking page."_s);
    TB_ASSERT_OK(carried);
    auto agent = openAdvanced(db, session, false);
    addTurns(*agent, 7, 7);
    // The model now sees the finding in its history, before the new question.
    auto items = agent->getItems(std::nullopt);
    ASSERT_TRUE(items);
    ASSERT_GE(items->size(), 3);
    EXPECT_EQ(items->at(items->size() - 3), carried->item);
    EXPECT_FALSE(merge->undo(carried->undo).has_value());
}

} // namespace
} // namespace tb::test::storage
