// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Result.h"
#include "Session.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace tb::core {

/// How a session object is constructed, mirroring the SDK constructors' keyword arguments.
struct SessionOpenOptions
{
    bool createTables = false;           // AdvancedSQLiteSession(create_tables=True)
    std::optional<qint64> limit;         // session_settings.limit
};

/// What the SDK has no call for: one row of the session listing of a database.
struct SessionSummary
{
    QString sessionId;
    qint64 itemCount = 0;     // message rows of the session (all branches)
    qint64 turnCount = 0;     // user turns on main
    qint64 branchCount = 0;   // branches with structure rows (main included)
    QString firstActivity;    // agent_sessions.created_at
    QString lastActivity;     // agent_sessions.updated_at
    qint64 totalTokens = 0;   // sum of turn_usage.total_tokens over all branches
};

enum class SessionSortKey { SessionId, Items, Turns, Branches, FirstActivity, LastActivity, Tokens };

struct SessionQuery
{
    QString filter;                               // substring of the session id (case-insensitive)
    SessionSortKey sort = SessionSortKey::LastActivity;
    bool descending = true;
    qint64 limit = 100;                           // < 0: all
    qint64 offset = 0;
};

/// Which generation of the SDK schema a file holds.
enum class SchemaKind {
    Empty,     // no SDK tables yet
    Plain,     // SQLiteSession tables only
    Advanced,  // AdvancedSQLiteSession tables
};

/// One session database file. Session objects made from it behave as SDK objects on that file
/// (each with its own connection and its own current branch).
class SessionStore
{
public:
    virtual ~SessionStore() = default;

    [[nodiscard]] virtual QString path() const = 0;
    [[nodiscard]] virtual bool isReadOnly() const = 0;
    [[nodiscard]] virtual SchemaKind schemaKind() const = 0;

    virtual Result<QList<SessionSummary>> listSessions(const SessionQuery& query) = 0;
    virtual Result<qint64> countSessions(const QString& filter) = 0;

    /// An `SQLiteSession` object.
    virtual Result<std::unique_ptr<Session>> openPlainSession(const QString& sessionId,
                                                              const SessionOpenOptions& options) = 0;
    /// An `AdvancedSQLiteSession` object (the constructor's ownership check included).
    virtual Result<std::unique_ptr<BranchingSession>> openSession(const QString& sessionId,
                                                                  const SessionOpenOptions& options) = 0;
};

} // namespace tb::core
