// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Files the store must survive: not SQLite at all, truncated, someone else's schema, a newer SDK
// schema, read-only files, a database another connection has locked, and very large items. A bad
// file must give a clear error and keep its bytes.

#include "StorageTestSupport.h"

#include "storage/SqliteSessionStore.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>

#include <unistd.h>

namespace tb::test::storage {
namespace {

using tb::storage::SqliteSessionStore;

class BadInput : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(dir.isValid()); }

    QString writeFile(const QString& name, const QByteArray& bytes)
    {
        const QString p = dir.filePath(name);
        QFile f(p);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        return p;
    }

    // Every way of opening the file fails with a non-empty message; the file keeps its bytes.
    void expectRefusedEverywhere(const QString& p, std::initializer_list<Error::Code> codes)
    {
        const QByteArray before = fileBytes(p);
        const auto codeOk = [&](Error::Code c) { return std::find(codes.begin(), codes.end(), c) != codes.end(); };
        for (bool readOnly : {false, true}) {
            SqliteSessionStore::Options o;
            o.readOnly = readOnly;
            auto store = SqliteSessionStore::open(p, o);
            ASSERT_FALSE(store.has_value()) << "readOnly=" << readOnly;
            EXPECT_TRUE(codeOk(store.error().code)) << codeName(store.error().code) << ": " << S(store.error().message);
            EXPECT_TRUE(store.error().message.contains(p)) << S(store.error().message);
        }
        {
            AdvancedSqliteSession::Options o;
            auto s = AdvancedSqliteSession::open(p, u"s"_s, o);
            ASSERT_FALSE(s.has_value());
            EXPECT_TRUE(codeOk(s.error().code)) << codeName(s.error().code) << ": " << S(s.error().message);
            o.createTables = true;
            auto s2 = AdvancedSqliteSession::open(p, u"s"_s, o);
            ASSERT_FALSE(s2.has_value());
            EXPECT_FALSE(s2.error().message.isEmpty());
        }
        {
            auto s = PlainSqliteSession::open(p, u"s"_s, {});
            ASSERT_FALSE(s.has_value());
            EXPECT_TRUE(codeOk(s.error().code)) << codeName(s.error().code) << ": " << S(s.error().message);
        }
        EXPECT_EQ(fileBytes(p), before);
    }

    tb::test::TempDir dir;
};

TEST_F(BadInput, RandomBytesAreNotADatabase)
{
    QByteArray bytes(64 * 1024, '\0');
    auto* rng = QRandomGenerator::global();
    for (char& c : bytes)
        c = char(rng->bounded(256));
    const QString p = writeFile(u"random.db"_s, bytes);
    expectRefusedEverywhere(p, {Error::Code::Format});
    // A text file is no better.
    const QString t = writeFile(u"notes.db"_s, QByteArray("just some notes, not a database\n").repeated(200));
    expectRefusedEverywhere(t, {Error::Code::Format});
}

TEST_F(BadInput, TruncatedFixture)
{
    const QString full = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(full.isEmpty());
    const QString p = writeFile(u"truncated.db"_s, fileBytes(full).left(4096));
    expectRefusedEverywhere(p, {Error::Code::Format});
}

TEST_F(BadInput, ForeignSchemaIsAFormatError)
{
    const QString p = dir.filePath(u"foreign.db"_s);
    {
        RawDb raw(p);
        raw.exec(u"CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)"_s);
        raw.exec(u"INSERT INTO recipes (title) VALUES ('soup')"_s);
    }
    const QByteArray before = fileBytes(p);
    auto store = SqliteSessionStore::open(p, {});
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().code, Error::Code::Format) << S(store.error().message);
    EXPECT_TRUE(store.error().message.contains(p));
    EXPECT_TRUE(store.error().message.contains(u"recipes"_s)) << S(store.error().message);
    EXPECT_EQ(fileBytes(p), before);
    // A sessions table without a messages table is foreign too.
    const QString half = dir.filePath(u"half.db"_s);
    {
        RawDb raw(half);
        raw.exec(u"CREATE TABLE agent_sessions (session_id TEXT PRIMARY KEY)"_s);
    }
    auto h = SqliteSessionStore::open(half, {});
    ASSERT_FALSE(h.has_value());
    EXPECT_EQ(h.error().code, Error::Code::Format) << S(h.error().message);
}

TEST_F(BadInput, EmptyAndMissingFiles)
{
    const QString empty = writeFile(u"empty.db"_s, QByteArray());
    auto store = SqliteSessionStore::open(empty, {});
    TB_ASSERT_OK(store);
    EXPECT_EQ((*store)->schemaKind(), core::SchemaKind::Empty);
    auto list = (*store)->listSessions({});
    TB_ASSERT_OK(list);
    EXPECT_TRUE(list->isEmpty());
    EXPECT_EQ((*store)->countSessions(QString()).value(), 0);
    store->reset();
    EXPECT_EQ(QFileInfo(empty).size(), 0);

    const QString missing = dir.filePath(u"missing.db"_s);
    auto m = SqliteSessionStore::open(missing, {});
    ASSERT_FALSE(m.has_value());
    EXPECT_FALSE(QFileInfo::exists(missing));
    auto d = SqliteSessionStore::open(dir.path(), {});
    ASSERT_FALSE(d.has_value());
}

TEST_F(BadInput, NewerSchemaWithExtraColumnsAndTablesStillOpens)
{
    const QString p = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(p.isEmpty());
    {
        RawDb raw(p);
        raw.exec(u"ALTER TABLE agent_messages ADD COLUMN tokens INTEGER DEFAULT 0"_s);
        raw.exec(u"ALTER TABLE agent_sessions ADD COLUMN title TEXT"_s);
        raw.exec(u"ALTER TABLE message_structure ADD COLUMN parent_id INTEGER"_s);
        raw.exec(u"ALTER TABLE turn_usage ADD COLUMN cost REAL"_s);
        raw.exec(u"CREATE TABLE session_labels (session_id TEXT, label TEXT)"_s);
    }
    auto store = SqliteSessionStore::open(p, {});
    TB_ASSERT_OK(store);
    EXPECT_EQ((*store)->schemaKind(), core::SchemaKind::Advanced);
    core::SessionQuery q;
    q.limit = -1;
    auto list = (*store)->listSessions(q);
    TB_ASSERT_OK(list);
    EXPECT_EQ(list->size(), 50);
    auto s = (*store)->openSession(u"customer-1001"_s, {});
    TB_ASSERT_OK(s);
    auto items = (*s)->getItems();
    TB_ASSERT_OK(items);
    EXPECT_EQ(items->size(), 26);
    EXPECT_EQ(branchList(**s), QStringList({u"main*"_s, u"alt-1"_s}));
    addTurns(**s, 90, 90);
    EXPECT_EQ((*s)->getItems().value().size(), 28);
    RawDb raw(p);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages WHERE session_id = 'customer-1001' AND tokens = 0"_s), 38);
}

// --- read-only ----------------------------------------------------------------------------------

void expectWritesRefused(core::BranchingSession& s)
{
    const auto refused = [](const auto& r, const char* what) {
        ASSERT_FALSE(r.has_value()) << what;
        EXPECT_TRUE(r.error().code == Error::Code::ReadOnly || r.error().code == Error::Code::Storage)
            << what << ": " << codeName(r.error().code) << ": " << S(r.error().message);
        EXPECT_FALSE(r.error().message.isEmpty()) << what;
    };
    refused(s.addItems(Items({R"({"role": "user", "content": "no"})"})), "add_items");
    refused(s.popItem(), "pop_item");
    refused(s.clearSession(), "clear_session");
    refused(s.createBranchFromTurn(2, u"ro"_s), "create_branch_from_turn");
    refused(s.deleteBranch(u"alt-1"_s, false), "delete_branch");
    (void)s.storeRunUsage(usage(1, 1, 1, 2)); // swallowed either way
}

TEST_F(BadInput, ReadOnlyOptionRefusesWritesAndKeepsTheBytes)
{
    const QString p = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(p.isEmpty());
    const QByteArray before = sha256(p);
    {
        SqliteSessionStore::Options o;
        o.readOnly = true;
        auto store = SqliteSessionStore::open(p, o);
        TB_ASSERT_OK(store);
        EXPECT_TRUE((*store)->isReadOnly());
        core::SessionQuery q;
        q.limit = -1;
        EXPECT_EQ((*store)->listSessions(q).value().size(), 50);
        auto s = (*store)->openSession(u"customer-1001"_s, {});
        TB_ASSERT_OK(s);
        EXPECT_EQ((*s)->getItems().value().size(), 26);
        EXPECT_EQ((*s)->listBranches().value().size(), 2);
        EXPECT_TRUE((*s)->getSessionUsage(std::nullopt).value().has_value());
        expectWritesRefused(**s);
        // create_tables=True on a read-only store does not write either.
        core::SessionOpenOptions create;
        create.createTables = true;
        auto c = (*store)->openSession(u"brand-new"_s, create);
        TB_ASSERT_OK(c);
        EXPECT_EQ((*c)->getItems().value().size(), 0);
        auto plain = (*store)->openPlainSession(u"customer-1001"_s, {});
        TB_ASSERT_OK(plain);
        EXPECT_EQ((*plain)->getItems().value().size(), 36);
        ASSERT_FALSE((*plain)->addItems(Items({R"({"a": 1})"})).has_value());
        ASSERT_FALSE((*plain)->popItem().has_value());
        ASSERT_FALSE((*plain)->clearSession().has_value());
    }
    // The session class's own read-only option behaves the same.
    {
        AdvancedSqliteSession::Options o;
        o.readOnly = true;
        auto s = AdvancedSqliteSession::open(p, u"customer-1001"_s, o);
        TB_ASSERT_OK(s);
        EXPECT_EQ((*s)->getItems().value().size(), 26);
        expectWritesRefused(**s);
    }
    EXPECT_EQ(sha256(p), before);
    RawDb raw(p, true);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages WHERE session_id = 'customer-1001'"_s), 36);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_sessions WHERE session_id = 'brand-new'"_s), 0);
}

TEST_F(BadInput, FileWithoutWritePermission)
{
    const QString p = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(p.isEmpty());
    ASSERT_TRUE(QFile::setPermissions(p, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther)); // 0444
    const QByteArray before = sha256(p);
    const bool processCanWrite = ::access(QFile::encodeName(p).constData(), W_OK) == 0; // root can
    auto store = SqliteSessionStore::open(p, {});
    TB_ASSERT_OK(store);
    if (!processCanWrite) {
        EXPECT_TRUE((*store)->isReadOnly());
        auto s = (*store)->openSession(u"customer-1001"_s, {});
        TB_ASSERT_OK(s);
        EXPECT_EQ((*s)->getItems().value().size(), 26);
        expectWritesRefused(**s);
    } else {
        // Running as root: permission bits do not stop this process, so the store may open
        // writable; the readOnly option is covered by ReadOnlyOptionRefusesWritesAndKeepsTheBytes.
        SqliteSessionStore::Options o;
        o.readOnly = true;
        auto ro = SqliteSessionStore::open(p, o);
        TB_ASSERT_OK(ro);
        EXPECT_TRUE((*ro)->isReadOnly());
        auto s = (*ro)->openSession(u"customer-1001"_s, {});
        TB_ASSERT_OK(s);
        expectWritesRefused(**s);
    }
    core::SessionQuery q;
    q.limit = -1;
    EXPECT_EQ((*store)->listSessions(q).value().size(), 50);
    store->reset();
    EXPECT_EQ(sha256(p), before);
}

// --- locking ------------------------------------------------------------------------------------

TEST_F(BadInput, LockedDatabaseFailsAfterTheBusyTimeoutWithoutHalfWrites)
{
    const QString p = dir.filePath(u"locked.db"_s);
    auto s = openAdvanced(p, u"s"_s);
    ASSERT_TRUE(s);
    addTurns(*s, 1, 1);
    {
        RawDb holder(p);
        ASSERT_TRUE(holder.exec(u"BEGIN EXCLUSIVE"_s));
        QElapsedTimer t;
        t.start();
        auto r = s->addItems(Items({R"({"role": "user", "content": "blocked"})", R"({"role": "assistant", "content": "x"})"}));
        const qint64 ms = t.elapsed();
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code, Error::Code::Storage) << S(r.error().message);
        EXPECT_TRUE(r.error().message.contains(u"locked"_s, Qt::CaseInsensitive) || r.error().message.contains(u"busy"_s, Qt::CaseInsensitive))
            << S(r.error().message);
        // Python's sqlite3 waits for the lock up to its 5 s timeout before giving up (spec §2).
        EXPECT_GE(ms, 4500);
        EXPECT_LT(ms, 15000);
        // WAL: readers are not blocked by the writer.
        EXPECT_EQ(itemsText(*s), QByteArray(R"([{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}])"));
        holder.exec(u"ROLLBACK"_s);
    }
    RawDb raw(p);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM agent_messages"_s), 2);
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM message_structure"_s), 2);
    // Once the lock is gone the session works normally, and numbering is undisturbed.
    addTurns(*s, 2, 2);
    EXPECT_EQ(raw.lines(u"SELECT sequence_number, user_turn_number FROM message_structure ORDER BY id"_s),
              QStringList({u"1|1"_s, u"2|1"_s, u"3|2"_s, u"4|2"_s}));
}

// --- size ---------------------------------------------------------------------------------------

TEST_F(BadInput, TenMegabyteItemRoundTrips)
{
    const QString p = dir.filePath(u"big.db"_s);
    auto s = openAdvanced(p, u"s"_s);
    ASSERT_TRUE(s);
    QString text(10 * 1024 * 1024, u'x');
    for (qsizetype i = 0; i < text.size(); i += 4096)
        text[i] = QChar(u'\u00e9');
    text[17] = u'"';
    text[18] = u'\n';
    Json item = Json::object();
    item.insert(u"role"_s, Json(u"user"_s));
    item.insert(u"content"_s, Json(text));
    TB_ASSERT_OK(s->addItems({item}));
    auto items = s->getItems();
    TB_ASSERT_OK(items);
    ASSERT_EQ(items->size(), 1);
    EXPECT_TRUE(items->first() == item);
    EXPECT_EQ(items->first()[u"content"].toString().size(), text.size());
    RawDb raw(p);
    const qint64 escapes = (text.size() + 4095) / 4096;
    EXPECT_EQ(raw.count(u"SELECT length(message_data) FROM agent_messages"_s),
              qint64(QByteArray(R"({"role": "user", "content": ""})").size()) + text.size() + escapes * 5 + 2);
    auto turns = s->getConversationTurns(std::nullopt);
    TB_ASSERT_OK(turns);
    ASSERT_EQ(turns->size(), 1);
    EXPECT_EQ(turns->first().content.size(), 103);
    auto popped = s->popItem();
    TB_ASSERT_OK(popped);
    ASSERT_TRUE(popped->has_value());
    EXPECT_TRUE(**popped == item);
}

} // namespace
} // namespace tb::test::storage
