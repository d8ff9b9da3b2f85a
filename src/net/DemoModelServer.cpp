// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "DemoModelServer.h"

#include "DemoModel.h"
#include "EndpointProfiles.h"
#include "HttpRequestParser.h"
#include "NetLogging.h"
#include "core/Json.h"

#include <QDateTime>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace tb::net {

using core::Json;

namespace {

const QString kModel = QString::fromLatin1(EndpointProfiles::kDemoModel);

Json obj(std::initializer_list<std::pair<const char*, Json>> members)
{
    Json out = Json::object();
    for (const auto& [k, v] : members)
        out.insert(QString::fromLatin1(k), v);
    return out;
}

QByteArray compact(const Json& json)
{
    return json.dump(Json::DumpOptions{.ensureAscii = false, .compact = true, .indent = -1});
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

// Every answer closes its connection: one request per connection keeps the server trivial, and
// QNetworkAccessManager does not reuse a connection that announced `Connection: close`.
QByteArray head(int status, QByteArrayView contentType, std::optional<qsizetype> length,
                const QList<QPair<QByteArray, QByteArray>>& extra = {})
{
    QByteArray h = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    h += "Content-Type: " + contentType.toByteArray() + "\r\n";
    if (length)
        h += "Content-Length: " + QByteArray::number(*length) + "\r\n";
    else
        h += "Cache-Control: no-cache\r\n";
    h += "Connection: close\r\n";
    h += "x-request-id: req_threadbench_demo\r\n";
    for (const auto& [name, value] : extra)
        h += name + ": " + value + "\r\n";
    h += "\r\n";
    return h;
}

QList<QByteArray> jsonAnswer(int status, const QByteArray& body, const QList<QPair<QByteArray, QByteArray>>& extra = {})
{
    return {head(status, "application/json", body.size(), extra) + body};
}

QList<QByteArray> errorAnswer(int status, const QString& message, const QString& type, const Json& code = nullptr)
{
    const Json body = obj({{"error", obj({{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}})}});
    return jsonAnswer(status, compact(body));
}

// ---- Responses ------------------------------------------------------------------------------

Json responsesMessage(const DemoModel::Answer& a, const QString& status, bool withText)
{
    Json content = Json::array();
    if (withText)
        content.append(obj(
            {{"type", "output_text"}, {"annotations", Json::array()}, {"logprobs", Json::array()}, {"text", a.text}}));
    return obj(
        {{"id", a.messageId}, {"type", "message"}, {"status", status}, {"content", content}, {"role", "assistant"}});
}

Json responsesCall(const DemoModel::ToolCall& c, const QString& status, bool withArgs)
{
    return obj({{"id", c.itemId},
                {"type", "function_call"},
                {"status", status},
                {"arguments", withArgs ? c.arguments : QString()},
                {"call_id", c.callId},
                {"name", c.name}});
}

Json responsesUsage(const DemoModel::Answer& a)
{
    return obj({{"input_tokens", a.inputTokens},
                {"input_tokens_details", obj({{"cached_tokens", a.cachedTokens}})},
                {"output_tokens", a.outputTokens},
                {"output_tokens_details", obj({{"reasoning_tokens", a.reasoningTokens}})},
                {"total_tokens", a.totalTokens()}});
}

Json responsesObject(const DemoModel::Answer& a, const Json& request, bool completed)
{
    Json output = Json::array();
    if (completed) {
        if (a.toolCalls.isEmpty())
            output.append(responsesMessage(a, QStringLiteral("completed"), true));
        for (const auto& c : a.toolCalls)
            output.append(responsesCall(c, QStringLiteral("completed"), true));
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return obj({{"id", a.responseId},
                {"object", "response"},
                {"created_at", now},
                {"status", completed ? "completed" : "in_progress"},
                {"completed_at", completed ? Json(now) : Json()},
                {"error", nullptr},
                {"incomplete_details", nullptr},
                {"instructions", request[u"instructions"].isString() ? request[u"instructions"] : Json()},
                {"model", kModel},
                {"output", output},
                {"parallel_tool_calls", true},
                {"tool_choice", "auto"},
                {"tools", request[u"tools"].isArray() ? request[u"tools"] : Json::array()},
                {"usage", completed ? responsesUsage(a) : Json()},
                {"metadata", Json::object()}});
}

QList<QByteArray> responsesEvents(const DemoModel::Answer& a, const Json& request)
{
    QList<QByteArray> events;
    qint64 seq = 0;
    auto event = [&](const char* type, Json payload) {
        Json e = obj({{"type", type}, {"sequence_number", seq++}});
        for (auto& [k, v] : payload.asObject())
            e.insert(k, std::move(v));
        events.append("event: " + QByteArray(type) + "\ndata: " + compact(e) + "\n\n");
    };
    event("response.created", obj({{"response", responsesObject(a, request, false)}}));
    event("response.in_progress", obj({{"response", responsesObject(a, request, false)}}));
    if (a.toolCalls.isEmpty()) {
        const Json emptyPart =
            obj({{"type", "output_text"}, {"annotations", Json::array()}, {"logprobs", Json::array()}, {"text", ""}});
        event("response.output_item.added",
              obj({{"output_index", 0}, {"item", responsesMessage(a, QStringLiteral("in_progress"), false)}}));
        event("response.content_part.added",
              obj({{"item_id", a.messageId}, {"output_index", 0}, {"content_index", 0}, {"part", emptyPart}}));
        for (const QString& d : DemoModel::textDeltas(a.text))
            event("response.output_text.delta", obj({{"item_id", a.messageId},
                                                     {"output_index", 0},
                                                     {"content_index", 0},
                                                     {"delta", d},
                                                     {"logprobs", Json::array()}}));
        event("response.output_text.done", obj({{"item_id", a.messageId},
                                                {"output_index", 0},
                                                {"content_index", 0},
                                                {"text", a.text},
                                                {"logprobs", Json::array()}}));
        Json part = emptyPart;
        part.insert(QStringLiteral("text"), a.text);
        event("response.content_part.done",
              obj({{"item_id", a.messageId}, {"output_index", 0}, {"content_index", 0}, {"part", part}}));
        event("response.output_item.done",
              obj({{"output_index", 0}, {"item", responsesMessage(a, QStringLiteral("completed"), true)}}));
    }
    for (qsizetype i = 0; i < a.toolCalls.size(); ++i) {
        const auto& c = a.toolCalls[i];
        event("response.output_item.added",
              obj({{"output_index", qint64(i)}, {"item", responsesCall(c, QStringLiteral("in_progress"), false)}}));
        for (const QString& d : DemoModel::argumentDeltas(c.arguments))
            event("response.function_call_arguments.delta",
                  obj({{"item_id", c.itemId}, {"output_index", qint64(i)}, {"delta", d}}));
        event("response.function_call_arguments.done",
              obj({{"item_id", c.itemId}, {"output_index", qint64(i)}, {"arguments", c.arguments}}));
        event("response.output_item.done",
              obj({{"output_index", qint64(i)}, {"item", responsesCall(c, QStringLiteral("completed"), true)}}));
    }
    event("response.completed", obj({{"response", responsesObject(a, request, true)}}));
    return events;
}

// ---- Chat Completions -----------------------------------------------------------------------

Json chatUsage(const DemoModel::Answer& a)
{
    return obj({{"prompt_tokens", a.inputTokens},
                {"completion_tokens", a.outputTokens},
                {"total_tokens", a.totalTokens()},
                {"prompt_tokens_details", obj({{"cached_tokens", a.cachedTokens}, {"audio_tokens", 0}})},
                {"completion_tokens_details", obj({{"reasoning_tokens", a.reasoningTokens},
                                                   {"audio_tokens", 0},
                                                   {"accepted_prediction_tokens", 0},
                                                   {"rejected_prediction_tokens", 0}})}});
}

Json chatToolCall(const DemoModel::ToolCall& c, qint64 index, bool withIndex, const QString& arguments)
{
    Json call = Json::object();
    if (withIndex)
        call.insert(QStringLiteral("index"), index);
    call.insert(QStringLiteral("id"), c.callId);
    call.insert(QStringLiteral("type"), QStringLiteral("function"));
    call.insert(QStringLiteral("function"), obj({{"name", c.name}, {"arguments", arguments}}));
    return call;
}

Json chatCompletion(const DemoModel::Answer& a)
{
    Json message =
        obj({{"role", "assistant"}, {"content", a.toolCalls.isEmpty() ? Json(a.text) : Json()}, {"refusal", nullptr}});
    if (!a.toolCalls.isEmpty()) {
        Json calls = Json::array();
        for (const auto& c : a.toolCalls)
            calls.append(chatToolCall(c, 0, false, c.arguments));
        message.insert(QStringLiteral("tool_calls"), calls);
    }
    message.insert(QStringLiteral("annotations"), Json::array());
    const Json choice = obj({{"index", 0},
                             {"message", message},
                             {"logprobs", nullptr},
                             {"finish_reason", a.toolCalls.isEmpty() ? "stop" : "tool_calls"}});
    Json choices = Json::array();
    choices.append(choice);
    return obj({{"id", a.responseId},
                {"object", "chat.completion"},
                {"created", QDateTime::currentSecsSinceEpoch()},
                {"model", kModel},
                {"choices", choices},
                {"usage", chatUsage(a)},
                {"system_fingerprint", "fp_threadbench_demo"}});
}

QList<QByteArray> chatChunks(const DemoModel::Answer& a, bool includeUsage)
{
    QList<QByteArray> chunks;
    const qint64 created = QDateTime::currentSecsSinceEpoch();
    auto chunk = [&](Json delta, const Json& finish) {
        Json choices = Json::array();
        choices.append(
            obj({{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr}, {"finish_reason", finish}}));
        Json c = obj({{"id", a.responseId},
                      {"object", "chat.completion.chunk"},
                      {"created", created},
                      {"model", kModel},
                      {"system_fingerprint", "fp_threadbench_demo"},
                      {"choices", choices}});
        if (includeUsage) // the modern shape: "usage": null on every chunk but the last
            c.insert(QStringLiteral("usage"), nullptr);
        chunks.append("data: " + compact(c) + "\n\n");
    };
    if (a.toolCalls.isEmpty()) {
        chunk(obj({{"role", "assistant"}, {"content", ""}, {"refusal", nullptr}}), nullptr);
        for (const QString& d : DemoModel::textDeltas(a.text))
            chunk(obj({{"content", d}}), nullptr);
        chunk(Json::object(), "stop");
    } else {
        chunk(obj({{"role", "assistant"}, {"content", nullptr}, {"refusal", nullptr}}), nullptr);
        for (qsizetype i = 0; i < a.toolCalls.size(); ++i) {
            const auto& c = a.toolCalls[i];
            Json first = Json::array();
            first.append(chatToolCall(c, i, true, QString()));
            chunk(obj({{"tool_calls", first}}), nullptr);
            for (const QString& d : DemoModel::argumentDeltas(c.arguments)) {
                Json frag = Json::array();
                frag.append(obj({{"index", qint64(i)}, {"function", obj({{"arguments", d}})}}));
                chunk(obj({{"tool_calls", frag}}), nullptr);
            }
        }
        chunk(Json::object(), "tool_calls");
    }
    if (includeUsage) {
        const Json c = obj({{"id", a.responseId},
                            {"object", "chat.completion.chunk"},
                            {"created", created},
                            {"model", kModel},
                            {"system_fingerprint", "fp_threadbench_demo"},
                            {"choices", Json::array()},
                            {"usage", chatUsage(a)}});
        chunks.append("data: " + compact(c) + "\n\n");
    }
    chunks.append(QByteArrayLiteral("data: [DONE]\n\n"));
    return chunks;
}

} // namespace

DemoModelServer::DemoModelServer(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &DemoModelServer::onNewConnection);
}

DemoModelServer::~DemoModelServer() = default;

bool DemoModelServer::listen(quint16 port)
{
    if (m_server->isListening())
        return true;
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        qCWarning(lcNet) << "demo model server cannot listen:" << m_server->errorString();
        return false;
    }
    return true;
}

void DemoModelServer::close()
{
    m_server->close();
}

bool DemoModelServer::isListening() const
{
    return m_server->isListening();
}

quint16 DemoModelServer::port() const
{
    return m_server->serverPort();
}

QUrl DemoModelServer::baseUrl() const
{
    if (!isListening())
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    url.setPath(QStringLiteral("/v1"));
    return url;
}

void DemoModelServer::failNextRequest(int status, QByteArray body, QList<QPair<QByteArray, QByteArray>> headers)
{
    m_failNext = Failure{status, std::move(body), std::move(headers)};
}

void DemoModelServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        auto parser = std::make_shared<HttpRequestParser>();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, parser] {
            parser->feed(socket->readAll());
            int status = 0;
            QList<QByteArray> pieces;
            QByteArray path;
            if (parser->hasError()) {
                status = parser->errorStatus();
                pieces = errorAnswer(status, parser->errorString(), QStringLiteral("invalid_request_error"));
            } else if (parser->hasRequest()) {
                const HttpRequest request = parser->take();
                path = request.path();
                pieces = respond(request, status);
            } else {
                return; // wait for the rest of the request
            }
            disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
            Q_EMIT requestServed(path, status);
            if (m_eventDelay.count() <= 0 || pieces.size() <= 1) {
                for (const QByteArray& piece : std::as_const(pieces))
                    socket->write(piece);
                socket->disconnectFromHost();
                return;
            }
            // Slow stream: the head and first event now, the rest one per tick.
            auto* timer = new QTimer(socket);
            auto queue = std::make_shared<QList<QByteArray>>(std::move(pieces));
            socket->write(queue->takeFirst());
            connect(timer, &QTimer::timeout, socket, [socket, timer, queue] {
                if (queue->isEmpty()) {
                    timer->stop();
                    socket->disconnectFromHost();
                    return;
                }
                socket->write(queue->takeFirst());
            });
            timer->start(m_eventDelay);
        });
    }
}

QList<QByteArray> DemoModelServer::respond(const HttpRequest& request, int& status)
{
    ++m_requestCount;
    const QByteArray path = request.path();
    const bool responses = path == "/v1/responses" || path == "/responses";
    const bool chat = path == "/v1/chat/completions" || path == "/chat/completions";

    if (request.method == "GET" && (path == "/v1/models" || path == "/models")) {
        status = 200;
        Json models = Json::array();
        models.append(obj({{"id", kModel}, {"object", "model"}, {"created", 1767225600}, {"owned_by", "threadbench"}}));
        return jsonAnswer(status, compact(obj({{"object", "list"}, {"data", models}})));
    }
    if (!responses && !chat) {
        status = 404;
        return errorAnswer(status, QStringLiteral("Unknown path %1").arg(QString::fromUtf8(path)),
                           QStringLiteral("invalid_request_error"));
    }
    if (request.method != "POST") {
        status = 405;
        return errorAnswer(status, QStringLiteral("Use POST"), QStringLiteral("invalid_request_error"));
    }
    m_lastBody = request.body;
    if (m_failNext) {
        const Failure f = std::exchange(m_failNext, std::nullopt).value();
        status = f.status;
        return jsonAnswer(status, f.body, f.headers);
    }
    const auto parsed = Json::parse(request.body);
    if (!parsed || !parsed->isObject()) {
        status = 400;
        return errorAnswer(status, QStringLiteral("The request body is not a JSON object"),
                           QStringLiteral("invalid_request_error"));
    }
    const Json& body = *parsed;
    const WireProtocol protocol = responses ? WireProtocol::Responses : WireProtocol::ChatCompletions;
    const DemoModel::Answer answer = DemoModel::answer(body, protocol);
    const bool stream = body[u"stream"].toBool();
    status = 200;
    if (!stream) {
        const Json reply = responses ? responsesObject(answer, body, true) : chatCompletion(answer);
        return jsonAnswer(status, compact(reply));
    }
    QList<QByteArray> pieces = responses ? responsesEvents(answer, body)
                                         : chatChunks(answer, body[u"stream_options"][u"include_usage"].toBool());
    pieces.prepend(head(status, "text/event-stream; charset=utf-8", std::nullopt));
    return pieces;
}

} // namespace tb::net
