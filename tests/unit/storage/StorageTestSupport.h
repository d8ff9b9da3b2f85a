// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

// Shared helpers of the storage unit tests: JSON literals, raw SQL on a side connection (the way
// another process or the SDK would see the file), file checksums and SDK error assertions.
// Expected values in these tests come from spec sdk-sessions.md and were cross-checked against the
// SDK's own session modules (Python 3.11.7, SQLite 3.40.1).

#include "GTestPrinters.h"
#include "RawDb.h"
#include "TempDir.h"
#include "TestData.h"

#include "core/Error.h"
#include "core/Json.h"
#include "core/Session.h"
#include "storage/AdvancedSqliteSession.h"
#include "storage/PlainSqliteSession.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>
#include <QVariant>

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

// gtest printers, so failing comparisons show readable values.

namespace tb::test::storage {

using namespace Qt::StringLiterals;
using tb::test::RawDb;
using core::Error;
using core::Json;
using tb::storage::AdvancedSqliteSession;
using tb::storage::PlainSqliteSession;

/// Parses JSON text that must be valid (UTF-8).
inline Json J(const char* text)
{
    auto r = Json::parse(QByteArray(text));
    EXPECT_TRUE(r.has_value()) << "bad JSON literal in test: " << text;
    return r ? std::move(r).value() : Json();
}

inline QList<Json> Items(std::initializer_list<const char*> texts)
{
    QList<Json> out;
    for (const char* t : texts)
        out.push_back(J(t));
    return out;
}

inline std::string S(const QString& s)
{
    return s.toStdString();
}

/// A read-write side connection (no WAL pragma, no busy handler games) for raw SQL.

inline QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

inline QByteArray sha256(const QString& path)
{
    return QCryptographicHash::hash(fileBytes(path), QCryptographicHash::Sha256).toHex();
}

inline QByteArray dumpItems(const QList<Json>& items)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            out += ", ";
        out += items.at(i).dump();
    }
    return out + "]";
}

/// Opens an AdvancedSqliteSession; fails the test fatally (returns null) if it cannot.
inline std::unique_ptr<AdvancedSqliteSession> openAdvanced(const QString& path, const QString& sessionId, bool createTables = true,
                                                           std::optional<qint64> limit = std::nullopt,
                                                           std::function<qint64()> clock = {})
{
    AdvancedSqliteSession::Options o;
    o.createTables = createTables;
    o.limit = limit;
    o.unixSeconds = std::move(clock);
    auto s = AdvancedSqliteSession::open(path, sessionId, o);
    EXPECT_TRUE(s.has_value()) << (s ? std::string() : S(s.error().message));
    return s ? std::move(s).value() : nullptr;
}

inline std::unique_ptr<PlainSqliteSession> openPlain(const QString& path, const QString& sessionId,
                                                     std::optional<qint64> limit = std::nullopt)
{
    PlainSqliteSession::Options o;
    o.limit = limit;
    auto s = PlainSqliteSession::open(path, sessionId, o);
    EXPECT_TRUE(s.has_value()) << (s ? std::string() : S(s.error().message));
    return s ? std::move(s).value() : nullptr;
}

inline const char* codeName(Error::Code c)
{
    switch (c) {
    case Error::Code::Value: return "Value";
    case Error::Code::Runtime: return "Runtime";
    case Error::Code::Type: return "Type";
    case Error::Code::Storage: return "Storage";
    case Error::Code::Format: return "Format";
    case Error::Code::Argument: return "Argument";
    case Error::Code::ReadOnly: return "ReadOnly";
    default: return "other";
    }
}

/// Asserts that a Result failed with exactly this SDK exception type and message.
template <typename R>
::testing::AssertionResult failsWith(const R& r, Error::Code code, const QString& message)
{
    if (r.has_value())
        return ::testing::AssertionFailure() << "succeeded, expected " << codeName(code) << "Error: " << S(message);
    if (r.error().code != code || r.error().message != message) {
        return ::testing::AssertionFailure() << "got " << codeName(r.error().code) << ": " << S(r.error().message) << "\nexpected "
                                             << codeName(code) << ": " << S(message);
    }
    return ::testing::AssertionSuccess();
}

template <typename R>
::testing::AssertionResult succeeded(const R& r)
{
    if (r.has_value())
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << codeName(r.error().code) << ": " << S(r.error().message);
}

#define TB_EXPECT_VALUE_ERROR(expr, msg) EXPECT_TRUE(::tb::test::storage::failsWith((expr), ::tb::core::Error::Code::Value, (msg)))
#define TB_EXPECT_RUNTIME_ERROR(expr, msg) EXPECT_TRUE(::tb::test::storage::failsWith((expr), ::tb::core::Error::Code::Runtime, (msg)))
#define TB_EXPECT_TYPE_ERROR(expr, msg) EXPECT_TRUE(::tb::test::storage::failsWith((expr), ::tb::core::Error::Code::Type, (msg)))
#define TB_ASSERT_OK(expr) ASSERT_TRUE(::tb::test::storage::succeeded((expr)))
#define TB_EXPECT_OK(expr) EXPECT_TRUE(::tb::test::storage::succeeded((expr)))

/// A usage record for store_run_usage.
inline core::RunUsage usage(qint64 requests, qint64 input, qint64 output, qint64 total, qint64 cacheWrite = 0, qint64 cached = 0,
                            qint64 reasoning = 0)
{
    core::RunUsage u;
    u.requests = requests;
    u.inputTokens = input;
    u.outputTokens = output;
    u.totalTokens = total;
    u.cacheWriteTokens = cacheWrite;
    u.cachedTokens = cached;
    u.reasoningTokens = reasoning;
    return u;
}

/// The branch ids of list_branches() in order, with a '*' suffix on the current one.
inline QStringList branchList(core::BranchingSession& s)
{
    QStringList out;
    auto r = s.listBranches();
    EXPECT_TRUE(r.has_value());
    if (!r)
        return out;
    for (const core::BranchInfo& b : *r)
        out << (b.branchId + (b.isCurrent ? QStringLiteral("*") : QString()));
    return out;
}

/// The decoded items of get_items() as one JSON text (key order as stored).
inline QByteArray itemsText(core::BranchingSession& s, std::optional<qint64> limit = std::nullopt,
                            const std::optional<QString>& branch = std::nullopt)
{
    auto r = s.getItems(limit, branch);
    EXPECT_TRUE(r.has_value()) << (r ? std::string() : S(r.error().message));
    return r ? dumpItems(*r) : QByteArray("<error>");
}

inline QByteArray itemsText(core::Session& s, std::optional<qint64> limit = std::nullopt)
{
    auto r = s.getItems(limit);
    EXPECT_TRUE(r.has_value()) << (r ? std::string() : S(r.error().message));
    return r ? dumpItems(*r) : QByteArray("<error>");
}

/// A small conversation: user/assistant pairs "u1".."uN" / "a1".."aN" added one batch per turn.
inline void addTurns(core::Session& s, int from, int to)
{
    for (int i = from; i <= to; ++i) {
        QList<Json> batch;
        Json u = Json::object();
        u.insert(QStringLiteral("role"), Json(QStringLiteral("user")));
        u.insert(QStringLiteral("content"), Json(QStringLiteral("u%1").arg(i)));
        Json a = Json::object();
        a.insert(QStringLiteral("role"), Json(QStringLiteral("assistant")));
        a.insert(QStringLiteral("content"), Json(QStringLiteral("a%1").arg(i)));
        batch << u << a;
        auto r = s.addItems(batch);
        EXPECT_TRUE(r.has_value()) << (r ? std::string() : S(r.error().message));
    }
}

} // namespace tb::test::storage
