// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "HtmlReportWriter.h"

#include "ReportTables.h"

#include <algorithm>

namespace tb::core {

namespace {

const char* const kStyle =
    "body{font-family:system-ui,sans-serif;margin:2em;color:#1d1d1f;background:#fff}"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}"
    "table{border-collapse:collapse;margin:0.5em 0}"
    "th,td{border:1px solid #c8c8cc;padding:3px 8px;font-size:0.9em}"
    "th{background:#f0f0f3;text-align:left}td.n,th.n{text-align:right}"
    "p.note{color:#555;font-size:0.9em}img{max-width:100%}";

// Widths in percent from the longest cell of each column (text capped, so that one long id does
// not starve the numbers; numbers at least eight characters). Fixed widths keep the pieces of a
// table that a paged layout places one under the other (the PDF) aligned, and stop such a layout
// from breaking numbers digit by digit.
QList<int> columnWidths(const ReportTable& t)
{
    QList<qsizetype> longest(t.headers.size(), 0);
    for (qsizetype c = 0; c < t.headers.size(); ++c)
        longest[c] = t.numeric.value(c) ? std::max<qsizetype>(8, t.headers.at(c).size()) : std::min<qsizetype>(t.headers.at(c).size(), 12);
    for (const QStringList& row : t.rows) {
        for (qsizetype c = 0; c < row.size() && c < longest.size(); ++c)
            longest[c] = std::max(longest.at(c), std::min<qsizetype>(row.at(c).size(), t.numeric.value(c) ? 16 : 30));
    }
    qsizetype sum = 0;
    for (qsizetype l : longest)
        sum += l;
    QList<int> out;
    for (qsizetype l : longest)
        out << int(std::max<qsizetype>(1, l * 100 / std::max<qsizetype>(1, sum)));
    return out;
}

} // namespace

QString HtmlReportWriter::escape(const QString& text)
{
    QString out = text.toHtmlEscaped(); // &, <, >, "
    out.replace(u'\'', QStringLiteral("&#39;"));
    // Control characters are not allowed in XML; the page stays well-formed whatever the data.
    for (QChar& c : out) {
        if (c.unicode() < 0x20 && c != u'\n' && c != u'\t')
            c = QChar(0xFFFD);
    }
    return out;
}

QString HtmlReportWriter::style()
{
    return QLatin1String(kStyle);
}

QString HtmlReportWriter::headBlock(const UsageReport& report)
{
    QString h = QStringLiteral("<h1>") + escape(ReportTables::title(report))
        + QStringLiteral("</h1>\n<table class=\"scope\" border=\"0\" cellpadding=\"2\">\n");
    for (const auto& [label, value] : ReportTables::scope(report))
        h += QStringLiteral("<tr><th>") + escape(label) + QStringLiteral("</th><td>") + escape(value) + QStringLiteral("</td></tr>\n");
    h += QStringLiteral("</table>\n<h2 id=\"summary\">Summary</h2>\n<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">\n");
    for (const auto& [label, value] : ReportTables::summary(report))
        h += QStringLiteral("<tr><th>") + escape(label) + QStringLiteral("</th><td class=\"n\" align=\"right\">") + escape(value)
            + QStringLiteral("</td></tr>\n");
    h += QStringLiteral("</table>\n");
    return h;
}

QString HtmlReportWriter::chartBlock(const ReportImage& chart, const QString& src, const QSize& size)
{
    // A document resource (the PDF) is laid out at the given size; a data URI at its own.
    const QString sized = size.isValid() ? QStringLiteral("\" width=\"%1\" height=\"%2").arg(size.width()).arg(size.height()) : QString();
    return QStringLiteral("<p class=\"chart\"><img src=\"") + src + sized + QStringLiteral("\" alt=\"") + escape(chart.title)
        + QStringLiteral("\"/><br/>") + escape(chart.title) + QStringLiteral("</p>\n");
}

QString HtmlReportWriter::tableBlock(const ReportTable& t, qsizetype from, qsizetype to, bool heading, bool note, bool headerRow)
{
    QString h;
    if (heading)
        h += QStringLiteral("<h2 id=\"") + t.id + QStringLiteral("\">") + escape(t.title) + QStringLiteral("</h2>\n");
    if (t.rows.isEmpty()) {
        if (heading)
            h += QStringLiteral("<p>None.</p>\n");
    } else if (from < to) {
        h += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"2\" width=\"100%\">\n");
        const QList<int> widths = columnWidths(t); // of the whole table: every piece lines up
        if (headerRow) {
            h += QStringLiteral("<thead><tr>");
            for (qsizetype c = 0; c < t.headers.size(); ++c) {
                h += (t.numeric.value(c) ? QStringLiteral("<th class=\"n\" align=\"right\" width=\"%1%\">") : QStringLiteral("<th width=\"%1%\">"))
                         .arg(widths.value(c))
                    + escape(t.headers.at(c)) + QStringLiteral("</th>");
            }
            h += QStringLiteral("</tr></thead>\n");
        }
        h += QStringLiteral("<tbody>\n");
        for (qsizetype r = from; r < to && r < t.rows.size(); ++r) {
            const QStringList& row = t.rows.at(r);
            h += QStringLiteral("<tr>");
            for (qsizetype c = 0; c < row.size(); ++c) {
                // Widths on the first row too: a piece without a header row must line up as well.
                const QString width = r == from && !headerRow ? QStringLiteral(" width=\"%1%\"").arg(widths.value(c)) : QString();
                h += (t.numeric.value(c) ? QStringLiteral("<td class=\"n\" align=\"right\"") : QStringLiteral("<td")) + width + u'>'
                    + escape(row.at(c)) + QStringLiteral("</td>");
            }
            h += QStringLiteral("</tr>\n");
        }
        h += QStringLiteral("</tbody>\n</table>\n");
    }
    if (note && !t.note.isEmpty())
        h += QStringLiteral("<p class=\"note\">") + escape(t.note) + QStringLiteral("</p>\n");
    return h;
}

QString HtmlReportWriter::footer()
{
    return QStringLiteral("<p class=\"note\">Estimated from token counts and list prices; not an invoice. Written by Threadbench.</p>\n");
}

QString HtmlReportWriter::render(const UsageReport& report, const QList<ReportImage>& charts, qsizetype maxRows)
{
    QString h;
    h.reserve(1 << 16);
    h += QStringLiteral("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                        "<title>")
        + escape(ReportTables::title(report)) + QStringLiteral("</title>\n<style>") + style() + QStringLiteral("</style>\n</head>\n<body>\n")
        + headBlock(report);
    if (!charts.isEmpty()) {
        h += QStringLiteral("<h2 id=\"charts\">Charts</h2>\n");
        for (const ReportImage& c : charts)
            h += chartBlock(c, QStringLiteral("data:image/png;base64,") + QString::fromLatin1(c.png.toBase64()));
    }
    for (const ReportTable& t : ReportTables::tables(report, maxRows))
        h += tableBlock(t, 0, t.rows.size(), true, true);
    h += footer() + QStringLiteral("</body>\n</html>\n");
    return h;
}

Result<void> HtmlReportWriter::write(const UsageReport& report, const QList<ReportImage>& charts, QIODevice& out,
                                     const ReportProgress& progress)
{
    if (progress && !progress(0, 1))
        return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
    if (out.write(render(report, charts, kMaxTurnRows).toUtf8()) < 0)
        return Error::make(Error::Code::Argument, QStringLiteral("cannot write the report: %1").arg(out.errorString()));
    if (progress && !progress(1, 1))
        return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
    return {};
}

} // namespace tb::core
