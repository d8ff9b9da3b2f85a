// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "DemoTools.h"

#include "core/AgentDefinition.h"

namespace tb::agent {

using core::Json;

Json DemoTools::checkOrderStatusSchema()
{
    return core::AgentDefinition::builtinTool(u"check_order_status")->definition.parameters;
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
