// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// The workbench's paged reads of a branch agree with the SDK's get_items and get_turn_usage.
#include "TempDir.h"
#include "TestData.h"

#include "storage/AdvancedSqliteSession.h"

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace {

TEST(BranchPaging, KeysetPagesCoverTheBranchInOrder)
{
    tb::test::TempDir dir;
    const QString db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    for (const QString& session : {u"customer-1001"_s, u"customer-1002"_s}) {
        auto s = tb::storage::AdvancedSqliteSession::open(db, session, {});
        ASSERT_TRUE(s.has_value());
        auto branches = (*s)->listBranches();
        ASSERT_TRUE(branches.has_value());
        for (const auto& b : *branches) {
            auto all = (*s)->getItems(std::nullopt, b.branchId);
            ASSERT_TRUE(all.has_value());
            QList<tb::core::Json> paged;
            qint64 after = 0;
            while (true) {
                auto page = (*s)->branchItemsAfter(b.branchId, after, 4);
                ASSERT_TRUE(page.has_value());
                if (page->isEmpty())
                    break;
                for (const auto& it : *page) {
                    EXPECT_GT(it.sequenceNumber, after);
                    after = it.sequenceNumber;
                    paged << it.item;
                }
            }
            EXPECT_EQ(paged, *all) << session.toStdString() << " " << b.branchId.toStdString();
            EXPECT_EQ(*(*s)->branchItemCount(b.branchId), all->size());

            auto usage = (*s)->getTurnUsages(b.branchId);
            auto range = (*s)->turnUsagesBetween(b.branchId, 2, 3);
            ASSERT_TRUE(usage.has_value());
            ASSERT_TRUE(range.has_value());
            QList<qint64> expected;
            for (const auto& u : *usage) {
                if (u.userTurnNumber && *u.userTurnNumber >= 2 && *u.userTurnNumber <= 3)
                    expected << *u.userTurnNumber;
            }
            QList<qint64> got;
            for (const auto& u : *range)
                got << u.userTurnNumber.value_or(-1);
            EXPECT_EQ(got, expected);
        }
    }
}

} // namespace
