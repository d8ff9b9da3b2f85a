// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Json.h"
#include "Result.h"
#include "UsageReport.h"

#include <QIODevice>

namespace tb::core {

/// A usage report as JSON, format `threadbench-usage-report/1`:
/// `{"format", "generated_at", "source", "scope": {"sessions", "branch", "from", "to",
/// "default_model", "override_model", "whatif_model", "currency"}, "totals": {...},
/// "turns": [{"session", "branch", "turn", "day", "requests", "input", "cached", "output",
/// "reasoning", "total", "model", "model_source", "cost", "whatif_cost"}], "branches": [...],
/// "sessions": [...], "tools": [...], "tool_turns": [...], "models": [...], "days": [...],
/// "most_expensive": turn|null, "top_sessions": [...], "customers": [...], "review_statuses":
/// [...], "unpriced_models": [...], "prices": [price table entries as in threadbench-prices/1]}`.
/// Token counts are integers, costs numbers in US dollars or null when unpriced.
class JsonReportWriter final
{
public:
    static Json toJson(const UsageReport& report);
    static Result<void> write(const UsageReport& report, QIODevice& out, const ReportProgress& progress = {});
};

} // namespace tb::core
