// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "core/PriceTable.h"

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using tb::core::ModelPrice;
using tb::core::PriceTable;

namespace {

TEST(PriceTable, CostSplitsCachedFromUncachedInput)
{
    const ModelPrice p{u"m"_s, 2.00, 0.50, 8.00, QDate(2025, 1, 1)};
    // 1,000,000 input of which 400,000 cached, 100,000 output:
    // 600,000 × $2/M + 400,000 × $0.5/M + 100,000 × $8/M = 1.2 + 0.2 + 0.8 = $2.20
    EXPECT_DOUBLE_EQ(PriceTable::cost(p, 1'000'000, 400'000, 100'000), 2.20);
    // Cached can never exceed input (a corrupt row): it is capped, not charged twice.
    EXPECT_DOUBLE_EQ(PriceTable::cost(p, 1000, 5000, 0), 1000 * 0.50 / 1e6);
    // The lesson's flat "$0.01 per 1,000 tokens" as a custom price.
    const ModelPrice flat{u"flat"_s, 10.0, 10.0, 10.0, QDate(2025, 1, 1)};
    EXPECT_DOUBLE_EQ(PriceTable::cost(flat, 600, 0, 400), 0.01);
}

TEST(PriceTable, FindsExactNamesSnapshotsAndDates)
{
    PriceTable t = PriceTable::defaults();
    ASSERT_TRUE(t.find(u"gpt-4.1-mini"_s).has_value());
    EXPECT_EQ(t.find(u"gpt-4.1-mini"_s)->model, u"gpt-4.1-mini"_s);
    EXPECT_EQ(t.find(u"gpt-4.1-mini-2025-04-14"_s)->model, u"gpt-4.1-mini"_s); // longest family wins over gpt-4.1
    EXPECT_EQ(t.find(u"o3-mini"_s)->model, u"o3-mini"_s);
    EXPECT_DOUBLE_EQ(t.find(u"threadbench-demo"_s)->outputPerMillion, 0.0);
    EXPECT_FALSE(t.find(u"llama3.2"_s).has_value());

    // Price versions: the one in force on the date is used.
    t.add({u"gpt-4.1-mini"_s, 0.30, 0.05, 1.20, QDate(2026, 6, 1)});
    EXPECT_DOUBLE_EQ(t.find(u"gpt-4.1-mini"_s, QDate(2026, 1, 1))->inputPerMillion, 0.40);
    EXPECT_DOUBLE_EQ(t.find(u"gpt-4.1-mini"_s, QDate(2026, 7, 1))->inputPerMillion, 0.30);
    EXPECT_FALSE(t.find(u"gpt-4.1-mini"_s, QDate(2020, 1, 1)).has_value());
}

} // namespace
