// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QStringList>
#include <QTextStream>

namespace tb::app {

/// Read-only commands for analysts: `sessions`, `show`, `branches`, `usage`. Human-readable
/// tables by default, `--json` for scripts. They open the file read-only and never change it.
class AnalystCommands final
{
public:
    static int sessions(const QStringList& args, QTextStream& out, QTextStream& err);
    static int show(const QStringList& args, QTextStream& out, QTextStream& err);
    static int branches(const QStringList& args, QTextStream& out, QTextStream& err);
    static int usage(const QStringList& args, QTextStream& out, QTextStream& err);
};

} // namespace tb::app
