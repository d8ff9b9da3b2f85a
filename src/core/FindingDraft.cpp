// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "FindingDraft.h"

#include "BranchMerge.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace tb::core {

namespace {

QString cut(const QString& s, qsizetype max)
{
    if (s.size() <= max)
        return s;
    return s.left(max - 2) + QStringLiteral(" \u2026");
}

// Text of a message's content: a string, or the text/refusal of each part of a list.
QString contentText(const Json& content)
{
    if (content.isString())
        return content.toString();
    if (!content.isArray())
        return content.isNull() ? QString() : content.dumpUnicode();
    QStringList parts;
    for (const Json& part : content.asArray()) {
        const QString type = part[u"type"].toString();
        if (part[u"text"].isString())
            parts << part[u"text"].toString();
        else if (part[u"refusal"].isString())
            parts << QStringLiteral("(refused) ") + part[u"refusal"].toString();
        else if (!type.isEmpty())
            parts << QStringLiteral("[%1]").arg(type);
    }
    return parts.join(u'\n');
}

QString oneLine(QString s)
{
    s.replace(u'\r', u' ');
    return s.trimmed();
}

struct Kept
{
    QStringList lines;
    qsizetype omitted = 0;
    qsizetype chars = 0;
};

// The newest lines that fit in `budget` characters (one newline each counted).
Kept keepNewest(const QStringList& lines, qsizetype budget)
{
    Kept k;
    for (qsizetype i = lines.size() - 1; i >= 0; --i) {
        const qsizetype n = lines.at(i).size() + 1;
        if (k.chars + n > budget) {
            k.omitted = i + 1;
            break;
        }
        k.chars += n;
        k.lines.prepend(lines.at(i));
    }
    return k;
}

QString section(const QString& title, const Kept& kept, const QString& whenEmpty)
{
    QString s = QStringLiteral("== ") + title + QStringLiteral(" ==\n");
    if (kept.omitted > 0)
        s += QStringLiteral("(%1 earlier items left out)\n").arg(kept.omitted);
    if (kept.lines.isEmpty() && kept.omitted == 0)
        s += whenEmpty + u'\n';
    for (const QString& line : kept.lines)
        s += line + u'\n';
    return s;
}

} // namespace

QString FindingDraft::instructions()
{
    return QStringLiteral(
        "You help a customer-support analyst. The analyst explored a what-if branch of a support conversation: "
        "the same conversation up to a point, then a different question or answer. Draft the finding the analyst "
        "will add to the main conversation as a note for the support agent that continues it.\n"
        "- One to three short sentences, plain text, no greeting, no Markdown.\n"
        "- Say what the branch showed (what was tried and what came of it) and what the agent should do or avoid "
        "on the main line.\n"
        "- Address the agent, not the customer; use only facts from the transcript.\n"
        "Reply with the finding text only.");
}

QString FindingDraft::describe(const StoredItem& stored)
{
    if (stored.corrupt)
        return QStringLiteral("[unreadable row]");
    const Json& item = stored.item;
    if (!item.isObject())
        return QStringLiteral("[%1]").arg(cut(item.dumpUnicode(), kMaxItemChars));
    const QString role = item[u"role"].toString();
    const QString type = item[u"type"].toString();
    QString line;
    if (role == u"user") {
        line = QStringLiteral("Customer: ") + contentText(item[u"content"]);
    } else if (role == u"assistant") {
        line = QStringLiteral("Agent: ") + contentText(item[u"content"]);
    } else if (role == u"developer" || role == u"system") {
        const std::optional<QString> finding = BranchMerge::findingText(item);
        line = (finding ? QStringLiteral("Earlier analyst finding: ") + *finding
                        : QStringLiteral("Operator note: ") + contentText(item[u"content"]));
    } else if (type == u"reasoning") {
        return {};
    } else if (type == u"function_call") {
        line = QStringLiteral("Agent called %1(%2)").arg(item[u"name"].toString(), item[u"arguments"].toString());
    } else if (type == u"function_call_output") {
        line = QStringLiteral("Tool result: ") + contentText(item[u"output"]);
    } else {
        line = QStringLiteral("[%1] %2").arg(type.isEmpty() ? QStringLiteral("item") : type, item.dumpUnicode());
    }
    return cut(oneLine(line), kMaxItemChars);
}

QString FindingDraft::transcript(const Input& input)
{
    qsizetype shared = 0;
    const qsizetype common = std::min(input.branchItems.size(), input.mainItems.size());
    while (shared < common && input.branchItems.at(shared).messageId == input.mainItems.at(shared).messageId)
        ++shared;

    auto lines = [](const QList<StoredItem>& items, qsizetype from, qsizetype to) {
        QStringList out;
        for (qsizetype i = from; i < to; ++i) {
            const QString line = describe(items.at(i));
            if (!line.isEmpty())
                out << line;
        }
        return out;
    };
    const QStringList sharedLines = lines(input.branchItems, 0, shared);
    const QStringList branchLines = lines(input.branchItems, shared, input.branchItems.size());
    const QStringList mainLines = lines(input.mainItems, shared, input.mainItems.size());

    // The branch matters most, then what main did instead, then the history both share.
    qsizetype budget = kMaxTranscriptChars;
    const Kept branch = keepNewest(branchLines, mainLines.isEmpty() && sharedLines.isEmpty() ? budget : budget * 2 / 3);
    budget -= branch.chars;
    const Kept main = keepNewest(mainLines, sharedLines.isEmpty() ? budget : budget / 2);
    budget -= main.chars;
    const Kept before = keepNewest(sharedLines, budget);

    const QString b = input.branchId;
    QString text = QStringLiteral("A support conversation with a what-if branch '%1'. ").arg(b);
    text +=
        shared > 0
            ? QStringLiteral("The branch shares its first %1 items with the main line, then diverges.\n\n").arg(shared)
            : QStringLiteral("The branch shares no items with the main line.\n\n");
    text += section(QStringLiteral("Shared history"), before, QStringLiteral("(none)")) + u'\n';
    text +=
        section(QStringLiteral("What-if branch '%1' after the fork").arg(b), branch, QStringLiteral("(no items yet)"))
        + u'\n';
    text += section(QStringLiteral("Main line after the fork"), main,
                    QStringLiteral("(nothing: main ends where the branch forked)"));
    if (!input.focus.trimmed().isEmpty())
        text += QStringLiteral("\n== The analyst's focus ==\n") + input.focus.trimmed() + u'\n';
    text += QStringLiteral("\nWrite the finding for the main line.");
    return text;
}

ModelRequest FindingDraft::request(const Input& input, ModelSettings settings)
{
    ModelRequest r;
    r.instructions = instructions();
    Json message = Json::object();
    message.insert(QStringLiteral("role"), Json(QStringLiteral("user")));
    message.insert(QStringLiteral("content"), Json(transcript(input)));
    r.input << message;
    if (!settings.maxOutputTokens)
        settings.maxOutputTokens = kDefaultMaxOutputTokens;
    settings.toolChoice.clear();
    r.settings = std::move(settings);
    return r;
}

Result<FindingDraft::Draft> FindingDraft::extract(const ModelReply& reply)
{
    QStringList texts;
    QStringList refusals;
    for (const Json& item : reply.output) {
        if (item[u"role"].toString() != u"assistant")
            continue;
        const Json& content = item[u"content"];
        if (content.isString()) {
            texts << content.toString();
            continue;
        }
        if (!content.isArray())
            continue;
        for (const Json& part : content.asArray()) {
            if (part[u"type"].toString() == u"output_text")
                texts << part[u"text"].toString();
            else if (part[u"type"].toString() == u"refusal")
                refusals << part[u"refusal"].toString();
        }
    }
    QString text = texts.join(u'\n').trimmed();
    // Models like to wrap short answers: ```…```, "…", or a "Finding:" label.
    static const QRegularExpression fence(QStringLiteral("^```[^\\n]*\\n([\\s\\S]*?)\\n?```$"));
    if (const auto m = fence.match(text); m.hasMatch())
        text = m.captured(1).trimmed();
    static const QRegularExpression label(QStringLiteral("^\\**(finding|draft|note)\\**\\s*:\\s*\\**"),
                                          QRegularExpression::CaseInsensitiveOption);
    text.remove(label);
    text = text.trimmed();
    const auto wrapped = [&](QChar open, QChar close) {
        return text.size() >= 2 && text.front() == open && text.back() == close
               && text.indexOf(close, 1) == text.size() - 1;
    };
    if (wrapped(u'"', u'"') || wrapped(QChar(0x201c), QChar(0x201d)))
        text = text.mid(1, text.size() - 2).trimmed();
    if (text.isEmpty()) {
        if (!refusals.isEmpty())
            return Error::make(Error::Code::Protocol,
                               QStringLiteral("The model declined to draft a finding: %1").arg(refusals.join(u' ')));
        return Error::make(Error::Code::Protocol, QStringLiteral("The model's reply holds no text to use as a draft"));
    }
    Draft d;
    d.text = text;
    d.truncated = reply.finishReason == u"length" || reply.finishReason == u"max_output_tokens"
                  || reply.finishReason == u"incomplete";
    return d;
}

} // namespace tb::core
