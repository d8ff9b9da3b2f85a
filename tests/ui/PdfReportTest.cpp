// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// The PDF usage report: pages and embedded chart images counted in the file's bytes, for a
// workspace-wide report of multi.db and for one session.
#include "ui/PdfReportWriter.h"

#include "TempDir.h"
#include "TestData.h"

#include "core/UsageReport.h"
#include "storage/SqliteSessionStore.h"

#include <QFile>
#include <QImage>
#include <QRegularExpression>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace {

struct PdfCounts
{
    qsizetype pages = 0;
    qsizetype images = 0;
    QByteArray bytes;
};

PdfCounts scan(const QString& path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    PdfCounts c;
    c.bytes = f.readAll();
    // Object dictionaries are plain text even when streams are compressed.
    c.pages = c.bytes.count("/Type /Page\n") + c.bytes.count("/Type /Page ") + c.bytes.count("/Type /Page/")
        + c.bytes.count("/Type /Page>");
    c.images = c.bytes.count("/Subtype /Image");
    return c;
}

tb::core::UsageReport build(const QString& db, const tb::core::UsageScope& scope)
{
    auto store = tb::storage::SqliteSessionStore::open(db, {true, false});
    EXPECT_TRUE(store.has_value());
    auto r = tb::core::UsageReportBuilder::build(**store, scope);
    EXPECT_TRUE(r.has_value());
    return r ? *r : tb::core::UsageReport{};
}

TEST(PdfReport, WholeFileReportHasItsPagesAndChartImages)
{
    tb::test::TempDir dir;
    const QString db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    tb::core::UsageScope scope;
    scope.pricing.defaultModel = u"gpt-4.1-mini"_s;
    const tb::core::UsageReport report = build(db, scope);
    ASSERT_GT(report.turns.size(), 100);

    const QList<tb::core::ReportImage> charts = tb::ui::PdfReportWriter::chartImages(report, {640, 320});
    // Days, cost by model, most expensive sessions, tools (one customer, many sessions).
    ASSERT_EQ(charts.size(), 4);
    for (const auto& c : charts) {
        const QImage image = QImage::fromData(c.png, "PNG");
        EXPECT_FALSE(image.isNull()) << c.title.toStdString();
        EXPECT_EQ(image.width(), 1280); // rendered at twice the laid-out size, for print
    }

    const QString path = dir.filePath(u"report.pdf"_s);
    QList<std::pair<qint64, qint64>> calls;
    auto pages = tb::ui::PdfReportWriter::write(report, path, [&](qint64 d, qint64 t) {
        calls << std::pair(d, t);
        return true;
    });
    ASSERT_TRUE(pages.has_value()) << pages.error().message.toStdString();
    const PdfCounts c = scan(path);
    EXPECT_TRUE(c.bytes.startsWith("%PDF-"));
    EXPECT_GE(*pages, 3); // 175 turns and 50 sessions do not fit on two A4 pages
    EXPECT_EQ(c.pages, *pages);
    EXPECT_GE(c.images, charts.size());
    ASSERT_GE(calls.size(), qsizetype(*pages) + 2);
    EXPECT_EQ(calls.back().first, calls.back().second);
}

TEST(PdfReport, OneSessionReportShowsItsTurnsAndBranches)
{
    tb::test::TempDir dir;
    const QString db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    tb::core::UsageScope scope;
    scope.sessionIds = {u"customer-1001"_s};
    scope.pricing.defaultModel = u"gpt-4.1-mini"_s;
    const tb::core::UsageReport all = build(db, scope);
    // Two branches: no per-turn chart (turns of two branches), but the branch chart.
    EXPECT_EQ(tb::ui::PdfReportWriter::chartImages(all).constFirst().title, u"Tokens per branch"_s);
    scope.branchId = u"main"_s;
    const tb::core::UsageReport main = build(db, scope);
    const QList<tb::core::ReportImage> charts = tb::ui::PdfReportWriter::chartImages(main, {640, 320});
    ASSERT_FALSE(charts.isEmpty());
    EXPECT_EQ(charts.constFirst().title, u"Tokens per turn"_s);

    const QString path = dir.filePath(u"session.pdf"_s);
    auto pages = tb::ui::PdfReportWriter::write(main, charts, path);
    ASSERT_TRUE(pages.has_value());
    const PdfCounts c = scan(path);
    EXPECT_EQ(c.pages, *pages);
    EXPECT_GE(c.images, charts.size());

    // Cancelling leaves an error, not a report.
    auto cancelled = tb::ui::PdfReportWriter::write(main, charts, dir.filePath(u"x.pdf"_s), [](qint64, qint64) { return false; });
    ASSERT_FALSE(cancelled.has_value());
    EXPECT_EQ(cancelled.error().code, tb::core::Error::Code::Cancelled);
}

TEST(PdfReport, EmptyReportHasNoCharts)
{
    tb::test::TempDir dir;
    const QString path = dir.filePath(u"empty.pdf"_s);
    EXPECT_TRUE(tb::ui::PdfReportWriter::chartImages(tb::core::UsageReport{}).isEmpty());
    auto pages = tb::ui::PdfReportWriter::write(tb::core::UsageReport{}, path);
    ASSERT_TRUE(pages.has_value());
    EXPECT_GE(*pages, 1);
    const PdfCounts c = scan(path);
    EXPECT_EQ(c.pages, *pages);
    EXPECT_EQ(c.images, 0);
}

} // namespace
