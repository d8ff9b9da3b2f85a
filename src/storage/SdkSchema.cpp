// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SdkSchema.h"

#include "SqliteConnection.h"

#include <QList>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

namespace tb::storage {

using core::Error;
using core::Result;

namespace {

// Whitespace matters: SQLite stores the statement text in sqlite_master, and the SDK's text has
// this indentation (index statements keep their trailing newline and spaces).
QString baseSessionsSql(const SdkSchema::Tables& t)
{
    return QStringLiteral("\n            CREATE TABLE IF NOT EXISTS %1 (\n"
                          "                session_id TEXT PRIMARY KEY,\n"
                          "                created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n"
                          "                updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP\n"
                          "            )\n        ")
        .arg(t.sessions);
}

QString baseMessagesSql(const SdkSchema::Tables& t)
{
    return QStringLiteral("\n            CREATE TABLE IF NOT EXISTS %1 (\n"
                          "                id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                          "                session_id TEXT NOT NULL,\n"
                          "                message_data TEXT NOT NULL,\n"
                          "                created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n"
                          "                FOREIGN KEY (session_id) REFERENCES %2 (session_id)\n"
                          "                    ON DELETE CASCADE\n"
                          "            )\n        ")
        .arg(t.messages, t.sessions);
}

QString baseIndexSql(const SdkSchema::Tables& t)
{
    return QStringLiteral("\n            CREATE INDEX IF NOT EXISTS idx_%1_session_id\n"
                          "            ON %1 (session_id, id)\n        ")
        .arg(t.messages);
}

QString structureSql(const SdkSchema::Tables& t)
{
    return QStringLiteral("\n            CREATE TABLE IF NOT EXISTS message_structure (\n"
                          "                id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                          "                session_id TEXT NOT NULL,\n"
                          "                message_id INTEGER NOT NULL,\n"
                          "                branch_id TEXT NOT NULL DEFAULT 'main',\n"
                          "                message_type TEXT NOT NULL,\n"
                          "                sequence_number INTEGER NOT NULL,\n"
                          "                user_turn_number INTEGER,\n"
                          "                branch_turn_number INTEGER,\n"
                          "                tool_name TEXT,\n"
                          "                created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n"
                          "                FOREIGN KEY (session_id)\n"
                          "                    REFERENCES %1(session_id) ON DELETE CASCADE,\n"
                          "                FOREIGN KEY (message_id)\n"
                          "                    REFERENCES %2(id) ON DELETE CASCADE\n"
                          "            )\n        ")
        .arg(t.sessions, t.messages);
}

QString turnUsageSql(const SdkSchema::Tables& t)
{
    return QStringLiteral("\n            CREATE TABLE IF NOT EXISTS turn_usage (\n"
                          "                id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                          "                session_id TEXT NOT NULL,\n"
                          "                branch_id TEXT NOT NULL DEFAULT 'main',\n"
                          "                user_turn_number INTEGER NOT NULL,\n"
                          "                requests INTEGER DEFAULT 0,\n"
                          "                input_tokens INTEGER DEFAULT 0,\n"
                          "                output_tokens INTEGER DEFAULT 0,\n"
                          "                total_tokens INTEGER DEFAULT 0,\n"
                          "                input_tokens_details JSON,\n"
                          "                output_tokens_details JSON,\n"
                          "                created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n"
                          "                FOREIGN KEY (session_id)\n"
                          "                    REFERENCES %1(session_id) ON DELETE CASCADE,\n"
                          "                UNIQUE(session_id, branch_id, user_turn_number)\n"
                          "            )\n        ")
        .arg(t.sessions);
}

struct ForeignKey
{
    QString parent;
    QVariant from;
    QVariant to; // NULL for a bare "REFERENCES table"
};

Result<QList<ForeignKey>> foreignKeys(SqliteConnection& c, const QString& table)
{
    // PRAGMA arguments cannot be bound; the table names here are our own constants or the
    // configured names, which the SDK also splices into its SQL.
    auto q = c.exec(QStringLiteral("PRAGMA foreign_key_list(%1)").arg(table));
    if (!q)
        return q.error();
    QList<ForeignKey> out;
    while (q->next())
        out.push_back({q->value(2).toString(), q->value(3), q->value(4)});
    return out;
}

bool variantIdentEq(const QVariant& v, const QString& s)
{
    return !v.isNull() && SdkSchema::identifiersEqual(v.toString(), s);
}

QString pyStr(const QVariant& v)
{
    return v.isNull() ? QStringLiteral("None") : v.toString();
}

} // namespace

bool SdkSchema::identifiersEqual(const QString& a, const QString& b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        char16_t x = a.at(i).unicode();
        char16_t y = b.at(i).unicode();
        if (x >= u'A' && x <= u'Z')
            x = char16_t(x + 32);
        if (y >= u'A' && y <= u'Z')
            y = char16_t(y + 32);
        if (x != y)
            return false;
    }
    return true;
}

Result<void> SdkSchema::createBaseTables(SqliteConnection& c, const Tables& t)
{
    for (const QString& sql : {baseSessionsSql(t), baseMessagesSql(t), baseIndexSql(t)}) {
        auto r = c.write(sql);
        if (!r)
            return r.error();
    }
    return {};
}

Result<void> SdkSchema::createStructureTables(SqliteConnection& c, const Tables& t)
{
    for (const QString& sql : {structureSql(t), turnUsageSql(t)}) {
        auto r = c.write(sql);
        if (!r)
            return r.error();
    }
    return {};
}

Result<void> SdkSchema::createStructureIndexes(SqliteConnection& c)
{
    static const char* const kIndexes[] = {
        "\n            CREATE INDEX IF NOT EXISTS idx_structure_session_seq\n"
        "            ON message_structure(session_id, sequence_number)\n        ",
        "\n            CREATE INDEX IF NOT EXISTS idx_structure_branch\n"
        "            ON message_structure(session_id, branch_id)\n        ",
        "\n            CREATE INDEX IF NOT EXISTS idx_structure_turn\n"
        "            ON message_structure(session_id, branch_id, user_turn_number)\n        ",
        "\n            CREATE INDEX IF NOT EXISTS idx_structure_branch_seq\n"
        "            ON message_structure(session_id, branch_id, sequence_number)\n        ",
        "\n            CREATE INDEX IF NOT EXISTS idx_turn_usage_session_turn\n"
        "            ON turn_usage(session_id, branch_id, user_turn_number)\n        ",
    };
    for (const char* sql : kIndexes) {
        auto r = c.write(QString::fromLatin1(sql));
        if (!r)
            return r.error();
    }
    return {};
}

Result<void> SdkSchema::createReservationTable(SqliteConnection& c)
{
    auto r = c.write(QStringLiteral("\n            CREATE TABLE IF NOT EXISTS branch_reservations (\n"
                                    "                session_id TEXT NOT NULL,\n"
                                    "                branch_id TEXT NOT NULL,\n"
                                    "                PRIMARY KEY (session_id, branch_id)\n"
                                    "            )\n        "));
    if (!r)
        return r.error();
    return {};
}

Result<void> SdkSchema::createGenerationTable(SqliteConnection& c)
{
    auto r = c.write(QStringLiteral("\n            CREATE TABLE IF NOT EXISTS session_clear_generations (\n"
                                    "                session_id TEXT PRIMARY KEY,\n"
                                    "                generation INTEGER NOT NULL DEFAULT 0\n"
                                    "            )\n        "));
    if (!r)
        return r.error();
    return {};
}

Result<void> SdkSchema::createAdvancedSchema(SqliteConnection& c, const Tables& t)
{
    for (auto step : {createBaseTables, createStructureTables}) {
        if (auto r = step(c, t); !r)
            return r;
    }
    for (auto step : {createReservationTable, createGenerationTable, createStructureIndexes}) {
        if (auto r = step(c); !r)
            return r;
    }
    return {};
}

Result<void> SdkSchema::ensureBranchReservations(SqliteConnection& c, const QString& sessionId)
{
    if (auto r = createReservationTable(c); !r)
        return r;
    // Same question as the SDK's (is any branch of the session unreserved?), asked over the
    // distinct branch ids of a covering index instead of every structure row.
    auto missing = c.scalar(QStringLiteral("SELECT 1 FROM (SELECT DISTINCT branch_id FROM message_structure WHERE session_id = ?) b "
                                           "WHERE NOT EXISTS (SELECT 1 FROM branch_reservations br WHERE br.session_id = ? "
                                           "AND br.branch_id = b.branch_id) LIMIT 1"),
                            {sessionId, sessionId});
    if (!missing)
        return missing.error();
    if (missing->isValid()) {
        auto ins = c.write(QStringLiteral("INSERT OR IGNORE INTO branch_reservations (session_id, branch_id) "
                                          "SELECT DISTINCT session_id, branch_id FROM message_structure WHERE session_id = ?"),
                           {sessionId});
        if (!ins)
            return ins.error();
    }
    return {};
}

Result<void> SdkSchema::ensureClearGeneration(SqliteConnection& c, const QString& sessionId)
{
    if (auto r = createGenerationTable(c); !r)
        return r;
    auto ins = c.write(QStringLiteral("INSERT OR IGNORE INTO session_clear_generations (session_id, generation) VALUES (?, 0)"),
                       {sessionId});
    if (!ins)
        return ins.error();
    return {};
}

Result<qint64> SdkSchema::unstructuredItemCount(SqliteConnection& c, const QString& sessionId, const QString& messagesTable)
{
    if (!c.tableExists(messagesTable))
        return qint64(0);
    QString quoted = messagesTable;
    quoted.replace(u'"', QStringLiteral("\"\""));
    const QString messages = QStringLiteral("SELECT COUNT(*) FROM \"%1\" WHERE session_id = ?").arg(quoted);
    // A difference of counts, not NOT EXISTS per row: message_structure has no index on message_id,
    // and the SDK only ever points a session's structure rows at that session's messages.
    const QString sql = c.tableExists(QStringLiteral("message_structure"))
                            ? QStringLiteral("SELECT (%1) - (SELECT COUNT(DISTINCT message_id) FROM message_structure "
                                             "WHERE session_id = ?)")
                                  .arg(messages)
                            : messages;
    QVariantList binds{sessionId};
    if (sql != messages)
        binds << sessionId;
    auto n = c.scalar(sql, binds);
    if (!n)
        return n.error();
    return std::max<qint64>(0, n->toLongLong());
}

Result<void> SdkSchema::checkOwnership(SqliteConnection& c, const Tables& t, const QString& dbPath)
{
    struct Owner
    {
        QString table;
        QStringList columns;
    };
    const QList<Owner> owners = {{QStringLiteral("message_structure"), {QStringLiteral("session_id"), QStringLiteral("message_id")}},
                                 {QStringLiteral("turn_usage"), {QStringLiteral("session_id")}}};
    QList<QList<ForeignKey>> ownerRows; // per table, the single FK of each required column
    for (const Owner& o : owners) {
        auto fks = foreignKeys(c, o.table);
        if (!fks)
            return fks.error();
        QList<ForeignKey> chosen;
        for (const QString& col : o.columns) {
            QList<ForeignKey> matching;
            for (const ForeignKey& fk : *fks) {
                if (variantIdentEq(fk.from, col))
                    matching.push_back(fk);
            }
            if (matching.size() != 1) {
                return Error::value(
                    QStringLiteral("The `%1` table in %2 does not record exactly one owner foreign key for each required "
                                   "base-table column. Construct an AdvancedSQLiteSession with create_tables=True to "
                                   "create and claim the structure tables before opening the database without them.")
                        .arg(o.table, dbPath));
            }
            chosen.push_back(matching.first());
        }
        ownerRows.push_back(chosen);
    }

    // Resolve the configured names to SQLite's stored spelling.
    auto resolve = [&](const QString& name) -> Result<QString> {
        auto q = c.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE"),
                        {name});
        if (!q)
            return q.error();
        QStringList found;
        while (q->next())
            found << q->value(0).toString();
        if (found.isEmpty()) {
            return Error::value(QStringLiteral("The configured base tables in %1 are missing. Construct an "
                                               "AdvancedSQLiteSession with create_tables=True to initialize and claim the "
                                               "database before opening it without table creation.")
                                    .arg(dbPath));
        }
        if (found.size() != 1)
            return Error::value(QStringLiteral("The configured table identifier '%1' is ambiguous.").arg(name));
        return found.first();
    };
    auto sessions = resolve(t.sessions);
    if (!sessions)
        return sessions.error();
    auto messages = resolve(t.messages);
    if (!messages)
        return messages.error();

    auto baseFks = foreignKeys(c, t.messages);
    if (!baseFks)
        return baseFks.error();
    QList<ForeignKey> sessionRows;
    for (const ForeignKey& fk : *baseFks) {
        if (variantIdentEq(fk.from, QStringLiteral("session_id")) && variantIdentEq(fk.to, QStringLiteral("session_id")))
            sessionRows.push_back(fk);
    }
    if (sessionRows.size() != 1 || !identifiersEqual(sessionRows.first().parent, *sessions)) {
        const QString found = sessionRows.size() == 1 ? sessionRows.first().parent : QStringLiteral("ambiguous ownership");
        return Error::value(QStringLiteral("The configured messages table '%1' in %2 belongs to sessions table '%3', not to "
                                           "the configured '%4'. Give each sessions_table/messages_table pair its own db_path.")
                                .arg(*messages, dbPath, found, *sessions));
    }

    const QHash<QString, QString> ownedBy = {{QStringLiteral("session_id"), *sessions}, {QStringLiteral("message_id"), *messages}};
    const QHash<QString, QString> targetColumn = {{QStringLiteral("session_id"), QStringLiteral("session_id")},
                                                  {QStringLiteral("message_id"), QStringLiteral("id")}};
    for (qsizetype i = 0; i < owners.size(); ++i) {
        const Owner& o = owners.at(i);
        bool mismatch = false;
        QStringList found;
        QStringList configured;
        for (qsizetype k = 0; k < o.columns.size(); ++k) {
            const ForeignKey& fk = ownerRows.at(i).at(k);
            const QString& col = o.columns.at(k);
            if (!identifiersEqual(fk.parent, ownedBy.value(col)) || !variantIdentEq(fk.to, targetColumn.value(col)))
                mismatch = true;
            found << QStringLiteral("%1(%2)").arg(fk.parent, pyStr(fk.to));
            configured << ownedBy.value(col);
        }
        if (mismatch) {
            return Error::value(QStringLiteral("The `%1` table in %2 already belongs to '%3', not to the configured '%4'. "
                                               "Structure tables are shared per database file, so give each "
                                               "sessions_table/messages_table pair its own db_path.")
                                    .arg(o.table, dbPath, found.join(u'/'), configured.join(u'/')));
        }
    }
    return {};
}

} // namespace tb::storage
