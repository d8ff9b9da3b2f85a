// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// export / import through the real binary: a conversation leaves as Markdown, JSON or JSONL, and
// JSONL comes back as a new session with the same stored bytes.
#include "CliTestSupport.h"
#include "TempDir.h"
#include "TestData.h"

#include <QFile>

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

TEST(CliTransfer, JsonlRoundTripKeepsTheStoredBytes)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    const QString jsonl = dir.filePath(u"conversation.jsonl"_s);
    const CliRun ex = runCli({u"export"_s, db, u"customer-1001"_s, u"-o"_s, jsonl});
    ASSERT_EQ(ex.exitCode, 0) << ex.errText().toStdString();
    const QByteArray exported = readAll(jsonl);
    const int mainItems = sqlRows(db, u"SELECT COUNT(*) FROM message_structure WHERE session_id = 'customer-1001' AND branch_id = 'main'"_s)
                              .value(0).value(0).toInt();
    const int userTurns = sqlRows(db, u"SELECT COUNT(*) FROM message_structure WHERE session_id = 'customer-1001' AND branch_id = 'main' "
                                      u"AND message_type = 'user'"_s)
                              .value(0).value(0).toInt();
    ASSERT_GT(mainItems, 0);
    EXPECT_EQ(exported.count('\n'), mainItems);

    const QString target = dir.filePath(u"imported.db"_s);
    const CliRun im = runCli({u"import"_s, target, jsonl, u"--session"_s, u"copy-1001"_s});
    ASSERT_EQ(im.exitCode, 0) << im.errText().toStdString();

    // The SDK sees the same items, and the stored text is byte for byte the original.
    const auto original = sqlRows(db, u"SELECT m.message_data FROM agent_messages m JOIN message_structure s ON s.message_id = m.id "
                                      u"WHERE s.session_id = 'customer-1001' AND s.branch_id = 'main' ORDER BY s.sequence_number"_s);
    const auto copy = sqlRows(target, u"SELECT message_data FROM agent_messages WHERE session_id = 'copy-1001' ORDER BY id"_s);
    ASSERT_EQ(copy.size(), original.size());
    for (qsizetype i = 0; i < copy.size(); ++i)
        EXPECT_EQ(copy[i][0].toString(), original[i][0].toString()) << i;
    Json turns;
    ASSERT_TRUE(sdkDocument(runSdk(target, u"copy-1001"_s, u"get_conversation_turns"_s), &turns));
    EXPECT_EQ(turns[u"result"].size(), userTurns);

    // A second import into the same id is refused unless asked to append; nothing changes.
    const CliRun again = runCli({u"import"_s, target, jsonl, u"--session"_s, u"copy-1001"_s});
    EXPECT_EQ(again.exitCode, 2);
    EXPECT_TRUE(again.errText().contains(u"already has"_s)) << again.errText().toStdString();
    EXPECT_EQ(sqlRows(target, u"SELECT COUNT(*) FROM agent_messages"_s).value(0).value(0).toInt(), copy.size());
}

TEST(CliTransfer, MarkdownAndJsonExports)
{
    TempDir dir;
    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    const CliRun md = runCli({u"export"_s, db, u"customer-1001"_s, u"--format"_s, u"md"_s});
    ASSERT_EQ(md.exitCode, 0) << md.errText().toStdString();
    const QString text = md.outText();
    EXPECT_TRUE(text.startsWith(u"# customer-1001"_s));
    EXPECT_TRUE(text.contains(u"## Turn 1"_s));
    EXPECT_TRUE(text.contains(u"**Tool call** `check_order_status`"_s));
    EXPECT_TRUE(text.contains(u"*Tokens: 617 input (0 cached), 263 output (192 reasoning), 880 total in 2 requests.*"_s)) << text.left(800).toStdString();

    const QString jsonPath = dir.filePath(u"c.json"_s);
    const CliRun js = runCli({u"export"_s, db, u"customer-1001"_s, u"-o"_s, jsonPath});
    ASSERT_EQ(js.exitCode, 0) << js.errText().toStdString();
    auto doc = Json::parse(readAll(jsonPath));
    ASSERT_TRUE(doc.has_value());
    EXPECT_EQ((*doc)[u"session_id"].toString(), u"customer-1001"_s);
    EXPECT_EQ((*doc)[u"items"].size(),
              sqlRows(db, u"SELECT COUNT(*) FROM message_structure WHERE session_id = 'customer-1001' AND branch_id = 'main'"_s)
                  .value(0).value(0).toInt());
}

TEST(CliTransfer, BadInputIsRefusedAndNothingIsStored)
{
    TempDir dir;
    const QString bad = dir.filePath(u"bad.jsonl"_s);
    {
        QFile f(bad);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("{\"role\": \"user\", \"content\": \"ok\"}\n{not json\n");
    }
    const QString target = dir.filePath(u"t.db"_s);
    const CliRun r = runCli({u"import"_s, target, bad});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.errText().contains(u"line 2"_s)) << r.errText().toStdString();
    EXPECT_FALSE(QFile::exists(target));

    const QString db = copySdkFixture(u"multi.db"_s, dir.path());
    const CliRun missing = runCli({u"export"_s, db, u"no-such-session"_s});
    EXPECT_EQ(missing.exitCode, 2);
    const CliRun format = runCli({u"export"_s, db, u"customer-1001"_s, u"--format"_s, u"pdf"_s});
    EXPECT_EQ(format.exitCode, 2);
}

} // namespace
