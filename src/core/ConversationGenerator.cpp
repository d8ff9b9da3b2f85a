// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ConversationGenerator.h"

namespace tb::core {

namespace {

struct Topic
{
    const char* title;
    const char* tool;        // nullptr: answered without a tool
    const char* argName;
    QList<const char*> questions;
    QList<const char*> answers;
};

// Texts are UTF-8; a few are not English, as in real support queues.
const QList<Topic>& topics()
{
    static const QList<Topic> t = {
        {"Order status", "check_order_status", "order_id",
         {"Hi, can you check the status of my order %1?", "Where is my order %1? It was supposed to arrive yesterday.",
          "Has %1 shipped yet?", "Olá! Podem verificar a encomenda %1, por favor?"},
         {"Your order %1 shipped on Dec 15 and should arrive by Dec 20. You can follow it with the tracking link in your "
          "confirmation email.",
          "I checked %1: it is still being prepared in our warehouse. It should ship within two business days.",
          "I could not find an order with the number %1. Could you double-check the number in your confirmation email?"}},
        {"Refund request", "search_kb", "query",
         {"How do I get a refund for order %1?", "The blender I received (%1) is broken. Can I return it?",
          "Ich möchte die Bestellung %1 zurückgeben – wie geht das?"},
         {"You can request a refund within 30 days of delivery from Orders → %1 → Return item. The refund reaches your "
          "card 5–7 business days after we receive the parcel.",
          "I'm sorry about that! Damaged items are refunded in full. I've opened return case for %1; you'll get a prepaid "
          "label by email within the hour."}},
        {"Account access", "lookup_account", "email",
         {"I can't log in to my account (%1).", "Please change the email on my account %1.",
          "My password reset link for %1 does not work."},
         {"I found the account for %1. I've sent a fresh password reset link; it is valid for 30 minutes.",
          "The account %1 was locked after several failed attempts. It is unlocked now — try again in a minute."}},
        {"Delivery address", nullptr, nullptr,
         {"Can I change the delivery address of order %1 to 12 Baker Street?", "Can you deliver %1 to my office instead?"},
         {"Once a parcel is with the carrier we can't change the address, but you can redirect %1 from the carrier's "
          "tracking page.",
          "Sure — until the order ships the address can be edited under Orders → %1 → Change address."}},
        {"Billing question", "search_kb", "query",
         {"Why was I charged twice for %1?", "J'ai été facturé deux fois pour %1, pouvez-vous vérifier ?"},
         {"The second charge for %1 is a card authorisation hold, not a payment. It disappears within 3 days.",
          "You're right, %1 was billed twice. I've refunded the duplicate charge; it will show in 3–5 days. 🙏"}},
    };
    return t;
}

const QList<const char*>& customers()
{
    static const QList<const char*> c = {"Alice Martin", "Bruno Costa", "Chloé Dubois", "Daniel Kim",     "Eva Nowak",
                                         "Farid Haddad", "Greta Müller", "Hiro Tanaka", "Inês Ferreira", "Jonas Berg"};
    return c;
}

Json object(std::initializer_list<std::pair<const char*, Json>> members)
{
    Json o = Json::object();
    for (const auto& [k, v] : members)
        o.insert(QString::fromLatin1(k), v);
    return o;
}

QString fill(const char* pattern, const QString& value)
{
    return QString::fromUtf8(pattern).arg(value);
}

} // namespace

QString ConversationGenerator::id(const char* prefix, int length)
{
    static const char kHex[] = "0123456789abcdef";
    QString s = QString::fromLatin1(prefix);
    for (int i = 0; i < length; ++i)
        s += QLatin1Char(kHex[pick(16)]);
    return s;
}

QList<GeneratedTurn> ConversationGenerator::conversation(int turns)
{
    m_topic = pick(int(topics().size()));
    m_customer = QString::fromUtf8(customers().at(pick(int(customers().size()))));
    m_title = QString::fromLatin1(topics().at(m_topic).title) + QStringLiteral(" — ") + m_customer;
    QList<GeneratedTurn> out;
    qint64 history = 180 + pick(200); // instructions and tool schemas
    for (int i = 0; i < turns; ++i) {
        out.push_back(turn(history));
        history += out.back().usage.outputTokens + 40 + pick(60);
        if (i % 3 == 2)
            m_topic = pick(int(topics().size())); // customers bring up something else
    }
    return out;
}

GeneratedTurn ConversationGenerator::turn(qint64 historyTokens)
{
    const Topic& topic = topics().at(m_topic);
    GeneratedTurn t;
    const QString subject = topic.argName && QByteArray(topic.argName) == "email"
        ? m_customer.section(u' ', 0, 0).toLower() + QStringLiteral("@example.com")
        : QStringLiteral("ORD-%1").arg(100 + pick(900));
    // The Runner stores string input as {"content": ..., "role": "user"} (content first).
    t.items << object({{"content", Json(fill(topic.questions.at(pick(int(topic.questions.size()))), subject))},
                       {"role", Json(QStringLiteral("user"))}});
    const bool reasoning = pick(3) == 0;
    if (reasoning) {
        t.items << object({{"id", Json(id("rs_", 48))},
                           {"summary", Json(Json::Array{object({{"text", Json(QStringLiteral("The customer asks about %1; check it "
                                                                                              "before answering.")
                                                                                   .arg(subject))},
                                                                {"type", Json(QStringLiteral("summary_text"))}})})},
                           {"type", Json(QStringLiteral("reasoning"))}});
    }
    int requests = 1;
    qint64 outputTokens = 0;
    if (topic.tool) {
        const QString callId = id("call_", 24);
        Json args = object({{topic.argName, Json(subject)}});
        t.items << object({{"arguments", Json(QString::fromUtf8(args.dump()))},
                           {"call_id", Json(callId)},
                           {"name", Json(QString::fromLatin1(topic.tool))},
                           {"type", Json(QStringLiteral("function_call"))},
                           {"id", Json(id("fc_", 48))},
                           {"status", Json(QStringLiteral("completed"))}});
        QString output;
        if (QByteArray(topic.tool) == "check_order_status")
            output = subject == u"ORD-123" ? QStringLiteral("Order shipped on Dec 15, arriving Dec 20")
                                           : QStringLiteral("{\"order_id\": \"%1\", \"status\": \"%2\", \"carrier\": \"UPS\"}")
                                                 .arg(subject, pick(2) ? QStringLiteral("shipped") : QStringLiteral("processing"));
        else if (QByteArray(topic.tool) == "lookup_account")
            output = QStringLiteral("{\"email\": \"%1\", \"status\": \"locked\", \"plan\": \"plus\"}").arg(subject);
        else
            output = QStringLiteral("{\"results\": [{\"title\": \"%1\", \"url\": \"https://help.example.com/%2\"}]}")
                         .arg(QString::fromLatin1(topic.title), QString::fromLatin1(topic.title).toLower().replace(u' ', u'-'));
        t.items << object({{"call_id", Json(callId)}, {"output", Json(output)}, {"type", Json(QStringLiteral("function_call_output"))}});
        requests = 2;
        outputTokens += 18 + pick(20);
    }
    const QString answer = fill(topic.answers.at(pick(int(topic.answers.size()))), subject);
    t.items << object({{"id", Json(id("msg_", 48))},
                       {"content", Json(Json::Array{object({{"annotations", Json::array()},
                                                            {"text", Json(answer)},
                                                            {"type", Json(QStringLiteral("output_text"))},
                                                            {"logprobs", Json::array()}})})},
                       {"role", Json(QStringLiteral("assistant"))},
                       {"status", Json(QStringLiteral("completed"))},
                       {"type", Json(QStringLiteral("message"))}});

    const qint64 userTokens = 12 + pick(30);
    outputTokens += answer.size() / 4 + pick(12);
    const qint64 reasoningTokens = reasoning ? 64 * (1 + pick(4)) : 0;
    // Every request sends the whole history again; later requests of a run hit the prompt cache.
    qint64 input = 0;
    qint64 cached = 0;
    for (int r = 0; r < requests; ++r) {
        const qint64 prompt = historyTokens + userTokens + r * 60;
        input += prompt;
        if (prompt > 1024)
            cached += (prompt / 128) * 128 * (r == 0 ? pick(2) : 1);
    }
    t.usage.requests = requests;
    t.usage.inputTokens = input;
    t.usage.cachedTokens = std::min(cached, input);
    t.usage.outputTokens = outputTokens + reasoningTokens;
    t.usage.reasoningTokens = reasoningTokens;
    t.usage.totalTokens = t.usage.inputTokens + t.usage.outputTokens;
    return t;
}

} // namespace tb::core
