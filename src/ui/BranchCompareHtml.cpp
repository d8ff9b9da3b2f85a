// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BranchCompareHtml.h"

#include <QCoreApplication>
#include <QLocale>

namespace tb::ui {

namespace {

using core::BranchComparison;
using core::TextDiff;

QString tr(const char* text, const char* disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("BranchCompareHtml", text, disambiguation, n);
}

QString esc(const QString& text)
{
    return text.toHtmlEscaped();
}

bool isMono(BranchComparison::ItemKind kind)
{
    using K = BranchComparison::ItemKind;
    return kind == K::ToolCall || kind == K::ToolOutput || kind == K::Other || kind == K::Corrupt;
}

// Appends segments of one side up to the character budget; `highlight` is the op shown tinted.
QString sideText(const QList<TextDiff::Segment>& segments, TextDiff::Op skip, TextDiff::Op highlight,
                 const QColor& tint, const QColor& text, qsizetype budget)
{
    QString html;
    qsizetype shown = 0;
    qsizetype hidden = 0;
    for (const TextDiff::Segment& s : segments) {
        if (s.op == skip)
            continue;
        const qsizetype room = budget - shown;
        if (room <= 0) {
            hidden += s.text.size();
            continue;
        }
        const QString part = s.text.size() > room ? s.text.left(room) : s.text;
        hidden += s.text.size() - part.size();
        shown += part.size();
        if (s.op == highlight)
            html += QStringLiteral("<span style=\"background-color:%1; color:%2\">%3</span>")
                        .arg(tint.name(), text.name(), esc(part));
        else
            html += esc(part);
    }
    if (hidden > 0)
        html +=
            QStringLiteral("<br><i>%1</i>").arg(tr("… %1 more characters not shown").arg(QLocale().toString(hidden)));
    return html;
}

QString itemCell(const std::optional<BranchComparison::Item>& item, const QString& body,
                 const BranchCompareHtml::Colors& c, const BranchCompareHtml::Options& o)
{
    if (!item)
        return QStringLiteral("<td width=\"50%\" valign=\"top\"><span style=\"color:%1\"><i>%2</i></span></td>")
            .arg(c.muted.name(), tr("(nothing here)"));
    if (body.isEmpty())
        return QStringLiteral("<td width=\"50%\" valign=\"top\"><span "
                              "style=\"color:%1\"><small>%2</small><br><i>%3</i></span></td>")
            .arg(c.muted.name(), esc(item->label), tr("(empty)"));
    const QString font = isMono(item->kind) && !o.monospaceFamily.isEmpty()
                             ? QStringLiteral("font-family:'%1';").arg(o.monospaceFamily)
                             : QString();
    return QStringLiteral("<td width=\"50%\" valign=\"top\"><span style=\"color:%1\"><small>%2</small></span>"
                          "<p style=\"white-space:pre-wrap; margin-top:2px; %3\">%4</p></td>")
        .arg(c.muted.name(), esc(item->label), font, body);
}

QString tokensLine(const BranchComparison::Tokens& t)
{
    if (!t.hasUsage())
        return tr("no usage recorded");
    QString line = tr("%1 tokens").arg(QLocale().toString(t.total));
    if (t.cost)
        line += QStringLiteral(" · $") + QString::number(*t.cost, 'f', *t.cost < 1 ? 4 : 2);
    return line;
}

QString turnHeaderCell(const BranchComparison::Turn& t, bool present, const BranchComparison::Tokens& tokens,
                       const QString& side, const BranchCompareHtml::Colors& c)
{
    // The left header carries the anchor the dialog scrolls to.
    const QString anchor = side == u"left" ? QStringLiteral("<a name=\"turn-%1\"></a>").arg(t.turn) : QString();
    QString cell = QStringLiteral("<td width=\"50%\" style=\"background-color:%1\">%2<b>%3</b>")
                       .arg(c.header.name(), anchor, tr("Turn %1").arg(t.turn));
    if (present)
        cell += QStringLiteral(" — %1 · <a href=\"open:%2/%3\">%4</a>")
                    .arg(esc(tokensLine(tokens)), side, QString::number(t.turn), tr("Open"));
    else
        cell += QStringLiteral(" — <span style=\"color:%1\"><i>%2</i></span>")
                    .arg(c.muted.name(), tr("not on this branch"));
    return cell + QStringLiteral("</td>");
}

QString turnRange(const QList<qint64>& turns)
{
    QList<qint64> real;
    for (qint64 t : turns) {
        if (t > 0)
            real << t;
    }
    if (real.isEmpty())
        return {};
    if (real.size() == 1)
        return tr("Turn %1").arg(real.first());
    // Shared turns of an SDK branch are always 1..fork-1; a gap is only possible in foreign files.
    if (real.last() - real.first() + 1 == real.size())
        return tr("Turns %1–%2").arg(real.first()).arg(real.last());
    return tr("%n turns", nullptr, int(real.size()));
}

} // namespace

BranchCompareHtml::Colors BranchCompareHtml::colorsFor(const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    Colors c;
    c.text = palette.color(QPalette::Text);
    c.muted = palette.color(QPalette::PlaceholderText);
    c.header = palette.color(QPalette::AlternateBase);
    if (dark) {
        // Deep tints under light text (contrast above 7:1 against #e6e6e6).
        c.removed = QColor(0x6e, 0x26, 0x2c);
        c.inserted = QColor(0x1d, 0x57, 0x30);
        c.shared = palette.color(QPalette::Window);
    } else {
        // Pale tints under dark text.
        c.removed = QColor(0xff, 0xd3, 0xd0);
        c.inserted = QColor(0xc4, 0xf2, 0xcf);
        c.shared = palette.color(QPalette::Window);
    }
    if (c.header == palette.color(QPalette::Base))
        c.header = palette.color(QPalette::Window);
    return c;
}

QString BranchCompareHtml::forkLine(const BranchComparison& comparison)
{
    const QString range = turnRange(comparison.sharedTurns());
    const qsizetype items = comparison.sharedItemList().size();
    if (!comparison.forkTurn()) {
        if (items == 0)
            return tr("Both branches are empty");
        return range.isEmpty() ? tr("The branches hold the same %n item(s)", nullptr, int(items))
                               : tr("%1 shared: the branches hold the same items").arg(range);
    }
    if (items == 0)
        return tr("Nothing shared: the branches differ from turn %1").arg(*comparison.forkTurn());
    if (range.isEmpty())
        return tr("%n item(s) before the first question shared", nullptr, int(items));
    return tr("%1 shared (%n item(s))", nullptr, int(items)).arg(range);
}

QString BranchCompareHtml::page(const BranchComparison& comparison, const QString& leftName, const QString& rightName,
                                qsizetype first, qsizetype count, const Colors& colors, const Options& options)
{
    QString html = QStringLiteral("<html><body style=\"color:%1\">"
                                  "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"5\" border=\"0\">")
                       .arg(colors.text.name());
    html += QStringLiteral("<tr><th width=\"50%\" align=\"left\">%1</th><th width=\"50%\" align=\"left\">%2</th></tr>")
                .arg(esc(leftName), esc(rightName));

    // The shared turns, once, collapsed to one line unless expanded.
    const QList<BranchComparison::Item>& shared = comparison.sharedItemList();
    QString line = QStringLiteral("<b>%1</b>").arg(esc(forkLine(comparison)));
    if (!shared.isEmpty())
        line +=
            QStringLiteral(" · <a href=\"shared:toggle\">%1</a>").arg(options.sharedExpanded ? tr("Hide") : tr("Show"));
    html += QStringLiteral("<tr><td colspan=\"2\" style=\"background-color:%1\">%2</td></tr>")
                .arg(colors.shared.name(), line);
    if (options.sharedExpanded && !shared.isEmpty()) {
        const qsizetype from = std::max<qsizetype>(0, shared.size() - options.maxSharedItems);
        if (from > 0)
            html += QStringLiteral("<tr><td colspan=\"2\"><i>%1</i></td></tr>")
                        .arg(tr("%n earlier shared item(s) not shown", nullptr, int(from)));
        for (qsizetype i = from; i < shared.size(); ++i) {
            const BranchComparison::Item& it = shared.at(i);
            const QString body = esc(it.text.left(options.maxCharsPerItem))
                                 + (it.text.size() > options.maxCharsPerItem ? QStringLiteral("…") : QString());
            QString cell = itemCell(it, body, colors, options);
            cell.replace(QStringLiteral("<td width=\"50%\""), QStringLiteral("<td colspan=\"2\""));
            html += QStringLiteral("<tr>") + cell + QStringLiteral("</tr>");
        }
    }

    const QList<BranchComparison::Turn>& turns = comparison.turns();
    const qsizetype end = std::min(turns.size(), first + count);
    for (qsizetype i = std::max<qsizetype>(0, first); i < end; ++i) {
        const BranchComparison::Turn& t = turns.at(i);
        html += QStringLiteral("<tr>") + turnHeaderCell(t, t.onLeft, t.left, QStringLiteral("left"), colors)
                + turnHeaderCell(t, t.onRight, t.right, QStringLiteral("right"), colors) + QStringLiteral("</tr>");
        for (const BranchComparison::ItemPair& p : t.pairs) {
            const TextDiff diff = p.diff();
            const QString left = sideText(diff.segments(), TextDiff::Op::Inserted, TextDiff::Op::Removed,
                                          colors.removed, colors.text, options.maxCharsPerItem);
            const QString right = sideText(diff.segments(), TextDiff::Op::Removed, TextDiff::Op::Inserted,
                                           colors.inserted, colors.text, options.maxCharsPerItem);
            html += QStringLiteral("<tr>") + itemCell(p.left, left, colors, options)
                    + itemCell(p.right, right, colors, options) + QStringLiteral("</tr>");
        }
    }
    if (turns.isEmpty() && comparison.forkTurn())
        html += QStringLiteral("<tr><td colspan=\"2\"><i>%1</i></td></tr>").arg(tr("No turns to compare"));
    html += QStringLiteral("</table></body></html>");
    return html;
}

} // namespace tb::ui
