// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QStringList>
#include <QTextStream>

namespace tb::app {

/// `threadbench report DB_OR_FOLDER [--session S]... [--branch B] [--from DATE] [--to DATE]
/// [--prices FILE] [--default-model M] [--model M] [--compare M] --format csv|json|md|html|pdf
/// -o FILE`: a usage report of a file or a folder of files (a workspace), read-only.
class ReportCommand final
{
public:
    static int run(const QStringList& args, QTextStream& out, QTextStream& err);
    /// True for `report ... --format pdf|html` (argv as main() gets it): those draw charts, so
    /// main() must create a QApplication (offscreen when there is no display).
    static bool needsGui(int argc, char** argv);
};

} // namespace tb::app
