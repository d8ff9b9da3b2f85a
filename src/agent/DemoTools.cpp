// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "DemoTools.h"

namespace tb::agent {

using core::Json;

Json DemoTools::checkOrderStatusSchema()
{
    Json orderId = Json::object();
    orderId.insert(QStringLiteral("type"), Json(QStringLiteral("string")));
    orderId.insert(QStringLiteral("description"), Json(QStringLiteral("The order number, e.g. ORD-123")));
    Json props = Json::object();
    props.insert(QStringLiteral("order_id"), orderId);
    Json schema = Json::object();
    schema.insert(QStringLiteral("type"), Json(QStringLiteral("object")));
    schema.insert(QStringLiteral("properties"), props);
    schema.insert(QStringLiteral("required"), Json(Json::Array{Json(QStringLiteral("order_id"))}));
    schema.insert(QStringLiteral("additionalProperties"), Json(false));
    return schema;
}

QString DemoTools::checkOrderStatus(const QString& argumentsJson)
{
    auto args = Json::parse(argumentsJson);
    if (!args || !args->isObject() || !(*args)[u"order_id"].isString())
        return QStringLiteral("Error: expected arguments {\"order_id\": \"...\"}");
    const QString id = (*args)[u"order_id"].toString().trimmed();
    if (id.compare(u"ORD-123", Qt::CaseInsensitive) == 0)
        return QStringLiteral("Order shipped on Dec 15, arriving Dec 20");
    return QStringLiteral("Order not found");
}

} // namespace tb::agent
