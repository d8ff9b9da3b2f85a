// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/SessionStore.h"

namespace tb::storage {

class SqliteConnection;

/// The workbench's own side tables (`tb_` prefix) in a session database: what the SDK has no
/// place for. They carry no foreign keys, so the SDK's ownership check never sees them, and they
/// are created by the first write that needs them: reading a file leaves it as it was.
class WorkbenchTables final
{
public:
    explicit WorkbenchTables(SqliteConnection& connection) : m_c(connection) {}

    /// Current layout version, recorded in tb_meta; migrations key off it.
    static constexpr int kSchemaVersion = 1;

    core::Result<core::SessionMeta> sessionMeta(const QString& sessionId);
    core::Result<void> setSessionMeta(const QString& sessionId, const core::SessionMeta& meta);
    core::Result<std::optional<QString>> lastViewedBranch(const QString& sessionId);
    core::Result<void> setLastViewedBranch(const QString& sessionId, const QString& branchId);
    core::Result<QList<core::BranchMeta>> branchMeta(const QString& sessionId);
    core::Result<void> setBranchMeta(const QString& sessionId, const core::BranchMeta& meta);
    core::Result<void> recordRequestUsage(const core::RequestUsage& row);
    core::Result<QList<core::RequestUsage>> requestUsage(const QString& sessionId, const std::optional<QString>& branchId);

    /// The file's production flag (tb_meta 'production' = '1'): what-if work on such a file goes to
    /// scratch copies and promoting a branch is refused.
    core::Result<bool> isProductionFile();
    core::Result<void> setProductionFile(bool production);
    /// Model assignments for pricing (tb_model_assignment); see core::ModelAssignment.
    core::Result<QList<core::ModelAssignment>> modelAssignments();
    core::Result<void> setModelAssignment(const core::ModelAssignment& assignment);

    /// True when tb_session_meta exists (the listing joins it only then).
    bool hasSessionMeta();

    static QStringList decodeTags(const QString& json);
    static QString encodeTags(const QStringList& tags);

private:
    core::Result<void> ensure();
    bool exists(const QString& table);

    SqliteConnection& m_c;
    bool m_ensured = false;
};

} // namespace tb::storage
