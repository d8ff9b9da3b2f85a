// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Result.h"
#include "UsageReport.h"

#include <QIODevice>
#include <QString>

namespace tb::core {

/// A usage report as Markdown (GitHub tables): summary, cost by model, top sessions, sessions,
/// branches, tools, days, groups, then the per-turn table (at most kMaxTurnRows rows; the CSV
/// has them all). Text from the database is escaped so it cannot break a table or add markup.
class MarkdownReportWriter final
{
public:
    static constexpr qsizetype kMaxTurnRows = 5000;

    /// Escapes |, \, backticks, *, _, [, ], <, > and line breaks for a table cell.
    static QString escape(const QString& text);
    static Result<void> write(const UsageReport& report, QIODevice& out, const ReportProgress& progress = {});
};

} // namespace tb::core
