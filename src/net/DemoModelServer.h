// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <chrono>
#include <optional>

class QTcpServer;

namespace tb::net {

struct HttpRequest;

/// The built-in offline demo endpoint: a loopback HTTP/1.1 server (127.0.0.1, random port by
/// default) that speaks both real wire protocols and answers as DemoModel decides, so every
/// workflow (streaming, tool calls, usage) can be tried without a key or a network. The app starts
/// it on demand; the tests use the same server.
///
/// Routes: POST /v1/responses, POST /v1/chat/completions (streaming or not, as the body asks),
/// GET /v1/models; anything else is 404. Streams mirror the fixtures: the Responses event
/// sequence ending in response.completed with usage (responses/*.sse), Chat chunks ending with a
/// `choices: []` usage chunk when include_usage was asked for and `data: [DONE]` (chat/*.sse).
class DemoModelServer final : public QObject
{
    Q_OBJECT

public:
    explicit DemoModelServer(QObject* parent = nullptr);
    ~DemoModelServer() override;
    Q_DISABLE_COPY_MOVE(DemoModelServer)

    /// Listens on 127.0.0.1 only; port 0 picks a free one.
    bool listen(quint16 port = 0);
    void close();
    [[nodiscard]] bool isListening() const;
    [[nodiscard]] quint16 port() const;
    /// http://127.0.0.1:PORT/v1 (empty while not listening).
    [[nodiscard]] QUrl baseUrl() const;

    /// Pause between streamed events (tests use it for "slow" streams; 0 = write at once).
    void setEventDelay(std::chrono::milliseconds delay) { m_eventDelay = delay; }
    /// The next POST is answered with this status, body and headers instead of a model answer.
    void failNextRequest(int status, QByteArray body, QList<QPair<QByteArray, QByteArray>> headers = {});

    [[nodiscard]] int requestCount() const { return m_requestCount; }
    [[nodiscard]] QByteArray lastRequestBody() const { return m_lastBody; }

Q_SIGNALS:
    /// After each answered request (path, HTTP status).
    void requestServed(const QByteArray& path, int status);

private:
    struct Failure
    {
        int status = 500;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
    };

    void onNewConnection();
    /// Head + body pieces for one request; the pieces are written with m_eventDelay between them.
    QList<QByteArray> respond(const HttpRequest& request, int& status);

    QTcpServer* m_server;
    std::chrono::milliseconds m_eventDelay{0};
    std::optional<Failure> m_failNext;
    int m_requestCount = 0;
    QByteArray m_lastBody;
};

} // namespace tb::net
