// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ReportCommand.h"

#include "Cli.h"

#include "core/CsvReportWriter.h"
#include "core/HtmlReportWriter.h"
#include "core/JsonReportWriter.h"
#include "core/MarkdownReportWriter.h"
#include "core/ReportTables.h"
#include "core/UsageReport.h"
#include "core/WorkspaceStore.h"
#include "storage/SqliteSessionStore.h"
#include "ui/PdfReportWriter.h"

#include <QApplication>
#include <QBuffer>
#include <QCommandLineParser>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>
#include <memory>
#include <unistd.h>

namespace tb::app {

namespace {

const QString kCommand = QStringLiteral("report");

// A file, or a folder of files opened as one workspace (labels as the window gives them).
core::Result<std::unique_ptr<core::SessionStore>> openSource(const QString& path, QTextStream& err)
{
    storage::SqliteSessionStore::Options o;
    o.readOnly = true; // a report only reads
    if (!QFileInfo(path).isDir()) {
        auto s = storage::SqliteSessionStore::open(path, o);
        if (!s)
            return s.error();
        return std::unique_ptr<core::SessionStore>(std::move(s).value());
    }
    QStringList files;
    QDirIterator it(path, {QStringLiteral("*.db"), QStringLiteral("*.sqlite"), QStringLiteral("*.sqlite3")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    if (files.isEmpty())
        return core::Error::make(core::Error::Code::Argument, QStringLiteral("%1 holds no session databases (*.db, *.sqlite)").arg(path));
    auto workspace = std::make_unique<core::WorkspaceStore>(path);
    const QDir base(path);
    for (const QString& file : std::as_const(files)) {
        QString label = base.relativeFilePath(file);
        label.replace(u'/', u'\\'); // "/" separates label and session id
        auto s = storage::SqliteSessionStore::open(file, o);
        if (!s) {
            err << "threadbench report: skipped " << label << ": " << s.error().message << '\n';
            continue;
        }
        if ((*s)->schemaKind() != core::SchemaKind::Empty)
            workspace->addStore(label, std::move(s).value());
    }
    if (workspace->storeCount() == 0)
        return core::Error::make(core::Error::Code::Argument, QStringLiteral("none of the files in %1 could be opened").arg(path));
    return std::unique_ptr<core::SessionStore>(std::move(workspace));
}

// "\r 42%" on a terminal; nothing when stderr is a file or a pipe (logs stay clean).
class ProgressLine
{
public:
    explicit ProgressLine(QTextStream& err) : m_err(err), m_tty(isatty(fileno(stderr)) == 1) { m_clock.start(); }
    void show(int percent)
    {
        if (!m_tty || percent == m_last || (m_clock.elapsed() < 100 && percent < 100))
            return;
        m_clock.restart();
        m_last = percent;
        m_err << "\rthreadbench report: " << percent << "% " << Qt::flush;
    }
    void done()
    {
        if (m_tty && m_last >= 0)
            m_err << "\r" << QString(30, u' ') << "\r" << Qt::flush;
    }

private:
    QTextStream& m_err;
    bool m_tty;
    int m_last = -1;
    QElapsedTimer m_clock;
};

} // namespace

bool ReportCommand::needsGui(int argc, char** argv)
{
    if (argc < 2 || qstrcmp(argv[1], "report") != 0)
        return false;
    // The same choice run() makes: --format, else the output file's suffix.
    QByteArray format;
    QByteArray output;
    for (int i = 2; i < argc; ++i) {
        const QByteArray a(argv[i]);
        const QByteArray next = i + 1 < argc ? QByteArray(argv[i + 1]) : QByteArray();
        if (a.startsWith("--format="))
            format = a.mid(9);
        else if (a == "--format")
            format = next;
        else if (a.startsWith("--output="))
            output = a.mid(9);
        else if (a == "-o" || a == "--output")
            output = next;
    }
    if (format.isEmpty()) {
        const QByteArray lower = output.toLower();
        return lower.endsWith(".pdf") || lower.endsWith(".html") || lower.endsWith(".htm");
    }
    return format == "pdf" || format == "html";
}

int ReportCommand::run(const QStringList& args, QTextStream& out, QTextStream& err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Write a usage report (tokens and estimated cost) of a database or a folder of databases."));
    p.addHelpOption();
    p.addOption({QStringLiteral("session"), QStringLiteral("Only this session (repeat for several; default: all)."), QStringLiteral("S")});
    p.addOption({QStringLiteral("branch"), QStringLiteral("Only this branch (default: all)."), QStringLiteral("B")});
    p.addOption({QStringLiteral("from"), QStringLiteral("First day (UTC, YYYY-MM-DD) of the turns to include."), QStringLiteral("DATE")});
    p.addOption({QStringLiteral("to"), QStringLiteral("Last day (UTC, YYYY-MM-DD) of the turns to include."), QStringLiteral("DATE")});
    p.addOption({QStringLiteral("prices"), QStringLiteral("Price table (threadbench-prices/1 JSON) instead of the built-in one."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("default-model"),
                 QStringLiteral("Model for turns with no recorded or assigned model (default gpt-4.1-mini)."), QStringLiteral("M"),
                 QStringLiteral("gpt-4.1-mini")});
    p.addOption({QStringLiteral("model"), QStringLiteral("Price every turn as this model (what-if)."), QStringLiteral("M")});
    p.addOption({QStringLiteral("compare"), QStringLiteral("Also price every turn as this model, side by side."), QStringLiteral("M")});
    p.addOption({QStringLiteral("format"), QStringLiteral("csv, json, md, html or pdf (default: from the file name)."), QStringLiteral("fmt")});
    p.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output file; - for standard output (text formats)."),
                 QStringLiteral("FILE")});
    p.addPositionalArgument(QStringLiteral("DB_OR_FOLDER"), QStringLiteral("Session database, or a folder of them."));
    if (!p.parse(args))
        return Cli::fail(err, kCommand, p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return Cli::kExitOk;
    }
    if (p.positionalArguments().size() != 1)
        return Cli::fail(err, kCommand, QStringLiteral("expected DB_OR_FOLDER"));
    const QString output = p.value(QStringLiteral("output"));
    if (output.isEmpty())
        return Cli::fail(err, kCommand, QStringLiteral("-o FILE is required (- for standard output)"));
    QString format = p.value(QStringLiteral("format"));
    if (format.isEmpty()) {
        const QString suffix = QFileInfo(output).suffix().toLower();
        format = suffix == u"markdown" ? QStringLiteral("md") : suffix == u"htm" ? QStringLiteral("html") : suffix;
    }
    static const QStringList formats{QStringLiteral("csv"), QStringLiteral("json"), QStringLiteral("md"), QStringLiteral("html"),
                                     QStringLiteral("pdf")};
    if (!formats.contains(format))
        return Cli::fail(err, kCommand, QStringLiteral("--format must be csv, json, md, html or pdf"));
    if (output == u"-" && format == u"pdf")
        return Cli::fail(err, kCommand, QStringLiteral("a PDF report needs a file (-o FILE.pdf)"));
    const bool charts = format == u"pdf" || format == u"html";
    if (charts && !qobject_cast<QApplication*>(QCoreApplication::instance()))
        return Cli::fail(err, kCommand, QStringLiteral("%1 reports draw charts and need the GUI libraries").arg(format));

    core::UsageScope scope;
    scope.sessionIds = p.values(QStringLiteral("session"));
    if (p.isSet(QStringLiteral("branch")))
        scope.branchId = p.value(QStringLiteral("branch"));
    for (const auto& [name, date] : {std::pair(QStringLiteral("from"), &scope.from), std::pair(QStringLiteral("to"), &scope.to)}) {
        if (!p.isSet(name))
            continue;
        *date = QDate::fromString(p.value(name), Qt::ISODate);
        if (!date->isValid())
            return Cli::fail(err, kCommand, QStringLiteral("--%1 takes a date YYYY-MM-DD, not '%2'").arg(name, p.value(name)));
    }
    if (scope.from.isValid() && scope.to.isValid() && scope.from > scope.to)
        return Cli::fail(err, kCommand, QStringLiteral("--from is after --to"));
    if (p.isSet(QStringLiteral("prices"))) {
        auto prices = core::PriceTable::load(p.value(QStringLiteral("prices")));
        if (!prices)
            return Cli::fail(err, kCommand, prices.error().message);
        scope.pricing.prices = *prices;
    }
    scope.pricing.defaultModel = p.value(QStringLiteral("default-model"));
    scope.pricing.overrideModel = p.value(QStringLiteral("model"));
    scope.pricing.whatIfModel = p.value(QStringLiteral("compare"));
    scope.tools = format != u"csv"; // the only format without a tool table

    auto store = openSource(p.positionalArguments().constFirst(), err);
    if (!store)
        return Cli::fail(err, kCommand, store.error().message);

    ProgressLine line(err);
    // The scan is most of the work; writing (PDF pages above all) the rest.
    const int scanShare = format == u"pdf" ? 60 : 80;
    auto report = core::UsageReportBuilder::build(**store, scope, [&](qint64 done, qint64 total) {
        line.show(int(total > 0 ? done * scanShare / total : 0));
        return true;
    });
    if (!report) {
        line.done();
        return Cli::fail(err, kCommand, report.error().message);
    }
    const core::ReportProgress writing = [&](qint64 done, qint64 total) {
        line.show(scanShare + int(total > 0 ? done * (100 - scanShare) / total : 0));
        return true;
    };

    core::Result<void> written;
    if (format == u"pdf") {
        QFileInfo target(output);
        if (!target.absoluteDir().exists()) {
            line.done();
            return Cli::fail(err, kCommand, QStringLiteral("cannot write %1: no such folder").arg(output));
        }
        // PdfReportWriter writes the path itself: write beside it and rename, so a failure leaves
        // no half file and an existing file untouched.
        const QString partial = output + QStringLiteral(".part");
        auto pages = ui::PdfReportWriter::write(*report, partial, writing);
        if (!pages) {
            QFile::remove(partial);
            written = pages.error();
        } else if ((QFile::exists(output) && !QFile::remove(output)) || !QFile::rename(partial, output)) {
            QFile::remove(partial);
            written = core::Error::make(core::Error::Code::Argument, QStringLiteral("cannot write %1").arg(output));
        }
    } else {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        if (format == u"csv")
            written = core::CsvReportWriter::write(*report, buffer, writing);
        else if (format == u"json")
            written = core::JsonReportWriter::write(*report, buffer, writing);
        else if (format == u"md")
            written = core::MarkdownReportWriter::write(*report, buffer, writing);
        else
            written = core::HtmlReportWriter::write(*report, ui::PdfReportWriter::chartImages(*report), buffer, writing);
        if (written && output == u"-") {
            out.flush();
            // Bytes as written (UTF-8), not through the text stream's codec.
            std::fwrite(buffer.data().constData(), 1, size_t(buffer.data().size()), stdout);
            std::fflush(stdout);
        } else if (written) {
            QSaveFile f(output);
            if (!f.open(QIODevice::WriteOnly) || f.write(buffer.data()) < 0 || !f.commit())
                written = core::Error::make(core::Error::Code::Argument, QStringLiteral("cannot write %1: %2").arg(output, f.errorString()));
        }
    }
    line.done();
    if (!written)
        return Cli::fail(err, kCommand, written.error().message);

    for (const QString& s : std::as_const(scope.sessionIds)) {
        const bool found = std::any_of(report->sessions.cbegin(), report->sessions.cend(),
                                       [&](const core::SessionTokens& t) { return t.sessionId == s; });
        if (!found)
            err << "threadbench report: no usage for session " << s << " in this range\n";
    }
    if (output != u"-") {
        const core::UsageTotals& t = report->totals;
        out << "Wrote " << output << ": " << core::ReportTables::number(t.turns) << (t.turns == 1 ? " turn of " : " turns of ")
            << core::ReportTables::number(t.sessions) << (t.sessions == 1 ? " session, " : " sessions, ")
            << core::ReportTables::number(t.totalTokens) << " tokens, " << core::ReportTables::cost(t.cost) << " estimated";
        if (t.unpricedTurns > 0) {
            QStringList models = report->unpricedModels;
            for (QString& m : models) {
                if (m.isEmpty())
                    m = QStringLiteral("(no model)");
            }
            out << " (" << core::ReportTables::number(t.unpricedTurns) << " turns without a price: " << models.join(QStringLiteral(", ")) << ")";
        }
        out << '\n';
    }
    return Cli::kExitOk;
}

} // namespace tb::app
