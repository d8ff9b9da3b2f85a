// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "TaskTools.h"

#include "Tool.h"
#include "core/TaskList.h"

#include <QStringList>

namespace tb::agent {

using core::Json;

namespace {

QString noTaskList()
{
    return Tool::failureOutput(QStringLiteral("no task list is available (the run has no database for tasks)"));
}

} // namespace

QString TaskTools::addTask(core::TaskList* tasks, const QString& sessionId, const Json& arguments)
{
    if (!tasks)
        return noTaskList();
    const QString title = arguments[u"title"].toString().trimmed();
    if (title.isEmpty())
        return Tool::failureOutput(QStringLiteral("add_task needs a non-empty \"title\" string"));
    auto id = tasks->add(sessionId, title);
    if (!id)
        return Tool::failureOutput(id.error().message);
    return QStringLiteral("Added task #%1: %2").arg(*id).arg(title);
}

QString TaskTools::listTasks(core::TaskList* tasks, const QString& sessionId)
{
    if (!tasks)
        return noTaskList();
    auto list = tasks->list(sessionId);
    if (!list)
        return Tool::failureOutput(list.error().message);
    if (list->isEmpty())
        return QStringLiteral("No tasks yet.");
    QStringList lines;
    for (const core::Task& t : *list)
        lines << QStringLiteral("#%1 [%2] %3").arg(t.id).arg(QChar(t.done ? u'x' : u' ')).arg(t.title);
    return lines.join(u'\n');
}

QString TaskTools::completeTask(core::TaskList* tasks, const QString& sessionId, const Json& arguments)
{
    if (!tasks)
        return noTaskList();
    // Models sometimes send numbers as strings ("3", "#3"); both mean task 3.
    const Json& raw = arguments[u"task_id"];
    qint64 id = 0;
    bool ok = false;
    if (raw.isInt()) {
        id = raw.toInt();
        ok = true;
    } else if (raw.isString()) {
        QString s = raw.toString().trimmed();
        if (s.startsWith(u'#'))
            s.remove(0, 1);
        id = s.toLongLong(&ok);
    }
    if (!ok)
        return Tool::failureOutput(QStringLiteral("complete_task needs an integer \"task_id\""));
    auto done = tasks->complete(sessionId, id);
    if (!done)
        return Tool::failureOutput(done.error().message);
    switch (done->outcome) {
    case core::TaskCompletion::Outcome::Completed:
        return QStringLiteral("Completed task #%1: %2").arg(id).arg(done->task.title);
    case core::TaskCompletion::Outcome::AlreadyDone:
        return QStringLiteral("Task #%1 was already completed: %2").arg(id).arg(done->task.title);
    case core::TaskCompletion::Outcome::NotFound:
        break;
    }
    return QStringLiteral("Task #%1 not found").arg(id);
}

} // namespace tb::agent
