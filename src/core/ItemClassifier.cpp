// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ItemClassifier.h"

namespace tb::core {

namespace {

bool isOneOf(const Json& value, std::initializer_list<const char16_t*> names)
{
    if (!value.isString())
        return false;
    const QString s = value.toString();
    for (const char16_t* n : names) {
        if (s == QStringView(n))
            return true;
    }
    return false;
}

} // namespace

Result<ItemClass> ItemClassifier::classify(const Json& item)
{
    ItemClass out;
    if (!item.isObject()) {
        out.messageType = QStringLiteral("other");
        return out;
    }

    const Json& role = item[u"role"];
    const Json& type = item[u"type"];
    if (role.isString() && role.toString() == u"user") {
        out.messageType = QStringLiteral("user");
        out.isUser = true;
    } else if (role.isString() && role.toString() == u"assistant") {
        out.messageType = QStringLiteral("assistant");
    } else if (type.truthy()) {
        out.messageType = type.pythonStr();
    } else {
        out.messageType = QStringLiteral("other");
    }

    // `item_type in {...}` hashes the value first: a list or dict raises before anything else.
    if (type.isArray() || type.isObject()) {
        return Error::type(QStringLiteral("unhashable type: '%1'").arg(type.isArray() ? u"list" : u"dict"));
    }

    if (isOneOf(type, {u"mcp_call", u"mcp_approval_request"}) && item.contains(u"server_label")) {
        const Json& label = item[u"server_label"];
        const Json& name = item[u"name"];
        if (name.truthy() && label.truthy())
            out.toolName = label.pythonStr() + u'.' + name.pythonStr();
        else if (label.truthy())
            out.toolName = label.pythonStr();
        else if (name.truthy())
            out.toolName = name.pythonStr();
    } else if (isOneOf(type, {u"tool_search_call", u"tool_search_output"})) {
        out.toolName = QStringLiteral("tool_search");
    } else if (isOneOf(type, {u"computer_call", u"file_search_call", u"web_search_call", u"code_interpreter_call"})) {
        out.toolName = type.toString();
    } else if (const Json* name = item.find(u"name")) {
        if (!name->isNull()) {
            const QString nameStr = name->pythonStr();
            const Json& ns = item[u"namespace"];
            const std::optional<QString> nsStr = ns.isNull() ? std::nullopt : std::optional(ns.pythonStr());
            if (nameStr.isEmpty())
                out.toolName = QStringLiteral(""); // "qualified or name" falls back to the empty name (not NULL)
            else if (nsStr && !nsStr->isEmpty())
                out.toolName = (*nsStr == nameStr) ? nameStr : *nsStr + u'.' + nameStr;
            else
                out.toolName = nameStr;
        }
    }
    return out;
}

} // namespace tb::core
