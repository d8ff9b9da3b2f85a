// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// UsageDashboard on the SDK's multi.db (with some customers and review statuses set): the report's
// numbers in the charts and the table, clicks that open a session or narrow the table, and a
// refresh that keeps the event loop running and can be cancelled.
#include "TempDir.h"
#include "TestData.h"

#include "storage/SqliteSessionStore.h"
#include "ui/MainWindow.h"
#include "ui/UsageCharts.h"
#include "ui/UsageDashboard.h"
#include "ui/UsageSessionModel.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QAbstractItemModelTester>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using tb::ui::UsageCharts;
using tb::ui::UsageDashboard;
using tb::ui::UsageSessionModel;

namespace {

QAbstractBarSeries* barsOf(QChart* chart)
{
    const QList<QAbstractSeries*> all = chart ? chart->series() : QList<QAbstractSeries*>{};
    for (QAbstractSeries* s : all) {
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(s))
            return bars;
    }
    return nullptr;
}

class UsageDashboardTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
        ASSERT_FALSE(db.isEmpty());
        auto opened = tb::storage::SqliteSessionStore::open(db, {});
        ASSERT_TRUE(opened.has_value()) << qPrintable(opened.error().message);
        store = std::move(*opened);
        setMeta(u"customer-1001"_s, u"ACME"_s, tb::core::ReviewStatus::Escalated);
        setMeta(u"customer-1002"_s, u"ACME"_s, tb::core::ReviewStatus::InReview);
        setMeta(u"customer-1003"_s, u"Globex"_s, tb::core::ReviewStatus::Resolved);
        tb::core::UsagePricing pricing;
        pricing.defaultModel = u"gpt-4.1-mini"_s;
        dashboard.setPricing(pricing);
        dashboard.resize(1100, 800);
        dashboard.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&dashboard));
    }

    void setMeta(const QString& id, const QString& customer, tb::core::ReviewStatus status)
    {
        tb::core::SessionMeta meta;
        meta.title = u"Ticket of "_s + id;
        meta.customer = customer;
        meta.reviewStatus = status;
        ASSERT_TRUE(store->setSessionMeta(id, meta).has_value());
    }

    QPoint barCentre(UsageDashboard::Chart which, int bar)
    {
        QChartView* view = dashboard.chartView(which);
        QChart* chart = view->chart();
        QAbstractBarSeries* series = barsOf(chart);
        const double value = series->barSets().first()->at(bar);
        // Horizontal bars: x is the value, y the category.
        const bool horizontal = series->type() == QAbstractSeries::SeriesTypeHorizontalBar;
        const QPointF point = horizontal ? QPointF(value / 2, bar) : QPointF(bar, value / 2);
        return view->mapFromScene(chart->mapToScene(chart->mapToPosition(point, series)));
    }

    tb::test::TempDir dir;
    QString db;
    std::unique_ptr<tb::storage::SqliteSessionStore> store;
    UsageDashboard dashboard;
};

TEST_F(UsageDashboardTest, ShowsTheWholeFile)
{
    EXPECT_FALSE(dashboard.emptyText().isEmpty());
    dashboard.setStore(store.get());
    ASSERT_TRUE(dashboard.refresh());
    EXPECT_TRUE(dashboard.emptyText().isEmpty());
    const tb::core::UsageReport& report = dashboard.report();
    ASSERT_EQ(report.sessions.size(), 50);
    EXPECT_EQ(dashboard.sessionModel()->rowCount(), 50);
    EXPECT_TRUE(dashboard.totalsText().startsWith(u"50 sessions, "_s)) << qPrintable(dashboard.totalsText());

    // The days chart holds every token of the file; the top chart the most expensive sessions.
    QAbstractBarSeries* days = barsOf(dashboard.chart(UsageDashboard::Chart::Days));
    ASSERT_NE(days, nullptr);
    double sum = 0;
    for (int i = 0; i < days->barSets().first()->count(); ++i)
        sum += days->barSets().first()->at(i);
    EXPECT_DOUBLE_EQ(sum, double(report.totals.totalTokens));
    const QStringList top = UsageCharts::barKeys(dashboard.chart(UsageDashboard::Chart::TopSessions));
    ASSERT_EQ(top.size(), 12);
    EXPECT_EQ(top.last(), report.topSessions.first().key); // the dearest bar is on top

    // The table starts with the dearest session.
    EXPECT_EQ(dashboard.sessionModel()->index(0, UsageSessionModel::SessionColumn).data().toString(),
              report.topSessions.first().key);
    EXPECT_EQ(UsageCharts::barKeys(dashboard.chart(UsageDashboard::Chart::Customers)).size(), 3); // ACME, Globex, none
}

TEST_F(UsageDashboardTest, ClickingATopSessionBarOpensIt)
{
    dashboard.setStore(store.get());
    ASSERT_TRUE(dashboard.refresh());
    QSignalSpy spy(&dashboard, &UsageDashboard::sessionActivated);
    const QStringList keys = UsageCharts::barKeys(dashboard.chart(UsageDashboard::Chart::TopSessions));
    const int bar = int(keys.size()) - 1;
    QTest::mouseClick(dashboard.chartView(UsageDashboard::Chart::TopSessions)->viewport(), Qt::LeftButton, {},
                      barCentre(UsageDashboard::Chart::TopSessions, bar));
    ASSERT_EQ(spy.count(), 1);
    EXPECT_EQ(spy.at(0).at(0).toString(), keys.at(bar));
}

TEST_F(UsageDashboardTest, DoubleClickingATableRowOpensTheSession)
{
    dashboard.setStore(store.get());
    ASSERT_TRUE(dashboard.refresh());
    QSignalSpy spy(&dashboard, &UsageDashboard::sessionActivated);
    QTableView* view = dashboard.sessionView();
    const QModelIndex index = view->model()->index(2, UsageSessionModel::TokensColumn);
    const QString id = view->model()->index(2, UsageSessionModel::SessionColumn).data().toString();
    const QPoint pos = view->visualRect(index).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, pos);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, pos);
    ASSERT_GE(spy.count(), 1);
    EXPECT_EQ(spy.last().at(0).toString(), id);
}

TEST_F(UsageDashboardTest, CustomerStatusAndDayBarsNarrowTheTable)
{
    dashboard.setStore(store.get());
    ASSERT_TRUE(dashboard.refresh());
    const QStringList customers = UsageCharts::barKeys(dashboard.chart(UsageDashboard::Chart::Customers));
    const int acme = int(customers.indexOf(u"ACME"_s));
    ASSERT_GE(acme, 0);
    QTest::mouseClick(dashboard.chartView(UsageDashboard::Chart::Customers)->viewport(), Qt::LeftButton, {},
                      barCentre(UsageDashboard::Chart::Customers, acme));
    EXPECT_EQ(dashboard.filterText(), u"Sessions of customer ACME"_s);
    ASSERT_EQ(dashboard.sessionModel()->rowCount(), 2);
    QStringList ids;
    for (int r = 0; r < 2; ++r)
        ids << dashboard.sessionModel()->index(r, UsageSessionModel::SessionColumn).data().toString();
    ids.sort();
    EXPECT_EQ(ids, (QStringList{u"customer-1001"_s, u"customer-1002"_s}));

    dashboard.showReviewStatus(u"escalated"_s);
    ASSERT_EQ(dashboard.sessionModel()->rowCount(), 1);
    EXPECT_EQ(dashboard.sessionModel()->index(0, UsageSessionModel::SessionColumn).data().toString(), u"customer-1001"_s);

    dashboard.showAllSessions();
    EXPECT_EQ(dashboard.sessionModel()->rowCount(), 50);
    EXPECT_TRUE(dashboard.filterText().isEmpty());

    // A day bar: the sessions with turns on that day.
    const QStringList days = UsageCharts::barKeys(dashboard.chart(UsageDashboard::Chart::Days));
    ASSERT_FALSE(days.isEmpty());
    QTest::mouseClick(dashboard.chartView(UsageDashboard::Chart::Days)->viewport(), Qt::LeftButton, {},
                      barCentre(UsageDashboard::Chart::Days, 0));
    EXPECT_TRUE(dashboard.filterText().startsWith(u"Sessions with turns "_s)) << qPrintable(dashboard.filterText());
    QSet<QString> expected;
    const QDate first = QDate::fromString(days.first(), Qt::ISODate);
    const QDate last = days.size() > 1 ? QDate::fromString(days.at(1), Qt::ISODate).addDays(-1) : dashboard.report().days.last().day;
    for (const tb::core::TurnTokens& t : dashboard.report().turns) {
        if (t.day >= first && t.day <= last)
            expected.insert(t.sessionId);
    }
    EXPECT_EQ(dashboard.sessionModel()->rowCount(), expected.size());
}

TEST_F(UsageDashboardTest, RefreshKeepsTheEventLoopRunningAndCanBeCancelled)
{
    int calls = 0;
    int eventsSeen = 0;
    dashboard.setBuilder([&](const tb::core::UsageScope&, const tb::core::ReportProgress& progress) -> tb::core::Result<tb::core::UsageReport> {
        for (qint64 i = 0; i < 1000; ++i) {
            // Something queued for the event loop before each slice ends ...
            QMetaObject::invokeMethod(&dashboard, [&eventsSeen] { ++eventsSeen; }, Qt::QueuedConnection);
            if (i == 3) {
                auto* dialog = dashboard.findChild<QProgressDialog*>(u"dashboardProgress"_s);
                EXPECT_NE(dialog, nullptr);
                if (dialog)
                    QMetaObject::invokeMethod(dialog->findChild<QPushButton*>(), "click", Qt::QueuedConnection);
            }
            ++calls;
            if (!progress(i, 1000))
                return tb::core::Error::make(tb::core::Error::Code::Cancelled, u"cancelled"_s);
            // ... has run by the time progress() returns: the window never freezes.
            EXPECT_EQ(eventsSeen, i + 1);
        }
        return tb::core::UsageReport{};
    });
    EXPECT_FALSE(dashboard.refresh());
    EXPECT_EQ(calls, 4);
    EXPECT_FALSE(dashboard.isRefreshing());
    EXPECT_EQ(dashboard.totalsText(), u"Refresh cancelled; the figures shown are from before."_s);
}

TEST_F(UsageDashboardTest, EmptyAndFailedReportsSayWhy)
{
    dashboard.setBuilder([](const tb::core::UsageScope&, const tb::core::ReportProgress&) -> tb::core::Result<tb::core::UsageReport> {
        tb::core::UsageReport empty;
        empty.source = u"/data/empty.db"_s;
        return empty;
    });
    EXPECT_TRUE(dashboard.refresh());
    EXPECT_EQ(dashboard.emptyText(), u"No usage recorded in /data/empty.db."_s);
    EXPECT_EQ(dashboard.chart(UsageDashboard::Chart::Days), nullptr);

    dashboard.setBuilder([](const tb::core::UsageScope&, const tb::core::ReportProgress&) -> tb::core::Result<tb::core::UsageReport> {
        return tb::core::Error::storage(u"database is locked"_s);
    });
    EXPECT_FALSE(dashboard.refresh());
    EXPECT_EQ(dashboard.emptyText(), u"The usage could not be read: database is locked"_s);
}

TEST_F(UsageDashboardTest, PeriodLimitsTheReport)
{
    tb::core::UsageScope seen;
    dashboard.setBuilder([&](const tb::core::UsageScope& scope, const tb::core::ReportProgress&) -> tb::core::Result<tb::core::UsageReport> {
        seen = scope;
        return tb::core::UsageReport{};
    });
    dashboard.setRange(QDate(2026, 1, 1), QDate(2026, 1, 31));
    dashboard.refresh();
    EXPECT_EQ(seen.from, QDate(2026, 1, 1));
    EXPECT_EQ(seen.to, QDate(2026, 1, 31));
    EXPECT_EQ(seen.pricing.defaultModel, u"gpt-4.1-mini"_s);
    EXPECT_TRUE(seen.sessionIds.isEmpty());
    EXPECT_EQ(dashboard.emptyText(), u"No usage recorded in this period."_s);
}

} // namespace

namespace {

tb::core::SessionTokens sessionTokens(const QString& id, const QString& customer, qint64 tokens, std::optional<double> cost)
{
    tb::core::SessionTokens s;
    s.sessionId = id;
    s.title = u"Title "_s + id;
    s.customer = customer;
    s.turns = tokens / 100;
    s.totalTokens = tokens;
    s.cost = cost;
    return s;
}

TEST(UsageSessionModel, FiltersAndSortsWithoutLosingTheCurrentRow)
{
    UsageSessionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSessions({sessionTokens(u"a"_s, u"ACME"_s, 500, 0.5), sessionTokens(u"b"_s, u"Globex"_s, 900, std::nullopt),
                       sessionTokens(u"c"_s, u"ACME"_s, 100, 0.9)},
                      u"gpt-5-mini"_s);
    // Dearest first by default; an unpriced session sorts below every priced one.
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.sessionId(0), u"c"_s);
    EXPECT_EQ(model.sessionId(2), u"b"_s);
    EXPECT_EQ(model.headerData(UsageSessionModel::WhatIfColumn, Qt::Horizontal).toString(), u"On gpt-5-mini"_s);
    EXPECT_EQ(model.index(0, UsageSessionModel::CostColumn).data().toString(), u"$0.9000"_s);
    EXPECT_EQ(model.index(0, UsageSessionModel::SessionColumn).data(UsageSessionModel::SessionIdRole).toString(), u"c"_s);

    const QPersistentModelIndex a(model.index(1, UsageSessionModel::TitleColumn));
    model.sort(UsageSessionModel::TokensColumn, Qt::DescendingOrder);
    EXPECT_EQ(model.sessionId(0), u"b"_s);
    EXPECT_EQ(a.row(), 1);
    model.sort(UsageSessionModel::TokensColumn, Qt::AscendingOrder);
    EXPECT_EQ(model.sessionId(0), u"c"_s);
    EXPECT_EQ(a.data().toString(), u"Title a"_s);

    model.setFilter([](const tb::core::SessionTokens& s) { return s.customer == u"ACME"_s; });
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.sessionId(0), u"c"_s); // still in token order
    EXPECT_EQ(model.sessionId(1), u"a"_s);
    model.setFilter({});
    EXPECT_EQ(model.rowCount(), 3);
}

} // namespace

// --- README pictures -------------------------------------------------------------------------------

#include "app/DemoDatabase.h"
#include "ui/UsageChartsDock.h"

#include <QApplication>
#include <QStyleFactory>

namespace {

// The window's own palettes, so the pictures look like the application.
void usePalette(bool dark)
{
    tb::ui::MainWindow::applyPalette(dark);
}

// Not a check: TB_SCREENSHOT_DIR=docs/screenshots writes charts-light.png (the charts dock on the
// demo session with the most turns) and dashboard-dark.png (the dashboard of the demo database).
// The demo model is free, so both price the usage as if it had run on gpt-4.1-mini.
TEST(UsageScreenshots, ChartsAndDashboard)
{
    // Writes the README pictures into TB_SCREENSHOT_DIR when set; otherwise into a temporary
    // folder, so the rendering and saving are exercised on every run.
    tb::test::TempDir screenshotTemp;
    const QString out = qEnvironmentVariable("TB_SCREENSHOT_DIR").isEmpty() ? screenshotTemp.path()
                                                                      : qEnvironmentVariable("TB_SCREENSHOT_DIR");
    tb::test::TempDir dir;
    const QString db = dir.filePath(u"demo.db"_s);
    ASSERT_TRUE(tb::app::DemoDatabase::generate(db).has_value());
    auto opened = tb::storage::SqliteSessionStore::open(db, {true, false});
    ASSERT_TRUE(opened.has_value());
    std::unique_ptr<tb::storage::SqliteSessionStore> store = std::move(*opened);
    tb::core::SessionQuery query;
    query.sort = tb::core::SessionSortKey::Turns;
    query.limit = 1;
    auto busiest = store->listSessions(query);
    ASSERT_TRUE(busiest.has_value() && !busiest->isEmpty());

    tb::core::UsagePricing pricing;
    pricing.overrideModel = u"gpt-4.1-mini"_s;

    usePalette(false);
    {
        tb::ui::UsageChartsDock dock;
        dock.setPricing(pricing);
        dock.setWhatIfModel(u"gpt-5-mini"_s);
        dock.resize(980, 560);
        dock.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&dock));
        ASSERT_TRUE(dock.showSession(store.get(), busiest->first().sessionId, nullptr, u"main"_s).has_value());
        QCoreApplication::processEvents();
        EXPECT_TRUE(dock.grab().save(out + u"/charts-light.png"_s));
    }
    usePalette(true);
    {
        UsageDashboard dashboard;
        dashboard.setPricing(pricing);
        dashboard.setStore(store.get());
        dashboard.resize(1280, 860);
        dashboard.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&dashboard));
        ASSERT_TRUE(dashboard.refresh());
        QCoreApplication::processEvents();
        EXPECT_TRUE(dashboard.grab().save(out + u"/dashboard-dark.png"_s));
    }
    usePalette(false);
}

} // namespace
