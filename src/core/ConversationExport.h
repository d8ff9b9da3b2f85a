// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Json.h"
#include "Result.h"
#include "SessionTypes.h"

#include <QList>
#include <QString>

namespace tb::core {

/// Turns a branch's items into files people and programs read, and reads JSONL back.
/// JSON and JSONL keep each item exactly as stored (Python json.dumps text, key order kept), so an
/// exported conversation imported again stores the same bytes.
class ConversationExport final
{
public:
    struct Header
    {
        QString sessionId;
        QString branchId;
        QString title;
    };

    /// Markdown for humans: turns as headings, messages as text, tool calls and outputs as code
    /// blocks, reasoning summaries as quotes, token usage per turn.
    static QString toMarkdown(const Header& header, const QList<StoredItem>& items, const QList<TurnUsage>& usage);
    /// A JSON document `{"session_id", "branch_id", "items": [...]}`, pretty-printed.
    static QByteArray toJson(const Header& header, const QList<StoredItem>& items);
    /// One item per line, as the SDK stores them.
    static QByteArray toJsonl(const QList<StoredItem>& items);
    /// Items from JSONL text. Blank lines are skipped; any other line that is not a JSON value is an
    /// error naming the line, and nothing is returned.
    static Result<QList<Json>> parseJsonl(const QByteArray& data);

    /// Plain text of a message's content (a string, or the text parts of a list).
    static QString contentText(const Json& content);
};

} // namespace tb::core
