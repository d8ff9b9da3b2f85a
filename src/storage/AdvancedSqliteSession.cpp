// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "AdvancedSqliteSession.h"

#include "SqliteConnection.h"

#include "MessageRows.h"

#include "core/ItemClassifier.h"

#include <QDateTime>
#include <QHash>
#include <QSqlQuery>

#include <limits>

namespace tb::storage {

AdvancedSqliteSession::AdvancedSqliteSession() : m_connPtr(std::make_unique<SqliteConnection>()), m_conn(*m_connPtr) {}

AdvancedSqliteSession::~AdvancedSqliteSession() = default;

using core::BranchInfo;
using core::ConversationTurn;
using core::Error;
using core::Json;
using core::Result;

namespace {

// Python's str.isspace(): Unicode whitespace plus the information separators U+001C..U+001F.
bool pyIsSpace(QChar c)
{
    const char16_t u = c.unicode();
    return c.isSpace() || (u >= 0x1c && u <= 0x1f);
}

QString pyStrip(const QString& s)
{
    qsizetype b = 0;
    qsizetype e = s.size();
    while (b < e && pyIsSpace(s.at(b)))
        ++b;
    while (e > b && pyIsSpace(s.at(e - 1)))
        --e;
    return s.mid(b, e - b);
}

// Python slices strings by code points; QString counts UTF-16 units.
QString truncateCodePoints(const QString& s, qsizetype maxCodePoints)
{
    qsizetype cps = 0;
    qsizetype i = 0;
    while (i < s.size()) {
        if (cps == maxCodePoints)
            return s.left(i) + QStringLiteral("...");
        const bool pair = s.at(i).isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate();
        i += pair ? 2 : 1;
        ++cps;
    }
    return s;
}

QString contentPreview(const Json& content, bool truncate)
{
    const QString text = content.isString() ? content.toString() : content.dumpUnicode();
    return truncate ? truncateCodePoints(text, 100) : text;
}

std::optional<qint64> optInt(const QVariant& v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toLongLong();
}

std::optional<QString> optString(const QVariant& v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toString();
}

QVariant bindOpt(const std::optional<QString>& s)
{
    return s ? QVariant(*s) : QVariant(QMetaType(QMetaType::QString));
}

// A stored counter "as stored": integer, real, text or NULL.
Json columnJson(const QVariant& v)
{
    if (v.isNull())
        return Json();
    switch (v.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
        return Json(v.toLongLong());
    case QMetaType::Double:
        return Json(v.toDouble());
    default:
        return Json(v.toString());
    }
}

// `json.loads(text)` if the text is truthy and parses, else None.
Json detailsJson(const QVariant& v)
{
    if (v.isNull())
        return Json();
    const QString text = v.toString();
    if (text.isEmpty())
        return Json();
    auto parsed = Json::parse(text);
    return parsed ? std::move(parsed).value() : Json();
}

QString usageDetailsJson(qint64 a, qint64 b, const char16_t* ka, const char16_t* kb)
{
    Json o = Json::object();
    o.insert(QString::fromUtf16(ka), Json(a));
    if (kb)
        o.insert(QString::fromUtf16(kb), Json(b));
    return QString::fromUtf8(o.dump());
}

// Write transactions start with BEGIN IMMEDIATE. Python's sqlite3 opens its implicit transaction
// right before the first INSERT/UPDATE/DELETE, so the SDK waits up to the 5 s busy timeout for the
// write lock (spec §2). A deferred BEGIN followed by a read (CREATE TABLE IF NOT EXISTS on an
// existing table, a SELECT) would hold a read transaction, and SQLite does not call the busy
// handler when a read transaction is upgraded: the write would fail at once with "database is
// locked" while another connection writes.
constexpr bool kWriteLock = true;

} // namespace

Result<std::unique_ptr<AdvancedSqliteSession>> AdvancedSqliteSession::open(const QString& dbPath, const QString& sessionId,
                                                                           const Options& options)
{
    std::unique_ptr<AdvancedSqliteSession> s(new AdvancedSqliteSession);
    s->m_dbPath = dbPath;
    s->m_sessionId = sessionId;
    s->m_options = options;
    if (!s->m_options.unixSeconds)
        s->m_options.unixSeconds = [] { return QDateTime::currentSecsSinceEpoch(); };
    SqliteConnection::Options co;
    co.readOnly = options.readOnly;
    if (auto opened = s->m_conn.open(dbPath, co); !opened)
        return opened.error();
    if (auto ok = s->init(); !ok)
        return ok.error();
    return s;
}

Result<void> AdvancedSqliteSession::init()
{
    const SdkSchema::Tables& t = m_options.tables;
    if (m_options.readOnly)
        return SdkSchema::checkOwnership(m_conn, t, m_dbPath);
    SqliteTransaction tx(m_conn);
    if (m_options.createTables) {
        if (auto b = tx.begin(true); !b)
            return b.error();
        if (auto r = SdkSchema::createBaseTables(m_conn, t); !r)
            return r.error();
        if (auto r = SdkSchema::createStructureTables(m_conn, t); !r)
            return r.error();
        if (auto r = SdkSchema::checkOwnership(m_conn, t, m_dbPath); !r)
            return r.error();
        if (auto r = SdkSchema::ensureBranchReservations(m_conn, m_sessionId); !r)
            return r.error();
        if (auto r = SdkSchema::ensureClearGeneration(m_conn, m_sessionId); !r)
            return r.error();
        if (auto r = SdkSchema::createStructureIndexes(m_conn); !r)
            return r.error();
    } else {
        if (auto r = SdkSchema::checkOwnership(m_conn, t, m_dbPath); !r)
            return r.error();
        if (auto b = tx.begin(); !b)
            return b.error();
        if (auto r = SdkSchema::createBaseTables(m_conn, t); !r)
            return r.error();
    }
    return tx.commit();
}

Result<void> AdvancedSqliteSession::checkOpen() const
{
    if (m_closed)
        return Error::runtime(QStringLiteral("SQLiteSession is closed"));
    return {};
}

void AdvancedSqliteSession::close()
{
    m_closed = true;
    m_conn.close();
}

Result<qint64> AdvancedSqliteSession::storedGeneration()
{
    auto v = m_conn.scalar(QStringLiteral("SELECT generation FROM session_clear_generations WHERE session_id = ?"), {m_sessionId});
    if (!v)
        return v.error();
    return v->isValid() ? v->toLongLong() : 0;
}

Result<void> AdvancedSqliteSession::refreshAfterExternalClear(bool initialize)
{
    if (initialize) {
        if (auto r = SdkSchema::ensureClearGeneration(m_conn, m_sessionId); !r)
            return r;
    } else if (!m_conn.tableExists(QStringLiteral("session_clear_generations"))) {
        return {};
    }
    auto g = storedGeneration();
    if (!g)
        return g.error();
    if (*g != m_generation) {
        m_generation = *g;
        m_currentBranch = QStringLiteral("main");
    }
    return {};
}

Result<QString> AdvancedSqliteSession::resolveReadBranch(const std::optional<QString>& branchId)
{
    if (branchId)
        return *branchId;
    if (auto r = refreshAfterExternalClear(false); !r)
        return r.error();
    return m_currentBranch;
}

Result<void> AdvancedSqliteSession::commitBranchPointer(const QString& branchId, qint64 generation)
{
    auto g = storedGeneration();
    if (!g)
        return g.error();
    m_generation = *g;
    m_currentBranch = (*g == generation) ? branchId : QStringLiteral("main");
    return {};
}

Result<void> AdvancedSqliteSession::cleanupOrphans()
{
    auto r = m_conn.write(QStringLiteral("DELETE FROM %1 WHERE session_id = ? AND id NOT IN ("
                                         "SELECT message_id FROM message_structure ms WHERE ms.session_id = ?)")
                              .arg(m_options.tables.messages),
                          {m_sessionId, m_sessionId});
    if (!r)
        return r.error();
    return {};
}

Result<QList<Json>> AdvancedSqliteSession::getItems(std::optional<qint64> limit, const std::optional<QString>& branchId)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    const auto effective = limit ? limit : m_options.limit;
    auto branch = resolveReadBranch(branchId);
    if (!branch)
        return branch.error();
    const QString m = m_options.tables.messages;
    // The SDK filters on the message row's session only; the structure row's session is added
    // so SQLite can use idx_structure_branch_seq instead of scanning every structure row of the
    // file (1 s on a 1M-item file). SDK-written rows always share their session with the message
    // they reference, so the answer is the same.
    const QString base = QStringLiteral("SELECT m.message_data FROM %1 m JOIN message_structure s ON m.id = s.message_id "
                                        "WHERE m.session_id = ? AND s.session_id = m.session_id AND s.branch_id = ? ")
                             .arg(m);
    return MessageRows::read(m_conn, base + QStringLiteral("ORDER BY s.sequence_number ASC"),
                             base + QStringLiteral("ORDER BY s.sequence_number DESC LIMIT ?"), {m_sessionId, *branch}, effective);
}

Result<void> AdvancedSqliteSession::addItems(const QList<Json>& items)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    if (items.isEmpty())
        return {};
    // The SDK creates the generation table in autocommit mode (Python runs DDL outside its implicit
    // transactions), so the table stays even when the batch below fails and is rolled back.
    if (auto r = SdkSchema::createGenerationTable(m_conn); !r)
        return r;
    // Classification can fail (TypeError for a list-valued "type"); the SDK then rolls the whole
    // batch back, so deciding before any write gives the same outcome.
    QList<core::ItemClass> classes;
    classes.reserve(items.size());
    for (const Json& item : items) {
        auto c = core::ItemClassifier::classify(item);
        if (!c)
            return c.error();
        classes.push_back(std::move(c).value());
    }

    SqliteTransaction tx(m_conn);
    if (auto b = tx.begin(kWriteLock); !b)
        return b.error();
    if (auto r = refreshAfterExternalClear(true); !r)
        return r;
    if (auto r = MessageRows::insert(m_conn, m_options.tables, m_sessionId, items); !r)
        return r;

    auto idsQuery = m_conn.exec(QStringLiteral("SELECT id FROM %1 WHERE session_id = ? ORDER BY id DESC LIMIT ?").arg(m_options.tables.messages),
                                {m_sessionId, qint64(items.size())});
    if (!idsQuery)
        return idsQuery.error();
    QList<qint64> ids;
    while (idsQuery->next())
        ids.prepend(idsQuery->value(0).toLongLong());
    idsQuery->finish();
    if (ids.size() != items.size())
        return Error::runtime(QStringLiteral("Failed to resolve inserted message IDs while writing structure metadata"));

    auto seq = m_conn.scalar(QStringLiteral("SELECT COALESCE(MAX(sequence_number), 0) FROM message_structure WHERE session_id = ?"),
                             {m_sessionId});
    if (!seq)
        return seq.error();
    auto turns = m_conn.exec(QStringLiteral("SELECT COALESCE(MAX(user_turn_number), 0), COALESCE(MAX(branch_turn_number), 0) "
                                            "FROM message_structure WHERE session_id = ? AND branch_id = ?"),
                             {m_sessionId, m_currentBranch});
    if (!turns)
        return turns.error();
    qint64 turn0 = 0;
    qint64 branchTurn0 = 0;
    if (turns->next()) {
        turn0 = turns->value(0).toLongLong();
        branchTurn0 = turns->value(1).toLongLong();
    }
    turns->finish();

    const qint64 seq0 = seq->toLongLong();
    qint64 users = 0;
    const QString insertSql = QStringLiteral("INSERT INTO message_structure (session_id, message_id, branch_id, message_type, "
                                             "sequence_number, user_turn_number, branch_turn_number, tool_name) "
                                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (qsizetype i = 0; i < items.size(); ++i) {
        const core::ItemClass& c = classes.at(i);
        if (c.isUser)
            ++users;
        auto r = m_conn.write(insertSql, {m_sessionId, ids.at(i), m_currentBranch, c.messageType, seq0 + i + 1, turn0 + users,
                                          branchTurn0 + users, bindOpt(c.toolName)});
        if (!r)
            return r.error();
    }
    return tx.commit();
}

Result<std::optional<Json>> AdvancedSqliteSession::popItem()
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    const QString snapshotBranch = m_currentBranch;
    const qint64 snapshotGeneration = m_generation;

    SqliteTransaction tx(m_conn);
    if (auto b = tx.begin(kWriteLock); !b)
        return b.error();
    if (auto r = refreshAfterExternalClear(true); !r)
        return r.error();
    const QString branch = (m_generation != snapshotGeneration) ? m_currentBranch : snapshotBranch;

    while (true) {
        if (!m_conn.inTransaction()) {
            if (auto b = tx.begin(kWriteLock); !b)
                return b.error();
        }
        if (auto r = SdkSchema::ensureBranchReservations(m_conn, m_sessionId); !r)
            return r.error();
        auto claimed = m_conn.exec(QStringLiteral("DELETE FROM message_structure WHERE id = (SELECT id FROM message_structure "
                                                  "WHERE session_id = ? AND branch_id = ? ORDER BY sequence_number DESC LIMIT 1) "
                                                  "RETURNING message_id, user_turn_number"),
                                   {m_sessionId, branch});
        if (!claimed)
            return claimed.error();
        if (!claimed->next()) {
            claimed->finish();
            if (auto c = tx.commit(); !c)
                return c.error();
            return std::optional<Json>();
        }
        const qint64 messageId = claimed->value(0).toLongLong();
        const QVariant turn = claimed->value(1);
        claimed->finish();

        auto data = m_conn.scalar(QStringLiteral("SELECT message_data FROM %1 WHERE id = ?").arg(m_options.tables.messages), {messageId});
        if (!data)
            return data.error();
        if (auto r = cleanupOrphans(); !r)
            return r.error();
        if (!turn.isNull()) {
            auto left = m_conn.scalar(QStringLiteral("SELECT COUNT(*) FROM message_structure WHERE session_id = ? AND branch_id = ? "
                                                     "AND user_turn_number = ?"),
                                      {m_sessionId, branch, turn});
            if (!left)
                return left.error();
            if (left->toLongLong() == 0) {
                auto d = m_conn.write(QStringLiteral("DELETE FROM turn_usage WHERE session_id = ? AND branch_id = ? AND user_turn_number = ?"),
                                      {m_sessionId, branch, turn});
                if (!d)
                    return d.error();
            }
        }
        if (auto c = tx.commit(); !c)
            return c.error();
        if (!data->isValid())
            continue; // structure row pointed at a missing message
        auto parsed = Json::parse(data->toString());
        if (parsed)
            return std::optional<Json>(std::move(parsed).value());
    }
}

Result<void> AdvancedSqliteSession::clearSession()
{
    if (auto ok = checkOpen(); !ok)
        return ok;
    SqliteTransaction tx(m_conn);
    if (auto b = tx.begin(kWriteLock); !b)
        return b;
    if (auto r = SdkSchema::ensureBranchReservations(m_conn, m_sessionId); !r)
        return r;
    if (auto r = SdkSchema::ensureClearGeneration(m_conn, m_sessionId); !r)
        return r;
    const QStringList deletes = {QStringLiteral("DELETE FROM %1 WHERE session_id = ?").arg(m_options.tables.messages),
                                 QStringLiteral("DELETE FROM %1 WHERE session_id = ?").arg(m_options.tables.sessions),
                                 QStringLiteral("DELETE FROM message_structure WHERE session_id = ?"),
                                 QStringLiteral("DELETE FROM turn_usage WHERE session_id = ?"),
                                 QStringLiteral("UPDATE session_clear_generations SET generation = generation + 1 WHERE session_id = ?")};
    for (const QString& sql : deletes) {
        if (auto r = m_conn.write(sql, {m_sessionId}); !r)
            return r.error();
    }
    auto g = storedGeneration();
    if (!g)
        return g.error();
    if (auto c = tx.commit(); !c)
        return c;
    m_generation = *g;
    m_currentBranch = QStringLiteral("main");
    return {};
}

Result<QString> AdvancedSqliteSession::reserveBranchId(const std::optional<QString>& name, qint64 turnNumber)
{
    const QString sql = QStringLiteral("INSERT OR IGNORE INTO branch_reservations (session_id, branch_id) VALUES (?, ?)");
    if (name) {
        auto r = m_conn.write(sql, {m_sessionId, *name});
        if (!r)
            return r.error();
        if (*r == 0)
            return Error::value(QStringLiteral("Branch ID '%1' has already been used. Choose a new branch ID.").arg(*name));
        return *name;
    }
    const QString base = QStringLiteral("branch_from_turn_%1_%2").arg(turnNumber).arg(m_options.unixSeconds());
    QString id = base;
    for (int suffix = 2;; ++suffix) {
        auto r = m_conn.write(sql, {m_sessionId, id});
        if (!r)
            return r.error();
        if (*r == 1)
            return id;
        id = base + u'_' + QString::number(suffix);
    }
}

Result<QString> AdvancedSqliteSession::createBranchFromTurn(qint64 turnNumber, const std::optional<QString>& branchName)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    SqliteTransaction tx(m_conn);
    if (auto b = tx.begin(true); !b)
        return b.error();
    if (auto r = SdkSchema::ensureBranchReservations(m_conn, m_sessionId); !r)
        return r.error();
    if (auto r = refreshAfterExternalClear(true); !r)
        return r.error();
    const QString source = m_currentBranch;
    const qint64 generation = m_generation;

    auto userRow = m_conn.scalar(QStringLiteral("SELECT 1 FROM message_structure ms JOIN %1 am ON ms.message_id = am.id "
                                                "WHERE ms.session_id = ? AND ms.branch_id = ? AND ms.branch_turn_number = ? "
                                                "AND ms.message_type = 'user'")
                                     .arg(m_options.tables.messages),
                                 {m_sessionId, source, turnNumber});
    if (!userRow)
        return userRow.error();
    if (!userRow->isValid())
        return Error::value(QStringLiteral("Turn %1 does not contain a user message in branch '%2'").arg(turnNumber).arg(source));

    auto id = reserveBranchId(branchName, turnNumber);
    if (!id)
        return id.error();

    // One INSERT ... SELECT copies the rows in sequence order with fresh sequence numbers
    // (MAX over the session + position), as the SDK's row-by-row copy does, in a fraction of the
    // time on long sessions.
    auto copied = m_conn.write(QStringLiteral("INSERT INTO message_structure (session_id, message_id, branch_id, message_type, "
                                              "sequence_number, user_turn_number, branch_turn_number, tool_name) "
                                              "SELECT session_id, message_id, ?, message_type, "
                                              "(SELECT COALESCE(MAX(sequence_number), 0) FROM message_structure WHERE session_id = ?) "
                                              "+ ROW_NUMBER() OVER (ORDER BY sequence_number), user_turn_number, branch_turn_number, "
                                              "tool_name FROM message_structure WHERE session_id = ? AND branch_id = ? "
                                              "AND branch_turn_number < ? ORDER BY sequence_number"),
                               {*id, m_sessionId, m_sessionId, source, turnNumber});
    if (!copied)
        return copied.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    if (auto p = commitBranchPointer(*id, generation); !p)
        return p.error();
    return *id;
}

Result<QString> AdvancedSqliteSession::createBranchFromContent(const QString& searchTerm, const std::optional<QString>& branchName)
{
    auto matches = findTurnsByContent(searchTerm, std::nullopt);
    if (!matches)
        return matches.error();
    if (matches->isEmpty())
        return Error::value(QStringLiteral("No user turns found containing '%1'").arg(searchTerm));
    const auto& turn = matches->first().turn;
    if (!turn)
        return Error::value(QStringLiteral("Turn None does not contain a user message in branch '%1'").arg(m_currentBranch));
    return createBranchFromTurn(*turn, branchName);
}

Result<void> AdvancedSqliteSession::switchToBranch(const QString& branchId)
{
    if (auto ok = checkOpen(); !ok)
        return ok;
    // Created in autocommit mode as the SDK does: a failing switch rolls back the row, not the table.
    if (auto r = SdkSchema::createGenerationTable(m_conn); !r)
        return r;
    SqliteTransaction tx(m_conn);
    if (auto b = tx.begin(kWriteLock); !b)
        return b;
    if (auto r = SdkSchema::ensureClearGeneration(m_conn, m_sessionId); !r)
        return r;
    auto count = branchRowCount(branchId);
    if (!count)
        return count.error();
    if (*count == 0)
        return Error::value(QStringLiteral("Branch '%1' does not exist").arg(branchId));
    auto g = storedGeneration();
    if (!g)
        return g.error();
    if (auto c = tx.commit(); !c)
        return c;
    return commitBranchPointer(branchId, *g);
}

Result<void> AdvancedSqliteSession::deleteBranch(const QString& branchIdIn, bool force)
{
    if (pyStrip(branchIdIn).isEmpty())
        return Error::value(QStringLiteral("Branch ID cannot be empty"));
    const QString branchId = pyStrip(branchIdIn);
    if (branchId == u"main")
        return Error::value(QStringLiteral("Cannot delete the 'main' branch"));
    // The SDK compares with the cached pointer, without the clear-generation refresh (spec §10.15).
    if (branchId == m_currentBranch) {
        if (!force) {
            return Error::value(
                QStringLiteral("Cannot delete current branch '%1'. Use force=True or switch branches first").arg(branchId));
        }
        if (auto r = switchToBranch(QStringLiteral("main")); !r)
            return r;
    }
    if (auto ok = checkOpen(); !ok)
        return ok;
    // Created in autocommit mode as the SDK does: "does not exist" rolls back the back-fill, not the table.
    if (auto r = SdkSchema::createReservationTable(m_conn); !r)
        return r;
    SqliteTransaction tx(m_conn);
    if (auto b = tx.begin(kWriteLock); !b)
        return b;
    if (auto r = SdkSchema::ensureBranchReservations(m_conn, m_sessionId); !r)
        return r;
    auto count = branchRowCount(branchId);
    if (!count)
        return count.error();
    if (*count == 0)
        return Error::value(QStringLiteral("Branch '%1' does not exist").arg(branchId));
    for (const QString& sql : {QStringLiteral("DELETE FROM turn_usage WHERE session_id = ? AND branch_id = ?"),
                               QStringLiteral("DELETE FROM message_structure WHERE session_id = ? AND branch_id = ?")}) {
        if (auto r = m_conn.write(sql, {m_sessionId, branchId}); !r)
            return r.error();
    }
    if (auto r = cleanupOrphans(); !r)
        return r;
    return tx.commit();
}

Result<QList<BranchInfo>> AdvancedSqliteSession::listBranches()
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    auto current = resolveReadBranch(std::nullopt);
    if (!current)
        return current.error();
    auto q = m_conn.exec(QStringLiteral("SELECT ms.branch_id, COUNT(*) as message_count, "
                                        "COUNT(CASE WHEN ms.message_type = 'user' THEN 1 END) as user_turns, "
                                        "MIN(ms.created_at) as created_at FROM message_structure ms WHERE ms.session_id = ? "
                                        "GROUP BY ms.branch_id ORDER BY created_at"),
                         {m_sessionId});
    if (!q)
        return q.error();
    QList<BranchInfo> out;
    while (q->next()) {
        BranchInfo b;
        b.branchId = q->value(0).toString();
        b.messageCount = q->value(1).toLongLong();
        b.userTurns = q->value(2).toLongLong();
        b.isCurrent = b.branchId == *current;
        b.createdAt = q->value(3).toString();
        out.push_back(b);
    }
    return out;
}

Result<void> AdvancedSqliteSession::storeRunUsage(const std::optional<core::RunUsage>& usage)
{
    // The SDK catches and logs everything here; the Result tells callers who want to know.
    if (auto ok = checkOpen(); !ok)
        return ok;
    if (!usage)
        return {};
    auto branch = resolveReadBranch(std::nullopt);
    if (!branch)
        return branch.error();
    auto turnV = m_conn.scalar(QStringLiteral("SELECT COALESCE(MAX(user_turn_number), 0) FROM message_structure "
                                              "WHERE session_id = ? AND branch_id = ?"),
                               {m_sessionId, *branch});
    if (!turnV)
        return turnV.error();
    const qint64 turn = turnV->toLongLong();
    auto anchor = m_conn.scalar(QStringLiteral("SELECT MIN(id) FROM message_structure WHERE session_id = ? AND branch_id = ? "
                                               "AND user_turn_number = ?"),
                                {m_sessionId, *branch, turn});
    if (!anchor)
        return anchor.error();

    SqliteTransaction tx(m_conn);
    if (auto b = tx.begin(kWriteLock); !b)
        return b;
    if (anchor->isValid() && !anchor->isNull()) {
        auto still = m_conn.scalar(QStringLiteral("SELECT 1 FROM message_structure WHERE session_id = ? AND branch_id = ? "
                                                  "AND user_turn_number = ? AND id = ?"),
                                   {m_sessionId, *branch, turn, *anchor});
        if (!still)
            return still.error();
        if (!still->isValid())
            return {};
    }
    const QVariant nullText(QMetaType(QMetaType::QString));
    QVariant inDetails = nullText;
    QVariant outDetails = nullText;
    if (usage->hasDetails) {
        inDetails = usageDetailsJson(usage->cacheWriteTokens, usage->cachedTokens, u"cache_write_tokens", u"cached_tokens");
        outDetails = usageDetailsJson(usage->reasoningTokens, 0, u"reasoning_tokens", nullptr);
    }
    auto w = m_conn.write(QStringLiteral("INSERT OR REPLACE INTO turn_usage (session_id, branch_id, user_turn_number, requests, "
                                         "input_tokens, output_tokens, total_tokens, input_tokens_details, output_tokens_details) "
                                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                          {m_sessionId, *branch, turn, usage->requests, usage->inputTokens, usage->outputTokens,
                           usage->totalTokens, inDetails, outDetails});
    if (!w)
        return w.error();
    return tx.commit();
}

Result<std::optional<core::SessionUsage>> AdvancedSqliteSession::getSessionUsage(const std::optional<QString>& branchId)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    const bool oneBranch = branchId && !branchId->isEmpty(); // `if branch_id:` — "" means all branches
    QString sql = QStringLiteral("SELECT SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(total_tokens), COUNT(*) "
                                 "FROM turn_usage WHERE session_id = ?");
    QVariantList binds{m_sessionId};
    if (oneBranch) {
        sql += QStringLiteral(" AND branch_id = ?");
        binds << *branchId;
    }
    auto q = m_conn.exec(sql, binds);
    if (!q)
        return q.error();
    if (!q->next() || q->value(0).isNull())
        return std::optional<core::SessionUsage>();
    core::SessionUsage u;
    u.requests = q->value(0).toLongLong();
    u.inputTokens = q->value(1).toLongLong();
    u.outputTokens = q->value(2).toLongLong();
    u.totalTokens = q->value(3).toLongLong();
    u.totalTurns = q->value(4).toLongLong();
    return std::optional(u);
}

Result<std::optional<core::TurnUsage>> AdvancedSqliteSession::getTurnUsage(qint64 userTurnNumber,
                                                                          const std::optional<QString>& branchId)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    auto branch = resolveReadBranch(branchId);
    if (!branch)
        return branch.error();
    auto q = m_conn.exec(QStringLiteral("SELECT requests, input_tokens, output_tokens, total_tokens, input_tokens_details, "
                                        "output_tokens_details FROM turn_usage WHERE session_id = ? AND branch_id = ? "
                                        "AND user_turn_number = ?"),
                         {m_sessionId, *branch, userTurnNumber});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<core::TurnUsage>();
    core::TurnUsage u;
    u.userTurnNumber = userTurnNumber;
    u.requests = columnJson(q->value(0));
    u.inputTokens = columnJson(q->value(1));
    u.outputTokens = columnJson(q->value(2));
    u.totalTokens = columnJson(q->value(3));
    u.inputTokensDetails = detailsJson(q->value(4));
    u.outputTokensDetails = detailsJson(q->value(5));
    return std::optional(u);
}

Result<QList<core::TurnUsage>> AdvancedSqliteSession::readUsages(const QString& where, const QVariantList& binds)
{
    auto q = m_conn.exec(QStringLiteral("SELECT user_turn_number, requests, input_tokens, output_tokens, total_tokens, "
                                        "input_tokens_details, output_tokens_details FROM turn_usage "
                                        "WHERE session_id = ? AND branch_id = ? %1 ORDER BY user_turn_number")
                             .arg(where),
                         binds);
    if (!q)
        return q.error();
    QList<core::TurnUsage> out;
    while (q->next()) {
        core::TurnUsage u;
        u.userTurnNumber = optInt(q->value(0));
        u.requests = columnJson(q->value(1));
        u.inputTokens = columnJson(q->value(2));
        u.outputTokens = columnJson(q->value(3));
        u.totalTokens = columnJson(q->value(4));
        u.inputTokensDetails = detailsJson(q->value(5));
        u.outputTokensDetails = detailsJson(q->value(6));
        out.push_back(u);
    }
    return out;
}

Result<QList<core::TurnUsage>> AdvancedSqliteSession::getTurnUsages(const std::optional<QString>& branchId)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    auto branch = resolveReadBranch(branchId);
    if (!branch)
        return branch.error();
    return readUsages(QString(), {m_sessionId, *branch});
}

Result<QList<core::TurnUsage>> AdvancedSqliteSession::turnUsagesBetween(const QString& branchId, qint64 fromTurn, qint64 toTurn)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    return readUsages(QStringLiteral("AND user_turn_number BETWEEN ? AND ?"), {m_sessionId, branchId, fromTurn, toTurn});
}

Result<QList<core::ToolUsage>> AdvancedSqliteSession::getToolUsage(const std::optional<QString>& branchId)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    auto branch = resolveReadBranch(branchId);
    if (!branch)
        return branch.error();
    // Same statement as the SDK so that SQLite orders ties the same way.
    auto q = m_conn.exec(QStringLiteral(
                             "SELECT tool_name, SUM(usage_count), user_turn_number FROM ("
                             " SELECT tool_name, 1 AS usage_count, user_turn_number FROM message_structure"
                             " WHERE session_id = ? AND branch_id = ? AND message_type IN ("
                             " 'tool_call', 'function_call', 'computer_call', 'file_search_call',"
                             " 'web_search_call', 'code_interpreter_call', 'tool_search_call',"
                             " 'custom_tool_call', 'mcp_call', 'mcp_approval_request')"
                             " UNION ALL"
                             " SELECT ms.tool_name, 1 AS usage_count, ms.user_turn_number FROM message_structure ms"
                             " WHERE ms.session_id = ? AND ms.branch_id = ? AND ms.message_type = 'tool_search_output'"
                             " AND NOT EXISTS (SELECT 1 FROM message_structure calls"
                             " WHERE calls.session_id = ms.session_id AND calls.branch_id = ms.branch_id"
                             " AND calls.user_turn_number = ms.user_turn_number AND calls.tool_name = ms.tool_name"
                             " AND calls.message_type = 'tool_search_call'))"
                             " GROUP BY tool_name, user_turn_number ORDER BY user_turn_number"),
                         {m_sessionId, *branch, m_sessionId, *branch});
    if (!q)
        return q.error();
    QList<core::ToolUsage> out;
    while (q->next())
        out.push_back({optString(q->value(0)), q->value(1).toLongLong(), optInt(q->value(2))});
    return out;
}

Result<QList<ConversationTurn>> AdvancedSqliteSession::userTurns(const QString& extraWhere, const QVariantList& extraBinds,
                                                                 const std::optional<QString>& branchId, bool preview)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    auto branch = resolveReadBranch(branchId);
    if (!branch)
        return branch.error();
    QVariantList binds{m_sessionId, *branch};
    binds << extraBinds;
    auto q = m_conn.exec(QStringLiteral("SELECT ms.branch_turn_number, am.message_data, ms.created_at FROM message_structure ms "
                                        "JOIN %1 am ON ms.message_id = am.id WHERE ms.session_id = ? AND ms.branch_id = ? "
                                        "AND ms.message_type = 'user' %2 ORDER BY ms.branch_turn_number")
                             .arg(m_options.tables.messages, extraWhere),
                         binds);
    if (!q)
        return q.error();
    QList<ConversationTurn> out;
    while (q->next()) {
        auto item = Json::parse(q->value(1).toString());
        if (!item || !item->isObject())
            continue; // JSONDecodeError / AttributeError: skipped
        ConversationTurn t;
        t.turn = optInt(q->value(0));
        const Json* content = item->find(u"content");
        t.fullContent = content ? *content : Json(QStringLiteral(""));
        t.content = contentPreview(t.fullContent, preview);
        t.timestamp = q->value(2).toString();
        out.push_back(std::move(t));
    }
    return out;
}

Result<QList<ConversationTurn>> AdvancedSqliteSession::getConversationTurns(const std::optional<QString>& branchId)
{
    return userTurns(QString(), {}, branchId, true);
}

Result<QList<ConversationTurn>> AdvancedSqliteSession::findTurnsByContent(const QString& searchTerm,
                                                                         const std::optional<QString>& branchId)
{
    // LIKE without ESCAPE on the raw JSON text, as the SDK does (spec §6.8).
    return userTurns(QStringLiteral("AND am.message_data LIKE ?"), {QString(QStringLiteral("%") + searchTerm + QStringLiteral("%"))},
                     branchId, false);
}

Result<QList<core::TurnItems>> AdvancedSqliteSession::getConversationByTurns(const std::optional<QString>& branchId)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    auto branch = resolveReadBranch(branchId);
    if (!branch)
        return branch.error();
    auto q = m_conn.exec(QStringLiteral("SELECT user_turn_number, message_type, tool_name FROM message_structure "
                                        "WHERE session_id = ? AND branch_id = ? ORDER BY sequence_number"),
                         {m_sessionId, *branch});
    if (!q)
        return q.error();
    QList<core::TurnItems> out;
    // Position of each turn key in `out` (keys keep the order of first appearance); NULL turn
    // numbers get a key no real turn can have.
    QHash<qint64, qsizetype> index;
    while (q->next()) {
        const std::optional<qint64> turn = optInt(q->value(0));
        const qint64 key = turn.value_or(std::numeric_limits<qint64>::min());
        auto it = index.constFind(key);
        if (it == index.constEnd()) {
            it = index.insert(key, out.size());
            out.push_back({turn, {}});
        }
        out[*it].items.push_back({q->value(1).toString(), optString(q->value(2))});
    }
    return out;
}

Result<QList<core::StoredItem>> AdvancedSqliteSession::readItems(const QString& sql, const QVariantList& binds)
{
    auto q = m_conn.exec(sql, binds);
    if (!q)
        return q.error();
    QList<core::StoredItem> out;
    while (q->next()) {
        core::StoredItem it;
        it.messageId = q->value(0).toLongLong();
        it.sequenceNumber = q->value(1).toLongLong();
        it.turn = optInt(q->value(2));
        it.messageType = q->value(3).toString();
        it.toolName = optString(q->value(4));
        it.createdAt = q->value(5).toString();
        const QVariant data = q->value(6);
        auto parsed = data.isNull() ? Result<Json>(Error::make(Error::Code::Format, QStringLiteral("message row missing")))
                                    : Json::parse(data.toString());
        if (parsed) {
            it.item = std::move(parsed).value();
        } else {
            it.corrupt = true;
            it.rawText = data.toString();
        }
        out.push_back(std::move(it));
    }
    return out;
}

// LEFT JOIN: a structure row whose message is gone is shown as corrupt rather than hidden.
static const char kItemsSelect[] = "SELECT s.message_id, s.sequence_number, s.user_turn_number, s.message_type, s.tool_name, "
                                   "m.created_at, m.message_data FROM message_structure s LEFT JOIN %1 m "
                                   "ON m.id = s.message_id AND m.session_id = s.session_id "
                                   "WHERE s.session_id = ? AND s.branch_id = ? ";

Result<QList<core::StoredItem>> AdvancedSqliteSession::branchItems(const QString& branchId, qint64 offset, qint64 limit)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    return readItems(QString::fromLatin1(kItemsSelect).arg(m_options.tables.messages)
                         + QStringLiteral("ORDER BY s.sequence_number LIMIT ? OFFSET ?"),
                     {m_sessionId, branchId, limit, offset});
}

Result<QList<core::StoredItem>> AdvancedSqliteSession::branchItemsAfter(const QString& branchId, qint64 afterSequence, qint64 limit)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    return readItems(QString::fromLatin1(kItemsSelect).arg(m_options.tables.messages)
                         + QStringLiteral("AND s.sequence_number > ? ORDER BY s.sequence_number LIMIT ?"),
                     {m_sessionId, branchId, afterSequence, limit});
}

Result<qint64> AdvancedSqliteSession::branchItemCount(const QString& branchId)
{
    if (auto ok = checkOpen(); !ok)
        return ok.error();
    return branchRowCount(branchId);
}

Result<qint64> AdvancedSqliteSession::branchRowCount(const QString& branchId)
{
    auto v = m_conn.scalar(QStringLiteral("SELECT COUNT(*) FROM message_structure WHERE session_id = ? AND branch_id = ?"),
                           {m_sessionId, branchId});
    if (!v)
        return v.error();
    return v->toLongLong();
}

} // namespace tb::storage
