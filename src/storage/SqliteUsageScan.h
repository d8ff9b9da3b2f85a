// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/SessionStore.h"

namespace tb::storage {

class SqliteConnection;

/// SessionStore::scanUsage() on one file: reads sessions in slices of kSliceSessions (session id
/// order), each slice with three statements on the SDK's indexes (turn_usage, the get_tool_usage
/// statement grouped by session and branch too, tb_request_usage), so that a report over 10,000
/// sessions reads a million rows in seconds and reports progress between slices.
class SqliteUsageScan final
{
public:
    static constexpr int kSliceSessions = 200;
    static constexpr qint64 kScanCacheKiB = 64 * 1024;

    explicit SqliteUsageScan(SqliteConnection& connection) : m_c(connection) {}
    core::Result<void> run(const core::UsageScan& scan, const core::UsageSink& sink);

private:
    core::Result<void> slice(const QStringList& ids, const core::UsageScan& scan, const core::UsageSink& sink,
                             bool hasUsage, bool hasMeta, bool hasRequests);

    SqliteConnection& m_c;
};

} // namespace tb::storage
