// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SessionCopy.h"

#include <QCoreApplication>

namespace tb::core {

namespace {

Result<bool> hasSession(SessionStore& store, const QString& id)
{
    if (store.schemaKind() == SchemaKind::Empty)
        return false;
    auto session = store.openPlainSession(id, {});
    if (!session)
        return session.error();
    auto items = (*session)->getItems(1);
    if (!items)
        return items.error();
    return !items->isEmpty();
}

} // namespace

Result<QString> SessionCopy::inPlaceRisk(SessionStore& store, const QString& sessionId)
{
    if (store.isReadOnly())
        return QStringLiteral("The file is open read-only.");
    auto production = store.isProductionFile();
    if (!production)
        return production.error();
    // A scratch copy made here is the analyst's own: no production reader knows its id.
    auto meta = store.sessionMeta(sessionId);
    const bool scratch = meta && meta->tags.contains(QStringLiteral("what-if"));
    if (*production && !scratch)
        return QStringLiteral("The file is flagged as production: what-if work goes to a scratch copy.");
    if (store.schemaKind() != SchemaKind::Advanced)
        return QStringLiteral("This is a plain SQLiteSession file: its reader would take every branch's items as the "
                              "customer's real conversation.");
    auto unstructured = store.unstructuredItemCount(sessionId);
    if (!unstructured)
        return unstructured.error();
    if (*unstructured > 0)
        return QStringLiteral("%1 item(s) of this session were written by a plain SQLiteSession, which ignores branches: "
                              "a what-if branch here would become part of the customer's real memory.")
            .arg(*unstructured);
    return QString();
}

Result<QString> SessionCopy::freeSessionId(SessionStore& store, const QString& base)
{
    for (int n = 1; n < 10000; ++n) {
        const QString candidate = n == 1 ? base + QStringLiteral("-whatif") : base + QStringLiteral("-whatif-%1").arg(n);
        auto taken = hasSession(store, candidate);
        if (!taken)
            return taken.error();
        if (!*taken)
            return candidate;
    }
    return Error::make(Error::Code::Value, QStringLiteral("no free session id for a copy of %1").arg(base));
}

Result<qint64> SessionCopy::copy(SessionStore& from, const QString& sessionId, const QString& branchId, SessionStore& to,
                                 const QString& newId)
{
    if (to.isReadOnly())
        return Error::make(Error::Code::ReadOnly, QStringLiteral("%1 is open read-only").arg(to.path()));
    QList<Json> items;
    auto unstructured = from.schemaKind() == SchemaKind::Advanced ? from.unstructuredItemCount(sessionId) : Result<qint64>(qint64(1));
    if (!unstructured)
        return unstructured.error();
    if (*unstructured == 0) {
        auto session = from.openSession(sessionId, {});
        if (!session)
            return session.error();
        auto rows = (*session)->branchItems(branchId, 0, -1);
        if (!rows)
            return rows.error();
        for (const StoredItem& row : *rows) {
            if (!row.corrupt)
                items << row.item;
        }
    } else {
        // What a plain reader sees is the truth of such a session: every item, in id order.
        auto session = from.openPlainSession(sessionId, {});
        if (!session)
            return session.error();
        auto all = (*session)->getItems(std::nullopt);
        if (!all)
            return all.error();
        items = *all;
    }
    auto taken = hasSession(to, newId);
    if (!taken)
        return taken.error();
    if (*taken)
        return Error::make(Error::Code::Value, QStringLiteral("session %1 already exists").arg(newId));
    SessionOpenOptions options;
    options.createTables = true;
    auto target = to.openSession(newId, options);
    if (!target)
        return target.error();
    if (!items.isEmpty()) {
        if (auto added = (*target)->addItems(items); !added)
            return added.error();
    }
    // The copy says what it is in the listing; a failure here leaves a valid copy, so it is ignored.
    auto meta = from.sessionMeta(sessionId);
    SessionMeta copyMeta = meta ? *meta : SessionMeta{};
    copyMeta.title = QCoreApplication::translate("tb::core::SessionCopy", "What-if copy of %1").arg(sessionId);
    if (!copyMeta.tags.contains(QStringLiteral("what-if")))
        copyMeta.tags << QStringLiteral("what-if");
    copyMeta.reviewStatus = ReviewStatus::New;
    (void)to.setSessionMeta(newId, copyMeta);
    return qint64(items.size());
}

} // namespace tb::core
