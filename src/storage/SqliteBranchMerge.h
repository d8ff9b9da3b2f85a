// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "SdkSchema.h"
#include "core/BranchMerge.h"

#include <QDateTime>

#include <functional>
#include <memory>

namespace tb::storage {

class SqliteConnection;

/// core::BranchMerge on an SDK session file, with its own connection (as every SDK session object
/// has one). A promote is one write transaction that renames branch ids (spec sdk-sessions.md:
/// a branch is nothing but the branch_id of its message_structure and turn_usage rows); a carry
/// appends through AdvancedSqliteSession::addItems, the SDK's add_items, then links the row.
class SqliteBranchMerge final : public core::BranchMerge
{
public:
    struct Options
    {
        bool readOnly = false; // carriedFindings() only; a file that cannot be written opens so too
        SdkSchema::Tables tables;
        /// Wall clock; the old main's default name takes its UTC date.
        std::function<QDateTime()> now;
    };

    static core::Result<std::unique_ptr<SqliteBranchMerge>> open(const QString& path, const Options& options);
    static core::Result<std::unique_ptr<SqliteBranchMerge>> open(const QString& path) { return open(path, Options()); }
    ~SqliteBranchMerge() override;
    SqliteBranchMerge(const SqliteBranchMerge&) = delete;
    SqliteBranchMerge& operator=(const SqliteBranchMerge&) = delete;

    [[nodiscard]] bool isReadOnly() const;

    core::Result<core::PromotePlan> planPromote(const QString& sessionId, const QString& branchId,
                                                const std::optional<QString>& oldMainName = std::nullopt) override;
    core::Result<core::PromoteOutcome> promote(const QString& sessionId, const QString& branchId,
                                               const std::optional<QString>& oldMainName = std::nullopt) override;
    core::Result<void> checkCarry(const QString& sessionId, const QString& branchId) override;
    core::Result<core::CarryOutcome> carry(const QString& sessionId, const QString& branchId,
                                           const QString& text) override;
    core::Result<QList<core::CarriedFinding>> carriedFindings(const QString& sessionId) override;
    core::Result<void> undo(const core::MergeUndo& undo) override;

private:
    SqliteBranchMerge();

    enum class Operation {
        Promote,
        Carry
    };
    core::Result<void> checkWritable(Operation op);
    core::Result<void> checkSession(const QString& sessionId, const QString& branchId);
    core::Result<core::PromotePlan> plan(const QString& sessionId, const QString& branchId,
                                         const std::optional<QString>& oldMainName);
    core::Result<bool> nameTaken(const QString& sessionId, const QString& name);
    core::Result<qint64> count(const QString& sql, const QVariantList& binds);

    core::Result<core::RowSnapshot> snapshot(const QString& sessionId, const QString& table,
                                             const QString& scopeColumn = {}, const QVariantList& scopeValues = {});
    core::Result<void> restore(const QString& sessionId, const core::RowSnapshot& rows);
    core::Result<QStringList> columns(const QString& table);
    core::Result<std::optional<qint64>> sequence(const QString& table);
    /// SHA-256 over every row of the session in every table with a session_id column, except the
    /// workbench's view state and notes (reading or annotating must not block an undo).
    core::Result<QByteArray> digest(const QString& sessionId);
    core::Result<void> restoreAll(const core::MergeUndo& undo);

    std::unique_ptr<SqliteConnection> m_conn;
    QString m_path;
    Options m_options;
};

} // namespace tb::storage
