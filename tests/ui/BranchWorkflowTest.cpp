// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// What-if work through the window: branch from a clicked node, ask the what-if question of the demo
// model, see the new lane, edit and re-run, override a tool output, rename/mark/note with undo,
// delete; the SDK-level answers afterwards; scratch copies for sessions a production reader uses.
#include "TempDir.h"
#include "TestData.h"
#include "WorkbenchTestServices.h"

#include "app/DemoDatabase.h"
#include "app/StoreFactories.h"
#include "storage/AdvancedSqliteSession.h"
#include "storage/PlainSqliteSession.h"
#include "storage/SqliteSessionStore.h"
#include "ui/BranchTreeOverview.h"
#include "ui/BranchTreeView.h"
#include "ui/BranchCompareDialog.h"
#include "ui/BranchCompareModel.h"
#include "ui/CarryFindingDialog.h"
#include "ui/UsageChartsDock.h"
#include "ui/UsageDashboard.h"
#include "ui/ComposerWidget.h"
#include "ui/ConversationModel.h"
#include "ui/MainWindow.h"
#include "ui/SessionListModel.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QCryptographicHash>
#include <QDockWidget>
#include <QFile>
#include <QGraphicsItem>
#include <QListView>
#include <QApplication>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QNetworkProxy>
#include <QScrollBar>
#include <QTableView>
#include <QTest>
#include <QUndoStack>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using tb::ui::MainWindow;

namespace {

QByteArray sha256(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// list_branches as comparable text: id, items, user turns (created_at and the current flag are the
// same for unchanged branches, and a fresh object's current branch is always main).
QStringList describe(const tb::core::Result<QList<tb::core::BranchInfo>>& branches)
{
    QStringList out;
    if (!branches)
        return {u"error: "_s + branches.error().message};
    for (const auto& b : *branches)
        out << u"%1 %2 %3 %4"_s.arg(b.branchId).arg(b.messageCount).arg(b.userTurns).arg(b.createdAt);
    return out;
}

// Answers the next message box with `button` once it is shown (the window asks before promoting).
void answerNextMessageBox(QMessageBox::StandardButton button)
{
    QTimer::singleShot(50, [button] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget()))
            box->button(button)->click();
    });
}

QAction* actionNamed(QMenu* menu, const QString& text)
{
    for (QAction* a : menu->actions()) {
        if (a->text() == text)
            return a;
    }
    return nullptr;
}

class BranchWorkflowTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        db = dir.filePath(u"demo.db"_s);
        tb::app::DemoDatabase::Options o;
        o.sessions = 8;
        ASSERT_TRUE(tb::app::DemoDatabase::generate(db, o).has_value());
        nam.setProxy(QNetworkProxy::NoProxy);
    }

    void openWindow(MainWindow& w)
    {
        w.resize(1200, 900);
        w.show();
        w.setServices(tb::test::workbenchServices(endpoints, nam));
        w.setScratchFolder(dir.filePath(u"scratch"_s));
        w.setWhatIfChooser([this](const QString& reason, bool canInPlace, bool canCopyInFile) {
            ++chooserCalls;
            lastReason = reason;
            lastCanInPlace = canInPlace;
            lastCanCopyInFile = canCopyInFile;
            return chooserAnswer;
        });
    }

    /// A fresh SDK-level session object on the file, as the SDK (or a production agent) opens it.
    std::unique_ptr<tb::storage::AdvancedSqliteSession> sdk(const QString& path, const QString& session)
    {
        auto s = tb::storage::AdvancedSqliteSession::open(path, session, {});
        EXPECT_TRUE(s.has_value());
        return s ? std::move(s).value() : nullptr;
    }

    tb::test::TempDir dir;
    QString db;
    tb::app::ModelEndpoints endpoints;
    QNetworkAccessManager nam;
    int chooserCalls = 0;
    QString lastReason;
    bool lastCanInPlace = false;
    bool lastCanCopyInFile = false;
    MainWindow::WhatIfPlace chooserAnswer = MainWindow::WhatIfPlace::Cancel;
};

TEST_F(BranchWorkflowTest, ClickANodeBranchAskSeeTheLaneSwitchAndDelete)
{
    MainWindow w(tb::app::StoreFactories::open());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    const QString session = w.currentSessionId();
    auto before = sdk(db, session);
    const auto mainItems = before->getItems(std::nullopt, u"main"_s);
    const auto mainTurns = before->getConversationTurns(u"main"_s);
    ASSERT_GE(mainTurns->size(), 2);
    const auto branchesBefore = describe(before->listBranches());

    auto* dock = w.findChild<QDockWidget*>(u"branchTreeDock"_s);
    dock->show();
    QTest::qWait(20);
    tb::ui::BranchTreeView* tree = w.branchTree();
    QGraphicsItem* node = tree->nodeItem(u"main"_s, 2);
    ASSERT_NE(node, nullptr);
    tree->centerOn(node);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->mapFromScene(node->sceneBoundingRect().center()));
    QTest::qWait(20);
    EXPECT_EQ(w.findChild<QListView*>(u"conversationView"_s)->currentIndex().data(tb::ui::ConversationModel::TurnRole).toLongLong(), 2);

    // The node's context menu offers branching from that turn.
    std::unique_ptr<QMenu> menu(w.createBranchMenu(u"main"_s, 2, &w));
    QStringList texts;
    for (QAction* a : menu->actions())
        texts << a->text();
    EXPECT_TRUE(texts.contains(u"&Branch from Turn 2…"_s)) << texts.join(u" | "_s).toStdString();
    for (QAction* a : menu->actions()) {
        if (a->text() == u"&Delete Branch…"_s) {
            EXPECT_FALSE(a->isEnabled()) << "main cannot be deleted";
        }
    }

    ASSERT_TRUE(w.branchFromTurn(2, u"kinder"_s));
    EXPECT_EQ(chooserCalls, 0) << "a branch-aware session of a normal file branches in place";
    ASSERT_TRUE(w.sendMessage(u"What if I had asked about ORD-7 instead?"_s));
    ASSERT_TRUE(tb::test::waitUntilIdle(w));
    // The new lane is drawn with its own turn 2.
    EXPECT_NE(tree->nodeItem(u"kinder"_s, 2), nullptr);
    EXPECT_TRUE(tree->isLaneHighlighted(u"kinder"_s));

    // What the SDK reports now: main untouched, the branch = turn 1 of main + the what-if turn.
    auto after = sdk(db, session);
    EXPECT_EQ(*after->getItems(std::nullopt, u"main"_s), *mainItems);
    const auto branchItems = *after->getItems(std::nullopt, u"kinder"_s);
    qsizetype turnOneItems = 0;
    const auto mainRows = before->branchItems(u"main"_s, 0, -1);
    ASSERT_TRUE(mainRows.has_value());
    for (const auto& row : *mainRows)
        turnOneItems += row.turn == 1 ? 1 : 0;
    ASSERT_GT(branchItems.size(), turnOneItems);
    for (qsizetype i = 0; i < turnOneItems; ++i)
        EXPECT_EQ(branchItems.at(i), mainItems->at(i));
    EXPECT_EQ(branchItems.at(turnOneItems)[u"content"].toString(), u"What if I had asked about ORD-7 instead?"_s);
    const auto branches = *after->listBranches();
    ASSERT_EQ(branches.size(), branchesBefore.size() + 1);
    EXPECT_EQ(branches.last().branchId, u"kinder"_s);
    EXPECT_EQ(branches.last().userTurns, 2);
    const auto usage = after->getTurnUsage(2, u"kinder"_s);
    ASSERT_TRUE(usage.has_value() && usage->has_value());

    // Switch back by clicking main's node, then delete the what-if branch.
    node = tree->nodeItem(u"main"_s, 1);
    ASSERT_NE(node, nullptr);
    tree->centerOn(node);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->mapFromScene(node->sceneBoundingRect().center()));
    QTest::qWait(20);
    EXPECT_EQ(w.conversationModel()->branchId(), u"main"_s);
    ASSERT_TRUE(w.deleteBranch(u"kinder"_s, false));
    EXPECT_EQ(tree->nodeItem(u"kinder"_s, 2), nullptr);
    EXPECT_EQ(describe(sdk(db, session)->listBranches()), branchesBefore);
    EXPECT_FALSE(w.deleteBranch(u"main"_s, false));
}

TEST_F(BranchWorkflowTest, RenameMarkNoteAndOutcomeAreUndoable)
{
    MainWindow w(tb::app::StoreFactories::open());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    w.findChild<QDockWidget*>(u"branchTreeDock"_s)->show();
    QTest::qWait(20);
    const QString session = w.currentSessionId();
    ASSERT_TRUE(w.branchFromTurn(2, u"alt"_s)); // from turn 1 a branch has no rows yet: the SDK lists it only later
    auto* tree = w.branchTree();
    auto* combo = w.findChild<QComboBox*>(u"branchCombo"_s);
    auto meta = [&]() {
        auto store = tb::storage::SqliteSessionStore::open(db, {true, false});
        const auto all = (*store)->branchMeta(session);
        for (const auto& m : *all) {
            if (m.branchId == u"alt"_s)
                return m;
        }
        return tb::core::BranchMeta{};
    };

    ASSERT_TRUE(w.renameBranch(u"alt"_s, u"Friendlier tone"_s));
    EXPECT_EQ(meta().displayName, u"Friendlier tone"_s);
    EXPECT_TRUE(tree->laneLabel(u"alt"_s).contains(u"Friendlier tone"_s));
    EXPECT_TRUE(combo->currentText().contains(u"Friendlier tone"_s));
    ASSERT_TRUE(w.setBranchPreferred(u"alt"_s, true));
    EXPECT_TRUE(tree->laneLabel(u"alt"_s).startsWith(QChar(0x2605)));
    ASSERT_TRUE(w.setBranchOutcome(u"alt"_s, u"resolved"_s));
    EXPECT_TRUE(tree->laneLabel(u"alt"_s).contains(u"[resolved]"_s));
    ASSERT_TRUE(w.setBranchNote(u"alt"_s, u"The customer calmed down."_s));
    EXPECT_EQ(meta().note, u"The customer calmed down."_s);
    EXPECT_EQ(meta().parentBranch.value_or(QString()), u"main"_s) << "lineage survives metadata edits";
    EXPECT_EQ(w.undoStack()->count(), 4);

    w.undoStack()->undo(); // note
    EXPECT_TRUE(meta().note.isEmpty());
    w.undoStack()->undo(); // outcome
    EXPECT_FALSE(tree->laneLabel(u"alt"_s).contains(u"[resolved]"_s));
    w.undoStack()->undo(); // preferred
    EXPECT_FALSE(meta().preferred);
    w.undoStack()->undo(); // name
    EXPECT_TRUE(meta().displayName.isEmpty());
    EXPECT_EQ(tree->laneLabel(u"alt"_s), u"alt"_s);
    w.undoStack()->redo();
    EXPECT_EQ(meta().displayName, u"Friendlier tone"_s);

    // Edit → Undo in the menu bar is the same stack.
    QAction* undo = nullptr;
    for (QAction* a : w.findChildren<QAction*>()) {
        if (a->shortcut() == QKeySequence(QKeySequence::Undo))
            undo = a;
    }
    ASSERT_NE(undo, nullptr);
    undo->trigger();
    EXPECT_TRUE(meta().displayName.isEmpty());
}

TEST_F(BranchWorkflowTest, EditAndRerunAsksTheEditedQuestionOnANewBranch)
{
    MainWindow w(tb::app::StoreFactories::open());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    const QString session = w.currentSessionId();
    const auto mainBefore = *sdk(db, session)->getItems(std::nullopt, u"main"_s);
    ASSERT_TRUE(w.editAndRerun(2, u"Where is ORD-55, please?"_s));
    ASSERT_TRUE(tb::test::waitUntilIdle(w));
    EXPECT_FALSE(w.composer()->hasError()) << w.composer()->errorText().toStdString();
    EXPECT_EQ(w.conversationModel()->branchId(), u"edit-turn-2"_s);
    auto after = sdk(db, session);
    EXPECT_EQ(*after->getItems(std::nullopt, u"main"_s), mainBefore);
    const auto turns = *after->getConversationTurns(u"edit-turn-2"_s);
    ASSERT_EQ(turns.size(), 2);
    EXPECT_EQ(turns.at(1).fullContent.toString(), u"Where is ORD-55, please?"_s);
    // A second edit of the same turn gets a name of its own.
    ASSERT_TRUE(w.switchBranch(u"main"_s));
    ASSERT_TRUE(w.editAndRerun(2, u"And ORD-56?"_s));
    ASSERT_TRUE(tb::test::waitUntilIdle(w));
    EXPECT_EQ(w.conversationModel()->branchId(), u"edit-turn-2-2"_s);
}

TEST_F(BranchWorkflowTest, OverrideToolOutputReRunsTheRestOfTheTurn)
{
    MainWindow w(tb::app::StoreFactories::open());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    // A turn with a tool output: ask for an order on a new branch first, so the turn is ours.
    ASSERT_TRUE(w.branchFromTurn(2, u"with-tool"_s));
    ASSERT_TRUE(w.sendMessage(u"Where is ORD-123?"_s));
    ASSERT_TRUE(tb::test::waitUntilIdle(w));
    const QString session = w.currentSessionId();
    QString callId;
    const auto toolRows = sdk(db, session)->branchItems(u"with-tool"_s, 0, -1);
    ASSERT_TRUE(toolRows.has_value());
    for (const auto& row : *toolRows) {
        if (row.turn == 2 && row.item[u"type"].toString() == u"function_call_output")
            callId = row.item[u"call_id"].toString();
    }
    ASSERT_FALSE(callId.isEmpty());
    const auto original = *sdk(db, session)->getItems(std::nullopt, u"with-tool"_s);

    ASSERT_TRUE(w.overrideToolOutput(2, callId, u"Order ORD-123 was lost in transit"_s));
    ASSERT_TRUE(tb::test::waitUntilIdle(w));
    EXPECT_FALSE(w.composer()->hasError()) << w.composer()->errorText().toStdString();
    EXPECT_EQ(w.conversationModel()->branchId(), u"tool-output-turn-2"_s);
    auto after = sdk(db, session);
    EXPECT_EQ(*after->getItems(std::nullopt, u"with-tool"_s), original) << "the source branch stays as it was";
    const auto rowsResult = after->branchItems(u"tool-output-turn-2"_s, 0, -1);
    ASSERT_TRUE(rowsResult.has_value());
    const auto& rows = *rowsResult;
    QStringList turnTwo;
    QString answer;
    for (const auto& row : rows) {
        if (row.turn != 2)
            continue;
        turnTwo << (row.item[u"type"].isString() ? row.item[u"type"].toString() : row.item[u"role"].toString());
        if (row.item[u"type"].toString() == u"function_call_output") {
            EXPECT_EQ(row.item[u"output"].toString(), u"Order ORD-123 was lost in transit"_s);
        }
        if (row.item[u"role"].toString() == u"assistant")
            answer = row.item.dump();
    }
    EXPECT_EQ(turnTwo.first(), u"user"_s);
    EXPECT_TRUE(turnTwo.contains(u"function_call"_s));
    EXPECT_TRUE(answer.contains(u"lost in transit"_s)) << "the model answered from the overridden output";
}

TEST_F(BranchWorkflowTest, PlainReaderSessionBranchesIntoAScratchWorkbenchFile)
{
    const QString basic = tb::test::copySdkFixture(u"basic.db"_s, dir.path());
    const QByteArray original = sha256(basic);
    MainWindow w(tb::app::StoreFactories::open(), tb::app::StoreFactories::create());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(basic));
    ASSERT_TRUE(w.selectSession(u"customer-789"_s));

    chooserAnswer = MainWindow::WhatIfPlace::Cancel;
    EXPECT_FALSE(w.branchFromTurn(2, u"x"_s));
    EXPECT_EQ(chooserCalls, 1);
    EXPECT_TRUE(lastReason.contains(u"plain SQLiteSession"_s)) << lastReason.toStdString();
    EXPECT_FALSE(lastCanInPlace);
    EXPECT_FALSE(lastCanCopyInFile) << "a plain file keeps its schema: the copy goes to a workbench file";

    chooserAnswer = MainWindow::WhatIfPlace::CopyInWorkbenchFile;
    ASSERT_TRUE(w.branchFromTurn(2, u"what-if"_s));
    EXPECT_EQ(sha256(basic), original) << "the production file is not touched";
    const QString scratch = dir.filePath(u"scratch/basic-whatif.db"_s);
    EXPECT_EQ(w.store()->path(), scratch);
    EXPECT_EQ(w.currentSessionId(), u"customer-789-whatif"_s);
    EXPECT_EQ(w.conversationModel()->branchId(), u"what-if"_s);
    // The copy is the conversation as the plain reader sees it, on main, and the branch has turn 1.
    auto copy = sdk(scratch, u"customer-789-whatif"_s);
    tb::storage::PlainSqliteSession::Options readOnly;
    readOnly.readOnly = true;
    auto plain = tb::storage::PlainSqliteSession::open(basic, u"customer-789"_s, readOnly);
    EXPECT_EQ(*copy->getItems(std::nullopt, u"main"_s), *(*plain)->getItems(std::nullopt));
    EXPECT_EQ(copy->getConversationTurns(u"what-if"_s)->size(), 1);
}

TEST_F(BranchWorkflowTest, ProductionFlaggedFileOffersAScratchCopyInTheSameFile)
{
    MainWindow w(tb::app::StoreFactories::open(), tb::app::StoreFactories::create());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    // File → Production File flags the file (tb_meta), as another analyst will see it.
    auto* production = w.findChild<QAction*>(u"actionProductionFile"_s);
    ASSERT_NE(production, nullptr);
    EXPECT_FALSE(production->isChecked());
    production->trigger();
    EXPECT_TRUE(*(*tb::storage::SqliteSessionStore::open(db, {true, false}))->isProductionFile());
    const QString session = w.currentSessionId();
    const auto branchesBefore = describe(sdk(db, session)->listBranches());
    chooserAnswer = MainWindow::WhatIfPlace::CopyInFile;
    ASSERT_TRUE(w.branchFromTurn(2, u"try"_s));
    EXPECT_EQ(chooserCalls, 1);
    EXPECT_TRUE(lastReason.contains(u"production"_s));
    EXPECT_TRUE(lastCanInPlace);
    EXPECT_EQ(w.currentSessionId(), session + u"-whatif"_s);
    EXPECT_EQ(describe(sdk(db, session)->listBranches()), branchesBefore) << "the production session has no new branch";
    EXPECT_EQ(sdk(db, session + u"-whatif"_s)->listBranches()->size(), 2);
    // The copy is a scratch session: further branches there are not asked about again.
    ASSERT_TRUE(w.switchBranch(u"main"_s));
    ASSERT_TRUE(w.branchFromTurn(2, u"again"_s));
    EXPECT_EQ(chooserCalls, 1);
}

TEST_F(BranchWorkflowTest, ReadOnlyFileCanOnlyBranchIntoAWorkbenchFile)
{
    MainWindow w(tb::app::StoreFactories::open(), tb::app::StoreFactories::create());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db, true));
    chooserAnswer = MainWindow::WhatIfPlace::InPlace; // not offered: refused
    EXPECT_FALSE(w.branchFromTurn(2, u"x"_s));
    EXPECT_FALSE(lastCanInPlace);
    EXPECT_FALSE(lastCanCopyInFile);
    chooserAnswer = MainWindow::WhatIfPlace::CopyInWorkbenchFile;
    ASSERT_TRUE(w.branchFromTurn(2, u"x"_s));
    EXPECT_TRUE(w.store()->path().endsWith(u"scratch/demo-whatif.db"_s));
    EXPECT_FALSE(w.store()->isReadOnly());
}

TEST_F(BranchWorkflowTest, OverviewShowsWhenTheTreeDoesNotFitAndMovesTheView)
{
    MainWindow w(tb::app::StoreFactories::open());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    auto* dock = w.findChild<QDockWidget*>(u"branchTreeDock"_s);
    dock->show();
    for (int t = 0; t < 3; ++t) {
        ASSERT_TRUE(w.switchBranch(u"main"_s));
        ASSERT_TRUE(w.branchFromTurn(2, u"b%1"_s.arg(t)));
    }
    w.resize(700, 700);
    QTest::qWait(30);
    auto* tree = w.branchTree();
    tree->zoomIn();
    tree->zoomIn();
    QTest::qWait(10);
    tb::ui::BranchTreeOverview* overview = tree->overview();
    ASSERT_TRUE(overview->isVisible());
    const int before = tree->horizontalScrollBar()->value();
    QTest::mouseClick(overview, Qt::LeftButton, {}, QPoint(overview->width() - 3, overview->height() / 2));
    EXPECT_GT(tree->horizontalScrollBar()->value(), before);
    tree->fitAll();
    QTest::qWait(10);
    EXPECT_FALSE(overview->isVisible()) << "everything fits: no overview needed";
}

TEST_F(BranchWorkflowTest, PromoteThroughTheContextMenuThenUndo)
{
    MainWindow w(tb::app::StoreFactories::open());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    w.findChild<QDockWidget*>(u"branchTreeDock"_s)->show();
    const QString session = w.currentSessionId();
    ASSERT_TRUE(w.branchFromTurn(2, u"better"_s));
    ASSERT_TRUE(w.sendMessage(u"Could you check ORD-9 for me?"_s));
    ASSERT_TRUE(tb::test::waitUntilIdle(w));
    auto before = sdk(db, session);
    const auto mainItems = *before->getItems(std::nullopt, u"main"_s);
    const auto betterItems = *before->getItems(std::nullopt, u"better"_s);
    const auto branchesBefore = describe(before->listBranches());
    const QByteArray fileBefore = sha256(db);

    std::unique_ptr<QMenu> menu(w.createBranchMenu(u"better"_s, 0, &w));
    QAction* promote = actionNamed(menu.get(), u"Pro&mote to Main…"_s);
    ASSERT_NE(promote, nullptr);
    ASSERT_TRUE(promote->isEnabled());
    answerNextMessageBox(QMessageBox::Yes);
    promote->trigger();
    // A fresh SDK object (a production agent) now continues from what was the what-if branch.
    auto after = sdk(db, session);
    EXPECT_EQ(*after->getItems(std::nullopt, u"main"_s), betterItems);
    const QString oldMain = u"main-before-"_s + QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
    EXPECT_EQ(*after->getItems(std::nullopt, oldMain), mainItems);
    EXPECT_EQ(w.conversationModel()->branchId(), u"main"_s);
    EXPECT_NE(w.branchTree()->nodeItem(oldMain, 2), nullptr) << "the old main is a lane of its own";

    w.undoStack()->undo();
    auto undone = sdk(db, session);
    EXPECT_EQ(*undone->getItems(std::nullopt, u"main"_s), mainItems);
    EXPECT_EQ(*undone->getItems(std::nullopt, u"better"_s), betterItems);
    EXPECT_EQ(describe(undone->listBranches()), branchesBefore);
    w.undoStack()->redo();
    EXPECT_EQ(*sdk(db, session)->getItems(std::nullopt, u"main"_s), betterItems);
    (void)fileBefore;

    // main itself cannot be promoted; the menu says so by disabling the entry.
    std::unique_ptr<QMenu> mainMenu(w.createBranchMenu(u"main"_s, 0, &w));
    EXPECT_FALSE(actionNamed(mainMenu.get(), u"Pro&mote to Main…"_s)->isEnabled());
}

TEST_F(BranchWorkflowTest, CarryAFindingShowsItsLinkAndUndoes)
{
    MainWindow w(tb::app::StoreFactories::open());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    w.findChild<QDockWidget*>(u"branchTreeDock"_s)->show();
    const QString session = w.currentSessionId();
    ASSERT_TRUE(w.branchFromTurn(2, u"refund"_s));
    ASSERT_TRUE(w.sendMessage(u"I want a refund for ORD-5"_s));
    ASSERT_TRUE(tb::test::waitUntilIdle(w));
    const auto mainBefore = *sdk(db, session)->getItems(std::nullopt, u"main"_s);
    ASSERT_TRUE(w.carryFinding(u"refund"_s, u"Offering the refund first ends the escalation."_s));
    const auto mainAfter = *sdk(db, session)->getItems(std::nullopt, u"main"_s);
    ASSERT_EQ(mainAfter.size(), mainBefore.size() + 1);
    EXPECT_EQ(mainAfter.last()[u"role"].toString(), u"developer"_s);
    EXPECT_TRUE(mainAfter.last().dump().contains("Offering the refund first"));
    // The tree shows where the finding came from.
    w.switchBranch(u"main"_s);
    QTest::qWait(10);
    int links = 0;
    for (QGraphicsItem* item : w.branchTree()->scene()->items()) {
        if (item->toolTip().startsWith(u"Finding carried from refund"_s))
            ++links;
    }
    EXPECT_EQ(links, 1);
    w.undoStack()->undo();
    EXPECT_EQ(*sdk(db, session)->getItems(std::nullopt, u"main"_s), mainBefore);
}

TEST_F(BranchWorkflowTest, CarryDialogTakesAModelDraft)
{
    int asked = 0;
    tb::ui::CarryFindingDialog dialog(u"refund"_s, QString(), [&asked](const std::function<void(tb::core::Result<QString>)>& done) {
        ++asked;
        done(u"The refund ended it."_s);
    });
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    EXPECT_FALSE(ok->isEnabled()) << "nothing to carry yet";
    QTest::mouseClick(dialog.findChild<QPushButton*>(u"draftButton"_s), Qt::LeftButton);
    EXPECT_EQ(asked, 1);
    EXPECT_EQ(dialog.text(), u"The refund ended it."_s);
    EXPECT_TRUE(ok->isEnabled());
}

TEST_F(BranchWorkflowTest, CompareTwoLeavesPickedInTheTree)
{
    MainWindow w(tb::app::StoreFactories::open());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    w.findChild<QDockWidget*>(u"branchTreeDock"_s)->show();
    ASSERT_TRUE(w.branchFromTurn(2, u"left"_s));
    ASSERT_TRUE(w.sendMessage(u"Where is ORD-1?"_s));
    ASSERT_TRUE(tb::test::waitUntilIdle(w));
    ASSERT_TRUE(w.switchBranch(u"main"_s));
    ASSERT_TRUE(w.branchFromTurn(2, u"right"_s));
    ASSERT_TRUE(w.sendMessage(u"Where is ORD-2?"_s));
    ASSERT_TRUE(tb::test::waitUntilIdle(w));
    QTest::qWait(10);

    // Click a node of one leaf, Ctrl+click a node of the other.
    auto* tree = w.branchTree();
    auto click = [tree](QGraphicsItem* node, Qt::KeyboardModifiers mods) {
        tree->centerOn(node);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, mods, tree->mapFromScene(node->sceneBoundingRect().center()));
        QTest::qWait(20);
    };
    ASSERT_NE(tree->nodeItem(u"left"_s, 2), nullptr);
    ASSERT_NE(tree->nodeItem(u"right"_s, 2), nullptr);
    click(tree->nodeItem(u"left"_s, 2), {});
    click(tree->nodeItem(u"right"_s, 2), Qt::ControlModifier);
    EXPECT_EQ(tree->selectedBranches(), (QStringList{u"left"_s, u"right"_s}));

    std::unique_ptr<QMenu> menu(w.createBranchMenu(u"right"_s, 2, &w));
    QAction* compare = nullptr;
    for (QAction* a : menu->actions()) {
        if (a->text().startsWith(u"Compare &Selected Branches"_s))
            compare = a;
    }
    ASSERT_NE(compare, nullptr);
    compare->trigger();
    tb::ui::BranchCompareDialog* dialog = w.compareDialog();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    EXPECT_EQ(dialog->leftBranch(), u"left"_s);
    EXPECT_EQ(dialog->rightBranch(), u"right"_s);
    // Turn 2 differs on both sides and the totals row closes the table.
    EXPECT_GE(dialog->model()->rowCount(), 2);
    EXPECT_TRUE(dialog->model()->isTotalRow(dialog->model()->rowCount() - 1));
    // "Open in conversation" from the dialog shows that branch and turn.
    Q_EMIT dialog->showBranch(u"left"_s, 2);
    EXPECT_EQ(w.conversationModel()->branchId(), u"left"_s);
}

TEST_F(BranchWorkflowTest, UsageChartsFollowTheShownBranchAndTheDashboardOpensSessions)
{
    MainWindow w(tb::app::StoreFactories::open());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    w.findChild<QDockWidget*>(u"usageDock"_s)->show();
    QTest::qWait(10);
    const QString first = w.usageCharts()->summaryText();
    EXPECT_FALSE(first.isEmpty());
    ASSERT_TRUE(w.branchFromTurn(2, u"costly"_s));
    ASSERT_TRUE(w.sendMessage(u"Where is ORD-77?"_s));
    ASSERT_TRUE(tb::test::waitUntilIdle(w));
    EXPECT_NE(w.usageCharts()->summaryText(), first) << "the dock follows the branch";

    tb::ui::UsageDashboard* dashboard = w.openDashboard();
    ASSERT_NE(dashboard, nullptr);
    Q_EMIT dashboard->sessionActivated(w.sessionModel()->index(3, 0).data(tb::ui::SessionListModel::SessionIdRole).toString());
    QTest::qWait(20);
    EXPECT_EQ(w.currentSessionId(), w.sessionModel()->index(3, 0).data(tb::ui::SessionListModel::SessionIdRole).toString());
}

TEST_F(BranchWorkflowTest, SessionListPricesOnTheAssignedModel)
{
    MainWindow w(tb::app::StoreFactories::open());
    openWindow(w);
    ASSERT_TRUE(w.openDatabase(db));
    auto* model = w.sessionModel();
    using tb::ui::SessionListModel;
    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r) {
        if (model->index(r, SessionListModel::CostColumn).data(Qt::ToolTipRole).toString().endsWith(u"model from: default"_s))
            row = r;
    }
    ASSERT_GE(row, 0);
    const QString id = model->index(row, 0).data(SessionListModel::SessionIdRole).toString();
    const QString before = model->index(row, SessionListModel::CostColumn).data().toString();
    ASSERT_TRUE(w.store()->setModelAssignment({id, {}, u"gpt-4.1"_s}));
    model->reload();
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 0).data(SessionListModel::SessionIdRole).toString() != id)
            continue;
        EXPECT_NE(model->index(r, SessionListModel::CostColumn).data().toString(), before) << "gpt-4.1 costs more than the default";
        EXPECT_TRUE(model->index(r, SessionListModel::CostColumn).data(Qt::ToolTipRole).toString().endsWith(u"model from: session"_s));
    }
}

} // namespace
