// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// core::BranchComparison on the SDK-written multi.db: for every session with a second branch, main
// against that branch must fork at the turn the transcript says create_branch_from_turn was given,
// list the turns before it as shared, hold per turn exactly the items get_conversation_by_turns
// reports on each side, show the re-asked questions as get_conversation_turns gives them, and
// total the tokens from the fork on as the SDK's get_session_usage / get_turn_usage report them.

#include "StorageTestSupport.h"
#include "core/BranchComparison.h"
#include "core/ConversationExport.h"
#include "storage/SqliteSessionStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <set>

namespace tb::test::storage {
namespace {

using core::BranchComparison;

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << S(path);
    return QJsonDocument::fromJson(f.readAll()).object();
}

// (session, branch) → the turn create_branch_from_turn was called with.
QHash<QString, qint64> forkTurnsFromTranscript()
{
    const QJsonArray ops = readJson(sdkFixture(u"multi.transcript.json"_s)).value(u"ops").toArray();
    QHash<QString, QString> sessionOf;
    QHash<QString, qint64> out;
    for (const QJsonValue& v : ops) {
        const QJsonObject op = v.toObject();
        const QString kind = op.value(u"op").toString();
        if (kind == u"open")
            sessionOf.insert(op.value(u"handle").toString(), op.value(u"session_id").toString());
        else if (kind == u"create_branch_from_turn" && op.value(u"result").isString())
            out.insert(sessionOf.value(op.value(u"handle").toString()) + u'/' + op.value(u"result").toString(),
                       op.value(u"turn_number").toInteger());
    }
    return out;
}

class BranchComparisonStorageTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        const QString db = copySdkFixture(u"multi.db"_s, dir.path());
        ASSERT_FALSE(db.isEmpty());
        auto opened = tb::storage::SqliteSessionStore::open(db, {});
        ASSERT_TRUE(opened.has_value()) << S(opened.error().message);
        store = std::move(opened).value();
        expected = readJson(sdkFixture(u"multi.expected.json"_s)).value(u"final_state").toObject();
    }

    BranchComparison::Side side(core::BranchingSession& s, const QString& branch)
    {
        BranchComparison::Side out;
        out.branchId = branch;
        auto items = s.branchItems(branch, 0, -1);
        EXPECT_TRUE(items.has_value());
        auto usage = s.getTurnUsages(branch);
        EXPECT_TRUE(usage.has_value());
        if (items)
            out.items = *items;
        if (usage)
            out.usage = *usage;
        return out;
    }

    TempDir dir;
    std::unique_ptr<tb::storage::SqliteSessionStore> store;
    QJsonObject expected;
};

TEST_F(BranchComparisonStorageTest, EveryBranchOfMultiDbAgainstMain)
{
    const QHash<QString, qint64> forks = forkTurnsFromTranscript();
    // A model with a price for every turn, so costs are complete and follow the tokens.
    core::PriceTable prices;
    core::ModelPrice price;
    price.model = u"gpt-4.1"_s;
    price.inputPerMillion = 2.0;
    price.cachedInputPerMillion = 0.5;
    price.outputPerMillion = 8.0;
    prices.add(price);
    const auto model = [](const QString&, qint64) { return u"gpt-4.1"_s; };

    int compared = 0;
    for (const QJsonValue& sv : expected.value(u"sessions").toArray()) {
        const QJsonObject sessionJson = sv.toObject();
        const QString sessionId = sessionJson.value(u"session_id").toString();
        const QJsonObject branches = sessionJson.value(u"advanced").toObject().value(u"branches").toObject();
        if (branches.size() < 2)
            continue;
        auto opened = store->openSession(sessionId, {});
        ASSERT_TRUE(opened.has_value()) << S(sessionId);
        core::BranchingSession& session = **opened;
        for (const QString& branch : branches.keys()) {
            if (branch == u"main")
                continue;
            SCOPED_TRACE(S(sessionId + u'/' + branch));
            const QJsonObject mainJson = branches.value(u"main").toObject();
            const QJsonObject altJson = branches.value(branch).toObject();
            const BranchComparison c =
                BranchComparison::compute(side(session, u"main"_s), side(session, branch), prices, model);

            // The fork is the turn the branch was made from; the turns before it are shared.
            ASSERT_TRUE(forks.contains(sessionId + u'/' + branch));
            const qint64 fork = forks.value(sessionId + u'/' + branch);
            ASSERT_EQ(c.forkTurn(), fork);
            QList<qint64> before;
            for (qint64 t = 1; t < fork; ++t)
                before << t;
            EXPECT_EQ(c.sharedTurns(), before);

            // Per turn from the fork: the items get_conversation_by_turns reports on each side.
            const QJsonObject mainByTurn = mainJson.value(u"get_conversation_by_turns").toObject();
            const QJsonObject altByTurn = altJson.value(u"get_conversation_by_turns").toObject();
            std::set<qint64> turns;
            qsizetype sharedRows = 0;
            for (const QString& key : mainByTurn.keys()) {
                if (key.toLongLong() >= fork)
                    turns.insert(key.toLongLong());
                else
                    sharedRows += mainByTurn.value(key).toArray().size();
            }
            for (const QString& key : altByTurn.keys()) {
                if (key.toLongLong() >= fork)
                    turns.insert(key.toLongLong());
            }
            EXPECT_EQ(c.sharedItemList().size(), sharedRows);
            EXPECT_EQ(c.sharedItems(), sharedRows);
            ASSERT_EQ(c.turns().size(), qsizetype(turns.size()));
            for (const BranchComparison::Turn& t : c.turns()) {
                SCOPED_TRACE(t.turn);
                EXPECT_TRUE(turns.count(t.turn));
                qsizetype left = 0;
                qsizetype right = 0;
                for (const BranchComparison::ItemPair& p : t.pairs) {
                    left += p.left ? 1 : 0;
                    right += p.right ? 1 : 0;
                    EXPECT_FALSE(p.shared); // SDK branches fork at a turn boundary
                }
                EXPECT_EQ(left, mainByTurn.value(QString::number(t.turn)).toArray().size());
                EXPECT_EQ(right, altByTurn.value(QString::number(t.turn)).toArray().size());
            }

            // The fork turn re-asks: both questions as get_conversation_turns reports them.
            const BranchComparison::Turn& first = c.turns().first();
            ASSERT_FALSE(first.pairs.isEmpty());
            ASSERT_TRUE(first.pairs.first().left && first.pairs.first().right);
            EXPECT_EQ(first.pairs.first().left->kind, BranchComparison::ItemKind::User);
            const auto question = [fork](const QJsonObject& branchJson) {
                for (const QJsonValue& v : branchJson.value(u"get_conversation_turns").toArray()) {
                    if (v.toObject().value(u"turn").toInteger() == fork) {
                        auto content = core::Json::parse(QJsonDocument(QJsonArray{v.toObject().value(u"full_content")})
                                                             .toJson(QJsonDocument::Compact));
                        return content ? core::ConversationExport::contentText(content->asArray().front()) : QString();
                    }
                }
                return QString();
            };
            EXPECT_EQ(first.pairs.first().left->text, question(mainJson));
            EXPECT_EQ(first.pairs.first().right->text, question(altJson));

            // Tokens from the fork on. turn_usage is not copied, so the branch's whole usage is its
            // own (get_session_usage), main's is its get_turn_usage rows from the fork.
            const QJsonObject altUsage = altJson.value(u"get_session_usage").toObject();
            EXPECT_EQ(c.rightTotal().total, altUsage.value(u"total_tokens").toInteger());
            EXPECT_EQ(c.rightTotal().input, altUsage.value(u"input_tokens").toInteger());
            EXPECT_EQ(c.rightTotal().output, altUsage.value(u"output_tokens").toInteger());
            EXPECT_EQ(c.rightTotal().requests, altUsage.value(u"requests").toInteger());
            EXPECT_EQ(c.rightTotal().usageRows, altUsage.value(u"total_turns").toInteger());
            qint64 mainTotal = 0;
            qint64 mainCached = 0;
            for (const QJsonValue& v : mainJson.value(u"get_turn_usage").toArray()) {
                const QJsonObject u = v.toObject();
                if (u.value(u"user_turn_number").toInteger() >= fork) {
                    mainTotal += u.value(u"total_tokens").toInteger();
                    mainCached += u.value(u"input_tokens_details").toObject().value(u"cached_tokens").toInteger();
                }
            }
            EXPECT_EQ(c.leftTotal().total, mainTotal);
            EXPECT_EQ(c.leftTotal().cached, mainCached);
            EXPECT_EQ(c.deltaTotal(), altUsage.value(u"total_tokens").toInteger() - mainTotal);
            ASSERT_TRUE(c.deltaCost());
            EXPECT_NEAR(*c.deltaCost(), *c.rightTotal().cost - c.leftTotal().cost.value_or(0.0), 1e-12);
            ++compared;
        }
    }
    EXPECT_EQ(compared, 20); // README: 20 extra branches (the try-a-N ones deleted, try-b-N kept)
}

} // namespace
} // namespace tb::test::storage
