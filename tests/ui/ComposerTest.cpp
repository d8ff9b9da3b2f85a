// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// The composer through the window: send to the demo model and see the streamed answer stored,
// stop a slow run, get an error banner from a dead endpoint with the message kept, retry.
#include "TempDir.h"
#include "WorkbenchTestServices.h"

#include "app/DemoDatabase.h"
#include "app/StoreFactories.h"
#include "app/ModelEndpoints.h"
#include "net/DemoModelServer.h"
#include "net/EndpointProfiles.h"
#include "net/OpenAiClient.h"
#include "storage/SqliteAgentRepository.h"
#include "storage/SqliteSessionStore.h"
#include "storage/SqliteTaskList.h"
#include "ui/ComposerWidget.h"
#include "ui/ConversationModel.h"
#include "ui/MainWindow.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace {

tb::ui::MainWindow::StoreFactory factory()
{
    return tb::app::StoreFactories::open();
}

using tb::test::waitUntilIdle;

class ComposerTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        db = dir.filePath(u"demo.db"_s);
        tb::app::DemoDatabase::Options o;
        o.sessions = 6;
        ASSERT_TRUE(tb::app::DemoDatabase::generate(db, o).has_value());
        nam.setProxy(QNetworkProxy::NoProxy);
    }

    // Services whose client goes to `url` (or to the app's demo endpoints when empty).
    tb::ui::WorkbenchServices services(const QUrl& url = {}) { return tb::test::workbenchServices(endpoints, nam, url); }

    qint64 storedItems(tb::ui::MainWindow& w)
    {
        auto s = tb::storage::SqliteSessionStore::open(db, {true, false});
        auto session = (*s)->openSession(w.currentSessionId(), {});
        return *(*session)->branchItemCount(u"main"_s);
    }

    tb::test::TempDir dir;
    QString db;
    tb::app::ModelEndpoints endpoints;
    QNetworkAccessManager nam;
};

TEST_F(ComposerTest, SendsToTheDemoModelAndShowsTheStoredAnswer)
{
    tb::ui::MainWindow w(factory());
    w.resize(1200, 800);
    w.show();
    w.setServices(services());
    ASSERT_TRUE(w.openDatabase(db));
    const qint64 before = storedItems(w);
    auto* edit = w.findChild<QPlainTextEdit*>(u"messageEdit"_s);
    auto* send = w.findChild<QPushButton*>(u"sendButton"_s);
    ASSERT_NE(edit, nullptr);
    EXPECT_FALSE(send->isEnabled()); // nothing typed yet
    edit->setFocus();
    QTest::keyClicks(edit, u"Where is my order ORD-123?"_s);
    EXPECT_TRUE(send->isEnabled());
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    EXPECT_TRUE(w.isRunning());
    ASSERT_TRUE(waitUntilIdle(w));
    EXPECT_FALSE(w.composer()->hasError()) << w.composer()->errorText().toStdString();
    // User item, tool call, tool output, answer: stored and shown.
    EXPECT_EQ(storedItems(w), before + 4);
    auto* model = w.conversationModel();
    const QModelIndex last = model->index(model->rowCount() - 1);
    EXPECT_EQ(last.data(tb::ui::ConversationModel::RoleNameRole).toString(), u"assistant"_s);
    EXPECT_TRUE(last.data(tb::ui::ConversationModel::TextRole).toString().contains(u"Order shipped on Dec 15"_s));
    EXPECT_TRUE(edit->toPlainText().isEmpty()); // sent messages leave the box
}

TEST_F(ComposerTest, StopCancelsASlowRun)
{
    tb::net::DemoModelServer slow;
    ASSERT_TRUE(slow.listen());
    slow.setEventDelay(std::chrono::milliseconds(200));
    tb::ui::MainWindow w(factory());
    w.show();
    w.setServices(services(slow.baseUrl()));
    ASSERT_TRUE(w.openDatabase(db));
    ASSERT_TRUE(w.sendMessage(u"Tell me about refunds please"_s));
    QTest::qWait(300);
    ASSERT_TRUE(w.isRunning());
    QTest::mouseClick(w.findChild<QPushButton*>(u"stopButton"_s), Qt::LeftButton);
    ASSERT_TRUE(waitUntilIdle(w, 3000));
    EXPECT_TRUE(w.composer()->hasError());
    EXPECT_TRUE(w.composer()->errorText().contains(u"stopped"_s)) << w.composer()->errorText().toStdString();
}

TEST_F(ComposerTest, ADeadEndpointShowsABannerKeepsTheMessageAndRetryDoesNotDuplicate)
{
    tb::ui::MainWindow w(factory());
    w.show();
    w.setServices(services(QUrl(u"http://127.0.0.1:9/v1"_s)));
    ASSERT_TRUE(w.openDatabase(db));
    const qint64 before = storedItems(w);
    w.composer()->setMessage(u"Hello?"_s);
    ASSERT_TRUE(w.sendMessage(u"Hello?"_s));
    ASSERT_TRUE(waitUntilIdle(w));
    EXPECT_TRUE(w.composer()->hasError());
    EXPECT_TRUE(w.composer()->errorText().startsWith(u"The run failed"_s)) << w.composer()->errorText().toStdString();
    EXPECT_EQ(w.composer()->message(), u"Hello?"_s);
    // As with the SDK's Runner, the input was stored before the model was called ...
    EXPECT_EQ(storedItems(w), before + 1);
    // ... and Retry takes that unanswered copy back before sending again.
    QTest::mouseClick(w.findChild<QPushButton*>(u"retryButton"_s), Qt::LeftButton);
    ASSERT_TRUE(waitUntilIdle(w));
    EXPECT_EQ(storedItems(w), before + 1);
    // No error text ever lands in the conversation.
    auto* model = w.conversationModel();
    for (int r = 0; r < model->rowCount(); ++r)
        EXPECT_FALSE(model->index(r).data(tb::ui::ConversationModel::TextRole).toString().contains(u"run failed"_s));
}

TEST_F(ComposerTest, BranchesFromATurnAndAsksTheWhatIfQuestionThere)
{
    tb::ui::MainWindow w(factory());
    w.show();
    w.setServices(services());
    ASSERT_TRUE(w.openDatabase(db));
    const QString session = w.currentSessionId();
    auto store = tb::storage::SqliteSessionStore::open(db, {true, false});
    auto before = (*store)->openSession(session, {});
    const auto turnsBefore = (*before)->getConversationTurns(u"main"_s);
    ASSERT_GE(turnsBefore->size(), 2);
    const qint64 mainItems = *(*before)->branchItemCount(u"main"_s);

    ASSERT_TRUE(w.branchFromTurn(2, u"what-if-test"_s));
    EXPECT_EQ(w.conversationModel()->branchId(), u"what-if-test"_s);
    ASSERT_TRUE(w.sendMessage(u"What if I had asked about ORD-123 instead?"_s));
    ASSERT_TRUE(waitUntilIdle(w));
    EXPECT_FALSE(w.composer()->hasError()) << w.composer()->errorText().toStdString();

    // The SDK sees: main untouched, the branch = turn 1 + the what-if turn (as turn 2).
    auto after = (*store)->openSession(session, {});
    EXPECT_EQ(*(*after)->branchItemCount(u"main"_s), mainItems);
    const auto branchTurns = (*after)->getConversationTurns(u"what-if-test"_s);
    ASSERT_EQ(branchTurns->size(), 2);
    EXPECT_EQ(*branchTurns->at(1).turn, 2);
    EXPECT_EQ(branchTurns->at(1).fullContent.toString(), u"What if I had asked about ORD-123 instead?"_s);
    // Lineage is recorded beside the SDK tables.
    const auto meta = (*store)->branchMeta(session);
    ASSERT_TRUE(meta.has_value());
    const auto ours = std::find_if(meta->cbegin(), meta->cend(), [](const auto& m) { return m.branchId == u"what-if-test"_s; });
    ASSERT_NE(ours, meta->cend());
    EXPECT_EQ(ours->parentBranch.value_or(QString()), u"main"_s);
    EXPECT_EQ(ours->forkTurn.value_or(0), 2);
}

TEST_F(ComposerTest, ReadOnlyFileCannotBeContinued)
{
    tb::ui::MainWindow w(factory());
    w.show();
    w.setServices(services());
    ASSERT_TRUE(w.openDatabase(db, true));
    EXPECT_FALSE(w.findChild<QPlainTextEdit*>(u"messageEdit"_s)->isEnabled());
    EXPECT_FALSE(w.sendMessage(u"hi"_s));
}

} // namespace
