// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "MarkdownReportWriter.h"

#include "ReportTables.h"

namespace tb::core {

QString MarkdownReportWriter::escape(const QString& text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (QChar c : text) {
        switch (c.unicode()) {
        case u'\\':
        case u'|':
        case u'`':
        case u'*':
        case u'_':
        case u'[':
        case u']':
        case u'<':
        case u'>':
        case u'#':
            out += u'\\';
            out += c;
            break;
        case u'\r':
        case u'\n':
            out += u' ';
            break;
        default: out += c;
        }
    }
    return out;
}

Result<void> MarkdownReportWriter::write(const UsageReport& report, QIODevice& out, const ReportProgress& progress)
{
    const QList<ReportTable> tables = ReportTables::tables(report, kMaxTurnRows);
    const qint64 total = tables.size() + 1;
    if (progress && !progress(0, total))
        return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
    QString md = QStringLiteral("# ") + escape(ReportTables::title(report)) + QStringLiteral("\n\n");
    for (const auto& [label, value] : ReportTables::scope(report))
        md += QStringLiteral("- **") + escape(label) + QStringLiteral(":** ") + escape(value) + u'\n';
    md += QStringLiteral("\n## Summary\n\n| | |\n|---|---:|\n");
    for (const auto& [label, value] : ReportTables::summary(report))
        md += QStringLiteral("| ") + escape(label) + QStringLiteral(" | ") + escape(value) + QStringLiteral(" |\n");
    qint64 done = 1;
    for (const ReportTable& t : tables) {
        md += QStringLiteral("\n## ") + escape(t.title) + QStringLiteral("\n\n");
        if (t.rows.isEmpty()) {
            md += QStringLiteral("None.\n");
        } else {
            md += u'|';
            for (const QString& h : t.headers)
                md += u' ' + escape(h) + QStringLiteral(" |");
            md += QStringLiteral("\n|");
            for (bool numeric : t.numeric)
                md += numeric ? QStringLiteral("---:|") : QStringLiteral("---|");
            md += u'\n';
            for (const QStringList& row : t.rows) {
                md += u'|';
                for (const QString& cell : row)
                    md += u' ' + escape(cell) + QStringLiteral(" |");
                md += u'\n';
            }
        }
        if (!t.note.isEmpty())
            md += u'\n' + escape(t.note) + u'\n';
        if (out.write(md.toUtf8()) < 0)
            return Error::make(Error::Code::Argument, QStringLiteral("cannot write the report: %1").arg(out.errorString()));
        md.clear();
        if (progress && !progress(++done, total))
            return Error::make(Error::Code::Cancelled, QStringLiteral("Report cancelled"));
    }
    return {};
}

} // namespace tb::core
