// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "DemoModel.h"

#include <QCryptographicHash>
#include <QRegularExpression>

namespace tb::net {

using core::Json;

namespace {

enum class Kind {
    User,
    Assistant,
    ToolCall,
    ToolOutput,
    Other
};

struct Entry
{
    Kind kind = Kind::Other;
    QString text;
    QString name;
};

// Text of a `content` value: a string, or the text of its parts (input_text, output_text, text).
QString contentText(const Json& content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    for (const Json& part : content.asArray()) {
        if (part[u"text"].isString())
            parts.append(part[u"text"].toString());
        else if (part[u"refusal"].isString())
            parts.append(part[u"refusal"].toString());
    }
    return parts.join(u' ');
}

QList<Entry> fromResponses(const Json& body)
{
    QList<Entry> entries;
    const Json& input = body[u"input"];
    if (input.isString()) {
        entries.append({Kind::User, input.toString(), {}});
        return entries;
    }
    for (const Json& item : input.asArray()) {
        const QString role = item[u"role"].toString();
        const QString type = item[u"type"].toString();
        if (role == u"user")
            entries.append({Kind::User, contentText(item[u"content"]), {}});
        else if (role == u"assistant")
            entries.append({Kind::Assistant, contentText(item[u"content"]), {}});
        else if (type == u"function_call")
            entries.append({Kind::ToolCall, item[u"arguments"].toString(), item[u"name"].toString()});
        else if (type == u"function_call_output")
            entries.append({Kind::ToolOutput, contentText(item[u"output"]), {}});
        else
            entries.append({Kind::Other, contentText(item[u"content"]), {}});
    }
    return entries;
}

QList<Entry> fromChat(const Json& body)
{
    QList<Entry> entries;
    for (const Json& m : body[u"messages"].asArray()) {
        const QString role = m[u"role"].toString();
        if (role == u"user") {
            entries.append({Kind::User, contentText(m[u"content"]), {}});
        } else if (role == u"assistant") {
            if (m[u"content"].truthy())
                entries.append({Kind::Assistant, contentText(m[u"content"]), {}});
            for (const Json& call : m[u"tool_calls"].asArray())
                entries.append({Kind::ToolCall, call[u"function"][u"arguments"].toString(),
                                call[u"function"][u"name"].toString()});
        } else if (role == u"tool") {
            entries.append({Kind::ToolOutput, contentText(m[u"content"]), {}});
        } else {
            entries.append({Kind::Other, contentText(m[u"content"]), {}});
        }
    }
    return entries;
}

// Follow-ups the demo files as tasks ("remind me", "call me back", "add a task" ...).
bool wantsTask(const QString& question)
{
    for (const char* word : {"task", "remind", "call me back", "follow up", "follow-up", "to-do", "todo"}) {
        if (question.contains(QLatin1String(word), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool offersTool(const Json& body, WireProtocol protocol, const QString& name)
{
    for (const Json& tool : body[u"tools"].asArray()) {
        const Json& n = protocol == WireProtocol::Responses ? tool[u"name"] : tool[u"function"][u"name"];
        if (n.toString() == name)
            return true;
    }
    return false;
}

QString quoted(const QString& text)
{
    QString t = text.simplified();
    if (t.size() > 200)
        t = t.left(197) + QStringLiteral("...");
    return u'"' + t + u'"';
}

QString topicOf(const QString& question)
{
    static const QRegularExpression trailing(QStringLiteral("[\\s?!.:;,]+$"));
    QStringList words = question.simplified().split(u' ', Qt::SkipEmptyParts);
    const bool cut = words.size() > 8;
    words = words.mid(0, 8);
    QString topic = words.join(u' ');
    topic.remove(trailing);
    if (!topic.isEmpty() && topic.front().isUpper() && !(topic.size() > 1 && topic.at(1).isUpper())
        && !topic.startsWith(u"I "))
        topic[0] = topic.front().toLower();
    return cut ? topic + QStringLiteral("...") : topic;
}

QString genericAnswer(const QString& question)
{
    if (question.trimmed().isEmpty())
        return QStringLiteral("Hello! I am the Threadbench demo model, an offline stand-in for a real model. Ask me "
                              "about an order, for example ORD-1042, and I will look it up with a tool.");
    const QString topic = quoted(topicOf(question));
    // Deterministic choice of wording from the text itself.
    const QByteArray digest = QCryptographicHash::hash(question.toUtf8(), QCryptographicHash::Sha1);
    switch (static_cast<unsigned char>(digest.at(0)) % 3) {
    case 0:
        return QStringLiteral("Thanks for asking about %1. Our support team can help with that by chat or email, and "
                              "most questions are answered within one business day.")
            .arg(topic);
    case 1:
        return QStringLiteral("Good question about %1. Please check your account settings first; if that does not "
                              "help, reply with a few more details and I will guide you step by step.")
            .arg(topic);
    default:
        return QStringLiteral("About %1: I am the offline demo model, so this answer is canned, but a real model would "
                              "look up your details and explain the next steps.")
            .arg(topic);
    }
}

qint64 tokens(qsizetype chars)
{
    return std::max<qint64>(1, (static_cast<qint64>(chars) + 3) / 4);
}

} // namespace

DemoModel::Answer DemoModel::answer(const Json& body, WireProtocol protocol)
{
    const QList<Entry> entries = protocol == WireProtocol::Responses ? fromResponses(body) : fromChat(body);
    const QString instructions = body[u"instructions"].toString();

    // Ids come from the conversation, so stream and non-stream answers to it agree.
    QByteArray seed = instructions.toUtf8();
    qsizetype inputChars = instructions.size();
    for (const Entry& e : entries) {
        seed.append(char('0' + static_cast<int>(e.kind)));
        seed.append(e.name.toUtf8());
        seed.append('\x1f');
        seed.append(e.text.toUtf8());
        seed.append('\x1e');
        inputChars += e.text.size() + e.name.size();
    }
    const QByteArray hex = QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex();

    Answer a;
    a.responseId = protocol == WireProtocol::Responses
                       ? QStringLiteral("resp_demo") + QString::fromLatin1(hex.left(40))
                       : QStringLiteral("chatcmpl-demo") + QString::fromLatin1(hex.left(24));
    a.messageId = QStringLiteral("msg_demo") + QString::fromLatin1(hex.mid(8, 40));

    qsizetype lastUser = -1;
    for (qsizetype i = entries.size() - 1; i >= 0; --i) {
        if (entries[i].kind == Kind::User) {
            lastUser = i;
            break;
        }
    }

    QStringList outputs;
    for (qsizetype i = entries.size() - 1; i >= 0 && entries[i].kind == Kind::ToolOutput; --i)
        outputs.prepend(entries[i].text);

    bool outputAfterUser = false;
    for (qsizetype i = lastUser + 1; i < entries.size(); ++i)
        outputAfterUser = outputAfterUser || entries[i].kind == Kind::ToolOutput;

    const QString question = lastUser >= 0 ? entries[lastUser].text : QString();
    QStringList orderIds;
    static const QRegularExpression orderId(QStringLiteral("\\bORD-\\d+\\b"),
                                            QRegularExpression::CaseInsensitiveOption);
    for (auto it = orderId.globalMatch(question); it.hasNext();) {
        const QString id = it.next().captured(0).toUpper();
        if (!orderIds.contains(id))
            orderIds.append(id);
    }

    const QString tool = QString::fromLatin1(kToolName);
    if (!outputs.isEmpty()) {
        QStringList quotes;
        for (const QString& o : std::as_const(outputs))
            quotes.append(quoted(o));
        a.text = outputs.size() == 1
                     ? QStringLiteral("I checked that for you: %1. Is there anything else I can help you with?")
                           .arg(quotes[0])
                     : QStringLiteral("I checked all of them for you: %1. Is there anything else I can help you with?")
                           .arg(quotes.join(QStringLiteral("; ")));
    } else if (!orderIds.isEmpty() && !outputAfterUser && offersTool(body, protocol, tool)) {
        for (qsizetype i = 0; i < orderIds.size(); ++i) {
            const QByteArray callHex =
                QCryptographicHash::hash(QByteArray(hex + QByteArray::number(i)), QCryptographicHash::Sha1).toHex();
            ToolCall call;
            call.itemId = QStringLiteral("fc_demo") + QString::fromLatin1(callHex.left(32));
            call.callId = QStringLiteral("call_demo") + QString::fromLatin1(callHex.mid(32, 8)) + QString::number(i);
            call.name = tool;
            call.arguments = QStringLiteral("{\"order_id\": \"%1\"}").arg(orderIds[i]);
            a.toolCalls.append(call);
        }
    } else if (!outputAfterUser && wantsTask(question) && offersTool(body, protocol, QStringLiteral("add_task"))) {
        // The task manager of the default support agent: a follow-up request becomes a task,
        // a question about tasks lists them.
        const bool list = question.contains(QStringLiteral("my tasks"), Qt::CaseInsensitive)
            || question.contains(QStringLiteral("list"), Qt::CaseInsensitive);
        const QByteArray callHex = QCryptographicHash::hash(QByteArray(hex + "task"), QCryptographicHash::Sha1).toHex();
        ToolCall call;
        call.itemId = QStringLiteral("fc_demo") + QString::fromLatin1(callHex.left(32));
        call.callId = QStringLiteral("call_demo") + QString::fromLatin1(callHex.mid(32, 8)) + u't';
        if (list && offersTool(body, protocol, QStringLiteral("list_tasks"))) {
            call.name = QStringLiteral("list_tasks");
            call.arguments = QStringLiteral("{}");
        } else {
            call.name = QStringLiteral("add_task");
            Json args = Json::object();
            args.insert(QStringLiteral("title"), Json(question.simplified().left(80)));
            call.arguments = QString::fromUtf8(args.dump());
        }
        a.toolCalls.append(call);
    } else {
        a.text = genericAnswer(question);
    }

    // Usage: ≈ 4 characters per token, the tool schemas count too (they are part of the prompt).
    const QByteArray toolsJson = body[u"tools"].dump();
    a.inputTokens = tokens(inputChars) + (body[u"tools"].size() > 0 ? tokens(toolsJson.size()) : 0);
    if (a.inputTokens > 1024)
        a.cachedTokens = (a.inputTokens * 8 / 10) / 128 * 128;
    if (a.toolCalls.isEmpty()) {
        a.outputTokens = tokens(a.text.size());
    } else {
        a.reasoningTokens = 64 * a.toolCalls.size();
        qsizetype chars = 0;
        for (const ToolCall& c : std::as_const(a.toolCalls))
            chars += c.arguments.size() + c.name.size();
        a.outputTokens = tokens(chars) + 8 * a.toolCalls.size() + a.reasoningTokens;
    }
    return a;
}

QStringList DemoModel::textDeltas(const QString& text)
{
    QStringList out;
    qsizetype start = 0;
    for (qsizetype i = 1; i <= text.size(); ++i) {
        if (i == text.size() || text.at(i) == u' ') {
            out.append(text.mid(start, i - start));
            start = i;
        }
    }
    return out;
}

QStringList DemoModel::argumentDeltas(const QString& arguments)
{
    QStringList out;
    for (qsizetype i = 0; i < arguments.size(); i += 6)
        out.append(arguments.mid(i, 6));
    return out;
}

} // namespace tb::net
