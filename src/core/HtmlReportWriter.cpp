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

// Widths in percent for the text columns, from their longest cell, at most 40 % of the table in
// all; numbers keep their natural width. Without them a paged layout (the PDF) gives every column
// an even share and breaks numbers digit by digit.
QList<int> columnWidths(const ReportTable& t)
{
    QList<int> out(t.headers.size(), 0);
    qsizetype textChars = 0;
    qsizetype allChars = 0;
    QList<qsizetype> longest(t.headers.size(), 0);
    for (qsizetype c = 0; c < t.headers.size(); ++c)
        longest[c] = t.numeric.value(c) ? 8 : 6;
    for (const QStringList& row : t.rows) {
        for (qsizetype c = 0; c < row.size() && c < longest.size(); ++c)
            longest[c] = std::max(longest.at(c), std::min<qsizetype>(row.at(c).size(), t.numeric.value(c) ? 14 : 30));
    }
    for (qsizetype c = 0; c < longest.size(); ++c) {
        allChars += longest.at(c);
        if (!t.numeric.value(c))
            textChars += longest.at(c);
    }
    if (textChars == 0 || allChars == 0)
        return out;
    const double textShare = std::min(40.0, 100.0 * double(textChars) / double(allChars));
    for (qsizetype c = 0; c < longest.size(); ++c) {
        if (!t.numeric.value(c))
            out[c] = std::max(1, int(textShare * double(longest.at(c)) / double(textChars)));
    }
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

QString HtmlReportWriter::render(const UsageReport& report, const QList<ReportImage>& charts, qsizetype maxRows, bool embedImages)
{
    QString h;
    h.reserve(1 << 16);
    const QString title = escape(ReportTables::title(report));
    h += QStringLiteral("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                        "<title>")
        + title + QStringLiteral("</title>\n<style>") + QLatin1String(kStyle) + QStringLiteral("</style>\n</head>\n<body>\n<h1>") + title
        + QStringLiteral("</h1>\n<table class=\"scope\" border=\"0\" cellpadding=\"2\">\n");
    for (const auto& [label, value] : ReportTables::scope(report))
        h += QStringLiteral("<tr><th>") + escape(label) + QStringLiteral("</th><td>") + escape(value) + QStringLiteral("</td></tr>\n");
    h += QStringLiteral("</table>\n<h2 id=\"summary\">Summary</h2>\n<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">\n");
    for (const auto& [label, value] : ReportTables::summary(report))
        h += QStringLiteral("<tr><th>") + escape(label) + QStringLiteral("</th><td class=\"n\" align=\"right\">") + escape(value)
            + QStringLiteral("</td></tr>\n");
    h += QStringLiteral("</table>\n");
    if (!charts.isEmpty()) {
        h += QStringLiteral("<h2 id=\"charts\">Charts</h2>\n");
        for (qsizetype i = 0; i < charts.size(); ++i) {
            const ReportImage& c = charts.at(i);
            const QString src = embedImages ? QStringLiteral("data:image/png;base64,") + QString::fromLatin1(c.png.toBase64())
                                            : QStringLiteral("chart-%1.png").arg(i);
            // Without data URIs the image is a document resource laid out at the PDF's column width.
            const QString size = embedImages ? QString() : QStringLiteral("\" width=\"640\" height=\"320");
            h += QStringLiteral("<p class=\"chart\"><img src=\"") + src + size + QStringLiteral("\" alt=\"") + escape(c.title)
                + QStringLiteral("\"/><br/>") + escape(c.title) + QStringLiteral("</p>\n");
        }
    }
    for (const ReportTable& t : ReportTables::tables(report, maxRows)) {
        h += QStringLiteral("<h2 id=\"") + t.id + QStringLiteral("\">") + escape(t.title) + QStringLiteral("</h2>\n");
        if (t.rows.isEmpty()) {
            h += QStringLiteral("<p>None.</p>\n");
        } else {
            h += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" width=\"100%\">\n<thead><tr>");
            const QList<int> widths = columnWidths(t);
            for (qsizetype c = 0; c < t.headers.size(); ++c) {
                if (t.numeric.value(c))
                    h += QStringLiteral("<th class=\"n\" align=\"right\">");
                else
                    h += QStringLiteral("<th width=\"%1%\">").arg(widths.value(c));
                h += escape(t.headers.at(c)) + QStringLiteral("</th>");
            }
            h += QStringLiteral("</tr></thead>\n<tbody>\n");
            for (const QStringList& row : t.rows) {
                h += QStringLiteral("<tr>");
                for (qsizetype c = 0; c < row.size(); ++c) {
                    h += (t.numeric.value(c) ? QStringLiteral("<td class=\"n\" align=\"right\">") : QStringLiteral("<td>")) + escape(row.at(c))
                        + QStringLiteral("</td>");
                }
                h += QStringLiteral("</tr>\n");
            }
            h += QStringLiteral("</tbody>\n</table>\n");
        }
        if (!t.note.isEmpty())
            h += QStringLiteral("<p class=\"note\">") + escape(t.note) + QStringLiteral("</p>\n");
    }
    h += QStringLiteral("<p class=\"note\">Estimated from token counts and list prices; not an invoice. Written by Threadbench.</p>\n"
                        "</body>\n</html>\n");
    return h;
}

Result<void> HtmlReportWriter::write(const UsageReport& report, const QList<ReportImage>& charts, QIODevice& out,
                                     const ReportProgress& progress)
{
    if (progress && !progress(0, 1))
        return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
    if (out.write(render(report, charts, kMaxTurnRows, true).toUtf8()) < 0)
        return Error::make(Error::Code::Argument, QStringLiteral("cannot write the report: %1").arg(out.errorString()));
    if (progress && !progress(1, 1))
        return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
    return {};
}

} // namespace tb::core
