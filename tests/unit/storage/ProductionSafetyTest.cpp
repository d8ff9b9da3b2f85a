// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Side tables for production safety and pricing: the production flag, items a plain SQLiteSession
// wrote (no structure rows), and model assignments, on copies of the SDK's own files.
#include "StorageTestSupport.h"

#include "core/WorkspaceStore.h"
#include "storage/SqliteSessionStore.h"

namespace tb::test::storage {
namespace {

using tb::storage::SqliteSessionStore;

class ProductionSafety : public ::testing::Test
{
protected:
    TempDir dir;
};

TEST_F(ProductionSafety, PlainSessionsAreAllUnstructured)
{
    const QString basic = tb::test::copySdkFixture(u"basic.db"_s, dir.path());
    auto store = SqliteSessionStore::open(basic, {});
    ASSERT_TRUE(store) << store.error().message.toStdString();
    auto n = (*store)->unstructuredItemCount(u"customer-789"_s);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, RawDb(basic).scalar(u"SELECT COUNT(*) FROM agent_messages WHERE session_id = 'customer-789'"_s).toLongLong());
    EXPECT_GT(*n, 0);
    auto none = (*store)->unstructuredItemCount(u"nobody"_s);
    ASSERT_TRUE(none);
    EXPECT_EQ(*none, 0);
}

TEST_F(ProductionSafety, AdvancedSessionsHaveNoneUntilAPlainWriterAddsItems)
{
    const QString multi = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    {
        auto store = SqliteSessionStore::open(multi, {});
        ASSERT_TRUE(store);
        for (const QString& id : {u"customer-1001"_s, u"customer-1002"_s, u"customer-1018"_s}) {
            auto n = (*store)->unstructuredItemCount(id);
            ASSERT_TRUE(n);
            EXPECT_EQ(*n, 0) << id.toStdString();
        }
    }
    // A plain SQLiteSession on the same session id (what a production reader that ignores
    // branches does) writes rows without structure metadata.
    auto plain = PlainSqliteSession::open(multi, u"customer-1001"_s, {});
    ASSERT_TRUE(plain);
    ASSERT_TRUE((*plain)->addItems(Items({R"({"role": "user", "content": "still there?"})"})));
    auto store = SqliteSessionStore::open(multi, {});
    ASSERT_TRUE(store);
    auto n = (*store)->unstructuredItemCount(u"customer-1001"_s);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 1);
}

TEST_F(ProductionSafety, ProductionFlagIsAFileSetting)
{
    const QString multi = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    const QByteArray before = sha256(multi);
    {
        auto store = SqliteSessionStore::open(multi, {});
        ASSERT_TRUE(store);
        auto flag = (*store)->isProductionFile();
        ASSERT_TRUE(flag);
        EXPECT_FALSE(*flag);
    }
    EXPECT_EQ(sha256(multi), before) << "reading the flag must not create side tables";
    {
        auto store = SqliteSessionStore::open(multi, {});
        ASSERT_TRUE((*store)->setProductionFile(true));
    }
    auto again = SqliteSessionStore::open(multi, {});
    ASSERT_TRUE(again);
    EXPECT_TRUE(*(*again)->isProductionFile());
    ASSERT_TRUE((*again)->setProductionFile(false));
    EXPECT_FALSE(*(*again)->isProductionFile());

    SqliteSessionStore::Options ro;
    ro.readOnly = true;
    auto readOnly = SqliteSessionStore::open(multi, ro);
    ASSERT_TRUE(readOnly);
    auto refused = (*readOnly)->setProductionFile(true);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Error::Code::ReadOnly);
}

TEST_F(ProductionSafety, ModelAssignmentsByScope)
{
    const QString multi = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    auto store = SqliteSessionStore::open(multi, {});
    ASSERT_TRUE(store);
    auto empty = (*store)->modelAssignments();
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->isEmpty());
    // Removing what does not exist on a pristine file writes nothing.
    ASSERT_TRUE((*store)->setModelAssignment({u"customer-1000"_s, {}, {}}));
    EXPECT_FALSE(RawDb(multi).tableExists(u"tb_model_assignment"_s));

    ASSERT_TRUE((*store)->setModelAssignment({{}, {}, u"gpt-4.1"_s}));
    ASSERT_TRUE((*store)->setModelAssignment({u"customer-1000"_s, {}, u"gpt-4o-mini"_s}));
    ASSERT_TRUE((*store)->setModelAssignment({u"customer-1000"_s, u"alt-0"_s, u"o4-mini"_s}));
    ASSERT_TRUE((*store)->setModelAssignment({u"customer-1000"_s, {}, u"gpt-4.1-mini"_s})); // replaces
    auto rows = (*store)->modelAssignments();
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 3);
    EXPECT_EQ(rows->at(0).sessionId, QString());
    EXPECT_EQ(rows->at(0).model, u"gpt-4.1"_s);
    EXPECT_EQ(rows->at(1).model, u"gpt-4.1-mini"_s);
    EXPECT_EQ(rows->at(2).branchId, u"alt-0"_s);

    ASSERT_TRUE((*store)->setModelAssignment({u"customer-1000"_s, u"alt-0"_s, {}}));
    EXPECT_EQ((*store)->modelAssignments()->size(), 2);
    auto bad = (*store)->setModelAssignment({{}, u"alt-0"_s, u"gpt-4.1"_s});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Error::Code::Value);
}

TEST_F(ProductionSafety, WorkspaceRoutesAssignmentsAndFlags)
{
    const QString a = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    const QString b = tb::test::copySdkFixture(u"basic.db"_s, dir.path());
    core::WorkspaceStore ws(dir.path());
    ws.addStore(u"multi"_s, std::move(SqliteSessionStore::open(a, {})).value());
    ws.addStore(u"basic"_s, std::move(SqliteSessionStore::open(b, {})).value());

    ASSERT_TRUE(ws.setModelAssignment({u"multi/customer-1000"_s, {}, u"gpt-4o"_s}));
    ASSERT_TRUE(ws.setModelAssignment({{}, {}, u"gpt-4.1-mini"_s}));
    auto rows = ws.modelAssignments();
    ASSERT_TRUE(rows);
    QStringList ids;
    for (const auto& r : *rows)
        ids << r.sessionId + u'|' + r.model;
    EXPECT_EQ(ids, (QStringList{u"basic/|gpt-4.1-mini"_s, u"multi/|gpt-4.1-mini"_s, u"multi/customer-1000|gpt-4o"_s}));

    EXPECT_FALSE(*ws.isProductionFile());
    auto member = SqliteSessionStore::open(b, {});
    ASSERT_TRUE((*member)->setProductionFile(true));
    EXPECT_TRUE(*ws.isProductionFile());
    EXPECT_GT(*ws.unstructuredItemCount(u"basic/customer-789"_s), 0);
    EXPECT_EQ(*ws.unstructuredItemCount(u"multi/customer-1000"_s), 0);
}

} // namespace
} // namespace tb::test::storage
