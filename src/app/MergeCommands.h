// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QStringList>
#include <QTextStream>

namespace tb::app {

/// `promote` (a what-if branch becomes the session's main, the old main is kept as a branch) and
/// `carry` (an analyst's finding from a branch is appended to main). The CLI acts when told; the
/// window asks for confirmation and offers undo.
class MergeCommands final
{
public:
    static int promote(const QStringList& args, QTextStream& out, QTextStream& err);
    static int carry(const QStringList& args, QTextStream& out, QTextStream& err);
};

} // namespace tb::app
