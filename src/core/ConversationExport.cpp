// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ConversationExport.h"

#include <QHash>

namespace tb::core {

namespace {

// A fence longer than any backtick run inside the text, so code blocks never break.
QString fenced(const QString& text, const QString& language = {})
{
    int longest = 0;
    int run = 0;
    for (QChar c : text) {
        run = c == u'`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const QString fence(std::max(3, longest + 1), u'`');
    return fence + language + u'\n' + text + (text.endsWith(u'\n') ? QString() : QStringLiteral("\n")) + fence + u'\n';
}

QString prettyJsonText(const QString& text)
{
    auto parsed = Json::parse(text);
    if (!parsed || !(parsed->isObject() || parsed->isArray()))
        return text;
    Json::DumpOptions o;
    o.ensureAscii = false;
    o.indent = 2;
    return QString::fromUtf8(parsed->dump(o));
}

QString quoted(const QString& text)
{
    QStringList lines = text.split(u'\n');
    for (QString& l : lines)
        l.prepend(QStringLiteral("> "));
    return lines.join(u'\n') + u'\n';
}

} // namespace

QString ConversationExport::contentText(const Json& content)
{
    if (content.isString())
        return content.toString();
    if (!content.isArray())
        return content.isNull() ? QString() : content.dumpUnicode();
    QStringList parts;
    for (const Json& part : content.asArray()) {
        if (part[u"text"].isString())
            parts << part[u"text"].toString();
        else if (part[u"refusal"].isString())
            parts << part[u"refusal"].toString();
        else
            parts << QStringLiteral("[%1]").arg(part[u"type"].toString(QStringLiteral("part")));
    }
    return parts.join(u'\n');
}

QString ConversationExport::toMarkdown(const Header& header, const QList<StoredItem>& items, const QList<TurnUsage>& usage)
{
    QHash<qint64, TurnUsage> byTurn;
    for (const TurnUsage& u : usage) {
        if (u.userTurnNumber)
            byTurn.insert(*u.userTurnNumber, u);
    }
    QString md = QStringLiteral("# %1\n\n").arg(header.title.isEmpty() ? header.sessionId : header.title);
    md += QStringLiteral("Session `%1`, branch `%2`, %3 items.\n").arg(header.sessionId, header.branchId).arg(items.size());
    std::optional<qint64> turn;
    bool first = true;
    for (const StoredItem& it : items) {
        if (first || it.turn != turn) {
            turn = it.turn;
            first = false;
            md += QStringLiteral("\n## Turn %1\n").arg(turn ? QString::number(*turn) : QStringLiteral("?"));
            if (turn && byTurn.contains(*turn)) {
                const TurnUsage& u = byTurn[*turn];
                md += QStringLiteral("\n*Tokens: %1 input (%2 cached), %3 output (%4 reasoning), %5 total in %6 requests.*\n")
                          .arg(u.inputTokens.toInt())
                          .arg(u.inputTokensDetails[u"cached_tokens"].toInt())
                          .arg(u.outputTokens.toInt())
                          .arg(u.outputTokensDetails[u"reasoning_tokens"].toInt())
                          .arg(u.totalTokens.toInt())
                          .arg(u.requests.toInt());
            }
        }
        md += u'\n';
        if (it.corrupt) {
            md += QStringLiteral("**Unreadable row** (not valid JSON):\n\n") + fenced(it.rawText);
            continue;
        }
        const Json& item = it.item;
        const QString role = item[u"role"].toString();
        const QString type = item[u"type"].toString();
        if (!role.isEmpty()) {
            QString label = role.left(1).toUpper() + role.mid(1);
            const Json& content = item[u"content"];
            bool refusal = false;
            for (const Json& part : content.asArray())
                refusal = refusal || part[u"type"].toString() == u"refusal";
            md += QStringLiteral("**%1%2:**\n\n%3\n").arg(label, refusal ? QStringLiteral(" (refusal)") : QString(), contentText(content));
        } else if (type == u"function_call") {
            md += QStringLiteral("**Tool call** `%1` (`%2`):\n\n").arg(item[u"name"].toString(), item[u"call_id"].toString())
                + fenced(prettyJsonText(item[u"arguments"].toString()), QStringLiteral("json"));
        } else if (type == u"function_call_output") {
            const Json& out = item[u"output"];
            md += QStringLiteral("**Tool output** (`%1`):\n\n").arg(item[u"call_id"].toString())
                + fenced(out.isString() ? prettyJsonText(out.toString()) : contentText(out));
        } else if (type == u"reasoning") {
            QStringList summary;
            for (const Json& part : item[u"summary"].asArray())
                summary << part[u"text"].toString();
            md += QStringLiteral("**Reasoning:**\n\n") + quoted(summary.isEmpty() ? QStringLiteral("(no summary)") : summary.join(u'\n'));
        } else {
            Json::DumpOptions o;
            o.ensureAscii = false;
            o.indent = 2;
            md += QStringLiteral("**%1:**\n\n").arg(type.isEmpty() ? QStringLiteral("Item") : type)
                + fenced(QString::fromUtf8(item.dump(o)), QStringLiteral("json"));
        }
    }
    return md;
}

QByteArray ConversationExport::toJson(const Header& header, const QList<StoredItem>& items)
{
    Json doc = Json::object();
    doc.insert(QStringLiteral("session_id"), Json(header.sessionId));
    doc.insert(QStringLiteral("branch_id"), Json(header.branchId));
    Json::Array arr;
    for (const StoredItem& it : items) {
        if (!it.corrupt)
            arr.push_back(it.item);
    }
    doc.insert(QStringLiteral("items"), Json(std::move(arr)));
    Json::DumpOptions o;
    o.indent = 2;
    return doc.dump(o) + '\n';
}

QByteArray ConversationExport::toJsonl(const QList<StoredItem>& items)
{
    QByteArray out;
    for (const StoredItem& it : items) {
        if (!it.corrupt)
            out += it.item.dump() + '\n';
    }
    return out;
}

Result<QList<Json>> ConversationExport::parseJsonl(const QByteArray& data)
{
    QList<Json> items;
    qsizetype start = 0;
    int line = 0;
    while (start <= data.size()) {
        qsizetype end = data.indexOf('\n', start);
        if (end < 0)
            end = data.size();
        ++line;
        QByteArrayView text = QByteArrayView(data).sliced(start, end - start);
        if (text.endsWith('\r'))
            text.chop(1);
        if (!text.trimmed().isEmpty()) {
            auto item = Json::parse(text);
            if (!item)
                return Error::make(Error::Code::Format, QStringLiteral("line %1: %2").arg(line).arg(item.error().message));
            items.push_back(std::move(item).value());
        }
        start = end + 1;
    }
    return items;
}

} // namespace tb::core
