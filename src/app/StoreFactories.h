// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/BranchMerge.h"
#include "core/Result.h"
#include "core/SessionStore.h"

#include <functional>
#include <memory>

namespace tb::app {

/// How the window opens and creates database files: the concrete SQLite store behind the
/// core::SessionStore interface the ui layer sees.
class StoreFactories final
{
public:
    using Factory = std::function<core::Result<std::unique_ptr<core::SessionStore>>(const QString& path, bool readOnly)>;

    /// Opens an existing file (read-only when asked, or when the file cannot be written).
    static Factory open();
    /// Creates a new file with the SDK's advanced schema (or opens it if it exists).
    static Factory create();

    using MergeFactory = std::function<core::Result<std::unique_ptr<core::BranchMerge>>(const QString& path, bool readOnly)>;
    /// Promote / carry / undo on a file, on a connection of its own (read-only: findings only).
    static MergeFactory merge();
};

} // namespace tb::app
