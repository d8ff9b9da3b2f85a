// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// The listing's token parts (for cost estimates) equal the sums of the SDK's turn_usage rows.
#include "TempDir.h"
#include "TestData.h"

#include "core/Json.h"
#include "storage/AdvancedSqliteSession.h"
#include "storage/SqliteSessionStore.h"

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace {

TEST(ListingUsage, InputCachedAndOutputTokensMatchTheTurnUsageRows)
{
    tb::test::TempDir dir;
    const QString db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    auto store = tb::storage::SqliteSessionStore::open(db, {true, false});
    ASSERT_TRUE(store.has_value());
    tb::core::SessionQuery q;
    q.limit = -1;
    auto rows = (*store)->listSessions(q);
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 50);
    qint64 anyCached = 0;
    for (const tb::core::SessionSummary& s : *rows) {
        auto session = tb::storage::AdvancedSqliteSession::open(db, s.sessionId, {true, {}, true, {}, {}});
        ASSERT_TRUE(session.has_value());
        qint64 input = 0, cached = 0, output = 0;
        auto branches = (*session)->listBranches();
        ASSERT_TRUE(branches.has_value());
        for (const auto& b : *branches) {
            const auto usage = (*session)->getTurnUsages(b.branchId);
            ASSERT_TRUE(usage.has_value());
            for (const auto& u : *usage) {
                input += u.inputTokens.toInt();
                cached += u.inputTokensDetails[u"cached_tokens"].toInt();
                output += u.outputTokens.toInt();
            }
        }
        EXPECT_EQ(s.inputTokens, input) << s.sessionId.toStdString();
        EXPECT_EQ(s.cachedTokens, cached) << s.sessionId.toStdString();
        EXPECT_EQ(s.outputTokens, output) << s.sessionId.toStdString();
        EXPECT_TRUE(s.model.isEmpty()); // the SDK records no model
        anyCached += cached;
    }
    EXPECT_GT(anyCached, 0);
}

} // namespace
