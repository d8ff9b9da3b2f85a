// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Json.h"
#include "Result.h"

#include <optional>

namespace tb::core {

/// How the SDK's AdvancedSQLiteSession files an item in `message_structure` (spec §4.2, §4.3).
struct ItemClass
{
    QString messageType;              // user, assistant, function_call, ..., other
    std::optional<QString> toolName;  // NULL in the database when absent
    bool isUser = false;              // starts a new turn
};

/// Classification of items exactly as the SDK does it, Python truthiness and str() included.
class ItemClassifier final
{
public:
    /// Fails with TypeError "unhashable type: 'list'" (or 'dict') for a list/object `type`, which
    /// makes the SDK roll back the whole add_items batch.
    static Result<ItemClass> classify(const Json& item);
};

} // namespace tb::core
