// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Result.h"

#include <QString>

namespace tb::storage {

class SqliteConnection;

/// The Agents SDK's tables (spec §3): DDL with the SDK's exact text, so sqlite_master of a file we
/// create reads like one the SDK created, and the ownership check of AdvancedSQLiteSession (§3.3)
/// with its exact error messages.
class SdkSchema final
{
public:
    struct Tables
    {
        QString sessions = QStringLiteral("agent_sessions");
        QString messages = QStringLiteral("agent_messages");
    };

    /// SQLiteSession's `_create_schema_for_connection`: base tables and the messages index.
    static core::Result<void> createBaseTables(SqliteConnection& c, const Tables& t);
    /// message_structure and turn_usage (without their indexes).
    static core::Result<void> createStructureTables(SqliteConnection& c, const Tables& t);
    static core::Result<void> createStructureIndexes(SqliteConnection& c);
    static core::Result<void> createReservationTable(SqliteConnection& c);
    static core::Result<void> createGenerationTable(SqliteConnection& c);
    /// Every table and index of AdvancedSQLiteSession(create_tables=True), without the rows that
    /// constructor writes for its own session id: a new, empty workbench file.
    static core::Result<void> createAdvancedSchema(SqliteConnection& c, const Tables& t);
    /// `branch_reservations`, created lazily, then back-filled with every branch of the session
    /// that has structure rows (§3.2).
    static core::Result<void> ensureBranchReservations(SqliteConnection& c, const QString& sessionId);
    /// `session_clear_generations`, created lazily, with a generation-0 row for the session.
    static core::Result<void> ensureClearGeneration(SqliteConnection& c, const QString& sessionId);
    /// The constructor's ownership check; `dbPath` is the path as given, used in messages.
    static core::Result<void> checkOwnership(SqliteConnection& c, const Tables& t, const QString& dbPath);

    /// Message rows of a session that have no message_structure row (all of them when the file has
    /// no structure table): items a plain SQLiteSession wrote. Such a session is read by code that
    /// ignores branches, so every branch's rows would become part of that reader's memory.
    static core::Result<qint64> unstructuredItemCount(SqliteConnection& c, const QString& sessionId,
                                                      const QString& messagesTable = QStringLiteral("agent_messages"));

    /// SQLite's identifier comparison (COLLATE NOCASE folds ASCII letters only).
    static bool identifiersEqual(const QString& a, const QString& b);
};

} // namespace tb::storage
