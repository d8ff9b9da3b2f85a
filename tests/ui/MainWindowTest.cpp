// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Widget tests: drive the workbench window through its widgets (offscreen), on the demo database.
#include "TempDir.h"
#include "TestData.h"

#include "app/DemoDatabase.h"
#include "app/StoreFactories.h"
#include "storage/SqliteSessionStore.h"
#include "ui/BranchTreeView.h"
#include "ui/ConversationModel.h"
#include "ui/MainWindow.h"
#include "ui/SessionListModel.h"
#include "ui/SearchDialog.h"
#include "ui/SessionPropertiesDialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QFile>
#include <QComboBox>
#include <QDockWidget>
#include <QGraphicsItem>
#include <QLineEdit>
#include <QListView>
#include <QTableView>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace {

tb::ui::MainWindow::StoreFactory factory()
{
    return tb::app::StoreFactories::open();
}

class MainWindowTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        db = dir.filePath(u"demo.db"_s);
        tb::app::DemoDatabase::Options o;
        o.sessions = 30;
        ASSERT_TRUE(tb::app::DemoDatabase::generate(db, o).has_value());
    }

    template <typename T>
    T* child(tb::ui::MainWindow& w, const char* name)
    {
        T* c = w.findChild<T*>(QString::fromLatin1(name));
        EXPECT_NE(c, nullptr) << name;
        return c;
    }

    tb::test::TempDir dir;
    QString db;
};

TEST_F(MainWindowTest, OpensTheDemoDatabaseAndShowsAConversation)
{
    tb::ui::MainWindow w(factory());
    w.resize(1200, 800);
    w.show();
    ASSERT_TRUE(w.openDatabase(db));
    QAbstractItemModelTester sessionTester(w.sessionModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester conversationTester(w.conversationModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    EXPECT_EQ(w.sessionModel()->totalCount(), 30);
    EXPECT_EQ(w.sessionModel()->rowCount(), 30);
    // The first session is selected and its conversation shown, turn headers included.
    EXPECT_FALSE(w.currentSessionId().isEmpty());
    auto* conversation = w.conversationModel();
    ASSERT_GT(conversation->rowCount(), 2);
    EXPECT_EQ(conversation->index(0).data(tb::ui::ConversationModel::KindRole).value<tb::ui::ConversationModel::Kind>(),
              tb::ui::ConversationModel::Kind::TurnHeader);
    EXPECT_FALSE(conversation->index(0).data(tb::ui::ConversationModel::UsageRole).toMap().isEmpty());
    EXPECT_EQ(conversation->index(1).data(tb::ui::ConversationModel::RoleNameRole).toString(), u"user"_s);
}

TEST_F(MainWindowTest, FilterNarrowsTheSessionList)
{
    tb::ui::MainWindow w(factory());
    w.show();
    ASSERT_TRUE(w.openDatabase(db));
    auto* filter = child<QLineEdit>(w, "filterEdit");
    QTest::keyClicks(filter, u"vip"_s);
    const qint64 vip = w.sessionModel()->totalCount();
    EXPECT_GT(vip, 0);
    EXPECT_LT(vip, 30);
    filter->clear();
    QTest::keyClicks(filter, u"no-such-session-anywhere"_s);
    EXPECT_EQ(w.sessionModel()->rowCount(), 0);
    filter->clear();
    EXPECT_EQ(w.sessionModel()->rowCount(), 30);
}

TEST_F(MainWindowTest, ReadsAToolCallAndUnfoldsIt)
{
    tb::ui::MainWindow w(factory());
    w.resize(1200, 800);
    w.show();
    ASSERT_TRUE(w.openDatabase(db));
    auto* view = child<QListView>(w, "conversationView");
    auto* model = w.conversationModel();
    // Find a session with a tool call.
    int toolRow = -1;
    for (int s = 0; s < w.sessionModel()->rowCount() && toolRow < 0; ++s) {
        w.findChild<QTableView*>(u"sessionView"_s)->selectRow(s);
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->index(r).data(tb::ui::ConversationModel::KindRole).value<tb::ui::ConversationModel::Kind>()
                == tb::ui::ConversationModel::Kind::ToolCall) {
                toolRow = r;
                break;
            }
        }
    }
    ASSERT_GE(toolRow, 0);
    const QModelIndex tool = model->index(toolRow);
    EXPECT_FALSE(tool.data(tb::ui::ConversationModel::ExpandedRole).toBool());
    EXPECT_FALSE(tool.data(tb::ui::ConversationModel::ToolNameRole).toString().isEmpty());
    EXPECT_TRUE(tool.data(tb::ui::ConversationModel::ArgumentsRole).toString().contains(u'{'));
    view->scrollTo(tool);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(tool).center());
    EXPECT_TRUE(model->index(toolRow).data(tb::ui::ConversationModel::ExpandedRole).toBool());
}

TEST_F(MainWindowTest, SwitchesBranchesAndFindsText)
{
    tb::ui::MainWindow w(factory());
    w.show();
    ASSERT_TRUE(w.openDatabase(db));
    auto* combo = child<QComboBox>(w, "branchCombo");
    auto* sessions = w.findChild<QTableView*>(u"sessionView"_s);
    int withBranches = -1;
    for (int s = 0; s < w.sessionModel()->rowCount(); ++s) {
        sessions->selectRow(s);
        if (combo->count() > 1) {
            withBranches = s;
            break;
        }
    }
    ASSERT_GE(withBranches, 0) << "the demo database has what-if branches";
    const QString other = combo->itemData(1).toString();
    combo->setCurrentIndex(1);
    Q_EMIT combo->activated(1);
    EXPECT_EQ(w.conversationModel()->branchId(), other);
    // The branch choice is remembered in the side table, not in SDK tables.
    auto store = tb::storage::SqliteSessionStore::open(db, {true, false});
    ASSERT_TRUE(store.has_value());
    auto last = (*store)->lastViewedBranch(w.currentSessionId());
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->value_or(QString()), other);

    // jumpTo selects a branch directly (what --session/--branch on the command line do).
    ASSERT_TRUE(w.jumpTo(w.currentSessionId(), u"main"_s, -1));
    EXPECT_EQ(w.conversationModel()->branchId(), u"main"_s);
    ASSERT_TRUE(w.jumpTo(w.currentSessionId(), other, -1));
    EXPECT_EQ(w.conversationModel()->branchId(), other);

    w.findChild<QAction*>(u"actionFind"_s)->trigger();
    EXPECT_TRUE(w.findChild<QWidget*>(u"findBar"_s)->isVisible());
    EXPECT_TRUE(w.findInConversation(u"order"_s) || w.findInConversation(u"account"_s) || w.findInConversation(u"refund"_s));
    EXPECT_FALSE(w.findInConversation(u"zzz-not-in-any-conversation"_s));
}

TEST_F(MainWindowTest, ReadOnlyFileDisablesEditing)
{
    tb::ui::MainWindow w(factory());
    w.show();
    ASSERT_TRUE(w.openDatabase(db, true));
    EXPECT_TRUE(w.store()->isReadOnly());
    EXPECT_FALSE(w.findChild<QAction*>(u"actionImport"_s)->isEnabled());
    tb::ui::SessionPropertiesDialog dialog(u"s"_s, {}, true);
    EXPECT_FALSE(dialog.findChild<QLineEdit*>(u"titleEdit"_s)->isEnabled());
    EXPECT_TRUE(w.windowTitle().contains(u"demo.db"_s) || w.windowFilePath().endsWith(u"demo.db"_s));
}

TEST_F(MainWindowTest, SearchesAllSessionsAndJumpsToTheMatch)
{
    tb::ui::MainWindow w(factory());
    w.show();
    ASSERT_TRUE(w.openDatabase(db));
    w.findChild<QAction*>(u"actionSearchAll"_s)->trigger();
    tb::ui::SearchDialog* search = w.searchDialog();
    ASSERT_NE(search, nullptr);
    search->setSliceRows(50); // many slices: progress and the event loop are exercised
    QSignalSpy done(search, &tb::ui::SearchDialog::finished);
    search->start(u"ORD-"_s);
    EXPECT_TRUE(search->isRunning());
    ASSERT_TRUE(done.wait(10000));
    ASSERT_GT(search->resultCount(), 0);

    // Stop works mid-way.
    search->start(u"the"_s);
    search->stop();
    EXPECT_FALSE(search->isRunning());

    // Activating a result shows that session, branch and turn.
    search->start(u"ORD-"_s);
    ASSERT_TRUE(done.wait(10000));
    QTreeWidgetItem* first = search->findChild<QTreeWidget*>(u"results"_s)->topLevelItem(0);
    ASSERT_NE(first, nullptr);
    const QString session = first->text(0);
    const QString branch = first->text(1);
    const qint64 turn = first->data(2, Qt::UserRole).toLongLong();
    ASSERT_TRUE(w.jumpTo(session, branch, turn));
    EXPECT_EQ(w.currentSessionId(), session);
    EXPECT_EQ(w.conversationModel()->branchId(), branch);
    const QModelIndex current = w.findChild<QListView*>(u"conversationView"_s)->currentIndex();
    EXPECT_EQ(current.data(tb::ui::ConversationModel::TurnRole).toLongLong(), turn);
}

TEST_F(MainWindowTest, OpensAFolderOfDatabasesAsOneWorkspace)
{
    tb::test::TempDir folder;
    tb::app::DemoDatabase::Options o;
    o.sessions = 4;
    o.seed = 1;
    ASSERT_TRUE(tb::app::DemoDatabase::generate(folder.filePath(u"cust-alice-123.db"_s), o).has_value());
    o.seed = 2;
    o.sessions = 3;
    ASSERT_TRUE(tb::app::DemoDatabase::generate(folder.filePath(u"cust-bob-456.db"_s), o).has_value());
    {
        QFile junk(folder.filePath(u"notes.db"_s)); // not a database: skipped, not fatal
        ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
        junk.write("not sqlite at all");
    }
    tb::ui::MainWindow w(factory());
    w.show();
    ASSERT_TRUE(w.openFolder(folder.path()));
    EXPECT_EQ(w.sessionModel()->totalCount(), 7);
    // Sessions carry the file they live in; the first one is shown.
    EXPECT_TRUE(w.currentSessionId().contains(u".db/"_s)) << w.currentSessionId().toStdString();
    EXPECT_GT(w.conversationModel()->rowCount(), 1);
    // The filter matches file names too.
    QTest::keyClicks(w.findChild<QLineEdit*>(u"filterEdit"_s), u"bob"_s);
    EXPECT_EQ(w.sessionModel()->totalCount(), 3);
}

TEST_F(MainWindowTest, ShowsATenMegabyteMessageWithoutHangingAndCopiesAllOfIt)
{
    const QString big = dir.filePath(u"big.db"_s);
    auto store = tb::storage::SqliteSessionStore::open(big, {false, true});
    ASSERT_TRUE(store.has_value());
    auto session = (*store)->openSession(u"huge"_s, {true, {}});
    ASSERT_TRUE(session.has_value());
    tb::core::Json item = tb::core::Json::object();
    item.insert(u"content"_s, tb::core::Json(QString(10 * 1024 * 1024, u'x') + u"\nend"_s));
    item.insert(u"role"_s, tb::core::Json(u"user"_s));
    ASSERT_TRUE((*session)->addItems({item}).has_value());

    tb::ui::MainWindow w(factory());
    w.resize(1000, 700);
    w.show();
    ASSERT_TRUE(w.openDatabase(big));
    (void)w.grab(); // paints the card; must not take the layout engine through 10 MB
    auto* model = w.conversationModel();
    ASSERT_EQ(model->rowCount(), 2);
    EXPECT_EQ(model->index(1).data(tb::ui::ConversationModel::TextRole).toString().size(), 10 * 1024 * 1024 + 4);
}

TEST_F(MainWindowTest, BranchTreeShowsTheSessionsBranchesAndOpensAClickedTurn)
{
    tb::ui::MainWindow w(factory());
    w.resize(1200, 900);
    w.show();
    ASSERT_TRUE(w.openDatabase(db));
    auto* sessions = w.findChild<QTableView*>(u"sessionView"_s);
    auto* combo = w.findChild<QComboBox*>(u"branchCombo"_s);
    for (int s = 0; s < w.sessionModel()->rowCount() && combo->count() < 2; ++s)
        sessions->selectRow(s);
    ASSERT_GE(combo->count(), 2);
    auto* dock = w.findChild<QDockWidget*>(u"branchTreeDock"_s);
    ASSERT_NE(dock, nullptr);
    dock->show();
    QTest::qWait(50);
    tb::ui::BranchTreeView* tree = w.branchTree();
    ASSERT_GT(tree->nodeCount(), 2);
    const QString other = combo->itemData(1).toString();
    // Clicking a node of another branch shows that branch at that turn.
    QGraphicsItem* node = nullptr;
    qint64 turn = 1;
    for (; turn < 60 && !node; ++turn)
        node = tree->nodeItem(other, turn);
    ASSERT_NE(node, nullptr);
    --turn;
    tree->centerOn(node);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->mapFromScene(node->sceneBoundingRect().center()));
    QTest::qWait(20); // the window reacts on the next turn of the event loop
    EXPECT_EQ(w.conversationModel()->branchId(), other);
    EXPECT_EQ(w.findChild<QListView*>(u"conversationView"_s)->currentIndex().data(tb::ui::ConversationModel::TurnRole).toLongLong(), turn);
    dock->hide();
}

TEST(SessionPropertiesDialogTest, ReturnsWhatWasTyped)
{
    tb::core::SessionMeta meta;
    meta.title = u"Refund"_s;
    meta.tags = {u"vip"_s};
    tb::ui::SessionPropertiesDialog dialog(u"cust-1"_s, meta, false);
    auto* title = dialog.findChild<QLineEdit*>(u"titleEdit"_s);
    auto* tags = dialog.findChild<QLineEdit*>(u"tagsEdit"_s);
    title->clear();
    QTest::keyClicks(title, u"Broken blender"_s);
    tags->clear();
    QTest::keyClicks(tags, u"vip, refund , vip"_s);
    auto* status = dialog.findChild<QComboBox*>(u"statusCombo"_s);
    status->setCurrentIndex(3);
    const tb::core::SessionMeta out = dialog.meta();
    EXPECT_EQ(out.title, u"Broken blender"_s);
    EXPECT_EQ(out.tags, (QStringList{u"vip"_s, u"refund"_s}));
    EXPECT_EQ(out.reviewStatus, tb::core::ReviewStatus::Escalated);
}

} // namespace
