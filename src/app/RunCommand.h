// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QStringList>
#include <QTextStream>

namespace tb::app {

/// `threadbench run DB SESSION_ID "message" ...`: one agent run against a model endpoint, streamed
/// to the terminal and stored as the SDK's Runner stores it. `threadbench agents ...` lists,
/// imports and exports agent definitions.
class RunCommand final
{
public:
    static constexpr int kExitRunFailed = 4;

    static int run(const QStringList& args, QTextStream& out, QTextStream& err);
    static int agents(const QStringList& args, QTextStream& out, QTextStream& err);
};

} // namespace tb::app
