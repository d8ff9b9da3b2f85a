// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Branch comparison in the window layer: BranchCompareModel under QAbstractItemModelTester, and
// BranchCompareDialog on copies of the SDK-written multi.db — the fork line, highlighted
// differences, the totals row against the SDK's usage figures, swapping, opening a branch from a
// row or a link, paging, palette changes, closing keys, and a 1,000-turn comparison.
#include "GTestPrinters.h"
#include "TempDir.h"
#include "TestData.h"
#include "core/Json.h"
#include "core/TextDiff.h"
#include "storage/SqliteSessionStore.h"
#include "ui/BranchCompareDialog.h"
#include "ui/BranchCompareHtml.h"
#include "ui/BranchCompareModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QToolButton>
#include <QUrl>

#include <gtest/gtest.h>

#include <iostream>

using namespace Qt::StringLiterals;
using tb::core::BranchComparison;
using tb::core::Json;
using tb::ui::BranchCompareDialog;
using tb::ui::BranchCompareModel;

namespace {

Json J(const QString& text)
{
    auto r = Json::parse(text);
    EXPECT_TRUE(r.has_value()) << text.toStdString();
    return r ? std::move(r).value() : Json();
}

QJsonObject expectedSession(const QString& sessionId)
{
    QFile f(tb::test::sdkFixture(u"multi.expected.json"_s));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    const QJsonArray sessions =
        QJsonDocument::fromJson(f.readAll()).object().value(u"final_state").toObject().value(u"sessions").toArray();
    for (const QJsonValue& v : sessions) {
        if (v.toObject().value(u"session_id").toString() == sessionId)
            return v.toObject();
    }
    ADD_FAILURE() << "no session " << sessionId.toStdString();
    return {};
}

QJsonObject expectedBranch(const QString& sessionId, const QString& branch)
{
    return expectedSession(sessionId)
        .value(u"advanced")
        .toObject()
        .value(u"branches")
        .toObject()
        .value(branch)
        .toObject();
}

// Text runs of the view with the given background (the highlighted words).
QStringList highlighted(const QTextDocument* doc, const QColor& background)
{
    QStringList runs;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment f = it.fragment();
            if (f.isValid() && f.charFormat().background().style() != Qt::NoBrush
                && f.charFormat().background().color() == background)
                runs << f.text();
        }
    }
    return runs;
}

// What a window system delivers: press, release, double-click, release. (QTest::mouseDClick on a
// widget sends the double-click alone, and an item view ignores one without its press.)
void doubleClick(QAbstractItemView* view, const QPoint& pos)
{
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, pos);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, pos);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, pos);
}

// --- the model -----------------------------------------------------------------------------------

BranchComparison::Side side(const QString& id, const QList<std::pair<qint64, qint64>>& rows,
                            const QList<std::pair<qint64, qint64>>& usage)
{
    BranchComparison::Side s;
    s.branchId = id;
    for (const auto& [messageId, turn] : rows) {
        tb::core::StoredItem it;
        it.messageId = messageId;
        it.turn = turn;
        it.item = J(u"{\"role\": \"user\", \"content\": \"q%1\"}"_s.arg(messageId));
        s.items << it;
    }
    for (const auto& [turn, total] : usage) {
        tb::core::TurnUsage u;
        u.userTurnNumber = turn;
        u.requests = Json(qint64(1));
        u.inputTokens = Json(total - 10);
        u.outputTokens = Json(qint64(10));
        u.totalTokens = Json(total);
        s.usage << u;
    }
    return s;
}

tb::core::PriceTable onePrice()
{
    tb::core::ModelPrice p;
    p.model = u"m"_s;
    p.inputPerMillion = 1.0;
    p.cachedInputPerMillion = 0.5;
    p.outputPerMillion = 4.0;
    tb::core::PriceTable t;
    t.add(p);
    return t;
}

TEST(BranchCompareModel, RowsPerTurnAndATotalRow)
{
    BranchCompareModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.columnCount(), BranchCompareModel::ColumnCount);

    // a: turns 1–3; b: from turn 2, turns 2 and 4 (its turn 3 is missing), usage on 2 and 4 only.
    const auto a = side(u"a"_s, {{1, 1}, {2, 2}, {3, 3}}, {{1, 100}, {2, 200}, {3, 300}});
    const auto b = side(u"b"_s, {{1, 1}, {20, 2}, {40, 4}}, {{2, 250}, {4, 400}});
    const auto model_m = [](const QString&, qint64) { return u"m"_s; };
    const BranchComparison c = BranchComparison::compute(a, b, onePrice(), model_m);
    model.setComparison(c, u"Alpha"_s, u"Beta"_s);
    ASSERT_EQ(model.rowCount(), 4); // turns 2, 3, 4 + Total
    EXPECT_EQ(model.turnAt(0), 2);
    EXPECT_EQ(model.turnAt(2), 4);
    EXPECT_FALSE(model.turnAt(3));
    EXPECT_TRUE(model.isTotalRow(3));
    EXPECT_FALSE(model.isTotalRow(2));
    EXPECT_EQ(model.rowOfTurn(3), 1);
    EXPECT_EQ(model.rowOfTurn(1), -1);

    const auto cell = [&model](int row, int column, int role = Qt::DisplayRole) {
        return model.data(model.index(row, column), role);
    };
    EXPECT_EQ(cell(0, BranchCompareModel::TurnColumn).toString(), u"2"_s);
    EXPECT_EQ(cell(1, BranchCompareModel::TurnColumn).toString(), u"3 (left only)"_s);
    EXPECT_EQ(cell(2, BranchCompareModel::TurnColumn).toString(), u"4 (right only)"_s);
    EXPECT_EQ(cell(3, BranchCompareModel::TurnColumn).toString(), u"Total"_s);
    EXPECT_EQ(cell(0, BranchCompareModel::DeltaTotalColumn, BranchCompareModel::ValueRole).toLongLong(), 50);
    EXPECT_EQ(cell(0, BranchCompareModel::DeltaTotalColumn).toString(), u"+50"_s);
    EXPECT_EQ(cell(1, BranchCompareModel::DeltaTotalColumn).toString(), u"−300"_s);
    // No usage on a side: a dash, no value; Δ counts it as zero.
    EXPECT_EQ(cell(2, BranchCompareModel::LeftTotalColumn).toString(), u"–"_s);
    EXPECT_FALSE(cell(2, BranchCompareModel::LeftTotalColumn, BranchCompareModel::ValueRole).isValid());
    EXPECT_EQ(cell(2, BranchCompareModel::DeltaTotalColumn, BranchCompareModel::ValueRole).toLongLong(), 400);
    // Totals from the fork: a 200 + 300, b 250 + 400.
    EXPECT_EQ(cell(3, BranchCompareModel::LeftTotalColumn, BranchCompareModel::ValueRole).toLongLong(), 500);
    EXPECT_EQ(cell(3, BranchCompareModel::RightTotalColumn, BranchCompareModel::ValueRole).toLongLong(), 650);
    EXPECT_EQ(cell(3, BranchCompareModel::DeltaTotalColumn, BranchCompareModel::ValueRole).toLongLong(), 150);
    EXPECT_TRUE(cell(3, BranchCompareModel::TurnColumn, Qt::FontRole).value<QFont>().bold());
    // Costs: (input × 1 + output × 4) / 1e6.
    EXPECT_DOUBLE_EQ(cell(0, BranchCompareModel::LeftCostColumn, BranchCompareModel::ValueRole).toDouble(),
                     (190 + 40) / 1e6);
    EXPECT_DOUBLE_EQ(cell(3, BranchCompareModel::DeltaCostColumn, BranchCompareModel::ValueRole).toDouble(),
                     *c.deltaCost());
    EXPECT_EQ(cell(0, BranchCompareModel::LeftCostColumn).toString(), u"$0.0002"_s);
    // Numbers right-aligned, Δ coloured, every number explained in a tip.
    EXPECT_EQ(cell(0, BranchCompareModel::LeftTotalColumn, Qt::TextAlignmentRole).value<Qt::Alignment>()
                  & Qt::AlignHorizontal_Mask,
              Qt::AlignRight);
    EXPECT_TRUE(cell(0, BranchCompareModel::DeltaTotalColumn, Qt::ForegroundRole).value<QColor>().isValid());
    EXPECT_NE(cell(0, BranchCompareModel::DeltaTotalColumn, Qt::ForegroundRole).value<QColor>(),
              cell(1, BranchCompareModel::DeltaTotalColumn, Qt::ForegroundRole).value<QColor>());
    EXPECT_TRUE(cell(0, BranchCompareModel::LeftTotalColumn, Qt::ToolTipRole).toString().contains(u"Alpha"_s));
    EXPECT_TRUE(cell(0, BranchCompareModel::RightCostColumn, Qt::ToolTipRole).toString().contains(u"model m"_s));
    EXPECT_EQ(cell(0, BranchCompareModel::RightTotalColumn, BranchCompareModel::SideRole).toInt(), 1);
    EXPECT_EQ(cell(0, BranchCompareModel::DeltaTotalColumn, BranchCompareModel::SideRole).toInt(), -1);
    EXPECT_TRUE(model.headerData(BranchCompareModel::RightTotalColumn, Qt::Horizontal, Qt::ToolTipRole)
                    .toString()
                    .contains(u"Beta"_s));

    // Unknown models: "?" and no Δ cost.
    model.setComparison(BranchComparison::compute(a, b, onePrice(), {}), u"Alpha"_s, u"Beta"_s);
    EXPECT_EQ(cell(0, BranchCompareModel::LeftCostColumn).toString(), u"?"_s);
    EXPECT_EQ(cell(3, BranchCompareModel::DeltaCostColumn).toString(), u"?"_s);
    EXPECT_FALSE(cell(3, BranchCompareModel::DeltaCostColumn, BranchCompareModel::ValueRole).isValid());

    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_FALSE(model.isTotalRow(0));
}

// --- the dialog on multi.db ----------------------------------------------------------------------

class BranchCompareDialogTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        const QString db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
        ASSERT_FALSE(db.isEmpty());
        auto opened = tb::storage::SqliteSessionStore::open(db, {});
        ASSERT_TRUE(opened.has_value());
        store = std::move(opened).value();
    }

    void open(const QString& sessionId)
    {
        auto s = store->openSession(sessionId, {});
        ASSERT_TRUE(s.has_value());
        session = std::move(s).value();
        auto branches = session->listBranches();
        ASSERT_TRUE(branches.has_value());
        BranchCompareDialog::BranchList list;
        for (const tb::core::BranchInfo& b : *branches)
            list << qMakePair(b.branchId, b.branchId == u"main" ? u"Main"_s : u"What-if "_s + b.branchId);
        dialog.setSession(session.get(), list, onePrice(), [](const QString&, qint64) { return u"m"_s; });
    }

    template<typename T>
    T* child(const char* name)
    {
        T* c = dialog.findChild<T*>(QString::fromLatin1(name));
        EXPECT_NE(c, nullptr) << name;
        return c;
    }

    QVariant total(int column)
    {
        BranchCompareModel* m = dialog.model();
        return m->data(m->index(m->rowCount() - 1, column), BranchCompareModel::ValueRole);
    }

    tb::test::TempDir dir;
    std::unique_ptr<tb::storage::SqliteSessionStore> store;
    std::unique_ptr<tb::core::BranchingSession> session;
    BranchCompareDialog dialog;
};

TEST_F(BranchCompareDialogTest, ComparesTwoBranchesOfTheSdkFile)
{
    open(u"customer-1001"_s);
    dialog.resize(1100, 760);
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    EXPECT_FALSE(dialog.isModal());
    ASSERT_TRUE(dialog.compare(u"main"_s, u"alt-1"_s)) << dialog.errorText().toStdString();
    EXPECT_EQ(dialog.leftBranch(), u"main"_s);
    EXPECT_EQ(dialog.rightBranch(), u"alt-1"_s);
    EXPECT_EQ(child<QComboBox>("leftCombo")->currentText(), u"Main"_s);
    EXPECT_EQ(child<QComboBox>("rightCombo")->currentData().toString(), u"alt-1"_s);

    // Aligned at the fork (alt-1 was made from turn 3): turns 1–2 collapsed to one line.
    ASSERT_EQ(dialog.comparison().forkTurn(), 3);
    auto* view = child<QTextBrowser>("sideBySide");
    const QString text = view->toPlainText();
    EXPECT_TRUE(text.contains(u"Turns 1–2 shared"_s)) << text.left(400).toStdString();
    EXPECT_FALSE(text.contains(u"When will it arrive?"_s)); // turn 1's question stays folded
    EXPECT_TRUE(text.contains(u"What-if alt-1"_s));

    // The re-asked questions of turn 3 differ; their differing words are highlighted, removed
    // ones on the left, inserted ones on the right.
    const BranchComparison::ItemPair& question = dialog.comparison().turns().at(0).pairs.at(0);
    ASSERT_TRUE(question.left && question.right);
    EXPECT_EQ(question.right->text, expectedBranch(u"customer-1001"_s, u"alt-1"_s)
                                        .value(u"get_conversation_turns")
                                        .toArray()
                                        .at(2)
                                        .toObject()
                                        .value(u"full_content")
                                        .toString());
    const auto colors = tb::ui::BranchCompareHtml::colorsFor(dialog.palette());
    const QStringList removed = highlighted(view->document(), colors.removed);
    const QStringList inserted = highlighted(view->document(), colors.inserted);
    const tb::core::TextDiff diff = question.diff();
    for (const tb::core::TextDiff::Segment& s : diff.segments()) {
        // The view holds one text block per line.
        for (const QString& line : s.text.split(u'\n', Qt::SkipEmptyParts)) {
            if (s.op == tb::core::TextDiff::Op::Removed) {
                EXPECT_TRUE(removed.contains(line)) << line.toStdString();
            } else if (s.op == tb::core::TextDiff::Op::Inserted) {
                EXPECT_TRUE(inserted.contains(line)) << line.toStdString();
            }
        }
    }
    EXPECT_FALSE(diff.isEqual());
    EXPECT_FALSE(removed.isEmpty());
    EXPECT_FALSE(inserted.isEmpty());

    // The totals row: alt-1's usage is all its own (the SDK copies no turn_usage), main's is its
    // turns from 3 on — the SDK's figures from multi.expected.json.
    const QJsonObject alt = expectedBranch(u"customer-1001"_s, u"alt-1"_s);
    const qint64 altTotal = alt.value(u"get_session_usage").toObject().value(u"total_tokens").toInteger();
    qint64 mainFromFork = 0;
    for (const QJsonValue& v : expectedBranch(u"customer-1001"_s, u"main"_s).value(u"get_turn_usage").toArray()) {
        if (v.toObject().value(u"user_turn_number").toInteger() >= 3)
            mainFromFork += v.toObject().value(u"total_tokens").toInteger();
    }
    EXPECT_EQ(total(BranchCompareModel::RightTotalColumn).toLongLong(), altTotal);
    EXPECT_EQ(total(BranchCompareModel::LeftTotalColumn).toLongLong(), mainFromFork);
    EXPECT_EQ(total(BranchCompareModel::DeltaTotalColumn).toLongLong(), altTotal - mainFromFork);
    EXPECT_TRUE(child<QLabel>("summaryLabel")->text().contains(u"Fork at turn 3"_s));
}

TEST_F(BranchCompareDialogTest, TotalsOfFullyDivergedBranchesAreTheSdkUsageDifference)
{
    // A branch made from turn 1 shares nothing: the totals row is the difference of the two
    // branches' get_session_usage.
    open(u"customer-1000"_s);
    ASSERT_TRUE(session->createBranchFromTurn(1, u"fresh"_s).has_value());
    ASSERT_TRUE(session
                    ->addItems({J(u"{\"content\": \"Hello again\", \"role\": \"user\"}"_s),
                                J(u"{\"id\": \"msg_x\", \"content\": [{\"annotations\": [], \"text\": \"Hi!\", "
                                  "\"type\": \"output_text\", \"logprobs\": []}], \"role\": \"assistant\", "
                                  "\"status\": \"completed\", \"type\": \"message\"}"_s)})
                    .has_value());
    tb::core::RunUsage run;
    run.requests = 1;
    run.inputTokens = 420;
    run.outputTokens = 35;
    run.totalTokens = 455;
    ASSERT_TRUE(session->storeRunUsage(run).has_value());
    dialog.setSession(session.get(), {{u"main"_s, u"main"_s}, {u"fresh"_s, u"fresh"_s}}, onePrice(), {});
    ASSERT_TRUE(dialog.compare(u"main"_s, u"fresh"_s));

    EXPECT_EQ(dialog.comparison().forkTurn(), 1);
    EXPECT_TRUE(dialog.comparison().sharedTurns().isEmpty());
    EXPECT_TRUE(child<QTextBrowser>("sideBySide")->toPlainText().contains(u"Nothing shared"_s));
    const QJsonObject sdkMain = expectedBranch(u"customer-1000"_s, u"main"_s).value(u"get_session_usage").toObject();
    auto fresh = session->getSessionUsage(u"fresh"_s);
    ASSERT_TRUE(fresh.has_value() && fresh->has_value());
    EXPECT_EQ(total(BranchCompareModel::LeftTotalColumn).toLongLong(), sdkMain.value(u"total_tokens").toInteger());
    EXPECT_EQ(total(BranchCompareModel::DeltaTotalColumn).toLongLong(),
              (*fresh)->totalTokens - sdkMain.value(u"total_tokens").toInteger());
    EXPECT_EQ(total(BranchCompareModel::RightInputColumn).toLongLong()
                  - total(BranchCompareModel::LeftInputColumn).toLongLong(),
              (*fresh)->inputTokens - sdkMain.value(u"input_tokens").toInteger());
    // No model function: tokens compared, costs unknown.
    EXPECT_FALSE(total(BranchCompareModel::DeltaCostColumn).isValid());
}

TEST_F(BranchCompareDialogTest, SwapExchangesTheSides)
{
    open(u"customer-1001"_s);
    ASSERT_TRUE(dialog.compare(u"main"_s, u"alt-1"_s));
    const qint64 delta = total(BranchCompareModel::DeltaTotalColumn).toLongLong();
    const double deltaCost = total(BranchCompareModel::DeltaCostColumn).toDouble();
    QTest::mouseClick(child<QPushButton>("swapButton"), Qt::LeftButton);
    EXPECT_EQ(dialog.leftBranch(), u"alt-1"_s);
    EXPECT_EQ(dialog.rightBranch(), u"main"_s);
    EXPECT_EQ(child<QComboBox>("leftCombo")->currentData().toString(), u"alt-1"_s);
    EXPECT_EQ(child<QComboBox>("rightCombo")->currentData().toString(), u"main"_s);
    EXPECT_EQ(total(BranchCompareModel::DeltaTotalColumn).toLongLong(), -delta);
    EXPECT_NEAR(total(BranchCompareModel::DeltaCostColumn).toDouble(), -deltaCost, 1e-12);
    const QString text = child<QTextBrowser>("sideBySide")->toPlainText();
    EXPECT_LT(text.indexOf(u"What-if alt-1"_s), text.indexOf(u"Main"_s));

    // Choosing in a combo box compares again.
    child<QComboBox>("leftCombo")->setCurrentIndex(child<QComboBox>("leftCombo")->findData(u"main"_s));
    EXPECT_EQ(dialog.leftBranch(), u"main"_s);
    EXPECT_EQ(dialog.rightBranch(), u"main"_s);
    EXPECT_FALSE(dialog.comparison().forkTurn()); // a branch against itself
    EXPECT_TRUE(child<QTextBrowser>("sideBySide")->toPlainText().contains(u"the branches hold the same items"_s));
}

TEST_F(BranchCompareDialogTest, RowsAndLinksOpenABranchAtATurn)
{
    open(u"customer-1001"_s);
    dialog.resize(1100, 760);
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    ASSERT_TRUE(dialog.compare(u"main"_s, u"alt-1"_s));
    QSignalSpy spy(&dialog, &BranchCompareDialog::showBranch);
    auto* table = child<QTableView>("turnTable");

    // Double-click in a right-side column of turn 3: alt-1 at turn 3.
    const QModelIndex right = dialog.model()->index(0, BranchCompareModel::RightTotalColumn);
    table->scrollTo(right);
    doubleClick(table, table->visualRect(right).center());
    ASSERT_EQ(spy.count(), 1);
    EXPECT_EQ(spy.at(0).at(0).toString(), u"alt-1"_s);
    EXPECT_EQ(spy.at(0).at(1).toLongLong(), 3);

    // A left column: main. Turn 5 exists on main only, so even a right column opens main.
    const QModelIndex left = dialog.model()->index(0, BranchCompareModel::LeftInputColumn);
    doubleClick(table, table->visualRect(left).center());
    ASSERT_EQ(spy.count(), 2);
    EXPECT_EQ(spy.at(1).at(0).toString(), u"main"_s);
    const int row5 = dialog.model()->rowOfTurn(5);
    ASSERT_GE(row5, 0);
    const QModelIndex mainOnly = dialog.model()->index(row5, BranchCompareModel::RightCostColumn);
    table->scrollTo(mainOnly);
    doubleClick(table, table->visualRect(mainOnly).center());
    ASSERT_EQ(spy.count(), 3);
    EXPECT_EQ(spy.at(2).at(0).toString(), u"main"_s);
    EXPECT_EQ(spy.at(2).at(1).toLongLong(), 5);
    // The Total row opens nothing.
    const QModelIndex totalRow = dialog.model()->index(dialog.model()->rowCount() - 1, 0);
    table->scrollTo(totalRow);
    doubleClick(table, table->visualRect(totalRow).center());
    EXPECT_EQ(spy.count(), 3);

    // The context menu's actions and the turn headers' links.
    table->setCurrentIndex(dialog.model()->index(1, 0));
    const QList<QAction*> actions = table->actions();
    ASSERT_EQ(actions.size(), 2);
    actions.at(1)->trigger();
    ASSERT_EQ(spy.count(), 4);
    EXPECT_EQ(spy.at(3).at(0).toString(), u"alt-1"_s);
    EXPECT_EQ(spy.at(3).at(1).toLongLong(), dialog.model()->turnAt(1).value());
    Q_EMIT child<QTextBrowser>("sideBySide")->anchorClicked(QUrl(u"open:right/4"_s));
    ASSERT_EQ(spy.count(), 5);
    EXPECT_EQ(spy.at(4).at(0).toString(), u"alt-1"_s);
    EXPECT_EQ(spy.at(4).at(1).toLongLong(), 4);
    EXPECT_TRUE(child<QTextBrowser>("sideBySide")->toHtml().contains(u"open:left/3"_s));

    // The shared turns unfold and fold again.
    Q_EMIT child<QTextBrowser>("sideBySide")->anchorClicked(QUrl(u"shared:toggle"_s));
    EXPECT_TRUE(dialog.isSharedExpanded());
    EXPECT_TRUE(child<QTextBrowser>("sideBySide")->toPlainText().contains(u"When will it arrive?"_s));
    Q_EMIT child<QTextBrowser>("sideBySide")->anchorClicked(QUrl(u"shared:toggle"_s));
    EXPECT_FALSE(child<QTextBrowser>("sideBySide")->toPlainText().contains(u"When will it arrive?"_s));
}

TEST_F(BranchCompareDialogTest, PagesFollowTheTable)
{
    open(u"customer-1001"_s);
    ASSERT_TRUE(dialog.compare(u"main"_s, u"alt-1"_s));
    ASSERT_EQ(dialog.comparison().turns().size(), 4); // turns 3–6
    dialog.setPageSize(1);
    EXPECT_EQ(dialog.pageCount(), 4);
    EXPECT_EQ(dialog.currentPage(), 0);
    auto* view = child<QTextBrowser>("sideBySide");
    EXPECT_TRUE(view->toHtml().contains(u"turn-3"_s));
    EXPECT_FALSE(view->toHtml().contains(u"turn-4"_s));
    // Selecting a row shows its page.
    child<QTableView>("turnTable")->selectRow(dialog.model()->rowOfTurn(5));
    EXPECT_EQ(dialog.currentPage(), 2);
    EXPECT_TRUE(view->toHtml().contains(u"turn-5"_s));
    EXPECT_TRUE(child<QLabel>("pageLabel")->text().contains(u"5–5"_s));
    QTest::mouseClick(child<QToolButton>("nextPageButton"), Qt::LeftButton);
    EXPECT_EQ(dialog.currentPage(), 3);
    EXPECT_FALSE(child<QToolButton>("nextPageButton")->isEnabled());
    EXPECT_FALSE(dialog.showTurn(2)); // shared, not compared
    EXPECT_TRUE(dialog.showTurn(3));
    EXPECT_EQ(dialog.currentPage(), 0);
}

TEST_F(BranchCompareDialogTest, HighlightsFollowThePalette)
{
    open(u"customer-1001"_s);
    ASSERT_TRUE(dialog.compare(u"main"_s, u"alt-1"_s));
    QPalette dark = dialog.palette();
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    const auto light = tb::ui::BranchCompareHtml::colorsFor(dialog.palette());
    const auto darkColors = tb::ui::BranchCompareHtml::colorsFor(dark);
    EXPECT_NE(light.removed, darkColors.removed);
    dialog.setPalette(dark);
    auto* view = child<QTextBrowser>("sideBySide");
    EXPECT_FALSE(highlighted(view->document(), darkColors.removed).isEmpty());
    EXPECT_TRUE(highlighted(view->document(), light.removed).isEmpty());
    // The tints keep the text readable: far from the text colour in lightness on both palettes.
    EXPECT_GT(std::abs(darkColors.removed.lightness() - QColor(0xe6, 0xe6, 0xe6).lightness()), 120);
    EXPECT_GT(std::abs(light.inserted.lightness() - light.text.lightness()), 120);
}

TEST_F(BranchCompareDialogTest, EscapeAndCtrlWClose)
{
    open(u"customer-1001"_s);
    dialog.show();
    dialog.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&dialog));
    QTest::keyClick(&dialog, Qt::Key_W, Qt::ControlModifier);
    EXPECT_FALSE(dialog.isVisible());
    dialog.show();
    dialog.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&dialog));
    QTest::keyClick(&dialog, Qt::Key_Escape);
    EXPECT_FALSE(dialog.isVisible());
}

TEST_F(BranchCompareDialogTest, UnknownBranchesAndNoSession)
{
    open(u"customer-1001"_s);
    EXPECT_FALSE(dialog.compare(u"main"_s, u"nope"_s));
    EXPECT_TRUE(dialog.errorText().contains(u"nope"_s));
    EXPECT_TRUE(child<QLabel>("summaryLabel")->text().contains(u"nope"_s));
    EXPECT_EQ(dialog.model()->rowCount(), 0);
    dialog.setSession(nullptr, {}, onePrice(), {});
    EXPECT_FALSE(dialog.compare(u"main"_s, u"alt-1"_s));
    EXPECT_EQ(child<QComboBox>("leftCombo")->count(), 0);
}

TEST(BranchCompareDialogLarge, AThousandTurnsOpenAtOnce)
{
    // main: 1,000 turns; what-if: made from turn 2, then 999 turns of its own.
    tb::test::TempDir dir;
    tb::storage::SqliteSessionStore::Options o;
    o.create = true;
    auto store = tb::storage::SqliteSessionStore::open(dir.filePath(u"big.db"_s), o);
    ASSERT_TRUE(store.has_value());
    tb::core::SessionOpenOptions so;
    so.createTables = true;
    auto session = (*store)->openSession(u"big"_s, so);
    ASSERT_TRUE(session.has_value());
    const auto turns = [](const QString& tag, int from, int to) {
        QList<Json> items;
        for (int t = from; t <= to; ++t) {
            items << J(u"{\"content\": \"Question %1 about order ORD-%1\", \"role\": \"user\"}"_s.arg(t));
            items << J(
                u"{\"role\": \"assistant\", \"content\": \"%1 answer %2: the order shipped on day %2.\"}"_s.arg(tag)
                    .arg(t));
        }
        return items;
    };
    ASSERT_TRUE((*session)->addItems(turns(u"Main"_s, 1, 1000)).has_value());
    ASSERT_TRUE((*session)->createBranchFromTurn(2, u"what-if"_s).has_value());
    ASSERT_TRUE((*session)->addItems(turns(u"Alternative"_s, 2, 1000)).has_value());

    BranchCompareDialog dialog;
    dialog.setSession(session->get(), {{u"main"_s, u"main"_s}, {u"what-if"_s, u"what-if"_s}}, onePrice(), {});
    QElapsedTimer timer;
    timer.start();
    ASSERT_TRUE(dialog.compare(u"main"_s, u"what-if"_s));
    const qint64 compareMs = timer.elapsed();
    timer.restart();
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    const qint64 showMs = timer.elapsed();
    timer.restart();
    dialog.showTurn(987);
    const qint64 jumpMs = timer.elapsed();
    std::cout << "[          ] 999 turns compared: read + pair " << compareMs << " ms, first paint " << showMs
              << " ms, jump to turn 987 " << jumpMs << " ms\n";
    EXPECT_EQ(dialog.comparison().turns().size(), 999);
    EXPECT_EQ(dialog.model()->rowCount(), 1000);
    EXPECT_EQ(dialog.pageCount(), 20);
    EXPECT_EQ(dialog.currentPage(), 19);
    const QString html = dialog.findChild<QTextBrowser*>(u"sideBySide"_s)->toHtml();
    EXPECT_TRUE(html.contains(u"turn-987"_s));
    EXPECT_FALSE(html.contains(u"turn-949\""_s)); // only this page's turns are rendered
    EXPECT_TRUE(dialog.findChild<QTextBrowser*>(u"sideBySide"_s)->toPlainText().contains(u"Turn 1 shared"_s));
}

} // namespace
