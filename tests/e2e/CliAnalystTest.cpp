// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// The read-only analyst commands (`sessions`, `show`, `branches`, `usage`) run as processes on the
// SDK-written multi.db, compared with what the SDK itself reported (multi.expected.json).
#include "CliTestSupport.h"
#include "TempDir.h"
#include "TestData.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using namespace Qt::StringLiterals;
using namespace tb::test::cli;
using tb::core::Json;
using tb::test::copySdkFixture;
using tb::test::sdkFixture;
using tb::test::TempDir;

class AnalystTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_expected = new Json(loadJsonFile(sdkFixture(u"multi.expected.json"_s)));
        for (const Json& s : (*s_expected)[u"final_state"][u"sessions"].asArray())
            s_byId.insert(s[u"session_id"].toString(), &s);
    }
    static void TearDownTestSuite()
    {
        s_byId.clear();
        delete s_expected;
        s_expected = nullptr;
    }
    void SetUp() override
    {
        ASSERT_EQ(s_byId.size(), 50);
        m_db = copySdkFixture(u"multi.db"_s, m_dir.path());
        ASSERT_FALSE(m_db.isEmpty());
        m_before = digest(m_db);
    }
    void TearDown() override
    {
        // Analyst commands open files read-only and never change them.
        EXPECT_EQ(digest(m_db), m_before) << "the analyst commands changed the database file";
    }

    CliRun cli(const QString& command, const QStringList& args) const
    {
        return runCli(QStringList{command, m_db} + args);
    }
    Json json(const QString& command, const QStringList& args) const
    {
        const CliRun r = cli(command, args + QStringList{u"--json"_s});
        EXPECT_EQ(r.exitCode, 0) << r.describe();
        EXPECT_TRUE(r.err.isEmpty()) << r.describe();
        return parseJsonOutput(r);
    }
    QStringList sessionIds(const QStringList& args) const
    {
        QStringList ids;
        const Json doc = json(u"sessions"_s, args);
        for (const Json& s : doc[u"sessions"].asArray())
            ids << s[u"session_id"].toString();
        return ids;
    }
    static const Json& expected(const QString& id) { return *s_byId.value(id); }

    TempDir m_dir;
    QString m_db;
    QByteArray m_before;
    static inline Json* s_expected = nullptr;
    static inline QHash<QString, const Json*> s_byId;
};

// --- sessions ------------------------------------------------------------------------------------

TEST_F(AnalystTest, SessionsTableListsEverySession)
{
    const CliRun r = cli(u"sessions"_s, {});
    ASSERT_EQ(r.exitCode, 0) << r.describe();
    EXPECT_TRUE(r.err.isEmpty()) << r.describe();
    const QStringList lines = r.outText().split(u'\n', Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 1 + 1 + 50 + 1) << r.describe(); // header, rule, rows, footer
    for (const char* column : {"SESSION", "ITEMS", "TURNS", "BRANCHES", "FIRST ACTIVITY", "LAST ACTIVITY", "TOKENS"})
        EXPECT_TRUE(lines[0].contains(QLatin1StringView(column))) << column;
    EXPECT_TRUE(QRegularExpression(u"^-+( +-+)+$"_s).match(lines[1]).hasMatch()) << lines[1].toStdString();
    EXPECT_EQ(lines.last(), u"50 of 50 sessions shown (offset 0)");
    // Every session appears once, with its SDK usage total in the last column.
    QStringList seen;
    for (qsizetype i = 2; i < lines.size() - 1; ++i) {
        const QStringList cells = lines[i].split(u' ', Qt::SkipEmptyParts);
        ASSERT_GE(cells.size(), 7) << lines[i].toStdString();
        const QString id = cells.first();
        ASSERT_TRUE(s_byId.contains(id)) << lines[i].toStdString();
        seen << id;
        EXPECT_EQ(cells.last().toLongLong(), expected(id)[u"advanced"][u"get_session_usage"][u"total_tokens"].toInt()) << lines[i].toStdString();
    }
    seen.removeDuplicates();
    EXPECT_EQ(seen.size(), 50);
}

TEST_F(AnalystTest, SessionsJsonAgreesWithTheSdk)
{
    const Json doc = json(u"sessions"_s, {});
    ASSERT_TRUE(doc.isObject());
    EXPECT_EQ(doc[u"total"].toInt(), 50);
    EXPECT_EQ(doc[u"offset"].toInt(), 0);
    const Json& rows = doc[u"sessions"];
    ASSERT_EQ(rows.size(), 50);
    for (const Json& row : rows.asArray()) {
        const QString id = row[u"session_id"].toString();
        ASSERT_TRUE(s_byId.contains(id)) << show(row);
        const Json& e = expected(id);
        const Json& branches = e[u"advanced"][u"list_branches"];
        EXPECT_EQ(row[u"items"].toInt(), e[u"raw"][u"message_rows"].toInt()) << id.toStdString();
        EXPECT_EQ(row[u"branches"].toInt(), branches.size()) << id.toStdString();
        EXPECT_EQ(row[u"turns"].toInt(), branches.asArray().at(0)[u"user_turns"].toInt()) << id.toStdString(); // main is listed first
        EXPECT_EQ(row[u"total_tokens"].toInt(), e[u"advanced"][u"get_session_usage"][u"total_tokens"].toInt()) << id.toStdString();
        EXPECT_EQ(row[u"first_activity"].toString(), e[u"raw"][u"sessions_row"][u"created_at"].toString()) << id.toStdString();
        EXPECT_EQ(row[u"last_activity"].toString(), e[u"raw"][u"sessions_row"][u"updated_at"].toString()) << id.toStdString();
    }
    // Default order: last activity, newest first.
    for (qsizetype i = 1; i < rows.size(); ++i)
        EXPECT_GE(rows.asArray()[i - 1][u"last_activity"].toString(), rows.asArray()[i][u"last_activity"].toString());
}

TEST_F(AnalystTest, SessionsSortLimitOffsetAndFilter)
{
    // Ids are unique, so id order is total and pages can be checked exactly.
    QStringList all = s_byId.keys();
    std::sort(all.begin(), all.end());
    EXPECT_EQ(sessionIds({u"--sort"_s, u"id"_s, u"--asc"_s}), all);
    QStringList desc = all;
    std::reverse(desc.begin(), desc.end());
    EXPECT_EQ(sessionIds({u"--sort"_s, u"id"_s}), desc);
    EXPECT_EQ(sessionIds({u"--sort"_s, u"id"_s, u"--asc"_s, u"--limit"_s, u"3"_s, u"--offset"_s, u"2"_s}), all.mid(2, 3));
    EXPECT_EQ(sessionIds({u"--sort"_s, u"id"_s, u"--limit"_s, u"4"_s, u"--offset"_s, u"48"_s}), desc.mid(48));
    EXPECT_EQ(sessionIds({u"--sort"_s, u"id"_s, u"--asc"_s, u"--limit"_s, u"-1"_s}), all);
    EXPECT_TRUE(sessionIds({u"--sort"_s, u"id"_s, u"--offset"_s, u"50"_s}).isEmpty());
    EXPECT_TRUE(sessionIds({u"--limit"_s, u"0"_s}).isEmpty());

    // total counts every match, not just the page; offset is echoed.
    const Json page = json(u"sessions"_s, {u"--sort"_s, u"id"_s, u"--limit"_s, u"5"_s, u"--offset"_s, u"10"_s});
    EXPECT_EQ(page[u"total"].toInt(), 50);
    EXPECT_EQ(page[u"offset"].toInt(), 10);
    EXPECT_EQ(page[u"sessions"].size(), 5);

    // The filter is a case-insensitive substring of the id; total follows it.
    const QStringList forties = all.filter(u"customer-104"_s);
    ASSERT_EQ(forties.size(), 10);
    EXPECT_EQ(sessionIds({u"--filter"_s, u"customer-104"_s, u"--sort"_s, u"id"_s, u"--asc"_s}), forties);
    EXPECT_EQ(sessionIds({u"--filter"_s, u"CUSTOMER-104"_s, u"--sort"_s, u"id"_s, u"--asc"_s}), forties);
    const Json filtered = json(u"sessions"_s, {u"--filter"_s, u"104"_s, u"--limit"_s, u"3"_s});
    EXPECT_EQ(filtered[u"total"].toInt(), 10);
    EXPECT_EQ(filtered[u"sessions"].size(), 3);
    const Json none = json(u"sessions"_s, {u"--filter"_s, u"no-such-session"_s});
    EXPECT_EQ(none[u"total"].toInt(), 0);
    EXPECT_EQ(none[u"sessions"].size(), 0);

    // Numeric keys: ordered by that value, descending unless --asc.
    const struct
    {
        const char* key;
        const char16_t* field;
    } keys[] = {{"items", u"items"},     {"turns", u"turns"},          {"branches", u"branches"},
                {"tokens", u"total_tokens"}, {"first", u"first_activity"}, {"last", u"last_activity"}};
    for (const auto& k : keys) {
        for (bool asc : {false, true}) {
            QStringList args{u"--sort"_s, QString::fromLatin1(k.key)};
            if (asc)
                args << u"--asc"_s;
            const Json rows = json(u"sessions"_s, args)[u"sessions"];
            ASSERT_EQ(rows.size(), 50) << k.key;
            for (qsizetype i = 1; i < rows.size(); ++i) {
                const Json& a = rows.asArray()[i - 1][QStringView(k.field)];
                const Json& b = rows.asArray()[i][QStringView(k.field)];
                const bool ordered = a.isString() ? (asc ? a.toString() <= b.toString() : a.toString() >= b.toString())
                                                  : (asc ? a.toInt() <= b.toInt() : a.toInt() >= b.toInt());
                EXPECT_TRUE(ordered) << k.key << (asc ? " asc" : " desc") << " at row " << i << ": " << show(a) << " then " << show(b);
            }
        }
    }
    // The page of a numeric sort is a slice of the full listing.
    const Json full = json(u"sessions"_s, {u"--sort"_s, u"tokens"_s});
    const Json slice = json(u"sessions"_s, {u"--sort"_s, u"tokens"_s, u"--limit"_s, u"7"_s, u"--offset"_s, u"20"_s});
    ASSERT_EQ(slice[u"sessions"].size(), 7);
    for (qsizetype i = 0; i < 7; ++i)
        EXPECT_EQ(slice[u"sessions"].asArray()[i], full[u"sessions"].asArray()[20 + i]) << i;
}

TEST_F(AnalystTest, SessionsRejectsBadOptions)
{
    for (const QStringList& args : {QStringList{u"--sort"_s, u"colour"_s}, QStringList{u"--limit"_s, u"many"_s},
                                    QStringList{u"--offset"_s, u"-1"_s}, QStringList{u"--offset"_s, u"x"_s}, QStringList{u"--bogus"_s},
                                    QStringList{u"extra-positional"_s}}) {
        const CliRun r = cli(u"sessions"_s, args);
        EXPECT_EQ(r.exitCode, 2) << args.join(u' ').toStdString() << '\n' << r.describe();
        EXPECT_TRUE(r.out.isEmpty()) << r.describe();
        EXPECT_TRUE(r.errText().startsWith(u"threadbench sessions: "_s)) << r.describe();
    }
}

// --- show ----------------------------------------------------------------------------------------

TEST_F(AnalystTest, ShowPrintsTurnsToolCallsAndUsage)
{
    const CliRun r = cli(u"show"_s, {u"customer-1001"_s});
    ASSERT_EQ(r.exitCode, 0) << r.describe();
    EXPECT_TRUE(r.err.isEmpty()) << r.describe();
    const QString text = r.outText();
    EXPECT_TRUE(text.startsWith(u"Session customer-1001, branch main\n"_s)) << r.describe();
    const Json& main = expected(u"customer-1001"_s)[u"advanced"][u"branches"][u"main"];
    const qsizetype turns = main[u"get_conversation_by_turns"].size();
    ASSERT_EQ(turns, 6);
    for (qsizetype t = 1; t <= turns; ++t)
        EXPECT_EQ(text.count(u"== Turn %1 "_s.arg(t)), 1) << "turn " << t << '\n' << r.describe();
    // Per-turn usage in the header: turn 1 used 880 tokens in the SDK's records.
    EXPECT_TRUE(text.contains(u"== Turn 1  [2 requests, in 617 (cached 0), out 263 (reasoning 192), total 880]"_s)) << r.describe();
    // Every tool call of the SDK's tool usage shows up by name.
    for (const Json& tool : main[u"get_tool_usage"].asArray())
        EXPECT_TRUE(text.contains(u"tool call "_s + tool.asArray()[0].toString() + u'(')) << show(tool);
    EXPECT_TRUE(text.contains(uR"(tool call check_order_status({"order_id": "ORD-90537"}))"_s)) << r.describe();
    // Non-ASCII text is shown as text, not as escapes.
    EXPECT_TRUE(text.contains(u"user: \u00bfMe pueden ayudar con la factura?"_s)) << r.describe();

    // Another branch.
    const CliRun alt = cli(u"show"_s, {u"customer-1001"_s, u"--branch"_s, u"alt-1"_s});
    ASSERT_EQ(alt.exitCode, 0) << alt.describe();
    EXPECT_TRUE(alt.outText().startsWith(u"Session customer-1001, branch alt-1\n"_s)) << alt.describe();
    EXPECT_EQ(alt.outText().count(u"== Turn "_s), expected(u"customer-1001"_s)[u"advanced"][u"branches"][u"alt-1"][u"get_conversation_by_turns"].size());
}

TEST_F(AnalystTest, ShowJsonHasTurnsWithUsageAndItems)
{
    for (const QString& id : {u"customer-1001"_s, u"customer-1007"_s, u"customer-1018"_s}) {
        const Json& adv = expected(id)[u"advanced"];
        for (const auto& [branch, b] : adv[u"branches"].asObject()) {
            const std::string where = QString(id + u' ' + branch).toStdString();
            const Json doc = json(u"show"_s, {id, u"--branch"_s, branch});
            ASSERT_TRUE(doc.isObject()) << where;
            ASSERT_EQ(doc.size(), 3) << where;
            EXPECT_EQ(doc.asObject()[0].first, u"session_id");
            EXPECT_EQ(doc.asObject()[1].first, u"branch");
            EXPECT_EQ(doc.asObject()[2].first, u"turns");
            EXPECT_EQ(doc[u"session_id"].toString(), id);
            EXPECT_EQ(doc[u"branch"].toString(), branch);

            // Turns and their item kinds are the SDK's get_conversation_by_turns, items its get_items.
            const Json& byTurns = b[u"get_conversation_by_turns"];
            const Json& turns = doc[u"turns"];
            ASSERT_EQ(turns.size(), byTurns.size()) << where;
            Json::Array items;
            QHash<qint64, Json> usageByTurn;
            for (const Json& u : b[u"get_turn_usage"].asArray())
                usageByTurn.insert(u[u"user_turn_number"].toInt(), u);
            for (qsizetype i = 0; i < turns.size(); ++i) {
                const Json& turn = turns.asArray()[i];
                const auto& [key, kinds] = byTurns.asObject()[size_t(i)];
                EXPECT_EQ(QString::number(turn[u"turn"].toInt()), key) << where;
                ASSERT_EQ(turn[u"items"].size(), kinds.size()) << where << " turn " << key.toStdString();
                for (qsizetype k = 0; k < kinds.size(); ++k) {
                    const Json& entry = turn[u"items"].asArray()[k];
                    EXPECT_EQ(entry[u"type"], kinds.asArray()[k][u"type"]) << where;
                    EXPECT_EQ(entry[u"tool_name"], kinds.asArray()[k][u"tool_name"]) << where;
                    EXPECT_TRUE(entry[u"created_at"].isString()) << where;
                    items.push_back(entry[u"item"]);
                }
                // Usage as get_turn_usage reports it, without the turn number.
                Json usage = usageByTurn.value(turn[u"turn"].toInt());
                if (usage.isObject()) {
                    usage.remove(u"user_turn_number");
                    EXPECT_EQ(dumped(turn[u"usage"]), dumped(usage)) << where << " turn " << key.toStdString();
                } else {
                    EXPECT_TRUE(turn[u"usage"].isNull()) << where << " turn " << key.toStdString();
                }
            }
            EXPECT_EQ(Json(std::move(items)), b[u"get_items"]) << where;
        }
    }
}

// --- branches ------------------------------------------------------------------------------------

TEST_F(AnalystTest, BranchesJsonEqualsListBranches)
{
    for (const QString& id : {u"customer-1000"_s, u"customer-1001"_s, u"customer-1002"_s, u"customer-1007"_s}) {
        const Json& adv = expected(id)[u"advanced"];
        const Json doc = json(u"branches"_s, {id});
        ASSERT_TRUE(doc.isArray()) << show(doc);
        const Json& sdk = adv[u"list_branches"];
        ASSERT_EQ(doc.size(), sdk.size()) << id.toStdString();
        for (qsizetype i = 0; i < doc.size(); ++i) {
            const Json& ours = doc.asArray()[i];
            const Json& theirs = sdk.asArray()[i];
            const QString branch = theirs[u"branch_id"].toString();
            EXPECT_EQ(ours[u"branch_id"].toString(), branch) << id.toStdString();
            EXPECT_EQ(ours[u"message_count"], theirs[u"message_count"]) << branch.toStdString();
            EXPECT_EQ(ours[u"user_turns"], theirs[u"user_turns"]) << branch.toStdString();
            EXPECT_EQ(ours[u"created_at"], theirs[u"created_at"]) << branch.toStdString();
            EXPECT_EQ(ours[u"total_tokens"].toInt(), adv[u"branches"][branch][u"get_session_usage"][u"total_tokens"].toInt())
                << branch.toStdString();
        }
        // The same, through the SDK call of the CLI.
        Json::Array ids;
        const Json sdkDoc = sdkOk(runSdk(m_db, id, u"list_branches"_s));
        for (const Json& b : sdkDoc[u"result"].asArray())
            ids.push_back(b[u"branch_id"]);
        Json::Array listed;
        for (const Json& b : doc.asArray())
            listed.push_back(b[u"branch_id"]);
        EXPECT_EQ(Json(listed), Json(ids)) << id.toStdString();
    }
}

TEST_F(AnalystTest, BranchesTable)
{
    const CliRun r = cli(u"branches"_s, {u"customer-1001"_s});
    ASSERT_EQ(r.exitCode, 0) << r.describe();
    const QStringList lines = r.outText().split(u'\n', Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 4) << r.describe();
    EXPECT_TRUE(lines[0].startsWith(u"BRANCH"_s)) << r.describe();
    EXPECT_TRUE(lines[2].startsWith(u"main "_s)) << r.describe();
    EXPECT_TRUE(lines[3].startsWith(u"alt-1 "_s)) << r.describe();
    EXPECT_TRUE(lines[2].contains(u" 10140 "_s)) << r.describe();
}

// --- usage ---------------------------------------------------------------------------------------

TEST_F(AnalystTest, UsageJsonTotalsEqualTheSdk)
{
    for (const QString& id : {u"customer-1000"_s, u"customer-1001"_s, u"customer-1005"_s, u"customer-1007"_s, u"customer-1018"_s,
                              u"customer-1049"_s}) {
        const Json& adv = expected(id)[u"advanced"];
        const Json doc = json(u"usage"_s, {id});
        EXPECT_EQ(doc[u"session_id"].toString(), id);
        EXPECT_TRUE(doc[u"branch"].isNull());
        // All branches, as get_session_usage() with no branch_id.
        EXPECT_EQ(dumped(doc[u"totals"]), dumped(adv[u"get_session_usage"])) << id.toStdString();
        // Turns and tools of main.
        EXPECT_EQ(dumped(doc[u"turns"]), dumped(adv[u"branches"][u"main"][u"get_turn_usage"])) << id.toStdString();
        EXPECT_EQ(dumped(doc[u"tools"]), dumped(adv[u"branches"][u"main"][u"get_tool_usage"])) << id.toStdString();
        // And per branch.
        for (const auto& [branch, b] : adv[u"branches"].asObject()) {
            const Json one = json(u"usage"_s, {id, u"--branch"_s, branch});
            EXPECT_EQ(one[u"branch"].toString(), branch);
            EXPECT_EQ(dumped(one[u"totals"]), dumped(b[u"get_session_usage"])) << id.toStdString() << ' ' << branch.toStdString();
            EXPECT_EQ(dumped(one[u"turns"]), dumped(b[u"get_turn_usage"])) << id.toStdString() << ' ' << branch.toStdString();
            EXPECT_EQ(dumped(one[u"tools"]), dumped(b[u"get_tool_usage"])) << id.toStdString() << ' ' << branch.toStdString();
        }
    }
}

TEST_F(AnalystTest, UsageTable)
{
    const CliRun r = cli(u"usage"_s, {u"customer-1001"_s});
    ASSERT_EQ(r.exitCode, 0) << r.describe();
    const QString text = r.outText();
    EXPECT_TRUE(text.startsWith(u"Totals (all branches): 16 requests, 14219 input, 998 output, 15217 tokens in 8 turns\n"_s)) << r.describe();
    EXPECT_TRUE(text.contains(u"Per turn (branch main):"_s)) << r.describe();
    EXPECT_TRUE(text.contains(u"Tool calls (branch main):"_s)) << r.describe();
    EXPECT_TRUE(text.contains(u"search_kb"_s)) << r.describe();
}

// --- errors --------------------------------------------------------------------------------------

void expectAnalystFailure(const CliRun& r, const QString& command, const char* needle, const std::string& what)
{
    EXPECT_EQ(r.exitCode, 2) << what << '\n' << r.describe();
    EXPECT_TRUE(r.out.isEmpty()) << what << '\n' << r.describe();
    EXPECT_TRUE(r.errText().startsWith(u"threadbench "_s + command + u": "_s)) << what << '\n' << r.describe();
    if (needle) {
        EXPECT_TRUE(r.errText().contains(QString::fromUtf8(needle))) << what << ": stderr lacks '" << needle << "'\n" << r.describe();
    }
}

TEST_F(AnalystTest, UnknownSessionIsAnError)
{
    for (const QString& command : {u"show"_s, u"branches"_s, u"usage"_s}) {
        for (const QStringList& extra : {QStringList{}, QStringList{u"--json"_s}}) {
            const CliRun r = cli(command, QStringList{u"customer-9999"_s} + extra);
            expectAnalystFailure(r, command, "customer-9999", QString(command + u' ' + extra.join(u' ')).toStdString());
        }
    }
    // show: an unknown branch of a known session too.
    expectAnalystFailure(cli(u"show"_s, {u"customer-1001"_s, u"--branch"_s, u"nope"_s}), u"show"_s, "nope", "unknown branch");
}

TEST_F(AnalystTest, PlainSchemaFileIsAnError)
{
    const QString plain = copySdkFixture(u"basic.db"_s, m_dir.path());
    ASSERT_FALSE(plain.isEmpty());
    const QByteArray before = digest(plain);
    for (const QString& command : {u"show"_s, u"branches"_s, u"usage"_s}) {
        const CliRun r = runCli({command, plain, u"customer-789"_s});
        expectAnalystFailure(r, command, "plain SQLiteSession", command.toStdString());
        // The hint names the command that does read it.
        EXPECT_TRUE(r.errText().contains(u"threadbench sdk --class sqlite"_s)) << r.describe();
    }
    // sessions lists plain files as well.
    const CliRun list = runCli({u"sessions"_s, plain, u"--json"_s});
    EXPECT_EQ(list.exitCode, 0) << list.describe();
    EXPECT_EQ(parseJsonOutput(list)[u"total"].toInt(), 2);
    EXPECT_EQ(digest(plain), before);
}

TEST_F(AnalystTest, MissingOrUnreadableFilesAreErrors)
{
    const QString missing = m_dir.filePath(u"missing.db"_s);
    const QString folder = m_dir.filePath(u"folder.db"_s);
    ASSERT_TRUE(QDir().mkpath(folder));
    const QString text = m_dir.filePath(u"text.db"_s);
    {
        QFile f(text);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("not a database at all, just text\n");
    }
    const QByteArray textBefore = digest(text);
    const struct
    {
        QString command;
        QStringList args;
    } calls[] = {{u"sessions"_s, {}}, {u"show"_s, {u"customer-1001"_s}}, {u"branches"_s, {u"customer-1001"_s}}, {u"usage"_s, {u"customer-1001"_s}}};
    for (const auto& c : calls) {
        for (const QString& db : {missing, folder, text}) {
            const CliRun r = runCli(QStringList{c.command, db} + c.args);
            expectAnalystFailure(r, c.command, nullptr, QString(c.command + u' ' + QFileInfo(db).fileName()).toStdString());
        }
        // Nothing was created.
        EXPECT_FALSE(QFileInfo::exists(missing)) << c.command.toStdString();
        EXPECT_TRUE(QDir(folder).isEmpty()) << c.command.toStdString();
        EXPECT_EQ(digest(text), textBefore) << c.command.toStdString();
    }
    // Missing positional arguments.
    expectAnalystFailure(runCli({u"sessions"_s}), u"sessions"_s, "DB", "sessions without DB");
    expectAnalystFailure(runCli({u"show"_s, m_db}), u"show"_s, "SESSION_ID", "show without session");
    expectAnalystFailure(runCli({u"usage"_s}), u"usage"_s, "SESSION_ID", "usage without anything");
}

// A rollback-journal copy: opening it writable (WAL) would change its bytes, so this proves that
// the analyst commands really open read-only.
TEST_F(AnalystTest, ReadOnlyEvenForRollbackJournalFiles)
{
    const QString dir = m_dir.filePath(u"delete-mode"_s);
    ASSERT_TRUE(QDir().mkpath(dir));
    const QString db = copySdkFixture(u"multi.db"_s, dir);
    ASSERT_FALSE(db.isEmpty());
    ASSERT_TRUE(makeRollbackJournal(db));
    const QByteArray before = digest(db);
    for (const QStringList& args :
         {QStringList{u"sessions"_s, db}, QStringList{u"sessions"_s, db, u"--json"_s, u"--sort"_s, u"tokens"_s},
          QStringList{u"show"_s, db, u"customer-1001"_s}, QStringList{u"show"_s, db, u"customer-1001"_s, u"--json"_s},
          QStringList{u"branches"_s, db, u"customer-1001"_s}, QStringList{u"usage"_s, db, u"customer-1001"_s, u"--json"_s},
          QStringList{u"show"_s, db, u"customer-9999"_s}}) {
        const CliRun r = runCli(args);
        EXPECT_FALSE(r.crashed) << r.describe();
        EXPECT_EQ(digest(db), before) << args.join(u' ').toStdString();
    }
    EXPECT_EQ(sqlRows(db, u"PRAGMA journal_mode"_s).value(0).value(0).toString(), u"delete");
}

} // namespace
