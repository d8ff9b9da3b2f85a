// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SqliteUsageScan.h"

#include "SqliteConnection.h"
#include "WorkbenchTables.h"

#include <QSqlQuery>

#include <algorithm>

namespace tb::storage {

using core::Error;
using core::Result;

namespace {

Error cancelled()
{
    return Error::make(Error::Code::Cancelled, QStringLiteral("Usage scan cancelled"));
}

QVariantList binds(const QStringList& ids)
{
    QVariantList out;
    out.reserve(ids.size());
    for (const QString& id : ids)
        out << id;
    return out;
}

// Details are JSON text the SDK wrote; json_valid keeps a corrupt row from failing the scan and
// reads it as get_turn_usage does (details None, so 0 tokens).
QString detail(const char* column, const char* key)
{
    return QStringLiteral("COALESCE(CASE WHEN json_valid(%1) THEN json_extract(%1, '$.%2') END, 0)")
        .arg(QLatin1String(column), QLatin1String(key));
}

} // namespace

Result<void> SqliteUsageScan::run(const core::UsageScan& scan, const core::UsageSink& sink)
{
    if (!m_c.tableExists(QStringLiteral("agent_sessions")))
        return {};
    const bool hasUsage = m_c.tableExists(QStringLiteral("turn_usage")) && m_c.tableExists(QStringLiteral("message_structure"));
    const bool hasMeta = m_c.tableExists(QStringLiteral("tb_session_meta"));
    const bool hasRequests = m_c.tableExists(QStringLiteral("tb_request_usage"));

    QStringList ids;
    if (scan.sessionIds.isEmpty()) {
        auto q = m_c.exec(QStringLiteral("SELECT session_id FROM agent_sessions ORDER BY session_id"));
        if (!q)
            return q.error();
        while (q->next())
            ids << q->value(0).toString();
    } else {
        ids = scan.sessionIds;
        std::sort(ids.begin(), ids.end()); // QString order is code point order, as SQLite's BINARY
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    }
    const qint64 total = ids.size();
    if (sink.progress && !sink.progress(0, total))
        return cancelled();
    // The slices read the usage and structure tables in index order, which jumps around a large
    // file: a bigger page cache for the scan (it writes nothing to the file), the connection's own
    // size restored afterwards. (Memory-mapped reads were no faster and count a gigabyte of file
    // pages as the process's memory.)
    const auto pragma = [this](const QString& name) {
        auto v = m_c.scalar(QStringLiteral("PRAGMA ") + name);
        return v ? v->toLongLong() : qint64(0);
    };
    const qint64 cacheSize = pragma(QStringLiteral("cache_size"));
    (void)m_c.exec(QStringLiteral("PRAGMA cache_size = -%1").arg(kScanCacheKiB));
    Result<void> result;
    for (qsizetype at = 0; at < ids.size() && result; at += kSliceSessions) {
        const QStringList part = ids.mid(at, kSliceSessions);
        result = slice(part, scan, sink, hasUsage, hasMeta, hasRequests);
        if (result && sink.progress && !sink.progress(at + part.size(), total))
            result = cancelled();
    }
    (void)m_c.exec(QStringLiteral("PRAGMA cache_size = %1").arg(cacheSize));
    return result;
}

Result<void> SqliteUsageScan::slice(const QStringList& ids, const core::UsageScan& scan, const core::UsageSink& sink,
                                    bool hasUsage, bool hasMeta, bool hasRequests)
{
    const QString in = SqliteConnection::placeholders(ids.size());
    const QVariantList idBinds = binds(ids);
    if (sink.session) {
        auto q = m_c.exec(hasMeta ? QStringLiteral("SELECT p.session_id, tm.title, tm.customer, tm.tags, tm.review_status "
                                                   "FROM agent_sessions p LEFT JOIN tb_session_meta tm ON tm.session_id = p.session_id "
                                                   "WHERE p.session_id IN (%1) ORDER BY p.session_id")
                                        .arg(in)
                                  : QStringLiteral("SELECT session_id, NULL, NULL, NULL, NULL FROM agent_sessions "
                                                   "WHERE session_id IN (%1) ORDER BY session_id")
                                        .arg(in),
                          idBinds);
        if (!q)
            return q.error();
        while (q->next()) {
            core::SessionMeta meta;
            meta.title = q->value(1).toString();
            meta.customer = q->value(2).toString();
            meta.tags = WorkbenchTables::decodeTags(q->value(3).toString());
            meta.reviewStatus = core::reviewStatusFromName(q->value(4).toString()).value_or(core::ReviewStatus::New);
            if (!sink.session(q->value(0).toString(), meta))
                return cancelled();
        }
    }
    if (!hasUsage)
        return {};
    const QString branchClause = scan.branchId ? QStringLiteral(" AND branch_id = ?") : QString();
    QVariantList branchBinds = idBinds;
    if (scan.branchId)
        branchBinds << *scan.branchId;

    if (sink.turn) {
        auto q = m_c.exec(QStringLiteral("SELECT session_id, branch_id, user_turn_number, requests, input_tokens, output_tokens, "
                                         "total_tokens, %1, %2, created_at FROM turn_usage WHERE session_id IN (%3)%4 "
                                         "ORDER BY session_id, branch_id, user_turn_number")
                              .arg(detail("input_tokens_details", "cached_tokens"),
                                   detail("output_tokens_details", "reasoning_tokens"), in, branchClause),
                          branchBinds);
        if (!q)
            return q.error();
        core::UsageRow row;
        while (q->next()) {
            // Consecutive rows mostly share ids: assigning an equal QString keeps one shared copy.
            if (const QString s = q->value(0).toString(); s != row.sessionId)
                row.sessionId = s;
            if (const QString b = q->value(1).toString(); b != row.branchId)
                row.branchId = b;
            row.turn = q->value(2).toLongLong();
            row.requests = q->value(3).toLongLong();
            row.inputTokens = q->value(4).toLongLong();
            row.outputTokens = q->value(5).toLongLong();
            row.totalTokens = q->value(6).toLongLong();
            row.cachedTokens = q->value(7).toLongLong();
            row.reasoningTokens = q->value(8).toLongLong();
            row.createdAt = q->value(9).toString();
            if (!sink.turn(row))
                return cancelled();
        }
    }

    if (sink.tool && scan.tools) {
        // get_tool_usage's statement (AdvancedSqliteSession::getToolUsage), grouped per session
        // and branch as well.
        const QString msBranch = scan.branchId ? QStringLiteral(" AND ms.branch_id = ?") : QString();
        QVariantList toolBinds = branchBinds;
        toolBinds << branchBinds;
        auto q = m_c.exec(
            QStringLiteral("SELECT session_id, branch_id, tool_name, SUM(usage_count), user_turn_number FROM ("
                           " SELECT session_id, branch_id, tool_name, 1 AS usage_count, user_turn_number FROM message_structure"
                           " WHERE session_id IN (%1)%2 AND message_type IN ("
                           " 'tool_call', 'function_call', 'computer_call', 'file_search_call',"
                           " 'web_search_call', 'code_interpreter_call', 'tool_search_call',"
                           " 'custom_tool_call', 'mcp_call', 'mcp_approval_request')"
                           " UNION ALL"
                           " SELECT ms.session_id, ms.branch_id, ms.tool_name, 1 AS usage_count, ms.user_turn_number"
                           " FROM message_structure ms WHERE ms.session_id IN (%1)%3 AND ms.message_type = 'tool_search_output'"
                           " AND NOT EXISTS (SELECT 1 FROM message_structure calls"
                           " WHERE calls.session_id = ms.session_id AND calls.branch_id = ms.branch_id"
                           " AND calls.user_turn_number = ms.user_turn_number AND calls.tool_name = ms.tool_name"
                           " AND calls.message_type = 'tool_search_call'))"
                           " GROUP BY session_id, branch_id, tool_name, user_turn_number"
                           " ORDER BY session_id, branch_id, user_turn_number, tool_name")
                .arg(in, branchClause, msBranch),
            toolBinds);
        if (!q)
            return q.error();
        while (q->next()) {
            core::ToolCountRow row;
            row.sessionId = q->value(0).toString();
            row.branchId = q->value(1).toString();
            if (!q->value(2).isNull())
                row.tool = q->value(2).toString();
            row.count = q->value(3).toLongLong();
            if (!q->value(4).isNull())
                row.turn = q->value(4).toLongLong();
            if (!sink.tool(row))
                return cancelled();
        }
    }

    if (sink.requestModel && hasRequests) {
        auto q = m_c.exec(QStringLiteral("SELECT session_id, branch_id, user_turn_number, COALESCE(model, ''), COUNT(*), "
                                         "COALESCE(SUM(total_tokens), 0) FROM tb_request_usage WHERE session_id IN (%1)%2 "
                                         "GROUP BY session_id, branch_id, user_turn_number, model "
                                         "ORDER BY session_id, branch_id, user_turn_number, MIN(id)")
                              .arg(in, branchClause),
                          branchBinds);
        if (!q)
            return q.error();
        while (q->next()) {
            core::RequestModelRow row{q->value(0).toString(), q->value(1).toString(), q->value(2).toLongLong(),
                                      q->value(3).toString(),  q->value(4).toLongLong(), q->value(5).toLongLong()};
            if (!sink.requestModel(row))
                return cancelled();
        }
    }
    return {};
}

} // namespace tb::storage
