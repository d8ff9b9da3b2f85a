// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Result.h"

#include <QList>
#include <QString>

namespace tb::core {

/// One follow-up task written by the task-manager demo tools.
struct Task
{
    qint64 id = 0;
    QString sessionId;
    QString title;
    bool done = false;
    QString createdAt;   // UTC "YYYY-MM-DD HH:MM:SS"
    QString completedAt; // empty while open
};

/// What complete() found.
struct TaskCompletion
{
    enum class Outcome {
        Completed,
        AlreadyDone,
        NotFound
    };
    Outcome outcome = Outcome::NotFound;
    Task task; // the task after the call (empty when NotFound)
};

/// The tasks of the task-manager demo tools (add_task, list_tasks, complete_task), kept per
/// session id. Ids are unique in the whole store, not per session.
class TaskList
{
public:
    virtual ~TaskList() = default;

    /// Adds an open task and returns its id.
    virtual Result<qint64> add(const QString& sessionId, const QString& title) = 0;
    /// The session's tasks in id order.
    virtual Result<QList<Task>> list(const QString& sessionId) = 0;
    /// Marks a task of this session as done; a task of another session counts as not found.
    virtual Result<TaskCompletion> complete(const QString& sessionId, qint64 id) = 0;
};

} // namespace tb::core
