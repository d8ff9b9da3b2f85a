// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// SqliteSessionStore's session listing (what the SDK has no call for): every sort key in both
// directions, paging, literal filters, the per-session counts checked against SQL run here, and
// that opening and listing leave the file's bytes alone.

#include "StorageTestSupport.h"

#include "storage/SqliteSessionStore.h"

#include <algorithm>

namespace tb::test::storage {
namespace {

using core::SessionQuery;
using core::SessionSortKey;
using core::SessionSummary;
using tb::storage::SqliteSessionStore;

struct Row
{
    QString id;
    QString created;
    QString updated;
    qint64 items = 0;
    qint64 turns = 0;
    qint64 branches = 0;
    qint64 tokens = 0;
};

QString show(const Row& r)
{
    return u"%1|%2|%3|%4|%5|%6|%7"_s.arg(r.id, r.created, r.updated).arg(r.items).arg(r.turns).arg(r.branches).arg(r.tokens);
}

QString show(const SessionSummary& s)
{
    return u"%1|%2|%3|%4|%5|%6|%7"_s.arg(s.sessionId, s.firstActivity, s.lastActivity)
        .arg(s.itemCount)
        .arg(s.turnCount)
        .arg(s.branchCount)
        .arg(s.totalTokens);
}

// The listing's numbers, computed independently from the SessionSummary definitions.
QList<Row> expectedRows(const QString& db, bool advanced)
{
    RawDb raw(db, true);
    QList<Row> out;
    const QString sql = advanced
        ? u"SELECT s.session_id, s.created_at, s.updated_at, "
          "(SELECT COUNT(*) FROM agent_messages m WHERE m.session_id = s.session_id), "
          "(SELECT COUNT(*) FROM message_structure ms WHERE ms.session_id = s.session_id AND ms.branch_id = 'main' "
          " AND ms.message_type = 'user'), "
          "(SELECT COUNT(*) FROM (SELECT DISTINCT branch_id FROM message_structure ms WHERE ms.session_id = s.session_id)), "
          "(SELECT TOTAL(total_tokens) FROM turn_usage t WHERE t.session_id = s.session_id) "
          "FROM agent_sessions s"_s
        : u"SELECT s.session_id, s.created_at, s.updated_at, "
          "(SELECT COUNT(*) FROM agent_messages m WHERE m.session_id = s.session_id), 0, 1, 0 FROM agent_sessions s"_s;
    for (const QVariantList& r : raw.rows(sql)) {
        out.push_back({r.at(0).toString(), r.at(1).toString(), r.at(2).toString(), r.at(3).toLongLong(), r.at(4).toLongLong(),
                       r.at(5).toLongLong(), qint64(r.at(6).toDouble())});
    }
    return out;
}

QStringList sortedExpected(QList<Row> rows, SessionSortKey key, bool descending)
{
    const auto keyOf = [key](const Row& r) -> std::variant<qint64, QString> {
        switch (key) {
        case SessionSortKey::SessionId: return r.id;
        case SessionSortKey::Items: return r.items;
        case SessionSortKey::Turns: return r.turns;
        case SessionSortKey::Branches: return r.branches;
        case SessionSortKey::FirstActivity: return r.created;
        case SessionSortKey::LastActivity: return r.updated;
        case SessionSortKey::Tokens: return r.tokens;
        // multi.db has no workbench metadata: every title, customer and status is the same.
        case SessionSortKey::Title:
        case SessionSortKey::Customer:
        case SessionSortKey::ReviewStatus: return QString();
        }
        return r.id;
    };
    std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
        const auto ka = keyOf(a);
        const auto kb = keyOf(b);
        if (ka != kb)
            return descending ? kb < ka : ka < kb;
        return descending ? b.id < a.id : a.id < b.id; // ties: session id, same direction
    });
    QStringList out;
    for (const Row& r : rows)
        out << show(r);
    return out;
}

QStringList listed(SqliteSessionStore& store, const SessionQuery& q)
{
    QStringList out;
    auto r = store.listSessions(q);
    EXPECT_TRUE(r.has_value()) << (r ? std::string() : S(r.error().message));
    if (r) {
        for (const SessionSummary& s : *r)
            out << show(s);
    }
    return out;
}

QStringList ids(SqliteSessionStore& store, const SessionQuery& q)
{
    QStringList out;
    auto r = store.listSessions(q);
    EXPECT_TRUE(r.has_value()) << (r ? std::string() : S(r.error().message));
    if (r) {
        for (const SessionSummary& s : *r)
            out << s.sessionId;
    }
    return out;
}

const QList<SessionSortKey> kKeys = {SessionSortKey::SessionId,     SessionSortKey::Items,        SessionSortKey::Turns,
                                     SessionSortKey::Branches,      SessionSortKey::FirstActivity, SessionSortKey::LastActivity,
                                     SessionSortKey::Tokens,   SessionSortKey::Title,    SessionSortKey::Customer, SessionSortKey::ReviewStatus};

class StoreListing : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
        ASSERT_FALSE(db.isEmpty());
    }

    tb::test::TempDir dir;
    QString db;
};

TEST_F(StoreListing, EverySortKeyBothDirectionsMatchesSql)
{
    const QList<Row> rows = expectedRows(db, true);
    ASSERT_EQ(rows.size(), 50);
    auto store = SqliteSessionStore::open(db, {});
    TB_ASSERT_OK(store);
    EXPECT_EQ((*store)->schemaKind(), core::SchemaKind::Advanced);
    EXPECT_FALSE((*store)->isReadOnly());
    for (SessionSortKey key : kKeys) {
        for (bool descending : {false, true}) {
            SessionQuery q;
            q.sort = key;
            q.descending = descending;
            q.limit = -1;
            EXPECT_EQ(listed(**store, q), sortedExpected(rows, key, descending)) << "key " << int(key) << " desc " << descending;
        }
    }
    // The default query: last activity, newest first, 100 rows.
    EXPECT_EQ(listed(**store, SessionQuery{}), sortedExpected(rows, SessionSortKey::LastActivity, true));
}

TEST_F(StoreListing, CountsMatchTheSdkAnswers)
{
    auto store = SqliteSessionStore::open(db, {});
    TB_ASSERT_OK(store);
    SessionQuery q;
    q.filter = u"customer-1001"_s;
    auto r = (*store)->listSessions(q);
    TB_ASSERT_OK(r);
    ASSERT_EQ(r->size(), 1);
    const SessionSummary& s = r->first();
    EXPECT_EQ(s.itemCount, 36);    // raw message rows, all branches
    EXPECT_EQ(s.turnCount, 6);     // list_branches: main has 6 user turns
    EXPECT_EQ(s.branchCount, 2);   // main, alt-1
    EXPECT_EQ(s.totalTokens, 15217); // get_session_usage() total_tokens
    EXPECT_EQ(s.firstActivity, u"2026-11-26 15:11:30"_s);
    EXPECT_EQ(s.lastActivity, u"2026-11-26 15:11:31"_s);
    // customer-1002 deleted try-a-2: two branches remain; customer-1018 was cleared and rewritten.
    q.filter = u"customer-1002"_s;
    EXPECT_EQ((*store)->listSessions(q).value().first().branchCount, 2);
}

TEST_F(StoreListing, Paging)
{
    auto store = SqliteSessionStore::open(db, {});
    TB_ASSERT_OK(store);
    for (SessionSortKey key : {SessionSortKey::SessionId, SessionSortKey::Tokens, SessionSortKey::LastActivity, SessionSortKey::Items}) {
        SessionQuery all;
        all.sort = key;
        all.descending = key != SessionSortKey::SessionId;
        all.limit = -1;
        const QStringList full = ids(**store, all);
        ASSERT_EQ(full.size(), 50);
        SessionQuery page = all;
        page.limit = 7;
        page.offset = 5;
        EXPECT_EQ(ids(**store, page), full.mid(5, 7)) << int(key);
        page.offset = 0;
        EXPECT_EQ(ids(**store, page), full.mid(0, 7)) << int(key);
        page.offset = 48;
        EXPECT_EQ(ids(**store, page), full.mid(48)) << int(key);
        page.offset = 50;
        EXPECT_EQ(ids(**store, page), QStringList()) << int(key);
        page.limit = 0;
        page.offset = 0;
        EXPECT_EQ(ids(**store, page), QStringList()) << int(key);
        page.limit = -1;
        page.offset = 45;
        EXPECT_EQ(ids(**store, page), full.mid(45)) << int(key);
        // Pages put together give the whole list.
        QStringList joined;
        for (qint64 off = 0; off < 50; off += 9) {
            SessionQuery p = all;
            p.limit = 9;
            p.offset = off;
            joined << ids(**store, p);
        }
        EXPECT_EQ(joined, full) << int(key);
    }
}

TEST_F(StoreListing, FilterIsALiteralCaseInsensitiveSubstring)
{
    auto store = SqliteSessionStore::open(db, {});
    TB_ASSERT_OK(store);
    SessionQuery q;
    q.sort = SessionSortKey::SessionId;
    q.descending = false;
    q.limit = -1;
    q.filter = u"CUSTOMER-101"_s;
    QStringList want;
    for (int i = 1010; i <= 1019; ++i)
        want << u"customer-%1"_s.arg(i);
    EXPECT_EQ(ids(**store, q), want);
    EXPECT_EQ((*store)->countSessions(u"CUSTOMER-101"_s).value(), 10);
    EXPECT_EQ((*store)->countSessions(QString()).value(), 50);
    for (const QString& f : {u"%"_s, u"_"_s, u"customer_1001"_s, u"customer%1001"_s, u"\\"_s}) {
        q.filter = f;
        EXPECT_EQ(ids(**store, q), QStringList()) << S(f);
        EXPECT_EQ((*store)->countSessions(f).value(), 0) << S(f);
    }

    // A file whose ids contain the LIKE metacharacters.
    const QString p = dir.filePath(u"meta.db"_s);
    SqliteSessionStore::Options create;
    create.create = true;
    auto own = SqliteSessionStore::open(p, create);
    TB_ASSERT_OK(own);
    for (const QString& id : {u"a%b"_s, u"a_b"_s, u"axb"_s, u"AXB-upper"_s, u"back\\slash"_s, u"caf\u00e9"_s}) {
        auto s = (*own)->openSession(id, {});
        TB_ASSERT_OK(s);
        TB_ASSERT_OK((*s)->addItems(Items({R"({"role": "user", "content": "x"})"})));
    }
    const auto filtered = [&](const QString& f) {
        SessionQuery fq;
        fq.sort = SessionSortKey::SessionId;
        fq.descending = false;
        fq.limit = -1;
        fq.filter = f;
        EXPECT_EQ((*own)->countSessions(f).value(), ids(**own, fq).size()) << S(f);
        return ids(**own, fq);
    };
    EXPECT_EQ(filtered(u"%"_s), QStringList({u"a%b"_s}));
    EXPECT_EQ(filtered(u"_"_s), QStringList({u"a_b"_s}));
    EXPECT_EQ(filtered(u"a_"_s), QStringList({u"a_b"_s}));
    EXPECT_EQ(filtered(u"\\"_s), QStringList({u"back\\slash"_s}));
    EXPECT_EQ(filtered(u"x"_s), QStringList({u"AXB-upper"_s, u"axb"_s}));
    EXPECT_EQ(filtered(u"AXB"_s), QStringList({u"AXB-upper"_s, u"axb"_s}));
    EXPECT_EQ(filtered(u"caf\u00e9"_s), QStringList({u"caf\u00e9"_s}));
    EXPECT_EQ(filtered(QString()).size(), 6);
}

TEST_F(StoreListing, OpeningAndListingNeverChangeTheFile)
{
    const QByteArray before = sha256(db);
    for (bool readOnly : {false, true}) {
        SqliteSessionStore::Options o;
        o.readOnly = readOnly;
        auto store = SqliteSessionStore::open(db, o);
        TB_ASSERT_OK(store);
        EXPECT_EQ((*store)->isReadOnly(), readOnly);
        for (SessionSortKey key : kKeys) {
            SessionQuery q;
            q.sort = key;
            q.limit = -1;
            TB_EXPECT_OK((*store)->listSessions(q));
        }
        TB_EXPECT_OK((*store)->countSessions(u"1"_s));
        // Reading through a session of the store does not write either.
        auto s = (*store)->openSession(u"customer-1007"_s, {});
        TB_ASSERT_OK(s);
        TB_EXPECT_OK((*s)->getItems());
        TB_EXPECT_OK((*s)->listBranches());
        TB_EXPECT_OK((*s)->getTurnUsages(std::nullopt));
        TB_EXPECT_OK((*s)->getConversationTurns(std::nullopt));
        s->reset();
        store->reset();
        EXPECT_EQ(sha256(db), before) << "readOnly=" << readOnly;
    }
    RawDb raw(db, true);
    EXPECT_EQ(raw.scalar(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
}

TEST_F(StoreListing, LegacyFileWithoutTheNewerTablesLists)
{
    {
        RawDb raw(db);
        raw.exec(u"DROP TABLE branch_reservations"_s);
        raw.exec(u"DROP TABLE session_clear_generations"_s);
    }
    const QList<Row> rows = expectedRows(db, true);
    const QByteArray before = sha256(db);
    auto store = SqliteSessionStore::open(db, {});
    TB_ASSERT_OK(store);
    EXPECT_EQ((*store)->schemaKind(), core::SchemaKind::Advanced);
    SessionQuery q;
    q.sort = SessionSortKey::Tokens;
    q.limit = -1;
    EXPECT_EQ(listed(**store, q), sortedExpected(rows, SessionSortKey::Tokens, true));
    store->reset();
    EXPECT_EQ(sha256(db), before);
}

TEST_F(StoreListing, PlainFileListing)
{
    const QString basic = tb::test::copySdkFixture(u"basic.db"_s, dir.path());
    ASSERT_FALSE(basic.isEmpty());
    const QByteArray before = sha256(basic);
    auto store = SqliteSessionStore::open(basic, {});
    TB_ASSERT_OK(store);
    EXPECT_EQ((*store)->schemaKind(), core::SchemaKind::Plain);
    const QList<Row> rows = expectedRows(basic, false);
    ASSERT_EQ(rows.size(), 2);
    for (SessionSortKey key : kKeys) {
        for (bool descending : {false, true}) {
            SessionQuery q;
            q.sort = key;
            q.descending = descending;
            EXPECT_EQ(listed(**store, q), sortedExpected(rows, key, descending)) << int(key);
        }
    }
    store->reset();
    EXPECT_EQ(sha256(basic), before);
}

TEST_F(StoreListing, CreatedStoreHasTheSdkSchema)
{
    const QString p = dir.filePath(u"new.db"_s);
    SqliteSessionStore::Options o;
    o.create = true;
    auto store = SqliteSessionStore::open(p, o);
    TB_ASSERT_OK(store);
    EXPECT_EQ((*store)->schemaKind(), core::SchemaKind::Advanced);
    EXPECT_TRUE((*store)->listSessions({}).value().isEmpty());
    RawDb raw(p, true);
    RawDb fixture(db, true);
    const QString schemaSql = u"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"_s;
    EXPECT_EQ(raw.lines(schemaSql), fixture.lines(schemaSql));
    // And the SDK's constructor check accepts it without create_tables.
    auto s = AdvancedSqliteSession::open(p, u"x"_s, {});
    TB_EXPECT_OK(s);
}

} // namespace
} // namespace tb::test::storage
