// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ReplayTool.h"

#include "core/Session.h"

#include <QSet>

namespace tb::agent {

using core::Json;

namespace {

Json parsedArguments(const Json& item)
{
    const QString text = item[u"arguments"].toString();
    if (text.isEmpty())
        return Json::object(); // the SDK reads missing arguments as {}
    auto parsed = Json::parse(text);
    return parsed ? std::move(parsed).value() : Json(text);
}

} // namespace

core::Result<std::optional<ReplayTool::Recording>>
ReplayTool::findRecording(core::BranchingSession& session, const QString& toolName, const Json& arguments)
{
    auto branches = session.listBranches();
    if (!branches)
        return branches.error();
    const QString current = session.currentBranch();
    for (const core::BranchInfo& branch : *branches) {
        if (branch.branchId == current)
            continue;
        auto rows = session.branchItems(branch.branchId, 0, -1);
        if (!rows)
            return rows.error();
        // Matching calls seen so far: a call whose output never got stored must not hide a later one.
        QSet<QString> candidates;
        for (const core::StoredItem& row : *rows) {
            if (row.corrupt || !row.item.isObject())
                continue;
            const Json& item = row.item;
            const QString type = item[u"type"].toString();
            const QString callId = item[u"call_id"].toString();
            if (type == u"function_call" && item[u"name"].toString() == toolName && parsedArguments(item) == arguments)
                candidates.insert(callId);
            else if (type == u"function_call_output" && candidates.contains(callId))
                return std::optional<Recording>(Recording{branch.branchId, callId, item[u"output"]});
        }
    }
    return std::optional<Recording>();
}

ToolRun* ReplayTool::start(const ToolInvocation& call, QObject* parent)
{
    if (!call.session)
        return ToolRun::completed(Json(failureOutput(QStringLiteral("replay needs the run's session"))), parent);
    auto found = findRecording(*call.session, call.name, call.arguments);
    if (!found)
        return ToolRun::completed(Json(failureOutput(found.error().message)), parent);
    if (!*found) {
        return ToolRun::completed(
            Json(QStringLiteral("No recorded output: no other branch of this session has a %1 call with arguments %2")
                     .arg(call.name, call.arguments.dumpUnicode())),
            parent);
    }
    return ToolRun::completed((*found)->output, parent);
}

} // namespace tb::agent
