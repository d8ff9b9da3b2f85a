// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// BranchTreeView on synthetic trees: node count, mouse and keyboard selection, the current lane's
// highlight, and that a large tree lays out at all.
#include "ui/BranchTreeView.h"

#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace {

using tb::core::BranchNode;
using tb::core::ConversationTurn;

BranchNode node(const QString& id, std::optional<QString> parent, qint64 fork, int lane, QList<qint64> turns)
{
    BranchNode n;
    n.branchId = id;
    n.parent = std::move(parent);
    n.forkTurn = fork;
    n.lane = lane;
    n.ownTurns = std::move(turns);
    return n;
}

// main: T1..T4; alt: from main at 3, T3..T5; deep: from alt at 5, T5..T6.
struct Tree
{
    QList<BranchNode> nodes{node(u"main"_s, std::nullopt, 1, 0, {1, 2, 3, 4}),
                            node(u"alt"_s, u"main"_s, 3, 1, {3, 4, 5}), node(u"deep"_s, u"alt"_s, 5, 2, {5, 6})};
    QHash<QString, QList<ConversationTurn>> turns;
    QHash<QString, QHash<qint64, qint64>> tokens;

    Tree()
    {
        for (const BranchNode& n : nodes) {
            for (qint64 t : n.ownTurns) {
                ConversationTurn c;
                c.turn = t;
                c.content =
                    u"Question %1 on %2 with a rather long tail that the node has to elide"_s.arg(t).arg(n.branchId);
                turns[n.branchId] << c;
                tokens[n.branchId].insert(t, 100 * t);
            }
        }
    }
};

class BranchTreeViewTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        view.resize(900, 400);
        view.setTree(tree.nodes, tree.turns, tree.tokens, u"alt"_s);
        view.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
        view.setFocus();
    }

    QPoint viewportPos(const QString& branch, qint64 turn)
    {
        QGraphicsItem* item = view.nodeItem(branch, turn);
        EXPECT_NE(item, nullptr);
        if (!item)
            return {};
        view.centerOn(item);
        return view.mapFromScene(item->sceneBoundingRect().center());
    }

    Tree tree;
    tb::ui::BranchTreeView view;
};

TEST_F(BranchTreeViewTest, BuildsOneItemPerOwnedTurn)
{
    EXPECT_EQ(view.nodeCount(), 9);
    int nodeItems = 0;
    for (QGraphicsItem* item : view.scene()->items()) {
        if (item->flags().testFlag(QGraphicsItem::ItemIsSelectable))
            ++nodeItems;
    }
    EXPECT_EQ(nodeItems, 9);
    EXPECT_EQ(view.nodeItem(u"alt"_s, 2), nullptr); // shared turns live on the parent lane
    ASSERT_NE(view.nodeItem(u"alt"_s, 3), nullptr);
    EXPECT_TRUE(view.nodeItem(u"alt"_s, 3)
                    ->toolTip()
                    .contains(u"Question 3 on alt with a rather long tail that the node has to elide"_s));
    EXPECT_TRUE(view.nodeItem(u"alt"_s, 3)->toolTip().contains(u"300"_s));
    EXPECT_FALSE(view.objectName().isEmpty());
    EXPECT_FALSE(view.accessibleName().isEmpty());
}

TEST_F(BranchTreeViewTest, ClickEmitsTurnActivated)
{
    QSignalSpy spy(&view, &tb::ui::BranchTreeView::turnActivated);
    const QPoint pos = viewportPos(u"deep"_s, 6);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, pos);
    ASSERT_EQ(spy.count(), 1);
    EXPECT_EQ(spy.at(0).at(0).toString(), u"deep"_s);
    EXPECT_EQ(spy.at(0).at(1).toLongLong(), 6);
    EXPECT_EQ(view.selectedBranch(), u"deep"_s);
    EXPECT_EQ(view.selectedTurn(), 6);
}

TEST_F(BranchTreeViewTest, ArrowKeysMoveTheSelection)
{
    QSignalSpy spy(&view, &tb::ui::BranchTreeView::turnActivated);
    ASSERT_TRUE(view.selectTurn(u"main"_s, 2));
    QTest::keyClick(&view, Qt::Key_Right);
    EXPECT_EQ(view.selectedBranch(), u"main"_s);
    EXPECT_EQ(view.selectedTurn(), 3);
    QTest::keyClick(&view, Qt::Key_Down); // alt's nearest turn to 3 is 3
    EXPECT_EQ(view.selectedBranch(), u"alt"_s);
    EXPECT_EQ(view.selectedTurn(), 3);
    QTest::keyClick(&view, Qt::Key_Down); // deep has only 5 and 6
    EXPECT_EQ(view.selectedBranch(), u"deep"_s);
    EXPECT_EQ(view.selectedTurn(), 5);
    QTest::keyClick(&view, Qt::Key_Down); // no lane below: stays
    EXPECT_EQ(view.selectedBranch(), u"deep"_s);
    QTest::keyClick(&view, Qt::Key_Left); // 5 is deep's first turn: stays
    EXPECT_EQ(view.selectedTurn(), 5);
    QTest::keyClick(&view, Qt::Key_Up);
    EXPECT_EQ(view.selectedBranch(), u"alt"_s);
    EXPECT_EQ(view.selectedTurn(), 5);
    QTest::keyClick(&view, Qt::Key_Left);
    EXPECT_EQ(view.selectedTurn(), 4);
    EXPECT_EQ(spy.count(), 6);
    EXPECT_EQ(spy.last().at(0).toString(), u"alt"_s);
    EXPECT_EQ(spy.last().at(1).toLongLong(), 4);
    EXPECT_TRUE(view.nodeItem(u"alt"_s, 4)->isSelected());
}

TEST_F(BranchTreeViewTest, HighlightsTheCurrentLane)
{
    EXPECT_TRUE(view.isLaneHighlighted(u"alt"_s));
    EXPECT_FALSE(view.isLaneHighlighted(u"main"_s));
    EXPECT_FALSE(view.isLaneHighlighted(u"deep"_s));
    view.setTree(tree.nodes, tree.turns, tree.tokens, u"main"_s);
    EXPECT_TRUE(view.isLaneHighlighted(u"main"_s));
    EXPECT_FALSE(view.isLaneHighlighted(u"alt"_s));
}

TEST_F(BranchTreeViewTest, ZoomAndFit)
{
    const double before = view.transform().m11();
    QTest::keyClick(&view, Qt::Key_Plus, Qt::ControlModifier);
    EXPECT_GT(view.transform().m11(), before);
    QTest::keyClick(&view, Qt::Key_Minus, Qt::ControlModifier);
    QTest::keyClick(&view, Qt::Key_Minus, Qt::ControlModifier);
    EXPECT_LT(view.transform().m11(), before);
    QTest::keyClick(&view, Qt::Key_0, Qt::ControlModifier);
    const QRectF visible = view.mapToScene(view.viewport()->rect()).boundingRect();
    EXPECT_TRUE(visible.adjusted(-2, -2, 2, 2).contains(view.scene()->sceneRect()));
}

TEST(BranchTreeViewLarge, LaysOutFiftyBranchesOfAThousandTurns)
{
    QList<BranchNode> nodes;
    QHash<QString, QList<ConversationTurn>> turns;
    QHash<QString, QHash<qint64, qint64>> tokens;
    for (int b = 0; b < 50; ++b) {
        const QString id = b == 0 ? u"main"_s : u"branch-%1"_s.arg(b);
        const qint64 fork = b == 0 ? 1 : 1 + (b * 17) % 900;
        QList<qint64> own;
        for (qint64 t = fork; t < fork + 1000; ++t) {
            own << t;
            ConversationTurn c;
            c.turn = t;
            c.content = u"question %1"_s.arg(t);
            turns[id] << c;
            tokens[id].insert(t, t % 97);
        }
        nodes << node(id, b == 0 ? std::nullopt : std::optional<QString>(u"main"_s), fork, b, own);
    }
    tb::ui::BranchTreeView view;
    view.resize(800, 600);
    view.setTree(nodes, turns, tokens, u"branch-7"_s);
    EXPECT_EQ(view.nodeCount(), 50000);
    view.fitAll();
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    EXPECT_TRUE(view.selectTurn(u"branch-49"_s, 1 + (49 * 17) % 900));
    QTest::keyClick(&view, Qt::Key_Up);
    EXPECT_EQ(view.selectedBranch(), u"branch-48"_s);
}

} // namespace
