// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// promote / carry through the real binary, read back with `threadbench sdk` (one process per call,
// the SDK's own answers): after a promote a fresh SDK object reads the branch as main.
#include "CliTestSupport.h"
#include "GTestPrinters.h"
#include "TempDir.h"
#include "TestData.h"

#include <QFile>

using namespace tb::test::cli;
using namespace Qt::StringLiterals;
using tb::test::copySdkFixture;
using tb::test::TempDir;

namespace {

QStringList branchIds(const QString& db, const QString& session)
{
    QStringList out;
    const Json doc = sdkOk(runSdk(db, session, u"list_branches"_s));
    for (const Json& b : doc[u"result"].asArray())
        out << b[u"branch_id"].toString() + (b[u"is_current"].toBool() ? u"*"_s : QString());
    return out;
}

Json items(const QString& db, const QString& session, const QString& branch = {})
{
    return sdkOk(runSdk(db, session, u"get_items"_s,
                        branch.isEmpty() ? QString() : u"{\"branch_id\": \"%1\"}"_s.arg(branch)))[u"result"];
}

/// Every row of the SDK tables, for "nothing changed" checks that do not depend on file bytes.
QStringList rows(const QString& db)
{
    QStringList out;
    for (const QString& table : {u"agent_sessions"_s, u"agent_messages"_s, u"message_structure"_s, u"turn_usage"_s,
                                 u"branch_reservations"_s, u"session_clear_generations"_s}) {
        for (const QVariantList& r : sqlRows(db, u"SELECT * FROM %1 ORDER BY rowid"_s.arg(table))) {
            QStringList cols;
            for (const QVariant& v : r)
                cols << (v.isNull() ? u"NULL"_s : v.toString());
            out << table + u'|' + cols.join(u'|');
        }
    }
    return out;
}

TEST(CliMerge, PromoteMakesTheBranchWhatAFreshSdkObjectReads)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    const QString s = u"customer-1001"_s;
    const Json mainBefore = items(db, s);
    const Json altBefore = items(db, s, u"alt-1"_s);
    ASSERT_NE(mainBefore, altBefore);
    const qsizetype mainTurns = sdkOk(runSdk(db, s, u"get_conversation_turns"_s))[u"result"].size();
    const qsizetype altTurns =
        sdkOk(runSdk(db, s, u"get_conversation_turns"_s, uR"({"branch_id": "alt-1"})"_s))[u"result"].size();
    ASSERT_EQ(altTurns, 4);
    const QStringList before = rows(db);

    const CliRun dry = runCli({u"promote"_s, db, s, u"alt-1"_s, u"--old-main-name"_s, u"before-alt"_s, u"--dry-run"_s});
    ASSERT_EQ(dry.exitCode, 0) << dry.describe();
    EXPECT_TRUE(dry.outText().startsWith(u"Would promote branch 'alt-1' of session customer-1001 to main ("_s))
        << dry.describe();
    EXPECT_EQ(rows(db), before);

    const CliRun run = runCli({u"promote"_s, db, s, u"alt-1"_s, u"--old-main-name"_s, u"before-alt"_s});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_EQ(run.outText(),
              u"Promoted branch 'alt-1' of session customer-1001 to main (%1 items, %2 turns); the previous main "
              "(%3 items, %4 turns) is kept as branch 'before-alt'.\n"_s.arg(altBefore.size())
                  .arg(altTurns)
                  .arg(mainBefore.size())
                  .arg(mainTurns))
        << run.describe();
    EXPECT_TRUE(run.err.isEmpty());

    EXPECT_EQ(items(db, s), altBefore);
    EXPECT_EQ(items(db, s, u"before-alt"_s), mainBefore);
    EXPECT_EQ(items(db, s, u"alt-1"_s), js("[]"));
    EXPECT_EQ(branchIds(db, s), QStringList({u"before-alt"_s, u"main*"_s}));

    // The SDK continues main with the promoted line's numbering.
    sdkOk(runSdk(db, s, u"add_items"_s, uR"({"items": [{"content": "And now?", "role": "user"}]})"_s));
    const Json turns = sdkOk(runSdk(db, s, u"get_conversation_turns"_s))[u"result"];
    ASSERT_EQ(turns.size(), 5);
    EXPECT_EQ(turns.asArray().back()[u"turn"].toInt(), 5);
    EXPECT_EQ(turns.asArray().back()[u"content"].toString(), u"And now?"_s);
}

TEST(CliMerge, PromoteJsonAndDefaultOldMainName)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    const CliRun run = runCli({u"promote"_s, db, u"customer-1002"_s, u"try-b-2"_s, u"--json"_s});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    const Json doc = parseJsonOutput(run);
    EXPECT_EQ(doc[u"session_id"].toString(), u"customer-1002"_s);
    EXPECT_EQ(doc[u"promoted"].toString(), u"try-b-2"_s);
    EXPECT_TRUE(doc[u"old_main"].toString().startsWith(u"main-before-20"_s)) << show(doc);
    EXPECT_EQ(doc[u"dry_run"], Json(false));
    EXPECT_GT(doc[u"moved_usage_rows"].toInt(), 0);
    EXPECT_EQ(branchIds(db, u"customer-1002"_s), QStringList({doc[u"old_main"].toString(), u"main*"_s}));
}

TEST(CliMerge, CarryFromTextFileAndStandardInput)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    const QString s = u"customer-1004"_s;
    const int mainCount = int(items(db, s).size());

    const CliRun run =
        runCli({u"carry"_s, db, s, u"alt-4"_s, u"--text"_s, u"Ask for the order number before checking."_s});
    ASSERT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_TRUE(
        run.outText().startsWith(u"Carried a finding from branch 'alt-4' to main of session customer-1004 (message "_s))
        << run.describe();
    const Json main = items(db, s);
    ASSERT_EQ(main.size(), mainCount + 1);
    EXPECT_EQ(
        dumped(main.asArray().back()),
        R"({"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "Analyst finding from the )"
        R"(what-if branch 'alt-4' (not said by the customer):\nAsk for the order number before checking."}]})");

    const QString file = dir.filePath(u"finding.txt"_s);
    {
        QFile f(file);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("Caf\xc3\xa9 customers want the refund first.\n");
    }
    const CliRun fromFile = runCli({u"carry"_s, db, s, u"alt-4"_s, u"--text-file"_s, file, u"--json"_s});
    ASSERT_EQ(fromFile.exitCode, 0) << fromFile.describe();
    const Json doc = parseJsonOutput(fromFile);
    EXPECT_EQ(doc[u"source_branch"].toString(), u"alt-4"_s);
    EXPECT_TRUE(doc[u"item"][u"content"].asArray().front()[u"text"].toString().endsWith(
        u"\nCaf\u00e9 customers want the refund first."_s));
    // Stored as the SDK stores it: non-ASCII escaped.
    const auto stored =
        sqlRows(db, u"SELECT message_data FROM agent_messages WHERE id = ?"_s, {doc[u"message_id"].toInt()});
    ASSERT_EQ(stored.size(), 1);
    EXPECT_TRUE(stored[0][0].toString().contains(u"Caf\\u00e9"_s));

    const CliRun fromStdin = runShell(
        uR"(printf 'Escalate after two failed lookups.' | "$0" carry "$1" customer-1004 alt-4 --text-file -)"_s, {db});
    ASSERT_EQ(fromStdin.exitCode, 0) << fromStdin.describe();
    EXPECT_EQ(items(db, s).size(), mainCount + 3);
    const auto links = sqlRows(
        db, u"SELECT source_branch, COUNT(*) FROM tb_carried_finding WHERE session_id = ? GROUP BY source_branch"_s,
        {s});
    ASSERT_EQ(links.size(), 1);
    EXPECT_EQ(links[0][0].toString(), u"alt-4"_s);
    EXPECT_EQ(links[0][1].toInt(), 3);
    // No new customer turn: the findings close main's last turn.
    const Json turns = sdkOk(runSdk(db, s, u"get_conversation_turns"_s))[u"result"];
    EXPECT_EQ(turns.asArray().back()[u"content"].toString().contains(u"Analyst"_s), false);
}

TEST(CliMerge, RefusalsLeaveTheFileAlone)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    const QStringList before = rows(db);
    const auto refused = [&](const QStringList& args, const QString& message) {
        const CliRun r = runCli(args);
        EXPECT_EQ(r.exitCode, 2) << r.describe();
        EXPECT_EQ(r.errText(), message) << r.describe();
        EXPECT_TRUE(r.out.isEmpty()) << r.describe();
    };
    refused({u"promote"_s, db, u"customer-1001"_s, u"main"_s},
            u"threadbench promote: 'main' is already the main line of session 'customer-1001'\n"_s);
    refused({u"promote"_s, db, u"customer-1001"_s, u"alt-9"_s},
            u"threadbench promote: Branch 'alt-9' does not exist in session 'customer-1001'\n"_s);
    refused({u"promote"_s, db, u"customer-1001"_s, u"alt-1"_s, u"--old-main-name"_s, u"alt-1"_s},
            u"threadbench promote: Branch ID 'alt-1' has already been used. Choose a new branch ID.\n"_s);
    refused({u"promote"_s, db, u"customer-1001"_s}, u"threadbench promote: expected DB SESSION_ID BRANCH\n"_s);
    refused({u"carry"_s, db, u"customer-1001"_s, u"alt-1"_s},
            u"threadbench carry: give the finding with exactly one of --text and --text-file\n"_s);
    refused({u"carry"_s, db, u"customer-1001"_s, u"alt-1"_s, u"--text"_s, u"a"_s, u"--text-file"_s, u"-"_s},
            u"threadbench carry: give the finding with exactly one of --text and --text-file\n"_s);
    refused({u"carry"_s, db, u"customer-1001"_s, u"alt-1"_s, u"--text"_s, u"   "_s},
            u"threadbench carry: A finding needs some text\n"_s);
    refused({u"carry"_s, db, u"customer-1001"_s, u"alt-1"_s, u"--text-file"_s, dir.filePath(u"none.txt"_s)},
            u"threadbench carry: cannot read %1: No such file or directory\n"_s.arg(dir.filePath(u"none.txt"_s)));
    refused({u"promote"_s, dir.filePath(u"missing.db"_s), u"s"_s, u"b"_s},
            u"threadbench promote: %1: no such file\n"_s.arg(dir.filePath(u"missing.db"_s)));
    EXPECT_FALSE(QFile::exists(dir.filePath(u"missing.db"_s)));
    EXPECT_EQ(rows(db), before);

    // A production-flagged file: promote is refused with the reason, a finding may still be carried.
    sqlRows(db, u"CREATE TABLE tb_meta (key TEXT PRIMARY KEY, value TEXT)"_s, {}, false);
    sqlRows(db, u"INSERT INTO tb_meta (key, value) VALUES ('production', '1')"_s, {}, false);
    refused({u"promote"_s, db, u"customer-1001"_s, u"alt-1"_s},
            u"threadbench promote: %1 is flagged as a production file: promoting a branch would change the line live "
            u"agents "
            "continue, so it is refused here; promote in a copy of the file\n"_s.arg(db));
    refused({u"promote"_s, db, u"customer-1001"_s, u"alt-1"_s, u"--dry-run"_s},
            u"threadbench promote: %1 is flagged as a production file: promoting a branch would change the line live "
            u"agents "
            "continue, so it is refused here; promote in a copy of the file\n"_s.arg(db));
    EXPECT_EQ(rows(db), before);
    const CliRun carried =
        runCli({u"carry"_s, db, u"customer-1001"_s, u"alt-1"_s, u"--text"_s, u"ok"_s, u"--dry-run"_s});
    EXPECT_EQ(carried.exitCode, 0) << carried.describe();
    EXPECT_EQ(rows(db), before);

    // A plain SQLiteSession file.
    const QString basic = copySdkFixture(u"basic.db"_s, dir.path());
    const CliRun plain = runCli({u"promote"_s, basic, u"customer-789"_s, u"x"_s});
    EXPECT_EQ(plain.exitCode, 2);
    EXPECT_TRUE(plain.errText().contains(u"has no AdvancedSQLiteSession tables"_s)) << plain.describe();
}

TEST(CliMerge, HelpAndCommandList)
{
    const CliRun help = runCli({u"promote"_s, u"--help"_s});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_TRUE(help.outText().contains(u"--old-main-name <NAME>"_s)) << help.describe();
    const CliRun carryHelp = runCli({u"carry"_s, u"--help"_s});
    EXPECT_TRUE(carryHelp.outText().contains(u"--text-file <FILE>"_s)) << carryHelp.describe();
    const CliRun usage = runCli({u"--help"_s});
    EXPECT_TRUE(usage.outText().contains(u"  promote"_s));
    EXPECT_TRUE(usage.outText().contains(u"  carry"_s));
}

} // namespace
