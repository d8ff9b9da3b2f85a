// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <memory>


#include "core/SessionStore.h"

namespace tb::storage {

class SqliteConnection;
class WorkbenchTables;

/// A session database file: the listing the SDK lacks, and SDK session objects on the file.
/// Opening and listing never write to the file (no pragma, no table creation); a file that is
/// not writable opens read-only, and a read-only store only hands out read-only sessions.
class SqliteSessionStore final : public core::SessionStore
{
public:
    struct Options
    {
        bool readOnly = false;
        bool create = false; // create an empty file with the SDK's advanced schema if missing
    };

    static core::Result<std::unique_ptr<SqliteSessionStore>> open(const QString& path, const Options& options);

    QString path() const override { return m_path; }
    bool isReadOnly() const override { return m_readOnly; }
    core::SchemaKind schemaKind() const override { return m_kind; }

    core::Result<QList<core::SessionSummary>> listSessions(const core::SessionQuery& query) override;
    core::Result<qint64> countSessions(const QString& filter) override;
    core::Result<core::SearchSlice> searchMessages(const QString& term, qint64 afterId, qint64 rows) override;
    core::Result<core::SessionMeta> sessionMeta(const QString& sessionId) override;
    core::Result<void> setSessionMeta(const QString& sessionId, const core::SessionMeta& meta) override;
    core::Result<std::optional<QString>> lastViewedBranch(const QString& sessionId) override;
    core::Result<void> setLastViewedBranch(const QString& sessionId, const QString& branchId) override;
    core::Result<QList<core::BranchMeta>> branchMeta(const QString& sessionId) override;
    core::Result<void> setBranchMeta(const QString& sessionId, const core::BranchMeta& meta) override;
    core::Result<void> recordRequestUsage(const core::RequestUsage& row) override;
    core::Result<QList<core::RequestUsage>> requestUsage(const QString& sessionId,
                                                         const std::optional<QString>& branchId) override;
    core::Result<QList<core::ModelAssignment>> modelAssignments() override;
    core::Result<void> setModelAssignment(const core::ModelAssignment& assignment) override;
    core::Result<void> scanUsage(const core::UsageScan& scan, const core::UsageSink& sink) override;
    core::Result<bool> isProductionFile() override;
    core::Result<void> setProductionFile(bool production) override;
    core::Result<qint64> unstructuredItemCount(const QString& sessionId) override;

    core::Result<std::unique_ptr<core::Session>> openPlainSession(const QString& sessionId,
                                                                  const core::SessionOpenOptions& options) override;
    core::Result<std::unique_ptr<core::BranchingSession>> openSession(const QString& sessionId,
                                                                      const core::SessionOpenOptions& options) override;

private:
    SqliteSessionStore();

public:
    ~SqliteSessionStore() override;

private:
    core::Result<void> detectSchema();

    std::unique_ptr<SqliteConnection> m_connPtr;
    SqliteConnection& m_conn;
    std::unique_ptr<WorkbenchTables> m_tables;
    QString m_path;
    bool m_readOnly = false;
    core::SchemaKind m_kind = core::SchemaKind::Empty;
};

} // namespace tb::storage
