// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// `threadbench report` through the real binary: every format of a file and of a folder
// (workspace), read back; scope options; errors that leave an existing file untouched.
#include "CliTestSupport.h"
#include "TempDir.h"
#include "TestData.h"

#include <QDir>
#include <QFile>
#include <QXmlStreamReader>

using namespace tb::test::cli;
using namespace Qt::StringLiterals;
using tb::test::TempDir;
using tb::test::copySdkFixture;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Token totals of multi.db straight from SQL (every turn_usage row).
qint64 sqlTotal(const QString& db, const QString& where = u"1"_s)
{
    return sqlRows(db, u"SELECT COALESCE(SUM(total_tokens), 0) FROM turn_usage WHERE "_s + where).value(0).value(0).toLongLong();
}

qint64 sqlCount(const QString& db, const QString& where = u"1"_s)
{
    return sqlRows(db, u"SELECT COUNT(*) FROM turn_usage WHERE "_s + where).value(0).value(0).toLongLong();
}

TEST(CliReport, CsvOfAFileHasOneRowPerTurn)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    const QString csv = dir.filePath(u"usage.csv"_s);
    const CliRun run = runCli({u"report"_s, db, u"-o"_s, csv});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_TRUE(run.outText().startsWith(u"Wrote "_s + csv + u": "_s)) << run.describe();
    EXPECT_TRUE(run.err.isEmpty()) << run.describe(); // no progress noise when stderr is not a terminal
    const QList<QByteArray> lines = readAll(csv).split('\n');
    ASSERT_EQ(lines.size(), sqlCount(db) + 2); // header, rows, and the empty piece after the last CRLF
    EXPECT_EQ(lines.at(0), "session,branch,turn,requests,input,cached,output,reasoning,total,model,cost\r");
    qint64 total = 0;
    for (qsizetype i = 1; i + 1 < lines.size(); ++i) {
        const QList<QByteArray> cells = lines.at(i).trimmed().split(',');
        ASSERT_EQ(cells.size(), 11) << lines.at(i).toStdString();
        total += cells.at(8).toLongLong();
        EXPECT_EQ(cells.at(9), "gpt-4.1-mini"); // the default model
    }
    EXPECT_EQ(total, sqlTotal(db));
}

TEST(CliReport, ScopeOptionsSelectSessionsBranchesAndDays)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    CliRun run = runCli({u"report"_s, db, u"--session"_s, u"customer-1001"_s, u"--session"_s, u"customer-1002"_s, u"--branch"_s,
                         u"main"_s, u"--format"_s, u"json"_s, u"-o"_s, u"-"_s});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    Json doc = parseJsonOutput(run);
    EXPECT_EQ(doc[u"format"].toString(), u"threadbench-usage-report/1"_s);
    EXPECT_EQ(doc[u"totals"][u"total"].toInt(),
              sqlTotal(db, u"session_id IN ('customer-1001', 'customer-1002') AND branch_id = 'main'"_s));
    EXPECT_EQ(doc[u"sessions"].asArray().size(), 2u);
    EXPECT_EQ(doc[u"scope"][u"branch"].toString(), u"main"_s);

    run = runCli({u"report"_s, db, u"--from"_s, u"2026-11-27"_s, u"--format"_s, u"json"_s, u"-o"_s, u"-"_s});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_EQ(parseJsonOutput(run)[u"totals"][u"turns"].toInt(), 0);
    run = runCli({u"report"_s, db, u"--from"_s, u"2026-11-26"_s, u"--to"_s, u"2026-11-26"_s, u"--format"_s, u"json"_s, u"-o"_s, u"-"_s});
    EXPECT_EQ(parseJsonOutput(run)[u"totals"][u"turns"].toInt(), sqlCount(db));

    // --model prices everything on one model, --compare adds a second price side by side.
    run = runCli({u"report"_s, db, u"--session"_s, u"customer-1001"_s, u"--model"_s, u"gpt-4.1"_s, u"--compare"_s, u"gpt-4.1-nano"_s,
                  u"-o"_s, u"-"_s, u"--format"_s, u"csv"_s});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    const QList<QByteArray> lines = run.out.split('\n');
    EXPECT_EQ(lines.at(0), "session,branch,turn,requests,input,cached,output,reasoning,total,model,cost,whatif_model,whatif_cost\r");
    const QList<QByteArray> first = lines.at(1).trimmed().split(',');
    ASSERT_EQ(first.size(), 13);
    EXPECT_EQ(first.at(9), "gpt-4.1");
    EXPECT_EQ(first.at(11), "gpt-4.1-nano");
    const double input = first.at(4).toDouble(), cached = first.at(5).toDouble(), output = first.at(6).toDouble();
    EXPECT_NEAR(first.at(10).toDouble(), ((input - cached) * 2.0 + cached * 0.5 + output * 8.0) / 1e6, 1e-6);
    EXPECT_NEAR(first.at(12).toDouble(), ((input - cached) * 0.10 + cached * 0.025 + output * 0.40) / 1e6, 1e-6);
}

TEST(CliReport, CustomPriceFileAndAFolderAsWorkspace)
{
    TempDir dir;
    const QString folder = dir.filePath(u"customers"_s);
    ASSERT_TRUE(QDir().mkpath(folder + u"/eu"_s));
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_TRUE(QFile::copy(db, folder + u"/alice.db"_s));
    ASSERT_TRUE(QFile::copy(db, folder + u"/eu/bob.db"_s));
    // The lesson's flat $0.01 per 1,000 tokens as the only price.
    const QString prices = dir.filePath(u"prices.json"_s);
    QFile f(prices);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({"format": "threadbench-prices/1", "currency": "USD", "prices": [
        {"model": "lesson", "input_per_million": 10, "cached_input_per_million": 10, "output_per_million": 10}]})");
    f.close();
    const CliRun run = runCli({u"report"_s, folder, u"--prices"_s, prices, u"--default-model"_s, u"lesson"_s, u"--format"_s, u"json"_s,
                               u"-o"_s, u"-"_s});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    const Json doc = parseJsonOutput(run);
    const qint64 tokens = 2 * sqlTotal(db);
    EXPECT_EQ(doc[u"totals"][u"total"].toInt(), tokens);
    EXPECT_NEAR(doc[u"totals"][u"cost"].toDouble(), double(tokens) * 0.01 / 1000, 1e-9);
    EXPECT_EQ(doc[u"sessions"].asArray().size(), 100u);
    EXPECT_EQ(doc[u"sessions"].asArray().at(0)[u"session"].toString(), u"alice.db/customer-1000"_s);
    EXPECT_EQ(doc[u"sessions"].asArray().at(50)[u"session"].toString(), u"eu\\bob.db/customer-1000"_s);
}

TEST(CliReport, MarkdownHtmlAndPdf)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    const QString md = dir.filePath(u"usage.md"_s);
    CliRun run = runCli({u"report"_s, db, u"-o"_s, md});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_TRUE(readAll(md).startsWith("# Usage report: all sessions\n"));

    const QString html = dir.filePath(u"usage.html"_s);
    run = runCli({u"report"_s, db, u"--session"_s, u"customer-1001"_s, u"-o"_s, html});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    QXmlStreamReader xml(readAll(html));
    int images = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"img"_s)
            ++images;
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    EXPECT_GE(images, 3); // branches, days, cost by model, tools

    const QString pdf = dir.filePath(u"usage.pdf"_s);
    run = runCli({u"report"_s, db, u"--session"_s, u"customer-1001"_s, u"--branch"_s, u"main"_s, u"-o"_s, pdf});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_TRUE(run.outText().contains(u"of 1 session,"_s)) << run.describe();
    const QByteArray bytes = readAll(pdf);
    EXPECT_TRUE(bytes.startsWith("%PDF-"));
    EXPECT_GE(bytes.count("/Subtype /Image"), 3);
    EXPECT_FALSE(QFile::exists(pdf + u".part"_s));
}

TEST(CliReport, ErrorsLeaveTheOutputUntouched)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    const QString out = dir.filePath(u"usage.csv"_s);
    QFile f(out);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("keep me");
    f.close();
    const QString badPrices = dir.filePath(u"bad.json"_s);
    QFile b(badPrices);
    ASSERT_TRUE(b.open(QIODevice::WriteOnly));
    b.write(R"({"format": "threadbench-prices/1", "prices": [{"model": "m"}]})");
    b.close();
    const QList<std::pair<QStringList, QString>> cases = {
        {{u"report"_s, db, u"-o"_s, out, u"--format"_s, u"xls"_s}, u"--format must be csv, json, md, html or pdf"_s},
        {{u"report"_s, db, u"--format"_s, u"csv"_s}, u"-o FILE is required"_s},
        {{u"report"_s, db, u"-o"_s, out, u"--from"_s, u"yesterday"_s}, u"--from takes a date YYYY-MM-DD, not 'yesterday'"_s},
        {{u"report"_s, db, u"-o"_s, out, u"--from"_s, u"2026-02-01"_s, u"--to"_s, u"2026-01-01"_s}, u"--from is after --to"_s},
        {{u"report"_s, db, u"-o"_s, out, u"--prices"_s, badPrices}, u"prices[0]: \"input_per_million\" is missing"_s},
        {{u"report"_s, dir.filePath(u"missing.db"_s), u"-o"_s, out}, u"no such file"_s},
        {{u"report"_s, db, u"-o"_s, u"-"_s, u"--format"_s, u"pdf"_s}, u"a PDF report needs a file"_s},
    };
    for (const auto& [args, message] : cases) {
        const CliRun run = runCli(args);
        EXPECT_EQ(run.exitCode, 2) << run.describe();
        EXPECT_TRUE(run.errText().contains(message)) << run.describe();
        EXPECT_EQ(readAll(out), "keep me");
    }
    // A session without usage is reported, not an error.
    const CliRun none = runCli({u"report"_s, db, u"--session"_s, u"nobody"_s, u"-o"_s, u"-"_s, u"--format"_s, u"csv"_s});
    EXPECT_EQ(none.exitCode, 0) << none.describe();
    EXPECT_TRUE(none.errText().contains(u"no usage for session nobody"_s));
    EXPECT_EQ(none.out, "session,branch,turn,requests,input,cached,output,reasoning,total,model,cost\r\n");
}

} // namespace
