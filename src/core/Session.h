// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Json.h"
#include "Result.h"
#include "SessionTypes.h"

#include <QList>
#include <QString>

#include <optional>

namespace tb::core {

/// The Agents SDK's Session protocol (`get_items`, `add_items`, `pop_item`, `clear_session`),
/// one object per session id, with the semantics of `SQLiteSession` (spec §5). Every call returns
/// what the SDK returns or the error it raises (Error::Code::Value/Runtime/Type) with its message.
class Session
{
public:
    virtual ~Session() = default;

    [[nodiscard]] virtual QString sessionId() const = 0;
    /// `session_settings.limit`, applied when a call passes no limit.
    [[nodiscard]] virtual std::optional<qint64> limitSetting() const = 0;

    virtual Result<QList<Json>> getItems(std::optional<qint64> limit = std::nullopt) = 0;
    virtual Result<void> addItems(const QList<Json>& items) = 0;
    virtual Result<std::optional<Json>> popItem() = 0;
    virtual Result<void> clearSession() = 0;
    /// Further calls fail with RuntimeError "SQLiteSession is closed".
    virtual void close() = 0;
};

/// `AdvancedSQLiteSession` (spec §6): branches, turns and usage on top of the items. The current
/// branch lives in this object only, exactly as in the SDK.
class BranchingSession : public Session
{
public:
    using Session::getItems;

    [[nodiscard]] virtual QString currentBranch() const = 0;
    /// Sets the in-memory pointer without validation (what assigning `_current_branch_id` does).
    virtual void setCurrentBranch(const QString& branchId) = 0;

    virtual Result<QList<Json>> getItems(std::optional<qint64> limit, const std::optional<QString>& branchId) = 0;

    virtual Result<QString> createBranchFromTurn(qint64 turnNumber, const std::optional<QString>& branchName) = 0;
    virtual Result<QString> createBranchFromContent(const QString& searchTerm,
                                                    const std::optional<QString>& branchName) = 0;
    virtual Result<void> switchToBranch(const QString& branchId) = 0;
    virtual Result<void> deleteBranch(const QString& branchId, bool force) = 0;
    virtual Result<QList<BranchInfo>> listBranches() = 0;

    /// `store_run_usage`: never fails in the SDK (errors are logged); the Result only reports
    /// whether something was written, for callers who care.
    virtual Result<void> storeRunUsage(const std::optional<RunUsage>& usage) = 0;
    virtual Result<std::optional<SessionUsage>> getSessionUsage(const std::optional<QString>& branchId) = 0;
    /// With a turn: that turn's usage (nullopt = the SDK's `{}`).
    virtual Result<std::optional<TurnUsage>> getTurnUsage(qint64 userTurnNumber,
                                                          const std::optional<QString>& branchId) = 0;
    /// Without a turn: every usage row of the branch ordered by turn.
    virtual Result<QList<TurnUsage>> getTurnUsages(const std::optional<QString>& branchId) = 0;
    virtual Result<QList<ToolUsage>> getToolUsage(const std::optional<QString>& branchId) = 0;

    virtual Result<QList<ConversationTurn>> getConversationTurns(const std::optional<QString>& branchId) = 0;
    virtual Result<QList<TurnItems>> getConversationByTurns(const std::optional<QString>& branchId) = 0;
    virtual Result<QList<ConversationTurn>> findTurnsByContent(const QString& searchTerm,
                                                               const std::optional<QString>& branchId) = 0;

    // --- Workbench reads beyond the SDK (never write) ---

    /// Rows of a branch in sequence order, `offset`/`limit` for lazy paging (limit < 0: all).
    virtual Result<QList<StoredItem>> branchItems(const QString& branchId, qint64 offset, qint64 limit) = 0;
    /// Rows after `afterSequence` (keyset paging: the cost does not grow with the position).
    virtual Result<QList<StoredItem>> branchItemsAfter(const QString& branchId, qint64 afterSequence, qint64 limit) = 0;
    /// Number of structure rows of a branch.
    virtual Result<qint64> branchItemCount(const QString& branchId) = 0;
    /// turn_usage rows of turns `fromTurn`..`toTurn` of a branch (get_turn_usage for a range).
    virtual Result<QList<TurnUsage>> turnUsagesBetween(const QString& branchId, qint64 fromTurn, qint64 toTurn) = 0;
};

} // namespace tb::core
