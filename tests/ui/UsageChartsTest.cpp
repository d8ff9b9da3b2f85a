// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// UsageCharts builders on hand-made series: what each bar holds, that totals equal the input,
// long series summed into ranges, the most expensive turn, hover texts, clicks, PNG/SVG export.
#include "TempDir.h"

#include "ui/UsageCharts.h"

#include <QAbstractBarSeries>
#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QImageReader>
#include <QLocale>
#include <QLineSeries>
#include <QPalette>
#include <QScatterSeries>
#include <QTest>
#include <QToolTip>
#include <QValueAxis>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::StringLiterals;
using tb::core::BranchTokens;
using tb::core::ContextPoint;
using tb::core::DayTotals;
using tb::core::GroupTotals;
using tb::core::ToolCalls;
using tb::core::TurnTokens;
using tb::ui::UsageCharts;

namespace {

// Numbers as the charts print them (the test machine's locale decides the digit grouping).
QString n(qint64 v)
{
    return QLocale().toString(v);
}

TurnTokens turn(qint64 n, qint64 input, qint64 cached, qint64 output, qint64 reasoning, std::optional<double> cost = {})
{
    TurnTokens t;
    t.sessionId = u"s"_s;
    t.branchId = u"main"_s;
    t.turn = n;
    t.requests = 1;
    t.inputTokens = input;
    t.cachedTokens = cached;
    t.outputTokens = output;
    t.reasoningTokens = reasoning;
    t.totalTokens = input + output;
    t.cost = cost;
    t.model = u"gpt-4.1"_s;
    t.modelSource = u"request"_s;
    return t;
}

template <typename T>
T* seriesOf(QChart* chart)
{
    const QList<QAbstractSeries*> all = chart->series();
    for (QAbstractSeries* s : all) {
        if (auto* typed = qobject_cast<T*>(s))
            return typed;
    }
    return nullptr;
}

QLineSeries* lineNamed(QChart* chart, const QString& prefix)
{
    const QList<QAbstractSeries*> all = chart->series();
    for (QAbstractSeries* s : all) {
        auto* line = qobject_cast<QLineSeries*>(s);
        if (line && !qobject_cast<QScatterSeries*>(s) && s->name().startsWith(prefix))
            return line;
    }
    return nullptr;
}

double setSum(const QBarSet* set)
{
    double sum = 0;
    for (int i = 0; i < set->count(); ++i)
        sum += set->at(i);
    return sum;
}

QStringList categoriesOf(QChart* chart, Qt::Orientation orientation)
{
    const QList<QAbstractAxis*> axes = chart->axes(orientation);
    for (QAbstractAxis* a : axes) {
        if (auto* c = qobject_cast<QBarCategoryAxis*>(a))
            return c->categories();
    }
    return {};
}

// Hover texts go to QToolTip; offscreen it still keeps the text while shown.
QString hoverBar(QAbstractBarSeries* series, int index)
{
    QToolTip::hideText();
    Q_EMIT series->hovered(true, index, series->barSets().first());
    return QToolTip::text();
}

TEST(UsageCharts, TurnBarsHoldTheFourPartsAndSumToTheInput)
{
    const QList<TurnTokens> turns{turn(1, 1000, 200, 300, 0, 0.002), turn(2, 2500, 2000, 800, 500, 0.004),
                                  turn(3, 4000, 0, 100, 0, 0.009), turn(4, 500, 0, 50, 10, 0.001)};
    std::unique_ptr<QChart> chart(UsageCharts::turns(turns));
    auto* stack = seriesOf<QAbstractBarSeries>(chart.get());
    ASSERT_NE(stack, nullptr);
    const QList<QBarSet*> sets = stack->barSets();
    ASSERT_EQ(sets.size(), 4);
    EXPECT_EQ(sets.at(0)->label(), UsageCharts::uncachedInputName());
    EXPECT_EQ(sets.at(1)->label(), UsageCharts::cachedInputName());
    EXPECT_EQ(sets.at(2)->label(), UsageCharts::outputName());
    EXPECT_EQ(sets.at(3)->label(), UsageCharts::reasoningName());
    for (QBarSet* s : sets)
        EXPECT_EQ(s->count(), 4);
    // Turn 2: 500 uncached + 2000 cached input, 300 plain + 500 reasoning output.
    EXPECT_DOUBLE_EQ(sets.at(0)->at(1), 500);
    EXPECT_DOUBLE_EQ(sets.at(1)->at(1), 2000);
    EXPECT_DOUBLE_EQ(sets.at(2)->at(1), 300);
    EXPECT_DOUBLE_EQ(sets.at(3)->at(1), 500);

    qint64 input = 0;
    qint64 output = 0;
    for (const TurnTokens& t : turns) {
        input += t.inputTokens;
        output += t.outputTokens;
    }
    EXPECT_DOUBLE_EQ(setSum(sets.at(0)) + setSum(sets.at(1)), double(input));
    EXPECT_DOUBLE_EQ(setSum(sets.at(2)) + setSum(sets.at(3)), double(output));

    QLineSeries* cumulative = lineNamed(chart.get(), u"Cumulative"_s);
    ASSERT_NE(cumulative, nullptr);
    ASSERT_EQ(cumulative->count(), 4);
    EXPECT_DOUBLE_EQ(cumulative->at(3).y(), double(input + output));
    EXPECT_EQ(UsageCharts::barTurns(chart.get()), (QList<qint64>{1, 2, 3, 4}));
    EXPECT_EQ(categoriesOf(chart.get(), Qt::Horizontal), (QStringList{u"1"_s, u"2"_s, u"3"_s, u"4"_s}));
}

TEST(UsageCharts, MostExpensiveTurnByCostElseByTokens)
{
    // Turn 3 costs most although turn 2 has more tokens (cheap cached input).
    std::unique_ptr<QChart> chart(UsageCharts::turns(
        {turn(1, 1000, 0, 10, 0, 0.002), turn(2, 9000, 9000, 10, 0, 0.001), turn(3, 4000, 0, 100, 0, 0.009)}));
    EXPECT_EQ(UsageCharts::mostExpensiveTurn(chart.get()), 3);
    auto* star = seriesOf<QScatterSeries>(chart.get());
    ASSERT_NE(star, nullptr);
    ASSERT_EQ(star->count(), 1);
    EXPECT_DOUBLE_EQ(star->at(0).x(), 2.0); // third bar
    EXPECT_DOUBLE_EQ(star->at(0).y(), 4100.0);
    EXPECT_TRUE(star->name().contains(u"turn 3"_s)) << qPrintable(star->name());
    EXPECT_TRUE(star->name().contains(u"$0.0090"_s)) << qPrintable(star->name());

    std::unique_ptr<QChart> unpriced(
        UsageCharts::turns({turn(1, 1000, 0, 10, 0), turn(2, 9000, 9000, 10, 0), turn(3, 4000, 0, 100, 0)}));
    EXPECT_EQ(UsageCharts::mostExpensiveTurn(unpriced.get()), 2);
}

TEST(UsageCharts, ThousandTurnsAreSummedIntoRangesWithTheSameTotals)
{
    QList<TurnTokens> turns;
    qint64 total = 0;
    for (qint64 n = 1; n <= 1000; ++n) {
        turns << turn(n, 100 + n, n % 7, 20 + n % 13, n % 3, 0.0001 * double(n));
        total += 100 + n + 20 + n % 13;
    }
    std::unique_ptr<QChart> chart(UsageCharts::turns(turns));
    auto* stack = seriesOf<QAbstractBarSeries>(chart.get());
    ASSERT_NE(stack, nullptr);
    const int bars = stack->barSets().first()->count();
    EXPECT_LE(bars, UsageCharts::kMaxBars);
    EXPECT_GE(bars, UsageCharts::kMaxBars / 2);
    double sum = 0;
    for (QBarSet* s : stack->barSets())
        sum += setSum(s);
    EXPECT_DOUBLE_EQ(sum, double(total));
    const QList<qint64> firsts = UsageCharts::barTurns(chart.get());
    ASSERT_EQ(firsts.size(), bars);
    EXPECT_EQ(firsts.first(), 1);
    EXPECT_EQ(firsts.at(1), 1 + (1000 + UsageCharts::kMaxBars - 1) / UsageCharts::kMaxBars);
    EXPECT_EQ(UsageCharts::mostExpensiveTurn(chart.get()), 1000);
    const QStringList labels = categoriesOf(chart.get(), Qt::Horizontal);
    ASSERT_EQ(labels.size(), bars);
    EXPECT_EQ(labels.first(), u"1–17"_s);
}

TEST(UsageCharts, HoverShowsExactNumbers)
{
    std::unique_ptr<QChart> chart(
        UsageCharts::turns({turn(1, 1000, 0, 10, 0, 0.002), turn(2, 12345, 2000, 678, 90, 0.0123)}));
    auto* stack = seriesOf<QAbstractBarSeries>(chart.get());
    ASSERT_NE(stack, nullptr);
    const QString tip = hoverBar(stack, 1);
    EXPECT_TRUE(tip.startsWith(u"Turn 2, 1 request\n"_s)) << qPrintable(tip);
    EXPECT_TRUE(tip.contains(u"Input: "_s + n(12345) + u" (cached "_s + n(2000) + u")"_s)) << qPrintable(tip);
    EXPECT_TRUE(tip.contains(u"Output: 678 (reasoning 90)"_s)) << qPrintable(tip);
    EXPECT_TRUE(tip.contains(u"Total: "_s + n(13023))) << qPrintable(tip);
    EXPECT_TRUE(tip.contains(u"Cost: $0.0123 on gpt-4.1 (request)"_s)) << qPrintable(tip);

    QLineSeries* cumulative = lineNamed(chart.get(), u"Cumulative"_s);
    ASSERT_NE(cumulative, nullptr);
    QToolTip::hideText();
    Q_EMIT cumulative->hovered(QPointF(0.9, 5000), true);
    EXPECT_TRUE(QToolTip::text().contains(u"Up to turn 2: "_s + n(14033) + u" tokens"_s)) << qPrintable(QToolTip::text());
    EXPECT_TRUE(QToolTip::text().contains(u"$0.0143"_s)) << qPrintable(QToolTip::text());
    QToolTip::hideText();
}

TEST(UsageCharts, BranchesSideBySideWithKeysAndClicks)
{
    BranchTokens main;
    main.branchId = u"main"_s;
    main.turns = 4;
    main.inputTokens = 4000;
    main.cachedTokens = 1000;
    main.outputTokens = 400;
    main.totalTokens = 4400;
    main.cost = 0.01;
    BranchTokens alt = main;
    alt.branchId = u"alt_1"_s;
    alt.label = u"Polite refusal"_s;
    alt.forkTurn = 3;
    alt.turns = 2;
    alt.inputTokens = 1500;
    alt.cachedTokens = 0;
    alt.outputTokens = 100;
    alt.reasoningTokens = 40;
    alt.totalTokens = 1600;
    alt.cost.reset();
    std::unique_ptr<QChart> chart(UsageCharts::branches({main, alt}));
    EXPECT_EQ(UsageCharts::barKeys(chart.get()), (QStringList{u"main"_s, u"alt_1"_s}));
    EXPECT_EQ(categoriesOf(chart.get(), Qt::Horizontal), (QStringList{u"main"_s, u"Polite refusal (from turn 3)"_s}));
    auto* stack = seriesOf<QAbstractBarSeries>(chart.get());
    ASSERT_NE(stack, nullptr);
    double sum = 0;
    for (QBarSet* s : stack->barSets())
        sum += s->at(1);
    EXPECT_DOUBLE_EQ(sum, 1600);
    const QString tip = hoverBar(stack, 1);
    EXPECT_TRUE(tip.startsWith(u"Polite refusal (alt_1)\nFrom turn 3: 2 turns"_s)) << qPrintable(tip);
    EXPECT_TRUE(tip.endsWith(u"Total: "_s + n(1600) + u"\nCost: –"_s)) << qPrintable(tip);

    QList<int> clicked;
    QObject context;
    UsageCharts::onBarClicked(chart.get(), &context, [&clicked](int i) { clicked << i; });
    Q_EMIT stack->clicked(1, stack->barSets().at(2));
    EXPECT_EQ(clicked, QList<int>{1});
}

TEST(UsageCharts, ToolsPerTurnStackByToolWithOtherAndTotals)
{
    QList<ToolCalls> calls;
    // ten tools; tool_0 called most
    for (int tool = 0; tool < 10; ++tool)
        for (qint64 t = 1; t <= 3; ++t)
            calls << ToolCalls{u"tool_%1"_s.arg(tool), t, 10 - tool, {}, {}};
    std::unique_ptr<QChart> chart(UsageCharts::toolsPerTurn(calls));
    auto* stack = seriesOf<QAbstractBarSeries>(chart.get());
    ASSERT_NE(stack, nullptr);
    ASSERT_EQ(stack->barSets().size(), UsageCharts::kMaxTools);
    EXPECT_EQ(stack->barSets().first()->label(), u"tool_0"_s);
    EXPECT_EQ(stack->barSets().last()->label(), u"Other"_s);
    // Other holds tools 7, 8 and 9: 3 + 2 + 1 calls per turn.
    EXPECT_DOUBLE_EQ(stack->barSets().last()->at(0), 6);
    double sum = 0;
    for (QBarSet* s : stack->barSets())
        sum += setSum(s);
    EXPECT_DOUBLE_EQ(sum, 3 * (10 + 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 + 1));
    EXPECT_EQ(UsageCharts::barTurns(chart.get()), (QList<qint64>{1, 2, 3}));
    const QString tip = hoverBar(stack, 2);
    EXPECT_TRUE(tip.startsWith(u"Turn 3: 55 calls\ntool_0: 10\n"_s)) << qPrintable(tip);

    std::unique_ptr<QChart> totals(UsageCharts::toolTotals(calls));
    auto* bars = seriesOf<QAbstractBarSeries>(totals.get());
    ASSERT_NE(bars, nullptr);
    // Most used on top: horizontal bars draw the last category at the top.
    const QStringList keys = UsageCharts::barKeys(totals.get());
    ASSERT_EQ(keys.size(), 10);
    EXPECT_EQ(keys.last(), u"tool_0"_s);
    EXPECT_DOUBLE_EQ(bars->barSets().first()->at(9), 30);
    EXPECT_EQ(totals->title(), u"Tool calls in total: 165"_s);
}

TEST(UsageCharts, ContextGrowthAgainstTheWindow)
{
    QList<ContextPoint> points;
    for (qint64 i = 1; i <= 20; ++i)
        points << ContextPoint{i, (i + 1) / 2, 5000 * i, u"gpt-4o"_s};
    std::unique_ptr<QChart> chart(UsageCharts::contextGrowth(points, 128000, u"gpt-4o"_s));
    QLineSeries* input = lineNamed(chart.get(), u"Input tokens"_s);
    QLineSeries* window = lineNamed(chart.get(), u"Context window"_s);
    ASSERT_NE(input, nullptr);
    ASSERT_NE(window, nullptr);
    EXPECT_EQ(input->count(), 20);
    EXPECT_DOUBLE_EQ(window->at(0).y(), 128000);
    EXPECT_TRUE(chart->title().contains(u"peak "_s + n(100000) + u" of "_s + n(128000) + u" tokens (78%)"_s)) << qPrintable(chart->title());
    // The window is within reach, so the scale shows it.
    auto* y = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).first());
    ASSERT_NE(y, nullptr);
    EXPECT_GE(y->max(), 128000);
    QToolTip::hideText();
    Q_EMIT input->hovered(QPointF(4.2, 1), true);
    EXPECT_TRUE(QToolTip::text().startsWith(u"Request 4 (turn 2): "_s + n(20000) + u" input tokens on gpt-4o\n"_s
                                            + QLocale().toString(15.6, 'f', 1) + u'%'))
        << qPrintable(QToolTip::text());

    std::unique_ptr<QChart> unknown(UsageCharts::contextGrowth(points, std::nullopt));
    EXPECT_EQ(lineNamed(unknown.get(), u"Context window"_s), nullptr);
}

TEST(UsageCharts, DaysAndGroupsKeepTheirKeys)
{
    QList<DayTotals> days;
    for (int d = 0; d < 10; ++d)
        days << DayTotals{QDate(2026, 3, 1).addDays(d), 1000 * (d + 1), 0.01 * (d + 1), {}};
    std::unique_ptr<QChart> chart(UsageCharts::days(days));
    const QStringList keys = UsageCharts::barKeys(chart.get());
    ASSERT_EQ(keys.size(), 10);
    EXPECT_EQ(keys.first(), u"2026-03-01"_s);
    auto* bars = seriesOf<QAbstractBarSeries>(chart.get());
    ASSERT_NE(bars, nullptr);
    EXPECT_DOUBLE_EQ(setSum(bars->barSets().first()), 55000);
    EXPECT_NE(lineNamed(chart.get(), u"Cost"_s), nullptr);

    // A year of days becomes ranges; the sum stays.
    QList<DayTotals> year;
    for (int d = 0; d < 365; ++d)
        year << DayTotals{QDate(2025, 1, 1).addDays(d), 10, std::nullopt, {}};
    std::unique_ptr<QChart> long_(UsageCharts::days(year));
    auto* yearBars = seriesOf<QAbstractBarSeries>(long_.get());
    ASSERT_NE(yearBars, nullptr);
    EXPECT_LE(yearBars->barSets().first()->count(), UsageCharts::kMaxBars);
    EXPECT_DOUBLE_EQ(setSum(yearBars->barSets().first()), 3650);
    EXPECT_EQ(lineNamed(long_.get(), u"Cost"_s), nullptr); // nothing priced

    const QList<GroupTotals> groups{{u"s-1"_s, u"Refund"_s, 1, 5000, 0.5, {}},
                                    {u"s-2"_s, u"Refund"_s, 1, 3000, 0.25, {}},
                                    {u"s-3"_s, QString(), 1, 1000, std::nullopt, {}}};
    std::unique_ptr<QChart> top(UsageCharts::groups(groups, u"Top sessions by cost"_s));
    // First group on top (horizontal bars are drawn bottom-up), duplicate labels made unique.
    EXPECT_EQ(UsageCharts::barKeys(top.get()), (QStringList{u"s-3"_s, u"s-2"_s, u"s-1"_s}));
    EXPECT_EQ(categoriesOf(top.get(), Qt::Vertical), (QStringList{u"s-3"_s, u"Refund (s-2)"_s, u"Refund"_s}));
    auto* groupBars = seriesOf<QAbstractBarSeries>(top.get());
    ASSERT_NE(groupBars, nullptr);
    EXPECT_DOUBLE_EQ(groupBars->barSets().first()->at(2), 0.5); // by cost
    const QString tip = hoverBar(groupBars, 2);
    EXPECT_TRUE(tip.contains(u"Tokens: "_s + n(5000) + u"\nCost: $0.5000"_s)) << qPrintable(tip);
}

TEST(UsageCharts, PaletteColoursAxesAndBackground)
{
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    std::unique_ptr<QChart> chart(UsageCharts::turns({turn(1, 10, 0, 5, 0)}));
    UsageCharts::applyPalette(chart.get(), dark);
    EXPECT_EQ(chart->backgroundBrush().color(), QColor(0x1e, 0x1f, 0x22));
    EXPECT_EQ(chart->titleBrush().color(), QColor(0xe6, 0xe6, 0xe6));
    EXPECT_EQ(chart->legend()->labelColor(), QColor(0xe6, 0xe6, 0xe6));
    const QList<QAbstractAxis*> axes = chart->axes();
    ASSERT_EQ(axes.size(), 3);
    for (QAbstractAxis* a : axes)
        EXPECT_EQ(a->labelsBrush().color(), QColor(0xe6, 0xe6, 0xe6));
}

bool hasColourNear(const QImage& image, const QColor& colour)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); y += 2) {
        for (int x = 0; x < rgb.width(); x += 2) {
            const QColor c = rgb.pixelColor(x, y);
            if (std::abs(c.red() - colour.red()) < 8 && std::abs(c.green() - colour.green()) < 8
                && std::abs(c.blue() - colour.blue()) < 8)
                return true;
        }
    }
    return false;
}

TEST(UsageCharts, RendersAndSavesPngAndSvg)
{
    tb::test::TempDir dir;
    std::unique_ptr<QChart> chart(UsageCharts::turns(
        {turn(1, 1000, 200, 300, 0, 0.002), turn(2, 2500, 2000, 800, 500, 0.004), turn(3, 4000, 0, 100, 0, 0.009)}));
    const QImage image = UsageCharts::renderToImage(chart.get(), QSize(640, 400));
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), QSize(640, 400));
    EXPECT_TRUE(hasColourNear(image, QColor(0x00, 0x72, 0xB2))); // input bars were drawn
    EXPECT_TRUE(hasColourNear(image, QColor(0xE6, 0x9F, 0x00))); // output bars too
    EXPECT_EQ(chart->scene(), nullptr);                           // the temporary scene let go of it

    const QString png = dir.filePath(u"turns.png"_s);
    ASSERT_TRUE(UsageCharts::saveChart(chart.get(), png, QSize(800, 450)).has_value());
    QImageReader pngReader(png);
    EXPECT_EQ(pngReader.format(), QByteArray("png"));
    const QImage pngImage = pngReader.read();
    EXPECT_EQ(pngImage.size(), QSize(800, 450));
    EXPECT_TRUE(hasColourNear(pngImage, QColor(0x56, 0xB4, 0xE9)));

    const QString svg = dir.filePath(u"turns.svg"_s);
    ASSERT_TRUE(UsageCharts::saveChart(chart.get(), svg, QSize(800, 450)).has_value());
    QFile svgFile(svg);
    ASSERT_TRUE(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    EXPECT_TRUE(svgText.contains("<svg")) << svgText.left(200).constData();
    EXPECT_TRUE(svgText.contains("Tokens per turn"));
    QImageReader svgReader(svg);
    const QImage svgImage = svgReader.read();
    ASSERT_FALSE(svgImage.isNull()) << qPrintable(svgReader.errorString());
    EXPECT_TRUE(hasColourNear(svgImage, QColor(0x00, 0x72, 0xB2)));

    EXPECT_FALSE(UsageCharts::saveChart(chart.get(), dir.filePath(u"missing/dir/x.png"_s)).has_value());
}

TEST(UsageCharts, ChartInAViewRendersAsShown)
{
    auto* chart = UsageCharts::days({{QDate(2026, 3, 1), 1000, 0.5, {}}, {QDate(2026, 3, 2), 3000, 1.5, {}}});
    QChartView view(chart);
    view.resize(500, 300);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    const QImage image = UsageCharts::renderToImage(chart, QSize(1000, 600));
    EXPECT_EQ(image.size(), QSize(1000, 600));
    EXPECT_TRUE(hasColourNear(image, QColor(0x00, 0x72, 0xB2)));
    EXPECT_EQ(chart->scene(), view.scene()); // still shown
}

} // namespace

namespace {

// Not a check: TB_SCREENSHOT_DIR=/some/dir writes every chart in light and dark for a visual look.
TEST(UsageCharts, Screenshots)
{
    // Writes the README pictures into TB_SCREENSHOT_DIR when set; otherwise into a temporary
    // folder, so the rendering and saving are exercised on every run.
    tb::test::TempDir screenshotTemp;
    const QString dir = qEnvironmentVariable("TB_SCREENSHOT_DIR").isEmpty() ? screenshotTemp.path()
                                                                      : qEnvironmentVariable("TB_SCREENSHOT_DIR");
    QList<TurnTokens> turns;
    for (qint64 i = 1; i <= 24; ++i)
        turns << turn(i, 2000 + 900 * i, i > 2 ? 1500 + 700 * (i - 2) : 0, 300 + (i * 97) % 700, (i % 4) * 120,
                      0.001 * double(i) + (i == 17 ? 0.05 : 0));
    QList<ToolCalls> tools;
    for (qint64 i = 1; i <= 24; ++i) {
        tools << ToolCalls{u"search_docs"_s, i, i % 3, {}, {}} << ToolCalls{u"get_order"_s, i, (i + 1) % 2, {}, {}};
        if (i % 5 == 0)
            tools << ToolCalls{u"refund"_s, i, 1, {}, {}};
    }
    QList<ContextPoint> context;
    for (qint64 i = 1; i <= 60; ++i)
        context << ContextPoint{i, (i + 1) / 2, 1500 * i + (i % 7) * 300, u"gpt-4o"_s};
    BranchTokens b1;
    b1.branchId = u"main"_s;
    b1.turns = 24;
    b1.inputTokens = 300000;
    b1.cachedTokens = 180000;
    b1.outputTokens = 12000;
    b1.reasoningTokens = 3000;
    b1.cost = 0.41;
    BranchTokens b2 = b1;
    b2.branchId = u"alt_refund"_s;
    b2.label = u"Refund first"_s;
    b2.inputTokens = 120000;
    b2.cachedTokens = 20000;
    b2.outputTokens = 9000;
    QList<DayTotals> days;
    for (int d = 0; d < 21; ++d)
        days << DayTotals{QDate(2026, 3, 1).addDays(d), 20000 + (d * 7919) % 50000, 0.02 + 0.01 * ((d * 13) % 9), {}};
    QList<GroupTotals> groups;
    for (int g = 0; g < 8; ++g)
        groups << GroupTotals{u"session-%1"_s.arg(g), u"Customer ticket %1"_s.arg(g), 1, 90000 - 9000 * g, 1.2 - 0.13 * g, {}};

    for (bool darkMode : {false, true}) {
        QPalette p;
        if (darkMode) {
            p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
            p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        }
        const QString suffix = darkMode ? u"-dark.png"_s : u"-light.png"_s;
        const QList<QPair<QString, QChart*>> charts{
            {u"turns"_s, UsageCharts::turns(turns)},
            {u"branches"_s, UsageCharts::branches({b1, b2})},
            {u"tools"_s, UsageCharts::toolsPerTurn(tools)},
            {u"tooltotals"_s, UsageCharts::toolTotals(tools)},
            {u"context"_s, UsageCharts::contextGrowth(context, 128000, u"gpt-4o"_s)},
            {u"days"_s, UsageCharts::days(days)},
            {u"groups"_s, UsageCharts::groups(groups, u"Top sessions by cost"_s)},
        };
        for (const auto& [name, chart] : charts) {
            UsageCharts::applyPalette(chart, p);
            EXPECT_TRUE(UsageCharts::saveChart(chart, dir + u'/' + name + suffix, QSize(800, 450)).has_value());
            delete chart;
        }
    }
}

} // namespace

// --- UsageChartsDock on the SDK's multi.db -------------------------------------------------------

#include "TestData.h"

#include "storage/SqliteSessionStore.h"
#include "ui/UsageChartsDock.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTabWidget>

namespace {

using tb::ui::UsageChartsDock;

class UsageChartsDockTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
        ASSERT_FALSE(db.isEmpty());
        auto opened = tb::storage::SqliteSessionStore::open(db, {});
        ASSERT_TRUE(opened.has_value()) << qPrintable(opened.error().message);
        store = std::move(*opened);
        dock.resize(900, 520);
        dock.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&dock));
    }

    QAbstractBarSeries* turnBars()
    {
        QChart* chart = dock.chart(UsageChartsDock::Tab::Turns);
        return chart ? seriesOf<QAbstractBarSeries>(chart) : nullptr;
    }

    // Centre of a bar of the stack's first set, in viewport coordinates.
    QPoint barCentre(UsageChartsDock::Tab tab, int bar)
    {
        QChartView* view = dock.chartView(tab);
        QChart* chart = view->chart();
        auto* series = seriesOf<QAbstractBarSeries>(chart);
        const QPointF value(bar, series->barSets().first()->at(bar) / 2);
        const QPointF scenePos = chart->mapToScene(chart->mapToPosition(value, series));
        return view->mapFromScene(scenePos);
    }

    tb::test::TempDir dir;
    QString db;
    std::unique_ptr<tb::storage::SqliteSessionStore> store;
    UsageChartsDock dock;
};

// customer-1001 in multi.db: main has turns 1–6, alt-1 (from turn 3) has turns 3–4 (turn_usage rows).
constexpr double kMainInput = 617 + 972 + 1268 + 1597 + 1934 + 2959;
constexpr double kMainOutput = 263 + 43 + 278 + 79 + 50 + 80;

TEST_F(UsageChartsDockTest, FollowsTheSessionAndBranchWithTotalsOfTheSdkRows)
{
    EXPECT_FALSE(dock.emptyText().isEmpty());
    EXPECT_EQ(dock.chart(UsageChartsDock::Tab::Turns), nullptr);

    ASSERT_TRUE(dock.showSession(store.get(), u"customer-1001"_s, nullptr, u"main"_s).has_value());
    EXPECT_TRUE(dock.emptyText().isEmpty());
    auto* bars = turnBars();
    ASSERT_NE(bars, nullptr);
    ASSERT_EQ(bars->barSets().size(), 4);
    EXPECT_EQ(bars->barSets().first()->count(), 6);
    EXPECT_DOUBLE_EQ(setSum(bars->barSets().at(0)) + setSum(bars->barSets().at(1)), kMainInput);
    EXPECT_DOUBLE_EQ(setSum(bars->barSets().at(2)) + setSum(bars->barSets().at(3)), kMainOutput);
    EXPECT_DOUBLE_EQ(setSum(bars->barSets().at(1)), 2816); // cached tokens of turn 6
    EXPECT_DOUBLE_EQ(setSum(bars->barSets().at(3)), 384);  // reasoning of turns 1 and 3
    EXPECT_TRUE(dock.summaryText().startsWith(u"customer-1001 on main: 6 turns, "_s + n(qint64(kMainInput + kMainOutput))
                                              + u" tokens, $"_s))
        << qPrintable(dock.summaryText());

    QChart* branches = dock.chart(UsageChartsDock::Tab::Branches);
    ASSERT_NE(branches, nullptr);
    EXPECT_EQ(UsageCharts::barKeys(branches), (QStringList{u"main"_s, u"alt-1"_s}));
    EXPECT_TRUE(dock.chart(UsageChartsDock::Tab::Tools)->series().size() > 0);
    EXPECT_GT(dock.series().context.size(), 0);

    ASSERT_TRUE(dock.showSession(store.get(), u"customer-1001"_s, nullptr, u"alt-1"_s).has_value());
    EXPECT_EQ(UsageCharts::barTurns(dock.chart(UsageChartsDock::Tab::Turns)), (QList<qint64>{3, 4}));
    ASSERT_NE(turnBars(), nullptr);
    EXPECT_DOUBLE_EQ(setSum(turnBars()->barSets().at(1)), 2176 + 1152);

    dock.clear();
    EXPECT_EQ(dock.chart(UsageChartsDock::Tab::Turns), nullptr);
    EXPECT_FALSE(dock.emptyText().isEmpty());
}

TEST_F(UsageChartsDockTest, ClickingATurnBarActivatesTheTurn)
{
    ASSERT_TRUE(dock.showSession(store.get(), u"customer-1001"_s, nullptr, u"main"_s).has_value());
    QSignalSpy spy(&dock, &UsageChartsDock::turnActivated);
    QChartView* view = dock.chartView(UsageChartsDock::Tab::Turns);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, barCentre(UsageChartsDock::Tab::Turns, 4));
    ASSERT_EQ(spy.count(), 1);
    EXPECT_EQ(spy.at(0).at(0).toString(), u"main"_s);
    EXPECT_EQ(spy.at(0).at(1).toLongLong(), 5);

    dock.setCurrentTab(UsageChartsDock::Tab::Branches);
    QSignalSpy branchSpy(&dock, &UsageChartsDock::branchActivated);
    QChartView* branchView = dock.chartView(UsageChartsDock::Tab::Branches);
    ASSERT_TRUE(QTest::qWaitForWindowExposed(branchView));
    QTest::mouseClick(branchView->viewport(), Qt::LeftButton, {}, barCentre(UsageChartsDock::Tab::Branches, 1));
    ASSERT_EQ(branchSpy.count(), 1);
    EXPECT_EQ(branchSpy.at(0).at(0).toString(), u"alt-1"_s);
}

TEST_F(UsageChartsDockTest, HoveringABarShowsItsNumbers)
{
    ASSERT_TRUE(dock.showSession(store.get(), u"customer-1001"_s, nullptr, u"main"_s).has_value());
    QToolTip::hideText();
    QChartView* view = dock.chartView(UsageChartsDock::Tab::Turns);
    QTest::mouseMove(view->viewport(), barCentre(UsageChartsDock::Tab::Turns, 5));
    ASSERT_TRUE(QToolTip::isVisible()); // hover events are delivered within the mouse move
    const QString tip = QToolTip::text();
    EXPECT_TRUE(tip.startsWith(u"Turn 6, 2 requests\nInput: "_s + n(2959) + u" (cached "_s + n(2816) + u")"_s))
        << qPrintable(tip);
    QToolTip::hideText();
}

TEST_F(UsageChartsDockTest, WhatIfPricingShowsBothCosts)
{
    tb::core::UsagePricing pricing;
    pricing.defaultModel = u"gpt-4.1"_s;
    dock.setPricing(pricing);
    ASSERT_TRUE(dock.showSession(store.get(), u"customer-1001"_s, nullptr, u"main"_s).has_value());
    EXPECT_FALSE(dock.summaryText().contains(u"Priced on"_s));
    auto* combo = dock.findChild<QComboBox*>(u"usagePriceOn"_s);
    ASSERT_NE(combo, nullptr);
    const int index = combo->findData(u"gpt-4.1-nano"_s);
    ASSERT_GE(index, 0);
    combo->setCurrentIndex(index);
    Q_EMIT combo->activated(index);
    EXPECT_EQ(dock.whatIfModel(), u"gpt-4.1-nano"_s);

    double recorded = 0;
    double whatIf = 0;
    for (const TurnTokens& t : dock.series().turns) {
        ASSERT_TRUE(t.cost.has_value());
        ASSERT_TRUE(t.whatIfCost.has_value());
        EXPECT_EQ(t.model, u"gpt-4.1"_s);
        recorded += *t.cost;
        whatIf += *t.whatIfCost;
    }
    EXPECT_LT(whatIf, recorded); // nano is 20× cheaper
    const QString summary = dock.summaryText();
    EXPECT_TRUE(summary.contains(UsageCharts::formatCost(recorded) + u" on gpt-4.1 (default)"_s)) << qPrintable(summary);
    EXPECT_TRUE(summary.contains(u"Priced on gpt-4.1-nano: "_s + UsageCharts::formatCost(whatIf))) << qPrintable(summary);

    dock.setWhatIfModel({});
    EXPECT_FALSE(dock.summaryText().contains(u"Priced on"_s));
    EXPECT_FALSE(dock.series().turns.first().whatIfCost.has_value());
}

TEST_F(UsageChartsDockTest, AssignModelStoresItAndPricesOnIt)
{
    ASSERT_TRUE(dock.showSession(store.get(), u"customer-1001"_s, nullptr, u"main"_s).has_value());
    QSignalSpy spy(&dock, &UsageChartsDock::modelAssigned);
    ASSERT_TRUE(dock.assignModel(UsageChartsDock::AssignScope::Session, u"gpt-4o"_s).has_value());
    ASSERT_EQ(spy.count(), 1);
    auto stored = store->modelAssignments();
    ASSERT_TRUE(stored.has_value());
    ASSERT_EQ(stored->size(), 1);
    EXPECT_EQ(stored->first().sessionId, u"customer-1001"_s);
    EXPECT_TRUE(stored->first().branchId.isEmpty());
    EXPECT_EQ(stored->first().model, u"gpt-4o"_s);
    EXPECT_EQ(dock.series().turns.first().model, u"gpt-4o"_s);
    EXPECT_EQ(dock.series().turns.first().modelSource, u"session"_s);

    ASSERT_TRUE(dock.assignModel(UsageChartsDock::AssignScope::Branch, u"o3"_s).has_value());
    EXPECT_EQ(dock.series().turns.first().model, u"o3"_s);
    EXPECT_EQ(dock.series().turns.first().modelSource, u"branch"_s);
    // The context chart measures against the assigned model's window.
    QLineSeries* window = lineNamed(dock.chart(UsageChartsDock::Tab::Context), u"Context window"_s);
    ASSERT_NE(window, nullptr);
    EXPECT_DOUBLE_EQ(window->at(0).y(), 200000);

    // An empty model removes the assignment again.
    ASSERT_TRUE(dock.assignModel(UsageChartsDock::AssignScope::Branch, QString()).has_value());
    EXPECT_EQ(dock.series().turns.first().modelSource, u"session"_s);
}

TEST_F(UsageChartsDockTest, ExportsTheShownChartAsPngAndSvg)
{
    ASSERT_TRUE(dock.showSession(store.get(), u"customer-1001"_s, nullptr, u"main"_s).has_value());
    const QString png = dir.filePath(u"turns.png"_s);
    ASSERT_TRUE(dock.exportChart(UsageChartsDock::Tab::Turns, png).has_value());
    const QImage image(png);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), dock.chartView(UsageChartsDock::Tab::Turns)->size());
    EXPECT_TRUE(hasColourNear(image, QColor(0x00, 0x72, 0xB2)));

    const QString svg = dir.filePath(u"context.svg"_s);
    ASSERT_TRUE(dock.exportChart(UsageChartsDock::Tab::Context, svg).has_value());
    QImageReader reader(svg);
    EXPECT_FALSE(reader.read().isNull()) << qPrintable(reader.errorString());

    dock.clear();
    EXPECT_FALSE(dock.exportChart(UsageChartsDock::Tab::Turns, png).has_value());
}

TEST_F(UsageChartsDockTest, FollowsThePalette)
{
    ASSERT_TRUE(dock.showSession(store.get(), u"customer-1001"_s, nullptr, u"main"_s).has_value());
    QPalette dark = dock.palette();
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    dock.setPalette(dark);
    for (auto tab : {UsageChartsDock::Tab::Turns, UsageChartsDock::Tab::Branches, UsageChartsDock::Tab::Tools,
                     UsageChartsDock::Tab::Context}) {
        EXPECT_EQ(dock.chart(tab)->backgroundBrush().color(), QColor(0x1e, 0x1f, 0x22));
        EXPECT_EQ(dock.chart(tab)->titleBrush().color(), QColor(0xe6, 0xe6, 0xe6));
    }
}

TEST_F(UsageChartsDockTest, ErrorsAndSessionsWithoutUsageShowTheEmptyState)
{
    EXPECT_FALSE(dock.showSession(store.get(), u"no-such-session"_s, nullptr, u"main"_s).has_value()
                 && dock.hasUsage());
    EXPECT_FALSE(dock.emptyText().isEmpty());
    EXPECT_EQ(dock.chart(UsageChartsDock::Tab::Turns), nullptr);
    auto* stack = dock.findChild<QStackedWidget*>();
    ASSERT_NE(stack, nullptr);
    EXPECT_EQ(stack->currentWidget()->objectName(), u"usageEmpty"_s);
}

} // namespace
