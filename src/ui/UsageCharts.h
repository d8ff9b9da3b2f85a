// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Result.h"
#include "core/UsageSeries.h"

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QChart;
class QObject;
class QPalette;

namespace tb::ui {

/// Builders of the usage charts from core's usage series: the charts dock, the workspace dashboard
/// and the PDF report draw the same numbers the same way. Every builder returns a new QChart the
/// caller owns, themed from the application palette, with tooltips that give exact numbers on hover.
///
/// Long series are summed into ranges (at most kMaxBars bars) so a 1,000-turn session stays
/// readable; barTurns()/barKeys() say what each bar stands for, e.g. to open the turn on a click.
class UsageCharts final
{
public:
    static constexpr int kMaxBars = 60;
    /// Tools beyond this many (by calls) are drawn as one "Other" set.
    static constexpr int kMaxTools = 8;

    /// Names of the turn and branch charts' stacked sets, bottom to top.
    static QString uncachedInputName();
    static QString cachedInputName();
    static QString outputName();
    static QString reasoningName();

    /// Per turn of one branch: stacked bars (uncached input, cached input, output without
    /// reasoning, reasoning), the cumulative total on a second axis, the most expensive turn (by
    /// cost, else tokens) marked by a star. Turns must be of one branch, in any order.
    static QChart* turns(const QList<core::TurnTokens>& turns);
    /// Every branch's totals side by side (the same stacked parts); barKeys() are branch ids.
    static QChart* branches(const QList<core::BranchTokens>& branches);
    /// Tool calls per turn, stacked by tool (entries without a turn are ignored).
    static QChart* toolsPerTurn(const QList<core::ToolCalls>& calls);
    /// Calls per tool in total, most first; entries with a turn are summed per tool.
    static QChart* toolTotals(const QList<core::ToolCalls>& calls);
    /// Input tokens per request over the conversation against the context window when known.
    static QChart* contextGrowth(const QList<core::ContextPoint>& points, std::optional<qint64> contextWindow,
                                 const QString& model = {});
    /// Tokens per day (bars) and cost per day (line, second axis); barKeys() are ISO dates of each
    /// bar's first day (days are summed into ranges beyond kMaxBars).
    static QChart* days(const QList<core::DayTotals>& days);
    /// Groups as horizontal bars, first group on top: cost where any group has one, else tokens.
    /// barKeys() are the groups' keys (session ids, customers, review status names).
    static QChart* groups(const QList<core::GroupTotals>& groups, const QString& title);

    /// First turn of each bar of a turns() or toolsPerTurn() chart; empty for other charts.
    static QList<qint64> barTurns(const QChart* chart);
    /// The key of each bar of a branches(), days() or groups() chart.
    static QStringList barKeys(const QChart* chart);
    /// The turn the star marks (turns() charts), if any.
    static std::optional<qint64> mostExpensiveTurn(const QChart* chart);
    /// Calls `onClick(barIndex)` when any bar of the chart is clicked, while `context` lives.
    static void onBarClicked(QChart* chart, const QObject* context, std::function<void(int barIndex)> onClick);

    /// Colours the chart (background, titles, axes, grid, legend) for a palette: readable in light
    /// and dark windows. Builders apply the application palette; call again when it changes.
    static void applyPalette(QChart* chart, const QPalette& palette);

    /// Renders the chart at `size` (logical pixels). A chart shown in a view is drawn as it is laid
    /// out there, scaled to `size`; a chart in no scene is laid out at `size` first.
    static QImage renderToImage(QChart* chart, const QSize& size, qreal devicePixelRatio = 1.0);
    /// Writes the chart as PNG or SVG, chosen by the file's suffix (".svg", else PNG).
    static core::Result<void> saveChart(QChart* chart, const QString& path, const QSize& size = {960, 540});

    /// "$0.0123" / "$12.34" (four decimals below a dollar), "–" for no price.
    static QString formatCost(std::optional<double> dollars);
};

} // namespace tb::ui
