// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BulkSessionWriter.h"

#include "SdkSchema.h"
#include "SqliteConnection.h"
#include "WorkbenchTables.h"

#include "core/ItemClassifier.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace tb::storage {

using core::Error;
using core::Json;
using core::Result;

struct BulkSessionWriter::Statements
{
    QSqlQuery insertSession;
    QSqlQuery touchSession;
    QSqlQuery insertMessage;
    QSqlQuery insertStructure;
    QSqlQuery insertUsage;
    QSqlQuery ensureGeneration;
};

namespace {

QString sqlTime(const QDateTime& t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

Result<void> run(QSqlQuery& q, const QVariantList& binds)
{
    for (qsizetype i = 0; i < binds.size(); ++i)
        q.bindValue(int(i), binds.at(i));
    if (!q.exec())
        return Error::storage(QStringLiteral("bulk write: %1").arg(q.lastError().text()));
    return {};
}

QVariant nullText()
{
    return QVariant(QMetaType(QMetaType::QString));
}

} // namespace

BulkSessionWriter::BulkSessionWriter() : m_conn(std::make_unique<SqliteConnection>()), m_tables(std::make_unique<WorkbenchTables>(*m_conn)) {}

BulkSessionWriter::~BulkSessionWriter()
{
    m_st.reset(); // statements die before their connection
}

Result<std::unique_ptr<BulkSessionWriter>> BulkSessionWriter::open(const QString& path)
{
    std::unique_ptr<BulkSessionWriter> w(new BulkSessionWriter);
    if (auto o = w->m_conn->open(path, {}); !o)
        return o.error();
    SqliteTransaction tx(*w->m_conn);
    if (auto b = tx.begin(true); !b)
        return b.error();
    if (auto r = SdkSchema::createAdvancedSchema(*w->m_conn, {}); !r)
        return r.error();
    if (auto r = SdkSchema::checkOwnership(*w->m_conn, {}, path); !r)
        return r.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    if (auto p = w->prepareStatements(); !p)
        return p.error();
    return w;
}

Result<void> BulkSessionWriter::prepareStatements()
{
    m_st = std::make_unique<Statements>();
    struct
    {
        QSqlQuery* q;
        const char* sql;
    } const all[] = {
        {&m_st->insertSession, "INSERT OR IGNORE INTO agent_sessions (session_id, created_at, updated_at) VALUES (?, ?, ?)"},
        {&m_st->touchSession, "UPDATE agent_sessions SET updated_at = ? WHERE session_id = ?"},
        {&m_st->insertMessage, "INSERT INTO agent_messages (session_id, message_data, created_at) VALUES (?, ?, ?)"},
        {&m_st->insertStructure,
         "INSERT INTO message_structure (session_id, message_id, branch_id, message_type, sequence_number, user_turn_number, "
         "branch_turn_number, tool_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"},
        {&m_st->insertUsage,
         "INSERT OR REPLACE INTO turn_usage (session_id, branch_id, user_turn_number, requests, input_tokens, output_tokens, "
         "total_tokens, input_tokens_details, output_tokens_details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
        {&m_st->ensureGeneration, "INSERT OR IGNORE INTO session_clear_generations (session_id, generation) VALUES (?, 0)"},
    };
    for (const auto& s : all) {
        auto q = m_conn->prepare(QString::fromLatin1(s.sql));
        if (!q)
            return q.error();
        *s.q = std::move(q).value();
    }
    return {};
}

Result<void> BulkSessionWriter::begin()
{
    return m_conn->begin();
}

Result<void> BulkSessionWriter::commit()
{
    return m_conn->commit();
}

Result<BulkSessionWriter::SessionState*> BulkSessionWriter::state(const QString& sessionId)
{
    auto it = m_sessions.find(sessionId);
    if (it != m_sessions.end())
        return &it.value();
    // A session that already has rows continues where they end, as add_items would.
    SessionState s;
    auto seq = m_conn->scalar(QStringLiteral("SELECT COALESCE(MAX(sequence_number), 0) FROM message_structure WHERE session_id = ?"),
                              {sessionId});
    if (!seq)
        return seq.error();
    s.maxSequence = seq->toLongLong();
    auto q = m_conn->exec(QStringLiteral("SELECT branch_id, COALESCE(MAX(user_turn_number), 0) FROM message_structure "
                                         "WHERE session_id = ? GROUP BY branch_id"),
                          {sessionId});
    if (!q)
        return q.error();
    while (q->next())
        s.maxTurn.insert(q->value(0).toString(), q->value(1).toLongLong());
    s.exists = s.maxSequence > 0;
    return &m_sessions.insert(sessionId, s).value();
}

Result<void> BulkSessionWriter::appendTurns(const QString& sessionId, const QString& branchId, const QList<core::GeneratedTurn>& turns,
                                            const QDateTime& start, qint64 stepSeconds)
{
    auto st = state(sessionId);
    if (!st)
        return st.error();
    SessionState& s = **st;
    const QString startText = sqlTime(start);
    if (auto r = run(m_st->insertSession, {sessionId, startText, startText}); !r)
        return r;
    if (auto r = run(m_st->ensureGeneration, {sessionId}); !r)
        return r;
    for (qsizetype t = 0; t < turns.size(); ++t) {
        const QString at = sqlTime(start.addSecs(t * stepSeconds));
        qint64& turn = s.maxTurn[branchId];
        for (const Json& item : turns.at(t).items) {
            auto cls = core::ItemClassifier::classify(item);
            if (!cls)
                return cls.error();
            if (cls->isUser)
                ++turn;
            if (auto r = run(m_st->insertMessage, {sessionId, QString::fromUtf8(item.dump()), at}); !r)
                return r;
            const qint64 messageId = m_st->insertMessage.lastInsertId().toLongLong();
            if (auto r = run(m_st->insertStructure, {sessionId, messageId, branchId, cls->messageType, ++s.maxSequence, turn, turn,
                                                     cls->toolName ? QVariant(*cls->toolName) : nullText(), at});
                !r)
                return r;
        }
        const core::RunUsage& u = turns.at(t).usage;
        const QString inDetails = QStringLiteral("{\"cache_write_tokens\": %1, \"cached_tokens\": %2}").arg(u.cacheWriteTokens).arg(u.cachedTokens);
        const QString outDetails = QStringLiteral("{\"reasoning_tokens\": %1}").arg(u.reasoningTokens);
        if (auto r = run(m_st->insertUsage, {sessionId, branchId, turn, u.requests, u.inputTokens, u.outputTokens, u.totalTokens,
                                             inDetails, outDetails, at});
            !r)
            return r;
        if (auto r = run(m_st->touchSession, {at, sessionId}); !r)
            return r;
    }
    s.exists = true;
    return {};
}

Result<void> BulkSessionWriter::createBranch(const QString& sessionId, const QString& sourceBranch, qint64 fromTurn,
                                             const QString& name, const QDateTime& at)
{
    auto st = state(sessionId);
    if (!st)
        return st.error();
    SessionState& s = **st;
    // What create_branch_from_turn leaves: reservations back-filled plus the new id, then the
    // source rows before the fork turn copied with fresh sequence numbers.
    if (auto r = SdkSchema::ensureBranchReservations(*m_conn, sessionId); !r)
        return r;
    auto reserved = m_conn->write(QStringLiteral("INSERT OR IGNORE INTO branch_reservations (session_id, branch_id) VALUES (?, ?)"),
                                  {sessionId, name});
    if (!reserved)
        return reserved.error();
    if (*reserved == 0)
        return Error::value(QStringLiteral("Branch ID '%1' has already been used. Choose a new branch ID.").arg(name));
    auto rows = m_conn->exec(QStringLiteral("SELECT message_id, message_type, user_turn_number, branch_turn_number, tool_name "
                                            "FROM message_structure WHERE session_id = ? AND branch_id = ? AND branch_turn_number < ? "
                                            "ORDER BY sequence_number"),
                             {sessionId, sourceBranch, fromTurn});
    if (!rows)
        return rows.error();
    QList<QVariantList> copies;
    while (rows->next())
        copies.push_back({rows->value(0), rows->value(1), rows->value(2), rows->value(3), rows->value(4)});
    rows->finish();
    const QString atText = sqlTime(at);
    qint64 maxTurn = 0;
    for (const QVariantList& c : copies) {
        maxTurn = std::max(maxTurn, c.at(2).toLongLong());
        if (auto r = run(m_st->insertStructure, {sessionId, c.at(0), name, c.at(1), ++s.maxSequence, c.at(2), c.at(3), c.at(4), atText});
            !r)
            return r;
    }
    s.maxTurn[name] = maxTurn;
    return {};
}

Result<void> BulkSessionWriter::setSessionMeta(const QString& sessionId, const core::SessionMeta& meta)
{
    return m_tables->setSessionMeta(sessionId, meta);
}

Result<void> BulkSessionWriter::setBranchMeta(const QString& sessionId, const core::BranchMeta& meta)
{
    return m_tables->setBranchMeta(sessionId, meta);
}

} // namespace tb::storage
