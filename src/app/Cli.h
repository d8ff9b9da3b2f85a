// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QStringList>
#include <QTextStream>

namespace tb::app {

/// The headless command-line interface: `threadbench <command> ...`. Every command writes its
/// result to `out`, its diagnostics to `err`, and returns the process exit code
/// (0 ok, 2 usage or I/O error, 3 the SDK raised an exception).
class Cli final
{
public:
    static constexpr int kExitOk = 0;
    static constexpr int kExitFailure = 2;
    static constexpr int kExitRaised = 3;

    /// True when `arg` names a CLI command (so main() must not start the GUI).
    static bool isCommand(const QString& arg);
    /// `args` without the program name: command first.
    static int run(const QStringList& args, QTextStream& out, QTextStream& err);
    static QString usage();

    /// Prints "threadbench COMMAND: message" on `err` and returns `code` (for `return fail(...)`).
    static int fail(QTextStream& err, const QString& command, const QString& message, int code = kExitFailure);
    /// `s` on one line, cut to `max` characters with an ellipsis (tool arguments, raw rows).
    static QString oneLine(QString s, qsizetype max);
};

} // namespace tb::app
