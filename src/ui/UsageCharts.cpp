// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "UsageCharts.h"

#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCoreApplication>
#include <QCursor>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGuiApplication>
#include <QHash>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QScatterSeries>
#include <QStackedBarSeries>
#include <QSvgGenerator>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

namespace tb::ui {

namespace {

// Dynamic properties of a built chart: what its bars stand for.
constexpr char kTurnsProperty[] = "tbBarTurns";
constexpr char kKeysProperty[] = "tbBarKeys";
constexpr char kStarProperty[] = "tbMostExpensiveTurn";

// Okabe–Ito hues: distinguishable with colour-vision deficiencies and mid-light enough to read on
// both a white and a near-black plot. Cached input is the light partner of input, reasoning the
// dark partner of output, so the stack reads as two quantities with their parts.
const QColor kUncached(0x00, 0x72, 0xB2);
const QColor kCached(0x56, 0xB4, 0xE9);
const QColor kOutput(0xE6, 0x9F, 0x00);
const QColor kReasoning(0xD5, 0x5E, 0x00);
const QColor kCumulative(0x00, 0x9E, 0x73);
const QColor kMarker(0xCC, 0x79, 0xA7);
const QColor kWindow(0xD5, 0x5E, 0x00);

const QList<QColor>& toolColours()
{
    static const QList<QColor> colours{QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00), QColor(0x00, 0x9E, 0x73),
                                       QColor(0xCC, 0x79, 0xA7), QColor(0x56, 0xB4, 0xE9), QColor(0xD5, 0x5E, 0x00),
                                       QColor(0x8E, 0x6C, 0xC8), QColor(0x7F, 0x8C, 0x2A)};
    return colours;
}

QString num(qint64 v)
{
    return QLocale().toString(v);
}

QString tr(const char* text)
{
    return QCoreApplication::translate("tb::ui::UsageCharts", text);
}

// "1 request" / "12 requests" with the locale's digits (no translations ship that would turn
// Qt's "%n request(s)" into proper plurals).
QString count(qint64 n, const char* one, const char* many)
{
    return n == 1 ? tr(one) : tr(many).arg(QLocale().toString(n));
}

void showTip(const QString& text)
{
    QToolTip::showText(QCursor::pos(), text);
}

// Sums of one bar: one turn, a range of turns, or a branch.
struct TokenBar
{
    qint64 first = 0;
    qint64 last = 0;
    qint64 turns = 0;
    qint64 requests = 0;
    qint64 input = 0;
    qint64 cached = 0;
    qint64 output = 0;
    qint64 reasoning = 0;
    qint64 total = 0;
    double cost = 0;
    qint64 priced = 0;
    qint64 unpriced = 0;
    double whatIf = 0;
    qint64 whatIfPriced = 0;
    QString model;       // of a single turn
    QString modelSource;

    void add(const core::TurnTokens& t)
    {
        if (turns == 0)
            first = t.turn;
        last = t.turn;
        ++turns;
        requests += t.requests;
        input += t.inputTokens;
        cached += t.cachedTokens;
        output += t.outputTokens;
        reasoning += t.reasoningTokens;
        total += t.totalTokens;
        if (t.cost) {
            cost += *t.cost;
            ++priced;
        } else {
            ++unpriced;
        }
        if (t.whatIfCost) {
            whatIf += *t.whatIfCost;
            ++whatIfPriced;
        }
        model = t.model;
        modelSource = t.modelSource;
    }
    // The stacked parts; a corrupt row (cached > input) never draws a negative part.
    [[nodiscard]] qint64 cachedPart() const { return std::clamp<qint64>(cached, 0, std::max<qint64>(input, 0)); }
    [[nodiscard]] qint64 uncachedPart() const { return std::max<qint64>(input, 0) - cachedPart(); }
    [[nodiscard]] qint64 reasoningPart() const { return std::clamp<qint64>(reasoning, 0, std::max<qint64>(output, 0)); }
    [[nodiscard]] qint64 outputPart() const { return std::max<qint64>(output, 0) - reasoningPart(); }
    [[nodiscard]] qint64 height() const { return std::max<qint64>(input, 0) + std::max<qint64>(output, 0); }
    [[nodiscard]] std::optional<double> costOrNull() const
    {
        return priced > 0 ? std::optional<double>(cost) : std::nullopt;
    }
};

QString rangeLabel(qint64 first, qint64 last)
{
    return first == last ? QString::number(first) : QString::number(first) + u'–' + QString::number(last);
}

QString tokenLines(const TokenBar& b)
{
    QString text = tr("Input: %1 (cached %2)\nOutput: %3 (reasoning %4)\nTotal: %5")
                       .arg(num(b.input), num(b.cached), num(b.output), num(b.reasoning), num(b.total));
    if (b.priced > 0 || b.unpriced > 0) {
        text += u'\n' + tr("Cost: %1").arg(UsageCharts::formatCost(b.costOrNull()));
        if (b.turns == 1 && !b.model.isEmpty())
            text += b.modelSource.isEmpty() ? tr(" on %1").arg(b.model) : tr(" on %1 (%2)").arg(b.model, b.modelSource);
        else if (b.turns == 1)
            text += tr(" (no model known)");
        if (b.unpriced > 0 && b.turns > 1)
            text += QStringLiteral(" (") + count(b.unpriced, "1 turn unpriced", "%1 turns unpriced") + u')';
    }
    if (b.whatIfPriced > 0)
        text += u'\n' + tr("What-if cost: %1").arg(UsageCharts::formatCost(b.whatIf));
    return text;
}

QString turnTip(const TokenBar& b)
{
    QString head = b.turns == 1 ? tr("Turn %1").arg(b.first)
                                : tr("Turns %1 (%2 turns)").arg(rangeLabel(b.first, b.last), num(b.turns));
    head += QStringLiteral(", ") + count(b.requests, "1 request", "%1 requests");
    return head + u'\n' + tokenLines(b);
}

QValueAxis* valueAxis(const QString& title)
{
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setMin(0);
    return axis;
}

// A nice range for a value axis from 0 to a little above `top`, so markers on top stay inside.
void fitAxis(QValueAxis* axis, double top, const QString& format = QStringLiteral("%.0f"))
{
    axis->setRange(0, top > 0 ? top * 1.08 : 1.0);
    axis->applyNiceNumbers();
    axis->setLabelFormat(format);
}

QBarCategoryAxis* categoryAxis(const QStringList& categories, const QString& title)
{
    auto* axis = new QBarCategoryAxis;
    axis->append(categories);
    axis->setTitleText(title);
    // Qt elides every label to "..." once one seems too wide; ours are kept short instead.
    axis->setTruncateLabels(false);
    // Many bars: vertical labels keep every one legible instead of eliding them all.
    if (categories.size() > 12)
        axis->setLabelsAngle(-90);
    return axis;
}

QChart* newChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setLocalizeNumbers(true);
    chart->setLocale(QLocale());
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(6, 6, 6, 6));
    return chart;
}

QBarSet* newSet(const QString& name, const QColor& colour)
{
    auto* set = new QBarSet(name);
    set->setColor(colour);
    set->setBorderColor(colour);
    return set;
}

void setMetricAxisFormat(QValueAxis* axis, bool dollars, double top)
{
    if (!dollars) {
        fitAxis(axis, top);
        return;
    }
    fitAxis(axis, top, top < 0.1 ? QStringLiteral("%.4f") : top < 10 ? QStringLiteral("%.2f") : QStringLiteral("%.0f"));
}

// Long names (session titles) would take the plot's width: cut them, the tooltip has them whole.
QString shortLabel(const QString& label)
{
    constexpr qsizetype kMax = 30;
    return label.size() <= kMax ? label : label.left(kMax - 1).trimmed() + u'…';
}

// Labels of bar categories must be unique (QBarCategoryAxis drops duplicates).
QStringList uniqueLabels(const QStringList& labels, const QStringList& keys)
{
    QStringList out;
    QHash<QString, int> seen;
    for (qsizetype i = 0; i < labels.size(); ++i) {
        QString label = labels.at(i);
        if (seen.contains(label)) {
            label = labels.at(i) + QStringLiteral(" (") + keys.value(i) + u')';
            for (int n = 2; seen.contains(label); ++n)
                label = labels.at(i) + QStringLiteral(" (") + QString::number(n) + u')';
        }
        seen.insert(label, 1);
        out << label;
    }
    return out;
}

// Stacked token bars with the four parts, shared by the turn and branch charts.
QStackedBarSeries* tokenStack(const QList<TokenBar>& bars, std::function<QString(int)> tip)
{
    auto* series = new QStackedBarSeries;
    QBarSet* uncached = newSet(UsageCharts::uncachedInputName(), kUncached);
    QBarSet* cached = newSet(UsageCharts::cachedInputName(), kCached);
    QBarSet* output = newSet(UsageCharts::outputName(), kOutput);
    QBarSet* reasoning = newSet(UsageCharts::reasoningName(), kReasoning);
    for (const TokenBar& b : bars) {
        *uncached << double(b.uncachedPart());
        *cached << double(b.cachedPart());
        *output << double(b.outputPart());
        *reasoning << double(b.reasoningPart());
    }
    series->append({uncached, cached, output, reasoning});
    series->setBarWidth(bars.size() > 20 ? 0.9 : 0.6);
    QObject::connect(series, &QAbstractBarSeries::hovered, series, [tip = std::move(tip)](bool on, int index, QBarSet*) {
        if (on)
            showTip(tip(index));
        else
            QToolTip::hideText();
    });
    return series;
}

template <typename T>
QVariant variantList(const QList<T>& values)
{
    return QVariant::fromValue(values);
}

} // namespace

QString UsageCharts::uncachedInputName()
{
    return tr("Input");
}

QString UsageCharts::cachedInputName()
{
    return tr("Cached input");
}

QString UsageCharts::outputName()
{
    return tr("Output");
}

QString UsageCharts::reasoningName()
{
    return tr("Reasoning");
}

QString UsageCharts::formatCost(std::optional<double> dollars)
{
    if (!dollars)
        return QStringLiteral("–");
    return u'$' + QString::number(*dollars, 'f', std::abs(*dollars) < 1 ? 4 : 2);
}

QChart* UsageCharts::turns(const QList<core::TurnTokens>& input)
{
    QList<core::TurnTokens> rows = input;
    std::stable_sort(rows.begin(), rows.end(),
                     [](const core::TurnTokens& a, const core::TurnTokens& b) { return a.turn < b.turn; });
    const qsizetype perBar = std::max<qsizetype>(1, (rows.size() + kMaxBars - 1) / kMaxBars);

    QList<TokenBar> bars;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (i % perBar == 0)
            bars.append(TokenBar{});
        bars.last().add(rows.at(i));
    }

    QChart* chart = newChart(perBar == 1 ? tr("Tokens per turn")
                                         : tr("Tokens per turn (%1 turns per bar)").arg(perBar));
    QStringList categories;
    QList<qint64> firstTurns;
    double top = 0;
    for (const TokenBar& b : bars) {
        categories << rangeLabel(b.first, b.last);
        firstTurns << b.first;
        top = std::max(top, double(b.height()));
    }
    chart->setProperty(kTurnsProperty, variantList(firstTurns));

    QStackedBarSeries* stack = tokenStack(bars, [bars](int i) { return i >= 0 && i < bars.size() ? turnTip(bars.at(i)) : QString(); });
    chart->addSeries(stack);

    // Running total over the turns, on its own axis: it grows far beyond any single bar.
    auto* cumulative = new QLineSeries;
    cumulative->setName(tr("Cumulative total"));
    cumulative->setColor(kCumulative);
    cumulative->setPen(QPen(kCumulative, 2));
    cumulative->setPointsVisible(bars.size() <= 30);
    QList<qint64> running;
    QList<std::optional<double>> runningCost;
    qint64 sum = 0;
    double costSum = 0;
    bool anyCost = false;
    for (qsizetype i = 0; i < bars.size(); ++i) {
        sum += bars.at(i).total;
        if (bars.at(i).priced > 0) {
            costSum += bars.at(i).cost;
            anyCost = true;
        }
        running << sum;
        runningCost << (anyCost ? std::optional<double>(costSum) : std::nullopt);
        cumulative->append(double(i), double(sum));
    }
    chart->addSeries(cumulative);
    QObject::connect(cumulative, &QXYSeries::hovered, cumulative,
                     [running, runningCost, bars](const QPointF& p, bool on) {
                         const auto i = qsizetype(std::lround(p.x()));
                         if (!on || i < 0 || i >= running.size()) {
                             QToolTip::hideText();
                             return;
                         }
                         QString text = tr("Up to turn %1: %2 tokens").arg(bars.at(i).last).arg(num(running.at(i)));
                         if (runningCost.at(i))
                             text += u'\n' + tr("Cost so far: %1").arg(formatCost(runningCost.at(i)));
                         showTip(text);
                     });

    // The most expensive turn: by cost where any turn is priced, else by tokens.
    std::optional<qsizetype> worst;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const core::TurnTokens& t = rows.at(i);
        if (!worst) {
            worst = i;
            continue;
        }
        const core::TurnTokens& w = rows.at(*worst);
        const bool better = (t.cost || w.cost) ? t.cost.value_or(-1) > w.cost.value_or(-1) : t.totalTokens > w.totalTokens;
        if (better)
            worst = i;
    }

    auto* x = categoryAxis(categories, perBar == 1 ? tr("Turn") : tr("Turns"));
    QValueAxis* y = valueAxis(tr("Tokens"));
    QValueAxis* y2 = valueAxis(tr("Cumulative tokens"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(y2, Qt::AlignRight);
    stack->attachAxis(x);
    stack->attachAxis(y);
    cumulative->attachAxis(x);
    cumulative->attachAxis(y2);
    fitAxis(y, top);
    fitAxis(y2, double(sum));
    y2->setGridLineVisible(false); // one grid (the bars') is enough

    if (worst) {
        const core::TurnTokens& w = rows.at(*worst);
        const qsizetype bar = *worst / perBar;
        auto* star = new QScatterSeries;
        star->setMarkerShape(QScatterSeries::MarkerShapeStar);
        star->setMarkerSize(18);
        star->setColor(kMarker);
        star->setBorderColor(kMarker.darker(140));
        star->setName(w.cost ? tr("Most expensive: turn %1 (%2)").arg(w.turn).arg(formatCost(w.cost))
                             : tr("Most tokens: turn %1 (%2)").arg(w.turn).arg(num(w.totalTokens)));
        star->append(double(bar), double(bars.at(bar).height()));
        chart->addSeries(star);
        star->attachAxis(x);
        star->attachAxis(y);
        chart->setProperty(kStarProperty, w.turn);
        TokenBar single;
        single.add(w);
        const QString tip = tr("Most expensive turn\n") + turnTip(single);
        QObject::connect(star, &QXYSeries::hovered, star, [tip](const QPointF&, bool on) {
            if (on)
                showTip(tip);
            else
                QToolTip::hideText();
        });
    }
    applyPalette(chart, QGuiApplication::palette());
    return chart;
}

QChart* UsageCharts::branches(const QList<core::BranchTokens>& branches)
{
    QChart* chart = newChart(tr("Tokens per branch (from the fork point)"));
    QList<TokenBar> bars;
    QStringList labels;
    QStringList keys;
    QList<core::BranchTokens> rows = branches;
    for (const core::BranchTokens& b : rows) {
        TokenBar bar;
        bar.first = b.forkTurn;
        bar.turns = b.turns;
        bar.requests = b.requests;
        bar.input = b.inputTokens;
        bar.cached = b.cachedTokens;
        bar.output = b.outputTokens;
        bar.reasoning = b.reasoningTokens;
        bar.total = b.totalTokens;
        if (b.cost) {
            bar.cost = *b.cost;
            bar.priced = 1;
        }
        bars << bar;
        QString label = b.label.isEmpty() ? b.branchId : b.label;
        if (b.forkTurn > 1)
            label += tr(" (from turn %1)").arg(b.forkTurn);
        labels << label;
        keys << b.branchId;
    }
    const QStringList categories = uniqueLabels(labels, keys);
    chart->setProperty(kKeysProperty, keys);
    double top = 0;
    for (const TokenBar& b : bars)
        top = std::max(top, double(b.height()));

    QStackedBarSeries* stack = tokenStack(bars, [bars, rows](int i) -> QString {
        if (i < 0 || i >= bars.size())
            return {};
        const core::BranchTokens& b = rows.at(i);
        QString head = b.label.isEmpty() || b.label == b.branchId ? b.branchId : b.label + QStringLiteral(" (") + b.branchId + u')';
        head += u'\n' + tr("From turn %1: ").arg(b.forkTurn) + count(b.turns, "1 turn", "%1 turns");
        head += QStringLiteral(", ") + count(b.requests, "1 request", "%1 requests");
        TokenBar bar = bars.at(i);
        bar.priced = 0; // the branch's cost line follows, with its what-if cost
        QString text = head + u'\n' + tokenLines(bar) + u'\n' + tr("Cost: %1").arg(formatCost(b.cost));
        if (b.whatIfCost)
            text += u'\n' + tr("What-if cost: %1").arg(formatCost(b.whatIfCost));
        return text;
    });
    stack->setBarWidth(0.5);
    chart->addSeries(stack);
    auto* x = categoryAxis(categories, tr("Branch"));
    QValueAxis* y = valueAxis(tr("Tokens"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    stack->attachAxis(x);
    stack->attachAxis(y);
    fitAxis(y, top);
    applyPalette(chart, QGuiApplication::palette());
    return chart;
}

QChart* UsageCharts::toolsPerTurn(const QList<core::ToolCalls>& calls)
{
    // Tools ranked by calls; the long tail becomes "Other" so the legend stays short.
    QHash<QString, qint64> perTool;
    QList<qint64> turnList;
    for (const core::ToolCalls& c : calls) {
        if (!c.turn)
            continue;
        perTool[c.tool] += c.count;
        if (!turnList.contains(*c.turn))
            turnList << *c.turn;
    }
    std::sort(turnList.begin(), turnList.end());
    QStringList tools = perTool.keys();
    std::sort(tools.begin(), tools.end(), [&perTool](const QString& a, const QString& b) {
        return perTool.value(a) != perTool.value(b) ? perTool.value(a) > perTool.value(b) : a < b;
    });
    const bool other = tools.size() > kMaxTools;
    QStringList shown = other ? tools.mid(0, kMaxTools - 1) : tools;
    const QString otherName = tr("Other");

    const qsizetype perBar = std::max<qsizetype>(1, (turnList.size() + kMaxBars - 1) / kMaxBars);
    QHash<qint64, qsizetype> barOfTurn;
    QList<qint64> firstTurns;
    QList<qint64> lastTurns;
    for (qsizetype i = 0; i < turnList.size(); ++i) {
        if (i % perBar == 0) {
            firstTurns << turnList.at(i);
            lastTurns << turnList.at(i);
        }
        lastTurns.last() = turnList.at(i);
        barOfTurn.insert(turnList.at(i), i / perBar);
    }
    const qsizetype barCount = firstTurns.size();
    QStringList setNames = shown;
    if (other)
        setNames << otherName;
    // counts[set][bar]
    QList<QList<qint64>> counts(setNames.size(), QList<qint64>(barCount, 0));
    for (const core::ToolCalls& c : calls) {
        if (!c.turn)
            continue;
        qsizetype set = shown.indexOf(c.tool);
        if (set < 0)
            set = setNames.size() - 1;
        counts[set][barOfTurn.value(*c.turn)] += c.count;
    }

    QChart* chart = newChart(perBar == 1 ? tr("Tool calls per turn") : tr("Tool calls per turn (%1 turns per bar)").arg(perBar));
    chart->setProperty(kTurnsProperty, variantList(firstTurns));
    auto* series = new QStackedBarSeries;
    double top = 0;
    QList<qint64> barTotals(barCount, 0);
    for (qsizetype s = 0; s < setNames.size(); ++s) {
        const QString name = setNames.at(s).isEmpty() ? tr("(unnamed)") : setNames.at(s);
        QBarSet* set = newSet(name, toolColours().at(s % toolColours().size()));
        for (qsizetype b = 0; b < barCount; ++b) {
            *set << double(counts.at(s).at(b));
            barTotals[b] += counts.at(s).at(b);
        }
        series->append(set);
    }
    for (qint64 t : barTotals)
        top = std::max(top, double(t));
    series->setBarWidth(barCount > 20 ? 0.9 : 0.6);
    QObject::connect(series, &QAbstractBarSeries::hovered, series,
                     [counts, setNames, firstTurns, lastTurns, barTotals](bool on, int index, QBarSet*) {
                         if (!on || index < 0 || index >= firstTurns.size()) {
                             QToolTip::hideText();
                             return;
                         }
                         QString text = firstTurns.at(index) == lastTurns.at(index)
                             ? tr("Turn %1").arg(firstTurns.at(index))
                             : tr("Turns %1").arg(rangeLabel(firstTurns.at(index), lastTurns.at(index)));
                         text += QStringLiteral(": ") + count(barTotals.at(index), "1 call", "%1 calls");
                         for (qsizetype s = 0; s < setNames.size(); ++s) {
                             if (counts.at(s).at(index) > 0)
                                 text += u'\n' + (setNames.at(s).isEmpty() ? tr("(unnamed)") : setNames.at(s))
                                     + QStringLiteral(": ") + num(counts.at(s).at(index));
                         }
                         showTip(text);
                     });
    chart->addSeries(series);
    QStringList categories;
    for (qsizetype b = 0; b < barCount; ++b)
        categories << rangeLabel(firstTurns.at(b), lastTurns.at(b));
    auto* x = categoryAxis(categories, perBar == 1 ? tr("Turn") : tr("Turns"));
    QValueAxis* y = valueAxis(tr("Calls"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    fitAxis(y, top);
    applyPalette(chart, QGuiApplication::palette());
    return chart;
}

QChart* UsageCharts::toolTotals(const QList<core::ToolCalls>& calls)
{
    QHash<QString, qint64> perTool;
    for (const core::ToolCalls& c : calls)
        perTool[c.tool] += c.count;
    QStringList tools = perTool.keys();
    std::sort(tools.begin(), tools.end(), [&perTool](const QString& a, const QString& b) {
        return perTool.value(a) != perTool.value(b) ? perTool.value(a) > perTool.value(b) : a < b;
    });
    qint64 total = 0;
    for (qint64 v : std::as_const(perTool))
        total += v;

    QChart* chart = newChart(tr("Tool calls in total: %1").arg(num(total)));
    // Horizontal bars draw the first category at the bottom: reverse so the most used is on top.
    QStringList categories;
    QStringList keys;
    auto* set = newSet(tr("Calls"), toolColours().first());
    QList<qint64> values;
    for (auto it = tools.crbegin(); it != tools.crend(); ++it) {
        categories << (it->isEmpty() ? tr("(unnamed)") : *it);
        keys << *it;
        values << perTool.value(*it);
        *set << double(perTool.value(*it));
    }
    chart->setProperty(kKeysProperty, keys);
    auto* series = new QHorizontalBarSeries;
    series->append(set);
    series->setBarWidth(0.6);
    chart->legend()->setVisible(false);
    QObject::connect(series, &QAbstractBarSeries::hovered, series, [categories, values, total](bool on, int i, QBarSet*) {
        if (!on || i < 0 || i >= values.size()) {
            QToolTip::hideText();
            return;
        }
        const double share = total > 0 ? 100.0 * double(values.at(i)) / double(total) : 0;
        showTip(categories.at(i) + QStringLiteral(": ") + count(values.at(i), "1 call", "%1 calls")
                + tr(" (%1% of all)").arg(QLocale().toString(share, 'f', 1)));
    });
    chart->addSeries(series);
    QStringList shortened;
    for (const QString& c : std::as_const(categories))
        shortened << shortLabel(c);
    QBarCategoryAxis* y = categoryAxis(uniqueLabels(shortened, keys), {});
    y->setLabelsAngle(0);
    QValueAxis* x = valueAxis(tr("Calls"));
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(y);
    series->attachAxis(x);
    double top = 0;
    for (qint64 v : values)
        top = std::max(top, double(v));
    fitAxis(x, top);
    applyPalette(chart, QGuiApplication::palette());
    return chart;
}

QChart* UsageCharts::contextGrowth(const QList<core::ContextPoint>& points, std::optional<qint64> contextWindow,
                                   const QString& model)
{
    QList<core::ContextPoint> rows = points;
    std::stable_sort(rows.begin(), rows.end(),
                     [](const core::ContextPoint& a, const core::ContextPoint& b) { return a.index < b.index; });
    qint64 peak = 0;
    for (const core::ContextPoint& p : rows)
        peak = std::max(peak, p.inputTokens);

    QString title = tr("Context growth: input tokens per request");
    if (contextWindow && *contextWindow > 0) {
        const double share = 100.0 * double(peak) / double(*contextWindow);
        title = tr("Context growth: peak %1 of %2 tokens (%3%)")
                    .arg(num(peak), num(*contextWindow), QLocale().toString(share, 'f', share < 10 ? 1 : 0));
    }
    QChart* chart = newChart(title);

    auto* line = new QLineSeries;
    line->setName(tr("Input tokens per request"));
    line->setColor(kUncached);
    line->setPen(QPen(kUncached, 2));
    line->setPointsVisible(rows.size() <= 60);
    for (const core::ContextPoint& p : rows)
        line->append(double(p.index), double(p.inputTokens));
    chart->addSeries(line);
    const std::optional<qint64> window = contextWindow && *contextWindow > 0 ? contextWindow : std::nullopt;
    QObject::connect(line, &QXYSeries::hovered, line, [rows, window](const QPointF& p, bool on) {
        if (!on || rows.isEmpty()) {
            QToolTip::hideText();
            return;
        }
        // Nearest request by x (indices are sorted, usually 1..n).
        auto it = std::lower_bound(rows.cbegin(), rows.cend(), p.x(),
                                   [](const core::ContextPoint& c, double x) { return double(c.index) < x; });
        if (it == rows.cend() || (it != rows.cbegin() && std::abs(double((it - 1)->index) - p.x()) < std::abs(double(it->index) - p.x())))
            --it;
        QString text = tr("Request %1 (turn %2): %3 input tokens").arg(it->index).arg(it->turn).arg(num(it->inputTokens));
        if (!it->model.isEmpty())
            text += tr(" on %1").arg(it->model);
        if (window)
            text += u'\n' + tr("%1% of the %2-token context window")
                                .arg(QLocale().toString(100.0 * double(it->inputTokens) / double(*window), 'f', 1), num(*window));
        showTip(text);
    });

    const double xMax = rows.isEmpty() ? 1.0 : double(std::max<qint64>(rows.last().index, 1));
    const double xMin = rows.isEmpty() ? 0.0 : double(std::min<qint64>(rows.first().index, 1));
    auto* x = valueAxis(tr("Request"));
    auto* y = valueAxis(tr("Input tokens"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    line->attachAxis(x);
    line->attachAxis(y);
    fitAxis(x, std::max(xMax, xMin + 1) / 1.08);
    double top = double(peak);
    if (window) {
        auto* limit = new QLineSeries;
        limit->setName(model.isEmpty() ? tr("Context window: %1").arg(num(*window))
                                       : tr("Context window of %1: %2").arg(model, num(*window)));
        QPen pen(kWindow, 2, Qt::DashLine);
        limit->setPen(pen);
        limit->setColor(kWindow);
        limit->append(xMin, double(*window));
        limit->append(std::max(xMax, xMin + 1), double(*window));
        chart->addSeries(limit);
        limit->attachAxis(x);
        limit->attachAxis(y);
        // Far below the window, drawing it would flatten the growth into the floor: the title
        // gives the share instead and the dashed line stays off the scale.
        if (double(peak) >= 0.25 * double(*window))
            top = double(*window);
    }
    fitAxis(y, top);
    applyPalette(chart, QGuiApplication::palette());
    return chart;
}

QChart* UsageCharts::days(const QList<core::DayTotals>& input)
{
    QList<core::DayTotals> rows = input;
    std::stable_sort(rows.begin(), rows.end(), [](const core::DayTotals& a, const core::DayTotals& b) { return a.day < b.day; });
    const qsizetype perBar = std::max<qsizetype>(1, (rows.size() + kMaxBars - 1) / kMaxBars);
    struct DayBar
    {
        QDate first;
        QDate last;
        qint64 tokens = 0;
        double cost = 0;
        bool priced = false;
    };
    QList<DayBar> bars;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (i % perBar == 0)
            bars.append(DayBar{rows.at(i).day, rows.at(i).day, 0, 0, false});
        DayBar& b = bars.last();
        b.last = rows.at(i).day;
        b.tokens += rows.at(i).totalTokens;
        if (rows.at(i).cost) {
            b.cost += *rows.at(i).cost;
            b.priced = true;
        }
    }
    QChart* chart = newChart(perBar == 1 ? tr("Tokens and cost per day (UTC)") : tr("Tokens and cost per %1 days (UTC)").arg(perBar));
    QStringList categories;
    QStringList keys;
    auto* set = newSet(tr("Tokens"), kUncached);
    double top = 0;
    double costTop = 0;
    bool anyCost = false;
    QStringList labels;
    // Many bars: month and day only (the tooltip has the whole date).
    const bool compact = bars.size() > 12;
    const QString shortFormat = QStringLiteral("MM-dd");
    for (const DayBar& b : bars) {
        const QString first = b.first.toString(Qt::ISODate);
        categories << (b.first == b.last ? first : first + u'–' + b.last.toString(shortFormat));
        labels << (!compact ? categories.last()
                            : b.first == b.last ? b.first.toString(shortFormat)
                                                : b.first.toString(shortFormat) + u'–' + b.last.toString(shortFormat));
        keys << first;
        *set << double(b.tokens);
        top = std::max(top, double(b.tokens));
        costTop = std::max(costTop, b.cost);
        anyCost = anyCost || b.priced;
    }
    chart->setProperty(kKeysProperty, keys);
    auto* series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.7);
    QObject::connect(series, &QAbstractBarSeries::hovered, series, [bars, categories](bool on, int i, QBarSet*) {
        if (!on || i < 0 || i >= bars.size()) {
            QToolTip::hideText();
            return;
        }
        showTip(tr("%1\nTokens: %2\nCost: %3")
                    .arg(categories.at(i), num(bars.at(i).tokens),
                         formatCost(bars.at(i).priced ? std::optional<double>(bars.at(i).cost) : std::nullopt)));
    });
    chart->addSeries(series);
    auto* x = categoryAxis(uniqueLabels(labels, keys), {});
    QValueAxis* y = valueAxis(tr("Tokens"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    fitAxis(y, top);
    if (anyCost) {
        auto* cost = new QLineSeries;
        cost->setName(tr("Cost (US$)"));
        cost->setPen(QPen(kOutput, 2));
        cost->setColor(kOutput);
        cost->setPointsVisible(bars.size() <= 30);
        for (qsizetype i = 0; i < bars.size(); ++i)
            cost->append(double(i), bars.at(i).cost);
        chart->addSeries(cost);
        QValueAxis* y2 = valueAxis(tr("Cost (US$)"));
        chart->addAxis(y2, Qt::AlignRight);
        cost->attachAxis(x);
        cost->attachAxis(y2);
        setMetricAxisFormat(y2, true, costTop);
        y2->setGridLineVisible(false);
        QObject::connect(cost, &QXYSeries::hovered, cost, [bars, categories](const QPointF& p, bool on) {
            const auto i = qsizetype(std::lround(p.x()));
            if (!on || i < 0 || i >= bars.size()) {
                QToolTip::hideText();
                return;
            }
            showTip(tr("%1\nCost: %2").arg(categories.at(i), formatCost(bars.at(i).cost)));
        });
    }
    applyPalette(chart, QGuiApplication::palette());
    return chart;
}

QChart* UsageCharts::groups(const QList<core::GroupTotals>& groups, const QString& title)
{
    bool byCost = false;
    for (const core::GroupTotals& g : groups)
        byCost = byCost || g.cost.has_value();
    QChart* chart = newChart(title);
    // Unique labels in the given order (the first "Refund" stays plain), then reversed: horizontal
    // bars draw the first category at the bottom.
    QStringList labels;
    QStringList keys;
    for (const core::GroupTotals& g : groups) {
        keys << g.key;
        labels << (!g.label.isEmpty() ? g.label : !g.key.isEmpty() ? g.key : tr("(none)"));
    }
    labels = uniqueLabels(labels, keys);
    QList<core::GroupTotals> rows(groups.crbegin(), groups.crend());
    std::reverse(keys.begin(), keys.end());
    const QStringList categories(labels.crbegin(), labels.crend());
    chart->setProperty(kKeysProperty, keys);
    auto* set = newSet(byCost ? tr("Cost (US$)") : tr("Tokens"), byCost ? kOutput : kUncached);
    double top = 0;
    for (const core::GroupTotals& g : rows) {
        const double v = byCost ? g.cost.value_or(0) : double(g.totalTokens);
        *set << v;
        top = std::max(top, v);
    }
    auto* series = new QHorizontalBarSeries;
    series->append(set);
    series->setBarWidth(0.6);
    chart->legend()->setVisible(false);
    QObject::connect(series, &QAbstractBarSeries::hovered, series, [rows, categories](bool on, int i, QBarSet*) {
        if (!on || i < 0 || i >= rows.size()) {
            QToolTip::hideText();
            return;
        }
        const core::GroupTotals& g = rows.at(i);
        QString text = categories.at(i);
        if (!g.key.isEmpty() && g.key != categories.at(i))
            text += u'\n' + g.key;
        if (g.sessions > 1 || g.label != g.key)
            text += u'\n' + count(g.sessions, "1 session", "%1 sessions");
        text += u'\n' + tr("Tokens: %1\nCost: %2").arg(num(g.totalTokens), formatCost(g.cost));
        if (g.whatIfCost)
            text += u'\n' + tr("What-if cost: %1").arg(formatCost(g.whatIfCost));
        showTip(text);
    });
    chart->addSeries(series);
    QStringList shortened;
    for (const QString& c : categories)
        shortened << shortLabel(c);
    QBarCategoryAxis* y = categoryAxis(uniqueLabels(shortened, keys), {});
    y->setLabelsAngle(0);
    QValueAxis* x = valueAxis(byCost ? tr("Cost (US$)") : tr("Tokens"));
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(y);
    series->attachAxis(x);
    setMetricAxisFormat(x, byCost, top);
    applyPalette(chart, QGuiApplication::palette());
    return chart;
}

QList<qint64> UsageCharts::barTurns(const QChart* chart)
{
    return chart ? chart->property(kTurnsProperty).value<QList<qint64>>() : QList<qint64>{};
}

QStringList UsageCharts::barKeys(const QChart* chart)
{
    return chart ? chart->property(kKeysProperty).toStringList() : QStringList{};
}

std::optional<qint64> UsageCharts::mostExpensiveTurn(const QChart* chart)
{
    const QVariant v = chart ? chart->property(kStarProperty) : QVariant();
    if (!v.isValid())
        return std::nullopt;
    return v.toLongLong();
}

void UsageCharts::onBarClicked(QChart* chart, const QObject* context, std::function<void(int)> onClick)
{
    if (!chart)
        return;
    const QList<QAbstractSeries*> all = chart->series();
    for (QAbstractSeries* s : all) {
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(s))
            QObject::connect(bars, &QAbstractBarSeries::clicked, context, [onClick](int index, QBarSet*) { onClick(index); });
    }
}

void UsageCharts::applyPalette(QChart* chart, const QPalette& palette)
{
    if (!chart)
        return;
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    QColor grid = text;
    grid.setAlphaF(0.15f);
    QColor axisLine = text;
    axisLine.setAlphaF(0.45f);
    chart->setBackgroundBrush(base);
    chart->setBackgroundPen(Qt::NoPen);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    QFont titleFont = chart->titleFont();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->legend()->setLabelColor(text);
    chart->legend()->setBrush(Qt::NoBrush);
    chart->legend()->setPen(Qt::NoPen);
    const QList<QAbstractAxis*> axes = chart->axes();
    for (QAbstractAxis* axis : axes) {
        axis->setLabelsBrush(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(grid);
        axis->setLinePenColor(axisLine);
        axis->setShadesVisible(false);
    }
    // The star's outline takes the text colour so it stands out on either background.
    const QList<QAbstractSeries*> all = chart->series();
    for (QAbstractSeries* s : all) {
        if (auto* scatter = qobject_cast<QScatterSeries*>(s))
            scatter->setBorderColor(text);
    }
}

namespace {

// Draws the chart into `target`: from its scene when a view shows it, else laid out on its own.
bool paintChart(QChart* chart, QPainter& painter, const QSizeF& size)
{
    const QRectF target(QPointF(0, 0), size);
    if (QGraphicsScene* scene = chart->scene()) {
        scene->render(&painter, target, chart->sceneBoundingRect(), Qt::IgnoreAspectRatio);
        return true;
    }
    QGraphicsScene scene;
    scene.addItem(chart);
    chart->setGeometry(target);
    // QChart lays out its axes and series on the next LayoutRequest; run it now.
    if (chart->layout())
        chart->layout()->activate();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    scene.render(&painter, target, chart->sceneBoundingRect(), Qt::IgnoreAspectRatio);
    scene.removeItem(chart);
    return true;
}

} // namespace

QImage UsageCharts::renderToImage(QChart* chart, const QSize& size, qreal devicePixelRatio)
{
    if (!chart || size.isEmpty())
        return {};
    const qreal dpr = devicePixelRatio > 0 ? devicePixelRatio : 1.0;
    QImage image(QSize(int(std::ceil(size.width() * dpr)), int(std::ceil(size.height() * dpr))),
                 QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(chart->backgroundBrush().color().isValid() ? chart->backgroundBrush().color() : QColor(Qt::white));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paintChart(chart, painter, QSizeF(size));
    painter.end();
    return image;
}

core::Result<void> UsageCharts::saveChart(QChart* chart, const QString& path, const QSize& size)
{
    if (!chart)
        return core::Error::make(core::Error::Code::Argument, tr("No chart to save"));
    const QSize target = size.isEmpty() ? QSize(960, 540) : size;
    if (QFileInfo(path).suffix().compare(QStringLiteral("svg"), Qt::CaseInsensitive) == 0) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(target);
        generator.setViewBox(QRect(QPoint(0, 0), target));
        generator.setTitle(chart->title());
        generator.setDescription(tr("Threadbench usage chart"));
        QPainter painter;
        if (!painter.begin(&generator))
            return core::Error::make(core::Error::Code::Storage, tr("Cannot write %1").arg(path));
        painter.fillRect(QRect(QPoint(0, 0), target), chart->backgroundBrush());
        paintChart(chart, painter, QSizeF(target));
        if (!painter.end())
            return core::Error::make(core::Error::Code::Storage, tr("Cannot write %1").arg(path));
        return {};
    }
    const QImage image = renderToImage(chart, target, 1.0);
    if (image.isNull() || !image.save(path, "PNG"))
        return core::Error::make(core::Error::Code::Storage, tr("Cannot write %1").arg(path));
    return {};
}

} // namespace tb::ui
