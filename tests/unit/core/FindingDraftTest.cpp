// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// The carried finding's item shape (BranchMerge::findingItem) and the model request that drafts
// it (FindingDraft): pure core, no model and no database.
#include "core/FindingDraft.h"

#include "core/BranchMerge.h"
#include "core/ItemClassifier.h"

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using tb::core::BranchMerge;
using tb::core::FindingDraft;
using tb::core::Json;
using tb::core::ModelReply;
using tb::core::StoredItem;

namespace {

Json J(const char* text)
{
    auto r = Json::parse(QByteArray(text));
    EXPECT_TRUE(r.has_value()) << text;
    return r ? std::move(r).value() : Json();
}

StoredItem stored(qint64 id, const char* json)
{
    StoredItem s;
    s.messageId = id;
    s.sequenceNumber = id;
    s.item = J(json);
    return s;
}

ModelReply reply(const QList<Json>& output, const QString& finish = u"stop"_s)
{
    ModelReply r;
    r.output = output;
    r.finishReason = finish;
    return r;
}

Json assistantText(const QString& text)
{
    Json part = Json::object();
    part.insert(u"annotations"_s, Json::array());
    part.insert(u"text"_s, Json(text));
    part.insert(u"type"_s, Json(u"output_text"_s));
    Json content = Json::array();
    content.append(part);
    Json m = Json::object();
    m.insert(u"id"_s, Json(u"msg_1"_s));
    m.insert(u"content"_s, content);
    m.insert(u"role"_s, Json(u"assistant"_s));
    m.insert(u"type"_s, Json(u"message"_s));
    return m;
}

TEST(FindingItem, IsATypedDeveloperMessageWithItsProvenance)
{
    const Json item =
        BranchMerge::findingItem(u"alt-1"_s, u"  Offer the refund first; the customer accepted it at once.\n"_s);
    EXPECT_EQ(
        item.dump(),
        QByteArray(
            R"({"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "Analyst finding )"
            R"(from the what-if branch 'alt-1' (not said by the customer):\nOffer the refund first; the customer )"
            R"(accepted it at once."}]})"));
    EXPECT_EQ(BranchMerge::findingText(item), u"Offer the refund first; the customer accepted it at once."_s);

    // The SDK files it as `message` without a turn of its own (spec §4.2): not a customer turn.
    auto cls = tb::core::ItemClassifier::classify(item);
    ASSERT_TRUE(cls.has_value());
    EXPECT_EQ(cls->messageType, u"message"_s);
    EXPECT_FALSE(cls->isUser);
    EXPECT_FALSE(cls->toolName.has_value());
}

TEST(FindingItem, TextIsOnlyReadFromCarriedItems)
{
    EXPECT_FALSE(
        BranchMerge::findingText(J(R"({"role": "user", "content": "Analyst finding from the what-if branch 'x'"})")));
    EXPECT_FALSE(BranchMerge::findingText(
        J(R"({"role": "developer", "content": [{"type": "input_text", "text": "be brief"}]})")));
    EXPECT_FALSE(BranchMerge::findingText(J(R"([1, 2])")));
    // A branch id with a newline does not confuse the split.
    const Json odd = BranchMerge::findingItem(u"a\nb"_s, u"text"_s);
    EXPECT_EQ(BranchMerge::findingText(odd), u"text"_s);
}

TEST(FindingItem, DefaultOldMainName)
{
    EXPECT_EQ(BranchMerge::defaultOldMainName(QDate(2026, 11, 26)), u"main-before-2026-11-26"_s);
    EXPECT_EQ(BranchMerge::defaultOldMainName(QDate(2027, 1, 5)), u"main-before-2027-01-05"_s);
}

FindingDraft::Input forkedInput()
{
    FindingDraft::Input in;
    in.branchId = u"alt-1"_s;
    // Shared: items 1-3. Branch: 10-12. Main: 4-5.
    in.mainItems = {
        stored(1, R"({"content": "Where is ORD-1?", "role": "user"})"),
        stored(
            2,
            R"({"arguments": "{\"order_id\": \"ORD-1\"}", "call_id": "c1", "name": "check_order_status", "type": "function_call"})"),
        stored(3, R"({"call_id": "c1", "output": "shipped", "type": "function_call_output"})"),
        stored(4, R"({"content": "I want a refund", "role": "user"})"),
        stored(
            5,
            R"({"id": "m5", "content": [{"annotations": [], "text": "Refunds take 30 days.", "type": "output_text"}], "role": "assistant", "status": "completed", "type": "message"})")};
    in.branchItems = {
        in.mainItems.at(0),
        in.mainItems.at(1),
        in.mainItems.at(2),
        stored(10, R"({"role": "user", "content": [{"type": "input_text", "text": "Can you refund now?"}]})"),
        stored(
            11,
            R"({"id": "rs_1", "summary": [{"text": "secret thoughts", "type": "summary_text"}], "type": "reasoning"})"),
        stored(12, R"({"role": "assistant", "content": "Refund issued today."})")};
    return in;
}

TEST(FindingDraft, TranscriptSplitsSharedHistoryBranchAndMain)
{
    const QString t = FindingDraft::transcript(forkedInput());
    EXPECT_EQ(t, u"A support conversation with a what-if branch 'alt-1'. The branch shares its first 3 items with the "
                 u"main line, "
                 "then diverges.\n\n"
                 "== Shared history ==\n"
                 "Customer: Where is ORD-1?\n"
                 "Agent called check_order_status({\"order_id\": \"ORD-1\"})\n"
                 "Tool result: shipped\n\n"
                 "== What-if branch 'alt-1' after the fork ==\n"
                 "Customer: Can you refund now?\n"
                 "Agent: Refund issued today.\n\n"
                 "== Main line after the fork ==\n"
                 "Customer: I want a refund\n"
                 "Agent: Refunds take 30 days.\n\n"
                 "Write the finding for the main line."_s);
    EXPECT_FALSE(t.contains(u"secret thoughts"_s)); // reasoning is left out
}

TEST(FindingDraft, TranscriptNamesEmptySidesFocusAndEarlierFindings)
{
    FindingDraft::Input in = forkedInput();
    in.mainItems = in.mainItems.mid(0, 3);
    in.branchItems << StoredItem{
        13, 13, {}, u"message"_s, {}, {}, BranchMerge::findingItem(u"other"_s, u"Check the carrier."_s), {}, false};
    StoredItem corrupt;
    corrupt.messageId = 14;
    corrupt.corrupt = true;
    corrupt.rawText = u"{not json"_s;
    in.branchItems << corrupt;
    in.focus = u"  refund timing "_s;
    const QString t = FindingDraft::transcript(in);
    EXPECT_TRUE(t.contains(u"== Main line after the fork ==\n(nothing: main ends where the branch forked)\n"_s))
        << t.toStdString();
    EXPECT_TRUE(t.contains(u"Earlier analyst finding: Check the carrier.\n[unreadable row]\n"_s)) << t.toStdString();
    EXPECT_TRUE(t.contains(u"== The analyst's focus ==\nrefund timing\n"_s));
}

TEST(FindingDraft, LongItemsAndLongBranchesAreCut)
{
    FindingDraft::Input in;
    in.branchId = u"b"_s;
    const QString huge(5000, u'x');
    for (qint64 i = 1; i <= 60; ++i) {
        Json u = Json::object();
        u.insert(u"role"_s, Json(u"user"_s));
        u.insert(u"content"_s, Json(QString(QString::number(i) + u' ' + huge)));
        in.branchItems << StoredItem{i, i, i, u"user"_s, {}, {}, u, {}, false};
    }
    const QString t = FindingDraft::transcript(in);
    EXPECT_LE(t.size(), FindingDraft::kMaxTranscriptChars + 1000);
    // Each item is cut to its limit, and the newest items are the ones kept.
    const QString last = u"Customer: 60 "_s;
    const qsizetype at = t.indexOf(last);
    ASSERT_GE(at, 0);
    const qsizetype end = t.indexOf(u'\n', at);
    EXPECT_EQ(end - at, FindingDraft::kMaxItemChars);
    EXPECT_TRUE(t.mid(at, end - at).endsWith(u" \u2026"_s));
    EXPECT_FALSE(t.contains(u"Customer: 1 "_s));
    EXPECT_TRUE(t.contains(u"earlier items left out"_s));
}

TEST(FindingDraft, RequestHasNoToolsAndALimitedAnswer)
{
    tb::core::ModelSettings s;
    s.model = u"gpt-4.1-mini"_s;
    s.toolChoice = u"required"_s;
    const tb::core::ModelRequest r = FindingDraft::request(forkedInput(), s);
    EXPECT_EQ(r.instructions, FindingDraft::instructions());
    EXPECT_TRUE(r.tools.isEmpty());
    EXPECT_TRUE(r.settings.toolChoice.isEmpty());
    EXPECT_EQ(r.settings.model, u"gpt-4.1-mini"_s);
    EXPECT_EQ(r.settings.maxOutputTokens, FindingDraft::kDefaultMaxOutputTokens);
    ASSERT_EQ(r.input.size(), 1);
    EXPECT_EQ(r.input.first()[u"role"].toString(), u"user"_s);
    EXPECT_EQ(r.input.first()[u"content"].toString(), FindingDraft::transcript(forkedInput()));

    s.maxOutputTokens = 50;
    EXPECT_EQ(FindingDraft::request(forkedInput(), s).settings.maxOutputTokens, 50);
}

TEST(FindingDraft, ExtractsTheDraftText)
{
    const Json reasoning = J(R"({"id": "rs", "summary": [], "type": "reasoning"})");
    auto d = FindingDraft::extract(reply({reasoning, assistantText(u"  Offer the refund up front.  "_s)}));
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->text, u"Offer the refund up front."_s);
    EXPECT_FALSE(d->truncated);

    // Wrappers models like to add are removed.
    EXPECT_EQ(FindingDraft::extract(reply({assistantText(u"```text\nFinding: Escalate sooner.\n```"_s)}))->text,
              u"Escalate sooner."_s);
    EXPECT_EQ(FindingDraft::extract(reply({assistantText(u"**Finding:** \"Escalate sooner.\""_s)}))->text,
              u"Escalate sooner."_s);
    EXPECT_EQ(FindingDraft::extract(reply({assistantText(u"\u201cEscalate sooner.\u201d"_s)}))->text,
              u"Escalate sooner."_s);
    // Quotes inside the text stay.
    EXPECT_EQ(FindingDraft::extract(reply({assistantText(u"\"Refund\" worked; \"wait\" did not"_s)}))->text,
              u"\"Refund\" worked; \"wait\" did not"_s);
    // Several messages or a Chat Completions-style string content.
    EXPECT_EQ(FindingDraft::extract(reply({assistantText(u"One."_s), J(R"({"role": "assistant", "content": "Two."})")}))
                  ->text,
              u"One.\nTwo."_s);

    auto cut = FindingDraft::extract(reply({assistantText(u"Offer the"_s)}, u"length"_s));
    ASSERT_TRUE(cut.has_value());
    EXPECT_TRUE(cut->truncated);
}

TEST(FindingDraft, NoTextIsAnError)
{
    auto none = FindingDraft::extract(reply({J(R"({"id": "rs", "summary": [], "type": "reasoning"})")}));
    ASSERT_FALSE(none.has_value());
    EXPECT_EQ(none.error().message, u"The model's reply holds no text to use as a draft"_s);

    auto refused = FindingDraft::extract(reply({J(
        R"({"id": "m", "content": [{"refusal": "I can't help with that.", "type": "refusal"}], "role": "assistant", "type": "message"})")}));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().message, u"The model declined to draft a finding: I can't help with that."_s);

    EXPECT_FALSE(FindingDraft::extract(reply({assistantText(u"```\n```"_s)})).has_value());
}

} // namespace
