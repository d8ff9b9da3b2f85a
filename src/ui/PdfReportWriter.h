// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Result.h"
#include "core/UsageReport.h"

#include <QList>
#include <QSize>
#include <QString>

namespace tb::ui {

/// A usage report as a PDF (A4, landscape): the HTML report's pieces laid out by QTextDocument,
/// with the charts the dashboard draws (tb::ui::UsageCharts) embedded as images. Needs a
/// QApplication (charts are graphics widgets); the offscreen platform will do.
class PdfReportWriter final
{
public:
    /// Rows per table in the PDF (most expensive first beyond it; the CSV and JSON have all).
    static constexpr qsizetype kMaxRows = 250;
    /// Table rows laid out and placed together: small pieces fill pages well.
    static constexpr qsizetype kRowsPerBlock = 5;

    /// The report's charts as PNG images, in a light palette: tokens and cost per day, cost by
    /// model, most expensive sessions, tools, customers (when several), and for a report of one
    /// session its turns and branches. Also what the HTML report embeds.
    static QList<core::ReportImage> chartImages(const core::UsageReport& report, const QSize& size = {960, 480},
                                                const core::ReportProgress& progress = {});

    /// Writes `path` with chartImages() at the PDF's size; the number of pages written.
    static core::Result<int> write(const core::UsageReport& report, const QString& path, const core::ReportProgress& progress = {});
    /// The same with charts the caller rendered.
    static core::Result<int> write(const core::UsageReport& report, const QList<core::ReportImage>& charts, const QString& path,
                                   const core::ReportProgress& progress = {});
};

} // namespace tb::ui
