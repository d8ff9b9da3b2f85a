// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Report files parsed back: CSV (RFC 4180, formula cells neutralised), JSON (the documented
// format, the same document as toJson()), HTML (well-formed XML, everything escaped, charts as
// data URIs) and Markdown (tables whose cells cannot break out).
#include "core/CsvReportWriter.h"
#include "core/HtmlReportWriter.h"
#include "core/JsonReportWriter.h"
#include "core/MarkdownReportWriter.h"
#include "core/ReportTables.h"

#include <QBuffer>
#include <QTimeZone>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace tb::core;

namespace {

// A small RFC 4180 reader: quoted cells with doubled quotes, commas and line breaks inside.
QList<QStringList> parseCsv(const QString& text)
{
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                cell += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row << cell;
            cell.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            row << cell;
            rows << row;
            row.clear();
            cell.clear();
            ++i;
        } else {
            cell += c;
        }
    }
    EXPECT_FALSE(quoted);
    EXPECT_TRUE(row.isEmpty() && cell.isEmpty()) << "the file must end with CRLF";
    return rows;
}

TurnTokens turn(const QString& session, const QString& branch, qint64 n, std::optional<double> cost, const QString& model = u"gpt-4.1"_s)
{
    TurnTokens t;
    t.sessionId = session;
    t.branchId = branch;
    t.turn = n;
    t.requests = 2;
    t.inputTokens = 1000 * n;
    t.cachedTokens = 100 * n;
    t.outputTokens = 50 * n;
    t.reasoningTokens = 10 * n;
    t.totalTokens = t.inputTokens + t.outputTokens;
    t.model = model;
    t.modelSource = u"default"_s;
    t.cost = cost;
    t.day = QDate(2026, 1, int(n));
    return t;
}

// Text a spreadsheet would run, markup, quotes, commas, line breaks and non-ASCII in every id.
UsageReport sample()
{
    UsageReport r;
    r.source = u"/data/support <prod>.db"_s;
    r.generatedAt = QDateTime(QDate(2026, 2, 1), QTime(12, 0), QTimeZone::utc());
    r.scope.pricing.defaultModel = u"gpt-4.1"_s;
    r.turns << turn(u"=HYPERLINK(\"http://x\")"_s, u"main"_s, 1, 0.001234) << turn(u"=HYPERLINK(\"http://x\")"_s, u"main"_s, 2, 0.5)
            << turn(u"a,b \"quoted\"\nline"_s, u"+alt"_s, 1, std::nullopt, u"@SUM(A1)"_s)
            << turn(u"kunde-ü-日本"_s, u"\uFF1D1+1"_s, 3, 12.3456789) << turn(u"-2+3"_s, u"\tx"_s, 4, 0.0);
    r.totals.turns = r.turns.size();
    r.totals.sessions = 4;
    r.totals.cost = 0.001234 + 0.5 + 12.3456789;
    r.totals.unpricedTurns = 1;
    r.unpricedModels = {u"@SUM(A1)"_s};
    SessionTokens s;
    s.sessionId = u"=HYPERLINK(\"http://x\")"_s;
    s.title = u"<script>alert('x')</script> & more"_s;
    s.customer = u"ACME | Co"_s;
    s.turns = 2;
    s.cost = 0.501234;
    r.sessions << s;
    BranchTokens b;
    b.sessionId = s.sessionId;
    b.branchId = u"main"_s;
    b.label = u"main"_s;
    b.turns = 2;
    r.branches << b;
    r.tools << ToolCalls{u"check_order_status"_s, std::nullopt, 3, {}, {}};
    r.toolTurns << ToolCalls{u"check_order_status"_s, 1, 3, s.sessionId, u"main"_s};
    r.models << ModelTotals{u"gpt-4.1"_s, 4, 8, 10000, 1000, 500, 100, 10500, 12.85};
    r.days << DayTotals{QDate(2026, 1, 1), 1050, 0.001234, std::nullopt};
    r.mostExpensive = r.turns.at(3);
    r.topSessions << GroupTotals{s.sessionId, s.title, 1, 3150, 0.501234, std::nullopt};
    r.customers << GroupTotals{s.customer, s.customer, 1, 3150, 0.501234, std::nullopt};
    r.reviewStatuses << GroupTotals{u"new"_s, u"new"_s, 1, 3150, 0.501234, std::nullopt};
    return r;
}

TEST(CsvReportWriter, HeaderRowsAndValuesReadBack)
{
    const UsageReport r = sample();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    ASSERT_TRUE(CsvReportWriter::write(r, buffer));
    const QString text = QString::fromUtf8(buffer.data());
    const QList<QStringList> rows = parseCsv(text);
    ASSERT_EQ(rows.size(), r.turns.size() + 1);
    EXPECT_EQ(rows.at(0).join(u','), u"session,branch,turn,requests,input,cached,output,reasoning,total,model,cost"_s);
    for (qsizetype i = 0; i < r.turns.size(); ++i) {
        const QStringList& row = rows.at(i + 1);
        const TurnTokens& t = r.turns.at(i);
        ASSERT_EQ(row.size(), 11);
        EXPECT_EQ(row.at(2).toLongLong(), t.turn);
        EXPECT_EQ(row.at(3).toLongLong(), t.requests);
        EXPECT_EQ(row.at(4).toLongLong(), t.inputTokens);
        EXPECT_EQ(row.at(5).toLongLong(), t.cachedTokens);
        EXPECT_EQ(row.at(6).toLongLong(), t.outputTokens);
        EXPECT_EQ(row.at(7).toLongLong(), t.reasoningTokens);
        EXPECT_EQ(row.at(8).toLongLong(), t.totalTokens);
        if (t.cost)
            EXPECT_NEAR(row.at(10).toDouble(), *t.cost, 5e-7);
        else
            EXPECT_TRUE(row.at(10).isEmpty());
    }
    // Formula starters get an apostrophe; the rest of the text is kept exactly.
    EXPECT_EQ(rows.at(1).at(0), u"'=HYPERLINK(\"http://x\")"_s);
    EXPECT_EQ(rows.at(3).at(0), u"a,b \"quoted\"\nline"_s);
    EXPECT_EQ(rows.at(3).at(1), u"'+alt"_s);
    EXPECT_EQ(rows.at(3).at(9), u"'@SUM(A1)"_s);
    EXPECT_EQ(rows.at(4).at(0), u"kunde-ü-日本"_s);
    EXPECT_EQ(rows.at(4).at(1), u"'\uFF1D1+1"_s);
    EXPECT_EQ(rows.at(4).at(10), u"12.345679"_s);
    EXPECT_EQ(rows.at(5).at(0), u"'-2+3"_s);
    EXPECT_EQ(rows.at(5).at(1), u"'\tx"_s);
    EXPECT_EQ(rows.at(5).at(10), u"0.000000"_s);
    EXPECT_TRUE(buffer.data().startsWith("session,")); // UTF-8 without a byte-order mark
}

TEST(CsvReportWriter, NeutraliseAndQuote)
{
    for (const QString& s : {u"=1"_s, u"+1"_s, u"-1"_s, u"@x"_s, u"\t1"_s, u"\r1"_s, u"\uFF1D1"_s, u"\uFF0B1"_s, u"\uFF0D1"_s, u"\uFF20x"_s})
        EXPECT_EQ(CsvReportWriter::neutralise(s), u'\'' + s) << s.toStdString();
    for (const QString& s : {QString(), u"a=1"_s, u"1-2"_s, u" =1"_s, u"'=1"_s})
        EXPECT_EQ(CsvReportWriter::neutralise(s), s) << s.toStdString();
    EXPECT_EQ(CsvReportWriter::quote(u"plain"_s), u"plain"_s);
    EXPECT_EQ(CsvReportWriter::quote(u"a,b"_s), u"\"a,b\""_s);
    EXPECT_EQ(CsvReportWriter::quote(u"say \"hi\""_s), u"\"say \"\"hi\"\"\""_s);
    EXPECT_EQ(CsvReportWriter::quote(u"two\nlines"_s), u"\"two\nlines\""_s);
    EXPECT_EQ(CsvReportWriter::textCell(u"=a,b"_s), u"\"'=a,b\""_s);
}

TEST(CsvReportWriter, WhatIfColumnsAndCancel)
{
    UsageReport r = sample();
    r.scope.pricing.whatIfModel = u"-evil"_s;
    r.turns[0].whatIfCost = 0.25;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    ASSERT_TRUE(CsvReportWriter::write(r, buffer));
    const QList<QStringList> rows = parseCsv(QString::fromUtf8(buffer.data()));
    EXPECT_EQ(rows.at(0).join(u','), u"session,branch,turn,requests,input,cached,output,reasoning,total,model,cost,whatif_model,whatif_cost"_s);
    EXPECT_EQ(rows.at(1).at(11), u"'-evil"_s);
    EXPECT_EQ(rows.at(1).at(12), u"0.250000"_s);
    EXPECT_TRUE(rows.at(2).at(12).isEmpty());

    QBuffer cancelled;
    cancelled.open(QIODevice::WriteOnly);
    auto c = CsvReportWriter::write(r, cancelled, [](qint64, qint64) { return false; });
    ASSERT_FALSE(c.has_value());
    EXPECT_EQ(c.error().code, Error::Code::Cancelled);
    QList<std::pair<qint64, qint64>> calls;
    QBuffer progress;
    progress.open(QIODevice::WriteOnly);
    ASSERT_TRUE(CsvReportWriter::write(r, progress, [&](qint64 d, qint64 t) {
        calls << std::pair(d, t);
        return true;
    }));
    ASSERT_GE(calls.size(), 2);
    EXPECT_EQ(calls.front(), std::pair(qint64(0), qint64(r.turns.size())));
    EXPECT_EQ(calls.back(), std::pair(qint64(r.turns.size()), qint64(r.turns.size())));
}

TEST(JsonReportWriter, StreamedFileIsTheDocumentedJson)
{
    UsageReport r = sample();
    r.scope.from = QDate(2026, 1, 1);
    r.scope.branchId = u"main"_s;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    ASSERT_TRUE(JsonReportWriter::write(r, buffer));
    auto doc = Json::parse(buffer.data());
    ASSERT_TRUE(doc.has_value()) << doc.error().message.toStdString();
    // The streamed file and toJson() are the same document, key order included.
    EXPECT_EQ(doc->dump(), JsonReportWriter::toJson(r).dump());
    const Json& d = *doc;
    EXPECT_EQ(d[u"format"].toString(), u"threadbench-usage-report/1"_s);
    EXPECT_EQ(d[u"source"].toString(), r.source);
    EXPECT_EQ(d[u"scope"][u"branch"].toString(), u"main"_s);
    EXPECT_EQ(d[u"scope"][u"from"].toString(), u"2026-01-01"_s);
    EXPECT_TRUE(d[u"scope"][u"to"].isNull());
    EXPECT_EQ(d[u"scope"][u"currency"].toString(), u"USD"_s);
    EXPECT_EQ(d[u"totals"][u"turns"].toInt(), 5);
    EXPECT_EQ(d[u"totals"][u"unpriced_turns"].toInt(), 1);
    const Json::Array& turns = d[u"turns"].asArray();
    ASSERT_EQ(turns.size(), size_t(r.turns.size()));
    for (qsizetype i = 0; i < r.turns.size(); ++i) {
        const Json& j = turns.at(size_t(i));
        const TurnTokens& t = r.turns.at(i);
        EXPECT_EQ(j[u"session"].toString(), t.sessionId); // JSON needs no neutralising: kept as is
        EXPECT_EQ(j[u"branch"].toString(), t.branchId);
        EXPECT_EQ(j[u"turn"].toInt(), t.turn);
        EXPECT_EQ(j[u"cached"].toInt(), t.cachedTokens);
        EXPECT_EQ(j[u"reasoning"].toInt(), t.reasoningTokens);
        EXPECT_EQ(j[u"day"].toString(), t.day.toString(Qt::ISODate));
        if (t.cost)
            EXPECT_DOUBLE_EQ(j[u"cost"].toDouble(), *t.cost);
        else
            EXPECT_TRUE(j[u"cost"].isNull());
    }
    EXPECT_EQ(d[u"tool_turns"].asArray().size(), 1u);
    EXPECT_EQ(d[u"tools"].asArray().at(0)[u"calls"].toInt(), 3);
    EXPECT_EQ(d[u"most_expensive"][u"turn"].toInt(), 3);
    EXPECT_EQ(d[u"unpriced_models"].asArray().at(0).toString(), u"@SUM(A1)"_s);
    EXPECT_GT(d[u"prices"].asArray().size(), 5u);
    EXPECT_EQ(d[u"sessions"].asArray().at(0)[u"title"].toString(), r.sessions.at(0).title);

    // An empty report is valid JSON too.
    QBuffer empty;
    empty.open(QIODevice::WriteOnly);
    ASSERT_TRUE(JsonReportWriter::write(UsageReport{}, empty));
    auto e = Json::parse(empty.data());
    ASSERT_TRUE(e.has_value());
    EXPECT_TRUE((*e)[u"turns"].asArray().empty());
    EXPECT_TRUE((*e)[u"most_expensive"].isNull());
}

TEST(HtmlReportWriter, WellFormedEscapedAndSelfContained)
{
    const UsageReport r = sample();
    const QList<ReportImage> charts{{u"Tokens per day <1>"_s, QByteArray("\x89PNG fake", 9)}, {u"Cost by model"_s, QByteArray("png2")}};
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    ASSERT_TRUE(HtmlReportWriter::write(r, charts, buffer));
    const QByteArray html = buffer.data();
    QXmlStreamReader xml(html);
    int images = 0;
    int tables = 0;
    QString text;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"img") {
            ++images;
            EXPECT_TRUE(xml.attributes().value(u"src"_s).startsWith(u"data:image/png;base64,"_s));
        }
        if (xml.isStartElement() && xml.name() == u"table")
            ++tables;
        if (xml.isStartElement() && (xml.name() == u"script" || xml.name() == u"link"))
            ADD_FAILURE() << "no scripts or external resources";
        if (xml.isCharacters())
            text += xml.text();
    }
    ASSERT_FALSE(xml.hasError()) << xml.errorString().toStdString() << " at line " << xml.lineNumber();
    EXPECT_EQ(images, 2);
    EXPECT_GE(tables, 8);
    EXPECT_TRUE(html.contains(QByteArray(QByteArray("data:image/png;base64,") + QByteArray("\x89PNG fake", 9).toBase64())));
    // The title with markup comes back as the same text, never as markup.
    EXPECT_TRUE(text.contains(r.sessions.at(0).title));
    EXPECT_TRUE(text.contains(u"kunde-ü-日本"_s));
    EXPECT_TRUE(text.contains(u"Tokens per day <1>"_s));
    EXPECT_FALSE(html.contains("<script>"));
    EXPECT_TRUE(text.contains(u"$12.35"_s));
    EXPECT_TRUE(text.contains(u"$0.0012"_s));
    // Control characters from a database would make the page invalid XML: replaced.
    EXPECT_EQ(HtmlReportWriter::escape(u"a\u0001b<"_s), u"a\uFFFDb&lt;"_s);
}

TEST(HtmlReportWriter, LongTablesAreCutToTheMostExpensiveRows)
{
    UsageReport r;
    for (int i = 1; i <= 30; ++i)
        r.turns << turn(u"s"_s, u"main"_s, i, i * 0.01);
    const QList<ReportTable> tables = ReportTables::tables(r, 10);
    const auto t = std::find_if(tables.cbegin(), tables.cend(), [](const ReportTable& x) { return x.id == u"turns"; });
    ASSERT_NE(t, tables.cend());
    ASSERT_EQ(t->rows.size(), 10);
    EXPECT_EQ(t->rows.at(0).at(2), u"30"_s);
    EXPECT_EQ(t->rows.at(9).at(2), u"21"_s);
    EXPECT_EQ(t->note, u"The 10 most expensive of 30 turns (the CSV and JSON reports have all)."_s);
    QXmlStreamReader xml(HtmlReportWriter::render(r, {}, 10));
    while (!xml.atEnd())
        xml.readNext();
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
}

TEST(MarkdownReportWriter, TablesKeepTheirShape)
{
    const UsageReport r = sample();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    ASSERT_TRUE(MarkdownReportWriter::write(r, buffer));
    const QString md = QString::fromUtf8(buffer.data());
    EXPECT_TRUE(md.startsWith(u"# Usage report: all sessions\n"_s));
    // Every line of a table has as many unescaped pipes as its header line.
    const QStringList lines = md.split(u'\n');
    qsizetype pipes = -1;
    int tableLines = 0;
    for (const QString& line : lines) {
        if (!line.startsWith(u'|')) {
            pipes = -1;
            continue;
        }
        qsizetype n = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            if (line.at(i) == u'\\')
                ++i;
            else if (line.at(i) == u'|')
                ++n;
        }
        if (pipes < 0)
            pipes = n;
        EXPECT_EQ(n, pipes) << line.toStdString();
        ++tableLines;
    }
    EXPECT_GT(tableLines, 20);
    EXPECT_TRUE(md.contains(u"\\<script\\>alert('x')\\</script\\> & more"_s));
    EXPECT_TRUE(md.contains(u"ACME \\| Co"_s));
    EXPECT_TRUE(md.contains(u"a,b \"quoted\" line"_s)); // the line break became a space
    EXPECT_EQ(MarkdownReportWriter::escape(u"*_`[x](y)#"_s), u"\\*\\_\\`\\[x\\](y)\\#"_s);
}

TEST(ReportTables, CostAndNumberFormats)
{
    EXPECT_EQ(ReportTables::cost(std::nullopt), u"–"_s);
    EXPECT_EQ(ReportTables::cost(0.0), u"$0.0000"_s);
    EXPECT_EQ(ReportTables::cost(0.01234), u"$0.0123"_s);
    EXPECT_EQ(ReportTables::cost(1234.5), u"$1,234.50"_s);
    EXPECT_EQ(ReportTables::number(1047955), u"1,047,955"_s);
}

} // namespace
