// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Result.h"

#include <QString>

namespace tb::app {

/// The bundled demo database: realistic support sessions with tool calls, reasoning, what-if
/// branches, usage and review metadata, generated deterministically by our own generator so a
/// newcomer sees real content at once (and tests can rely on its shape).
class DemoDatabase final
{
public:
    struct Options
    {
        int sessions = 48;
        quint64 seed = 20261126;
    };

    /// Writes a new file at `path` (which must not exist yet).
    static core::Result<void> generate(const QString& path, const Options& options);
    static core::Result<void> generate(const QString& path) { return generate(path, Options{}); }
    /// Where the GUI keeps its copy: the application data folder.
    static QString defaultPath();
};

} // namespace tb::app
