// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SqliteSessionStore.h"

#include "SqliteConnection.h"

#include "AdvancedSqliteSession.h"
#include "PlainSqliteSession.h"
#include "SdkSchema.h"
#include "SqliteUsageScan.h"
#include "WorkbenchTables.h"

#include <QFileInfo>

#include "core/Json.h"
#include <QSqlQuery>
#include <QSqlRecord>

namespace tb::storage {

SqliteSessionStore::SqliteSessionStore()
    : m_connPtr(std::make_unique<SqliteConnection>())
    , m_conn(*m_connPtr)
    , m_tables(std::make_unique<WorkbenchTables>(m_conn))
{
}

SqliteSessionStore::~SqliteSessionStore() = default;

using core::Error;
using core::Result;
using core::SchemaKind;

namespace {

QString likePattern(const QString& filter)
{
    QString escaped = filter;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'%', QStringLiteral("\\%")).replace(u'_', QStringLiteral("\\_"));
    return QStringLiteral("%") + escaped + QStringLiteral("%");
}

QString orderColumn(core::SessionSortKey key)
{
    switch (key) {
    case core::SessionSortKey::SessionId: return QStringLiteral("session_id");
    case core::SessionSortKey::Items: return QStringLiteral("items");
    case core::SessionSortKey::Turns: return QStringLiteral("turns");
    case core::SessionSortKey::Branches: return QStringLiteral("branches");
    case core::SessionSortKey::FirstActivity: return QStringLiteral("created_at");
    case core::SessionSortKey::LastActivity: return QStringLiteral("updated_at");
    case core::SessionSortKey::Tokens: return QStringLiteral("tokens");
    case core::SessionSortKey::Title: return QStringLiteral("title");
    case core::SessionSortKey::Customer: return QStringLiteral("customer");
    case core::SessionSortKey::ReviewStatus: return QStringLiteral("review_status");
    }
    return QStringLiteral("updated_at");
}

QString metaJoin()
{
    return QStringLiteral("LEFT JOIN tb_session_meta tm ON tm.session_id = p.session_id");
}

// Matches the id, and with metadata also title, customer and tags.
QString filterClause(bool meta)
{
    if (!meta)
        return QStringLiteral("p.session_id LIKE ? ESCAPE '\\'");
    return QStringLiteral("(p.session_id LIKE ? ESCAPE '\\' OR tm.title LIKE ? ESCAPE '\\' OR tm.customer LIKE ? ESCAPE '\\' "
                          "OR tm.tags LIKE ? ESCAPE '\\')");
}

QVariantList filterBinds(const QString& filter, bool meta)
{
    const QString pattern = likePattern(filter);
    return meta ? QVariantList{pattern, pattern, pattern, pattern} : QVariantList{pattern};
}

bool sortsOnStoredColumn(core::SessionSortKey key)
{
    return key == core::SessionSortKey::SessionId || key == core::SessionSortKey::FirstActivity
        || key == core::SessionSortKey::LastActivity;
}

} // namespace

Result<std::unique_ptr<SqliteSessionStore>> SqliteSessionStore::open(const QString& path, const Options& options)
{
    std::unique_ptr<SqliteSessionStore> s(new SqliteSessionStore);
    s->m_path = path;
    const QFileInfo info(path);
    if (!info.exists()) {
        if (!options.create)
            return Error::storage(QStringLiteral("%1: no such file").arg(path));
        // A new file gets the advanced schema, as AdvancedSQLiteSession(create_tables=True) makes it.
        SqliteConnection creator;
        if (auto o = creator.open(path, {}); !o)
            return o.error();
        SqliteTransaction tx(creator);
        if (auto b = tx.begin(true); !b)
            return b.error();
        if (auto r = SdkSchema::createAdvancedSchema(creator, {}); !r)
            return r.error();
        if (auto c = tx.commit(); !c)
            return c.error();
    } else if (info.isDir()) {
        return Error::storage(QStringLiteral("%1 is a folder, not a database file").arg(path));
    }
    s->m_readOnly = options.readOnly || !QFileInfo(path).isWritable();
    SqliteConnection::Options co;
    co.readOnly = s->m_readOnly;
    co.sdkPragmas = false; // browsing must not change the file, not even its journal mode
    if (auto o = s->m_conn.open(path, co); !o)
        return o.error();
    if (auto d = s->detectSchema(); !d)
        return d.error();
    return s;
}

Result<void> SqliteSessionStore::detectSchema()
{
    auto q = m_conn.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"));
    if (!q)
        return q.error();
    QStringList tables;
    while (q->next())
        tables << q->value(0).toString().toLower();
    q->finish();
    const bool hasBase = tables.contains(u"agent_sessions") && tables.contains(u"agent_messages");
    const bool hasStructure = tables.contains(u"message_structure") && tables.contains(u"turn_usage");
    if (!hasBase) {
        // An empty file is fine (a new database); anything else is some other program's data.
        const bool onlyInternal = std::all_of(tables.cbegin(), tables.cend(), [](const QString& t) {
            return t.startsWith(u"sqlite_") || t.startsWith(u"tb_");
        });
        if (!onlyInternal || hasStructure) {
            return Error::make(Error::Code::Format,
                               QStringLiteral("%1 is not an Agents SDK session database (no agent_sessions/agent_messages tables; "
                                              "found: %2)")
                                   .arg(m_path, tables.join(QStringLiteral(", "))));
        }
        m_kind = SchemaKind::Empty;
        return {};
    }
    // Columns we read must be there; a future SDK may add columns, which we ignore.
    const QList<QPair<QString, QStringList>> required = {
        {QStringLiteral("agent_sessions"), {QStringLiteral("session_id"), QStringLiteral("created_at"), QStringLiteral("updated_at")}},
        {QStringLiteral("agent_messages"), {QStringLiteral("id"), QStringLiteral("session_id"), QStringLiteral("message_data")}},
    };
    for (const auto& [table, columns] : required) {
        auto info = m_conn.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table));
        if (!info)
            return info.error();
        QStringList have;
        while (info->next())
            have << info->value(1).toString().toLower();
        for (const QString& c : columns) {
            if (!have.contains(c)) {
                return Error::make(Error::Code::Format, QStringLiteral("%1: table %2 has no column %3; this schema generation is not "
                                                                       "supported")
                                                            .arg(m_path, table, c));
            }
        }
    }
    m_kind = hasStructure ? SchemaKind::Advanced : SchemaKind::Plain;
    return {};
}

Result<qint64> SqliteSessionStore::countSessions(const QString& filter)
{
    // A file that was empty when opened may have been given tables since (an agent started
    // writing to it): look again before answering "no sessions".
    if (m_kind == SchemaKind::Empty) {
        if (auto d = detectSchema(); !d)
            return d.error();
    }
    if (m_kind == SchemaKind::Empty)
        return qint64(0);
    const bool meta = m_tables->hasSessionMeta();
    auto v = m_conn.scalar(QStringLiteral("SELECT COUNT(*) FROM agent_sessions p %1 WHERE %2")
                               .arg(meta ? metaJoin() : QString(), filterClause(meta)),
                           filterBinds(filter, meta));
    if (!v)
        return v.error();
    return v->toLongLong();
}

Result<QList<core::SessionSummary>> SqliteSessionStore::listSessions(const core::SessionQuery& query)
{
    QList<core::SessionSummary> out;
    if (m_kind == SchemaKind::Empty) {
        if (auto d = detectSchema(); !d)
            return d.error();
    }
    if (m_kind == SchemaKind::Empty)
        return out;
    const bool advanced = m_kind == SchemaKind::Advanced;
    const QString stats = advanced
        ? QStringLiteral("(SELECT COUNT(*) FROM agent_messages m WHERE m.session_id = p.session_id) AS items, "
                         "(SELECT COUNT(*) FROM message_structure ms WHERE ms.session_id = p.session_id AND ms.branch_id = 'main' "
                         " AND ms.message_type = 'user') AS turns, "
                         "(SELECT COUNT(DISTINCT ms.branch_id) FROM message_structure ms WHERE ms.session_id = p.session_id) AS branches, "
                         "(SELECT COALESCE(SUM(t.total_tokens), 0) FROM turn_usage t WHERE t.session_id = p.session_id) AS tokens, "
                         "(SELECT COALESCE(SUM(t.input_tokens), 0) FROM turn_usage t WHERE t.session_id = p.session_id) AS input, "
                         // Details are JSON text the SDK wrote; json_valid keeps a corrupt row from failing the listing.
                         "(SELECT COALESCE(SUM(CASE WHEN json_valid(t.input_tokens_details) "
                         " THEN json_extract(t.input_tokens_details, '$.cached_tokens') END), 0) FROM turn_usage t "
                         " WHERE t.session_id = p.session_id) AS cached, "
                         "(SELECT COALESCE(SUM(t.output_tokens), 0) FROM turn_usage t WHERE t.session_id = p.session_id) AS output")
        : QStringLiteral("(SELECT COUNT(*) FROM agent_messages m WHERE m.session_id = p.session_id) AS items, "
                         "0 AS turns, 1 AS branches, 0 AS tokens, 0 AS input, 0 AS cached, 0 AS output");
    const QString dir = query.descending ? QStringLiteral("DESC") : QStringLiteral("ASC");
    const QString order = orderColumn(query.sort) + u' ' + dir + QStringLiteral(", session_id ") + dir;
    // The same order on the table alias, where a joined side table also has a session_id.
    const QString qualifiedOrder = QStringLiteral("p.") + orderColumn(query.sort) + u' ' + dir + QStringLiteral(", p.session_id ") + dir;
    const bool meta = m_tables->hasSessionMeta();
    QString metaColumns = meta ? QStringLiteral("tm.title AS title, tm.customer AS customer, tm.tags AS tags, "
                                                "COALESCE(tm.review_status, 'new') AS review_status")
                               : QStringLiteral("NULL AS title, NULL AS customer, NULL AS tags, 'new' AS review_status");
    metaColumns += m_conn.tableExists(QStringLiteral("tb_request_usage"))
        ? QStringLiteral(", (SELECT r.model FROM tb_request_usage r WHERE r.session_id = p.session_id ORDER BY r.id DESC LIMIT 1) "
                         "AS model")
        : QStringLiteral(", NULL AS model");
    const QString join = meta ? metaJoin() : QString();
    QString sql;
    // Sorting on a stored column pages first and computes statistics for that page only, which
    // keeps the first page fast on files with 10,000 sessions.
    if (sortsOnStoredColumn(query.sort)) {
        sql = QStringLiteral("WITH p AS (SELECT p.session_id, p.created_at, p.updated_at FROM agent_sessions p %3 WHERE %4 "
                             "ORDER BY %1 LIMIT ? OFFSET ?) "
                             "SELECT p.session_id, p.created_at, p.updated_at, %2, %5 FROM p %3 ORDER BY %1")
                  .arg(qualifiedOrder, stats, join, filterClause(meta), metaColumns);
    } else {
        sql = QStringLiteral("SELECT * FROM (SELECT p.session_id, p.created_at, p.updated_at, %2, %5 FROM agent_sessions p %3 "
                             "WHERE %4) ORDER BY %1 LIMIT ? OFFSET ?")
                  .arg(order, stats, join, filterClause(meta), metaColumns);
    }
    QVariantList binds = filterBinds(query.filter, meta);
    binds << query.limit << query.offset;
    auto q = m_conn.exec(sql, binds);
    if (!q)
        return q.error();
    while (q->next()) {
        core::SessionSummary s;
        s.sessionId = q->value(0).toString();
        s.firstActivity = q->value(1).toString();
        s.lastActivity = q->value(2).toString();
        s.itemCount = q->value(3).toLongLong();
        s.turnCount = q->value(4).toLongLong();
        s.branchCount = q->value(5).toLongLong();
        s.totalTokens = q->value(6).toLongLong();
        s.inputTokens = q->value(7).toLongLong();
        s.cachedTokens = q->value(8).toLongLong();
        s.outputTokens = q->value(9).toLongLong();
        s.meta.title = q->value(10).toString();
        s.meta.customer = q->value(11).toString();
        s.meta.tags = WorkbenchTables::decodeTags(q->value(12).toString());
        s.meta.reviewStatus = core::reviewStatusFromName(q->value(13).toString()).value_or(core::ReviewStatus::New);
        s.model = q->value(14).toString();
        out.push_back(s);
    }
    return out;
}

namespace {

// The searchable text of an item: message content, tool arguments and outputs, reasoning.
QString searchableText(const core::Json& item, QString* role)
{
    *role = item[u"role"].toString(item[u"type"].toString());
    QStringList parts;
    const core::Json& content = item[u"content"];
    if (content.isString()) {
        parts << content.toString();
    } else {
        for (const core::Json& p : content.asArray()) {
            if (p[u"text"].isString())
                parts << p[u"text"].toString();
            else if (p[u"refusal"].isString())
                parts << p[u"refusal"].toString();
        }
    }
    for (const char16_t* key : {u"arguments", u"name"}) {
        if (item[key].isString())
            parts << item[key].toString();
    }
    const core::Json& output = item[u"output"];
    if (output.isString())
        parts << output.toString();
    for (const core::Json& p : item[u"summary"].asArray())
        parts << p[u"text"].toString();
    return parts.join(u'\n');
}

QString snippetAround(const QString& text, qsizetype at, qsizetype length)
{
    const qsizetype from = std::max<qsizetype>(0, at - 60);
    QString s = text.mid(from, length + 120).simplified();
    if (from > 0)
        s.prepend(QChar(0x2026));
    if (from + length + 120 < text.size())
        s.append(QChar(0x2026));
    return s;
}

} // namespace

Result<core::SearchSlice> SqliteSessionStore::searchMessages(const QString& term, qint64 afterId, qint64 rows)
{
    core::SearchSlice slice;
    slice.lastId = afterId;
    if (m_kind == SchemaKind::Empty || term.isEmpty()) {
        slice.done = true;
        return slice;
    }
    auto maxId = m_conn.scalar(QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM agent_messages"));
    if (!maxId)
        return maxId.error();
    slice.maxId = maxId->toLongLong();
    auto q = m_conn.exec(QStringLiteral("SELECT id, session_id, message_data FROM agent_messages WHERE id > ? ORDER BY id LIMIT ?"),
                         {afterId, rows});
    if (!q)
        return q.error();
    qint64 read = 0;
    struct Found
    {
        qint64 id;
        QString session;
        QString role;
        QString snippet;
    };
    QList<Found> found;
    while (q->next()) {
        ++read;
        slice.lastId = q->value(0).toLongLong();
        const QString data = q->value(2).toString();
        auto item = core::Json::parse(data);
        QString role;
        const QString text = item ? searchableText(*item, &role) : data;
        const qsizetype at = text.indexOf(term, 0, Qt::CaseInsensitive);
        if (at >= 0)
            found.push_back({slice.lastId, q->value(1).toString(), role, snippetAround(text, at, term.size())});
    }
    q->finish();
    slice.done = read < rows;
    const bool advanced = m_kind == SchemaKind::Advanced;
    for (const Found& f : found) {
        core::SearchHit hit{f.session, QStringLiteral("main"), std::nullopt, f.id, f.role, f.snippet};
        if (advanced) {
            auto where = m_conn.exec(QStringLiteral("SELECT branch_id, user_turn_number FROM message_structure WHERE session_id = ? "
                                                    "AND message_id = ? ORDER BY branch_id != 'main', id LIMIT 1"),
                                     {f.session, f.id});
            if (!where)
                return where.error();
            if (where->next()) {
                hit.branchId = where->value(0).toString();
                if (!where->value(1).isNull())
                    hit.turn = where->value(1).toLongLong();
            }
        }
        slice.hits.push_back(hit);
    }
    return slice;
}

Result<core::SessionMeta> SqliteSessionStore::sessionMeta(const QString& sessionId)
{
    return m_tables->sessionMeta(sessionId);
}

Result<void> SqliteSessionStore::setSessionMeta(const QString& sessionId, const core::SessionMeta& meta)
{
    return m_tables->setSessionMeta(sessionId, meta);
}

Result<std::optional<QString>> SqliteSessionStore::lastViewedBranch(const QString& sessionId)
{
    return m_tables->lastViewedBranch(sessionId);
}

Result<void> SqliteSessionStore::setLastViewedBranch(const QString& sessionId, const QString& branchId)
{
    return m_tables->setLastViewedBranch(sessionId, branchId);
}

Result<QList<core::BranchMeta>> SqliteSessionStore::branchMeta(const QString& sessionId)
{
    return m_tables->branchMeta(sessionId);
}

Result<void> SqliteSessionStore::setBranchMeta(const QString& sessionId, const core::BranchMeta& meta)
{
    return m_tables->setBranchMeta(sessionId, meta);
}

Result<void> SqliteSessionStore::recordRequestUsage(const core::RequestUsage& row)
{
    return m_tables->recordRequestUsage(row);
}

Result<QList<core::RequestUsage>> SqliteSessionStore::requestUsage(const QString& sessionId, const std::optional<QString>& branchId)
{
    return m_tables->requestUsage(sessionId, branchId);
}

Result<QList<core::ModelAssignment>> SqliteSessionStore::modelAssignments()
{
    return m_tables->modelAssignments();
}

Result<void> SqliteSessionStore::setModelAssignment(const core::ModelAssignment& assignment)
{
    return m_tables->setModelAssignment(assignment);
}

Result<bool> SqliteSessionStore::isProductionFile()
{
    return m_tables->isProductionFile();
}

Result<void> SqliteSessionStore::setProductionFile(bool production)
{
    return m_tables->setProductionFile(production);
}

Result<qint64> SqliteSessionStore::unstructuredItemCount(const QString& sessionId)
{
    return SdkSchema::unstructuredItemCount(m_conn, sessionId);
}

Result<std::unique_ptr<core::Session>> SqliteSessionStore::openPlainSession(const QString& sessionId,
                                                                            const core::SessionOpenOptions& options)
{
    PlainSqliteSession::Options o;
    o.limit = options.limit;
    o.readOnly = m_readOnly;
    auto s = PlainSqliteSession::open(m_path, sessionId, o);
    if (!s)
        return s.error();
    return std::unique_ptr<core::Session>(std::move(s).value());
}

Result<void> SqliteSessionStore::scanUsage(const core::UsageScan& scan, const core::UsageSink& sink)
{
    return SqliteUsageScan(m_conn).run(scan, sink);
}

Result<std::unique_ptr<core::BranchingSession>> SqliteSessionStore::openSession(const QString& sessionId,
                                                                                const core::SessionOpenOptions& options)
{
    AdvancedSqliteSession::Options o;
    o.createTables = options.createTables && !m_readOnly;
    o.limit = options.limit;
    o.readOnly = m_readOnly;
    auto s = AdvancedSqliteSession::open(m_path, sessionId, o);
    if (!s)
        return s.error();
    if (!m_readOnly && o.createTables)
        m_kind = SchemaKind::Advanced;
    return std::unique_ptr<core::BranchingSession>(std::move(s).value());
}

} // namespace tb::storage
