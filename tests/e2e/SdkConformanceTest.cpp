// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Replays the SDK's own transcripts against our store and compares every answer, then opens the
// SDK-written fixture databases and compares what fresh objects report with the SDK's answers.
#include "CliTestSupport.h"
#include "TempDir.h"
#include "TestData.h"

#include "app/SdkCall.h"
#include "core/Json.h"
#include "storage/AdvancedSqliteSession.h"
#include "storage/PlainSqliteSession.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>
#include <QVariant>

#include <gtest/gtest.h>

#include <map>
#include <memory>

namespace {

using tb::app::SdkCall;
using tb::app::SdkOutcome;
using tb::core::Json;

Json loadJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    auto parsed = Json::parse(f.readAll());
    return parsed ? std::move(parsed).value() : Json();
}

// Timestamps are write times; they cannot match a replay made today.
Json withoutTimestamps(const Json& v)
{
    if (v.isArray()) {
        Json::Array out;
        for (const Json& e : v.asArray())
            out.push_back(withoutTimestamps(e));
        return Json(std::move(out));
    }
    if (v.isObject()) {
        Json out = Json::object();
        for (const auto& [k, e] : v.asObject()) {
            if (k == u"created_at" || k == u"timestamp")
                out.insert(k, Json(QStringLiteral("<time>")));
            else
                out.insert(k, withoutTimestamps(e));
        }
        return out;
    }
    return v;
}

std::string show(const Json& v)
{
    QByteArray b = v.dump();
    if (b.size() > 1500)
        b = b.left(1500) + "...";
    return b.toStdString();
}

QList<QVariantList> sqlRows(const QString& dbPath, const QString& sql, const QVariantList& binds = {})
{
    return tb::test::cli::sqlRows(dbPath, sql, binds);
}

Json variantJson(const QVariant& v)
{
    if (v.isNull())
        return Json();
    if (v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Int)
        return Json(v.toLongLong());
    if (v.typeId() == QMetaType::Double)
        return Json(v.toDouble());
    return Json(v.toString());
}

struct Handle
{
    std::unique_ptr<tb::core::Session> session;
    tb::core::BranchingSession* advanced = nullptr;
};

class TranscriptReplay : public ::testing::TestWithParam<const char*>
{
};

TEST_P(TranscriptReplay, EveryCallGivesTheSdkAnswer)
{
    const QString name = QString::fromLatin1(GetParam());
    const Json transcript = loadJson(tb::test::sdkFixture(name + QStringLiteral(".transcript.json")));
    ASSERT_TRUE(transcript.isObject());
    tb::test::TempDir dir;
    const QString db = dir.filePath(QStringLiteral("replay.db"));

    // Generated branch ids carry the wall-clock second; the replay uses the SDK's second so the
    // ids match exactly (the README allows ignoring them; pinning them is stricter).
    qint64 clock = 0;
    std::map<QString, Handle> handles;
    int compared = 0;
    static const QRegularExpression generatedId(QStringLiteral("^branch_from_turn_\\d+_(\\d+)"));

    for (const Json& op : transcript[u"ops"].asArray()) {
        const QString kind = op[u"op"].toString();
        const QString seq = QString::number(op[u"seq"].toInt());
        SCOPED_TRACE(QString(QStringLiteral("op ") + seq + u' ' + kind).toStdString());
        if (kind == u"note" || kind == u"sleep")
            continue;
        const QString handleName = op[u"handle"].toString();
        if (kind == u"open") {
            Handle h;
            const Json& settings = op[u"session_settings"];
            std::optional<qint64> limit;
            if (settings.isObject() && !settings[u"limit"].isNull())
                limit = settings[u"limit"].toInt();
            if (op[u"class"].toString() == u"AdvancedSQLiteSession") {
                tb::storage::AdvancedSqliteSession::Options o;
                o.createTables = op[u"create_tables"].toBool();
                o.limit = limit;
                o.unixSeconds = [&clock] { return clock; };
                auto s = tb::storage::AdvancedSqliteSession::open(db, op[u"session_id"].toString(), o);
                if (op.contains(u"raised")) {
                    ASSERT_FALSE(s.has_value());
                    EXPECT_EQ(s.error().message.toStdString(), op[u"raised"][u"message"].toString().toStdString());
                    continue;
                }
                ASSERT_TRUE(s.has_value()) << s.error().message.toStdString();
                h.advanced = s->get();
                h.session = std::move(s).value();
            } else {
                tb::storage::PlainSqliteSession::Options o;
                o.limit = limit;
                auto s = tb::storage::PlainSqliteSession::open(db, op[u"session_id"].toString(), o);
                ASSERT_TRUE(s.has_value()) << s.error().message.toStdString();
                h.session = std::move(s).value();
            }
            handles[handleName] = std::move(h);
            continue;
        }
        if (kind == u"sql") {
            Json::Array rows;
            for (const QVariantList& r : sqlRows(db, op[u"query"].toString())) {
                Json::Array row;
                for (const QVariant& v : r)
                    row.push_back(variantJson(v));
                rows.push_back(Json(std::move(row)));
            }
            EXPECT_EQ(withoutTimestamps(Json(std::move(rows))), withoutTimestamps(op[u"result"])) << show(op);
            ++compared;
            continue;
        }
        ASSERT_TRUE(handles.count(handleName)) << "unknown handle " << handleName.toStdString();
        Handle& h = handles[handleName];
        if (kind == u"close") {
            h.session->close();
            continue;
        }
        if (kind == u"current_branch") {
            ASSERT_NE(h.advanced, nullptr);
            EXPECT_EQ(Json(h.advanced->currentBranch()), op[u"result"]);
            ++compared;
            continue;
        }

        Json kwargs = Json::object();
        for (const auto& [k, v] : op.asObject()) {
            if (k != u"op" && k != u"seq" && k != u"handle" && k != u"note" && k != u"result" && k != u"raised")
                kwargs.insert(k, v);
        }
        if (kind.startsWith(u"create_branch_from") && op[u"result"].isString()) {
            const auto m = generatedId.match(op[u"result"].toString());
            if (m.hasMatch())
                clock = m.captured(1).toLongLong();
        }
        const SdkOutcome out = SdkCall::invoke(*h.session, h.advanced, kind, kwargs);
        ASSERT_NE(out.kind, SdkOutcome::Kind::Failed) << out.message.toStdString();
        if (op.contains(u"raised")) {
            ASSERT_EQ(out.kind, SdkOutcome::Kind::Raised) << "expected " << show(op[u"raised"]) << " got " << show(out.result);
            EXPECT_EQ(out.exceptionType.toStdString(), op[u"raised"][u"type"].toString().toStdString());
            QString expected = op[u"raised"][u"message"].toString();
            expected.replace(QStringLiteral("{db_path}"), db);
            EXPECT_EQ(out.message.toStdString(), expected.toStdString());
        } else {
            ASSERT_EQ(out.kind, SdkOutcome::Kind::Returned) << out.exceptionType.toStdString() << ": " << out.message.toStdString();
            EXPECT_EQ(withoutTimestamps(out.result), withoutTimestamps(op[u"result"]))
                << "got      " << show(out.result) << "\nexpected " << show(op[u"result"]);
        }
        ++compared;
    }
    EXPECT_GT(compared, 10);
    handles.clear();

    // The file ends in the same state as the SDK's (row counts, reservations, generations).
    const Json expected = loadJson(tb::test::sdkFixture(name + QStringLiteral(".expected.json")));
    const Json& state = expected[u"final_state"];
    Json sequence = Json::object();
    for (const QVariantList& r : sqlRows(db, QStringLiteral("SELECT name, seq FROM sqlite_sequence")))
        sequence.insert(r.at(0).toString(), variantJson(r.at(1)));
    EXPECT_EQ(sequence, state[u"sqlite_sequence"]) << show(sequence);
    for (const Json& s : state[u"sessions"].asArray()) {
        const QString id = s[u"session_id"].toString();
        SCOPED_TRACE(id.toStdString());
        const auto count = [&](const QString& sql) { return sqlRows(db, sql, {id}).value(0).value(0).toLongLong(); };
        const Json& raw = s[u"raw"];
        EXPECT_EQ(count(QStringLiteral("SELECT COUNT(*) FROM agent_messages WHERE session_id = ?")), raw[u"message_rows"].toInt());
        if (raw.contains(u"structure_rows")) {
            EXPECT_EQ(count(QStringLiteral("SELECT COUNT(*) FROM message_structure WHERE session_id = ?")), raw[u"structure_rows"].toInt());
            EXPECT_EQ(count(QStringLiteral("SELECT COUNT(*) FROM turn_usage WHERE session_id = ?")), raw[u"turn_usage_rows"].toInt());
            Json::Array reservations;
            for (const QVariantList& r :
                 sqlRows(db, QStringLiteral("SELECT branch_id FROM branch_reservations WHERE session_id = ? ORDER BY branch_id"), {id}))
                reservations.push_back(Json(r.at(0).toString()));
            EXPECT_EQ(Json(std::move(reservations)), raw[u"branch_reservations"]);
            EXPECT_EQ(count(QStringLiteral("SELECT COALESCE(MAX(generation), 0) FROM session_clear_generations WHERE session_id = ?")),
                      raw[u"clear_generation"].toInt());
        }
    }
}

INSTANTIATE_TEST_SUITE_P(SdkFixtures, TranscriptReplay, ::testing::Values("basic", "multi"));

class ExpectedState : public ::testing::TestWithParam<const char*>
{
};

// Fresh objects on the SDK-written file report exactly what fresh SDK objects reported.
TEST_P(ExpectedState, FreshObjectsReportTheSdkAnswers)
{
    const QString name = QString::fromLatin1(GetParam());
    tb::test::TempDir dir;
    const QString db = tb::test::copySdkFixture(name + QStringLiteral(".db"), dir.path());
    const Json expected = loadJson(tb::test::sdkFixture(name + QStringLiteral(".expected.json")));
    const Json& state = expected[u"final_state"];
    const bool advanced = state[u"kind"].toString() == u"advanced";
    int compared = 0;

    auto call = [&](tb::core::Session& s, tb::core::BranchingSession* adv, const char* method, Json kwargs) {
        const SdkOutcome out = SdkCall::invoke(s, adv, QString::fromLatin1(method), kwargs);
        EXPECT_EQ(out.kind, SdkOutcome::Kind::Returned) << method << ": " << out.message.toStdString();
        ++compared;
        return out.result;
    };
    auto branchArg = [](const QString& b) {
        Json o = Json::object();
        o.insert(QStringLiteral("branch_id"), Json(b));
        return o;
    };

    for (const Json& s : state[u"sessions"].asArray()) {
        const QString id = s[u"session_id"].toString();
        SCOPED_TRACE(id.toStdString());
        // Timestamps are compared exactly here: we read the SDK's own rows.
        const auto sessionRow = sqlRows(db, QStringLiteral("SELECT created_at, updated_at FROM agent_sessions WHERE session_id = ?"), {id});
        ASSERT_EQ(sessionRow.size(), 1);
        EXPECT_EQ(sessionRow[0][0].toString(), s[u"raw"][u"sessions_row"][u"created_at"].toString());
        EXPECT_EQ(sessionRow[0][1].toString(), s[u"raw"][u"sessions_row"][u"updated_at"].toString());

        auto plain = tb::storage::PlainSqliteSession::open(db, id, {});
        ASSERT_TRUE(plain.has_value());
        EXPECT_EQ(call(**plain, nullptr, "get_items", Json::object()), s[u"sqlite_session_get_items"]);
        if (!advanced)
            continue;

        const Json& a = s[u"advanced"];
        auto fresh = [&]() {
            auto o = tb::storage::AdvancedSqliteSession::open(db, id, {});
            EXPECT_TRUE(o.has_value()) << (o ? "" : o.error().message.toStdString());
            return std::move(o).value();
        };
        auto adv = fresh();
        EXPECT_EQ(call(*adv, adv.get(), "list_branches", Json::object()), a[u"list_branches"]);
        EXPECT_EQ(call(*adv, adv.get(), "get_session_usage", Json::object()), a[u"get_session_usage"]);
        EXPECT_EQ(call(*adv, adv.get(), "get_items", Json::object()), a[u"get_items_default"]);
        for (const auto& [branch, b] : a[u"branches"].asObject()) {
            SCOPED_TRACE(branch.toStdString());
            auto s2 = fresh();
            for (const char* method : {"get_items", "get_conversation_turns", "get_conversation_by_turns", "get_tool_usage",
                                       "get_turn_usage", "get_session_usage"}) {
                const Json got = call(*s2, s2.get(), method, branchArg(branch));
                EXPECT_EQ(got, b[QString::fromLatin1(method)]) << method << "\ngot      " << show(got) << "\nexpected "
                                                               << show(b[QString::fromLatin1(method)]);
            }
        }
    }
    EXPECT_GE(compared, state[u"sessions"].size());
}

INSTANTIATE_TEST_SUITE_P(SdkFixtures, ExpectedState, ::testing::Values("basic", "multi"));

} // namespace
