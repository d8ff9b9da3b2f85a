// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BuiltinTools.h"

#include "DemoTools.h"
#include "FunctionTool.h"
#include "TaskTools.h"
#include "core/AgentDefinition.h"

namespace tb::agent {

using core::Json;

std::unique_ptr<Tool> BuiltinTools::create(const core::ToolBinding& binding, core::TaskList* tasks)
{
    const QString& which = binding.implementation.builtin;
    FunctionTool::Function fn;
    if (which == u"check_order_status") {
        fn = [](const ToolInvocation& call) { return Json(DemoTools::checkOrderStatus(call.argumentsText)); };
    } else if (which == u"add_task") {
        fn = [tasks](const ToolInvocation& call) {
            return Json(TaskTools::addTask(tasks, call.sessionId, call.arguments));
        };
    } else if (which == u"list_tasks") {
        fn = [tasks](const ToolInvocation& call) { return Json(TaskTools::listTasks(tasks, call.sessionId)); };
    } else if (which == u"complete_task") {
        fn = [tasks](const ToolInvocation& call) {
            return Json(TaskTools::completeTask(tasks, call.sessionId, call.arguments));
        };
    } else {
        return nullptr;
    }
    return std::make_unique<FunctionTool>(binding.definition, std::move(fn));
}

} // namespace tb::agent
