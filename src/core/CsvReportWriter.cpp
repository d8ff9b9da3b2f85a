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
    const QByteArray whatIfModel = textCell(report.scope.pricing.whatIfModel).toUtf8();
    const qint64 total = report.turns.size();
    QByteArray buffer = header(report).toUtf8() + "\r\n";
    QElapsedTimer clock;
    clock.start();
    if (progress && !progress(0, total))
        return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
    // Bytes, not QString: a workspace report has a quarter of a million rows. Ids and models
    // repeat row after row, so each distinct one is neutralised, quoted and encoded once.
    struct Cached
    {
        QString text;
        QByteArray cell;
        bool set = false;
    };
    Cached session;
    Cached branch;
    Cached model;
    const auto cell = [](Cached& c, const QString& text) -> const QByteArray& {
        if (!c.set || text != c.text) {
            c.text = text;
            c.cell = textCell(text).toUtf8();
            c.set = true;
        }
        return c.cell;
    };
    const auto cost = [](const std::optional<double>& c) { return c ? QByteArray::number(*c, 'f', 6) : QByteArray(); };
    for (qint64 i = 0; i < total; ++i) {
        const TurnTokens& t = report.turns.at(i);
        buffer += cell(session, t.sessionId);
        buffer += ',';
        buffer += cell(branch, t.branchId);
        for (qint64 v : {t.turn, t.requests, t.inputTokens, t.cachedTokens, t.outputTokens, t.reasoningTokens, t.totalTokens}) {
            buffer += ',';
            buffer += QByteArray::number(v);
        }
        buffer += ',';
        buffer += cell(model, t.model);
        buffer += ',';
        buffer += cost(t.cost);
        if (whatIf) {
            buffer += ',';
            buffer += whatIfModel;
            buffer += ',';
            buffer += cost(t.whatIfCost);
        }
        buffer += "\r\n";
        if (buffer.size() > 1 << 16) {
            if (out.write(buffer) < 0)
                return writeError(out);
            buffer.clear();
            if (progress && clock.elapsed() > 100) {
                clock.restart();
                if (!progress(i + 1, total))
                    return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
            }
        }
    }
    if (!buffer.isEmpty() && out.write(buffer) < 0)
        return writeError(out);
    if (progress && !progress(total, total))
        return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
    return {};
}

} // namespace tb::core
