// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Json.h"

#include <QString>

namespace tb::core {
class TaskList;
}

namespace tb::agent {

/// The task-manager demo tools (add_task, list_tasks, complete_task) over a core::TaskList, one
/// list per session. Every outcome, storage failures included, is an answer for the model.
class TaskTools final
{
public:
    /// `add_task(title)` → "Added task #3: <title>".
    static QString addTask(core::TaskList* tasks, const QString& sessionId, const core::Json& arguments);
    /// `list_tasks()` → one line per task, "#3 [ ] <title>" / "#1 [x] <title>", or "No tasks yet."
    static QString listTasks(core::TaskList* tasks, const QString& sessionId);
    /// `complete_task(task_id)` → "Completed task #3: <title>", "Task #3 was already completed: …",
    /// "Task #9 not found".
    static QString completeTask(core::TaskList* tasks, const QString& sessionId, const core::Json& arguments);
};

} // namespace tb::agent
