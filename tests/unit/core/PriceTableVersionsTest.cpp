// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Price versions, separate reasoning prices, the flat custom price and the threadbench-prices/1
// JSON form. Every expected cost is computed by hand in the comment beside it.
#include "core/PriceTable.h"

#include "TempDir.h"

#include <QFile>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using tb::core::ModelPrice;
using tb::core::PriceTable;

namespace {

TEST(PriceTableVersions, ReasoningPricedApartOnlyWhereSet)
{
    ModelPrice p{u"r"_s, 1.00, 0.10, 4.00, QDate(2025, 1, 1), std::nullopt};
    // 10,000 input (2,000 cached), 3,000 output of which 1,000 reasoning, reasoning as output:
    // 8,000 × $1 + 2,000 × $0.10 + 3,000 × $4 = 8,000 + 200 + 12,000 = 20,200 µ$ = $0.0202
    EXPECT_DOUBLE_EQ(PriceTable::cost(p, 10'000, 2'000, 3'000, 1'000), 0.0202);
    p.reasoningPerMillion = 12.00;
    // ... with reasoning at $12: 8,000 + 200 + 2,000 × $4 + 1,000 × $12 = 8,000 + 200 + 8,000 + 12,000 = $0.0282
    EXPECT_DOUBLE_EQ(PriceTable::cost(p, 10'000, 2'000, 3'000, 1'000), 0.0282);
    // Reasoning beyond output (a corrupt row) is capped at the output.
    EXPECT_DOUBLE_EQ(PriceTable::cost(p, 0, 0, 100, 500), 100 * 12.00 / 1e6);
    // The four-argument form keeps reasoning as output (callers without reasoning counts).
    EXPECT_DOUBLE_EQ(PriceTable::cost(p, 10'000, 2'000, 3'000), 0.0202);
}

TEST(PriceTableVersions, FlatPricePerThousandTokens)
{
    // The lesson's "$0.01 per 1,000 tokens": 10 per million for every kind of token.
    const ModelPrice flat = PriceTable::flat(u"lesson"_s, 0.01);
    EXPECT_DOUBLE_EQ(flat.inputPerMillion, 10.0);
    EXPECT_DOUBLE_EQ(flat.cachedInputPerMillion, 10.0);
    EXPECT_DOUBLE_EQ(flat.outputPerMillion, 10.0);
    EXPECT_FALSE(flat.effective.isValid());
    // 1,500 input (500 cached) + 500 output = 2,000 tokens = $0.02
    EXPECT_DOUBLE_EQ(PriceTable::cost(flat, 1'500, 500, 500, 100), 0.02);
    PriceTable t;
    t.add(flat);
    // Undated: in effect on any day.
    ASSERT_TRUE(t.find(u"lesson"_s, QDate(1990, 1, 1)).has_value());
}

TEST(PriceTableVersions, VersionsSetRemoveAndDatePick)
{
    PriceTable t;
    t.add({u"m"_s, 3.0, 1.0, 9.0, QDate(2025, 6, 1), std::nullopt});
    t.add({u"m"_s, 1.0, 0.5, 3.0, {}, std::nullopt});
    t.add({u"m"_s, 2.0, 0.5, 6.0, QDate(2025, 1, 1), std::nullopt});
    t.add({u"other"_s, 1.0, 1.0, 1.0, {}, std::nullopt});
    const auto v = t.versions(u"m"_s);
    ASSERT_EQ(v.size(), 3);
    EXPECT_FALSE(v.at(0).effective.isValid()); // undated counts as oldest
    EXPECT_EQ(v.at(1).effective, QDate(2025, 1, 1));
    EXPECT_EQ(v.at(2).effective, QDate(2025, 6, 1));
    EXPECT_EQ(t.models(), (QStringList{u"m"_s, u"other"_s}));

    EXPECT_DOUBLE_EQ(t.find(u"m"_s, QDate(2024, 12, 31))->inputPerMillion, 1.0);
    EXPECT_DOUBLE_EQ(t.find(u"m"_s, QDate(2025, 1, 1))->inputPerMillion, 2.0);
    EXPECT_DOUBLE_EQ(t.find(u"m"_s, QDate(2025, 5, 31))->inputPerMillion, 2.0);
    EXPECT_DOUBLE_EQ(t.find(u"m"_s, QDate(2025, 6, 1))->inputPerMillion, 3.0);
    // The same turn (1,000 in, 0 cached, 1,000 out) before and after the price change:
    // $0.002 + $0.006 = $0.008, then $0.003 + $0.009 = $0.012.
    EXPECT_DOUBLE_EQ(PriceTable::cost(*t.find(u"m"_s, QDate(2025, 3, 1)), 1000, 0, 1000), 0.008);
    EXPECT_DOUBLE_EQ(PriceTable::cost(*t.find(u"m"_s, QDate(2025, 7, 1)), 1000, 0, 1000), 0.012);

    t.set({u"m"_s, 5.0, 1.0, 9.0, QDate(2025, 6, 1), 20.0});
    EXPECT_EQ(t.versions(u"m"_s).size(), 3);
    EXPECT_DOUBLE_EQ(t.find(u"m"_s, QDate(2025, 7, 1))->inputPerMillion, 5.0);
    EXPECT_TRUE(t.remove(u"m"_s, QDate(2025, 6, 1)));
    EXPECT_FALSE(t.remove(u"m"_s, QDate(2025, 6, 1)));
    EXPECT_DOUBLE_EQ(t.find(u"m"_s, QDate(2025, 7, 1))->inputPerMillion, 2.0);
    EXPECT_FALSE(t.find(u"unknown"_s).has_value());
}

TEST(PriceTableVersions, JsonRoundTripKeepsEveryField)
{
    PriceTable t = PriceTable::defaults();
    t.add({u"gpt-4.1"_s, 1.5, 0.25, 6.0, QDate(2026, 3, 1), 7.5});
    t.add(PriceTable::flat(u"lesson"_s, 0.01));
    const QByteArray json = t.toJson();
    EXPECT_TRUE(json.contains("\"format\": \"threadbench-prices/1\""));
    auto back = PriceTable::fromJson(json);
    ASSERT_TRUE(back.has_value()) << back.error().message.toStdString();
    ASSERT_EQ(back->prices().size(), t.prices().size());
    for (qsizetype i = 0; i < t.prices().size(); ++i) {
        const ModelPrice& a = t.prices().at(i);
        const ModelPrice& b = back->prices().at(i);
        EXPECT_EQ(a.model, b.model);
        EXPECT_DOUBLE_EQ(a.inputPerMillion, b.inputPerMillion);
        EXPECT_DOUBLE_EQ(a.cachedInputPerMillion, b.cachedInputPerMillion);
        EXPECT_DOUBLE_EQ(a.outputPerMillion, b.outputPerMillion);
        EXPECT_EQ(a.effective, b.effective);
        EXPECT_EQ(a.reasoningPerMillion, b.reasoningPerMillion);
    }

    tb::test::TempDir dir;
    const QString path = dir.filePath(u"prices.json"_s);
    ASSERT_TRUE(t.save(path));
    auto loaded = PriceTable::load(path);
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(loaded->prices().size(), t.prices().size());
    EXPECT_DOUBLE_EQ(*loaded->find(u"gpt-4.1"_s, QDate(2026, 4, 1))->reasoningPerMillion, 7.5);
}

TEST(PriceTableVersions, BadFilesGiveClearErrors)
{
    const auto error = [](const char* text) {
        auto r = PriceTable::fromJson(QByteArray(text));
        EXPECT_FALSE(r.has_value()) << text;
        return r ? QString() : r.error().message;
    };
    EXPECT_TRUE(error("{").startsWith(u"not a JSON price table"_s));
    EXPECT_EQ(error("[]"), u"a price table must be a JSON object"_s);
    EXPECT_TRUE(error(R"({"format": "other/1", "prices": []})").contains(u"unknown price table format \"other/1\""_s));
    EXPECT_TRUE(error(R"({"format": "threadbench-prices/1", "currency": "EUR", "prices": []})").contains(u"only prices in USD"_s));
    EXPECT_EQ(error(R"({"format": "threadbench-prices/1"})"), u"\"prices\" must be a list"_s);
    EXPECT_EQ(error(R"({"format": "threadbench-prices/1", "prices": [{"input_per_million": 1}]})"),
              u"prices[0]: \"model\" must be a non-empty string"_s);
    EXPECT_EQ(error(R"({"format": "threadbench-prices/1", "prices": [{"model": "m", "input_per_million": 1, "output_per_million": 1}]})"),
              u"prices[0]: \"cached_input_per_million\" is missing"_s);
    EXPECT_EQ(error(R"({"format": "threadbench-prices/1", "prices": [{"model": "m", "input_per_million": "1", "cached_input_per_million": 1, "output_per_million": 1}]})"),
              u"prices[0]: \"input_per_million\" must be a number"_s);
    EXPECT_EQ(error(R"({"format": "threadbench-prices/1", "prices": [{"model": "m", "input_per_million": -1, "cached_input_per_million": 1, "output_per_million": 1}]})"),
              u"prices[0]: \"input_per_million\" must be zero or more"_s);
    EXPECT_EQ(error(R"({"format": "threadbench-prices/1", "prices": [{"model": "m", "input_per_million": 1, "cached_input_per_million": 1, "output_per_million": 1, "effective": "June 2025"}]})"),
              u"prices[0]: \"effective\" must be a date YYYY-MM-DD"_s);
    EXPECT_EQ(error(R"({"format": "threadbench-prices/1", "prices": [
                     {"model": "m", "input_per_million": 1, "cached_input_per_million": 1, "output_per_million": 1, "effective": "2025-01-01"},
                     {"model": "m", "input_per_million": 2, "cached_input_per_million": 1, "output_per_million": 1, "effective": "2025-01-01"}]})"),
              u"prices[1]: a second price for m effective 2025-01-01"_s);
    auto missing = PriceTable::load(u"/nonexistent/prices.json"_s);
    ASSERT_FALSE(missing.has_value());
    EXPECT_TRUE(missing.error().message.startsWith(u"cannot read /nonexistent/prices.json"_s));
    // Reasoning price and date are optional.
    auto minimal = PriceTable::fromJson(R"({"format": "threadbench-prices/1", "prices": [{"model": "m", "input_per_million": 1, "cached_input_per_million": 0.5, "output_per_million": 2}]})");
    ASSERT_TRUE(minimal.has_value());
    EXPECT_FALSE(minimal->prices().front().reasoningPerMillion.has_value());
    EXPECT_FALSE(minimal->prices().front().effective.isValid());
}

} // namespace
