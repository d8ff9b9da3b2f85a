// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Json.h"

#include <QString>

namespace tb::agent {

/// The built-in demo function tools, answering as in the lesson the workbench is built around,
/// so a newcomer can try a tool-using run without writing a tool.
class DemoTools final
{
public:
    /// The `parameters` JSON schema of check_order_status (core::AgentDefinition::builtinTool's).
    static core::Json checkOrderStatusSchema();
    /// `check_order_status(order_id)`: "ORD-123" is shipped, anything else is not found.
    /// `argumentsJson` is the model's argument text; malformed JSON is answered, not thrown.
    static QString checkOrderStatus(const QString& argumentsJson);
};

} // namespace tb::agent
