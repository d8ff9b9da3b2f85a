// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// core::BranchComparison on hand-made branches: the fork after the shared message-id prefix, turns
// from the fork paired item by item, turns on one side only, per-turn and total tokens and cost
// with known, unknown and missing models, a fork in mid-turn, identical branches, and what each
// kind of item shows. The SDK-written multi.db cases are in tests/unit/storage.
#include "core/BranchComparison.h"

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using tb::core::BranchComparison;
using tb::core::Json;
using tb::core::ModelPrice;
using tb::core::PriceTable;
using tb::core::StoredItem;
using tb::core::TextDiff;
using tb::core::TurnUsage;
using Kind = BranchComparison::ItemKind;

namespace {

Json J(const char* text)
{
    auto r = Json::parse(text);
    EXPECT_TRUE(r.has_value()) << text;
    return r ? std::move(r).value() : Json();
}

StoredItem row(qint64 id, std::optional<qint64> turn, const char* json,
               const QString& createdAt = u"2025-09-01 10:00:00"_s)
{
    StoredItem it;
    it.messageId = id;
    it.sequenceNumber = id;
    it.turn = turn;
    it.item = J(json);
    it.createdAt = createdAt;
    return it;
}

StoredItem user(qint64 id, qint64 turn, const char* text)
{
    return row(id, turn, QByteArray(R"({"content": ")" + QByteArray(text) + R"(", "role": "user"})").constData());
}

StoredItem answer(qint64 id, qint64 turn, const char* text)
{
    return row(
        id, turn,
        QByteArray(
            R"({"id": "msg_1", "content": [{"annotations": [], "text": ")" + QByteArray(text)
            + R"(", "type": "output_text", "logprobs": []}], "role": "assistant", "status": "completed", "type": "message"})")
            .constData());
}

StoredItem call(qint64 id, qint64 turn, const char* name, const char* order)
{
    StoredItem it =
        row(id, turn,
            QByteArray(R"({"arguments": "{\"order_id\": \")" + QByteArray(order) + R"(\"}", "call_id": "call_)"
                       + QByteArray::number(id) + R"(", "name": ")" + QByteArray(name)
                       + R"(", "type": "function_call", "id": "fc_1", "status": "completed"})")
                .constData());
    it.toolName = QString::fromUtf8(name);
    return it;
}

StoredItem output(qint64 id, qint64 turn, const char* status)
{
    return row(id, turn,
               QByteArray(R"({"call_id": "call_x", "output": "{\"status\": \")" + QByteArray(status)
                          + R"(\"}", "type": "function_call_output"})")
                   .constData());
}

TurnUsage usage(qint64 turn, qint64 input, qint64 cached, qint64 output, qint64 reasoning = 0)
{
    TurnUsage u;
    u.userTurnNumber = turn;
    u.requests = Json(qint64(1));
    u.inputTokens = Json(input);
    u.outputTokens = Json(output);
    u.totalTokens = Json(input + output);
    u.inputTokensDetails = J("{}");
    u.inputTokensDetails.insert(u"cache_write_tokens"_s, Json(qint64(0)));
    u.inputTokensDetails.insert(u"cached_tokens"_s, Json(cached));
    u.outputTokensDetails = J("{}");
    u.outputTokensDetails.insert(u"reasoning_tokens"_s, Json(reasoning));
    return u;
}

ModelPrice price(const QString& model, double input, double cached, double output, const QDate& effective)
{
    ModelPrice p;
    p.model = model;
    p.inputPerMillion = input;
    p.cachedInputPerMillion = cached;
    p.outputPerMillion = output;
    p.effective = effective;
    return p;
}

PriceTable prices()
{
    PriceTable t;
    t.add(price(u"m1"_s, 2.0, 0.5, 8.0, QDate(2025, 1, 1)));
    t.add(price(u"m2"_s, 1.0, 0.25, 4.0, QDate(2025, 1, 1)));
    return t;
}

// main: turns 1–4; alt: made from turn 3 (copies of turns 1–2, same message ids) plus its own 3.
struct Fixture
{
    BranchComparison::Side main{
        u"main"_s,
        {user(1, 1, "Where is ORD-1?"), call(2, 1, "check_order_status", "ORD-1"), output(3, 1, "shipped"),
         answer(4, 1, "It shipped."), user(5, 2, "Thanks"), answer(6, 2, "You are welcome."),
         user(7, 3, "Can I get a refund?"), answer(8, 3, "Yes, refunds take 5 days."), user(9, 4, "Great"),
         answer(10, 4, "Anything else?")},
        {usage(1, 1000, 0, 100), usage(2, 1200, 1000, 50), usage(3, 1500, 1024, 60), usage(4, 1700, 1024, 40)}};
    BranchComparison::Side alt{u"alt"_s,
                               {user(1, 1, "Where is ORD-1?"), call(2, 1, "check_order_status", "ORD-1"),
                                output(3, 1, "shipped"), answer(4, 1, "It shipped."), user(5, 2, "Thanks"),
                                answer(6, 2, "You are welcome."), user(11, 3, "Can I get a full refund?"),
                                call(12, 3, "lookup_account", "ORD-1"), output(13, 3, "eligible"),
                                answer(14, 3, "Yes, refunds take 3 days.")},
                               {usage(3, 2000, 1024, 80, 16)}};
};

BranchComparison::ModelForTurn models(const QString& mainModel, const QString& altModel)
{
    return [=](const QString& branch, qint64) { return branch == u"main"_s ? mainModel : altModel; };
}

TEST(BranchComparison, ForksAfterTheSharedPrefix)
{
    Fixture f;
    const BranchComparison c = BranchComparison::compute(f.main, f.alt, prices(), models(u"m1"_s, u"m1"_s));
    EXPECT_EQ(c.leftBranch(), u"main"_s);
    EXPECT_EQ(c.rightBranch(), u"alt"_s);
    EXPECT_EQ(c.sharedItems(), 6);
    EXPECT_EQ(c.sharedTurns(), (QList<qint64>{1, 2}));
    ASSERT_EQ(c.forkTurn(), 3);
    EXPECT_EQ(c.sharedItemList().size(), 6);
    EXPECT_EQ(c.sharedItemList().at(0).text, u"Where is ORD-1?"_s);
    ASSERT_EQ(c.turns().size(), 2);
    EXPECT_EQ(c.turns().at(0).turn, 3);
    EXPECT_EQ(c.turns().at(1).turn, 4);
    EXPECT_EQ(c.indexOfTurn(4), 1);
    EXPECT_EQ(c.indexOfTurn(2), -1);
}

TEST(BranchComparison, PairsItemsOfATurnByKind)
{
    Fixture f;
    const BranchComparison c = BranchComparison::compute(f.main, f.alt, prices(), {});
    const BranchComparison::Turn& t3 = c.turns().at(0);
    EXPECT_TRUE(t3.onLeft);
    EXPECT_TRUE(t3.onRight);
    // user ↔ user, (nothing) ↔ tool call, (nothing) ↔ tool output, answer ↔ answer.
    ASSERT_EQ(t3.pairs.size(), 4);
    ASSERT_TRUE(t3.pairs.at(0).left && t3.pairs.at(0).right);
    EXPECT_EQ(t3.pairs.at(0).left->kind, Kind::User);
    EXPECT_FALSE(t3.pairs.at(0).shared);
    EXPECT_FALSE(t3.pairs.at(1).left);
    EXPECT_EQ(t3.pairs.at(1).right->kind, Kind::ToolCall);
    EXPECT_EQ(t3.pairs.at(1).right->text, u"lookup_account\n{\n  \"order_id\": \"ORD-1\"\n}"_s);
    EXPECT_FALSE(t3.pairs.at(2).left);
    EXPECT_EQ(t3.pairs.at(2).right->kind, Kind::ToolOutput);
    ASSERT_TRUE(t3.pairs.at(3).left && t3.pairs.at(3).right);
    EXPECT_EQ(t3.pairs.at(3).left->kind, Kind::Assistant);

    const TextDiff question = t3.pairs.at(0).diff();
    EXPECT_EQ(question.segments(), (QList<TextDiff::Segment>{{TextDiff::Op::Equal, u"Can I get a "_s},
                                                             {TextDiff::Op::Inserted, u"full "_s},
                                                             {TextDiff::Op::Equal, u"refund?"_s}}));
    const TextDiff answerDiff = t3.pairs.at(3).diff();
    EXPECT_TRUE(answerDiff.segments().contains(TextDiff::Segment{TextDiff::Op::Removed, u"5"_s}));
    EXPECT_TRUE(answerDiff.segments().contains(TextDiff::Segment{TextDiff::Op::Inserted, u"3"_s}));
    // A side without the item diffs against empty text.
    EXPECT_EQ(t3.pairs.at(1).diff().segments().size(), 1);
    EXPECT_EQ(t3.pairs.at(1).diff().segments().at(0).op, TextDiff::Op::Inserted);

    // Turn 4 exists on main only.
    const BranchComparison::Turn& t4 = c.turns().at(1);
    EXPECT_TRUE(t4.onLeft);
    EXPECT_FALSE(t4.onRight);
    ASSERT_EQ(t4.pairs.size(), 2);
    EXPECT_TRUE(t4.pairs.at(0).left && !t4.pairs.at(0).right);
}

TEST(BranchComparison, TokensAndCostPerTurnAndFromTheFork)
{
    Fixture f;
    const BranchComparison c = BranchComparison::compute(f.main, f.alt, prices(), models(u"m1"_s, u"m2"_s));
    const BranchComparison::Turn& t3 = c.turns().at(0);
    EXPECT_EQ(t3.left.input, 1500);
    EXPECT_EQ(t3.left.cached, 1024);
    EXPECT_EQ(t3.left.output, 60);
    EXPECT_EQ(t3.left.total, 1560);
    EXPECT_EQ(t3.right.total, 2080);
    EXPECT_EQ(t3.right.reasoning, 16);
    EXPECT_EQ(t3.deltaTotal(), 520);
    EXPECT_EQ(t3.left.model, u"m1"_s);
    EXPECT_EQ(t3.right.model, u"m2"_s);
    // m1: 476 × 2 + 1024 × 0.5 + 60 × 8 = 1944 µ$; m2: 976 × 1 + 1024 × 0.25 + 80 × 4 = 1552 µ$.
    ASSERT_TRUE(t3.left.cost && t3.right.cost);
    EXPECT_DOUBLE_EQ(*t3.left.cost, 1944e-6);
    EXPECT_DOUBLE_EQ(*t3.right.cost, 1552e-6);
    ASSERT_TRUE(t3.deltaCost());
    EXPECT_DOUBLE_EQ(*t3.deltaCost(), 1552e-6 - 1944e-6);

    // Turn 4 has usage on main only: the right side counts as nothing spent.
    const BranchComparison::Turn& t4 = c.turns().at(1);
    EXPECT_TRUE(t4.left.hasUsage());
    EXPECT_FALSE(t4.right.hasUsage());
    EXPECT_EQ(t4.deltaTotal(), -1740);
    ASSERT_TRUE(t4.deltaCost());

    // Totals run from the fork: turns 1 and 2 (usage on main only, as the SDK stores it) are out.
    EXPECT_EQ(c.leftTotal().total, 1560 + 1740);
    EXPECT_EQ(c.leftTotal().usageRows, 2);
    EXPECT_EQ(c.rightTotal().total, 2080);
    EXPECT_EQ(c.deltaTotal(), 2080 - 3300);
    EXPECT_EQ(c.leftTotal().input, 3200);
    EXPECT_EQ(c.leftTotal().cached, 2048);
    EXPECT_EQ(c.leftTotal().output, 100);
    ASSERT_TRUE(c.deltaCost());
    EXPECT_NEAR(*c.deltaCost(), *c.rightTotal().cost - *c.leftTotal().cost, 1e-12);
}

TEST(BranchComparison, UnknownModelsLeaveCostsOpen)
{
    Fixture f;
    // No model for alt, an unpriced model for main's turn 4.
    const auto modelFor = [](const QString& branch, qint64 turn) {
        if (branch == u"alt"_s)
            return QString();
        return turn == 4 ? u"no-such-model"_s : u"m1"_s;
    };
    const BranchComparison c = BranchComparison::compute(f.main, f.alt, prices(), modelFor);
    EXPECT_FALSE(c.turns().at(0).right.cost);
    EXPECT_EQ(c.turns().at(0).right.unpricedRows, 1);
    EXPECT_FALSE(c.turns().at(0).deltaCost());
    EXPECT_TRUE(c.turns().at(0).left.cost);
    EXPECT_FALSE(c.turns().at(1).left.cost);
    // Totals keep the priced part and say that it is partial.
    ASSERT_TRUE(c.leftTotal().cost);
    EXPECT_DOUBLE_EQ(*c.leftTotal().cost, 1944e-6);
    EXPECT_FALSE(c.leftTotal().costComplete());
    EXPECT_FALSE(c.rightTotal().cost);
    EXPECT_FALSE(c.deltaCost());
    // No model function at all: tokens still compared.
    const BranchComparison bare = BranchComparison::compute(f.main, f.alt, prices(), {});
    EXPECT_EQ(bare.deltaTotal(), -1220);
    EXPECT_FALSE(bare.deltaCost());
}

TEST(BranchComparison, PricesByTheDateOfTheTurn)
{
    Fixture f;
    PriceTable t = prices();
    t.add(price(u"m1"_s, 4.0, 1.0, 16.0, QDate(2026, 1, 1))); // a price rise later on
    f.alt.items[6].createdAt = u"2026-03-01 09:00:00"_s;
    const BranchComparison c = BranchComparison::compute(f.main, f.alt, t, models(u"m1"_s, u"m1"_s));
    // main's turn 3 is from 2025 (old price), alt's from 2026 (new price).
    EXPECT_DOUBLE_EQ(*c.turns().at(0).left.cost, 1944e-6);
    EXPECT_DOUBLE_EQ(*c.turns().at(0).right.cost, (976 * 4.0 + 1024 * 1.0 + 80 * 16.0) / 1e6);
}

TEST(BranchComparison, SwappedSidesNegateTheDifferences)
{
    Fixture f;
    const BranchComparison a = BranchComparison::compute(f.main, f.alt, prices(), models(u"m1"_s, u"m1"_s));
    const BranchComparison b = BranchComparison::compute(f.alt, f.main, prices(), models(u"m1"_s, u"m1"_s));
    EXPECT_EQ(b.leftBranch(), u"alt"_s);
    EXPECT_EQ(b.forkTurn(), a.forkTurn());
    EXPECT_EQ(b.deltaTotal(), -a.deltaTotal());
    EXPECT_NEAR(*b.deltaCost(), -*a.deltaCost(), 1e-12);
    EXPECT_EQ(b.turns().at(0).pairs.size(), a.turns().at(0).pairs.size());
    EXPECT_TRUE(b.turns().at(0).pairs.at(1).left);
    EXPECT_FALSE(b.turns().at(0).pairs.at(1).right);
}

TEST(BranchComparison, ForkInMidTurnShowsTheSharedRowsInTheForkTurn)
{
    // Both branches hold the same question of turn 2 but different answers (a hand-made or
    // foreign-written file): the fork is turn 2, its question is one shared pair.
    BranchComparison::Side a{
        u"a"_s, {user(1, 1, "Hi"), answer(2, 1, "Hello"), user(3, 2, "Order?"), answer(4, 2, "Shipped")}, {}};
    BranchComparison::Side b{
        u"b"_s, {user(1, 1, "Hi"), answer(2, 1, "Hello"), user(3, 2, "Order?"), answer(5, 2, "Lost")}, {}};
    const BranchComparison c = BranchComparison::compute(a, b, prices(), {});
    EXPECT_EQ(c.sharedItems(), 3);
    EXPECT_EQ(c.forkTurn(), 2);
    EXPECT_EQ(c.sharedTurns(), (QList<qint64>{1}));
    EXPECT_EQ(c.sharedItemList().size(), 2);
    ASSERT_EQ(c.turns().size(), 1);
    ASSERT_EQ(c.turns().at(0).pairs.size(), 2);
    EXPECT_TRUE(c.turns().at(0).pairs.at(0).shared);
    EXPECT_TRUE(c.turns().at(0).pairs.at(0).diff().isEqual());
    EXPECT_FALSE(c.turns().at(0).pairs.at(1).shared);
}

TEST(BranchComparison, UnrelatedIdenticalAndEmptyBranches)
{
    Fixture f;
    // Nothing shared (a branch made from turn 1): the fork is the first turn, totals are all usage.
    BranchComparison::Side fresh{u"fresh"_s, {user(20, 1, "Hello"), answer(21, 1, "Hi!")}, {usage(1, 500, 0, 20)}};
    const BranchComparison c = BranchComparison::compute(f.main, fresh, prices(), {});
    EXPECT_EQ(c.sharedItems(), 0);
    EXPECT_TRUE(c.sharedTurns().isEmpty());
    EXPECT_EQ(c.forkTurn(), 1);
    EXPECT_EQ(c.turns().size(), 4);
    EXPECT_EQ(c.leftTotal().total, 1100 + 1250 + 1560 + 1740);
    EXPECT_EQ(c.rightTotal().total, 520);

    // A branch against itself: everything shared, nothing compared.
    const BranchComparison same = BranchComparison::compute(f.main, f.main, prices(), {});
    EXPECT_FALSE(same.forkTurn());
    EXPECT_EQ(same.sharedTurns(), (QList<qint64>{1, 2, 3, 4}));
    EXPECT_TRUE(same.turns().isEmpty());
    EXPECT_EQ(same.deltaTotal(), 0);

    // An empty side.
    const BranchComparison empty =
        BranchComparison::compute(BranchComparison::Side{u"x"_s, {}, {}}, fresh, prices(), {});
    EXPECT_EQ(empty.forkTurn(), 1);
    ASSERT_EQ(empty.turns().size(), 1);
    EXPECT_FALSE(empty.turns().at(0).onLeft);
    EXPECT_EQ(empty.turns().at(0).pairs.size(), 2);
}

TEST(BranchComparison, TurnZeroAndNullTurns)
{
    // Unshared system items before the first question are turn 0; a NULL turn (foreign writer)
    // belongs to the turn of the row before it.
    BranchComparison::Side a{u"a"_s,
                             {row(1, 0, R"({"role": "system", "content": "Be brief."})"), user(2, 1, "Hi"),
                              row(3, std::nullopt, R"({"type": "custom", "x": 1})")},
                             {usage(1, 10, 0, 5)}};
    BranchComparison::Side b{u"b"_s, {row(4, 0, R"({"role": "system", "content": "Be kind."})"), user(5, 1, "Hi")}, {}};
    const BranchComparison c = BranchComparison::compute(a, b, prices(), {});
    EXPECT_EQ(c.forkTurn(), 0);
    ASSERT_EQ(c.turns().size(), 2);
    EXPECT_EQ(c.turns().at(0).turn, 0);
    EXPECT_EQ(c.turns().at(0).pairs.at(0).left->label, u"System"_s);
    EXPECT_EQ(c.turns().at(0).pairs.at(0).left->kind, Kind::Other);
    ASSERT_EQ(c.turns().at(1).pairs.size(), 2);
    EXPECT_EQ(c.turns().at(1).pairs.at(1).left->label, u"custom"_s);
    EXPECT_FALSE(c.turns().at(1).pairs.at(1).right);
}

TEST(BranchComparison, DescribesEachKindOfItem)
{
    EXPECT_EQ(BranchComparison::describe(user(1, 1, "Hi")).label, u"User"_s);
    const auto multi = BranchComparison::describe(
        row(1, 1, R"({"role": "user", "content": [{"type": "input_text", "text": "a"}, {"type": "input_image"}]})"));
    EXPECT_EQ(multi.text, u"a\n[input_image]"_s);
    const auto out = BranchComparison::describe(output(2, 1, "shipped"));
    EXPECT_EQ(out.kind, Kind::ToolOutput);
    EXPECT_EQ(out.text, u"{\n  \"status\": \"shipped\"\n}"_s);
    const auto reasoning = BranchComparison::describe(row(
        3, 1,
        R"({"id": "rs_1", "summary": [{"text": "Check the order.", "type": "summary_text"}], "type": "reasoning"})"));
    EXPECT_EQ(reasoning.kind, Kind::Reasoning);
    EXPECT_EQ(reasoning.text, u"Check the order."_s);
    const auto search =
        BranchComparison::describe(row(4, 1, R"({"type": "web_search_call", "id": "ws_1", "status": "completed"})"));
    EXPECT_EQ(search.kind, Kind::ToolCall);
    EXPECT_TRUE(search.text.startsWith(u"web_search_call\n{"_s));
    StoredItem broken;
    broken.messageId = 5;
    broken.corrupt = true;
    broken.rawText = u"{not json"_s;
    const auto corrupt = BranchComparison::describe(broken);
    EXPECT_EQ(corrupt.kind, Kind::Corrupt);
    EXPECT_EQ(corrupt.text, u"{not json"_s);
    EXPECT_EQ(corrupt.messageId, 5);
}

} // namespace
