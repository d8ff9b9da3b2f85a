// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// End-to-end tests of the `threadbench` executable's command-line contract: help and version, the
// shape of `threadbench sdk` output, and every "exit 2, message on stderr, file untouched" failure.
#include "CliTestSupport.h"
#include "TempDir.h"
#include "TestData.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <gtest/gtest.h>

namespace {

using namespace Qt::StringLiterals;
using namespace tb::test::cli;
using tb::core::Json;
using tb::test::copySdkFixture;
using tb::test::TempDir;

// ---------------------------------------------------------------------------------------------
// Help and version

TEST(CliTest, VersionPrintsTheProjectVersion)
{
    const CliRun r = runCli({u"--version"_s});
    EXPECT_EQ(r.exitCode, 0) << r.describe();
    EXPECT_TRUE(QRegularExpression(u"^threadbench \\d+\\.\\d+\\.\\d+\\n$"_s).match(r.outText()).hasMatch()) << r.describe();
    EXPECT_TRUE(r.err.isEmpty()) << r.describe();
}

TEST(CliTest, HelpListsTheCommands)
{
    for (const QString& flag : {u"--help"_s, u"-h"_s, u"help"_s}) {
        const CliRun r = runCli({flag});
        EXPECT_EQ(r.exitCode, 0) << r.describe();
        for (const char* command : {"sdk", "sessions", "show", "branches", "usage"})
            EXPECT_TRUE(r.outText().contains(QLatin1StringView(command))) << command << '\n' << r.describe();
        EXPECT_TRUE(r.err.isEmpty()) << r.describe();
    }
}

TEST(CliTest, SdkHelpDescribesTheContract)
{
    const CliRun r = runCli({u"sdk"_s, u"--help"_s});
    EXPECT_EQ(r.exitCode, 0) << r.describe();
    for (const char* word : {"DB", "SESSION_ID", "METHOD", "KWARGS_JSON", "--class", "--create-tables", "--limit-setting",
                             "--branch", "open", "get_items", "list_branches", "store_run_usage"})
        EXPECT_TRUE(r.outText().contains(QLatin1StringView(word))) << word << '\n' << r.describe();
    EXPECT_TRUE(r.err.isEmpty()) << r.describe();
}

TEST(CliTest, AnalystCommandsHaveHelp)
{
    for (const QString& command : {u"sessions"_s, u"show"_s, u"branches"_s, u"usage"_s}) {
        const CliRun r = runCli({command, u"--help"_s});
        EXPECT_EQ(r.exitCode, 0) << command.toStdString() << '\n' << r.describe();
        EXPECT_TRUE(r.outText().contains(u"--json"_s)) << r.describe();
    }
}

// ---------------------------------------------------------------------------------------------
// Output shape of `threadbench sdk`

TEST(CliTest, SdkOutputIsOneLineWithResultThenCurrentBranch)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    // A big, non-ASCII result (customer-1001 has Spanish text) still fits on one ASCII line.
    const CliRun r = runSdk(db, u"customer-1001"_s, u"get_items"_s);
    Json doc;
    ASSERT_TRUE(sdkDocument(r, &doc));
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(doc[u"result"].isArray());
    EXPECT_EQ(doc[u"current_branch"].toString(), u"main");
    for (char c : r.out)
        EXPECT_TRUE(uchar(c) < 0x80) << "json.dumps output is ASCII (ensure_ascii)";
    EXPECT_TRUE(r.out.contains("\", \"")) << "Python separators";
    EXPECT_TRUE(r.err.isEmpty()) << r.describe();
}

TEST(CliTest, SdkRaisedOutputIsOneLineWithRaisedThenCurrentBranch)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    const CliRun r = runSdk(db, u"customer-1001"_s, u"switch_to_branch"_s, uR"({"branch_id": "nope"})"_s);
    const Json doc = sdkRaised(r);
    EXPECT_EQ(dumped(doc), R"({"raised": {"type": "ValueError", "message": "Branch 'nope' does not exist"}, "current_branch": "main"})");
}

TEST(CliTest, SdkOpenAloneReturnsNull)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    EXPECT_EQ(dumped(sdkOk(runSdk(db, u"customer-1000"_s, u"open"_s))), R"({"result": null, "current_branch": "main"})");
    // --branch is set without validation, even for open.
    EXPECT_EQ(dumped(sdkOk(runSdk(db, u"customer-1000"_s, u"open"_s, {}, {u"--branch"_s, u"no-such-branch"_s}))),
              R"({"result": null, "current_branch": "no-such-branch"})");
    // Any session id can be constructed (the SDK does not check that it exists).
    EXPECT_EQ(dumped(sdkOk(runSdk(db, u"nobody"_s, u"open"_s))), R"({"result": null, "current_branch": "main"})");
}

// ---------------------------------------------------------------------------------------------
// Exit code 2: message on stderr, nothing on stdout, the file unchanged

struct Exit2Case
{
    const char* name;
    QStringList args; // after "sdk"; "@DB" is replaced with the database path
    const char* stderrNeedle;
};

void expectExit2(const CliRun& r, const char* needle, const std::string& what)
{
    EXPECT_EQ(r.exitCode, 2) << what << '\n' << r.describe();
    EXPECT_TRUE(r.out.isEmpty()) << what << '\n' << r.describe();
    EXPECT_FALSE(r.err.trimmed().isEmpty()) << what << '\n' << r.describe();
    EXPECT_TRUE(r.err.endsWith('\n')) << what << '\n' << r.describe();
    if (needle) {
        EXPECT_TRUE(r.errText().contains(QString::fromUtf8(needle))) << what << ": stderr lacks '" << needle << "'\n" << r.describe();
    }
}

QStringList substitute(QStringList args, const QString& db)
{
    for (QString& a : args) {
        if (a == u"@DB")
            a = db;
    }
    return args;
}

// Usage errors that are detected before the database is touched.
const QList<Exit2Case>& usageErrorCases()
{
    static const QList<Exit2Case> cases = {
        {"no arguments", {}, "expected DB SESSION_ID METHOD"},
        {"only DB", {u"@DB"_s}, "expected DB SESSION_ID METHOD"},
        {"no METHOD", {u"@DB"_s, u"customer-1001"_s}, "expected DB SESSION_ID METHOD"},
        {"too many arguments", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, u"{}"_s, u"{}"_s}, "expected DB SESSION_ID METHOD"},
        {"unknown method", {u"@DB"_s, u"customer-1001"_s, u"frobnicate"_s}, "unknown method 'frobnicate'"},
        {"private method", {u"@DB"_s, u"customer-1001"_s, u"_get_current_turn"_s}, "unknown method"},
        {"close is not offered", {u"@DB"_s, u"customer-1001"_s, u"close"_s}, "unknown method"},
        {"malformed KWARGS_JSON", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, u"{"_s}, "KWARGS_JSON"},
        {"KWARGS_JSON with trailing garbage", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, u"{} x"_s}, "KWARGS_JSON"},
        {"KWARGS_JSON is an array", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, u"[]"_s}, "KWARGS_JSON must be a JSON object"},
        {"KWARGS_JSON is a number", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, u"5"_s}, "KWARGS_JSON must be a JSON object"},
        {"KWARGS_JSON is a string", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, u"\"x\""_s}, "KWARGS_JSON must be a JSON object"},
        {"KWARGS_JSON is null", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, u"null"_s}, "KWARGS_JSON must be a JSON object"},
        {"bad --class", {u"--class"_s, u"redis"_s, u"@DB"_s, u"customer-1001"_s, u"get_items"_s}, "--class"},
        {"bad --limit-setting", {u"--limit-setting"_s, u"ten"_s, u"@DB"_s, u"customer-1001"_s, u"get_items"_s}, "--limit-setting"},
        {"unknown option", {u"--bogus"_s, u"@DB"_s, u"customer-1001"_s, u"get_items"_s}, "bogus"},
        {"option without value", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, u"--branch"_s}, "branch"},
    };
    return cases;
}

// Keyword arguments of the wrong type or name: Python would fail the call, we refuse it as a usage error.
const QList<Exit2Case>& badKeywordCases()
{
    static const QList<Exit2Case> cases = {
        {"limit is a string", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, uR"({"limit": "2"})"_s}, "limit"},
        {"limit is a float", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, uR"({"limit": 1.5})"_s}, "limit"},
        {"branch_id is a number", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, uR"({"branch_id": 5})"_s}, "branch_id"},
        {"unexpected keyword", {u"@DB"_s, u"customer-1001"_s, u"get_items"_s, uR"({"bogus": 1})"_s}, "bogus"},
        {"items missing", {u"@DB"_s, u"customer-1001"_s, u"add_items"_s, u"{}"_s}, "items"},
        {"items is an object", {u"@DB"_s, u"customer-1001"_s, u"add_items"_s, uR"({"items": {}})"_s}, "items"},
        {"pop_item takes no arguments", {u"@DB"_s, u"customer-1001"_s, u"pop_item"_s, uR"({"limit": 1})"_s}, "limit"},
        {"usage is a number", {u"@DB"_s, u"customer-1001"_s, u"store_run_usage"_s, uR"({"usage": 5})"_s}, "usage"},
        {"turn_number is a string", {u"@DB"_s, u"customer-1001"_s, u"create_branch_from_turn"_s, uR"({"turn_number": "2"})"_s}, "turn_number"},
        {"turn_number missing", {u"@DB"_s, u"customer-1001"_s, u"create_branch_from_turn"_s, uR"({"branch_name": "x"})"_s}, "turn_number"},
        {"search_term missing", {u"@DB"_s, u"customer-1001"_s, u"find_turns_by_content"_s, u"{}"_s}, "search_term"},
        {"search_term is a list", {u"@DB"_s, u"customer-1001"_s, u"create_branch_from_content"_s, uR"({"search_term": ["a"]})"_s}, "search_term"},
        {"branch_id missing", {u"@DB"_s, u"customer-1001"_s, u"switch_to_branch"_s, u"{}"_s}, "branch_id"},
        {"delete_branch id is a number", {u"@DB"_s, u"customer-1001"_s, u"delete_branch"_s, uR"({"branch_id": 5})"_s}, "branch_id"},
        {"user_turn_number is a string", {u"@DB"_s, u"customer-1001"_s, u"get_turn_usage"_s, uR"({"user_turn_number": "1"})"_s}, "user_turn_number"},
        {"SQLiteSession has no branches", {u"--class"_s, u"sqlite"_s, u"@DB"_s, u"customer-1001"_s, u"list_branches"_s}, "list_branches"},
        {"SQLiteSession get_items has no branch_id", {u"--class"_s, u"sqlite"_s, u"@DB"_s, u"customer-1001"_s, u"get_items"_s, uR"({"branch_id": "main"})"_s}, "branch_id"},
    };
    return cases;
}

void runExit2Cases(const QList<Exit2Case>& cases, const QString& db)
{
    const QByteArray before = digest(db);
    ASSERT_FALSE(before.isEmpty());
    for (const Exit2Case& c : cases) {
        const CliRun r = runCli(QStringList{u"sdk"_s} + substitute(c.args, db));
        expectExit2(r, c.stderrNeedle, c.name);
        EXPECT_EQ(digest(db), before) << c.name << ": the database file changed";
    }
}

TEST(CliTest, UsageErrorsExitWith2AndLeaveTheFileAlone)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    runExit2Cases(usageErrorCases(), db);
}

TEST(CliTest, BadKeywordArgumentsExitWith2AndLeaveTheFileAlone)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    runExit2Cases(badKeywordCases(), db);
    // The session is as before: nothing was added, popped or branched.
    const Json doc = sdkOk(runSdk(db, u"customer-1001"_s, u"list_branches"_s));
    EXPECT_EQ(doc[u"result"].size(), 2) << show(doc);
}

// A database in rollback-journal mode: merely opening it the SDK's way would switch it to WAL and
// change its bytes, so these cases prove that bad arguments are refused before the file is opened.
TEST(CliTest, BadArgumentsDoNotEvenOpenTheDatabase)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    ASSERT_TRUE(makeRollbackJournal(db));
    runExit2Cases(usageErrorCases(), db);
    runExit2Cases(badKeywordCases(), db);
    EXPECT_EQ(sqlRows(db, u"PRAGMA journal_mode"_s).value(0).value(0).toString(), u"delete");
}

// The SDK raises TypeError from add_items for a list-valued "type" and rolls the batch back.
TEST(CliTest, UnhashableItemTypeIsRaisedAsTypeErrorAndNothingIsStored)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    const qint64 before = sqlRows(db, u"SELECT COUNT(*) FROM agent_messages"_s).value(0).value(0).toLongLong();
    const CliRun r = runCli({u"sdk"_s, db, u"customer-1001"_s, u"add_items"_s,
                             uR"({"items": [{"content": "ok", "role": "user"}, {"type": [], "role": "x"}]})"_s});
    EXPECT_EQ(r.exitCode, 3) << r.errText().toStdString();
    auto doc = Json::parse(r.outText().trimmed());
    ASSERT_TRUE(doc.has_value()) << r.outText().toStdString();
    EXPECT_EQ((*doc)[u"raised"][u"type"].toString(), u"TypeError"_s);
    EXPECT_EQ((*doc)[u"raised"][u"message"].toString(), u"unhashable type: 'list'"_s);
    EXPECT_EQ(sqlRows(db, u"SELECT COUNT(*) FROM agent_messages"_s).value(0).value(0).toLongLong(), before);
}

TEST(CliTest, UnreadableDatabasesExitWith2AndStayUnchanged)
{
    TempDir dir;
    // Not an SQLite file at all.
    const QString text = dir.filePath(u"notes.db"_s);
    {
        QFile f(text);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("these are my notes, not a database\n");
    }
    // A truncated copy of a real database.
    const QString truncated = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(truncated.isEmpty());
    ASSERT_TRUE(QFile::resize(truncated, 5000));

    for (const QString& db : {text, truncated}) {
        const QByteArray before = digest(db);
        for (const QStringList& options : {QStringList{}, QStringList{u"--class"_s, u"sqlite"_s}, QStringList{u"--create-tables"_s}}) {
            for (const QString& method : {u"open"_s, u"get_items"_s, uR"(add_items)"_s}) {
                const QString kwargs = method == u"add_items" ? uR"({"items": [{"role": "user", "content": "x"}]})"_s : QString();
                const CliRun r = runSdk(db, u"s"_s, method, kwargs, options);
                const std::string what = QString(QFileInfo(db).fileName() + u' ' + options.join(u' ') + u' ' + method).toStdString();
                expectExit2(r, nullptr, what);
                EXPECT_TRUE(r.errText().contains(db)) << what << ": stderr should name the file\n" << r.describe();
                EXPECT_EQ(digest(db), before) << what;
            }
        }
    }
}

TEST(CliTest, FolderAsDatabaseExitsWith2)
{
    TempDir dir;
    const QString folder = dir.filePath(u"sessions.db"_s);
    ASSERT_TRUE(QDir().mkpath(folder));
    for (const QStringList& options : {QStringList{}, QStringList{u"--create-tables"_s}, QStringList{u"--class"_s, u"sqlite"_s}}) {
        const CliRun r = runSdk(folder, u"s"_s, u"open"_s, {}, options);
        expectExit2(r, "folder", options.join(u' ').toStdString());
    }
    EXPECT_TRUE(QDir(folder).isEmpty());
}

TEST(CliTest, MissingParentFolderExitsWith2)
{
    TempDir dir;
    const QString db = dir.filePath(u"no/such/folder/s.db"_s);
    const CliRun r = runSdk(db, u"s"_s, u"open"_s, {}, {u"--create-tables"_s});
    expectExit2(r, nullptr, "missing parent folder");
    EXPECT_FALSE(QFileInfo::exists(dir.filePath(u"no"_s)));
}

// QProcess can only pass valid UTF-8, so the raw bytes are made by printf in a shell.
TEST(CliTest, InvalidUtf8ArgumentsExitWith2)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(db.isEmpty());
    const QByteArray before = digest(db);

    // Session id "caf\xc3" (a truncated UTF-8 sequence).
    CliRun r = runShell(uR"sh(exec "$0" sdk "$1" "$(printf 'caf\303')" add_items '{"items": [{"role": "user", "content": "x"}]}')sh"_s, {db});
    expectExit2(r, "UTF-8", "invalid session id");
    EXPECT_EQ(digest(db), before);

    // A lone continuation byte inside KWARGS_JSON.
    r = runShell(uR"sh(exec "$0" sdk "$1" customer-1001 add_items "$(printf '{"items": [{"role": "user", "content": "\200"}]}')")sh"_s, {db});
    expectExit2(r, "UTF-8", "invalid KWARGS_JSON");
    EXPECT_EQ(digest(db), before);

    // An invalid file name: nothing may be created.
    r = runShell(uR"sh(exec "$0" sdk --create-tables "$(printf 'x\377.db')" s open)sh"_s, {}, dir.path());
    expectExit2(r, "UTF-8", "invalid DB name");
    EXPECT_TRUE(QDir(dir.path()).entryList({u"x*"_s}, QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());

    // An analyst command with an invalid option value.
    r = runShell(uR"sh(exec "$0" sessions "$1" --filter "$(printf '\376')")sh"_s, {db});
    expectExit2(r, "UTF-8", "invalid --filter");

    // Control: the same shell route with valid bytes works (so the failures above are about UTF-8).
    r = runShell(uR"sh(exec "$0" sdk "$1" "$(printf 'caf\303\251')" get_items)sh"_s, {db});
    EXPECT_EQ(r.exitCode, 0) << r.describe();
    EXPECT_EQ(r.out, QByteArray(R"({"result": [], "current_branch": "main"})" "\n")) << r.describe();
}

} // namespace
