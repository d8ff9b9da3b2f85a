// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Branch lineage inference (core::BranchLineage) on the SDK-written multi.db fixture: the parent and
// fork turn inferred from shared message ids must match what tests/data/sdk/multi.transcript.json
// says the SDK was asked to do (create_branch_from_turn ops). Plus synthetic trees for nesting, ties
// and recorded lineage.

#include "core/BranchLineage.h"

#include "StorageTestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tb::test::storage {
namespace {

using core::BranchLineage;
using core::BranchNode;
using core::BranchRows;

struct TranscriptBranch
{
    QString sessionId;
    QString branchId;
    qint64 turn = 0;
};

// create_branch_from_turn ops of the transcript, with handles resolved to session ids.
QList<TranscriptBranch> transcriptBranches()
{
    QFile f(sdkFixture(u"multi.transcript.json"_s));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    const QJsonArray ops = QJsonDocument::fromJson(f.readAll()).object().value(u"ops").toArray();
    QHash<QString, QString> sessionOf;
    QList<TranscriptBranch> out;
    for (const QJsonValue& v : ops) {
        const QJsonObject op = v.toObject();
        const QString kind = op.value(u"op").toString();
        if (kind == u"open")
            sessionOf.insert(op.value(u"handle").toString(), op.value(u"session_id").toString());
        else if (kind == u"create_branch_from_turn" && op.value(u"result").isString())
            out.push_back({sessionOf.value(op.value(u"handle").toString()), op.value(u"result").toString(),
                           op.value(u"turn_number").toInteger()});
    }
    return out;
}

QList<BranchRows> rowsOf(core::BranchingSession& s)
{
    QList<BranchRows> out;
    auto branches = s.listBranches();
    EXPECT_TRUE(branches.has_value());
    if (!branches)
        return out;
    for (const core::BranchInfo& b : *branches) {
        auto items = s.branchItems(b.branchId, 0, -1);
        EXPECT_TRUE(items.has_value()) << b.branchId.toStdString();
        BranchRows rows;
        rows.branchId = b.branchId;
        rows.createdAt = b.createdAt;
        if (items) {
            for (const core::StoredItem& it : *items) {
                rows.messageIds << it.messageId;
                rows.turns << it.turn;
            }
        }
        out << rows;
    }
    return out;
}

const BranchNode* find(const QList<BranchNode>& nodes, const QString& id)
{
    for (const BranchNode& n : nodes) {
        if (n.branchId == id)
            return &n;
    }
    return nullptr;
}

class BranchLineageFixture : public ::testing::TestWithParam<const char*>
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

TEST_P(BranchLineageFixture, InferredLineageMatchesTranscript)
{
    const QString sessionId = QString::fromLatin1(GetParam());
    auto opened = AdvancedSqliteSession::open(db, sessionId, {});
    ASSERT_TRUE(opened.has_value());
    auto& session = **opened;
    const QList<BranchRows> rows = rowsOf(session);
    const QList<BranchNode> nodes = BranchLineage::compute(rows, {});
    ASSERT_EQ(nodes.size(), rows.size());

    const BranchNode* mainNode = find(nodes, u"main"_s);
    ASSERT_NE(mainNode, nullptr);
    EXPECT_FALSE(mainNode->parent.has_value());
    EXPECT_EQ(mainNode->lane, 0);
    EXPECT_FALSE(mainNode->ownTurns.isEmpty());

    int checked = 0;
    for (const TranscriptBranch& t : transcriptBranches()) {
        if (t.sessionId != sessionId)
            continue;
        const BranchNode* n = find(nodes, t.branchId);
        if (!n)
            continue; // deleted later in the transcript (try-a-2)
        SCOPED_TRACE(t.branchId.toStdString());
        ASSERT_TRUE(n->parent.has_value());
        EXPECT_EQ(*n->parent, u"main"_s);
        EXPECT_EQ(n->forkTurn, t.turn);
        EXPECT_FALSE(n->recorded);
        EXPECT_GT(n->lane, 0);
        ASSERT_FALSE(n->ownTurns.isEmpty());
        EXPECT_EQ(n->ownTurns.first(), t.turn); // the re-asked turn is the branch's own
        ++checked;
    }
    EXPECT_EQ(checked, 1);
}

INSTANTIATE_TEST_SUITE_P(MultiDb, BranchLineageFixture,
                         ::testing::Values("customer-1001", "customer-1002", "customer-1007"));

// Synthetic rows: ids and turns given as (id, turn) pairs.
BranchRows branch(const QString& id, std::initializer_list<std::pair<qint64, qint64>> rows)
{
    BranchRows b;
    b.branchId = id;
    for (const auto& [messageId, turn] : rows) {
        b.messageIds << messageId;
        b.turns << turn;
    }
    return b;
}

TEST(BranchLineage, BranchOfABranch)
{
    // main: turns 1..4. a: from main at 3 (copies ids 1-4), own turns 3,4. b: from a at 4 (copies
    // 1-4 and a's turn 3 = 20,21), own turn 4. c: from main at 2, no own rows yet (a prefix of a).
    const QList<BranchRows> rows{
        branch(u"main"_s, {{1, 0}, {2, 1}, {3, 1}, {4, 2}, {5, 2}, {6, 3}, {7, 3}, {8, 4}}),
        branch(u"a"_s, {{1, 0}, {2, 1}, {3, 1}, {4, 2}, {5, 2}, {20, 3}, {21, 3}, {22, 4}}),
        branch(u"b"_s, {{1, 0}, {2, 1}, {3, 1}, {4, 2}, {5, 2}, {20, 3}, {21, 3}, {30, 4}, {31, 5}}),
        branch(u"c"_s, {{1, 0}, {2, 1}, {3, 1}}),
    };
    const QList<BranchNode> nodes = BranchLineage::compute(rows, {});
    ASSERT_EQ(nodes.size(), 4);
    EXPECT_FALSE(nodes[0].parent);
    EXPECT_EQ(nodes[0].ownTurns, (QList<qint64>{1, 2, 3, 4}));
    EXPECT_EQ(nodes[1].parent, u"main"_s);
    EXPECT_EQ(nodes[1].forkTurn, 3);
    EXPECT_EQ(nodes[1].ownTurns, (QList<qint64>{3, 4}));
    EXPECT_EQ(nodes[2].parent, u"a"_s);
    EXPECT_EQ(nodes[2].forkTurn, 4);
    EXPECT_EQ(nodes[2].ownTurns, (QList<qint64>{4, 5}));
    // c shares as much with a and b as with main: the tie goes to main.
    EXPECT_EQ(nodes[3].parent, u"main"_s);
    EXPECT_EQ(nodes[3].forkTurn, 2);
    EXPECT_TRUE(nodes[3].ownTurns.isEmpty());
    // Depth-first lanes: main, a, b (a's child), c.
    EXPECT_EQ(nodes[0].lane, 0);
    EXPECT_EQ(nodes[1].lane, 1);
    EXPECT_EQ(nodes[2].lane, 2);
    EXPECT_EQ(nodes[3].lane, 3);
}

TEST(BranchLineage, EarlierBranchIsNotAChildOfItsCopy)
{
    // b copied all of a (from a at turn 5) and has nothing of its own yet: a shares its whole
    // prefix with b, but b is younger, so a stays main's child.
    const QList<BranchRows> rows{
        branch(u"main"_s, {{1, 1}, {2, 1}, {3, 2}, {4, 2}}),
        branch(u"a"_s, {{1, 1}, {2, 1}, {10, 2}, {11, 2}, {12, 3}, {13, 4}}),
        branch(u"b"_s, {{1, 1}, {2, 1}, {10, 2}, {11, 2}, {12, 3}, {13, 4}}),
    };
    const QList<BranchNode> nodes = BranchLineage::compute(rows, {});
    EXPECT_EQ(nodes[1].parent, u"main"_s);
    EXPECT_EQ(nodes[1].forkTurn, 2);
    EXPECT_EQ(nodes[2].parent, u"a"_s);
    EXPECT_EQ(nodes[2].forkTurn, 5);
}

TEST(BranchLineage, TiesPreferEarlierBranchAfterMain)
{
    // x and y both share two rows with each other's ancestor a, none with main.
    const QList<BranchRows> rows{
        branch(u"main"_s, {{1, 1}}),
        branch(u"a"_s, {{50, 1}, {51, 2}, {52, 3}}),
        branch(u"b"_s, {{50, 1}, {51, 2}, {60, 3}}),
        branch(u"c"_s, {{50, 1}, {51, 2}, {70, 3}}),
    };
    const QList<BranchNode> nodes = BranchLineage::compute(rows, {});
    EXPECT_EQ(nodes[1].parent, u"main"_s); // shares nothing
    EXPECT_EQ(nodes[1].forkTurn, 1);
    EXPECT_EQ(nodes[2].parent, u"a"_s);
    EXPECT_EQ(nodes[2].forkTurn, 3);
    EXPECT_EQ(nodes[3].parent, u"a"_s); // a and b tie; a was created first
}

TEST(BranchLineage, NoMainMeansRoots)
{
    const QList<BranchRows> rows{branch(u"x"_s, {{1, 1}}), branch(u"y"_s, {{2, 1}})};
    const QList<BranchNode> nodes = BranchLineage::compute(rows, {});
    EXPECT_FALSE(nodes[0].parent);
    EXPECT_FALSE(nodes[1].parent);
    EXPECT_EQ(nodes[0].lane, 0);
    EXPECT_EQ(nodes[1].lane, 1);
}

TEST(BranchLineage, RecordedLineageWins)
{
    const QList<BranchRows> rows{
        branch(u"main"_s, {{1, 1}, {2, 2}, {3, 3}}),
        branch(u"a"_s, {{1, 1}, {20, 2}, {21, 3}}),
        branch(u"b"_s, {{1, 1}, {2, 2}, {30, 3}}),
    };
    core::BranchMeta explicitFork;
    explicitFork.branchId = u"b"_s;
    explicitFork.parentBranch = u"a"_s;
    explicitFork.forkTurn = 7;
    core::BranchMeta parentOnly;
    parentOnly.branchId = u"a"_s;
    parentOnly.parentBranch = u"main"_s;
    core::BranchMeta unknownParent;
    unknownParent.branchId = u"main"_s;
    unknownParent.parentBranch = u"gone"_s;

    const QList<BranchNode> nodes = BranchLineage::compute(rows, {explicitFork, parentOnly, unknownParent});
    EXPECT_FALSE(nodes[0].parent);
    EXPECT_FALSE(nodes[0].recorded);
    EXPECT_EQ(nodes[1].parent, u"main"_s);
    EXPECT_EQ(nodes[1].forkTurn, 2); // inferred against the recorded parent
    EXPECT_TRUE(nodes[1].recorded);
    EXPECT_EQ(nodes[2].parent, u"a"_s);
    EXPECT_EQ(nodes[2].forkTurn, 7);
    EXPECT_TRUE(nodes[2].recorded);
    EXPECT_TRUE(nodes[2].ownTurns.isEmpty()); // nothing at or after turn 7
    EXPECT_EQ(nodes[1].lane, 1);
    EXPECT_EQ(nodes[2].lane, 2);
}

TEST(BranchLineage, RecordedCycleIsIgnored)
{
    const QList<BranchRows> rows{
        branch(u"main"_s, {{1, 1}, {2, 2}}),
        branch(u"a"_s, {{1, 1}, {10, 2}}),
        branch(u"b"_s, {{1, 1}, {10, 2}, {11, 3}}),
    };
    core::BranchMeta m;
    m.branchId = u"a"_s;
    m.parentBranch = u"b"_s; // b is a's inferred child
    const QList<BranchNode> nodes = BranchLineage::compute(rows, {m});
    EXPECT_EQ(nodes[1].parent, u"main"_s);
    EXPECT_FALSE(nodes[1].recorded);
    EXPECT_EQ(nodes[2].parent, u"a"_s);
}

} // namespace
} // namespace tb::test::storage
