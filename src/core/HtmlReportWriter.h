// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "ReportTables.h"
#include "Result.h"
#include "UsageReport.h"

#include <QIODevice>
#include <QList>
#include <QSize>
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
    /// The page as text (what write() writes, with kMaxTurnRows and the charts as data URIs).
    static QString render(const UsageReport& report, const QList<ReportImage>& charts, qsizetype maxRows);

    // The pieces of the page's body, for a layout that places them itself: the PDF lays out each
    // piece as its own document, so it can report progress and break pages between pieces.
    static QString style();
    /// Title, scope and summary.
    static QString headBlock(const UsageReport& report);
    /// One chart; `size` valid: laid out at that size (a document resource, not a data URI).
    static QString chartBlock(const ReportImage& chart, const QString& src, const QSize& size = {});
    /// Rows [from, to) of a table, with its heading, note and header row when asked. Column widths
    /// come from the whole table, so pieces placed one under the other line up.
    static QString tableBlock(const ReportTable& table, qsizetype from, qsizetype to, bool heading, bool note,
                              bool headerRow = true);
    static QString footer();
};

} // namespace tb::core
