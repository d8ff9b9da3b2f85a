// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Result.h"
#include "UsageReport.h"

#include <QIODevice>
#include <QList>
#include <QString>

namespace tb::core {

/// A usage report as one self-contained, well-formed HTML5 page (XHTML-compatible markup, inline
/// CSS, no scripts, no external references): the tables of the Markdown report and the charts
/// the caller rendered, embedded as PNG data URIs. All text is escaped.
class HtmlReportWriter final
{
public:
    static constexpr qsizetype kMaxTurnRows = 5000;

    static QString escape(const QString& text);
    static Result<void> write(const UsageReport& report, const QList<ReportImage>& charts, QIODevice& out,
                              const ReportProgress& progress = {});
    /// The page as text (what write() writes with kMaxTurnRows and embedded images). The PDF
    /// writer lays out the same page with fewer rows and the charts as document resources named
    /// "chart-0.png", "chart-1.png", ... 640 × 320 pixels (embedImages false).
    static QString render(const UsageReport& report, const QList<ReportImage>& charts, qsizetype maxRows, bool embedImages);
};

} // namespace tb::core
