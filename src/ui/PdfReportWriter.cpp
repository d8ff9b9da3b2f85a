// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "PdfReportWriter.h"

#include "UsageCharts.h"

#include "core/HtmlReportWriter.h"
#include "core/ReportTables.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QChart>
#include <QFont>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QPdfWriter>
#include <QTextDocument>
#include <QTextFrame>
#include <QUrl>

#include <algorithm>
#include <memory>

namespace tb::ui {

namespace {

core::Error cancelled()
{
    return core::Error::make(core::Error::Code::Cancelled, QStringLiteral("Report cancelled"));
}

// Reports are read on paper and in light viewers whatever the window's palette.
QPalette lightPalette()
{
    QPalette p(QColor(0xEF, 0xEF, 0xEF), QColor(Qt::white));
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::Base, Qt::white);
    return p;
}

QByteArray pngOf(QChart* chart, const QSize& size)
{
    std::unique_ptr<QChart> owned(chart);
    UsageCharts::applyPalette(chart, lightPalette());
    const QImage image = UsageCharts::renderToImage(chart, size, 2.0);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

} // namespace

QList<core::ReportImage> PdfReportWriter::chartImages(const core::UsageReport& report, const QSize& size,
                                                     const core::ReportProgress& progress)
{
    QList<core::ReportImage> out;
    // Progress 0..10 of 100 (what write() continues from); a chart takes a few dozen milliseconds.
    const auto png = [&](QChart* chart, const QSize& at) {
        const QByteArray bytes = pngOf(chart, at);
        if (progress)
            (void)progress(std::min<qint64>(9, 1 + out.size()), 100);
        return bytes;
    };
    if (report.turns.isEmpty())
        return out;
    // One session: its turns (when they are of one branch) and its branches side by side.
    if (report.sessions.size() == 1) {
        bool oneBranch = true;
        for (const core::TurnTokens& t : report.turns)
            oneBranch = oneBranch && t.branchId == report.turns.constFirst().branchId;
        if (oneBranch)
            out << core::ReportImage{QStringLiteral("Tokens per turn"), png(UsageCharts::turns(report.turns), size)};
        if (report.branches.size() > 1)
            out << core::ReportImage{QStringLiteral("Tokens per branch"), png(UsageCharts::branches(report.branches), size)};
    }
    if (!report.days.isEmpty())
        out << core::ReportImage{QStringLiteral("Tokens and cost per day (UTC)"), png(UsageCharts::days(report.days), size)};
    QList<core::GroupTotals> models;
    for (const core::ModelTotals& m : report.models) {
        models << core::GroupTotals{m.model, m.model.isEmpty() ? QStringLiteral("(unknown)") : m.model, 0, m.totalTokens, m.cost,
                                    std::nullopt};
    }
    if (!models.isEmpty())
        out << core::ReportImage{QStringLiteral("Cost by model"), png(UsageCharts::groups(models, QStringLiteral("Cost by model")), size)};
    if (report.topSessions.size() > 1) {
        out << core::ReportImage{QStringLiteral("Most expensive sessions"),
                                 png(UsageCharts::groups(report.topSessions, QStringLiteral("Most expensive sessions")), size)};
    }
    if (!report.tools.isEmpty())
        out << core::ReportImage{QStringLiteral("Tool calls"), png(UsageCharts::toolTotals(report.tools), size)};
    if (report.customers.size() > 1) {
        out << core::ReportImage{QStringLiteral("By customer"),
                                 png(UsageCharts::groups(report.customers, QStringLiteral("By customer")), size)};
    }
    return out;
}

core::Result<int> PdfReportWriter::write(const core::UsageReport& report, const QString& path, const core::ReportProgress& progress)
{
    if (progress && !progress(0, 100))
        return cancelled();
    // Charts at the width of the PDF's text column (see below), rendered at twice that for print.
    const QList<core::ReportImage> charts = chartImages(report, {640, 320}, progress);
    return write(report, charts, path, progress);
}

core::Result<int> PdfReportWriter::write(const core::UsageReport& report, const QList<core::ReportImage>& charts, const QString& path,
                                         const core::ReportProgress& progress)
{
    using core::HtmlReportWriter;
    // The report as a list of blocks (head, charts, tables in pieces of kRowsPerBlock rows), each
    // laid out as its own small document and placed on the pages in order: one large document
    // would be laid out in one silent step of seconds. A piece never splits across pages; one that
    // starts a page gets the table's header row again.
    struct Block
    {
        QString html;                        // not a table piece
        const core::ReportTable* table = nullptr;
        qsizetype from = 0;
        qsizetype to = 0;
        bool first = false;
        bool last = false;
    };
    const QList<core::ReportTable> tables = core::ReportTables::tables(report, kMaxRows);
    QList<Block> blocks;
    blocks << Block{HtmlReportWriter::headBlock(report)};
    for (qsizetype i = 0; i < charts.size(); ++i) {
        blocks << Block{(i == 0 ? QStringLiteral("<h2>Charts</h2>\n") : QString())
                        + HtmlReportWriter::chartBlock(charts.at(i), QStringLiteral("chart-%1.png").arg(i), QSize(640, 320))};
    }
    for (const core::ReportTable& t : tables) {
        const qsizetype rows = t.rows.size();
        for (qsizetype from = 0; from < std::max<qsizetype>(rows, 1); from += kRowsPerBlock)
            blocks << Block{{}, &t, from, std::min(rows, from + kRowsPerBlock), from == 0, from + kRowsPerBlock >= rows};
    }
    blocks << Block{HtmlReportWriter::footer()};
    // Tables without margins: the pieces of one table join without gaps.
    const QString head = QStringLiteral("<html><head><style>") + HtmlReportWriter::style()
        + QStringLiteral("table{margin:0}</style></head><body>");
    QList<QImage> images;
    for (const core::ReportImage& c : charts)
        images << QImage::fromData(c.png, "PNG");

    QPdfWriter pdf(path);
    pdf.setTitle(core::ReportTables::title(report));
    pdf.setCreator(QStringLiteral("Threadbench"));
    // Landscape: the turn and branch tables have a dozen numeric columns.
    pdf.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter));
    pdf.setResolution(300);
    QPainter painter;
    if (!painter.begin(&pdf))
        return core::Error::make(core::Error::Code::Argument, QStringLiteral("cannot write %1").arg(path));
    // Blocks are laid out in 96-dpi units (the HTML's pixels), painted scaled to the PDF's resolution.
    const QRect paint = pdf.pageLayout().paintRectPixels(pdf.resolution());
    const qreal scale = pdf.resolution() / 96.0;
    const QSizeF page(paint.width() / scale, paint.height() / scale);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(7.5);
    // The part of a laid-out block to place: a table piece starts at its table unless it carries
    // the heading and ends with it unless it carries the note (no margins, no empty paragraph
    // after it), so consecutive pieces join into one table.
    struct Placed
    {
        qreal top = 0;
        qreal height = 0;
    };
    const auto layout = [&](const QString& body, QTextDocument& doc, const Block& b) {
        doc.setDefaultFont(font);
        doc.setDocumentMargin(0);
        for (qsizetype i = 0; i < images.size(); ++i)
            doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart-%1.png").arg(i)), images.at(i));
        doc.setHtml(head + body + QStringLiteral("</body></html>"));
        doc.setTextWidth(page.width());
        const QList<QTextFrame*> frames = doc.rootFrame()->childFrames();
        const qreal all = doc.size().height();
        if (!b.table || frames.isEmpty())
            return Placed{0, all};
        const QRectF r = doc.documentLayout()->frameBoundingRect(frames.constFirst());
        const qreal top = b.first ? 0 : std::max<qreal>(0, r.top() - 1); // keep the table's top border line
        const qreal bottom = b.last ? all : r.bottom();
        return Placed{top, bottom - top};
    };
    const auto html = [](const Block& b, bool headerRow) {
        return b.table ? HtmlReportWriter::tableBlock(*b.table, b.from, b.to, b.first, b.last, headerRow || b.first) : b.html;
    };

    int pages = 1;
    qreal y = 0;
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const Block& b = blocks.at(i);
        auto doc = std::make_unique<QTextDocument>();
        Placed placed = layout(html(b, y == 0), *doc, b);
        if (y > 0 && y + placed.height > page.height()) {
            if (!pdf.newPage()) {
                painter.end();
                return core::Error::make(core::Error::Code::Argument, QStringLiteral("cannot write %1").arg(path));
            }
            ++pages;
            y = 0;
            if (b.table && !b.first) { // a piece that starts a page repeats the header row
                doc = std::make_unique<QTextDocument>();
                placed = layout(html(b, true), *doc, b);
            }
        }
        painter.save();
        painter.scale(scale, scale);
        painter.translate(0, y - placed.top);
        // A block taller than a page (none of this writer's pieces is) is cut at the page's end.
        doc->drawContents(&painter, QRectF(QPointF(0, placed.top), QSizeF(page.width(), std::min(placed.height, page.height() - y))));
        painter.restore();
        y += placed.height;
        if (progress && !progress(10 + qint64(i + 1) * 90 / blocks.size(), 100)) {
            painter.end();
            return cancelled();
        }
    }
    if (!painter.end())
        return core::Error::make(core::Error::Code::Argument, QStringLiteral("cannot write %1").arg(path));
    return pages;
}

} // namespace tb::ui
