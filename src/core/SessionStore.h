// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Result.h"
#include "Session.h"

#include <QList>
#include <QStringList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace tb::core {

/// How a session object is constructed, mirroring the SDK constructors' keyword arguments.
struct SessionOpenOptions
{
    bool createTables = false;           // AdvancedSQLiteSession(create_tables=True)
    std::optional<qint64> limit;         // session_settings.limit
};

/// Where an analyst's review of a session stands.
enum class ReviewStatus { New, InReview, Resolved, Escalated };

/// Stable names stored in the side table and used by the CLI.
inline QString reviewStatusName(ReviewStatus s)
{
    switch (s) {
    case ReviewStatus::New: return QStringLiteral("new");
    case ReviewStatus::InReview: return QStringLiteral("in_review");
    case ReviewStatus::Resolved: return QStringLiteral("resolved");
    case ReviewStatus::Escalated: return QStringLiteral("escalated");
    }
    return QStringLiteral("new");
}

inline std::optional<ReviewStatus> reviewStatusFromName(QStringView name)
{
    for (ReviewStatus s : {ReviewStatus::New, ReviewStatus::InReview, ReviewStatus::Resolved, ReviewStatus::Escalated}) {
        if (name == reviewStatusName(s))
            return s;
    }
    return std::nullopt;
}

/// Workbench metadata of a session (kept in the `tb_session_meta` side table, never in SDK tables).
struct SessionMeta
{
    QString title;
    QString customer;
    QStringList tags;
    ReviewStatus reviewStatus = ReviewStatus::New;
    QString notes;
};

/// Workbench metadata of a branch: the SDK stores no lineage, names or notes.
struct BranchMeta
{
    QString branchId;
    QString displayName;
    std::optional<QString> parentBranch;
    std::optional<qint64> forkTurn;
    bool preferred = false;
    QString note;
    QString outcome;
};

/// One model request of a run, recorded by the workbench beside the SDK's per-turn aggregate.
struct RequestUsage
{
    QString sessionId;
    QString branchId;
    qint64 userTurnNumber = 0;
    QString model;
    QString endpoint;
    QString startedAt;           // UTC "YYYY-MM-DD HH:MM:SS.zzz"
    qint64 latencyMs = 0;
    std::optional<qint64> timeToFirstTokenMs;
    qint64 inputTokens = 0;
    qint64 cachedTokens = 0;
    qint64 outputTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 totalTokens = 0;
};

/// The model an analyst assigned for pricing usage the workbench has no request rows for (the SDK's
/// turn_usage names no model). The narrowest scope wins: branch, then session, then file.
struct ModelAssignment
{
    QString sessionId; // empty: the whole file
    QString branchId;  // empty: the whole session
    QString model;     // empty in setModelAssignment(): remove the assignment
};

/// One message that matched a full-text search, located in a session, branch and turn.
struct SearchHit
{
    QString sessionId;
    QString branchId;             // the first branch holding the message (main preferred)
    std::optional<qint64> turn;
    qint64 messageId = 0;
    QString role;                 // user, assistant, tool ... for display
    QString snippet;              // text around the match
};

/// A slice of a full-text search: the search walks message rows in id order so that it can show
/// progress, be cancelled between slices, and never hold the database for long.
struct SearchSlice
{
    QList<SearchHit> hits;
    qint64 lastId = 0;            // continue after this id
    qint64 maxId = 0;             // highest message id in the file (for progress)
    bool done = false;
};

/// What the SDK has no call for: one row of the session listing of a database.
struct SessionSummary
{
    QString sessionId;
    SessionMeta meta;
    qint64 itemCount = 0;     // message rows of the session (all branches)
    qint64 turnCount = 0;     // user turns on main
    qint64 branchCount = 0;   // branches with structure rows (main included)
    QString firstActivity;    // agent_sessions.created_at
    QString lastActivity;     // agent_sessions.updated_at
    qint64 totalTokens = 0;   // sum of turn_usage.total_tokens over all branches
    qint64 inputTokens = 0;   // the parts of it, for cost estimates
    qint64 cachedTokens = 0;
    qint64 outputTokens = 0;
    QString model;            // the last model the workbench recorded for the session, if any
};

enum class SessionSortKey { SessionId, Items, Turns, Branches, FirstActivity, LastActivity, Tokens, Title, Customer, ReviewStatus };

struct SessionQuery
{
    QString filter;                               // substring of id, title, customer or tag (ASCII case-insensitive)
    SessionSortKey sort = SessionSortKey::LastActivity;
    bool descending = true;
    qint64 limit = 100;                           // < 0: all
    qint64 offset = 0;
};

/// What SessionStore::scanUsage() reads: the usage of many sessions in one pass, for reports over
/// a whole file or workspace (opening a session object per session is far too slow for 10,000).
struct UsageScan
{
    QStringList sessionIds;          // empty: every session of the store
    std::optional<QString> branchId; // nullopt: every branch
    bool tools = true;               // also count tool calls (reads message_structure)
};

/// One turn_usage row (spec §6.7) with its details read: what get_turn_usage reports, flattened.
/// NULL counters read as 0, so sums equal get_session_usage's.
struct UsageRow
{
    QString sessionId;
    QString branchId;
    qint64 turn = 0;
    qint64 requests = 0;
    qint64 inputTokens = 0;
    qint64 cachedTokens = 0;    // input_tokens_details.cached_tokens (0 when absent or not JSON)
    qint64 outputTokens = 0;
    qint64 reasoningTokens = 0; // output_tokens_details.reasoning_tokens
    qint64 totalTokens = 0;
    QString createdAt;          // turn_usage.created_at, UTC "YYYY-MM-DD HH:MM:SS"
};

/// Tool calls of one (session, branch, turn, tool), counted exactly as get_tool_usage counts them.
struct ToolCountRow
{
    QString sessionId;
    QString branchId;
    std::optional<qint64> turn;
    std::optional<QString> tool;
    qint64 count = 0;
};

/// The workbench's request rows (tb_request_usage) of one turn, grouped by model.
struct RequestModelRow
{
    QString sessionId;
    QString branchId;
    qint64 turn = 0;
    QString model;
    qint64 requests = 0;
    qint64 totalTokens = 0;
};

/// Receives what scanUsage() reads, in slices of sessions: the metadata of a slice's sessions
/// first, then their turn, tool and request rows (each kind in session, branch, turn order).
/// Null callbacks are skipped; one returning false stops the scan (Error::Code::Cancelled).
struct UsageSink
{
    std::function<bool(const QString& sessionId, const SessionMeta& meta)> session;
    std::function<bool(const UsageRow&)> turn;
    std::function<bool(const ToolCountRow&)> tool;
    std::function<bool(const RequestModelRow&)> requestModel;
    /// Sessions read of all the scan will read (a workspace may scale both), every few hundred.
    std::function<bool(qint64 done, qint64 total)> progress;
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

    /// Searches the decoded text of messages (case-insensitive, any language) after `afterId`,
    /// reading at most `rows` message rows.
    virtual Result<SearchSlice> searchMessages(const QString& term, qint64 afterId, qint64 rows) = 0;

    // --- Workbench side tables (created on the first write that needs them) ---
    virtual Result<SessionMeta> sessionMeta(const QString& sessionId) = 0;
    virtual Result<void> setSessionMeta(const QString& sessionId, const SessionMeta& meta) = 0;
    virtual Result<std::optional<QString>> lastViewedBranch(const QString& sessionId) = 0;
    virtual Result<void> setLastViewedBranch(const QString& sessionId, const QString& branchId) = 0;
    virtual Result<QList<BranchMeta>> branchMeta(const QString& sessionId) = 0;
    virtual Result<void> setBranchMeta(const QString& sessionId, const BranchMeta& meta) = 0;
    virtual Result<void> recordRequestUsage(const RequestUsage& row) = 0;
    virtual Result<QList<RequestUsage>> requestUsage(const QString& sessionId, const std::optional<QString>& branchId) = 0;
    /// Every model assignment of the file (session ids as this store names them).
    virtual Result<QList<ModelAssignment>> modelAssignments() = 0;
    virtual Result<void> setModelAssignment(const ModelAssignment& assignment) = 0;

    /// Usage rows of the sessions of `scan` (session ids as this store names them) in session id
    /// order, without opening session objects.
    virtual Result<void> scanUsage(const UsageScan& scan, const UsageSink& sink) = 0;

    // --- Production safety ---
    /// A file flagged as production (tb_meta) gets what-if work in scratch copies only.
    virtual Result<bool> isProductionFile() = 0;
    virtual Result<void> setProductionFile(bool production) = 0;
    /// Items of the session without structure rows: a plain SQLiteSession writes (and reads) it,
    /// so a branch's rows would become part of that reader's conversation.
    virtual Result<qint64> unstructuredItemCount(const QString& sessionId) = 0;

    /// An `SQLiteSession` object.
    virtual Result<std::unique_ptr<Session>> openPlainSession(const QString& sessionId,
                                                              const SessionOpenOptions& options) = 0;
    /// An `AdvancedSQLiteSession` object (the constructor's ownership check included).
    virtual Result<std::unique_ptr<BranchingSession>> openSession(const QString& sessionId,
                                                                  const SessionOpenOptions& options) = 0;
};

} // namespace tb::core
