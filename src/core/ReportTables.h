// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "UsageReport.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace tb::core {

/// One table of a human-readable report, as plain text cells (the writers escape them).
struct ReportTable
{
    QString id;                 // stable anchor: "models", "turns", ...
    QString title;
    QStringList headers;
    QList<bool> numeric;        // right-aligned columns, parallel to headers
    QList<QStringList> rows;
    QString note;               // e.g. "the 2,000 most expensive of 264,030 turns"
};

/// The content of the Markdown, HTML and PDF reports, computed once so that the three show the
/// same numbers in the same order. Long tables are cut to `maxRows` rows (the most expensive
/// first, with a note); the CSV and JSON reports always have every row.
class ReportTables final
{
public:
    static QString title(const UsageReport& report);
    /// Label/value lines under the title: source, scope, dates, pricing, generation time.
    static QList<QPair<QString, QString>> scope(const UsageReport& report);
    /// Label/value lines of the totals.
    static QList<QPair<QString, QString>> summary(const UsageReport& report);
    static QList<ReportTable> tables(const UsageReport& report, qsizetype maxRows);

    /// "$0.0123" below a dollar, "$12.34" above, "–" without a price.
    static QString cost(const std::optional<double>& dollars);
    /// Digits grouped by thousands with commas ("1,047,955").
    static QString number(qint64 n);
};

} // namespace tb::core
