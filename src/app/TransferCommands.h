// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QStringList>
#include <QTextStream>

namespace tb::app {

/// `export` (a conversation to Markdown, JSON or JSONL) and `import` (JSONL items as a new session).
class TransferCommands final
{
public:
    static int exportConversation(const QStringList& args, QTextStream& out, QTextStream& err);
    static int importConversation(const QStringList& args, QTextStream& out, QTextStream& err);
};

} // namespace tb::app
