// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "WhatIfInput.h"

#include <QSet>

namespace tb::core {

QString WhatIfInput::callId(const Json& item)
{
    const QString type = item[u"type"].toString();
    if (type == u"function_call" || type == u"function_call_output")
        return item[u"call_id"].toString();
    return {};
}

QString WhatIfInput::outputText(const Json& item)
{
    const Json& output = item[u"output"];
    if (output.isString())
        return output.toString();
    return QString::fromUtf8(output.dump());
}

Result<QList<Json>> WhatIfInput::overrideToolOutput(const QList<StoredItem>& turnItems, const QString& callId,
                                                    const QString& newOutput)
{
    if (turnItems.isEmpty() || turnItems.first().corrupt || turnItems.first().item[u"role"].toString() != u"user")
        return Error::make(Error::Code::Value, QStringLiteral("the turn does not start with a user message"));
    qsizetype target = -1;
    for (qsizetype i = 0; i < turnItems.size(); ++i) {
        const Json& item = turnItems.at(i).item;
        if (!turnItems.at(i).corrupt && item[u"type"].toString() == u"function_call_output" && WhatIfInput::callId(item) == callId) {
            target = i;
            break;
        }
    }
    if (target < 0)
        return Error::make(Error::Code::Value, QStringLiteral("no output of tool call %1 in this turn").arg(callId));

    QList<Json> input;
    QSet<QString> answered;
    QStringList open; // calls in the input still waiting for their output, in call order
    for (qsizetype i = 0; i <= target; ++i) {
        if (turnItems.at(i).corrupt)
            continue; // a row that is not JSON cannot be sent; the model sees the rest
        Json item = turnItems.at(i).item;
        const QString type = item[u"type"].toString();
        const QString id = WhatIfInput::callId(item);
        if (type == u"function_call")
            open << id;
        if (type == u"function_call_output") {
            answered.insert(id);
            open.removeAll(id);
            if (i == target)
                item.insert(QStringLiteral("output"), Json(newOutput));
        }
        input << item;
    }
    // Parallel calls answered after the edited one keep their original outputs.
    for (qsizetype i = target + 1; i < turnItems.size() && !open.isEmpty(); ++i) {
        const Json& item = turnItems.at(i).item;
        const QString id = WhatIfInput::callId(item);
        if (item[u"type"].toString() == u"function_call_output" && open.contains(id) && !answered.contains(id)) {
            input << item;
            answered.insert(id);
            open.removeAll(id);
        }
    }
    if (!open.isEmpty())
        return Error::make(Error::Code::Value, QStringLiteral("tool call %1 of this turn has no output").arg(open.first()));
    return input;
}

} // namespace tb::core
