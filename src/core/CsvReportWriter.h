// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Result.h"
#include "UsageReport.h"

#include <QIODevice>
#include <QString>

namespace tb::core {

/// A usage report as CSV: one row per turn (RFC 4180, UTF-8, CRLF line ends), header
/// `session,branch,turn,requests,input,cached,output,reasoning,total,model,cost` (plus
/// `whatif_model,whatif_cost` when the report has a what-if model). Cost is US dollars with six
/// decimals, empty when the model has no price.
class CsvReportWriter final
{
public:
    static QString header(const UsageReport& report);
    /// A cell a spreadsheet would read as a formula (starting with = + - @ TAB CR, or their
    /// full-width forms) gets a leading apostrophe; numbers we write are never touched.
    static QString neutralise(const QString& cell);
    /// RFC 4180 quoting: quotes a cell holding a comma, quote, CR or LF, doubling inner quotes.
    static QString quote(const QString& cell);
    /// Both: what a text cell becomes.
    static QString textCell(const QString& cell) { return quote(neutralise(cell)); }

    static Result<void> write(const UsageReport& report, QIODevice& out, const ReportProgress& progress = {});
};

} // namespace tb::core
