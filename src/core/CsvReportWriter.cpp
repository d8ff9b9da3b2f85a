// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "CsvReportWriter.h"

#include <QElapsedTimer>

namespace tb::core {

namespace {

Error writeError(const QIODevice& out)
{
    return Error::make(Error::Code::Argument, QStringLiteral("cannot write the report: %1").arg(out.errorString()));
}

QString costCell(const std::optional<double>& c)
{
    return c ? QString::number(*c, 'f', 6) : QString();
}

} // namespace

QString CsvReportWriter::header(const UsageReport& report)
{
    QString h = QStringLiteral("session,branch,turn,requests,input,cached,output,reasoning,total,model,cost");
    if (!report.scope.pricing.whatIfModel.isEmpty())
        h += QStringLiteral(",whatif_model,whatif_cost");
    return h;
}

QString CsvReportWriter::neutralise(const QString& cell)
{
    if (cell.isEmpty())
        return cell;
    // OWASP "CSV injection": these lead characters start a formula in Excel, LibreOffice and
    // Google Sheets; the full-width forms are folded to them by some of those programs.
    switch (cell.front().unicode()) {
    case u'=':
    case u'+':
    case u'-':
    case u'@':
    case u'\t':
    case u'\r':
    case 0xFF1D: // ＝
    case 0xFF0B: // ＋
    case 0xFF0D: // －
    case 0xFF20: // ＠
        return u'\'' + cell;
    default: return cell;
    }
}

QString CsvReportWriter::quote(const QString& cell)
{
    bool needs = false;
    for (QChar c : cell) {
        if (c == u',' || c == u'"' || c == u'\r' || c == u'\n') {
            needs = true;
            break;
        }
    }
    if (!needs)
        return cell;
    QString q = cell;
    q.replace(u'"', QStringLiteral("\"\""));
    return u'"' + q + u'"';
}

Result<void> CsvReportWriter::write(const UsageReport& report, QIODevice& out, const ReportProgress& progress)
{
    const bool whatIf = !report.scope.pricing.whatIfModel.isEmpty();
    const QString whatIfModel = textCell(report.scope.pricing.whatIfModel);
    const qint64 total = report.turns.size();
    QString buffer = header(report) + QStringLiteral("\r\n");
    QElapsedTimer clock;
    clock.start();
    if (progress && !progress(0, total))
        return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
    // Ids repeat row after row: quote each distinct one once.
    QString lastSession;
    QString lastSessionCell;
    QString lastBranch;
    QString lastBranchCell;
    for (qint64 i = 0; i < total; ++i) {
        const TurnTokens& t = report.turns.at(i);
        if (t.sessionId != lastSession || lastSessionCell.isNull()) {
            lastSession = t.sessionId;
            lastSessionCell = textCell(t.sessionId);
        }
        if (t.branchId != lastBranch || lastBranchCell.isNull()) {
            lastBranch = t.branchId;
            lastBranchCell = textCell(t.branchId);
        }
        buffer += lastSessionCell + u',' + lastBranchCell + u',' + QString::number(t.turn) + u',' + QString::number(t.requests) + u','
            + QString::number(t.inputTokens) + u',' + QString::number(t.cachedTokens) + u',' + QString::number(t.outputTokens) + u','
            + QString::number(t.reasoningTokens) + u',' + QString::number(t.totalTokens) + u',' + textCell(t.model) + u','
            + costCell(t.cost);
        if (whatIf)
            buffer += u',' + whatIfModel + u',' + costCell(t.whatIfCost);
        buffer += QStringLiteral("\r\n");
        if (buffer.size() > 1 << 16) {
            if (out.write(buffer.toUtf8()) < 0)
                return writeError(out);
            buffer.clear();
            if (progress && clock.elapsed() > 100) {
                clock.restart();
                if (!progress(i + 1, total))
                    return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
            }
        }
    }
    if (!buffer.isEmpty() && out.write(buffer.toUtf8()) < 0)
        return writeError(out);
    if (progress && !progress(total, total))
        return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
    return {};
}

} // namespace tb::core
