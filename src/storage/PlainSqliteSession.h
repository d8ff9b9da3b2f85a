// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <memory>

#include "SdkSchema.h"

#include "core/Session.h"

namespace tb::storage {

class SqliteConnection;

/// The SDK's `SQLiteSession` on a file (spec §5). Construction creates the base tables if they are
/// missing, as the SDK constructor does. On an Advanced file it ignores message_structure.
class PlainSqliteSession final : public core::Session
{
public:
    struct Options
    {
        std::optional<qint64> limit;
        bool readOnly = false;  // browse without writing anything (no table creation)
        SdkSchema::Tables tables;
    };

    static core::Result<std::unique_ptr<PlainSqliteSession>> open(const QString& dbPath, const QString& sessionId,
                                                                  const Options& options);

    QString sessionId() const override { return m_sessionId; }
    std::optional<qint64> limitSetting() const override { return m_options.limit; }
    core::Result<QList<core::Json>> getItems(std::optional<qint64> limit = std::nullopt) override;
    core::Result<void> addItems(const QList<core::Json>& items) override;
    core::Result<std::optional<core::Json>> popItem() override;
    core::Result<void> clearSession() override;
    void close() override;

private:
    PlainSqliteSession();

public:
    ~PlainSqliteSession() override;

private:
    core::Result<void> checkOpen() const;

    std::unique_ptr<SqliteConnection> m_connPtr;
    SqliteConnection& m_conn;
    QString m_sessionId;
    Options m_options;
    bool m_closed = false;
};

} // namespace tb::storage
