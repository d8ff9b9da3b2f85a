// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "WorkbenchTables.h"

#include "SqliteConnection.h"

#include "core/Json.h"

#include <QSqlQuery>

#include <optional>

namespace tb::storage {

using core::Error;
using core::Json;
using core::Result;

namespace {

const char* const kCreate[] = {
    "CREATE TABLE IF NOT EXISTS tb_meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS tb_session_meta (session_id TEXT PRIMARY KEY, title TEXT, customer TEXT, tags TEXT, "
    "review_status TEXT NOT NULL DEFAULT 'new', notes TEXT, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)",
    "CREATE TABLE IF NOT EXISTS tb_branch_meta (session_id TEXT NOT NULL, branch_id TEXT NOT NULL, display_name TEXT, "
    "parent_branch TEXT, fork_turn INTEGER, preferred INTEGER NOT NULL DEFAULT 0, note TEXT, outcome TEXT, "
    "updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (session_id, branch_id))",
    "CREATE TABLE IF NOT EXISTS tb_session_view (session_id TEXT PRIMARY KEY, last_branch TEXT NOT NULL, "
    "viewed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)",
    "CREATE TABLE IF NOT EXISTS tb_request_usage (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, "
    "branch_id TEXT NOT NULL, user_turn_number INTEGER NOT NULL, model TEXT, endpoint TEXT, started_at TEXT, "
    "latency_ms INTEGER, ttft_ms INTEGER, input_tokens INTEGER DEFAULT 0, cached_tokens INTEGER DEFAULT 0, "
    "output_tokens INTEGER DEFAULT 0, reasoning_tokens INTEGER DEFAULT 0, total_tokens INTEGER DEFAULT 0)",
    // '' in session_id means the whole file, '' in branch_id the whole session.
    "CREATE TABLE IF NOT EXISTS tb_model_assignment (session_id TEXT NOT NULL, branch_id TEXT NOT NULL, model TEXT NOT NULL, "
    "updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (session_id, branch_id))",
    "CREATE INDEX IF NOT EXISTS tb_request_usage_session ON tb_request_usage (session_id, branch_id, user_turn_number)",
};

QVariant nullable(const QString& s)
{
    return s.isNull() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(s);
}

} // namespace

QStringList WorkbenchTables::decodeTags(const QString& json)
{
    QStringList tags;
    auto parsed = Json::parse(json);
    if (parsed && parsed->isArray()) {
        for (const Json& t : parsed->asArray()) {
            if (t.isString())
                tags << t.toString();
        }
    }
    return tags;
}

QString WorkbenchTables::encodeTags(const QStringList& tags)
{
    Json::Array arr;
    for (const QString& t : tags)
        arr.push_back(Json(t));
    return QString::fromUtf8(Json(std::move(arr)).dump());
}

bool WorkbenchTables::exists(const QString& table)
{
    return m_c.tableExists(table);
}

bool WorkbenchTables::hasSessionMeta()
{
    return exists(QStringLiteral("tb_session_meta"));
}

Result<void> WorkbenchTables::ensure()
{
    if (m_ensured)
        return {};
    if (m_c.isReadOnly())
        return Error::make(Error::Code::ReadOnly, QStringLiteral("%1 is open read-only").arg(m_c.path()));
    // Joins the caller's transaction when there is one (bulk writers), else runs its own.
    const bool own = !m_c.inTransaction();
    std::optional<SqliteTransaction> tx; // a guard would roll back the caller's transaction
    if (own) {
        tx.emplace(m_c);
        if (auto b = tx->begin(); !b)
            return b;
    }
    for (const char* sql : kCreate) {
        if (auto r = m_c.write(QString::fromLatin1(sql)); !r)
            return r.error();
    }
    if (auto r = m_c.write(QStringLiteral("INSERT OR IGNORE INTO tb_meta (key, value) VALUES ('schema_version', ?)"),
                           {QString::number(kSchemaVersion)});
        !r)
        return r.error();
    if (own) {
        if (auto c = tx->commit(); !c)
            return c;
    }
    m_ensured = true;
    return {};
}

Result<core::SessionMeta> WorkbenchTables::sessionMeta(const QString& sessionId)
{
    core::SessionMeta meta;
    if (!exists(QStringLiteral("tb_session_meta")))
        return meta;
    auto q = m_c.exec(QStringLiteral("SELECT title, customer, tags, review_status, notes FROM tb_session_meta WHERE session_id = ?"),
                      {sessionId});
    if (!q)
        return q.error();
    if (q->next()) {
        meta.title = q->value(0).toString();
        meta.customer = q->value(1).toString();
        meta.tags = decodeTags(q->value(2).toString());
        meta.reviewStatus = core::reviewStatusFromName(q->value(3).toString()).value_or(core::ReviewStatus::New);
        meta.notes = q->value(4).toString();
    }
    return meta;
}

Result<void> WorkbenchTables::setSessionMeta(const QString& sessionId, const core::SessionMeta& meta)
{
    if (auto e = ensure(); !e)
        return e;
    auto r = m_c.write(QStringLiteral("INSERT INTO tb_session_meta (session_id, title, customer, tags, review_status, notes) "
                                      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(session_id) DO UPDATE SET title = excluded.title, "
                                      "customer = excluded.customer, tags = excluded.tags, review_status = excluded.review_status, "
                                      "notes = excluded.notes, updated_at = CURRENT_TIMESTAMP"),
                       {sessionId, meta.title, meta.customer, encodeTags(meta.tags), core::reviewStatusName(meta.reviewStatus),
                        meta.notes});
    if (!r)
        return r.error();
    return {};
}

Result<std::optional<QString>> WorkbenchTables::lastViewedBranch(const QString& sessionId)
{
    if (!exists(QStringLiteral("tb_session_view")))
        return std::optional<QString>();
    auto v = m_c.scalar(QStringLiteral("SELECT last_branch FROM tb_session_view WHERE session_id = ?"), {sessionId});
    if (!v)
        return v.error();
    return v->isValid() ? std::optional(v->toString()) : std::nullopt;
}

Result<void> WorkbenchTables::setLastViewedBranch(const QString& sessionId, const QString& branchId)
{
    if (auto e = ensure(); !e)
        return e;
    auto r = m_c.write(QStringLiteral("INSERT INTO tb_session_view (session_id, last_branch) VALUES (?, ?) "
                                      "ON CONFLICT(session_id) DO UPDATE SET last_branch = excluded.last_branch, "
                                      "viewed_at = CURRENT_TIMESTAMP"),
                       {sessionId, branchId});
    if (!r)
        return r.error();
    return {};
}

Result<QList<core::BranchMeta>> WorkbenchTables::branchMeta(const QString& sessionId)
{
    QList<core::BranchMeta> out;
    if (!exists(QStringLiteral("tb_branch_meta")))
        return out;
    auto q = m_c.exec(QStringLiteral("SELECT branch_id, display_name, parent_branch, fork_turn, preferred, note, outcome "
                                     "FROM tb_branch_meta WHERE session_id = ? ORDER BY branch_id"),
                      {sessionId});
    if (!q)
        return q.error();
    while (q->next()) {
        core::BranchMeta m;
        m.branchId = q->value(0).toString();
        m.displayName = q->value(1).toString();
        if (!q->value(2).isNull())
            m.parentBranch = q->value(2).toString();
        if (!q->value(3).isNull())
            m.forkTurn = q->value(3).toLongLong();
        m.preferred = q->value(4).toLongLong() != 0;
        m.note = q->value(5).toString();
        m.outcome = q->value(6).toString();
        out.push_back(m);
    }
    return out;
}

Result<void> WorkbenchTables::setBranchMeta(const QString& sessionId, const core::BranchMeta& m)
{
    if (auto e = ensure(); !e)
        return e;
    auto r = m_c.write(QStringLiteral("INSERT INTO tb_branch_meta (session_id, branch_id, display_name, parent_branch, fork_turn, "
                                      "preferred, note, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                                      "ON CONFLICT(session_id, branch_id) DO UPDATE SET display_name = excluded.display_name, "
                                      "parent_branch = excluded.parent_branch, fork_turn = excluded.fork_turn, "
                                      "preferred = excluded.preferred, note = excluded.note, outcome = excluded.outcome, "
                                      "updated_at = CURRENT_TIMESTAMP"),
                       {sessionId, m.branchId, nullable(m.displayName), m.parentBranch ? QVariant(*m.parentBranch) : QVariant(QMetaType(QMetaType::QString)),
                        m.forkTurn ? QVariant(*m.forkTurn) : QVariant(QMetaType(QMetaType::LongLong)), qint64(m.preferred ? 1 : 0),
                        nullable(m.note), nullable(m.outcome)});
    if (!r)
        return r.error();
    return {};
}

Result<void> WorkbenchTables::recordRequestUsage(const core::RequestUsage& u)
{
    if (auto e = ensure(); !e)
        return e;
    auto r = m_c.write(QStringLiteral("INSERT INTO tb_request_usage (session_id, branch_id, user_turn_number, model, endpoint, "
                                      "started_at, latency_ms, ttft_ms, input_tokens, cached_tokens, output_tokens, "
                                      "reasoning_tokens, total_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                       {u.sessionId, u.branchId, u.userTurnNumber, u.model, u.endpoint, u.startedAt, u.latencyMs,
                        u.timeToFirstTokenMs ? QVariant(*u.timeToFirstTokenMs) : QVariant(QMetaType(QMetaType::LongLong)),
                        u.inputTokens, u.cachedTokens, u.outputTokens, u.reasoningTokens, u.totalTokens});
    if (!r)
        return r.error();
    return {};
}

Result<QList<core::RequestUsage>> WorkbenchTables::requestUsage(const QString& sessionId, const std::optional<QString>& branchId)
{
    QList<core::RequestUsage> out;
    if (!exists(QStringLiteral("tb_request_usage")))
        return out;
    QString sql = QStringLiteral("SELECT session_id, branch_id, user_turn_number, model, endpoint, started_at, latency_ms, ttft_ms, "
                                 "input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens "
                                 "FROM tb_request_usage WHERE session_id = ?");
    QVariantList binds{sessionId};
    if (branchId) {
        sql += QStringLiteral(" AND branch_id = ?");
        binds << *branchId;
    }
    sql += QStringLiteral(" ORDER BY id");
    auto q = m_c.exec(sql, binds);
    if (!q)
        return q.error();
    while (q->next()) {
        core::RequestUsage u;
        u.sessionId = q->value(0).toString();
        u.branchId = q->value(1).toString();
        u.userTurnNumber = q->value(2).toLongLong();
        u.model = q->value(3).toString();
        u.endpoint = q->value(4).toString();
        u.startedAt = q->value(5).toString();
        u.latencyMs = q->value(6).toLongLong();
        if (!q->value(7).isNull())
            u.timeToFirstTokenMs = q->value(7).toLongLong();
        u.inputTokens = q->value(8).toLongLong();
        u.cachedTokens = q->value(9).toLongLong();
        u.outputTokens = q->value(10).toLongLong();
        u.reasoningTokens = q->value(11).toLongLong();
        u.totalTokens = q->value(12).toLongLong();
        out.push_back(u);
    }
    return out;
}

Result<bool> WorkbenchTables::isProductionFile()
{
    if (!exists(QStringLiteral("tb_meta")))
        return false;
    auto v = m_c.scalar(QStringLiteral("SELECT value FROM tb_meta WHERE key = 'production'"));
    if (!v)
        return v.error();
    return v->isValid() && v->toString() == u"1";
}

Result<void> WorkbenchTables::setProductionFile(bool production)
{
    if (auto e = ensure(); !e)
        return e;
    auto r = m_c.write(QStringLiteral("INSERT INTO tb_meta (key, value) VALUES ('production', ?) "
                                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                       {production ? QStringLiteral("1") : QStringLiteral("0")});
    if (!r)
        return r.error();
    return {};
}

Result<QList<core::ModelAssignment>> WorkbenchTables::modelAssignments()
{
    QList<core::ModelAssignment> out;
    if (!exists(QStringLiteral("tb_model_assignment")))
        return out;
    auto q = m_c.exec(QStringLiteral("SELECT session_id, branch_id, model FROM tb_model_assignment ORDER BY session_id, branch_id"));
    if (!q)
        return q.error();
    while (q->next())
        out.push_back({q->value(0).toString(), q->value(1).toString(), q->value(2).toString()});
    return out;
}

Result<void> WorkbenchTables::setModelAssignment(const core::ModelAssignment& a)
{
    if (a.sessionId.isEmpty() && !a.branchId.isEmpty())
        return Error::make(Error::Code::Value, QStringLiteral("a branch model needs a session"));
    if (a.model.isEmpty() && !exists(QStringLiteral("tb_model_assignment")))
        return {};
    if (auto e = ensure(); !e)
        return e;
    const QString& session = a.sessionId;
    const QString& branch = a.branchId;
    auto r = a.model.isEmpty()
                 ? m_c.write(QStringLiteral("DELETE FROM tb_model_assignment WHERE session_id = ? AND branch_id = ?"), {session, branch})
                 : m_c.write(QStringLiteral("INSERT INTO tb_model_assignment (session_id, branch_id, model) VALUES (?, ?, ?) "
                                            "ON CONFLICT(session_id, branch_id) DO UPDATE SET model = excluded.model, "
                                            "updated_at = CURRENT_TIMESTAMP"),
                             {session, branch, a.model});
    if (!r)
        return r.error();
    return {};
}

} // namespace tb::storage
