// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Usage report benchmark: a whole-file report over the store benchmark's database (10,000
// sessions, ~1,000,000 items, 264,030 turns with usage), written as CSV and as PDF, each timed from
// opening the file to the last byte. Also counts the progress callbacks and the longest gap
// between two of them, and times the per-session collector the charts dock calls. Prints medians
// and the slowest run; it never fails on a time.
#include "BenchSupport.h"
#include "core/CsvReportWriter.h"
#include "core/UsageCollector.h"
#include "core/UsageReport.h"
#include "storage/SqliteSessionStore.h"
#include "ui/PdfReportWriter.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <functional>

using namespace tb;

namespace {

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}

/// Progress as a dialog would see it: how often it is called and the longest silence.
struct ProgressLog
{
    qint64 calls = 0;
    qint64 longestGapMs = 0;
    QElapsedTimer sinceLast;

    core::ReportProgress callback()
    {
        sinceLast.start();
        return [this](qint64, qint64) {
            ++calls;
            longestGapMs = std::max(longestGapMs, sinceLast.elapsed());
            sinceLast.restart();
            return true;
        };
    }
};

struct Run
{
    double ms = 0;
    qint64 calls = 0;
    qint64 longestGapMs = 0;
    QString note;
};

void print(const QString& name, QList<Run> runs, const QString& target)
{
    if (runs.isEmpty())
        return;
    std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.ms < b.ms; });
    const Run& median = runs.at(runs.size() / 2);
    out() << QStringLiteral("  %1  median %2 ms  slowest %3 ms  (%4 runs; target %5)\n")
                 .arg(name.leftJustified(40), QString::number(median.ms, 'f', 0).rightJustified(7),
                      QString::number(runs.back().ms, 'f', 0).rightJustified(7))
                 .arg(runs.size())
                 .arg(target);
    out() << QStringLiteral("      progress: %1 calls, longest gap %2 ms; %3\n").arg(median.calls).arg(median.longestGapMs).arg(median.note);
    out().flush();
}

} // namespace

int main(int argc, char** argv)
{
    // Charts are graphics widgets: a QApplication, offscreen unless told otherwise.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Threadbench usage report benchmark"));
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("Benchmark database written by threadbench-bench --db PATH."), QStringLiteral("path"),
                 QStringLiteral("threadbench-bench.db")});
    p.addOption({QStringLiteral("runs"), QStringLiteral("Runs of each report."), QStringLiteral("N"), QStringLiteral("3")});
    p.process(app);
    const QString path = p.value(QStringLiteral("db"));
    const int runs = std::max(1, p.value(QStringLiteral("runs")).toInt());
    if (!QFileInfo::exists(path)) {
        out() << path << " does not exist: generate it with `threadbench-bench --db " << path << "` (about a minute)\n";
        return 2;
    }
    QTemporaryDir dir;
    out() << "Threadbench report benchmark on " << path << '\n';

    core::UsageScope scope;
    scope.pricing.defaultModel = QStringLiteral("gpt-4.1-mini");
    QList<Run> csvRuns;
    QList<Run> pdfRuns;
    for (int i = 0; i < runs; ++i) {
        for (const bool pdf : {false, true}) {
            ProgressLog log;
            QElapsedTimer t;
            t.start();
            auto store = storage::SqliteSessionStore::open(path, {true, false});
            if (!store) {
                out() << "cannot open " << path << ": " << store.error().message << '\n';
                return 1;
            }
            const core::ReportProgress progress = log.callback();
            scope.tools = pdf; // as `threadbench report` does: the CSV has no tool columns
            auto report = core::UsageReportBuilder::build(**store, scope, progress);
            if (!report) {
                out() << "report failed: " << report.error().message << '\n';
                return 1;
            }
            const double builtMs = double(t.nsecsElapsed()) / 1e6;
            QString note;
            if (pdf) {
                auto pages = ui::PdfReportWriter::write(*report, dir.filePath(QStringLiteral("report.pdf")), progress);
                if (!pages) {
                    out() << "PDF failed: " << pages.error().message << '\n';
                    return 1;
                }
                note = QStringLiteral("%1 pages, %2 KB").arg(*pages).arg(QFileInfo(dir.filePath(QStringLiteral("report.pdf"))).size() / 1024);
            } else {
                QFile f(dir.filePath(QStringLiteral("report.csv")));
                if (!f.open(QIODevice::WriteOnly) || !core::CsvReportWriter::write(*report, f, progress)) {
                    out() << "CSV failed\n";
                    return 1;
                }
                f.close();
                note = QStringLiteral("%1 rows, %2 MB").arg(report->turns.size()).arg(double(f.size()) / 1e6, 0, 'f', 1);
            }
            Run r{double(t.nsecsElapsed()) / 1e6, log.calls, log.longestGapMs, {}};
            r.note = QStringLiteral("report built in %1 ms; %2").arg(builtMs, 0, 'f', 0).arg(note);
            (pdf ? pdfRuns : csvRuns) << r;
        }
    }
    print(QStringLiteral("whole-file report, CSV (open to last byte)"), csvRuns, QStringLiteral("< 5000 ms"));
    print(QStringLiteral("whole-file report, PDF (open to last byte)"), pdfRuns, QStringLiteral("< 15000 ms"));

    // The charts dock's collector for one session: a typical one and the 23,079-turn one.
    auto store = storage::SqliteSessionStore::open(path, {true, false});
    if (!store)
        return 1;
    core::UsageCollector collector(**store, scope.pricing);
    for (const QString& session : {QStringLiteral("customer-100123"), QStringLiteral("bench-100k-items")}) {
        QList<Run> collected;
        for (int i = 0; i < std::max(runs, 5); ++i) {
            QElapsedTimer t;
            t.start();
            auto s = collector.collect(session, QStringLiteral("main"));
            if (!s) {
                out() << "collector failed on " << session << ": " << s.error().message << '\n';
                break;
            }
            collected << Run{double(t.nsecsElapsed()) / 1e6, 0, 0, QStringLiteral("%1 turns").arg(s->turns.size())};
        }
        print(QStringLiteral("charts collector, ") + session, collected, QStringLiteral("-"));
    }
    out() << "  peak memory (VmHWM): " << bench::peakRssKiB() / 1024 << " MB\n";
    return 0;
}
