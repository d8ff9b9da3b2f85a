// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SqliteTaskList.h"

#include "SqliteConnection.h"

#include <QFileInfo>

namespace tb::storage {

using core::Error;
using core::Result;
using core::Task;
using core::TaskCompletion;

namespace {

const QString kTable = QStringLiteral("tb_tasks");
const QString kColumns = QStringLiteral("id, session_id, title, done, created_at, completed_at");

Task taskFrom(const QSqlQuery& q)
{
    Task t;
    t.id = q.value(0).toLongLong();
    t.sessionId = q.value(1).toString();
    t.title = q.value(2).toString();
    t.done = q.value(3).toLongLong() != 0;
    t.createdAt = q.value(4).toString();
    t.completedAt = q.value(5).isNull() ? QString() : q.value(5).toString();
    return t;
}

} // namespace

SqliteTaskList::SqliteTaskList()
    : m_conn(std::make_unique<SqliteConnection>())
{}

SqliteTaskList::~SqliteTaskList() = default;

Result<std::unique_ptr<SqliteTaskList>> SqliteTaskList::open(const QString& path, const Options& options)
{
    if (!options.create && path != u":memory:" && !QFileInfo::exists(path))
        return Error::storage(QStringLiteral("%1: no such file").arg(path));
    std::unique_ptr<SqliteTaskList> tasks(new SqliteTaskList());
    SqliteConnection::Options o;
    o.readOnly = options.readOnly;
    o.sdkPragmas = false; // the journal-mode pragma would write to a file we may only be reading
    if (auto r = tasks->m_conn->open(path, o); !r)
        return r.error();
    return tasks;
}

Result<qint64> SqliteTaskList::add(const QString& sessionId, const QString& title)
{
    if (m_conn->isReadOnly())
        return Error::make(Error::Code::ReadOnly, QStringLiteral("%1 is open read-only").arg(m_conn->path()));
    if (title.trimmed().isEmpty())
        return Error::make(Error::Code::Argument, QStringLiteral("A task needs a title"));
    SqliteTransaction tx(*m_conn);
    if (auto b = tx.begin(); !b)
        return b.error();
    for (const QString& ddl :
         {QStringLiteral(
              "CREATE TABLE IF NOT EXISTS tb_tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, "
              "title TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, "
              "completed_at TIMESTAMP)"),
          QStringLiteral("CREATE INDEX IF NOT EXISTS tb_tasks_session ON tb_tasks (session_id, id)")}) {
        if (auto r = m_conn->write(ddl); !r)
            return r.error();
    }
    if (auto r =
            m_conn->write(QStringLiteral("INSERT INTO tb_tasks (session_id, title) VALUES (?, ?)"), {sessionId, title});
        !r)
        return r.error();
    auto id = m_conn->scalar(QStringLiteral("SELECT last_insert_rowid()"));
    if (!id)
        return id.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    return id->toLongLong();
}

Result<QList<Task>> SqliteTaskList::list(const QString& sessionId)
{
    QList<Task> out;
    if (!m_conn->tableExists(kTable))
        return out;
    auto q = m_conn->exec(QStringLiteral("SELECT %1 FROM tb_tasks WHERE session_id = ? ORDER BY id").arg(kColumns),
                          {sessionId});
    if (!q)
        return q.error();
    while (q->next())
        out << taskFrom(*q);
    return out;
}

Result<std::optional<Task>> SqliteTaskList::find(const QString& sessionId, qint64 id)
{
    auto q = m_conn->exec(QStringLiteral("SELECT %1 FROM tb_tasks WHERE session_id = ? AND id = ?").arg(kColumns),
                          {sessionId, id});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<Task>();
    return std::optional<Task>(taskFrom(*q));
}

Result<TaskCompletion> SqliteTaskList::complete(const QString& sessionId, qint64 id)
{
    TaskCompletion result;
    if (!m_conn->tableExists(kTable))
        return result; // no task was ever added: nothing to find, and nothing to create
    if (m_conn->isReadOnly())
        return Error::make(Error::Code::ReadOnly, QStringLiteral("%1 is open read-only").arg(m_conn->path()));
    SqliteTransaction tx(*m_conn);
    if (auto b = tx.begin(); !b)
        return b.error();
    auto before = find(sessionId, id);
    if (!before)
        return before.error();
    if (!*before)
        return result;
    if ((*before)->done) {
        result.outcome = TaskCompletion::Outcome::AlreadyDone;
        result.task = **before;
        return result;
    }
    if (auto r = m_conn->write(
            QStringLiteral("UPDATE tb_tasks SET done = 1, completed_at = CURRENT_TIMESTAMP WHERE id = ?"), {id});
        !r)
        return r.error();
    auto after = find(sessionId, id);
    if (!after)
        return after.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    result.outcome = TaskCompletion::Outcome::Completed;
    result.task = after->value_or(Task{});
    return result;
}

} // namespace tb::storage
