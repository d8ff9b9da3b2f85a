// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "SdkSchema.h"

#include "core/Json.h"
#include "core/Result.h"

#include <QList>
#include <QVariantList>

#include <optional>

namespace tb::storage {

class SqliteConnection;

/// The item rows both SDK session classes share (spec §5): inserting a batch and reading items
/// with the SDK's limit rules, corrupt rows skipped.
class MessageRows final
{
public:
    /// INSERT OR IGNORE of the session row, one message row per item in order (Python json.dumps
    /// text), then `updated_at` bumped. Runs inside the caller's transaction.
    static core::Result<void> insert(SqliteConnection& c, const SdkSchema::Tables& t, const QString& sessionId,
                                     const QList<core::Json>& items);

    /// Reads items the way get_items does. `ascSql`/`descSql` select one column (message_data) in
    /// ascending / descending order; `descSql` ends with `LIMIT ?`, bound after `binds`.
    /// limit: nullopt = all, > 0 = newest `limit` decodable items (window widened past corrupt
    /// rows), 0 = none, < 0 = all (SQLite's LIMIT -1).
    static core::Result<QList<core::Json>> read(SqliteConnection& c, const QString& ascSql, const QString& descSql,
                                                const QVariantList& binds, std::optional<qint64> limit);
};

} // namespace tb::storage
