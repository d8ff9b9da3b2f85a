// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "PdfReportWriter.h"

#include "UsageCharts.h"

#include "core/HtmlReportWriter.h"
#include "core/ReportTables.h"

#include <QBuffer>
#include <QChart>
#include <QFont>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

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

QByteArray png(QChart* chart, const QSize& size)
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

QList<core::ReportImage> PdfReportWriter::chartImages(const core::UsageReport& report, const QSize& size)
{
    QList<core::ReportImage> out;
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
    const QList<core::ReportImage> charts = chartImages(report, {640, 320});
    return write(report, charts, path, progress);
}

core::Result<int> PdfReportWriter::write(const core::UsageReport& report, const QList<core::ReportImage>& charts, const QString& path,
                                         const core::ReportProgress& progress)
{
    // Progress: 10 units for the layout, then 90 spread over the pages.
    if (progress && !progress(5, 100))
        return cancelled();
    QTextDocument doc;
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(7.5);
    doc.setDefaultFont(font);
    doc.setDocumentMargin(0);
    for (qsizetype i = 0; i < charts.size(); ++i) {
        QImage image = QImage::fromData(charts.at(i).png, "PNG");
        doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart-%1.png").arg(i)), image);
    }
    doc.setHtml(core::HtmlReportWriter::render(report, charts, kMaxRows, false));

    QPdfWriter pdf(path);
    pdf.setTitle(core::ReportTables::title(report));
    pdf.setCreator(QStringLiteral("Threadbench"));
    // Landscape: the turn and branch tables have a dozen numeric columns.
    pdf.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter));
    pdf.setResolution(300);
    QPainter painter;
    if (!painter.begin(&pdf))
        return core::Error::make(core::Error::Code::Argument, QStringLiteral("cannot write %1").arg(path));
    // Lay the document out in 96-dpi units (the HTML's pixels), scaled to the PDF's resolution.
    const QRect paint = pdf.pageLayout().paintRectPixels(pdf.resolution());
    const qreal scale = pdf.resolution() / 96.0;
    const QSizeF page(paint.width() / scale, paint.height() / scale);
    doc.setPageSize(page);
    const int pages = doc.pageCount();
    if (progress && !progress(10, 100)) {
        painter.end();
        return cancelled();
    }
    for (int i = 0; i < pages; ++i) {
        if (i > 0 && !pdf.newPage()) {
            painter.end();
            return core::Error::make(core::Error::Code::Argument, QStringLiteral("cannot write %1").arg(path));
        }
        painter.save();
        painter.scale(scale, scale);
        painter.translate(0, -page.height() * i);
        doc.drawContents(&painter, QRectF(QPointF(0, page.height() * i), page));
        painter.restore();
        if (progress && !progress(10 + qint64(i + 1) * 90 / pages, 100)) {
            painter.end();
            return cancelled();
        }
    }
    if (!painter.end())
        return core::Error::make(core::Error::Code::Argument, QStringLiteral("cannot write %1").arg(path));
    return pages;
}

} // namespace tb::ui
