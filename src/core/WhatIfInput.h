// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Json.h"
#include "Result.h"
#include "SessionTypes.h"

#include <QList>
#include <QString>

namespace tb::core {

/// The input of a what-if run that re-runs the rest of a turn with one tool output changed: the
/// turn's items up to that output, with the new output text, ready for Runner::run(items) on a
/// branch made with create_branch_from_turn(turn). The model then continues from there.
class WhatIfInput final
{
public:
    /// `turnItems` are the rows of one turn in sequence order (the user message first). Every
    /// function call kept in the input keeps its output (the original one, except for `callId`),
    /// because a model endpoint refuses a call without its output. Fails when the turn has no
    /// function_call_output with that call_id or does not start with a user message.
    static Result<QList<Json>> overrideToolOutput(const QList<StoredItem>& turnItems, const QString& callId,
                                                  const QString& newOutput);

    /// The call id of a function_call or function_call_output item (empty for other items).
    static QString callId(const Json& item);
    /// The output text of a function_call_output (string outputs as they are, lists as JSON).
    static QString outputText(const Json& item);
};

} // namespace tb::core
