// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/TaskList.h"

#include <memory>

namespace tb::storage {

class SqliteConnection;

/// The task-manager demo tools' tasks in the `tb_tasks` side table of a session database. Like
/// every tb_ table it has no foreign keys and is created by the first add(): reading a file that
/// has no tasks yet leaves it untouched.
class SqliteTaskList final : public core::TaskList
{
public:
    struct Options
    {
        bool readOnly = false;
        bool create = false; // create the database file if it does not exist
    };

    static core::Result<std::unique_ptr<SqliteTaskList>> open(const QString& path, const Options& options);
    ~SqliteTaskList() override;
    SqliteTaskList(const SqliteTaskList&) = delete;
    SqliteTaskList& operator=(const SqliteTaskList&) = delete;

    core::Result<qint64> add(const QString& sessionId, const QString& title) override;
    core::Result<QList<core::Task>> list(const QString& sessionId) override;
    core::Result<core::TaskCompletion> complete(const QString& sessionId, qint64 id) override;

private:
    SqliteTaskList();
    core::Result<std::optional<core::Task>> find(const QString& sessionId, qint64 id);

    std::unique_ptr<SqliteConnection> m_conn;
};

} // namespace tb::storage
