// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// core::WorkspaceStore over three real files ("one file per customer"): cust-alice-123.db (a copy
// of basic.db, plain schema), cust-bob-456.db (multi.db, advanced, 50 sessions) and
// cust-carol-789.db (made here, session ids with "/" and one id that bob's file has too). The
// merged listing is checked against a brute-force sort of the members' full listings.

#include "core/WorkspaceStore.h"

#include "StorageTestSupport.h"
#include "storage/SqliteSessionStore.h"

#include <QDir>
#include <QFile>

#include <algorithm>

namespace tb::test::storage {
namespace {

using core::SearchHit;
using core::SearchSlice;
using core::SessionQuery;
using core::SessionSortKey;
using core::SessionStore;
using core::SessionSummary;
using core::WorkspaceStore;
using tb::storage::SqliteSessionStore;

const QString kAlice = u"cust-alice-123.db"_s;
const QString kBob = u"cust-bob-456.db"_s;
const QString kCarol = u"cust-carol-789.db"_s;
const QStringList kCarolIds = {u"thread/1"_s, u"thread/2"_s, u"customer-1000"_s, u"note/alice"_s};

const QList<SessionSortKey> kKeys = {
    SessionSortKey::SessionId,     SessionSortKey::Items,        SessionSortKey::Turns,  SessionSortKey::Branches,
    SessionSortKey::FirstActivity, SessionSortKey::LastActivity, SessionSortKey::Tokens, SessionSortKey::Title,
    SessionSortKey::Customer,      SessionSortKey::ReviewStatus};

QString show(const SessionSummary& s)
{
    return u"%1|%2|%3|%4|%5|%6|%7|%8|%9|"_s.arg(s.sessionId, s.firstActivity, s.lastActivity)
               .arg(s.itemCount)
               .arg(s.turnCount)
               .arg(s.branchCount)
               .arg(s.totalTokens)
               .arg(s.meta.title, s.meta.customer)
           + core::reviewStatusName(s.meta.reviewStatus);
}

QString show(const SearchHit& h)
{
    return u"%1|%2|%3|%4|%5|%6"_s.arg(h.sessionId, h.branchId)
        .arg(h.turn ? QString::number(*h.turn) : u"-"_s)
        .arg(h.messageId)
        .arg(h.role, h.snippet);
}

QStringList shown(const QList<SessionSummary>& rows)
{
    QStringList out;
    for (const SessionSummary& s : rows)
        out << show(s);
    return out;
}

QStringList idsOf(const QList<SessionSummary>& rows)
{
    QStringList out;
    for (const SessionSummary& s : rows)
        out << s.sessionId;
    return out;
}

SessionQuery allRows(SessionSortKey key = SessionSortKey::SessionId, bool descending = false,
                     const QString& filter = {})
{
    SessionQuery q;
    q.sort = key;
    q.descending = descending;
    q.limit = -1;
    q.filter = filter;
    return q;
}

// The brute-force reference: SQLite's BINARY order is UTF-8 byte order.
int byBytes(const QString& a, const QString& b)
{
    const QByteArray x = a.toUtf8();
    const QByteArray y = b.toUtf8();
    return x == y ? 0 : (x < y ? -1 : 1);
}

int referenceKey(const SessionSummary& a, const SessionSummary& b, SessionSortKey key)
{
    const auto num = [](qint64 x, qint64 y) { return x == y ? 0 : (x < y ? -1 : 1); };
    switch (key) {
    case SessionSortKey::SessionId:
        return byBytes(a.sessionId, b.sessionId);
    case SessionSortKey::Items:
        return num(a.itemCount, b.itemCount);
    case SessionSortKey::Turns:
        return num(a.turnCount, b.turnCount);
    case SessionSortKey::Branches:
        return num(a.branchCount, b.branchCount);
    case SessionSortKey::FirstActivity:
        return byBytes(a.firstActivity, b.firstActivity);
    case SessionSortKey::LastActivity:
        return byBytes(a.lastActivity, b.lastActivity);
    case SessionSortKey::Tokens:
        return num(a.totalTokens, b.totalTokens);
    // Sessions without metadata have NULL here (read as ""); titles set in this test are not empty.
    case SessionSortKey::Title:
        return byBytes(a.meta.title, b.meta.title);
    case SessionSortKey::Customer:
        return byBytes(a.meta.customer, b.meta.customer);
    case SessionSortKey::ReviewStatus:
        return byBytes(core::reviewStatusName(a.meta.reviewStatus), core::reviewStatusName(b.meta.reviewStatus));
    }
    return 0;
}

class WorkspaceStoreTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        folder = dir.filePath(u"sessions"_s);
        ASSERT_TRUE(QDir().mkpath(folder));
        ASSERT_TRUE(copyAs(u"basic.db"_s, kAlice));
        ASSERT_TRUE(copyAs(u"multi.db"_s, kBob));

        SqliteSessionStore::Options create;
        create.create = true;
        auto carol = SqliteSessionStore::open(pathOf(kCarol), create);
        TB_ASSERT_OK(carol);
        int turns = 1;
        for (const QString& id : kCarolIds) {
            core::SessionOpenOptions o;
            o.createTables = true;
            auto s = (*carol)->openSession(id, o);
            TB_ASSERT_OK(s);
            addTurns(**s, 1, turns++);
            TB_ASSERT_OK((*s)->addItems(Items({R"({"role": "user", "content": "Where is my order zq-7?"})"})));
        }
        carol->reset();

        // Metadata in two members, with a title tie across them.
        ws = openWorkspace({kBob, kCarol, kAlice}); // added out of order on purpose
        ASSERT_EQ(ws->storeCount(), 3);
        setMeta(kBob, u"customer-1003"_s, u"Refund"_s, u"Bob"_s, core::ReviewStatus::Escalated);
        setMeta(kBob, u"customer-1040"_s, u"Late delivery"_s, u"Bob"_s, core::ReviewStatus::Resolved);
        setMeta(kCarol, u"thread/1"_s, u"Refund"_s, u"Carol"_s, core::ReviewStatus::InReview);
        setMeta(kAlice, u"customer-789"_s, u"\u00c4nderung"_s, u"Alice"_s, core::ReviewStatus::Resolved);
    }

    QString pathOf(const QString& label) const { return QDir(folder).filePath(label); }

    bool copyAs(const QString& fixture, const QString& label)
    {
        const QString staging = dir.filePath(u"staging-"_s + label);
        if (!QDir().mkpath(staging))
            return false;
        const QString copied = tb::test::copySdkFixture(fixture, staging);
        if (copied.isEmpty() || !QFile::rename(copied, pathOf(label)))
            return false;
        if (QFile::exists(copied + u"-wal"_s))
            return QFile::rename(copied + u"-wal"_s, pathOf(label) + u"-wal"_s);
        return true;
    }

    std::unique_ptr<WorkspaceStore> openWorkspace(const QStringList& labels, bool readOnly = false)
    {
        auto w = std::make_unique<WorkspaceStore>(folder);
        for (const QString& label : labels) {
            SqliteSessionStore::Options o;
            o.readOnly = readOnly;
            auto s = SqliteSessionStore::open(pathOf(label), o);
            EXPECT_TRUE(s.has_value()) << (s ? std::string() : S(s.error().message));
            if (s)
                w->addStore(label, std::move(s).value());
        }
        return w;
    }

    void setMeta(const QString& label, const QString& id, const QString& title, const QString& customer,
                 core::ReviewStatus status)
    {
        core::SessionMeta m;
        m.title = title;
        m.customer = customer;
        m.reviewStatus = status;
        m.tags = {u"vip"_s};
        TB_EXPECT_OK(ws->setSessionMeta(WorkspaceStore::compose(label, id), m));
    }

    // Every member's full listing with composite ids: the input of the brute-force merge.
    QList<SessionSummary> union_()
    {
        QList<SessionSummary> out;
        for (const QString& label : ws->labels()) {
            SessionStore* member = ws->storeFor(WorkspaceStore::compose(label, u"x"_s));
            EXPECT_NE(member, nullptr);
            if (!member)
                continue;
            auto rows = member->listSessions(allRows());
            EXPECT_TRUE(rows.has_value());
            for (SessionSummary s : rows.value()) {
                s.sessionId = WorkspaceStore::compose(label, s.sessionId);
                out << s;
            }
        }
        return out;
    }

    QStringList expectedOrder(SessionSortKey key, bool descending)
    {
        QList<SessionSummary> rows = union_();
        std::sort(rows.begin(), rows.end(), [&](const SessionSummary& a, const SessionSummary& b) {
            int c = referenceKey(a, b, key);
            if (c == 0)
                c = byBytes(a.sessionId, b.sessionId);
            return descending ? c > 0 : c < 0;
        });
        return shown(rows);
    }

    QList<SessionSummary> list(const SessionQuery& q)
    {
        auto r = ws->listSessions(q);
        EXPECT_TRUE(r.has_value()) << (r ? std::string() : S(r.error().message));
        return r ? r.value() : QList<SessionSummary>();
    }

    qint64 count(const QString& filter)
    {
        auto r = ws->countSessions(filter);
        EXPECT_TRUE(r.has_value()) << (r ? std::string() : S(r.error().message));
        return r ? *r : -1;
    }

    tb::test::TempDir dir;
    QString folder;
    std::unique_ptr<WorkspaceStore> ws;
};

TEST(WorkspaceIds, ComposeAndSplitAtTheFirstSlash)
{
    EXPECT_EQ(WorkspaceStore::compose(u"cust-alice-123.db"_s, u"customer-789"_s), u"cust-alice-123.db/customer-789"_s);
    EXPECT_EQ(WorkspaceStore::compose(u"a.db"_s, u"thread/1/x"_s), u"a.db/thread/1/x"_s);
    using P = std::pair<QString, QString>;
    EXPECT_EQ(WorkspaceStore::split(u"a.db/thread/1/x"_s), P(u"a.db"_s, u"thread/1/x"_s));
    EXPECT_EQ(WorkspaceStore::split(u"a.db/customer-789"_s), P(u"a.db"_s, u"customer-789"_s));
    EXPECT_EQ(WorkspaceStore::split(u"a.db/"_s), P(u"a.db"_s, QString()));
    EXPECT_EQ(WorkspaceStore::split(u"a.db//x"_s), P(u"a.db"_s, u"/x"_s));
    EXPECT_EQ(WorkspaceStore::split(u"no-slash"_s), P(QString(), u"no-slash"_s));
    EXPECT_TRUE(WorkspaceStore::split(u"/x"_s).first.isEmpty());
    for (const QString& id : {u"plain"_s, u"a/b"_s, u"/lead"_s, u"trail/"_s, u"caf\u00e9/\U0001F600"_s}) {
        const auto [label, local] = WorkspaceStore::split(WorkspaceStore::compose(u"x.db"_s, id));
        EXPECT_EQ(label, u"x.db"_s);
        EXPECT_EQ(local, id);
    }
}

TEST(WorkspaceEmpty, NoMembers)
{
    WorkspaceStore w(u"/nowhere"_s);
    EXPECT_EQ(w.path(), u"/nowhere"_s);
    EXPECT_EQ(w.storeCount(), 0);
    EXPECT_EQ(w.schemaKind(), core::SchemaKind::Empty);
    EXPECT_TRUE(w.isReadOnly());
    EXPECT_EQ(w.countSessions(QString()).value(), 0);
    EXPECT_TRUE(w.listSessions(SessionQuery{}).value().isEmpty());
    auto slice = w.searchMessages(u"x"_s, 0, 10);
    TB_ASSERT_OK(slice);
    EXPECT_TRUE(slice->done);
    EXPECT_TRUE(slice->hits.isEmpty());
    EXPECT_EQ(w.storeFor(u"a.db/x"_s), nullptr);
}

TEST_F(WorkspaceStoreTest, MembersLabelsAndKinds)
{
    EXPECT_EQ(ws->labels(), QStringList({kAlice, kBob, kCarol}));
    EXPECT_EQ(ws->path(), folder);
    EXPECT_EQ(ws->schemaKind(), core::SchemaKind::Advanced);
    EXPECT_FALSE(ws->isReadOnly());
    EXPECT_EQ(ws->storeFor(kBob + u"/customer-1000"_s)->path(), pathOf(kBob));
    EXPECT_EQ(ws->storeFor(kCarol + u"/thread/1"_s)->path(), pathOf(kCarol));
    EXPECT_EQ(ws->storeFor(u"nope.db/customer-1000"_s), nullptr);
    EXPECT_EQ(ws->storeFor(u"customer-1000"_s), nullptr);

    // Labels must keep composite ids unambiguous.
    const qsizetype before = ws->storeCount();
    auto again = SqliteSessionStore::open(pathOf(kAlice), {});
    TB_ASSERT_OK(again);
    ws->addStore(kAlice, std::move(again).value());
    auto slashed = SqliteSessionStore::open(pathOf(kAlice), {});
    TB_ASSERT_OK(slashed);
    ws->addStore(u"sub/x.db"_s, std::move(slashed).value());
    auto unnamed = SqliteSessionStore::open(pathOf(kAlice), {});
    TB_ASSERT_OK(unnamed);
    ws->addStore(QString(), std::move(unnamed).value());
    ws->addStore(u"null.db"_s, nullptr);
    EXPECT_EQ(ws->storeCount(), before);

    EXPECT_EQ(openWorkspace({kAlice})->schemaKind(), core::SchemaKind::Plain);
    EXPECT_EQ(openWorkspace({kAlice, kCarol})->schemaKind(), core::SchemaKind::Advanced);

    // Read-only only when every member is.
    auto ro = openWorkspace({kAlice, kBob}, true);
    EXPECT_TRUE(ro->isReadOnly());
    core::SessionMeta m;
    m.title = u"x"_s;
    EXPECT_FALSE(ro->setSessionMeta(kBob + u"/customer-1000"_s, m).has_value());
    auto writable = SqliteSessionStore::open(pathOf(kCarol), {});
    TB_ASSERT_OK(writable);
    ro->addStore(kCarol, std::move(writable).value());
    EXPECT_FALSE(ro->isReadOnly());
}

TEST_F(WorkspaceStoreTest, CountsSumMembersAndFiltersMatchLabels)
{
    EXPECT_EQ(count(QString()), 2 + 50 + 4);
    // The label matches every session of its file; ids and metadata still match elsewhere.
    EXPECT_EQ(count(u"alice"_s), 3); // cust-alice-123.db's two + cust-carol-789.db/note/alice
    EXPECT_EQ(count(u"ALICE"_s), 3);
    EXPECT_EQ(count(u"bob-456"_s), 50);
    EXPECT_EQ(count(u"789"_s), 5); // all of carol's file + cust-alice-123.db/customer-789
    EXPECT_EQ(count(u"customer-100"_s), 11);
    EXPECT_EQ(count(u"thread/1"_s), 1);
    EXPECT_EQ(count(u"refund"_s), 2);
    EXPECT_EQ(count(u".db"_s), 56);
    EXPECT_EQ(count(u"%"_s), 0);
    EXPECT_EQ(count(u"nobody"_s), 0);
    // A pasted composite id, or any piece spanning the separator.
    EXPECT_EQ(count(kCarol + u"/thread/2"_s), 1);
    EXPECT_EQ(count(u"carol-789.db/thread"_s), 2);
    EXPECT_EQ(count(u"CAROL-789.DB/THREAD"_s), 2);
    EXPECT_EQ(count(kCarol + u"/"_s), 4);
    EXPECT_EQ(count(u"123.db/customer-7"_s), 1);
    EXPECT_EQ(count(u"b/customer-1001"_s), 1); // every label ends with "b"; only bob has the id
    EXPECT_EQ(count(u"/1"_s), 1);              // cust-carol-789.db/thread/1
    EXPECT_EQ(count(u"456.db/customer-1000"_s), 1);
    EXPECT_EQ(count(u"alice-123.db/nobody"_s), 0);

    // The listing agrees with the count and lists composite ids.
    const auto filtered = [&](const QString& f) { return idsOf(list(allRows(SessionSortKey::SessionId, false, f))); };
    EXPECT_EQ(filtered(u"alice"_s),
              QStringList({kAlice + u"/customer-789"_s, kAlice + u"/user-alice-123"_s, kCarol + u"/note/alice"_s}));
    EXPECT_EQ(filtered(u"customer-1000"_s), QStringList({kBob + u"/customer-1000"_s, kCarol + u"/customer-1000"_s}));
    EXPECT_EQ(filtered(u"carol-789.db/thread"_s), QStringList({kCarol + u"/thread/1"_s, kCarol + u"/thread/2"_s}));
    EXPECT_EQ(filtered(u"refund"_s), QStringList({kBob + u"/customer-1003"_s, kCarol + u"/thread/1"_s}));
    EXPECT_EQ(filtered(u"/1"_s), QStringList({kCarol + u"/thread/1"_s}));
    for (const QString& f :
         {u"alice"_s, u"789"_s, u"customer-100"_s, u"carol-789.db/"_s, u"b/customer-1001"_s, u"vip"_s})
        EXPECT_EQ(filtered(f).size(), count(f)) << S(f);
    // A spanning filter with paging still pages the filtered rows.
    SessionQuery page = allRows(SessionSortKey::SessionId, true, kCarol + u"/"_s);
    page.offset = 1;
    page.limit = 2;
    EXPECT_EQ(idsOf(list(page)), QStringList({kCarol + u"/thread/1"_s, kCarol + u"/note/alice"_s}));
}

TEST_F(WorkspaceStoreTest, EverySortKeyBothDirectionsMatchesBruteForce)
{
    ASSERT_EQ(union_().size(), 56);
    for (SessionSortKey key : kKeys) {
        for (bool descending : {false, true}) {
            const QStringList want = expectedOrder(key, descending);
            EXPECT_EQ(shown(list(allRows(key, descending))), want) << "key " << int(key) << " desc " << descending;
            // The default page size of 100 holds everything here too.
            SessionQuery q;
            q.sort = key;
            q.descending = descending;
            EXPECT_EQ(shown(list(q)), want) << "key " << int(key) << " desc " << descending;
        }
    }
    // Ties across members fall back to the composite id: carol's customer-1000 after bob's.
    const QStringList byTitle = idsOf(list(allRows(SessionSortKey::Title, false, u"refund"_s)));
    EXPECT_EQ(byTitle, QStringList({kBob + u"/customer-1003"_s, kCarol + u"/thread/1"_s}));
    const QStringList byTitleDesc = idsOf(list(allRows(SessionSortKey::Title, true, u"refund"_s)));
    EXPECT_EQ(byTitleDesc, QStringList({kCarol + u"/thread/1"_s, kBob + u"/customer-1003"_s}));
}

TEST_F(WorkspaceStoreTest, PagingAcrossMemberBoundaries)
{
    for (SessionSortKey key : kKeys) {
        for (bool descending : {false, true}) {
            const QStringList full = shown(list(allRows(key, descending)));
            ASSERT_EQ(full.size(), 56);
            for (qint64 limit : {1, 5, 13, 52}) {
                for (qint64 offset : {0, 1, 2, 49, 50, 53, 55, 56, 80}) {
                    SessionQuery q = allRows(key, descending);
                    q.limit = limit;
                    q.offset = offset;
                    EXPECT_EQ(shown(list(q)), full.mid(offset, limit))
                        << "key " << int(key) << " desc " << descending << " offset " << offset << " limit " << limit;
                }
            }
            SessionQuery rest = allRows(key, descending);
            rest.offset = 40;
            EXPECT_EQ(shown(list(rest)), full.mid(40)) << int(key);
            SessionQuery none = allRows(key, descending);
            none.limit = 0;
            EXPECT_TRUE(list(none).isEmpty());
            // Consecutive pages put together give the whole list, once each.
            QStringList joined;
            for (qint64 off = 0; off < 56; off += 9) {
                SessionQuery p = allRows(key, descending);
                p.offset = off;
                p.limit = 9;
                joined << shown(list(p));
            }
            EXPECT_EQ(joined, full) << int(key);
        }
    }
}

TEST_F(WorkspaceStoreTest, SearchSlicesWalkMembersWithMonotoneProgress)
{
    const QString term = u"order"_s;
    QStringList want;
    QList<qsizetype> hitsPerMember;
    for (const QString& label : ws->labels()) {
        SessionStore* member = ws->storeFor(WorkspaceStore::compose(label, u"x"_s));
        ASSERT_NE(member, nullptr);
        auto all = member->searchMessages(term, 0, 1000000);
        TB_ASSERT_OK(all);
        ASSERT_TRUE(all->done);
        for (SearchHit h : all->hits) {
            h.sessionId = WorkspaceStore::compose(label, h.sessionId);
            want << show(h);
        }
        hitsPerMember << all->hits.size();
    }
    for (qsizetype n : hitsPerMember)
        ASSERT_GT(n, 0); // the term is in every member

    const qint64 maxId = qint64(3) << WorkspaceStore::kSearchCursorBits;
    for (qint64 rows : {qint64(7), qint64(1000), qint64(1000000)}) {
        QStringList got;
        qint64 cursor = 0;
        double progress = 0;
        int slices = 0;
        QList<qint64> membersSeen;
        for (;;) {
            auto slice = ws->searchMessages(term, cursor, rows);
            TB_ASSERT_OK(slice);
            ++slices;
            ASSERT_LT(slices, 10000);
            EXPECT_EQ(slice->maxId, maxId);
            EXPECT_GT(slice->lastId, cursor) << "no progress at " << cursor;
            EXPECT_LE(slice->lastId, slice->maxId);
            const double p = double(slice->lastId) / double(slice->maxId);
            EXPECT_GT(p, progress);
            progress = p;
            for (const SearchHit& h : slice->hits) {
                got << show(h);
                EXPECT_FALSE(WorkspaceStore::split(h.sessionId).first.isEmpty());
                EXPECT_NE(ws->storeFor(h.sessionId), nullptr) << S(h.sessionId);
            }
            membersSeen << (slice->lastId >> WorkspaceStore::kSearchCursorBits);
            cursor = slice->lastId;
            if (slice->done)
                break;
        }
        EXPECT_EQ(got, want) << "rows " << rows;
        EXPECT_EQ(cursor, maxId);
        EXPECT_DOUBLE_EQ(progress, 1.0);
        EXPECT_TRUE(std::is_sorted(membersSeen.cbegin(), membersSeen.cend()));
        if (rows == 7) {
            EXPECT_GT(slices, 1184 / 7); // bob's file alone has 1,184 message rows
        }
        if (rows == 1000000) {
            EXPECT_EQ(slices, 1);
        }
    }

    // Hits name the member's session (note: carol's customer-1000 differs from bob's).
    auto carolOnly = ws->searchMessages(u"ORDER ZQ-7"_s, 0, 1000000);
    TB_ASSERT_OK(carolOnly);
    QStringList sessions;
    for (const SearchHit& h : carolOnly->hits)
        sessions << h.sessionId;
    QStringList carolIds;
    for (const QString& id : kCarolIds)
        carolIds << WorkspaceStore::compose(kCarol, id);
    std::sort(sessions.begin(), sessions.end());
    std::sort(carolIds.begin(), carolIds.end());
    EXPECT_EQ(sessions, carolIds);

    // Cursors outside the workspace and empty slices are refused; an empty term is done at once.
    EXPECT_EQ(ws->searchMessages(term, -1, 10).error().code, Error::Code::Argument);
    EXPECT_EQ(ws->searchMessages(term, maxId + 1, 10).error().code, Error::Code::Argument);
    EXPECT_EQ(ws->searchMessages(term, qint64(4) << WorkspaceStore::kSearchCursorBits, 10).error().code,
              Error::Code::Argument);
    EXPECT_EQ(ws->searchMessages(term, 0, 0).error().code, Error::Code::Argument);
    auto atEnd = ws->searchMessages(term, maxId, 10);
    TB_ASSERT_OK(atEnd);
    EXPECT_TRUE(atEnd->done);
    EXPECT_TRUE(atEnd->hits.isEmpty());
    auto empty = ws->searchMessages(QString(), 0, 10);
    TB_ASSERT_OK(empty);
    EXPECT_TRUE(empty->done);
}

TEST_F(WorkspaceStoreTest, SearchRefusesMessageIdsBeyondTheCursorRange)
{
    const QString big = pathOf(u"cust-big.db"_s);
    {
        SqliteSessionStore::Options create;
        create.create = true;
        auto s = SqliteSessionStore::open(big, create);
        TB_ASSERT_OK(s);
        auto session = (*s)->openSession(u"s1"_s, {});
        TB_ASSERT_OK(session);
        addTurns(**session, 1, 1);
    }
    {
        RawDb raw(big);
        raw.exec(
            u"INSERT INTO agent_messages (id, session_id, message_data) VALUES (?, 's1', '{\"role\": \"user\", \"content\": \"order\"}')"_s,
            {WorkspaceStore::kSearchMemberIdLimit});
    }
    auto w = openWorkspace({kAlice, u"cust-big.db"_s});
    auto slice = w->searchMessages(u"order"_s, 0, 1000000);
    ASSERT_FALSE(slice.has_value());
    EXPECT_EQ(slice.error().code, Error::Code::Format);
    EXPECT_TRUE(slice.error().message.contains(u"cust-big.db"_s)) << S(slice.error().message);
}

TEST_F(WorkspaceStoreTest, SideTablesAreRoutedByCompositeId)
{
    const QString bob1000 = kBob + u"/customer-1000"_s;
    const QString carol1000 = kCarol + u"/customer-1000"_s;
    SessionStore* bob = ws->storeFor(bob1000);
    SessionStore* carol = ws->storeFor(carol1000);
    ASSERT_NE(bob, nullptr);
    ASSERT_NE(carol, nullptr);
    ASSERT_NE(bob, carol);

    core::SessionMeta meta;
    meta.title = u"Carol's order"_s;
    meta.notes = u"same local id as in bob's file"_s;
    TB_ASSERT_OK(ws->setSessionMeta(carol1000, meta));
    EXPECT_EQ(carol->sessionMeta(u"customer-1000"_s).value().title, meta.title);
    EXPECT_EQ(ws->sessionMeta(carol1000).value().notes, meta.notes);
    EXPECT_TRUE(bob->sessionMeta(u"customer-1000"_s).value().title.isEmpty());
    EXPECT_TRUE(ws->sessionMeta(bob1000).value().title.isEmpty());
    EXPECT_EQ(ws->sessionMeta(kCarol + u"/thread/1"_s).value().title, u"Refund"_s);

    TB_ASSERT_OK(ws->setLastViewedBranch(bob1000, u"alt-1"_s));
    EXPECT_EQ(bob->lastViewedBranch(u"customer-1000"_s).value(), std::optional<QString>(u"alt-1"_s));
    EXPECT_EQ(ws->lastViewedBranch(bob1000).value(), std::optional<QString>(u"alt-1"_s));
    EXPECT_EQ(ws->lastViewedBranch(carol1000).value(), std::nullopt);

    core::BranchMeta b;
    b.branchId = u"main"_s;
    b.displayName = u"Carol main"_s;
    b.preferred = true;
    TB_ASSERT_OK(ws->setBranchMeta(carol1000, b));
    ASSERT_EQ(ws->branchMeta(carol1000).value().size(), 1);
    EXPECT_EQ(ws->branchMeta(carol1000).value().first().displayName, u"Carol main"_s);
    EXPECT_EQ(carol->branchMeta(u"customer-1000"_s).value().size(), 1);
    EXPECT_TRUE(ws->branchMeta(bob1000).value().isEmpty());

    core::RequestUsage u;
    u.sessionId = carol1000;
    u.branchId = u"main"_s;
    u.userTurnNumber = 1;
    u.model = u"gpt-test"_s;
    u.totalTokens = 42;
    TB_ASSERT_OK(ws->recordRequestUsage(u));
    auto rows = ws->requestUsage(carol1000, std::nullopt);
    TB_ASSERT_OK(rows);
    ASSERT_EQ(rows->size(), 1);
    EXPECT_EQ(rows->first().sessionId, carol1000);
    EXPECT_EQ(rows->first().totalTokens, 42);
    auto local = carol->requestUsage(u"customer-1000"_s, u"main"_s);
    TB_ASSERT_OK(local);
    ASSERT_EQ(local->size(), 1);
    EXPECT_EQ(local->first().sessionId, u"customer-1000"_s);
    EXPECT_TRUE(ws->requestUsage(bob1000, std::nullopt).value().isEmpty());

    // Metadata written through the workspace shows in its listing.
    const auto found = list(allRows(SessionSortKey::SessionId, false, u"carol's"_s));
    ASSERT_EQ(found.size(), 1);
    EXPECT_EQ(found.first().sessionId, carol1000);
}

TEST_F(WorkspaceStoreTest, SessionObjectsComeFromTheMember)
{
    core::SessionOpenOptions o;
    auto viaWs = ws->openSession(kBob + u"/customer-1001"_s, o);
    TB_ASSERT_OK(viaWs);
    auto direct = ws->storeFor(kBob + u"/x"_s)->openSession(u"customer-1001"_s, o);
    TB_ASSERT_OK(direct);
    EXPECT_EQ((*viaWs)->sessionId(), u"customer-1001"_s); // the member's object, local id
    EXPECT_EQ(itemsText(**viaWs), itemsText(**direct));
    EXPECT_EQ(branchList(**viaWs), branchList(**direct));

    auto plain = ws->openPlainSession(kAlice + u"/user-alice-123"_s, o);
    TB_ASSERT_OK(plain);
    auto plainDirect = ws->storeFor(kAlice + u"/x"_s)->openPlainSession(u"user-alice-123"_s, o);
    TB_ASSERT_OK(plainDirect);
    EXPECT_EQ(itemsText(**plain), itemsText(**plainDirect));
    EXPECT_NE(itemsText(**plain), QByteArray("[]"));

    // Same local id in two files: two different sessions.
    auto carol1000 = ws->openSession(kCarol + u"/customer-1000"_s, o);
    TB_ASSERT_OK(carol1000);
    auto bob1000 = ws->openSession(kBob + u"/customer-1000"_s, o);
    TB_ASSERT_OK(bob1000);
    EXPECT_NE(itemsText(**carol1000), itemsText(**bob1000));

    // A session id with "/" inside, and a new session created through the workspace.
    auto thread = ws->openSession(kCarol + u"/thread/2"_s, o);
    TB_ASSERT_OK(thread);
    EXPECT_EQ((*thread)->sessionId(), u"thread/2"_s);
    EXPECT_EQ((*thread)->getItems(std::nullopt).value().size(), 5); // two exchanges + the question
    core::SessionOpenOptions create;
    create.createTables = true;
    auto fresh = ws->openSession(kCarol + u"/thread/3"_s, create);
    TB_ASSERT_OK(fresh);
    addTurns(**fresh, 1, 2);
    EXPECT_EQ(count(QString()), 57);
    EXPECT_EQ(idsOf(list(allRows(SessionSortKey::SessionId, false, u"thread/3"_s))),
              QStringList({kCarol + u"/thread/3"_s}));
}

TEST_F(WorkspaceStoreTest, UnknownLabelsAreArgumentErrors)
{
    const auto isArgumentError = [](const auto& r, const QString& mentions) -> ::testing::AssertionResult {
        if (r.has_value())
            return ::testing::AssertionFailure() << "succeeded";
        if (r.error().code != Error::Code::Argument)
            return ::testing::AssertionFailure() << "code " << codeName(r.error().code) << ": " << S(r.error().message);
        if (!r.error().message.contains(mentions))
            return ::testing::AssertionFailure()
                   << "message does not mention " << S(mentions) << ": " << S(r.error().message);
        return ::testing::AssertionSuccess();
    };
    const QString unknown = u"cust-dave-000.db/customer-1000"_s;
    const QString dave = u"cust-dave-000.db"_s;
    EXPECT_TRUE(isArgumentError(ws->sessionMeta(unknown), dave));
    EXPECT_TRUE(isArgumentError(ws->setSessionMeta(unknown, {}), dave));
    EXPECT_TRUE(isArgumentError(ws->lastViewedBranch(unknown), dave));
    EXPECT_TRUE(isArgumentError(ws->setLastViewedBranch(unknown, u"main"_s), dave));
    EXPECT_TRUE(isArgumentError(ws->branchMeta(unknown), dave));
    EXPECT_TRUE(isArgumentError(ws->setBranchMeta(unknown, {}), dave));
    core::RequestUsage u;
    u.sessionId = unknown;
    EXPECT_TRUE(isArgumentError(ws->recordRequestUsage(u), dave));
    EXPECT_TRUE(isArgumentError(ws->requestUsage(unknown, std::nullopt), dave));
    EXPECT_TRUE(isArgumentError(ws->openPlainSession(unknown, {}), dave));
    EXPECT_TRUE(isArgumentError(ws->openSession(unknown, {}), dave));
    // A bare local id is not a workspace id, even if some member has it.
    EXPECT_TRUE(isArgumentError(ws->sessionMeta(u"customer-1000"_s), u"customer-1000"_s));
    EXPECT_TRUE(isArgumentError(ws->openSession(u"customer-1000"_s, {}), u"not a workspace session id"_s));
    // Labels match exactly (case matters, as in file names).
    EXPECT_TRUE(isArgumentError(ws->sessionMeta(u"CUST-BOB-456.DB/customer-1000"_s), u"CUST-BOB-456.DB"_s));
    EXPECT_TRUE(isArgumentError(ws->sessionMeta(u"/customer-1000"_s), u"not a workspace session id"_s));
    // Nothing was written to any member.
    EXPECT_TRUE(ws->storeFor(kBob + u"/x"_s)->lastViewedBranch(u"customer-1000"_s).value() == std::nullopt);
}

} // namespace
} // namespace tb::test::storage
