// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <memory>

#include "SdkSchema.h"

#include "core/Session.h"

#include <functional>

namespace tb::storage {

class SqliteConnection;

/// The SDK's `AdvancedSQLiteSession` on a file (spec §6), call for call: same SQL effects, same
/// results, same errors. The current branch and the cached clear generation live in this object,
/// as they live in the Python object.
class AdvancedSqliteSession final : public core::BranchingSession
{
public:
    struct Options
    {
        bool createTables = false;
        std::optional<qint64> limit;
        bool readOnly = false;  // browse only: skip the constructor's writes, refuse writes
        SdkSchema::Tables tables;
        /// Wall clock in whole seconds, for generated branch ids (injectable for tests).
        std::function<qint64()> unixSeconds;
    };

    static core::Result<std::unique_ptr<AdvancedSqliteSession>> open(const QString& dbPath, const QString& sessionId,
                                                                     const Options& options);

    QString sessionId() const override { return m_sessionId; }
    std::optional<qint64> limitSetting() const override { return m_options.limit; }
    QString currentBranch() const override { return m_currentBranch; }
    void setCurrentBranch(const QString& branchId) override { m_currentBranch = branchId; }

    core::Result<QList<core::Json>> getItems(std::optional<qint64> limit = std::nullopt) override
    {
        return getItems(limit, std::nullopt);
    }
    core::Result<QList<core::Json>> getItems(std::optional<qint64> limit, const std::optional<QString>& branchId) override;
    core::Result<void> addItems(const QList<core::Json>& items) override;
    core::Result<std::optional<core::Json>> popItem() override;
    core::Result<void> clearSession() override;
    void close() override;

    core::Result<QString> createBranchFromTurn(qint64 turnNumber, const std::optional<QString>& branchName) override;
    core::Result<QString> createBranchFromContent(const QString& searchTerm, const std::optional<QString>& branchName) override;
    core::Result<void> switchToBranch(const QString& branchId) override;
    core::Result<void> deleteBranch(const QString& branchId, bool force) override;
    core::Result<QList<core::BranchInfo>> listBranches() override;

    core::Result<void> storeRunUsage(const std::optional<core::RunUsage>& usage) override;
    core::Result<std::optional<core::SessionUsage>> getSessionUsage(const std::optional<QString>& branchId) override;
    core::Result<std::optional<core::TurnUsage>> getTurnUsage(qint64 userTurnNumber,
                                                              const std::optional<QString>& branchId) override;
    core::Result<QList<core::TurnUsage>> getTurnUsages(const std::optional<QString>& branchId) override;
    core::Result<QList<core::ToolUsage>> getToolUsage(const std::optional<QString>& branchId) override;

    core::Result<QList<core::ConversationTurn>> getConversationTurns(const std::optional<QString>& branchId) override;
    core::Result<QList<core::TurnItems>> getConversationByTurns(const std::optional<QString>& branchId) override;
    core::Result<QList<core::ConversationTurn>> findTurnsByContent(const QString& searchTerm,
                                                                   const std::optional<QString>& branchId) override;

    core::Result<QList<core::StoredItem>> branchItems(const QString& branchId, qint64 offset, qint64 limit) override;
    core::Result<QList<core::StoredItem>> branchItemsAfter(const QString& branchId, qint64 afterSequence, qint64 limit) override;
    core::Result<qint64> branchItemCount(const QString& branchId) override;
    core::Result<QList<core::TurnUsage>> turnUsagesBetween(const QString& branchId, qint64 fromTurn, qint64 toTurn) override;

private:
    AdvancedSqliteSession();
    core::Result<QList<core::StoredItem>> readItems(const QString& sql, const QVariantList& binds);
    core::Result<QList<core::TurnUsage>> readUsages(const QString& where, const QVariantList& binds);

public:
    ~AdvancedSqliteSession() override;

private:
    core::Result<void> checkOpen() const;
    core::Result<void> init();
    /// §6.8 refresh. `initialize` creates the generation table/row (write paths); otherwise a
    /// missing table means nothing to compare.
    core::Result<void> refreshAfterExternalClear(bool initialize);
    core::Result<QString> resolveReadBranch(const std::optional<QString>& branchId);
    core::Result<qint64> storedGeneration();
    core::Result<void> commitBranchPointer(const QString& branchId, qint64 generation);
    core::Result<void> cleanupOrphans();
    /// Structure rows of a branch: "does it exist" for switch/delete, and branchItemCount().
    core::Result<qint64> branchRowCount(const QString& branchId);
    core::Result<QString> reserveBranchId(const std::optional<QString>& name, qint64 turnNumber);
    core::Result<QList<core::ConversationTurn>> userTurns(const QString& extraWhere, const QVariantList& extraBinds,
                                                          const std::optional<QString>& branchId, bool preview);

    std::unique_ptr<SqliteConnection> m_connPtr;
    SqliteConnection& m_conn;
    QString m_dbPath;
    QString m_sessionId;
    Options m_options;
    QString m_currentBranch = QStringLiteral("main");
    qint64 m_generation = 0;
    bool m_closed = false;
};

} // namespace tb::storage
