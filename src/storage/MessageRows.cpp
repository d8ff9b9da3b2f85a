// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "MessageRows.h"

#include "SqliteConnection.h"

#include <QSqlQuery>

#include <algorithm>

namespace tb::storage {

using core::Json;
using core::Result;

Result<void> MessageRows::insert(SqliteConnection& c, const SdkSchema::Tables& t, const QString& sessionId,
                                 const QList<Json>& items)
{
    auto s = c.write(QStringLiteral("INSERT OR IGNORE INTO %1 (session_id) VALUES (?)").arg(t.sessions), {sessionId});
    if (!s)
        return s.error();
    const QString insertSql = QStringLiteral("INSERT INTO %1 (session_id, message_data) VALUES (?, ?)").arg(t.messages);
    for (const Json& item : items) {
        auto r = c.write(insertSql, {sessionId, QString::fromUtf8(item.dump())});
        if (!r)
            return r.error();
    }
    auto u = c.write(QStringLiteral("UPDATE %1 SET updated_at = CURRENT_TIMESTAMP WHERE session_id = ?").arg(t.sessions),
                     {sessionId});
    if (!u)
        return u.error();
    return {};
}

namespace {

Result<QList<Json>> decode(SqliteConnection& c, const QString& sql, const QVariantList& binds, bool reverse,
                           qsizetype* rowCount)
{
    auto q = c.exec(sql, binds);
    if (!q)
        return q.error();
    QList<Json> items;
    qsizetype rows = 0;
    while (q->next()) {
        ++rows;
        // Python skips rows json.loads rejects; so do we.
        auto parsed = Json::parse(q->value(0).toString());
        if (parsed)
            items.push_back(std::move(parsed).value());
    }
    q->finish();
    if (reverse)
        std::reverse(items.begin(), items.end());
    if (rowCount)
        *rowCount = rows;
    return items;
}

} // namespace

Result<QList<Json>> MessageRows::read(SqliteConnection& c, const QString& ascSql, const QString& descSql,
                                      const QVariantList& binds, std::optional<qint64> limit)
{
    if (!limit)
        return decode(c, ascSql, binds, false, nullptr);
    if (*limit > 0) {
        qint64 window = *limit;
        while (true) {
            QVariantList b = binds;
            b << window;
            qsizetype rows = 0;
            auto items = decode(c, descSql, b, true, &rows);
            if (!items)
                return items;
            if (items->size() >= *limit)
                return QList<Json>(items->end() - *limit, items->end());
            if (rows < window)
                return items;
            window *= 2;
        }
    }
    QVariantList b = binds;
    b << *limit;
    return decode(c, descSql, b, true, nullptr);
}

} // namespace tb::storage
