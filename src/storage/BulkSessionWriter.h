// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/ConversationGenerator.h"
#include "core/Result.h"
#include "core/SessionStore.h"

#include <QDateTime>
#include <QHash>

#include <memory>

namespace tb::storage {

class SqliteConnection;
class WorkbenchTables;

/// Writes many sessions fast (demo and benchmark databases) with exactly the rows the SDK would
/// leave after the same add_items / store_run_usage / create_branch_from_turn calls, but with
/// prepared statements in large transactions and explicit timestamps spread over time.
class BulkSessionWriter final
{
public:
    ~BulkSessionWriter();
    BulkSessionWriter(const BulkSessionWriter&) = delete;
    BulkSessionWriter& operator=(const BulkSessionWriter&) = delete;

    /// Opens (creating if needed) a file with the SDK's advanced schema.
    static core::Result<std::unique_ptr<BulkSessionWriter>> open(const QString& path);

    core::Result<void> begin();
    core::Result<void> commit();

    /// Appends generated exchanges to a branch: per turn one add_items of its items and one
    /// store_run_usage of its usage, at `start + i * step`.
    core::Result<void> appendTurns(const QString& sessionId, const QString& branchId, const QList<core::GeneratedTurn>& turns,
                                   const QDateTime& start, qint64 stepSeconds);
    /// create_branch_from_turn(fromTurn, name) from `sourceBranch`, at `at`.
    core::Result<void> createBranch(const QString& sessionId, const QString& sourceBranch, qint64 fromTurn, const QString& name,
                                    const QDateTime& at);
    core::Result<void> setSessionMeta(const QString& sessionId, const core::SessionMeta& meta);
    core::Result<void> setBranchMeta(const QString& sessionId, const core::BranchMeta& meta);

private:
    BulkSessionWriter();
    struct SessionState
    {
        qint64 maxSequence = 0;
        QHash<QString, qint64> maxTurn; // per branch
        bool exists = false;
    };
    core::Result<SessionState*> state(const QString& sessionId);
    core::Result<void> prepareStatements();

    std::unique_ptr<SqliteConnection> m_conn;
    std::unique_ptr<WorkbenchTables> m_tables;
    QHash<QString, SessionState> m_sessions;
    struct Statements;
    std::unique_ptr<Statements> m_st;
};

} // namespace tb::storage
